/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Numbers and versions as NFD compares them: Go's strconv.Atoi for the
 * integer ops (doc/semantics.md §3.3) and Masterminds semver.NewVersion, coercing, with the
 * pre-release dropped afterwards, for `type: version` (doc/semantics.md §3.4).
 */
#include <stdint.h>
#include <string.h>

#include "libnfd/engine/engine.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int nfd__parse_int(const char *s, int64_t *ret)
{
	bool neg = false;
	uint64_t v = 0, limit;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return -EINVAL;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s; s++) {
		if (!is_digit(*s))
			return -EINVAL;
		if (v > (limit - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	/* -2^63 has no positive counterpart: negate in unsigned arithmetic. */
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static bool is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* One numeric core component: digits only, fitting in uint64. */
static int parse_component(const char **p, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!is_digit(*s))
		return -EINVAL;
	for (; is_digit(*s); s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*ret = v;
	return 0;
}

/*
 * Dot-separated non-empty [0-9A-Za-z-] identifiers up to the end or stop.
 * For the pre-release, a purely numeric identifier must not have a leading
 * zero (semver's rule, which Masterminds enforces).
 */
static int parse_idents(const char **p, char stop, bool prerelease)
{
	const char *s = *p;

	for (;;) {
		const char *start = s;
		bool numeric = true;

		while (is_ident_char(*s)) {
			numeric = numeric && is_digit(*s);
			s++;
		}
		if (s == start)
			return -EINVAL;
		if (prerelease && numeric && s - start > 1 && *start == '0')
			return -EINVAL;
		if (*s != '.')
			break;
		s++;
	}
	if (*s && *s != stop)
		return -EINVAL;
	*p = s;
	return 0;
}

int nfd__version_parse(const char *s, struct nfd_version *ret)
{
	uint64_t c[3] = {0, 0, 0};
	int r;

	if (*s == 'v')
		s++;
	r = parse_component(&s, &c[0]);
	if (r < 0)
		return r;
	for (int i = 1; i < 3 && *s == '.'; i++) {
		s++;
		r = parse_component(&s, &c[i]);
		if (r < 0)
			return r;
	}
	if (*s == '-') {
		s++;
		r = parse_idents(&s, '+', true);
		if (r < 0)
			return r;
	}
	if (*s == '+') {
		s++;
		r = parse_idents(&s, '\0', false);
		if (r < 0)
			return r;
	}
	if (*s)
		return -EINVAL;
	ret->major = c[0];
	ret->minor = c[1];
	ret->patch = c[2];
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int nfd__version_cmp(const struct nfd_version *a, const struct nfd_version *b)
{
	int c = cmp_u64(a->major, b->major);

	if (!c)
		c = cmp_u64(a->minor, b->minor);
	if (!c)
		c = cmp_u64(a->patch, b->patch);
	return c;
}
