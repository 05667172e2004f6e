/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * labelsTemplate / varsTemplate: the parser of Go's text/template
 * (text/template/parse in Go's source: lex.go, parse.go, node.go).
 *
 * Everything a template may contain: text, {{- and -}} trimming, comments,
 * pipelines with | chains, parenthesised pipelines and field chains on any
 * operand, variables ($, $x :=, $x =, $i, $e := in range) with Go's scoping,
 * if/else if/else with/else with/else range/else, break, continue, define,
 * template and block, string, raw string, character, integer, float, bool
 * and nil literals.  As in Go, an undefined function or variable is a parse
 * error, found before the template runs.  Messages follow Go's
 * ("template: :LINE: ..."; the template has no name in NFD).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template-parse.h"
#include "shared/util.h"

#define MAX_TEMPLATE (64 * 1024)

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ------------------------------------------------------------- variables */

static int push_var(struct parser *ps, const char *name)
{
	if (ps->n_vars == ps->cap_vars) {
		size_t cap = ps->cap_vars ? ps->cap_vars * 2 : 16;
		const char **v = realloc(ps->vars, cap * sizeof(*v));

		if (!v)
			return nfd__tmpl_perr(ps, "out of memory");
		ps->vars = v;
		ps->cap_vars = cap;
	}
	ps->vars[ps->n_vars++] = name;
	return 0;
}

static int check_var(struct parser *ps, const char *name)
{
	for (size_t i = ps->n_vars; i-- > ps->var_base;)
		if (streq(ps->vars[i], name))
			return 0;
	return nfd__tmpl_perr(ps, "undefined variable \"$%s\"", name);
}

/* -------------------------------------------------------------- pipelines */

/* A growable array, copied into the arena when done. */
struct vec {
	void *items;
	size_t n, cap, size;
};

static void *vec_add(struct parser *ps, struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		void *p = realloc(v->items, cap * v->size);

		if (!p) {
			nfd__tmpl_perr(ps, "out of memory");
			return NULL;
		}
		v->items = p;
		v->cap = cap;
	}
	memset((char *)v->items + v->n * v->size, 0, v->size);
	return (char *)v->items + v->n++ * v->size;
}

static void *vec_finish(struct parser *ps, struct vec *v)
{
	void *p = nfd__tmpl_palloc(ps, v->n * v->size);

	if (p && v->n)
		memcpy(p, v->items, v->n * v->size);
	free(v->items);
	v->items = NULL;
	return p;
}

static int parse_pipe(struct parser *ps, struct tmpl_pipe **ret, const char *context, enum tok end);

static int number_const(struct parser *ps, const struct token *tk, struct tmpl_arg *a)
{
	char buf[128];
	size_t j = 0;
	bool floaty = false, hex = false;
	char *end;

	if (tk->len >= sizeof(buf))
		return nfd__tmpl_perr(ps, "bad number syntax: %.*s", (int)tk->len, tk->start);
	for (size_t i = 0; i < tk->len; i++)
		if (tk->start[i] != '_')
			buf[j++] = tk->start[i];
	buf[j] = '\0';
	if (j && buf[j - 1] == 'i')
		return nfd__tmpl_perr(ps, "complex numbers are not supported: %s", buf);
	hex = strstr(buf, "0x") || strstr(buf, "0X");
	floaty = strpbrk(buf, hex ? ".pP" : ".eE") != NULL;
	a->kind = TMPL_ARG_CONST;
	a->untyped = true;
	if (!floaty) {
		const char *s = buf;
		bool neg = false;
		unsigned long long u;
		int base = 10;

		if (*s == '+' || *s == '-')
			neg = *s++ == '-';
		if (s[0] == '0' && s[1] && strchr("xXoObB", s[1])) {
			base = strchr("xX", s[1]) ? 16 : strchr("oO", s[1]) ? 8 : 2;
			s += 2;
		} else if (s[0] == '0' && s[1]) {
			base = 8;
		}
		errno = 0;
		u = strtoull(s, &end, base);
		if (*end && base == 8 && strspn(s, "0123456789") == strlen(s)) {
			errno = 0; /* "08": not octal, but 8 as a float, so the int 8 */
			u = strtoull(s, &end, 10);
		}
		if (*end || !*s)
			return nfd__tmpl_perr(ps, "bad number syntax: %s", buf);
		if (errno == ERANGE || u > (unsigned long long)INT64_MAX + neg)
			return nfd__tmpl_perr(ps, "%s overflows int", buf);
		a->val = nfd__tmpl_int(neg ? (int64_t)(0 - u) : (int64_t)u);
		return 0;
	}
	errno = 0;
	a->val = nfd__tmpl_float(strtod(buf, &end));
	if (*end)
		return nfd__tmpl_perr(ps, "bad number syntax: %s", buf);
	if (isinf(a->val.f))
		return nfd__tmpl_perr(ps, "bad number syntax: %s", buf);
	return 0;
}

/* .a.b after an operand, straight after it (no space). */
static int field_chain(struct parser *ps, struct tmpl_arg *a)
{
	struct vec v = {.size = sizeof(const char *)};
	struct token tk;

	if (a->kind == TMPL_ARG_DOT && a->n_fields) {
		for (size_t i = 0; i < a->n_fields; i++) {
			const char **f = vec_add(ps, &v);

			if (!f)
				return -EINVAL;
			*f = a->fields[i];
		}
	}
	for (;;) {
		const char **f;

		if (nfd__tmpl_peek(ps, &tk) < 0)
			goto fail;
		if (tk.t != T_FIELD)
			break;
		nfd__tmpl_next(ps, &tk);
		f = vec_add(ps, &v);
		if (!f)
			return -EINVAL;
		*f = tk.str;
	}
	if (tk.t == T_DOT) {
		nfd__tmpl_perr(ps, "unexpected . after term");
		goto fail;
	}
	a->n_fields = v.n;
	a->fields = vec_finish(ps, &v);
	return a->fields ? 0 : -EINVAL;
fail:
	free(v.items);
	return -EINVAL;
}

static int parse_operand(struct parser *ps, struct tmpl_arg *a, const struct token *tk)
{
	switch (tk->t) {
	case T_DOT:
		a->kind = TMPL_ARG_DOT;
		return 0;
	case T_FIELD:
		a->kind = TMPL_ARG_DOT;
		a->fields = nfd__tmpl_palloc(ps, sizeof(*a->fields));
		if (!a->fields)
			return -EINVAL;
		a->fields[0] = tk->str;
		a->n_fields = 1;
		return field_chain(ps, a);
	case T_VAR:
		a->kind = TMPL_ARG_VAR;
		a->name = tk->str;
		if (check_var(ps, tk->str) < 0)
			return -EINVAL;
		return field_chain(ps, a);
	case T_STRING:
		a->kind = TMPL_ARG_CONST;
		if (tk->is_char) {
			uint32_t cp = 0;

			utf8_decode(tk->str, strlen(tk->str), &cp);
			if (!tk->str[0])
				cp = 0;
			a->val = nfd__tmpl_int(cp);
			a->untyped = true;
		} else {
			a->val = nfd__tmpl_str(tk->str);
		}
		return 0;
	case T_NUMBER:
		return number_const(ps, tk, a);
	case T_BOOL:
		a->kind = TMPL_ARG_CONST;
		a->val = nfd__tmpl_bool(streq(tk->str, "true"));
		return 0;
	case T_NIL:
		a->kind = TMPL_ARG_NIL;
		return 0;
	case T_IDENT:
		a->kind = TMPL_ARG_FUNC;
		a->name = tk->str;
		a->fn = nfd__tmpl_func_find(tk->str);
		if (!a->fn)
			return nfd__tmpl_perr(ps, "function \"%s\" not defined", tk->str);
		return 0;
	case T_LPAREN:
		a->kind = TMPL_ARG_PIPE;
		if (++ps->depth > TEMPLATE_MAX_DEPTH)
			return nfd__tmpl_perr(ps, "nesting too deep");
		if (parse_pipe(ps, &a->pipe, "parenthesized pipeline", T_RPAREN) < 0)
			return -EINVAL;
		ps->depth--;
		return field_chain(ps, a);
	default:
		return nfd__tmpl_perr(ps, "unexpected %s in operand", nfd__tmpl_tok_desc(tk));
	}
}

static int parse_cmd(struct parser *ps, struct tmpl_cmd *c, enum tok end)
{
	struct vec v = {.size = sizeof(struct tmpl_arg)};
	struct token tk;

	if (nfd__tmpl_peek_nonspace(ps, &tk) < 0)
		return -EINVAL;
	c->line = nfd__tmpl_line_of(ps, tk.start);
	c->col = nfd__tmpl_col_of(ps, tk.start);
	for (;;) {
		struct tmpl_arg *a;

		if (nfd__tmpl_next_nonspace(ps, &tk) < 0)
			goto fail;
		if (tk.t == end || tk.t == T_PIPE || tk.t == T_RDELIM || tk.t == T_RPAREN) {
			if (tk.t != end && tk.t != T_PIPE) {
				nfd__tmpl_perr(ps, "unexpected %s in operand",
					       nfd__tmpl_tok_desc(&tk));
				goto fail;
			}
			ps->tok = tk;
			ps->peeked = true;
			break;
		}
		a = vec_add(ps, &v);
		if (!a || parse_operand(ps, a, &tk) < 0)
			goto fail;
		/* operands are separated by spaces */
		if (nfd__tmpl_peek(ps, &tk) < 0)
			goto fail;
		if (tk.t != T_SPACE && tk.t != end && tk.t != T_PIPE && tk.t != T_RDELIM &&
		    tk.t != T_RPAREN) {
			nfd__tmpl_perr(ps, "missing space?");
			goto fail;
		}
	}
	if (v.n == 0) {
		nfd__tmpl_perr(ps, "missing value for command");
		goto fail;
	}
	c->n_args = v.n;
	c->args = vec_finish(ps, &v);
	return c->args ? 0 : -EINVAL;
fail:
	free(v.items);
	return -EINVAL;
}

/* "$x :=", "$i, $e :=", "$x =" before a pipeline. */
static int parse_decl(struct parser *ps, struct tmpl_pipe *pp, const char *context)
{
	bool trim = ps->trim_next;
	struct token tk, t2;

	if (nfd__tmpl_peek_nonspace(ps, &tk) < 0)
		return -EINVAL;
	if (tk.t != T_VAR)
		return 0;
	nfd__tmpl_next(ps, &tk);
	if (nfd__tmpl_next_nonspace(ps, &t2) < 0)
		return -EINVAL;
	if (t2.t == T_DECLARE || t2.t == T_ASSIGN) {
		pp->vars[0] = tk.str;
		pp->n_vars = 1;
		pp->assign = t2.t == T_ASSIGN;
	} else if (t2.t == T_COMMA && streq(context, "range")) {
		struct token t3, t4;

		if (nfd__tmpl_next_nonspace(ps, &t3) < 0 || nfd__tmpl_next_nonspace(ps, &t4) < 0)
			return -EINVAL;
		if (t3.t != T_VAR || (t4.t != T_DECLARE && t4.t != T_ASSIGN))
			return nfd__tmpl_perr(ps, "range can only initialize variables");
		pp->vars[0] = tk.str;
		pp->vars[1] = t3.str;
		pp->n_vars = 2;
		pp->assign = t4.t == T_ASSIGN;
	} else if (t2.t == T_COMMA) {
		return nfd__tmpl_perr(ps, "too many declarations in %s", context);
	} else {
		/* not a declaration: read it again as an operand */
		ps->p = tk.start;
		ps->peeked = false;
		ps->trim_next = trim;
		return 0;
	}
	for (size_t i = 0; i < pp->n_vars; i++) {
		if (pp->assign && check_var(ps, pp->vars[i]) < 0)
			return -EINVAL;
		if (!pp->assign && push_var(ps, pp->vars[i]) < 0)
			return -EINVAL;
	}
	return 0;
}

static int parse_pipe(struct parser *ps, struct tmpl_pipe **ret, const char *context, enum tok end)
{
	struct tmpl_pipe *pp = nfd__tmpl_palloc(ps, sizeof(*pp));
	struct vec v = {.size = sizeof(struct tmpl_cmd)};
	struct token tk;

	if (!pp || parse_decl(ps, pp, context) < 0)
		return -EINVAL;
	for (;;) {
		struct tmpl_cmd *c = vec_add(ps, &v);

		if (!c || parse_cmd(ps, c, end) < 0)
			goto fail;
		nfd__tmpl_next(ps, &tk);
		if (tk.t != T_PIPE)
			break;
	}
	if (tk.t != end) {
		nfd__tmpl_perr(ps, "unexpected %s in %s", nfd__tmpl_tok_desc(&tk), context);
		goto fail;
	}
	/* only the first command may be a plain operand */
	for (size_t i = 1; i < v.n; i++) {
		const struct tmpl_arg *a0 = &((struct tmpl_cmd *)v.items)[i].args[0];

		if (a0->kind == TMPL_ARG_CONST || a0->kind == TMPL_ARG_NIL ||
		    (a0->kind == TMPL_ARG_DOT && !a0->n_fields)) {
			nfd__tmpl_perr(ps, "non executable command in pipeline stage %zu", i + 1);
			goto fail;
		}
	}
	pp->n_cmds = v.n;
	pp->cmds = vec_finish(ps, &v);
	*ret = pp;
	return pp->cmds ? 0 : -EINVAL;
fail:
	free(v.items);
	return -EINVAL;
}

/* ------------------------------------------------------------------ lists */

enum stop {
	STOP_EOF,
	STOP_END,
	STOP_ELSE,    /* {{else}} */
	STOP_ELSE_KW, /* {{else if ...}} or {{else with ...}}: the keyword is next */
	STOP_DEFINE,  /* {{define ...}} at the top level */
};

static int parse_list(struct parser *ps, struct tmpl_node **ret, enum stop *stop);

static int expect_rdelim(struct parser *ps, const char *context)
{
	struct token tk;

	if (nfd__tmpl_next_nonspace(ps, &tk) < 0)
		return -EINVAL;
	if (tk.t != T_RDELIM)
		return nfd__tmpl_perr(ps, "unexpected %s in %s", nfd__tmpl_tok_desc(&tk), context);
	return 0;
}

/* if / with / range: pipeline, body, else branches, end. */
static int parse_control(struct parser *ps, struct tmpl_node *n, const char *context)
{
	size_t mark = ps->n_vars;
	enum stop stop;

	if (++ps->depth > TEMPLATE_MAX_DEPTH)
		return nfd__tmpl_perr(ps, "nesting too deep");
	if (parse_pipe(ps, &n->pipe, context, T_RDELIM) < 0)
		return -EINVAL;
	if (n->kind == TMPL_NODE_RANGE)
		ps->range_depth++;
	if (parse_list(ps, &n->body, &stop) < 0)
		return -EINVAL;
	if (n->kind == TMPL_NODE_RANGE)
		ps->range_depth--;
	if (stop == STOP_ELSE_KW) {
		/* else if / else with: one nested node as the whole else branch,
		 * ending with this node's {{end}} */
		struct token tk;

		if (nfd__tmpl_next_nonspace(ps, &tk) < 0)
			return -EINVAL;
		if (!(tk.t == T_KEYWORD && ((streq(tk.str, "if") && n->kind == TMPL_NODE_IF) ||
					    (streq(tk.str, "with") && n->kind == TMPL_NODE_WITH))))
			return nfd__tmpl_perr(ps, "unexpected %s in else", nfd__tmpl_tok_desc(&tk));
		n->else_body = nfd__tmpl_palloc(ps, sizeof(*n->else_body));
		if (!n->else_body)
			return -EINVAL;
		n->else_body->kind = n->kind;
		n->else_body->line = nfd__tmpl_line_of(ps, tk.start);
		if (parse_control(ps, n->else_body, context) < 0)
			return -EINVAL;
		ps->n_vars = mark;
		ps->depth--;
		return 0;
	}
	if (stop == STOP_ELSE && parse_list(ps, &n->else_body, &stop) < 0)
		return -EINVAL;
	if (stop == STOP_ELSE || stop == STOP_ELSE_KW)
		return nfd__tmpl_perr(ps, "expected end; found {{else}}");
	if (stop == STOP_DEFINE)
		return nfd__tmpl_perr(ps, "unexpected <define> in %s", context);
	if (stop != STOP_END)
		return nfd__tmpl_perr(ps, "unexpected EOF");
	ps->n_vars = mark;
	ps->depth--;
	return 0;
}

static int add_define(struct parser *ps, const char *name, struct tmpl_node *root)
{
	struct nfd_template *t = ps->t;
	struct tmpl_define *d;

	for (size_t i = 0; i < t->n_defs; i++) {
		if (!streq(t->defs[i].name, name))
			continue;
		if (t->defs[i].root && root)
			return nfd__tmpl_perr(
				ps, "template: multiple definition of template \"%s\"", name);
		if (root)
			t->defs[i].root = root;
		return 0;
	}
	d = nfd__tmpl_palloc(ps, (t->n_defs + 1) * sizeof(*d));
	if (!d)
		return -EINVAL;
	if (t->n_defs)
		memcpy(d, t->defs, t->n_defs * sizeof(*d));
	d[t->n_defs].name = name;
	d[t->n_defs].root = root;
	t->defs = d;
	t->n_defs++;
	return 0;
}

/* A body parsed as its own template: only $ in scope, no range around it. */
static int parse_sub_template(struct parser *ps, const char *name, const char *context)
{
	size_t saved_base = ps->var_base;
	unsigned saved_range = ps->range_depth;
	struct tmpl_node *root;
	enum stop stop;
	int r;

	ps->var_base = ps->n_vars;
	if (push_var(ps, "") < 0)
		return -EINVAL;
	ps->range_depth = 0;
	if (++ps->depth > TEMPLATE_MAX_DEPTH)
		return nfd__tmpl_perr(ps, "nesting too deep");
	r = parse_list(ps, &root, &stop);
	ps->depth--;
	ps->n_vars = ps->var_base;
	ps->var_base = saved_base;
	ps->range_depth = saved_range;
	if (r < 0)
		return r;
	if (stop != STOP_END)
		return nfd__tmpl_perr(
			ps, stop == STOP_EOF ? "unexpected EOF" : "unexpected {{else}} in %s",
			context);

	return add_define(ps, name, root);
}

static int template_name(struct parser *ps, const char *context, const char **ret)
{
	struct token tk;

	if (nfd__tmpl_next_nonspace(ps, &tk) < 0)
		return -EINVAL;
	if (tk.t != T_STRING || tk.is_char)
		return nfd__tmpl_perr(ps, "unexpected %s in %s clause", nfd__tmpl_tok_desc(&tk),
				      context);
	*ret = tk.str;
	return 0;
}

static int parse_keyword(struct parser *ps, struct tmpl_node *n, const char *kw, enum stop *stop,
			 bool *done)
{
	*done = false;
	if (streq(kw, "end") || streq(kw, "else")) {
		struct token tk;

		*done = true;
		if (streq(kw, "end")) {
			*stop = STOP_END;
			return expect_rdelim(ps, "end");
		}
		if (nfd__tmpl_peek_nonspace(ps, &tk) < 0)
			return -EINVAL;
		if (tk.t == T_KEYWORD && (streq(tk.str, "if") || streq(tk.str, "with"))) {
			*stop = STOP_ELSE_KW;
			return 0;
		}
		*stop = STOP_ELSE;
		return expect_rdelim(ps, "else");
	}
	if (streq(kw, "if") || streq(kw, "with") || streq(kw, "range")) {
		n->kind = streq(kw, "if")     ? TMPL_NODE_IF
			  : streq(kw, "with") ? TMPL_NODE_WITH
					      : TMPL_NODE_RANGE;
		return parse_control(ps, n, kw);
	}
	if (streq(kw, "break") || streq(kw, "continue")) {
		if (!ps->range_depth)
			return nfd__tmpl_perr(ps, "{{%s}} outside {{range}}", kw);
		n->kind = streq(kw, "break") ? TMPL_NODE_BREAK : TMPL_NODE_CONTINUE;
		return expect_rdelim(ps, kw);
	}
	if (streq(kw, "template") || streq(kw, "block")) {
		struct token tk;

		n->kind = TMPL_NODE_TEMPLATE;
		if (template_name(ps, kw, &n->text) < 0 || nfd__tmpl_peek_nonspace(ps, &tk) < 0)
			return -EINVAL;
		if (tk.t != T_RDELIM) {
			if (parse_pipe(ps, &n->pipe, kw, T_RDELIM) < 0)
				return -EINVAL;
		} else {
			nfd__tmpl_next(ps, &tk);
		}
		if (streq(kw, "block"))
			return parse_sub_template(ps, n->text, "block");
		return 0;
	}
	if (streq(kw, "define")) {
		*done = true;
		*stop = STOP_DEFINE;
		return 0;
	}
	return nfd__tmpl_perr(ps, "unexpected %s", kw);
}

static int parse_list(struct parser *ps, struct tmpl_node **ret, enum stop *stop)
{
	struct tmpl_node *head = NULL, **tail = &head;

	*stop = STOP_EOF;
	while (*ps->p) {
		const char *open = strstr(ps->p, "{{");
		const char *text_start = ps->p;
		const char *text_end = open ? open : ps->p + strlen(ps->p);
		struct tmpl_node *n;
		struct token tk;
		bool done;

		if (ps->trim_next) {
			while (text_start < text_end && is_space(*text_start))
				text_start++;
			ps->trim_next = false;
		}
		if (open && open[2] == '-' && is_space(open[3]))
			while (text_end > text_start && is_space(text_end[-1]))
				text_end--; /* {{- trims the preceding text */
		if (text_end > text_start) {
			n = nfd__tmpl_palloc(ps, sizeof(*n));
			if (!n)
				return -EINVAL;
			n->kind = TMPL_NODE_TEXT;
			n->text = text_start;
			n->len = (size_t)(text_end - text_start);
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
		ps->peeked = false;
		/* a comment, right after the delimiter and any trim marker */
		if (strstartswith(ps->p + (ps->p > open + 2), "/*")) {
			const char *end = strstr(ps->p + 2, "*/");

			if (!end)
				return nfd__tmpl_perr(ps, "unclosed comment");
			ps->p = end + 2;
			if (ps->p[0] == '}' && ps->p[1] == '}') {
				ps->p += 2;
				continue;
			}
			if (is_space(ps->p[0]) && ps->p[1] == '-' && ps->p[2] == '}' &&
			    ps->p[3] == '}') {
				ps->p += 4;
				ps->trim_next = true;
				continue;
			}
			return nfd__tmpl_perr(ps, "comment ends before closing delimiter");
		}
		n = nfd__tmpl_palloc(ps, sizeof(*n));
		if (!n || nfd__tmpl_peek_nonspace(ps, &tk) < 0)
			return -EINVAL;
		n->line = nfd__tmpl_line_of(ps, tk.start);
		n->col = nfd__tmpl_col_of(ps, tk.start);
		if (tk.t == T_KEYWORD) {
			nfd__tmpl_next(ps, &tk);
			if (parse_keyword(ps, n, tk.str, stop, &done) < 0)
				return -EINVAL;
			if (done)
				break;
		} else {
			n->kind = TMPL_NODE_ACTION;
			if (parse_pipe(ps, &n->pipe, "command", T_RDELIM) < 0)
				return -EINVAL;
		}
		*tail = n;
		tail = &n->next;
	}
	*ret = head;
	return 0;
}

int nfd__template_parse(struct arena *a, const char *src, const struct nfd_template **ret,
			const char **ret_err)
{
	struct parser ps = {.a = a, .src = src, .p = src};
	struct nfd_template *t;
	enum stop stop;
	int r = 0;

	*ret_err = NULL;
	if (strlen(src) > MAX_TEMPLATE) {
		*ret_err = "template exceeds maximum allowed size";
		return -EINVAL;
	}
	t = arena_alloc(a, sizeof(*t));
	if (!t || push_var(&ps, "") < 0)
		return -ENOMEM;
	ps.t = t;
	for (struct tmpl_node **tail = &t->root;;) {
		const char *name;

		while (*tail)
			tail = &(*tail)->next;
		r = parse_list(&ps, tail, &stop);
		if (r < 0)
			break;
		if (stop == STOP_EOF)
			break;
		if (stop != STOP_DEFINE) {
			r = nfd__tmpl_perr(&ps, "unexpected {{%s}}",
					   stop == STOP_END ? "end" : "else");
			break;
		}
		r = template_name(&ps, "define", &name);
		if (r >= 0)
			r = expect_rdelim(&ps, "define clause");
		if (r >= 0)
			r = parse_sub_template(&ps, name, "define");
		if (r < 0)
			break;
	}
	free(ps.vars);
	if (r < 0) {
		*ret_err = ps.err ? ps.err : "template: out of memory";
		return streq(*ret_err, "out of memory") ? -ENOMEM : -EINVAL;
	}
	*ret = t;
	return 0;
}
