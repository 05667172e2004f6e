/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sprig's semver and semverCompare (Masterminds/semver v3: version.go,
 * constraints.go): versions parsed coercing ("v1.2" is 1.2.0), pre-release
 * precedence as SemVer 2.0, and constraints with || groups of comma or
 * space separated terms: = != > < >= <= ~ ^, x, X and * wildcards, partial
 * versions and "a - b" ranges.  A pre-release version satisfies only
 * constraints that name a pre-release themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"

struct sv {
	uint64_t v[3];
	char pre[128], meta[128];
	int dirty; /* 0: none; 1: patch is a wildcard or missing; 2: minor; 3: major */
};

static bool ident_chars(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' || s[i] == '.'))
			return false;
	return s[0] != '.' && s[len - 1] != '.' && !strstr(s, "..");
}

/* wild: wildcards allowed (constraints) */
static int parse_sv(const char *s, size_t len, bool wild, struct sv *ret)
{
	size_t i = 0;
	int part = 0;

	memset(ret, 0, sizeof(*ret));
	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	for (part = 0; part < 3; part++) {
		if (part && (i >= len || s[i] != '.'))
			break;
		if (part)
			i++;
		if (wild && i < len && (s[i] == 'x' || s[i] == 'X' || s[i] == '*')) {
			ret->dirty = ret->dirty ? ret->dirty : 3 - part;
			i++;
			continue;
		}
		if (i >= len || s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (ret->dirty)
			return -EINVAL;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (ret->v[part] > UINT64_MAX / 10)
				return -EINVAL;
			ret->v[part] = ret->v[part] * 10 + (uint64_t)(s[i++] - '0');
		}
	}
	if (part < 3 && !ret->dirty && wild)
		ret->dirty = 3 - part;
	if (i < len && s[i] == '-') {
		size_t j = ++i;

		while (j < len && s[j] != '+')
			j++;
		if (!ident_chars(s + i, j - i) || j - i >= sizeof(ret->pre))
			return -EINVAL;
		memcpy(ret->pre, s + i, j - i);
		i = j;
	}
	if (i < len && s[i] == '+') {
		i++;
		if (!ident_chars(s + i, len - i) || len - i >= sizeof(ret->meta))
			return -EINVAL;
		memcpy(ret->meta, s + i, len - i);
		i = len;
	}
	return i == len ? 0 : -EINVAL;
}

static int cmp_pre(const char *a, const char *b)
{
	if (!*a || !*b)
		return !*a && !*b ? 0 : !*a ? 1 : -1;
	while (*a && *b) {
		size_t la = strcspn(a, "."), lb = strcspn(b, ".");
		bool na = strspn(a, "0123456789") >= la, nb = strspn(b, "0123456789") >= lb;
		int c;

		if (na && nb) {
			unsigned long long x = strtoull(a, NULL, 10), y = strtoull(b, NULL, 10);

			c = x < y ? -1 : x > y;
		} else if (na || nb) {
			c = na ? -1 : 1;
		} else {
			size_t l = la < lb ? la : lb;

			c = strncmp(a, b, l);
			if (!c)
				c = la < lb ? -1 : la > lb;
		}
		if (c)
			return c;
		a += la + (a[la] == '.');
		b += lb + (b[lb] == '.');
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_sv(const struct sv *a, const struct sv *b)
{
	for (int i = 0; i < 3; i++)
		if (a->v[i] != b->v[i])
			return a->v[i] < b->v[i] ? -1 : 1;
	return cmp_pre(a->pre, b->pre);
}

static struct sv bump(const struct sv *c, int part)
{
	struct sv r = {0};

	for (int i = 0; i < part; i++)
		r.v[i] = c->v[i];
	r.v[part] = c->v[part] + 1;
	return r;
}

static bool check(const char *op, const struct sv *c, const struct sv *v)
{
	int d = c->dirty;
	struct sv hi;

	if (*v->pre && !*c->pre && !(streq(op, "!=") && !d))
		return false;
	if (d == 3 && (!*op || streq(op, "=") || streq(op, ">=") || streq(op, "<=") ||
		       streq(op, "~") || streq(op, "~>") || streq(op, "^")))
		return true;
	if (!*op || streq(op, "=") || streq(op, "!=")) {
		bool eq;

		if (!d) {
			eq = cmp_sv(v, c) == 0;
		} else {
			hi = bump(c, d == 1 ? 1 : 0);
			eq = d == 3 || (cmp_sv(v, c) >= 0 && cmp_sv(v, &hi) < 0);
		}
		return streq(op, "!=") ? !eq : eq;
	}
	if (streq(op, ">")) {
		if (!d)
			return cmp_sv(v, c) > 0;
		if (d == 3)
			return false;
		hi = bump(c, d == 1 ? 1 : 0);
		return cmp_sv(v, &hi) >= 0;
	}
	if (streq(op, ">=") || streq(op, "=>"))
		return cmp_sv(v, c) >= 0;
	if (streq(op, "<"))
		return cmp_sv(v, c) < 0;
	if (streq(op, "<=") || streq(op, "=<")) {
		if (!d)
			return cmp_sv(v, c) <= 0;
		if (d == 3)
			return true;
		hi = bump(c, d == 1 ? 1 : 0);
		return cmp_sv(v, &hi) < 0;
	}
	if (streq(op, "~") || streq(op, "~>")) {
		hi = bump(c, d >= 2 ? 0 : 1);
		return cmp_sv(v, c) >= 0 && cmp_sv(v, &hi) < 0;
	}
	if (streq(op, "^")) {
		if (c->v[0] > 0 || d >= 2)
			hi = bump(c, 0);
		else if (c->v[1] > 0 || d == 1)
			hi = bump(c, 1);
		else
			hi = bump(c, 2);
		return cmp_sv(v, c) >= 0 && cmp_sv(v, &hi) < 0;
	}
	return false;
}

/* One || group: 1 satisfied, 0 not, -EINVAL a bad constraint. */
static int check_group(const char *g, size_t len, const struct sv *v)
{
	char buf[512], *tok[64], *save = NULL;
	size_t nt = 0;
	bool ok = true;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, g, len);
	buf[len] = '\0';
	for (char *t = strtok_r(buf, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
		if (nt == 64)
			return -EINVAL;
		tok[nt++] = t;
	}
	if (!nt)
		return -EINVAL;
	for (size_t i = 0; i < nt; i++) {
		char op[3] = "";
		const char *ver = tok[i];
		size_t ol = strspn(ver, "=!<>~^");
		struct sv c;

		if (ol > 2)
			return -EINVAL;
		memcpy(op, ver, ol);
		op[ol] = '\0';
		ver += ol;
		if (!*ver && i + 1 < nt) /* ">= 1.2": the operator stands alone */
			ver = tok[++i];
		if (i + 2 < nt && streq(tok[i + 1], "-") && !ol) {
			/* a - b */
			struct sv lo, hi;

			if (parse_sv(ver, strlen(ver), true, &lo) < 0 ||
			    parse_sv(tok[i + 2], strlen(tok[i + 2]), true, &hi) < 0)
				return -EINVAL;
			ok = ok && check(">=", &lo, v) && check("<=", &hi, v);
			i += 2;
			continue;
		}
		if (ol && !streq(op, "=") && !streq(op, "!=") && !streq(op, ">") &&
		    !streq(op, "<") && !streq(op, ">=") && !streq(op, "<=") && !streq(op, "=>") &&
		    !streq(op, "=<") && !streq(op, "~") && !streq(op, "~>") && !streq(op, "^"))
			return -EINVAL;
		if (parse_sv(ver, strlen(ver), true, &c) < 0)
			return -EINVAL;
		ok = ok && check(op, &c, v);
	}
	return ok;
}

static int fn_semver_compare(struct tmpl_exec *x, const struct tmpl_val *a, size_t n,
			     struct tmpl_val *ret)
{
	const char *c, *vs;
	struct sv v;
	bool any = false, bad = false;

	(void)n;
	if (nfd__tmpl_want_str(x, &a[0], &c) < 0 || nfd__tmpl_want_str(x, &a[1], &vs) < 0)
		return -EINVAL;
	if (parse_sv(vs, strlen(vs), false, &v) < 0)
		return nfd__tmpl_err(x, "Invalid Semantic Version");
	for (const char *g = c;;) {
		const char *e = strstr(g, "||");
		size_t len = e ? (size_t)(e - g) : strlen(g);
		int r = check_group(g, len, &v);

		if (r < 0)
			bad = true;
		else if (r)
			any = true;
		if (!e)
			break;
		g = e + 2;
	}
	if (bad)
		return nfd__tmpl_err(x, "improper constraint: %s", c);
	*ret = nfd__tmpl_bool(any);
	return 0;
}

/* semver: the version as a dict of its parts (Go returns *semver.Version,
 * whose Major, Minor ... methods read the same as these fields) */
static int fn_semver(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, struct tmpl_val *ret)
{
	static const char *const keys[] = {"Major",    "Metadata", "Minor",
					   "Original", "Patch",	   "Prerelease"};
	struct tmpl_val vals[6];
	const char *s;
	struct sv v;

	(void)n;
	if (nfd__tmpl_want_str(x, &a[0], &s) < 0)
		return -EINVAL;
	if (parse_sv(s, strlen(s), false, &v) < 0)
		return nfd__tmpl_err(x, "Invalid Semantic Version");
	vals[0] = nfd__tmpl_int64((int64_t)v.v[0]);
	vals[1] = nfd__tmpl_str(arena_strdup(x->a, v.meta));
	vals[2] = nfd__tmpl_int64((int64_t)v.v[1]);
	vals[3] = nfd__tmpl_str(s);
	vals[4] = nfd__tmpl_int64((int64_t)v.v[2]);
	vals[5] = nfd__tmpl_str(arena_strdup(x->a, v.pre));
	if (!vals[1].s || !vals[5].s)
		return nfd__tmpl_err(x, "out of memory");
	return nfd__tmpl_map_from(x, (const char **)keys, vals, 6, ret);
}

const struct tmpl_func nfd__tmpl_sprig_semver_funcs[] = {
	{"semver", fn_semver, 1, 1},
	{"semverCompare", fn_semver_compare, 2, 2},
	{NULL, NULL, 0, 0},
};
