/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sprig v3.3.0's string functions (Masterminds/sprig strings.go and the
 * goutils/xstrings helpers it calls), with Sprig's argument order: the
 * string operated on comes last so that it can be piped.  Case mapping is
 * ASCII's; other characters are kept as they are (doc/templates.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/util.h"

static int substring(struct tmpl_exec *x, const char *s, size_t from, size_t to,
		     struct tmpl_val *ret)
{
	const char *r = arena_strndup(x->a, s + from, to - from);

	if (!r)
		return nfd__tmpl_err(x, "out of memory");
	*ret = nfd__tmpl_str(r);
	return 0;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char to_upper(char c)
{
	return is_lower(c) ? (char)(c - 32) : c;
}

static char to_lower(char c)
{
	return is_upper(c) ? (char)(c + 32) : c;
}

TMPL_FN(fn_hello)
{
	(void)x, (void)a, (void)n;
	*ret = nfd__tmpl_str("Hello!");
	return 0;
}

static int map_chars(struct tmpl_exec *x, const struct tmpl_val *a, char (*f)(char),
		     struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	for (; *s; s++)
		strbuf_putc(&sb, f(*s));
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN_CALL(fn_upper, map_chars(x, a, to_upper, ret))

TMPL_FN_CALL(fn_lower, map_chars(x, a, to_lower, ret))

/* strings.Title: upper-case letters that follow a separator */
TMPL_FN(fn_title)
{
	struct strbuf sb = STRBUF_INIT;
	char prev = ' ';
	TMPL_WANT_STR(0, s);

	(void)n;
	for (; *s; s++) {
		bool sep = !((unsigned char)prev >= 0x80 || is_upper(prev) || is_lower(prev) ||
			     is_digit(prev) || prev == '_');

		strbuf_putc(&sb, sep ? to_upper(*s) : *s);
		prev = *s;
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

/* goutils.Uncapitalize: lower-case the first letter of each word */
TMPL_FN(fn_untitle)
{
	struct strbuf sb = STRBUF_INIT;
	bool start = true;
	TMPL_WANT_STR(0, s);

	(void)n;
	for (; *s; s++) {
		strbuf_putc(&sb, start ? to_lower(*s) : *s);
		start = is_space(*s);
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_swapcase)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	(void)n;
	for (; *s; s++)
		strbuf_putc(&sb, is_upper(*s) ? to_lower(*s) : to_upper(*s));
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_initials)
{
	struct strbuf sb = STRBUF_INIT;
	bool start = true;
	TMPL_WANT_STR(0, s);

	(void)n;
	for (; *s; s++) {
		if (is_space(*s)) {
			start = true;
			continue;
		}
		if (start) {
			uint32_t c;
			size_t l = utf8_decode(s, strlen(s), &c);

			strbuf_append(&sb, s, l ? l : 1);
		}
		start = false;
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_nospace)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	(void)n;
	for (; *s; s++)
		if (!is_space(*s))
			strbuf_putc(&sb, *s);
	return nfd__tmpl_take_str(x, &sb, ret);
}

/* Words of an identifier, as xstrings' case conversions see them. */
static void case_words(struct strbuf *sb, const char *s, char sep)
{
	size_t len = strlen(s);
	bool need_sep = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i], p = i ? s[i - 1] : 0, nx = s[i + 1];

		if (!(is_upper(c) || is_lower(c) || is_digit(c))) {
			need_sep = sb->len > 0;
			continue;
		}
		if (i && sb->len && !need_sep &&
		    ((is_upper(c) && (is_lower(p) || is_digit(p))) ||
		     (is_upper(c) && is_upper(p) && is_lower(nx)) ||
		     (is_digit(c) && (is_upper(p) || is_lower(p)) && !is_digit(p) && i >= 2 &&
		      is_lower(p) && is_lower(s[i - 2]))))
			need_sep = true;
		if (need_sep)
			strbuf_putc(sb, sep);
		need_sep = false;
		strbuf_putc(sb, to_lower(c));
	}
}

TMPL_FN(fn_snakecase)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	(void)n;
	case_words(&sb, s, '_');
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_kebabcase)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	(void)n;
	case_words(&sb, s, '-');
	return nfd__tmpl_take_str(x, &sb, ret);
}

/* xstrings.ToCamelCase: words joined, each capitalised, at '_' */
TMPL_FN(fn_camelcase)
{
	struct strbuf sb = STRBUF_INIT;
	bool up = true;
	size_t len;
	TMPL_WANT_STR(0, s);

	(void)n;
	len = strlen(s);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_' && i + 1 < len && s[i + 1] != '_' && i > 0) {
			up = true;
			continue;
		}
		if (s[i] == '_' && i + 1 < len && s[i + 1] == '_')
			continue;
		strbuf_putc(&sb, up ? to_upper(s[i]) : s[i]);
		up = false;
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_substr)
{
	size_t len;
	TMPL_WANT_INT(0, start);
	TMPL_WANT_INT(1, end);
	TMPL_WANT_STR(2, s);

	(void)n;
	len = strlen(s);
	if (start < 0)
		start = 0, end = end < 0 || (uint64_t)end > len ? (int64_t)len : end;
	else if (end < 0 || (uint64_t)end > len)
		end = (int64_t)len;
	if ((uint64_t)start > len || start > end)
		return nfd__tmpl_err(x, "slice bounds out of range [%lld:%lld]", (long long)start,
				     (long long)end);
	return substring(x, s, (size_t)start, (size_t)end, ret);
}

TMPL_FN(fn_trunc)
{
	int64_t len;
	TMPL_WANT_INT(0, c);
	TMPL_WANT_STR(1, s);

	(void)n;
	len = (int64_t)strlen(s);
	if (c < 0 && len + c > 0)
		return substring(x, s, (size_t)(len + c), (size_t)len, ret);
	if (c >= 0 && len > c)
		return substring(x, s, 0, (size_t)c, ret);
	*ret = nfd__tmpl_str(s);
	return 0;
}

static int abbreviate(struct tmpl_exec *x, const char *s, int64_t offset, int64_t width,
		      struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t len = (int64_t)strlen(s);

	if (!*s || width < 4 || len <= width) {
		*ret = nfd__tmpl_str(s);
		return 0;
	}
	if (offset > len)
		offset = len;
	if (len - offset < width - 3)
		offset = len - (width - 3);
	if (offset <= 4) {
		strbuf_append(&sb, s, (size_t)(width - 3));
		strbuf_puts(&sb, "...");
	} else if (width < 7) {
		*ret = nfd__tmpl_str(s);
		return 0;
	} else if (offset + width - 3 < len) {
		/* "..." + Abbreviate(s[offset:], width-3) */
		const char *rest = s + offset;
		int64_t rl = len - offset, w = width - 3;

		strbuf_puts(&sb, "...");
		if (w < 4 || rl <= w) {
			strbuf_puts(&sb, rest);
		} else {
			strbuf_append(&sb, rest, (size_t)(w - 3));
			strbuf_puts(&sb, "...");
		}
	} else {
		strbuf_puts(&sb, "...");
		strbuf_puts(&sb, s + len - (width - 3));
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_abbrev)
{
	TMPL_WANT_INT(0, width);
	TMPL_WANT_STR(1, s);

	(void)n;
	return abbreviate(x, s, 0, width, ret);
}

TMPL_FN(fn_abbrevboth)
{
	TMPL_WANT_INT(0, left);
	TMPL_WANT_INT(1, right);
	TMPL_WANT_STR(2, s);

	(void)n;
	if (right < 4 || (left > 0 && right < 7)) {
		*ret = nfd__tmpl_str(s);
		return 0;
	}
	return abbreviate(x, s, left, right, ret);
}

static int trim_set(struct tmpl_exec *x, const char *s, const char *set, struct tmpl_val *ret)
{
	const char *b = s, *e = s + strlen(s);

	while (*b && strchr(set, *b))
		b++;
	while (e > b && strchr(set, e[-1]))
		e--;
	return substring(x, s, (size_t)(b - s), (size_t)(e - s), ret);
}

TMPL_FN(fn_trim)
{
	TMPL_WANT_STR(0, s);

	(void)n;
	return trim_set(x, s, " \t\n\r\v\f", ret);
}

TMPL_FN(fn_trimall)
{
	TMPL_WANT_STR(0, set);
	TMPL_WANT_STR(1, s);

	(void)n;
	return trim_set(x, s, set, ret);
}

TMPL_FN(fn_trimprefix)
{
	TMPL_WANT_STR(0, p);
	TMPL_WANT_STR(1, s);

	(void)n;
	*ret = nfd__tmpl_str(strstartswith(s, p) ? s + strlen(p) : s);
	return 0;
}

TMPL_FN(fn_trimsuffix)
{
	size_t ls, lp;
	TMPL_WANT_STR(0, p);
	TMPL_WANT_STR(1, s);

	(void)n;
	ls = strlen(s), lp = strlen(p);
	if (ls >= lp && streq(s + ls - lp, p))
		return substring(x, s, 0, ls - lp, ret);
	*ret = nfd__tmpl_str(s);
	return 0;
}

TMPL_FN(fn_contains)
{
	TMPL_WANT_STR(0, sub);
	TMPL_WANT_STR(1, s);

	(void)n;
	*ret = nfd__tmpl_bool(strstr(s, sub) != NULL);
	return 0;
}

TMPL_FN(fn_hasprefix)
{
	TMPL_WANT_STR(0, p);
	TMPL_WANT_STR(1, s);

	(void)n;
	*ret = nfd__tmpl_bool(strstartswith(s, p));
	return 0;
}

TMPL_FN(fn_hassuffix)
{
	size_t ls, lp;
	TMPL_WANT_STR(0, p);
	TMPL_WANT_STR(1, s);

	(void)n;
	ls = strlen(s), lp = strlen(p);
	*ret = nfd__tmpl_bool(ls >= lp && streq(s + ls - lp, p));
	return 0;
}

static int quote_all(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, char q,
		     struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		const char *s;

		if (a[i].k == TMPL_NIL)
			continue;
		s = nfd__tmpl_strval(x, &a[i]);
		if (!first)
			strbuf_putc(&sb, ' ');
		first = false;
		if (q == '"') {
			nfd__go_quote(&sb, s);
		} else if (q == '\'') {
			strbuf_putc(&sb, '\'');
			strbuf_puts(&sb, s);
			strbuf_putc(&sb, '\'');
		} else {
			strbuf_puts(&sb, s);
		}
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_quote)
{
	return quote_all(x, a, n, '"', ret);
}

TMPL_FN(fn_squote)
{
	return quote_all(x, a, n, '\'', ret);
}

TMPL_FN(fn_cat)
{
	return quote_all(x, a, n, 0, ret);
}

static int indent_str(struct tmpl_exec *x, const struct tmpl_val *a, bool nl, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_INT(0, spaces);
	TMPL_WANT_STR(1, s);

	if (spaces < 0)
		return nfd__tmpl_err(x, "strings: negative Repeat count");
	if (spaces > TMPL_MAX_OUTPUT)
		return nfd__tmpl_err(x, "a value is larger than %u bytes", TMPL_MAX_OUTPUT);
	if (nl)
		strbuf_putc(&sb, '\n');
	for (int64_t i = 0; i < spaces; i++)
		strbuf_putc(&sb, ' ');
	for (; *s && sb.len <= TMPL_MAX_OUTPUT; s++) {
		strbuf_putc(&sb, *s);
		if (*s == '\n')
			for (int64_t i = 0; i < spaces; i++)
				strbuf_putc(&sb, ' ');
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN_CALL(fn_indent, indent_str(x, a, false, ret))

TMPL_FN_CALL(fn_nindent, indent_str(x, a, true, ret))

/* strings.Replace(src, old, new, -1) */
TMPL_FN(fn_replace)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lo;
	TMPL_WANT_STR(0, old);
	TMPL_WANT_STR(1, new);
	TMPL_WANT_STR(2, s);

	(void)n;
	lo = strlen(old);
	if (!lo) { /* new before every rune and at the end */
		strbuf_puts(&sb, new);
		for (size_t i = 0, len = strlen(s); i < len && sb.len <= TMPL_MAX_OUTPUT;) {
			uint32_t c;
			size_t l = utf8_decode(s + i, len - i, &c);

			l = l ? l : 1;
			strbuf_append(&sb, s + i, l);
			strbuf_puts(&sb, new);
			i += l;
		}
		return nfd__tmpl_take_str(x, &sb, ret);
	}
	for (const char *p = s; *p && sb.len <= TMPL_MAX_OUTPUT;) {
		if (strncmp(p, old, lo) == 0) {
			strbuf_puts(&sb, new);
			p += lo;
		} else {
			strbuf_putc(&sb, *p++);
		}
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_plural)
{
	TMPL_WANT_STR(0, one);
	TMPL_WANT_STR(1, many);
	TMPL_WANT_INT(2, count);

	(void)n;
	*ret = nfd__tmpl_str(count == 1 ? one : many);
	return 0;
}

TMPL_FN(fn_repeat)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_INT(0, count);
	TMPL_WANT_STR(1, s);

	(void)n;
	if (count < 0)
		return nfd__tmpl_err(x, "strings: negative Repeat count");
	if (*s && (uint64_t)count > TMPL_MAX_OUTPUT / strlen(s))
		return nfd__tmpl_err(x, "a value is larger than %u bytes", TMPL_MAX_OUTPUT);
	for (int64_t i = 0; *s && i < count; i++)
		strbuf_puts(&sb, s);
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_tostring)
{
	(void)n;
	*ret = nfd__tmpl_str(nfd__tmpl_strval(x, &a[0]));
	return x->err ? -EINVAL : 0;
}

/* goutils.WrapCustom */
static int wrap(struct tmpl_exec *x, const char *s, int64_t width, const char *nl, bool long_words,
		struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s), off = 0, w;

	if (!*s) {
		*ret = nfd__tmpl_str("");
		return 0;
	}
	if (!*nl)
		nl = "\n";
	w = width < 1 ? 1 : (size_t)width;
	while (len - off > w) {
		size_t end = w + off + 1 < len ? w + off + 1 : len;
		const char *sp = NULL;

		if (s[off] == ' ') {
			off++;
			continue;
		}
		for (size_t i = off; i < end; i++)
			if (s[i] == ' ')
				sp = s + i;
		if (sp) {
			strbuf_append(&sb, s + off, (size_t)(sp - (s + off)));
			strbuf_puts(&sb, nl);
			off = (size_t)(sp - s) + 1;
		} else if (long_words) {
			strbuf_append(&sb, s + off, w);
			strbuf_puts(&sb, nl);
			off += w;
		} else {
			const char *next = strchr(s + off + w, ' ');

			if (!next) {
				strbuf_puts(&sb, s + off);
				off = len;
			} else {
				strbuf_append(&sb, s + off, (size_t)(next - (s + off)));
				strbuf_puts(&sb, nl);
				off = (size_t)(next - s) + 1;
			}
		}
	}
	strbuf_puts(&sb, s + off);
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_wrap)
{
	TMPL_WANT_INT(0, w);
	TMPL_WANT_STR(1, s);

	(void)n;
	return wrap(x, s, w, "", false, ret);
}

TMPL_FN(fn_wrapwith)
{
	TMPL_WANT_INT(0, w);
	TMPL_WANT_STR(1, sep);
	TMPL_WANT_STR(2, s);

	(void)n;
	return wrap(x, s, w, sep, true, ret);
}

/* strings.SplitN(s, sep, max): max < 0 all */
static int split(struct tmpl_exec *x, const char *s, const char *sep, int64_t max,
		 const char ***ret, size_t *ret_n)
{
	size_t cap = 8, k = 0, ls = strlen(sep);
	const char **parts = malloc(cap * sizeof(*parts));
	const char *p = s;

	if (!parts)
		return nfd__tmpl_err(x, "out of memory");
	if (max == 0) {
		*ret = parts;
		*ret_n = 0;
		return 0;
	}
	for (;;) {
		const char *q = NULL;
		size_t step = ls;

		if (k + 1 >= cap) {
			const char **np = realloc(parts, (cap *= 2) * sizeof(*parts));

			if (!np) {
				free(parts);
				return nfd__tmpl_err(x, "out of memory");
			}
			parts = np;
		}
		if (max < 0 || (int64_t)k + 1 < max) {
			if (ls) {
				q = strstr(p, sep);
			} else if (*p) { /* "" splits into runes */
				uint32_t c;
				size_t l = utf8_decode(p, strlen(p), &c);

				q = p + (l ? l : 1);
				step = 0;
				if (!*q) {
					q = NULL;
				}
			}
		}
		if (!q) {
			parts[k++] = arena_strdup(x->a, p);
			break;
		}
		parts[k++] = arena_strndup(x->a, p, (size_t)(q - p));
		p = q + step;
		if (nfd__tmpl_charge(x, 1) < 0) {
			free(parts);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < k; i++)
		if (!parts[i]) {
			free(parts);
			return nfd__tmpl_err(x, "out of memory");
		}
	*ret = parts;
	*ret_n = k;
	return 0;
}

TMPL_FN(fn_splitlist)
{
	const char **parts;
	struct tmpl_list *l;
	size_t k;
	TMPL_WANT_STR(0, sep);
	TMPL_WANT_STR(1, s);

	(void)n;
	if (split(x, s, sep, -1, &parts, &k) < 0)
		return -EINVAL;
	l = nfd__tmpl_list_new(x, k);
	for (size_t i = 0; l && i < k; i++)
		l->items[i] = nfd__tmpl_str(parts[i]);
	free(parts);
	if (!l)
		return -EINVAL;
	*ret = (struct tmpl_val){.k = TMPL_LIST, .sub = TMPL_SUB_STRINGS, .l = l};
	return 0;
}

static int split_map(struct tmpl_exec *x, const char *s, const char *sep, int64_t max,
		     struct tmpl_val *ret)
{
	const char **parts, **keys;
	struct tmpl_val *vals;
	size_t k;
	int r;

	if (split(x, s, sep, max, &parts, &k) < 0)
		return -EINVAL;
	keys = nfd__tmpl_alloc(x, (k + 1) * sizeof(*keys));
	vals = nfd__tmpl_alloc(x, (k + 1) * sizeof(*vals));
	for (size_t i = 0; keys && vals && i < k; i++) {
		char key[32];

		snprintf(key, sizeof(key), "_%zu", i);
		keys[i] = arena_strdup(x->a, key);
		vals[i] = nfd__tmpl_str(parts[i]);
		if (!keys[i])
			keys = NULL;
	}
	free(parts);
	if (!keys || !vals)
		return nfd__tmpl_err(x, "out of memory");
	r = nfd__tmpl_map_from(x, keys, vals, k, ret);
	if (r >= 0)
		((struct tmpl_map *)ret->m)->elem = true; /* map[string]string */
	return r;
}

TMPL_FN(fn_split)
{
	TMPL_WANT_STR(0, sep);
	TMPL_WANT_STR(1, s);

	(void)n;
	return split_map(x, s, sep, -1, ret);
}

TMPL_FN(fn_splitn)
{
	TMPL_WANT_STR(0, sep);
	TMPL_WANT_INT(1, max);
	TMPL_WANT_STR(2, s);

	(void)n;
	return split_map(x, s, sep, max, ret);
}

TMPL_FN(fn_join)
{
	struct strbuf sb = STRBUF_INIT;
	const char **s;
	size_t k;
	TMPL_WANT_STR(0, sep);

	(void)n;
	if (nfd__tmpl_strslice(x, &a[1], &s, &k) < 0)
		return -EINVAL;
	for (size_t i = 0; i < k; i++) {
		if (i)
			strbuf_puts(&sb, sep);
		strbuf_puts(&sb, s[i]);
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

const struct tmpl_func nfd__tmpl_sprig_str_funcs[] = {
	{"hello", fn_hello, 0, 0},
	{"upper", fn_upper, 1, 1},
	{"lower", fn_lower, 1, 1},
	{"title", fn_title, 1, 1},
	{"untitle", fn_untitle, 1, 1},
	{"swapcase", fn_swapcase, 1, 1},
	{"initials", fn_initials, 1, 1},
	{"nospace", fn_nospace, 1, 1},
	{"snakecase", fn_snakecase, 1, 1},
	{"camelcase", fn_camelcase, 1, 1},
	{"kebabcase", fn_kebabcase, 1, 1},
	{"substr", fn_substr, 3, 3},
	{"trunc", fn_trunc, 2, 2},
	{"abbrev", fn_abbrev, 2, 2},
	{"abbrevboth", fn_abbrevboth, 3, 3},
	{"trim", fn_trim, 1, 1},
	{"trimAll", fn_trimall, 2, 2},
	{"trimall", fn_trimall, 2, 2},
	{"trimPrefix", fn_trimprefix, 2, 2},
	{"trimSuffix", fn_trimsuffix, 2, 2},
	{"contains", fn_contains, 2, 2},
	{"hasPrefix", fn_hasprefix, 2, 2},
	{"hasSuffix", fn_hassuffix, 2, 2},
	{"quote", fn_quote, 0, -1},
	{"squote", fn_squote, 0, -1},
	{"cat", fn_cat, 0, -1},
	{"indent", fn_indent, 2, 2},
	{"nindent", fn_nindent, 2, 2},
	{"replace", fn_replace, 3, 3},
	{"plural", fn_plural, 3, 3},
	{"repeat", fn_repeat, 2, 2},
	{"toString", fn_tostring, 1, 1},
	{"wrap", fn_wrap, 2, 2},
	{"wrapWith", fn_wrapwith, 3, 3},
	{"split", fn_split, 2, 2},
	{"splitList", fn_splitlist, 2, 2},
	{"splitn", fn_splitn, 3, 3},
	{"join", fn_join, 2, 2},
	{NULL, NULL, 0, 0},
};
