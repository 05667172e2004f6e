// SPDX-License-Identifier: LGPL-2.1-or-later
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

#include "libnfd/engine/rule-template.h"
#include "shared/util.h"

#define MAX_TEMPLATE (64 * 1024)

enum tok {
	T_EOF,
	T_RDELIM,
	T_SPACE,
	T_FIELD, /* .name */
	T_VAR,	 /* $ or $name */
	T_IDENT,
	T_STRING, /* quoted, raw or character: value decoded */
	T_NUMBER,
	T_BOOL,
	T_NIL,
	T_DOT,
	T_LPAREN,
	T_RPAREN,
	T_PIPE,
	T_DECLARE,
	T_ASSIGN,
	T_COMMA,
	T_KEYWORD, /* block break continue define else end if range template with */
};

struct token {
	enum tok t;
	const char *start;
	size_t len;
	const char *str; /* T_STRING: decoded; T_FIELD/T_VAR/T_IDENT/T_KEYWORD: the name */
	bool is_char;
};

struct parser {
	struct nfd_arena *a;
	const char *src, *p;
	const char *err;
	unsigned depth;
	unsigned range_depth;
	bool trim_next; /* the action just closed with -}} */
	struct token tok;
	bool peeked;
	const char **vars; /* names in scope (malloc'ed) */
	size_t n_vars, cap_vars;
	size_t var_base; /* where the innermost template's variables start */
	struct nfd_template *t;
};

static unsigned line_of(struct parser *ps, const char *at)
{
	unsigned line = 1;

	for (const char *q = ps->src; q < at; q++)
		line += *q == '\n';
	return line;
}

static unsigned col_of(struct parser *ps, const char *at)
{
	const char *q = at;

	while (q > ps->src && q[-1] != '\n')
		q--;
	return (unsigned)(at - q);
}

static int perr(struct parser *ps, const char *fmt, ...) _printf_(2, 3);
static int perr(struct parser *ps, const char *fmt, ...)
{
	if (!ps->err) {
		char msg[200], buf[260];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		snprintf(buf, sizeof(buf), "template: :%u: %s", line_of(ps, ps->p), msg);
		ps->err = nfd__arena_strdup(ps->a, buf);
		if (!ps->err)
			ps->err = "out of memory";
	}
	return -EINVAL;
}

static void *alloc(struct parser *ps, size_t size)
{
	void *p = nfd__arena_alloc(ps->a, size ? size : 1);

	if (!p && !ps->err)
		ps->err = "out of memory";
	return p;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ------------------------------------------------------------------ lexer */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(struct strbuf *sb, uint32_t c)
{
	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		strbuf_putc(sb, (char)c);
	} else if (c < 0x800) {
		strbuf_putc(sb, (char)(0xc0 | (c >> 6)));
		strbuf_putc(sb, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		strbuf_putc(sb, (char)(0xe0 | (c >> 12)));
		strbuf_putc(sb, (char)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_putc(sb, (char)(0x80 | (c & 0x3f)));
	} else {
		strbuf_putc(sb, (char)(0xf0 | (c >> 18)));
		strbuf_putc(sb, (char)(0x80 | ((c >> 12) & 0x3f)));
		strbuf_putc(sb, (char)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_putc(sb, (char)(0x80 | (c & 0x3f)));
	}
}

/* One escape after '\' (Go's strconv.UnquoteChar); q is the quote. */
static int unescape(struct parser *ps, struct strbuf *sb, char q)
{
	char c = *ps->p++;
	uint32_t v = 0;
	int digits = 0, base = 16;

	switch (c) {
	case 'a':
		strbuf_putc(sb, '\a');
		return 0;
	case 'b':
		strbuf_putc(sb, '\b');
		return 0;
	case 'f':
		strbuf_putc(sb, '\f');
		return 0;
	case 'n':
		strbuf_putc(sb, '\n');
		return 0;
	case 'r':
		strbuf_putc(sb, '\r');
		return 0;
	case 't':
		strbuf_putc(sb, '\t');
		return 0;
	case 'v':
		strbuf_putc(sb, '\v');
		return 0;
	case '\\':
		strbuf_putc(sb, '\\');
		return 0;
	case '\'':
	case '"':
		if (c != q)
			return perr(ps, "invalid syntax");
		strbuf_putc(sb, c);
		return 0;
	case 'x':
		digits = 2;
		break;
	case 'u':
		digits = 4;
		break;
	case 'U':
		digits = 8;
		break;
	default:
		if (c < '0' || c > '7')
			return perr(ps, "invalid syntax");
		ps->p--;
		digits = 3;
		base = 8;
		break;
	}
	for (int i = 0; i < digits; i++) {
		int d = hexval(*ps->p);

		if (d < 0 || d >= base)
			return perr(ps, "invalid syntax");
		v = v * (uint32_t)base + (uint32_t)d;
		ps->p++;
	}
	if (c == 'x' || base == 8) {
		if (v > 255)
			return perr(ps, "invalid syntax");
		if (q == '\'')
			put_utf8(sb, v);
		else
			strbuf_putc(sb, (char)v);
	} else {
		if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return perr(ps, "invalid syntax");
		put_utf8(sb, v);
	}
	return 0;
}

static int lex_quoted(struct parser *ps, struct token *tk)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	char q = *ps->p++;

	for (;;) {
		char c = *ps->p;

		if (!c || (q != '`' && c == '\n'))
			return perr(ps, q == '`'   ? "unterminated raw quoted string"
					: q == '"' ? "unterminated quoted string"
						   : "unterminated character constant");
		ps->p++;
		if (c == q)
			break;
		if (c == '\\' && q != '`') {
			if (unescape(ps, &sb, q) < 0)
				return -EINVAL;
		} else if (!(c == '\r' && q == '`')) {
			strbuf_putc(&sb, c);
		}
	}
	if (!strbuf_str(&sb))
		return perr(ps, "out of memory");
	tk->t = T_STRING;
	tk->str = nfd__arena_strndup(ps->a, sb.buf, sb.len);
	if (q == '\'') {
		uint32_t cp;

		if (sb.len == 0 || utf8_decode(sb.buf, sb.len, &cp) != sb.len)
			return perr(ps, "malformed character constant: %.*s",
				    (int)(ps->p - tk->start), tk->start);
		tk->is_char = true;
	}
	return tk->str ? 0 : perr(ps, "out of memory");
}

static void lex_number(struct parser *ps)
{
	const char *digits = "0123456789_";

	if (*ps->p == '+' || *ps->p == '-')
		ps->p++;
	if (ps->p[0] == '0' && strchr("xXoObB", ps->p[1]) && ps->p[1]) {
		ps->p += 2;
		digits = strchr("xX", ps->p[-1])   ? "0123456789abcdefABCDEF_"
			 : strchr("oO", ps->p[-1]) ? "01234567_"
						   : "01_";
	}
	while (*ps->p && strchr(digits, *ps->p))
		ps->p++;
	if (*ps->p == '.') {
		ps->p++;
		while (*ps->p && strchr(digits, *ps->p))
			ps->p++;
	}
	if (strlen(digits) == 11 && *ps->p && strchr("eE", *ps->p)) {
		ps->p++;
		if (*ps->p == '+' || *ps->p == '-')
			ps->p++;
		while (is_digit(*ps->p) || *ps->p == '_')
			ps->p++;
	}
	if (strlen(digits) == 23 && *ps->p && strchr("pP", *ps->p)) {
		ps->p++;
		if (*ps->p == '+' || *ps->p == '-')
			ps->p++;
		while (is_digit(*ps->p) || *ps->p == '_')
			ps->p++;
	}
	if (*ps->p == 'i')
		ps->p++;
}

static const char *const keywords[] = {"block", "break", "continue", "define", "else", "end",
				       "if",	"range", "template", "with",   NULL};

static int lex(struct parser *ps, struct token *tk)
{
	const char *p = ps->p;

	memset(tk, 0, sizeof(*tk));
	tk->start = p;
	if (!*p)
		return perr(ps, "unclosed action");
	if (p[0] == '}' && p[1] == '}') {
		ps->p += 2;
		tk->t = T_RDELIM;
		return 0;
	}
	if (is_space(*p)) {
		while (is_space(*ps->p))
			ps->p++;
		/* " -}}": the space and the marker belong to the delimiter */
		if (ps->p[0] == '-' && ps->p[1] == '}' && ps->p[2] == '}') {
			ps->p += 3;
			ps->trim_next = true;
			tk->t = T_RDELIM;
			return 0;
		}
		tk->t = T_SPACE;
		return 0;
	}
	ps->p++;
	switch (*p) {
	case '|':
		tk->t = T_PIPE;
		return 0;
	case '(':
		tk->t = T_LPAREN;
		return 0;
	case ')':
		tk->t = T_RPAREN;
		return 0;
	case ',':
		tk->t = T_COMMA;
		return 0;
	case '=':
		tk->t = T_ASSIGN;
		return 0;
	case ':':
		if (*ps->p != '=')
			return perr(ps, "expected :=");
		ps->p++;
		tk->t = T_DECLARE;
		return 0;
	case '"':
	case '`':
	case '\'':
		ps->p--;
		return lex_quoted(ps, tk);
	case '$':
	case '.':
		if (*p == '.' && is_digit(*ps->p))
			break; /* .5 */
		while (is_alnum(*ps->p))
			ps->p++;
		tk->t = *p == '$' ? T_VAR : ps->p == p + 1 ? T_DOT : T_FIELD;
		tk->str = nfd__arena_strndup(ps->a, p + 1, (size_t)(ps->p - p - 1));
		return tk->str ? 0 : perr(ps, "out of memory");
	default:
		break;
	}
	if (is_digit(*p) || *p == '.' ||
	    ((*p == '-' || *p == '+') && (is_digit(p[1]) || p[1] == '.'))) {
		ps->p = p;
		lex_number(ps);
		if (is_alnum(*ps->p) || *ps->p == '.')
			return perr(ps, "bad number syntax: %.*s", (int)(ps->p - p + 1), p);
		tk->t = T_NUMBER;
		tk->len = (size_t)(ps->p - p);
		return 0;
	}
	if (is_alnum(*p)) {
		while (is_alnum(*ps->p))
			ps->p++;
		tk->str = nfd__arena_strndup(ps->a, p, (size_t)(ps->p - p));
		if (!tk->str)
			return perr(ps, "out of memory");
		tk->t = T_IDENT;
		if (streq(tk->str, "true") || streq(tk->str, "false"))
			tk->t = T_BOOL;
		else if (streq(tk->str, "nil"))
			tk->t = T_NIL;
		for (const char *const *k = keywords; *k; k++)
			if (streq(*k, tk->str))
				tk->t = T_KEYWORD;
		return 0;
	}
	ps->p = p;
	if ((unsigned char)*p < 0x20)
		return perr(ps, "unexpected character in command");
	return perr(ps, "unexpected \"%c\" in command", *p);
}

static int next(struct parser *ps, struct token *tk)
{
	if (ps->peeked) {
		ps->peeked = false;
		*tk = ps->tok;
		return 0;
	}
	return lex(ps, tk);
}

static int peek(struct parser *ps, struct token *tk)
{
	if (!ps->peeked) {
		if (lex(ps, &ps->tok) < 0)
			return -EINVAL;
		ps->peeked = true;
	}
	*tk = ps->tok;
	return 0;
}

static int next_nonspace(struct parser *ps, struct token *tk)
{
	do {
		if (next(ps, tk) < 0)
			return -EINVAL;
	} while (tk->t == T_SPACE);
	return 0;
}

static int peek_nonspace(struct parser *ps, struct token *tk)
{
	if (next_nonspace(ps, tk) < 0)
		return -EINVAL;
	ps->tok = *tk;
	ps->peeked = true;
	return 0;
}

static const char *tok_desc(const struct token *tk)
{
	switch (tk->t) {
	case T_RDELIM:
		return "}}";
	case T_EOF:
		return "EOF";
	case T_PIPE:
		return "|";
	case T_LPAREN:
		return "(";
	case T_RPAREN:
		return ")";
	case T_COMMA:
		return ",";
	case T_DECLARE:
		return ":=";
	case T_ASSIGN:
		return "=";
	default:
		return tk->str ? tk->str : "token";
	}
}

/* ------------------------------------------------------------- variables */

static int push_var(struct parser *ps, const char *name)
{
	if (ps->n_vars == ps->cap_vars) {
		size_t cap = ps->cap_vars ? ps->cap_vars * 2 : 16;
		const char **v = realloc(ps->vars, cap * sizeof(*v));

		if (!v)
			return perr(ps, "out of memory");
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
	return perr(ps, "undefined variable \"$%s\"", name);
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
			perr(ps, "out of memory");
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
	void *p = alloc(ps, v->n * v->size);

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
		return perr(ps, "bad number syntax: %.*s", (int)tk->len, tk->start);
	for (size_t i = 0; i < tk->len; i++)
		if (tk->start[i] != '_')
			buf[j++] = tk->start[i];
	buf[j] = '\0';
	if (j && buf[j - 1] == 'i')
		return perr(ps, "complex numbers are not supported: %s", buf);
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
			return perr(ps, "bad number syntax: %s", buf);
		if (errno == ERANGE || u > (unsigned long long)INT64_MAX + neg)
			return perr(ps, "%s overflows int", buf);
		a->val = nfd__tmpl_int(neg ? (int64_t)(0 - u) : (int64_t)u);
		return 0;
	}
	errno = 0;
	a->val = nfd__tmpl_float(strtod(buf, &end));
	if (*end)
		return perr(ps, "bad number syntax: %s", buf);
	if (isinf(a->val.f))
		return perr(ps, "bad number syntax: %s", buf);
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

		if (peek(ps, &tk) < 0)
			goto fail;
		if (tk.t != T_FIELD)
			break;
		next(ps, &tk);
		f = vec_add(ps, &v);
		if (!f)
			return -EINVAL;
		*f = tk.str;
	}
	if (tk.t == T_DOT) {
		perr(ps, "unexpected . after term");
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
		a->fields = alloc(ps, sizeof(*a->fields));
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
			return perr(ps, "function \"%s\" not defined", tk->str);
		return 0;
	case T_LPAREN:
		a->kind = TMPL_ARG_PIPE;
		if (++ps->depth > TEMPLATE_MAX_DEPTH)
			return perr(ps, "nesting too deep");
		if (parse_pipe(ps, &a->pipe, "parenthesized pipeline", T_RPAREN) < 0)
			return -EINVAL;
		ps->depth--;
		return field_chain(ps, a);
	default:
		return perr(ps, "unexpected %s in operand", tok_desc(tk));
	}
}

static int parse_cmd(struct parser *ps, struct tmpl_cmd *c, enum tok end)
{
	struct vec v = {.size = sizeof(struct tmpl_arg)};
	struct token tk;

	if (peek_nonspace(ps, &tk) < 0)
		return -EINVAL;
	c->line = line_of(ps, tk.start);
	c->col = col_of(ps, tk.start);
	for (;;) {
		struct tmpl_arg *a;

		if (next_nonspace(ps, &tk) < 0)
			goto fail;
		if (tk.t == end || tk.t == T_PIPE || tk.t == T_RDELIM || tk.t == T_RPAREN) {
			if (tk.t != end && tk.t != T_PIPE) {
				perr(ps, "unexpected %s in operand", tok_desc(&tk));
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
		if (peek(ps, &tk) < 0)
			goto fail;
		if (tk.t != T_SPACE && tk.t != end && tk.t != T_PIPE && tk.t != T_RDELIM &&
		    tk.t != T_RPAREN) {
			perr(ps, "missing space?");
			goto fail;
		}
	}
	if (v.n == 0) {
		perr(ps, "missing value for command");
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

	if (peek_nonspace(ps, &tk) < 0)
		return -EINVAL;
	if (tk.t != T_VAR)
		return 0;
	next(ps, &tk);
	if (next_nonspace(ps, &t2) < 0)
		return -EINVAL;
	if (t2.t == T_DECLARE || t2.t == T_ASSIGN) {
		pp->vars[0] = tk.str;
		pp->n_vars = 1;
		pp->assign = t2.t == T_ASSIGN;
	} else if (t2.t == T_COMMA && streq(context, "range")) {
		struct token t3, t4;

		if (next_nonspace(ps, &t3) < 0 || next_nonspace(ps, &t4) < 0)
			return -EINVAL;
		if (t3.t != T_VAR || (t4.t != T_DECLARE && t4.t != T_ASSIGN))
			return perr(ps, "range can only initialize variables");
		pp->vars[0] = tk.str;
		pp->vars[1] = t3.str;
		pp->n_vars = 2;
		pp->assign = t4.t == T_ASSIGN;
	} else if (t2.t == T_COMMA) {
		return perr(ps, "too many declarations in %s", context);
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
	struct tmpl_pipe *pp = alloc(ps, sizeof(*pp));
	struct vec v = {.size = sizeof(struct tmpl_cmd)};
	struct token tk;

	if (!pp || parse_decl(ps, pp, context) < 0)
		return -EINVAL;
	for (;;) {
		struct tmpl_cmd *c = vec_add(ps, &v);

		if (!c || parse_cmd(ps, c, end) < 0)
			goto fail;
		next(ps, &tk);
		if (tk.t != T_PIPE)
			break;
	}
	if (tk.t != end) {
		perr(ps, "unexpected %s in %s", tok_desc(&tk), context);
		goto fail;
	}
	/* only the first command may be a plain operand */
	for (size_t i = 1; i < v.n; i++) {
		const struct tmpl_arg *a0 = &((struct tmpl_cmd *)v.items)[i].args[0];

		if (a0->kind == TMPL_ARG_CONST || a0->kind == TMPL_ARG_NIL ||
		    (a0->kind == TMPL_ARG_DOT && !a0->n_fields)) {
			perr(ps, "non executable command in pipeline stage %zu", i + 1);
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

	if (next_nonspace(ps, &tk) < 0)
		return -EINVAL;
	if (tk.t != T_RDELIM)
		return perr(ps, "unexpected %s in %s", tok_desc(&tk), context);
	return 0;
}

/* if / with / range: pipeline, body, else branches, end. */
static int parse_control(struct parser *ps, struct tmpl_node *n, const char *context)
{
	size_t mark = ps->n_vars;
	enum stop stop;

	if (++ps->depth > TEMPLATE_MAX_DEPTH)
		return perr(ps, "nesting too deep");
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

		if (next_nonspace(ps, &tk) < 0)
			return -EINVAL;
		if (!(tk.t == T_KEYWORD && ((streq(tk.str, "if") && n->kind == TMPL_NODE_IF) ||
					    (streq(tk.str, "with") && n->kind == TMPL_NODE_WITH))))
			return perr(ps, "unexpected %s in else", tok_desc(&tk));
		n->else_body = alloc(ps, sizeof(*n->else_body));
		if (!n->else_body)
			return -EINVAL;
		n->else_body->kind = n->kind;
		n->else_body->line = line_of(ps, tk.start);
		if (parse_control(ps, n->else_body, context) < 0)
			return -EINVAL;
		ps->n_vars = mark;
		ps->depth--;
		return 0;
	}
	if (stop == STOP_ELSE && parse_list(ps, &n->else_body, &stop) < 0)
		return -EINVAL;
	if (stop == STOP_ELSE || stop == STOP_ELSE_KW)
		return perr(ps, "expected end; found {{else}}");
	if (stop == STOP_DEFINE)
		return perr(ps, "unexpected <define> in %s", context);
	if (stop != STOP_END)
		return perr(ps, "unexpected EOF");
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
			return perr(ps, "template: multiple definition of template \"%s\"", name);
		if (root)
			t->defs[i].root = root;
		return 0;
	}
	d = alloc(ps, (t->n_defs + 1) * sizeof(*d));
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
		return perr(ps, "nesting too deep");
	r = parse_list(ps, &root, &stop);
	ps->depth--;
	ps->n_vars = ps->var_base;
	ps->var_base = saved_base;
	ps->range_depth = saved_range;
	if (r < 0)
		return r;
	if (stop != STOP_END)
		return perr(ps, stop == STOP_EOF ? "unexpected EOF" : "unexpected {{else}} in %s",
			    context);

	return add_define(ps, name, root);
}

static int template_name(struct parser *ps, const char *context, const char **ret)
{
	struct token tk;

	if (next_nonspace(ps, &tk) < 0)
		return -EINVAL;
	if (tk.t != T_STRING || tk.is_char)
		return perr(ps, "unexpected %s in %s clause", tok_desc(&tk), context);
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
		if (peek_nonspace(ps, &tk) < 0)
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
			return perr(ps, "{{%s}} outside {{range}}", kw);
		n->kind = streq(kw, "break") ? TMPL_NODE_BREAK : TMPL_NODE_CONTINUE;
		return expect_rdelim(ps, kw);
	}
	if (streq(kw, "template") || streq(kw, "block")) {
		struct token tk;

		n->kind = TMPL_NODE_TEMPLATE;
		if (template_name(ps, kw, &n->text) < 0 || peek_nonspace(ps, &tk) < 0)
			return -EINVAL;
		if (tk.t != T_RDELIM) {
			if (parse_pipe(ps, &n->pipe, kw, T_RDELIM) < 0)
				return -EINVAL;
		} else {
			next(ps, &tk);
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
	return perr(ps, "unexpected %s", kw);
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
			n = alloc(ps, sizeof(*n));
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
				return perr(ps, "unclosed comment");
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
			return perr(ps, "comment ends before closing delimiter");
		}
		n = alloc(ps, sizeof(*n));
		if (!n || peek_nonspace(ps, &tk) < 0)
			return -EINVAL;
		n->line = line_of(ps, tk.start);
		n->col = col_of(ps, tk.start);
		if (tk.t == T_KEYWORD) {
			next(ps, &tk);
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

int nfd__template_parse(struct nfd_arena *a, const char *src, const struct nfd_template **ret,
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
	t = nfd__arena_alloc(a, sizeof(*t));
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
			r = perr(&ps, "unexpected {{%s}}", stop == STOP_END ? "end" : "else");
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
