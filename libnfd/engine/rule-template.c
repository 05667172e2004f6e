/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * varsTemplate: the subset of Go's text/template that NFD rules use (doc/semantics.md §8).
 *
 * Supported: text; {{pipeline}}; {{- and -}} trimming; comments; .a.b field
 * chains on maps (missingkey=error); $ and $var; if/else if/else, range (with
 * $i, $e := and else), with; := and =; string, raw string, integer and bool
 * literals; parenthesised pipelines and | chains; the functions and, or,
 * not, eq, ne, lt, le, gt, ge, len, index, print, printf, println and the
 * Sprig helpers lower, upper, trim, trimPrefix, trimSuffix, trimAll,
 * replace, contains, hasPrefix, hasSuffix, default, quote, squote, toString.
 * Anything else (define, template, block, other functions) is a parse
 * error, reported as a rule error when the template runs, as NFD does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"

#define MAX_TEMPLATE (64 * 1024)

/* --------------------------------------------------------------- parser */

struct parser {
	struct nfd_arena *a;
	const char *src, *p;
	const char *err;
	unsigned depth;
};

static int perr(struct parser *ps, const char *msg)
{
	if (!ps->err) {
		char buf[200];

		snprintf(buf, sizeof(buf), "template: %s at offset %zu", msg,
			 (size_t)(ps->p - ps->src));
		ps->err = nfd__arena_strdup(ps->a, buf);
	}
	return -EINVAL;
}

static void *alloc(struct parser *ps, size_t size)
{
	void *p = nfd__arena_alloc(ps->a, size);

	if (!p)
		ps->err = "out of memory";
	return p;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static void skip_space(struct parser *ps)
{
	while (is_space(*ps->p))
		ps->p++;
}

/* At the end of an action: "}}" or " -}}". */
static bool at_close(struct parser *ps)
{
	const char *p = ps->p;

	if (p[0] == '-' && is_space(p[-1]) && p[1] == '}' && p[2] == '}')
		return true;
	return p[0] == '}' && p[1] == '}';
}

static const char *word(struct parser *ps)
{
	const char *start = ps->p;

	while (is_word(*ps->p))
		ps->p++;
	return nfd__arena_strndup(ps->a, start, (size_t)(ps->p - start));
}

/* ".a.b.c" after the first '.', collected into fields */
static int field_chain(struct parser *ps, struct tmpl_arg *a)
{
	const char *names[64];
	size_t n = 0;

	while (*ps->p == '.' && is_word(ps->p[1])) {
		ps->p++;
		if (n == ARRAY_SIZE(names))
			return perr(ps, "field chain too long");
		names[n++] = word(ps);
	}
	if (n) {
		a->fields = alloc(ps, n * sizeof(*a->fields));
		if (!a->fields)
			return -ENOMEM;
		memcpy(a->fields, names, n * sizeof(*names));
		a->n_fields = n;
	}
	return 0;
}

static int parse_string(struct parser *ps, struct tmpl_arg *a)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	char q = *ps->p++;

	for (; *ps->p != q; ps->p++) {
		char c = *ps->p;

		if (!c || (q == '"' && c == '\n'))
			return perr(ps, "unterminated string");
		if (q == '"' && c == '\\') {
			c = *++ps->p;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case '\\':
			case '"':
				break;
			default:
				return perr(ps, "unsupported escape in string");
			}
		}
		strbuf_putc(&sb, c);
	}
	ps->p++;
	a->kind = TMPL_ARG_STRING;
	a->str = nfd__arena_strndup(ps->a, sb.buf ? sb.buf : "", sb.len);
	return a->str ? 0 : -ENOMEM;
}

static int parse_pipe(struct parser *ps, struct tmpl_pipe **ret, bool in_paren);

static int parse_arg(struct parser *ps, struct tmpl_arg *a)
{
	const char *p = ps->p;

	if (*p == '.') {
		a->kind = TMPL_ARG_DOT;
		if (!is_word(p[1])) {
			ps->p++;
			return 0;
		}
		return field_chain(ps, a);
	}
	if (*p == '$') {
		ps->p++;
		a->kind = TMPL_ARG_VAR;
		a->name = word(ps);
		return a->name ? field_chain(ps, a) : -ENOMEM;
	}
	if (*p == '"' || *p == '`')
		return parse_string(ps, a);
	if (*p == '(') {
		int r;

		ps->p++;
		a->kind = TMPL_ARG_PIPE;
		/* parentheses nest like control structures: one bound for both */
		if (++ps->depth > TEMPLATE_MAX_DEPTH)
			return perr(ps, "nesting too deep");
		r = parse_pipe(ps, &a->pipe, true);
		ps->depth--;
		if (r < 0)
			return r;
		if (*ps->p != ')')
			return perr(ps, "missing )");
		ps->p++;
		return field_chain(ps, a);
	}
	if ((*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9')) {
		char *end;

		a->kind = TMPL_ARG_NUMBER;
		a->num = strtoll(p, &end, 0);
		ps->p = end;
		return is_word(*ps->p) || *ps->p == '.' ? perr(ps, "bad number") : 0;
	}
	if (is_word(*p)) {
		const char *w = word(ps);

		if (!w)
			return -ENOMEM;
		if (streq(w, "true") || streq(w, "false")) {
			a->kind = TMPL_ARG_BOOL;
			a->b = streq(w, "true");
			return 0;
		}
		a->kind = TMPL_ARG_FUNC;
		a->name = w;
		return 0;
	}
	return perr(ps, "unexpected character in action");
}

static int parse_cmd(struct parser *ps, struct tmpl_cmd *c, bool in_paren)
{
	struct tmpl_arg args[32];

	for (;;) {
		int r;

		skip_space(ps);
		if (at_close(ps) || *ps->p == '|' || (in_paren && *ps->p == ')') || !*ps->p)
			break;
		if (c->n_args == ARRAY_SIZE(args))
			return perr(ps, "too many arguments");
		memset(&args[c->n_args], 0, sizeof(args[0]));
		r = parse_arg(ps, &args[c->n_args]);
		if (r < 0)
			return r;
		c->n_args++;
	}
	if (c->n_args == 0)
		return perr(ps, "missing value for command");
	c->args = alloc(ps, c->n_args * sizeof(*c->args));
	if (!c->args)
		return -ENOMEM;
	memcpy(c->args, args, c->n_args * sizeof(*args));
	return 0;
}

/* Optional "$x :=", "$i, $e :=" or "$x =" declarations. */
static void parse_decl(struct parser *ps, struct tmpl_pipe *pp)
{
	const char *save = ps->p;
	const char *names[2];
	size_t n = 0;

	for (;;) {
		skip_space(ps);
		if (*ps->p != '$' || n == 2)
			break;
		ps->p++;
		names[n++] = word(ps);
		skip_space(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		break;
	}
	if (n && ps->p[0] == ':' && ps->p[1] == '=') {
		ps->p += 2;
	} else if (n == 1 && ps->p[0] == '=' && ps->p[1] != '=') {
		ps->p += 1;
		pp->assign = true;
	} else {
		ps->p = save;
		return;
	}
	pp->n_vars = n;
	memcpy(pp->vars, names, n * sizeof(*names));
}

static int parse_pipe(struct parser *ps, struct tmpl_pipe **ret, bool in_paren)
{
	struct tmpl_pipe *pp = alloc(ps, sizeof(*pp));
	struct tmpl_cmd cmds[16];

	if (!pp)
		return -ENOMEM;
	parse_decl(ps, pp);
	for (;;) {
		int r;

		if (pp->n_cmds == ARRAY_SIZE(cmds))
			return perr(ps, "pipeline too long");
		memset(&cmds[pp->n_cmds], 0, sizeof(cmds[0]));
		r = parse_cmd(ps, &cmds[pp->n_cmds], in_paren);
		if (r < 0)
			return r;
		pp->n_cmds++;
		skip_space(ps);
		if (*ps->p != '|')
			break;
		ps->p++;
	}
	pp->cmds = alloc(ps, pp->n_cmds * sizeof(*pp->cmds));
	if (!pp->cmds)
		return -ENOMEM;
	memcpy(pp->cmds, cmds, pp->n_cmds * sizeof(*cmds));
	*ret = pp;
	return 0;
}

/* Consume the end of an action. */
static int close_action(struct parser *ps)
{
	skip_space(ps);
	if (ps->p[0] == '-' && ps->p[1] == '}' && ps->p[2] == '}') {
		ps->p += 3;
		skip_space(ps); /* -}} trims the following text's leading space */
		return 0;
	}
	if (ps->p[0] == '}' && ps->p[1] == '}') {
		ps->p += 2;
		return 0;
	}
	return perr(ps, "unterminated action");
}

enum stop {
	STOP_EOF,
	STOP_END,
	STOP_ELSE,
	STOP_ELSE_IF,
};

static int parse_list(struct parser *ps, struct tmpl_node **ret, enum stop *stop);

/* After "if", "range" or "with": pipeline, body, optional else, end. */
static int parse_control(struct parser *ps, struct tmpl_node *n)
{
	enum stop stop;
	int r;

	if (++ps->depth > TEMPLATE_MAX_DEPTH)
		return perr(ps, "nesting too deep");
	r = parse_pipe(ps, &n->pipe, false);
	if (r >= 0)
		r = close_action(ps);
	if (r >= 0)
		r = parse_list(ps, &n->body, &stop);
	if (r < 0)
		return r;
	if (stop == STOP_ELSE_IF) {
		/* "else if": an if node as the whole else branch */
		if (n->kind != TMPL_NODE_IF)
			return perr(ps, "else if outside if");
		n->else_body = alloc(ps, sizeof(*n->else_body));
		if (!n->else_body)
			return -ENOMEM;
		n->else_body->kind = TMPL_NODE_IF;
		r = parse_control(ps, n->else_body);
		ps->depth--;
		return r;
	}
	if (stop == STOP_ELSE) {
		r = parse_list(ps, &n->else_body, &stop);
		if (r < 0)
			return r;
	}
	if (stop != STOP_END)
		return perr(ps, "missing {{end}}");
	ps->depth--;
	return 0;
}

static bool keyword(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);

	if (strncmp(ps->p, kw, n) != 0 || is_word(ps->p[n]))
		return false;
	ps->p += n;
	return true;
}

static int parse_list(struct parser *ps, struct tmpl_node **ret, enum stop *stop)
{
	struct tmpl_node *head = NULL, **tail = &head;

	*stop = STOP_EOF;
	while (*ps->p) {
		const char *open = strstr(ps->p, "{{");
		const char *text_end = open ? open : ps->p + strlen(ps->p);
		struct tmpl_node *n;

		if (open && open[2] == '-' && is_space(open[3]))
			while (text_end > ps->p && is_space(text_end[-1]))
				text_end--; /* {{- trims the preceding text */
		if (text_end > ps->p) {
			n = alloc(ps, sizeof(*n));
			if (!n)
				return -ENOMEM;
			n->kind = TMPL_NODE_TEXT;
			n->text = ps->p;
			n->len = (size_t)(text_end - ps->p);
			*tail = n;
			tail = &n->next;
		}
		if (!open) {
			ps->p += strlen(ps->p);
			break;
		}
		ps->p = open + 2;
		if (*ps->p == '-' && is_space(ps->p[1]))
			ps->p++;
		skip_space(ps);
		if (ps->p[0] == '/' && ps->p[1] == '*') {
			const char *end = strstr(ps->p, "*/");

			if (!end)
				return perr(ps, "unclosed comment");
			ps->p = end + 2;
			if (close_action(ps) < 0)
				return -EINVAL;
			continue;
		}
		if (keyword(ps, "end")) {
			*stop = STOP_END;
			break;
		}
		if (keyword(ps, "else")) {
			skip_space(ps);
			if (keyword(ps, "if")) {
				*stop = STOP_ELSE_IF;
				*ret = head;
				return 0; /* parse_control continues with the condition */
			}
			*stop = STOP_ELSE;
			break;
		}
		n = alloc(ps, sizeof(*n));
		if (!n)
			return -ENOMEM;
		if (keyword(ps, "if") || keyword(ps, "range") || keyword(ps, "with")) {
			const char *kw = ps->p;

			while (kw > ps->src && is_word(kw[-1]))
				kw--;
			n->kind = kw[0] == 'i'	 ? TMPL_NODE_IF
				  : kw[0] == 'r' ? TMPL_NODE_RANGE
						 : TMPL_NODE_WITH;
			if (parse_control(ps, n) < 0)
				return -EINVAL;
		} else if (keyword(ps, "define") || keyword(ps, "template") ||
			   keyword(ps, "block") || keyword(ps, "break") ||
			   keyword(ps, "continue")) {
			return perr(ps, "unsupported action");
		} else {
			n->kind = TMPL_NODE_ACTION;
			if (parse_pipe(ps, &n->pipe, false) < 0 || close_action(ps) < 0)
				return -EINVAL;
		}
		*tail = n;
		tail = &n->next;
	}
	if (*stop == STOP_END || *stop == STOP_ELSE) {
		if (close_action(ps) < 0)
			return -EINVAL;
	}
	*ret = head;
	return 0;
}

int nfd__template_parse(struct nfd_arena *a, const char *src, const struct nfd_template **ret,
			const char **ret_err)
{
	struct parser ps = {.a = a, .src = src, .p = src};
	struct nfd_template *t;
	enum stop stop;

	*ret_err = NULL;
	if (strlen(src) > MAX_TEMPLATE) {
		*ret_err = "template: longer than 64 KiB";
		return -EINVAL;
	}
	t = nfd__arena_alloc(a, sizeof(*t));
	if (!t)
		return -ENOMEM;
	if (parse_list(&ps, &t->root, &stop) < 0 ||
	    (stop != STOP_EOF && perr(&ps, "unexpected {{end}} or {{else}}"))) {
		*ret_err = ps.err ? ps.err : "template: out of memory";
		return streq(*ret_err, "out of memory") ? -ENOMEM : -EINVAL;
	}
	*ret = t;
	return 0;
}
