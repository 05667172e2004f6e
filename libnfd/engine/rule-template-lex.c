/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The lexer of templates (Go's text/template/parse/lex.go): the tokens
 * inside one action, with Go's string, raw string, character and number
 * syntax, and the right delimiter with its trim marker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template-parse.h"
#include "shared/util.h"

unsigned nfd__tmpl_line_of(struct parser *ps, const char *at)
{
	unsigned line = 1;

	for (const char *q = ps->src; q < at; q++)
		line += *q == '\n';
	return line;
}

unsigned nfd__tmpl_col_of(struct parser *ps, const char *at)
{
	const char *q = at;

	while (q > ps->src && q[-1] != '\n')
		q--;
	return (unsigned)(at - q);
}

int nfd__tmpl_perr(struct parser *ps, const char *fmt, ...)
{
	if (!ps->err) {
		char msg[200], buf[260];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		snprintf(buf, sizeof(buf), "template: :%u: %s", nfd__tmpl_line_of(ps, ps->p), msg);
		ps->err = arena_strdup(ps->a, buf);
		if (!ps->err)
			ps->err = "out of memory";
	}
	return -EINVAL;
}

void *nfd__tmpl_palloc(struct parser *ps, size_t size)
{
	void *p = arena_alloc(ps->a, size ? size : 1);

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
			return nfd__tmpl_perr(ps, "invalid syntax");
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
			return nfd__tmpl_perr(ps, "invalid syntax");
		ps->p--;
		digits = 3;
		base = 8;
		break;
	}
	for (int i = 0; i < digits; i++) {
		int d = hexval(*ps->p);

		if (d < 0 || d >= base)
			return nfd__tmpl_perr(ps, "invalid syntax");
		v = v * (uint32_t)base + (uint32_t)d;
		ps->p++;
	}
	if (c == 'x' || base == 8) {
		if (v > 255)
			return nfd__tmpl_perr(ps, "invalid syntax");
		if (q == '\'')
			put_utf8(sb, v);
		else
			strbuf_putc(sb, (char)v);
	} else {
		if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return nfd__tmpl_perr(ps, "invalid syntax");
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
			return nfd__tmpl_perr(ps, q == '`'   ? "unterminated raw quoted string"
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
		return nfd__tmpl_perr(ps, "out of memory");
	tk->t = T_STRING;
	tk->str = arena_strndup(ps->a, sb.buf, sb.len);
	if (q == '\'') {
		uint32_t cp;

		if (sb.len == 0 || utf8_decode(sb.buf, sb.len, &cp) != sb.len)
			return nfd__tmpl_perr(ps, "malformed character constant: %.*s",
					      (int)(ps->p - tk->start), tk->start);
		tk->is_char = true;
	}
	return tk->str ? 0 : nfd__tmpl_perr(ps, "out of memory");
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
		return nfd__tmpl_perr(ps, "unclosed action");
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
			return nfd__tmpl_perr(ps, "expected :=");
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
		tk->str = arena_strndup(ps->a, p + 1, (size_t)(ps->p - p - 1));
		return tk->str ? 0 : nfd__tmpl_perr(ps, "out of memory");
	default:
		break;
	}
	if (is_digit(*p) || *p == '.' ||
	    ((*p == '-' || *p == '+') && (is_digit(p[1]) || p[1] == '.'))) {
		ps->p = p;
		lex_number(ps);
		if (is_alnum(*ps->p) || *ps->p == '.')
			return nfd__tmpl_perr(ps, "bad number syntax: %.*s", (int)(ps->p - p + 1),
					      p);
		tk->t = T_NUMBER;
		tk->len = (size_t)(ps->p - p);
		return 0;
	}
	if (is_alnum(*p)) {
		while (is_alnum(*ps->p))
			ps->p++;
		tk->str = arena_strndup(ps->a, p, (size_t)(ps->p - p));
		if (!tk->str)
			return nfd__tmpl_perr(ps, "out of memory");
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
		return nfd__tmpl_perr(ps, "unexpected character in command");
	return nfd__tmpl_perr(ps, "unexpected \"%c\" in command", *p);
}

int nfd__tmpl_next(struct parser *ps, struct token *tk)
{
	if (ps->peeked) {
		ps->peeked = false;
		*tk = ps->tok;
		return 0;
	}
	return lex(ps, tk);
}

int nfd__tmpl_peek(struct parser *ps, struct token *tk)
{
	if (!ps->peeked) {
		if (lex(ps, &ps->tok) < 0)
			return -EINVAL;
		ps->peeked = true;
	}
	*tk = ps->tok;
	return 0;
}

int nfd__tmpl_next_nonspace(struct parser *ps, struct token *tk)
{
	do {
		if (nfd__tmpl_next(ps, tk) < 0)
			return -EINVAL;
	} while (tk->t == T_SPACE);
	return 0;
}

int nfd__tmpl_peek_nonspace(struct parser *ps, struct token *tk)
{
	if (nfd__tmpl_next_nonspace(ps, tk) < 0)
		return -EINVAL;
	ps->tok = *tk;
	ps->peeked = true;
	return 0;
}

const char *nfd__tmpl_tok_desc(const struct token *tk)
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
