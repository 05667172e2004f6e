/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Template values: Go's truth, type names, fmt's %v, the comparison
 * functions' typing rules (text/template funcs.go: eq, lt), and the
 * conversions Sprig applies (cast.ToInt64, cast.ToFloat64, strval).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/array.h"

struct tmpl_val nfd__tmpl_str(const char *s)
{
	return (struct tmpl_val){.k = TMPL_STR, .s = s};
}

struct tmpl_val nfd__tmpl_int(int64_t i)
{
	return (struct tmpl_val){.k = TMPL_INT, .i = i};
}

struct tmpl_val nfd__tmpl_int64(int64_t i)
{
	return (struct tmpl_val){.k = TMPL_INT, .sub = TMPL_SUB_INT64, .i = i};
}

struct tmpl_val nfd__tmpl_float(double f)
{
	return (struct tmpl_val){.k = TMPL_FLOAT, .f = f};
}

struct tmpl_val nfd__tmpl_bool(bool b)
{
	return (struct tmpl_val){.k = TMPL_BOOL, .b = b};
}

bool nfd__tmpl_truth(const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_STR:
		return v->s[0] != '\0';
	case TMPL_INT:
		return v->i != 0;
	case TMPL_FLOAT:
		return v->f != 0;
	case TMPL_BOOL:
		return v->b;
	case TMPL_MAP:
		return v->m && v->m->n > 0;
	case TMPL_LIST:
		return v->l && v->l->n > 0;
	default:
		return false;
	}
}

bool nfd__tmpl_empty(const struct tmpl_val *v)
{
	return !nfd__tmpl_truth(v);
}

const char *nfd__tmpl_type_name(const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_NIL:
		return "<nil>";
	case TMPL_STR:
		return "string";
	case TMPL_INT:
		return v->sub == TMPL_SUB_INT64	  ? "int64"
		       : v->sub == TMPL_SUB_UINT8 ? "uint8"
						  : "int";
	case TMPL_FLOAT:
		return "float64";
	case TMPL_BOOL:
		return "bool";
	case TMPL_MAP:
		return v->m && v->m->elem ? "map[string]string" : "map[string]interface {}";
	case TMPL_LIST:
		return v->sub == TMPL_SUB_STRINGS ? "[]string"
		       : v->sub == TMPL_SUB_INTS  ? "[]int"
						  : "[]interface {}";
	}
	return "?";
}

const char *nfd__tmpl_kind_name(const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_NIL:
		return "invalid";
	case TMPL_MAP:
		return "map";
	case TMPL_LIST:
		return "slice";
	default:
		return nfd__tmpl_type_name(v);
	}
}

/* The significant digits of f rounded to nd digits (nd 0: shortest), trailing
 * zeros dropped, and the decimal point's position (strconv's decimal). */
static int float_digits(double f, int nd, char *digits, size_t size, int *dp)
{
	char buf[512];
	const char *c;
	size_t n = 0;

	if (nd <= 0) {
		for (nd = 1; nd < 17; nd++) {
			snprintf(buf, sizeof(buf), "%.*e", nd - 1, f);
			if (strtod(buf, NULL) == f)
				break;
		}
	}
	snprintf(buf, sizeof(buf), "%.*e", nd - 1, fabs(f));
	for (c = buf; *c && *c != 'e'; c++)
		if (*c != '.' && n < size - 1)
			digits[n++] = *c;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*dp = f == 0 ? 1 : atoi(c + 1) + 1;
	if (f == 0)
		n = 0, digits[0] = '\0';
	return (int)n;
}

/* strconv.FormatFloat(f, verb, prec, 64) for e, f and g (prec -1: shortest);
 * verb 'v' is fmt's %v (= %g shortest); sharp: fmt's '#' (keep the point) */
void nfd__tmpl_print_float(struct strbuf *sb, double f, char verb, int prec, bool sharp)
{
	char digits[520];
	bool shortest = prec < 0;
	int nd, dp, eprec, decimals;
	char e = verb == 'E' || verb == 'G' ? 'E' : 'e';

	if (isnan(f)) {
		strbuf_puts(sb, "NaN");
		return;
	}
	if (isinf(f)) {
		strbuf_puts(sb, f > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (signbit(f))
		strbuf_putc(sb, '-');
	if (verb == 'f' || verb == 'F') {
		char buf[800];

		if (shortest) {
			nd = float_digits(f, 0, digits, sizeof(digits), &dp);
			prec = nd - dp > 0 ? nd - dp : 0;
		}
		snprintf(buf, sizeof(buf), "%.*f", prec > 500 ? 500 : prec, fabs(f));
		strbuf_puts(sb, buf);
		if (sharp && !strchr(buf, '.'))
			strbuf_putc(sb, '.');
		return;
	}
	if (verb == 'e' || verb == 'E') {
		nd = float_digits(f,
				  shortest	   ? 0
				  : prec + 1 > 500 ? 500
						   : prec + 1,
				  digits, sizeof(digits), &dp);
		decimals = shortest ? (nd > 1 ? nd - 1 : 0) : prec;
	} else {
		if (!shortest && prec == 0)
			prec = 1;
		nd = float_digits(f,
				  shortest     ? 0
				  : prec > 500 ? 500
					       : prec,
				  digits, sizeof(digits), &dp);
		if (shortest)
			prec = nd ? nd : 1;
		eprec = prec;
		if (eprec > nd && nd >= dp)
			eprec = nd;
		if (shortest)
			eprec = 6;
		if (sharp)
			eprec = prec = shortest ? 6 : prec;
		if (!(dp - 1 < -4 || dp - 1 >= eprec)) {
			if (prec > dp && !sharp)
				prec = nd;
			decimals = prec - dp > 0 ? prec - dp : 0;
			goto fixed;
		}
		decimals = (prec > nd && !sharp ? nd : prec) - 1;
		if (decimals < 0)
			decimals = 0;
	}
	/* d.ddde±dd */
	strbuf_putc(sb, nd ? digits[0] : '0');
	if (decimals || sharp)
		strbuf_putc(sb, '.');
	for (int i = 1; i <= decimals; i++)
		strbuf_putc(sb, i < nd ? digits[i] : '0');
	dp = nd ? dp - 1 : 0;
	strbuf_appendf(sb, "%c%c%02d", e, dp < 0 ? '-' : '+', abs(dp));
	return;
fixed:
	if (dp <= 0)
		strbuf_putc(sb, '0');
	for (int i = 0; i < dp; i++)
		strbuf_putc(sb, i < nd ? digits[i] : '0');
	if (decimals || sharp)
		strbuf_putc(sb, '.');
	for (int i = 0; i < decimals; i++) {
		int at = dp + i;

		strbuf_putc(sb, at >= 0 && at < nd ? digits[at] : '0');
	}
}

static _Thread_local unsigned value_depth; /* of the recursive walks below */

void nfd__tmpl_print(struct strbuf *sb, const struct tmpl_val *v, bool top)
{
	if ((v->k == TMPL_LIST || v->k == TMPL_MAP) && value_depth >= TMPL_MAX_VALUE_DEPTH) {
		strbuf_puts(sb, "[...]");
		return;
	}
	value_depth++;
	switch (v->k) {
	case TMPL_NIL:
		strbuf_puts(sb, top ? "<no value>" : "<nil>");
		break;
	case TMPL_STR:
		strbuf_puts(sb, v->s);
		break;
	case TMPL_INT:
		strbuf_appendf(sb, "%" PRId64, v->i);
		break;
	case TMPL_FLOAT:
		nfd__tmpl_print_float(sb, v->f, 'v', -1, false);
		break;
	case TMPL_BOOL:
		strbuf_puts(sb, v->b ? "true" : "false");
		break;
	case TMPL_LIST:
		strbuf_putc(sb, '[');
		for (size_t i = 0; v->l && i < v->l->n && !sb->oom; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			nfd__tmpl_print(sb, &v->l->items[i], false);
		}
		strbuf_putc(sb, ']');
		break;
	case TMPL_MAP:
		strbuf_puts(sb, "map[");
		for (size_t i = 0; v->m && i < v->m->n && !sb->oom; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			strbuf_puts(sb, v->m->keys[i]);
			strbuf_putc(sb, ':');
			nfd__tmpl_print(sb, &v->m->vals[i], false);
		}
		strbuf_putc(sb, ']');
		break;
	}
	value_depth--;
}

const char *nfd__tmpl_strval(struct tmpl_exec *x, const struct tmpl_val *v)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	if (v->k == TMPL_STR)
		return v->s;
	nfd__tmpl_print(&sb, v, false);
	s = nfd__tmpl_take(x, &sb);
	return s ? s : "";
}

const struct tmpl_val *nfd__tmpl_map_get(const struct tmpl_map *m, const char *key)
{
	ssize_t i = m ? SORTED_SEARCH_STRV(m->keys, m->n, key) : -1;

	return i >= 0 ? &m->vals[i] : NULL;
}

/* text/template's basicKind: maps and lists have none */
static bool basic(const struct tmpl_val *v)
{
	return v->k == TMPL_STR || v->k == TMPL_INT || v->k == TMPL_FLOAT || v->k == TMPL_BOOL;
}

/* uint8 (index of a string) is Go's uintKind: compared with ints by value */
static int num_kind(const struct tmpl_val *v)
{
	return v->k == TMPL_INT ? (v->sub == TMPL_SUB_UINT8 ? 2 : 1) : 0;
}

int nfd__tmpl_eq(struct tmpl_exec *x, const struct tmpl_val *a, const struct tmpl_val *b, bool *ret)
{
	*ret = false;
	if (a->k != b->k) {
		if (a->k != TMPL_NIL && b->k != TMPL_NIL)
			return nfd__tmpl_err(x,
					     "error calling eq: incompatible types for comparison");
		return 0;
	}
	switch (a->k) {
	case TMPL_NIL:
		*ret = true;
		return 0;
	case TMPL_STR:
		*ret = streq(a->s, b->s);
		return 0;
	case TMPL_INT:
		(void)num_kind;
		*ret = a->i == b->i;
		return 0;
	case TMPL_FLOAT:
		*ret = a->f == b->f;
		return 0;
	case TMPL_BOOL:
		*ret = a->b == b->b;
		return 0;
	default:
		return nfd__tmpl_err(x, "error calling eq: non-comparable type %s",
				     nfd__tmpl_type_name(b));
	}
}

int nfd__tmpl_lt(struct tmpl_exec *x, const struct tmpl_val *a, const struct tmpl_val *b, bool *ret)
{
	*ret = false;
	if (!basic(a) || !basic(b))
		return nfd__tmpl_err(x, "error calling lt: invalid type for comparison");
	if (a->k != b->k)
		return nfd__tmpl_err(x, "error calling lt: incompatible types for comparison");
	switch (a->k) {
	case TMPL_STR:
		*ret = strcmp(a->s, b->s) < 0;
		return 0;
	case TMPL_INT:
		if (num_kind(a) != num_kind(b))
			*ret = num_kind(a) == 1 ? (a->i < 0 || a->i < b->i) : a->i < b->i;
		else
			*ret = a->i < b->i;
		return 0;
	case TMPL_FLOAT:
		*ret = a->f < b->f;
		return 0;
	default:
		return nfd__tmpl_err(x, "error calling lt: invalid type for comparison");
	}
}

static bool deep_equal(const struct tmpl_val *a, const struct tmpl_val *b);

bool nfd__tmpl_deep_equal(const struct tmpl_val *a, const struct tmpl_val *b)
{
	bool r;

	if (value_depth >= TMPL_MAX_VALUE_DEPTH)
		return false;
	value_depth++;
	r = deep_equal(a, b);
	value_depth--;
	return r;
}

static bool deep_equal(const struct tmpl_val *a, const struct tmpl_val *b)
{
	if (a->k != b->k)
		return false;
	switch (a->k) {
	case TMPL_NIL:
		return true;
	case TMPL_STR:
		return streq(a->s, b->s);
	case TMPL_INT:
		return a->i == b->i && a->sub == b->sub;
	case TMPL_FLOAT:
		return a->f == b->f;
	case TMPL_BOOL:
		return a->b == b->b;
	case TMPL_LIST: {
		size_t na = a->l ? a->l->n : 0, nb = b->l ? b->l->n : 0;

		if (na != nb)
			return false;
		for (size_t i = 0; i < na; i++)
			if (!nfd__tmpl_deep_equal(&a->l->items[i], &b->l->items[i]))
				return false;
		return true;
	}
	case TMPL_MAP: {
		size_t na = a->m ? a->m->n : 0, nb = b->m ? b->m->n : 0;

		if (na != nb)
			return false;
		for (size_t i = 0; i < na; i++)
			if (!streq(a->m->keys[i], b->m->keys[i]) ||
			    !nfd__tmpl_deep_equal(&a->m->vals[i], &b->m->vals[i]))
				return false;
		return true;
	}
	}
	return false;
}

struct tmpl_list *nfd__tmpl_list_new(struct tmpl_exec *x, size_t n)
{
	struct tmpl_list *l = nfd__tmpl_alloc(x, sizeof(*l));

	if (!l)
		return NULL;
	l->items = nfd__tmpl_alloc(x, (n + 1) * sizeof(*l->items));
	if (!l->items)
		return NULL;
	l->n = n;
	return l;
}

struct tmpl_map *nfd__tmpl_map_new(struct tmpl_exec *x, size_t n)
{
	struct tmpl_map *m = nfd__tmpl_alloc(x, sizeof(*m));

	if (!m)
		return NULL;
	m->keys = nfd__tmpl_alloc(x, (n + 1) * sizeof(*m->keys));
	m->vals = nfd__tmpl_alloc(x, (n + 1) * sizeof(*m->vals));
	if (!m->keys || !m->vals)
		return NULL;
	m->n = n;
	return m;
}

struct kv {
	const char *key;
	size_t order;
};

static int cmp_kv(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

int nfd__tmpl_map_from(struct tmpl_exec *x, const char **keys, const struct tmpl_val *vals,
		       size_t n, struct tmpl_val *ret)
{
	struct kv *kv = malloc((n + 1) * sizeof(*kv));
	struct tmpl_map *m = nfd__tmpl_map_new(x, n);
	size_t out = 0;

	if (!kv || !m) {
		free(kv);
		return nfd__tmpl_err(x, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		kv[i] = (struct kv){keys[i], i};
	if (n)
		qsort(kv, n, sizeof(*kv), cmp_kv);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && streq(kv[i].key, kv[i + 1].key))
			continue; /* the last one wins */
		m->keys[out] = kv[i].key;
		m->vals[out++] = vals[kv[i].order];
	}
	m->n = out;
	free(kv);
	*ret = (struct tmpl_val){.k = TMPL_MAP, .m = m};
	return 0;
}

int nfd__tmpl_take_str(struct tmpl_exec *x, struct strbuf *sb, struct tmpl_val *ret)
{
	const char *s = nfd__tmpl_take(x, sb);

	if (!s)
		return -EINVAL;
	*ret = nfd__tmpl_str(s);
	return 0;
}

int nfd__tmpl_want_str(struct tmpl_exec *x, const struct tmpl_val *v, const char **ret)
{
	if (v->k != TMPL_STR)
		return nfd__tmpl_err(x, "wrong type for value; expected string; got %s",
				     nfd__tmpl_type_name(v));
	*ret = v->s;
	return 0;
}

int nfd__tmpl_want_int(struct tmpl_exec *x, const struct tmpl_val *v, int64_t *ret)
{
	if (v->k == TMPL_INT) {
		*ret = v->i;
		return 0;
	}
	return nfd__tmpl_err(x, "wrong type for value; expected int; got %s",
			     nfd__tmpl_type_name(v));
}

/* cast's trimZeroDecimal: "12.000" -> "12" */
static void trim_zero_decimal(char *s)
{
	char *dot = strchr(s, '.');

	if (!dot || dot == s)
		return;
	for (char *c = dot + 1; *c; c++)
		if (*c != '0')
			return;
	*dot = '\0';
}

int64_t nfd__tmpl_to_int64(const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_INT:
		return v->i;
	case TMPL_FLOAT:
		return isnan(v->f) || fabs(v->f) >= 9.3e18 ? INT64_MIN : (int64_t)v->f;
	case TMPL_BOOL:
		return v->b;
	case TMPL_STR: {
		char buf[64], *end;
		const char *s;
		int base = 10;
		bool neg = false;
		unsigned long long u;

		if (strlen(v->s) >= sizeof(buf))
			return 0;
		strcpy(buf, v->s);
		trim_zero_decimal(buf);
		s = buf;
		if (*s == '+' || *s == '-')
			neg = *s++ == '-';
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			base = 16, s += 2;
		else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
			base = 8, s += 2;
		else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
			base = 2, s += 2;
		else if (s[0] == '0' && s[1])
			base = 8, s += 1;
		if (!*s || *s == '+' || *s == '-' || *s == ' ')
			return 0;
		errno = 0;
		u = strtoull(s, &end, base);
		if (*end || errno || u > (unsigned long long)INT64_MAX + neg)
			return 0;
		return neg ? (int64_t)(0 - u) : (int64_t)u;
	}
	default:
		return 0;
	}
}

double nfd__tmpl_to_float(const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_INT:
		return (double)v->i;
	case TMPL_FLOAT:
		return v->f;
	case TMPL_BOOL:
		return v->b;
	case TMPL_STR: {
		char *end;
		double d;

		if (!v->s[0] || strchr(v->s, ' ') || strpbrk(v->s, "xX"))
			return 0;
		d = strtod(v->s, &end);
		return *end ? 0 : d;
	}
	default:
		return 0;
	}
}

int nfd__tmpl_strslice(struct tmpl_exec *x, const struct tmpl_val *v, const char ***ret,
		       size_t *ret_n)
{
	size_t n = 0;
	const char **s;

	if (v->k == TMPL_NIL) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (v->k != TMPL_LIST) {
		s = nfd__tmpl_alloc(x, sizeof(*s));
		if (!s)
			return -EINVAL;
		s[0] = nfd__tmpl_strval(x, v);
		*ret = s;
		*ret_n = 1;
		return x->err ? -EINVAL : 0;
	}
	s = nfd__tmpl_alloc(x, (v->l->n + 1) * sizeof(*s));
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < v->l->n; i++) {
		if (v->l->items[i].k == TMPL_NIL && v->sub != TMPL_SUB_STRINGS)
			continue; /* []interface{}: nil skipped */
		s[n++] = nfd__tmpl_strval(x, &v->l->items[i]);
	}
	*ret = s;
	*ret_n = n;
	return x->err ? -EINVAL : 0;
}
