/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * text/template's own functions (Go's text/template/funcs.go): and, or,
 * not, call, eq, ne, lt, le, gt, ge, index, len, print, printf, println,
 * html, js, urlquery.  slice is Sprig's (rule-template-sprig-list.c), as
 * in NFD, where Sprig's function map replaces Go's.
 */
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/util.h"

/* and/or are evaluated by the executor, which stops at the deciding
 * argument; these run only for a piped call with all values at hand. */
static int fn_and(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	size_t i = 0;

	(void)x;
	while (i + 1 < n && nfd__tmpl_truth(&a[i]))
		i++;
	*ret = a[i];
	return 0;
}

static int fn_or(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	size_t i = 0;

	(void)x;
	while (i + 1 < n && !nfd__tmpl_truth(&a[i]))
		i++;
	*ret = a[i];
	return 0;
}

static int fn_not(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_bool(!nfd__tmpl_truth(&a[0]));
	return 0;
}

static int fn_call(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	(void)n, (void)ret;
	if (a[0].k == TMPL_NIL)
		return nfd__tmpl_err(x, "call of nil");
	return nfd__tmpl_err(x, "non-function of type %s", nfd__tmpl_type_name(&a[0]));
}

static int fn_eq(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	bool b = false;

	if (n < 2)
		return nfd__tmpl_err(x, "missing argument for comparison");
	for (size_t i = 1; i < n && !b; i++)
		if (nfd__tmpl_eq(x, &a[0], &a[i], &b) < 0)
			return -EINVAL;
	*ret = nfd__tmpl_bool(b);
	return 0;
}

static int fn_ne(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	bool b;

	(void)n;
	if (nfd__tmpl_eq(x, &a[0], &a[1], &b) < 0)
		return -EINVAL;
	*ret = nfd__tmpl_bool(!b);
	return 0;
}

static int fn_lt(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	bool b;

	(void)n;
	if (nfd__tmpl_lt(x, &a[0], &a[1], &b) < 0)
		return -EINVAL;
	*ret = nfd__tmpl_bool(b);
	return 0;
}

static int fn_le(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	bool lt, eq = false;

	(void)n;
	if (nfd__tmpl_lt(x, &a[0], &a[1], &lt) < 0 ||
	    (!lt && nfd__tmpl_eq(x, &a[0], &a[1], &eq) < 0))
		return -EINVAL;
	*ret = nfd__tmpl_bool(lt || eq);
	return 0;
}

static int fn_gt(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	if (fn_le(x, a, n, ret) < 0)
		return -EINVAL;
	ret->b = !ret->b;
	return 0;
}

static int fn_ge(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	if (fn_lt(x, a, n, ret) < 0)
		return -EINVAL;
	ret->b = !ret->b;
	return 0;
}

/* The zero value of a map's element type (index on a missing key). */
static struct tmpl_val map_zero(const struct tmpl_map *m)
{
	static const struct tmpl_map nil_list_map = {.zero = TMPL_ZERO_LIST};

	if (m && m->elem)
		return nfd__tmpl_str("");
	if (m && m->zero == TMPL_ZERO_LIST)
		return (struct tmpl_val){.k = TMPL_LIST, .l = NULL};
	if (m && m->zero == TMPL_ZERO_LIST_MAP)
		return (struct tmpl_val){.k = TMPL_MAP, .m = &nil_list_map};
	return (struct tmpl_val){.k = TMPL_NIL};
}

static int fn_index(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	struct tmpl_val v = a[0];

	for (size_t i = 1; i < n; i++) {
		const struct tmpl_val *k = &a[i];

		switch (v.k) {
		case TMPL_NIL:
			return nfd__tmpl_err(x, "index of untyped nil");
		case TMPL_MAP: {
			const struct tmpl_val *f;

			if (k->k == TMPL_NIL)
				return nfd__tmpl_err(x, "value is nil; should be of type string");
			if (k->k != TMPL_STR)
				return nfd__tmpl_err(x, "value has type %s; should be string",
						     nfd__tmpl_type_name(k));
			f = nfd__tmpl_map_get(v.m, k->s);
			v = f ? *f : map_zero(v.m);
			break;
		}
		case TMPL_LIST:
		case TMPL_STR: {
			size_t len = v.k == TMPL_STR ? strlen(v.s) : v.l ? v.l->n : 0;

			if (k->k == TMPL_NIL)
				return nfd__tmpl_err(x, "cannot index slice/array with nil");
			if (k->k != TMPL_INT)
				return nfd__tmpl_err(x, "cannot index slice/array with type %s",
						     nfd__tmpl_type_name(k));
			if (k->i < 0 || (uint64_t)k->i >= len)
				return nfd__tmpl_err(x, "index out of range: %lld",
						     (long long)k->i);
			if (v.k == TMPL_STR)
				v = (struct tmpl_val){.k = TMPL_INT,
						      .sub = TMPL_SUB_UINT8,
						      .i = (unsigned char)v.s[k->i]};
			else
				v = v.l->items[k->i];
			break;
		}
		default:
			return nfd__tmpl_err(x, "can't index item of type %s",
					     nfd__tmpl_type_name(&v));
		}
	}
	*ret = v;
	return 0;
}

static int fn_len(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	(void)n;
	switch (a[0].k) {
	case TMPL_STR:
		*ret = nfd__tmpl_int((int64_t)strlen(a[0].s));
		return 0;
	case TMPL_LIST:
		*ret = nfd__tmpl_int(a[0].l ? (int64_t)a[0].l->n : 0);
		return 0;
	case TMPL_MAP:
		*ret = nfd__tmpl_int(a[0].m ? (int64_t)a[0].m->n : 0);
		return 0;
	case TMPL_NIL:
		return nfd__tmpl_err(x, "len of nil pointer");
	default:
		return nfd__tmpl_err(x, "len of type %s", nfd__tmpl_type_name(&a[0]));
	}
}

/* fmt.Sprint: a space between operands when neither is a string */
static void sprint(struct strbuf *sb, const struct tmpl_val *a, size_t n, bool ln)
{
	for (size_t i = 0; i < n; i++) {
		if (i && (ln || (a[i - 1].k != TMPL_STR && a[i].k != TMPL_STR)))
			strbuf_putc(sb, ' ');
		nfd__tmpl_print(sb, &a[i], false);
	}
	if (ln)
		strbuf_putc(sb, '\n');
}

static int fn_print(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;

	sprint(&sb, a, n, false);
	return nfd__tmpl_take_str(x, &sb, ret);
}

static int fn_println(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;

	sprint(&sb, a, n, true);
	return nfd__tmpl_take_str(x, &sb, ret);
}

static int fn_printf(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	const char *f;

	if (nfd__tmpl_want_str(x, &a[0], &f) < 0)
		return -EINVAL;
	nfd__tmpl_sprintf(&sb, f, a + 1, n - 1);
	return nfd__tmpl_take_str(x, &sb, ret);
}

/* evalArgs: one string as it is, else fmt.Sprint of all */
static const char *eval_args(struct tmpl_exec *x, const struct tmpl_val *a, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	if (n == 1 && a[0].k == TMPL_STR)
		return a[0].s;
	sprint(&sb, a, n, false);
	return nfd__tmpl_take(x, &sb);
}

static int fn_html(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = eval_args(x, a, n);

	if (!s)
		return -EINVAL;
	for (; *s; s++) {
		switch (*s) {
		case '"':
			strbuf_puts(&sb, "&#34;");
			break;
		case '\'':
			strbuf_puts(&sb, "&#39;");
			break;
		case '&':
			strbuf_puts(&sb, "&amp;");
			break;
		case '<':
			strbuf_puts(&sb, "&lt;");
			break;
		case '>':
			strbuf_puts(&sb, "&gt;");
			break;
		case '\0':
			strbuf_puts(&sb, "\xef\xbf\xbd");
			break;
		default:
			strbuf_putc(&sb, *s);
		}
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

static int fn_js(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = eval_args(x, a, n);

	if (!s)
		return -EINVAL;
	for (size_t len = strlen(s), i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t l;

		if (c < 0x80) {
			switch (c) {
			case '\\':
				strbuf_puts(&sb, "\\\\");
				break;
			case '\'':
				strbuf_puts(&sb, "\\'");
				break;
			case '"':
				strbuf_puts(&sb, "\\\"");
				break;
			case '<':
				strbuf_puts(&sb, "\\u003C");
				break;
			case '>':
				strbuf_puts(&sb, "\\u003E");
				break;
			case '&':
				strbuf_puts(&sb, "\\u0026");
				break;
			case '=':
				strbuf_puts(&sb, "\\u003D");
				break;
			default:
				if (c < ' ')
					strbuf_appendf(&sb, "\\u%04X", c);
				else
					strbuf_putc(&sb, (char)c);
			}
			i++;
			continue;
		}
		l = utf8_decode(s + i, len - i, &cp);
		if (!l) {
			strbuf_puts(&sb, "\\uFFFD");
			i++;
			continue;
		}
		/* printable runes as they are (Go's unicode.IsPrint, roughly) */
		if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x80 && cp < 0xa0) || cp == 0xad)
			strbuf_appendf(&sb, "\\u%04X", cp);
		else
			strbuf_append(&sb, s + i, l);
		i += l;
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

static int fn_urlquery(struct tmpl_exec *x, const struct tmpl_val *a, size_t n,
		       struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = eval_args(x, a, n);

	if (!s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			strbuf_putc(&sb, (char)c);
		else if (c == ' ')
			strbuf_putc(&sb, '+');
		else
			strbuf_appendf(&sb, "%%%02X", c);
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

const struct tmpl_func nfd__tmpl_builtin_funcs[] = {
	{"and", fn_and, 1, -1},	    {"or", fn_or, 1, -1},	  {"not", fn_not, 1, 1},
	{"call", fn_call, 1, -1},   {"eq", fn_eq, 1, -1},	  {"ne", fn_ne, 2, 2},
	{"lt", fn_lt, 2, 2},	    {"le", fn_le, 2, 2},	  {"gt", fn_gt, 2, 2},
	{"ge", fn_ge, 2, 2},	    {"index", fn_index, 1, -1},	  {"len", fn_len, 1, 1},
	{"print", fn_print, 0, -1}, {"printf", fn_printf, 1, -1}, {"println", fn_println, 0, -1},
	{"html", fn_html, 0, -1},   {"js", fn_js, 0, -1},	  {"urlquery", fn_urlquery, 0, -1},
	{NULL, NULL, 0, 0},
};
