/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sprig v3.3.0's numbers (Masterminds/sprig numeric.go, conversion
 * functions in functions.go): integer arithmetic on int64 after cast's
 * conversions (a string that is not a number is 0), the float functions,
 * seq/until/untilStep, atoi/int/int64/float64/toDecimal.  Sprig's *f
 * functions compute in decimal (shopspring/decimal): here in double, then
 * rounded to 15 significant digits, which gives the decimal result for
 * the short operands templates use (doc/templates.md).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"

TMPL_FN(fn_atoi)
{
	int64_t v = 0;

	(void)n;
	if (nfd__tmpl_want_str(x, &a[0], &(const char *){NULL}) < 0)
		return -EINVAL;
	if (nfd__parse_int(a[0].s, &v) < 0)
		v = 0;
	*ret = nfd__tmpl_int(v);
	return 0;
}

TMPL_FN(fn_int)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_int(nfd__tmpl_to_int64(&a[0]));
	return 0;
}

TMPL_FN(fn_int64)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_int64(nfd__tmpl_to_int64(&a[0]));
	return 0;
}

TMPL_FN(fn_float64)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_float(nfd__tmpl_to_float(&a[0]));
	return 0;
}

/* strconv.ParseInt(toString(v), 8, 64), 0 on error */
TMPL_FN(fn_todecimal)
{
	const char *s = nfd__tmpl_strval(x, &a[0]);
	char *end;
	long long v;

	(void)n;
	errno = 0;
	v = *s && strspn(s + (*s == '-' || *s == '+'), "01234567") ==
				    strlen(s) - (*s == '-' || *s == '+')
		    ? strtoll(s, &end, 8)
		    : 0;
	*ret = nfd__tmpl_int64(errno ? 0 : v);
	return x->err ? -EINVAL : 0;
}

TMPL_FN(fn_add1)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_int64((int64_t)((uint64_t)nfd__tmpl_to_int64(&a[0]) + 1));
	return 0;
}

TMPL_FN(fn_add)
{
	uint64_t sum = 0;

	(void)x;
	for (size_t i = 0; i < n; i++)
		sum += (uint64_t)nfd__tmpl_to_int64(&a[i]);
	*ret = nfd__tmpl_int64((int64_t)sum);
	return 0;
}

TMPL_FN(fn_mul)
{
	uint64_t p = (uint64_t)nfd__tmpl_to_int64(&a[0]);

	(void)x;
	for (size_t i = 1; i < n; i++)
		p *= (uint64_t)nfd__tmpl_to_int64(&a[i]);
	*ret = nfd__tmpl_int64((int64_t)p);
	return 0;
}

TMPL_FN(fn_sub)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_int64((int64_t)((uint64_t)nfd__tmpl_to_int64(&a[0]) -
					 (uint64_t)nfd__tmpl_to_int64(&a[1])));
	return 0;
}

TMPL_FN(fn_div)
{
	int64_t b = nfd__tmpl_to_int64(&a[1]), q = nfd__tmpl_to_int64(&a[0]);

	(void)n;
	if (b == 0)
		return nfd__tmpl_err(x, "runtime error: integer divide by zero");
	*ret = nfd__tmpl_int64(b == -1 ? (int64_t)(0 - (uint64_t)q) : q / b);
	return 0;
}

TMPL_FN(fn_mod)
{
	int64_t b = nfd__tmpl_to_int64(&a[1]), q = nfd__tmpl_to_int64(&a[0]);

	(void)n;
	if (b == 0)
		return nfd__tmpl_err(x, "runtime error: integer divide by zero");
	*ret = nfd__tmpl_int64(b == -1 ? 0 : q % b);
	return 0;
}

static int minmax(const struct tmpl_val *a, size_t n, bool max, struct tmpl_val *ret)
{
	int64_t v = nfd__tmpl_to_int64(&a[0]);

	for (size_t i = 1; i < n; i++) {
		int64_t w = nfd__tmpl_to_int64(&a[i]);

		if (max ? w > v : w < v)
			v = w;
	}
	*ret = nfd__tmpl_int64(v);
	return 0;
}

TMPL_FN(fn_max)
{
	(void)x;
	return minmax(a, n, true, ret);
}

TMPL_FN(fn_min)
{
	(void)x;
	return minmax(a, n, false, ret);
}

/*
 * Go's math.Max and math.Min, which sprig's maxf and minf fold with: an
 * infinity in the direction asked for wins, then any NaN makes NaN (C's
 * fmax/fmin return the other operand), and +0 is above -0.
 */
static double go_max(double x, double y)
{
	if (isinf(x) && x > 0)
		return x;
	if (isinf(y) && y > 0)
		return y;
	if (isnan(x) || isnan(y))
		return NAN;
	if (x == 0 && x == y)
		return signbit(x) ? y : x;
	return x > y ? x : y;
}

static double go_min(double x, double y)
{
	if (isinf(x) && x < 0)
		return x;
	if (isinf(y) && y < 0)
		return y;
	if (isnan(x) || isnan(y))
		return NAN;
	if (x == 0 && x == y)
		return signbit(x) ? x : y;
	return x < y ? x : y;
}

static int fold_float(const struct tmpl_val *a, size_t n, double (*op)(double, double),
		      struct tmpl_val *ret)
{
	double v = nfd__tmpl_to_float(&a[0]);

	for (size_t i = 1; i < n; i++)
		v = op(v, nfd__tmpl_to_float(&a[i]));
	*ret = nfd__tmpl_float(v);
	return 0;
}

TMPL_FN(fn_maxf)
{
	(void)x;
	return fold_float(a, n, go_max, ret);
}

TMPL_FN(fn_minf)
{
	(void)x;
	return fold_float(a, n, go_min, ret);
}

/* decimal arithmetic's result for short operands */
static double decimal(double v)
{
	char buf[64];

	if (!isfinite(v))
		return v;
	snprintf(buf, sizeof(buf), "%.15g", v);
	return strtod(buf, NULL);
}

enum fop { F_ADD, F_SUB, F_MUL, F_DIV };

static int float_op(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, enum fop op,
		    struct tmpl_val *ret)
{
	long double v = n ? nfd__tmpl_to_float(&a[0]) : 0;

	for (size_t i = 1; i < n; i++) {
		long double w = nfd__tmpl_to_float(&a[i]);

		switch (op) {
		case F_ADD:
			v += w;
			break;
		case F_SUB:
			v -= w;
			break;
		case F_MUL:
			v *= w;
			break;
		case F_DIV:
			if (w == 0)
				return nfd__tmpl_err(x, "decimal division by 0");
			v /= w;
			break;
		}
	}
	*ret = nfd__tmpl_float(decimal((double)v));
	return 0;
}

TMPL_FN(fn_addf)
{
	return float_op(x, a, n, F_ADD, ret);
}

TMPL_FN(fn_add1f)
{
	struct tmpl_val two[2] = {a[0], nfd__tmpl_float(1)};

	(void)n;
	return float_op(x, two, 2, F_ADD, ret);
}

TMPL_FN(fn_subf)
{
	return float_op(x, a, n, F_SUB, ret);
}

TMPL_FN(fn_mulf)
{
	return float_op(x, a, n, F_MUL, ret);
}

TMPL_FN(fn_divf)
{
	return float_op(x, a, n, F_DIV, ret);
}

TMPL_FN(fn_floor)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_float(nfd__floor(nfd__tmpl_to_float(&a[0])));
	return 0;
}

TMPL_FN(fn_ceil)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_float(nfd__ceil(nfd__tmpl_to_float(&a[0])));
	return 0;
}

/*
 * Go's math.Pow(x, y) for an integral y (pow.go, the pure-Go version every
 * architecture but s390x runs), so that round gives Go's digits: Go does
 * not round 10**places correctly (math.Pow(10, 23) is 9.9999999999999992e22
 * where libm says 1.0000000000000001e23, and 10**-23 ... 10**-30 differ in
 * the last bit), it multiplies the frexp() mantissas of x by repeated
 * squaring, renormalising after each step, then scales by the summed
 * exponent once.  Also spares libnfd a libm (pow was its only function
 * from there; frexp, ldexp and modf are in libc too).  The special cases
 * are Go's, in its order, reduced to an integral, finite y.
 */
static double go_pow_integral(double x, double y)
{
	double yi = fabs(y), x1, a1 = 1;
	/* Go's isOddInt(): from 2**53 on every double is even */
	bool odd = yi < 0x1p53 && ((int64_t)yi & 1);
	int xe, ae = 0;

	if (y == 0 || x == 1)
		return 1;
	if (y == 1)
		return x;
	if (isnan(x))
		return x;
	if (x == 0) {
		if (y < 0)
			return odd && signbit(x) ? -INFINITY : INFINITY;
		return odd ? x : 0;
	}
	if (isinf(x)) {
		if (x < 0) /* Pow(1/x, -y): -0 or +0 */
			return go_pow_integral(1 / x, -y);
		return y < 0 ? 0 : INFINITY;
	}
	if (yi >= 0x1p63) {
		/* a large even power: overflow or underflow except for -1 */
		if (x == -1)
			return 1;
		return (fabs(x) < 1) == (y > 0) ? 0 : INFINITY;
	}
	x1 = frexp(x, &xe);
	for (int64_t i = (int64_t)yi; i != 0; i >>= 1) {
		if (xe < -(1 << 12) || (1 << 12) < xe) {
			/* catastrophic overflow: ldexp() says what is left */
			ae += xe;
			break;
		}
		if (i & 1) {
			a1 *= x1;
			ae += xe;
		}
		x1 *= x1;
		xe <<= 1;
		if (x1 < .5) {
			x1 += x1;
			xe--;
		}
	}
	if (y < 0) {
		a1 = 1 / a1;
		ae = -ae;
	}
	return ldexp(a1, ae);
}

/* round value precision [roundOn=.5] */
TMPL_FN(fn_round)
{
	double val = nfd__tmpl_to_float(&a[0]), on = n > 2 ? nfd__tmpl_to_float(&a[2]) : .5;
	double pow10, digit, frac, ip;
	int64_t places;

	if (nfd__tmpl_want_int(x, &a[1], &places) < 0)
		return -EINVAL;
	pow10 = go_pow_integral(10, (double)places);
	digit = pow10 * val;
	frac = modf(digit, &ip);
	*ret = nfd__tmpl_float((frac >= on ? nfd__ceil(digit) : nfd__floor(digit)) / pow10);
	return 0;
}

/* untilStep as a list of ints, counted against the step limit */
static int until_step(struct tmpl_exec *x, int64_t start, int64_t stop, int64_t step,
		      struct tmpl_val *ret)
{
	struct tmpl_list *l;
	uint64_t count = 0;

	if (stop < start && step < 0)
		count = ((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1;
	else if (stop > start && step > 0)
		count = ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1;
	if (nfd__tmpl_charge(x, count) < 0)
		return -EINVAL;
	l = nfd__tmpl_list_new(x, (size_t)count);
	if (!l)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++)
		l->items[i] = nfd__tmpl_int(start + (int64_t)i * step);
	*ret = (struct tmpl_val){.k = TMPL_LIST, .sub = TMPL_SUB_INTS, .l = l};
	return 0;
}

TMPL_FN(fn_until)
{
	int64_t c;

	(void)n;
	if (nfd__tmpl_want_int(x, &a[0], &c) < 0)
		return -EINVAL;
	return until_step(x, 0, c, c < 0 ? -1 : 1, ret);
}

TMPL_FN(fn_untilstep)
{
	int64_t v[3];

	(void)n;
	for (int i = 0; i < 3; i++)
		if (nfd__tmpl_want_int(x, &a[i], &v[i]) < 0)
			return -EINVAL;
	return until_step(x, v[0], v[1], v[2], ret);
}

/* seq: the numbers as a string, separated by spaces */
TMPL_FN(fn_seq)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t p[3] = {0}, start, end, step;
	struct tmpl_val l;
	const char *s;

	for (size_t i = 0; i < n && i < 3; i++)
		if (nfd__tmpl_want_int(x, &a[i], &p[i]) < 0)
			return -EINVAL;
	switch (n) {
	case 1:
		start = 1, end = p[0], step = end < start ? -1 : 1;
		end += step;
		break;
	case 2:
		start = p[0], end = p[1], step = end < start ? -1 : 1;
		end += step;
		break;
	case 3:
		start = p[0], end = p[2], step = p[1];
		if (end < start) {
			if (step > 0) {
				*ret = nfd__tmpl_str("");
				return 0;
			}
			end -= 1;
		} else {
			end += 1;
		}
		break;
	default:
		*ret = nfd__tmpl_str("");
		return 0;
	}
	if (until_step(x, start, end, step, &l) < 0)
		return -EINVAL;
	for (size_t i = 0; i < l.l->n; i++)
		strbuf_appendf(&sb, "%s%lld", i ? " " : "", (long long)l.l->items[i].i);
	s = nfd__tmpl_take(x, &sb);
	if (!s)
		return -EINVAL;
	*ret = nfd__tmpl_str(s);
	return 0;
}

const struct tmpl_func nfd__tmpl_sprig_math_funcs[] = {
	{"atoi", fn_atoi, 1, 1},
	{"int", fn_int, 1, 1},
	{"int64", fn_int64, 1, 1},
	{"float64", fn_float64, 1, 1},
	{"toDecimal", fn_todecimal, 1, 1},
	{"add1", fn_add1, 1, 1},
	{"add", fn_add, 0, -1},
	{"sub", fn_sub, 2, 2},
	{"mul", fn_mul, 1, -1},
	{"div", fn_div, 2, 2},
	{"mod", fn_mod, 2, 2},
	{"max", fn_max, 1, -1},
	{"biggest", fn_max, 1, -1},
	{"min", fn_min, 1, -1},
	{"maxf", fn_maxf, 1, -1},
	{"minf", fn_minf, 1, -1},
	{"add1f", fn_add1f, 1, 1},
	{"addf", fn_addf, 0, -1},
	{"subf", fn_subf, 1, -1},
	{"mulf", fn_mulf, 1, -1},
	{"divf", fn_divf, 1, -1},
	{"floor", fn_floor, 1, 1},
	{"ceil", fn_ceil, 1, 1},
	{"round", fn_round, 2, 3},
	{"until", fn_until, 1, 1},
	{"untilStep", fn_untilstep, 3, 3},
	{"seq", fn_seq, 0, -1},
	{NULL, NULL, 0, 0},
};
