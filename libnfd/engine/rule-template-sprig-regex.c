/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sprig v3.3.0's path functions (Go's path package) and regular
 * expressions (Masterminds/sprig regex.go): RE2 syntax, as Go's regexp,
 * through the engine's regex.c, with Go's rules for successive matches
 * and for $1 / ${1} in replacements.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/util.h"

/* ------------------------------------------------------------------ paths */

/* path.Clean */
static const char *clean(struct tmpl_exec *x, const char *p)
{
	struct strbuf sb = STRBUF_INIT;
	bool rooted = *p == '/';
	size_t dotdot = rooted ? 1 : 0;

	if (!*p)
		return ".";
	if (rooted)
		strbuf_putc(&sb, '/');
	for (const char *s = p; *s;) {
		const char *e = strchrnul(s, '/');
		size_t l = (size_t)(e - s);

		if (l == 0 || (l == 1 && s[0] == '.')) {
			/* skip */
		} else if (l == 2 && s[0] == '.' && s[1] == '.') {
			if (sb.len > dotdot) {
				size_t k = sb.len - 1;

				while (k > dotdot && sb.buf[k] != '/')
					k--;
				strbuf_truncate(&sb, k);
			} else if (!rooted) {
				if (sb.len)
					strbuf_putc(&sb, '/');
				strbuf_puts(&sb, "..");
				dotdot = sb.len;
			}
		} else {
			if ((rooted && sb.len != 1) || (!rooted && sb.len))
				strbuf_putc(&sb, '/');
			strbuf_append(&sb, s, l);
		}
		s = *e ? e + 1 : e;
	}
	if (!sb.len)
		strbuf_putc(&sb, '.');
	return nfd__tmpl_take(x, &sb);
}

TMPL_FN(fn_clean)
{
	const char *r;
	TMPL_WANT_STR(0, p);

	(void)n;
	r = clean(x, p);
	if (!r)
		return -EINVAL;
	*ret = nfd__tmpl_str(r);
	return 0;
}

TMPL_FN(fn_base)
{
	const char *e, *s;
	size_t len;
	TMPL_WANT_STR(0, p);

	(void)n;
	if (!*p) {
		*ret = nfd__tmpl_str(".");
		return 0;
	}
	len = strlen(p);
	while (len > 1 && p[len - 1] == '/')
		len--;
	e = p + len;
	s = e;
	while (s > p && s[-1] != '/')
		s--;
	if (s == e) {
		*ret = nfd__tmpl_str("/");
		return 0;
	}
	*ret = nfd__tmpl_str(arena_strndup(x->a, s, (size_t)(e - s)));
	return ret->s ? 0 : nfd__tmpl_err(x, "out of memory");
}

TMPL_FN(fn_dir)
{
	const char *slash, *r;
	char *d;
	TMPL_WANT_STR(0, p);

	(void)n;
	slash = strrchr(p, '/');
	d = arena_strndup(x->a, p, slash ? (size_t)(slash - p + 1) : 0);
	if (!d)
		return nfd__tmpl_err(x, "out of memory");
	r = clean(x, d);
	if (!r)
		return -EINVAL;
	*ret = nfd__tmpl_str(r);
	return 0;
}

TMPL_FN(fn_ext)
{
	TMPL_WANT_STR(0, p);

	(void)n;
	for (const char *e = p + strlen(p); e > p && e[-1] != '/'; e--)
		if (e[-1] == '.') {
			*ret = nfd__tmpl_str(e - 1);
			return 0;
		}
	*ret = nfd__tmpl_str("");
	return 0;
}

TMPL_FN(fn_isabs)
{
	TMPL_WANT_STR(0, p);

	(void)n;
	*ret = nfd__tmpl_bool(*p == '/');
	return 0;
}

/* ---------------------------------------------------------------- regexes */

static int compile(struct tmpl_exec *x, const char *pattern, bool quiet, struct nfd_regex **ret)
{
	char *msg = NULL;
	int r = nfd__regex_compile(pattern, ret, &msg);

	if (r < 0) {
		if (!quiet || r == -ENOMEM || r == -ENOTSUP)
			nfd__tmpl_err(x, "error parsing regexp: %s", msg ? msg : "out of memory");
		free(msg);
		return r;
	}
	return 0;
}

/* Go's regexp "All" iteration: successive non-overlapping matches, an
 * empty match right after the previous one skipped.  Calls f per match. */
typedef int (*match_fn)(struct tmpl_exec *x, const char *s, const size_t *ov, size_t pairs,
			void *ud);

static int each_match(struct tmpl_exec *x, const struct nfd_regex *re, const char *s, int64_t max,
		      match_fn f, void *ud)
{
	size_t len = strlen(s), pos = 0, prev_end = SIZE_MAX, ov[20], pairs;
	int64_t count = 0;

	while (pos <= len && (max < 0 || count < max)) {
		uint64_t cost = 0;
		int r = nfd__regex_search(re, s, len, pos, ov, 10, &pairs, &cost);

		if (r >= 0 && nfd__tmpl_charge(x, cost) < 0)
			break;
		if (r < 0)
			return nfd__tmpl_err(x, r == -ENOMEM ? "out of memory"
							     : "regular expression too costly");
		if (r == 0 || nfd__tmpl_charge(x, 1) < 0)
			break;
		if (ov[1] == ov[0] && ov[0] == prev_end) {
			/* empty match abutting the previous one: step one rune */
			uint32_t c;
			size_t l = pos < len ? utf8_decode(s + pos, len - pos, &c) : 1;

			pos += l ? l : 1;
			continue;
		}
		if (f(x, s, ov, pairs, ud) < 0)
			return -EINVAL;
		count++;
		prev_end = ov[1];
		if (ov[1] > ov[0]) {
			pos = ov[1];
		} else {
			uint32_t c;
			size_t l = pos < len ? utf8_decode(s + ov[1], len - ov[1], &c) : 1;

			pos = ov[1] + (l ? l : 1);
		}
	}
	return x->err ? -EINVAL : 0;
}

struct collect {
	struct tmpl_val *items;
	size_t n, cap;
	size_t last; /* regexSplit: end of the previous match */
};

static int add_item(struct tmpl_exec *x, struct collect *c, const char *s, size_t from, size_t to)
{
	const char *part = arena_strndup(x->a, s + from, to - from);

	if (!part)
		return nfd__tmpl_err(x, "out of memory");
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct tmpl_val *p = nfd__tmpl_alloc(x, cap * sizeof(*p));

		if (!p)
			return -EINVAL;
		if (c->n)
			memcpy(p, c->items, c->n * sizeof(*p));
		c->items = p;
		c->cap = cap;
	}
	c->items[c->n++] = nfd__tmpl_str(part);
	return 0;
}

static int collect_match(struct tmpl_exec *x, const char *s, const size_t *ov, size_t pairs,
			 void *ud)
{
	(void)pairs;
	return add_item(x, ud, s, ov[0], ov[1]);
}

static int collect_split(struct tmpl_exec *x, const char *s, const size_t *ov, size_t pairs,
			 void *ud)
{
	struct collect *c = ud;
	int r;

	(void)pairs;
	if (ov[1] == 0 && ov[0] == 0)
		return 0; /* an empty match at the start splits nothing */
	r = add_item(x, c, s, c->last, ov[0]);
	c->last = ov[1];
	return r;
}

static int strings_val(struct tmpl_exec *x, struct collect *c, struct tmpl_val *ret)
{
	struct tmpl_list *l = nfd__tmpl_alloc(x, sizeof(*l));

	if (!l)
		return -EINVAL;
	l->items = c->items;
	l->n = c->n;
	*ret = (struct tmpl_val){.k = TMPL_LIST, .sub = TMPL_SUB_STRINGS, .l = l};
	return 0;
}

static int regex_match(struct tmpl_exec *x, const struct tmpl_val *a, bool must,
		       struct tmpl_val *ret)
{
	struct nfd_regex *re;
	size_t ov[2], pairs;
	uint64_t cost = 0;
	int r;
	TMPL_WANT_STR(0, pattern);
	TMPL_WANT_STR(1, s);

	if (compile(x, pattern, !must, &re) < 0) {
		if (x->err)
			return -EINVAL;
		*ret = nfd__tmpl_bool(false);
		return 0;
	}
	r = nfd__regex_search(re, s, strlen(s), 0, ov, 1, &pairs, &cost);
	nfd__regex_free(re);
	if (r >= 0 && nfd__tmpl_charge(x, cost) < 0)
		return -EINVAL;
	if (r < 0)
		return nfd__tmpl_err(x, "regular expression too costly");
	*ret = nfd__tmpl_bool(r == 1);
	return 0;
}

TMPL_FN_CALL(fn_regexmatch, regex_match(x, a, false, ret))

TMPL_FN_CALL(fn_mustregexmatch, regex_match(x, a, true, ret))

static int regex_all(struct tmpl_exec *x, const struct tmpl_val *a, bool split,
		     struct tmpl_val *ret)
{
	struct collect c = {0};
	struct nfd_regex *re;
	int64_t max;
	int r;
	TMPL_WANT_STR(0, pattern);
	TMPL_WANT_STR(1, s);

	if (nfd__tmpl_want_int(x, &a[2], &max) < 0 || compile(x, pattern, false, &re) < 0)
		return -EINVAL;
	if (split && max == 0) {
		nfd__regex_free(re);
		*ret = (struct tmpl_val){.k = TMPL_LIST, .sub = TMPL_SUB_STRINGS};
		return 0;
	}
	if (split && !*pattern && *s) {
		/* Go: an empty pattern splits into runes */
	}
	r = each_match(x, re, s, split && max > 0 ? max - 1 : max,
		       split ? collect_split : collect_match, &c);
	nfd__regex_free(re);
	if (r < 0)
		return -EINVAL;
	if (split && add_item(x, &c, s, c.last, strlen(s)) < 0)
		return -EINVAL;
	return strings_val(x, &c, ret);
}

TMPL_FN_CALL(fn_regexfindall, regex_all(x, a, false, ret))

TMPL_FN_CALL(fn_regexsplit, regex_all(x, a, true, ret))

TMPL_FN(fn_regexfind)
{
	struct nfd_regex *re;
	size_t ov[2], pairs;
	uint64_t cost = 0;
	int r;
	TMPL_WANT_STR(0, pattern);
	TMPL_WANT_STR(1, s);

	(void)n;
	if (compile(x, pattern, false, &re) < 0)
		return -EINVAL;
	r = nfd__regex_search(re, s, strlen(s), 0, ov, 1, &pairs, &cost);
	nfd__regex_free(re);
	if (r >= 0 && nfd__tmpl_charge(x, cost) < 0)
		return -EINVAL;
	if (r < 0)
		return nfd__tmpl_err(x, "regular expression too costly");
	if (r == 0) {
		*ret = nfd__tmpl_str("");
		return 0;
	}
	*ret = nfd__tmpl_str(arena_strndup(x->a, s + ov[0], ov[1] - ov[0]));
	return ret->s ? 0 : nfd__tmpl_err(x, "out of memory");
}

struct replace {
	struct strbuf sb;
	const char *repl;
	bool literal;
	size_t last;
};

/* Go's Regexp.Expand: $1, ${1}, $$; names (unsupported groups) expand to "" */
static int replace_match(struct tmpl_exec *x, const char *s, const size_t *ov, size_t pairs,
			 void *ud)
{
	struct replace *rp = ud;

	(void)x;
	strbuf_append(&rp->sb, s + rp->last, ov[0] - rp->last);
	rp->last = ov[1];
	if (rp->literal) {
		strbuf_puts(&rp->sb, rp->repl);
		return 0;
	}
	for (const char *p = rp->repl; *p; p++) {
		const char *name, *end;
		size_t nl;
		bool brace;

		if (*p != '$') {
			strbuf_putc(&rp->sb, *p);
			continue;
		}
		if (p[1] == '$') {
			strbuf_putc(&rp->sb, '$');
			p++;
			continue;
		}
		brace = p[1] == '{';
		name = p + 1 + brace;
		for (end = name; (*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
				 (*end >= '0' && *end <= '9') || *end == '_';
		     end++)
			;
		nl = (size_t)(end - name);
		if (!nl || (brace && *end != '}')) {
			strbuf_putc(&rp->sb, '$'); /* not a reference: kept */
			continue;
		}
		if (strspn(name, "0123456789") >= nl) {
			size_t g = 0;

			for (size_t i = 0; i < nl && g < 1000; i++)
				g = g * 10 + (size_t)(name[i] - '0');
			if (g < pairs && ov[2 * g] != SIZE_MAX)
				strbuf_append(&rp->sb, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
		}
		p = end - 1 + brace;
	}
	return 0;
}

static int regex_replace(struct tmpl_exec *x, const struct tmpl_val *a, bool literal,
			 struct tmpl_val *ret)
{
	struct replace rp = {.sb = STRBUF_INIT, .literal = literal};
	struct nfd_regex *re;
	int r;
	TMPL_WANT_STR(0, pattern);
	TMPL_WANT_STR(1, s);
	TMPL_WANT_STR(2, repl);

	rp.repl = repl;
	if (compile(x, pattern, false, &re) < 0)
		return -EINVAL;
	r = each_match(x, re, s, -1, replace_match, &rp);
	nfd__regex_free(re);
	if (r < 0) {
		strbuf_release(&rp.sb);
		return -EINVAL;
	}
	strbuf_puts(&rp.sb, s + rp.last);
	return nfd__tmpl_take_str(x, &rp.sb, ret);
}

TMPL_FN_CALL(fn_regexreplaceall, regex_replace(x, a, false, ret))

TMPL_FN_CALL(fn_regexreplaceallliteral, regex_replace(x, a, true, ret))

TMPL_FN(fn_regexquotemeta)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	(void)n;
	for (; *s; s++) {
		if (strchr("\\.+*?()|[]{}^$", *s))
			strbuf_putc(&sb, '\\');
		strbuf_putc(&sb, *s);
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

const struct tmpl_func nfd__tmpl_sprig_regex_funcs[] = {
	{"base", fn_base, 1, 1},
	{"dir", fn_dir, 1, 1},
	{"clean", fn_clean, 1, 1},
	{"ext", fn_ext, 1, 1},
	{"isAbs", fn_isabs, 1, 1},
	{"osBase", fn_base, 1, 1},
	{"osDir", fn_dir, 1, 1},
	{"osClean", fn_clean, 1, 1},
	{"osExt", fn_ext, 1, 1},
	{"osIsAbs", fn_isabs, 1, 1},
	{"regexMatch", fn_regexmatch, 2, 2},
	{"mustRegexMatch", fn_mustregexmatch, 2, 2},
	{"regexFindAll", fn_regexfindall, 3, 3},
	{"mustRegexFindAll", fn_regexfindall, 3, 3},
	{"regexFind", fn_regexfind, 2, 2},
	{"mustRegexFind", fn_regexfind, 2, 2},
	{"regexReplaceAll", fn_regexreplaceall, 3, 3},
	{"mustRegexReplaceAll", fn_regexreplaceall, 3, 3},
	{"regexReplaceAllLiteral", fn_regexreplaceallliteral, 3, 3},
	{"mustRegexReplaceAllLiteral", fn_regexreplaceallliteral, 3, 3},
	{"regexSplit", fn_regexsplit, 3, 3},
	{"mustRegexSplit", fn_regexsplit, 3, 3},
	{"regexQuoteMeta", fn_regexquotemeta, 1, 1},
	{NULL, NULL, 0, 0},
};
