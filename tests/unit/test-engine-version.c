/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Go's Atoi (doc/semantics.md §3.3) and Masterminds' coercing semver (doc/semantics.md §3.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "libnfd/engine/engine.h"

static void test_parse_int(void **state)
{
	static const struct {
		const char *s;
		int r;
		int64_t v;
	} tcs[] = {
		{"0", 0, 0},
		{"007", 0, 7},
		{"+5", 0, 5},
		{"-5", 0, -5},
		{"9223372036854775807", 0, INT64_MAX},
		{"-9223372036854775808", 0, INT64_MIN},
		{"9223372036854775808", -ERANGE, 0},
		{"-9223372036854775809", -ERANGE, 0},
		{"", -EINVAL, 0},
		{"+", -EINVAL, 0},
		{"-", -EINVAL, 0},
		{" 1", -EINVAL, 0},
		{"1 ", -EINVAL, 0},
		{"1\n", -EINVAL, 0},
		{"1_000", -EINVAL, 0},
		{"0x10", -EINVAL, 0},
		{"1.0", -EINVAL, 0},
		{"1e3", -EINVAL, 0},
		{"++1", -EINVAL, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tcs); i++) {
		int64_t v = 0;
		int r = nfd__parse_int(tcs[i].s, &v);

		if (r != tcs[i].r || (r == 0 && v != tcs[i].v))
			fail_msg("\"%s\": r=%d v=%lld", tcs[i].s, r, (long long)v);
	}
}

static void test_parse_version(void **state)
{
	static const struct {
		const char *s;
		int ok;
		uint64_t ma, mi, pa;
	} tcs[] = {
		{"1", 1, 1, 0, 0},
		{"1.2", 1, 1, 2, 0},
		{"1.2.3", 1, 1, 2, 3},
		{"v1.2.3", 1, 1, 2, 3},
		{"01.02.03", 1, 1, 2, 3},
		{"5.15.0-1034-generic", 1, 5, 15, 0},
		{"5.15.0-rc1", 1, 5, 15, 0},
		{"5.15.0-058-generic", 1, 5, 15, 0},
		{"1.0.0+build.1", 1, 1, 0, 0},
		{"1.0.0-alpha.1+x-y", 1, 1, 0, 0},
		{"6.1.0-0", 1, 6, 1, 0},
		{"18446744073709551615", 1, UINT64_MAX, 0, 0},
		{"18446744073709551616", 0, 0, 0, 0},
		{"V1.2", 0, 0, 0, 0},
		{"1.2.3.4", 0, 0, 0, 0},
		{"6.1.0-01", 0, 0, 0, 0},
		{"-1", 0, 0, 0, 0},
		{"", 0, 0, 0, 0},
		{"1.", 0, 0, 0, 0},
		{"1..2", 0, 0, 0, 0},
		{"1.0-", 0, 0, 0, 0},
		{"1.0-a..b", 0, 0, 0, 0},
		{"1.0+", 0, 0, 0, 0},
		{"1.0_1", 0, 0, 0, 0},
		{" 1.0", 0, 0, 0, 0},
		{"1.0 ", 0, 0, 0, 0},
		{"4.18.0-553.el8_10.x86_64", 0, 0, 0, 0},
		{"v", 0, 0, 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tcs); i++) {
		struct nfd_version v;
		int r = nfd__version_parse(tcs[i].s, &v);

		if ((r == 0) != tcs[i].ok)
			fail_msg("\"%s\": r=%d", tcs[i].s, r);
		if (r == 0 &&
		    (v.major != tcs[i].ma || v.minor != tcs[i].mi || v.patch != tcs[i].pa))
			fail_msg("\"%s\": parsed wrong", tcs[i].s);
	}
}

static void test_compare(void **state)
{
	struct nfd_version a, b;

	(void)state;
	assert_int_equal(nfd__version_parse("5.10", &a), 0);
	assert_int_equal(nfd__version_parse("5.9.9", &b), 0);
	assert_true(nfd__version_cmp(&a, &b) > 0);
	assert_int_equal(nfd__version_parse("5.15.0-rc1", &a), 0);
	assert_int_equal(nfd__version_parse("5.15", &b), 0);
	assert_int_equal(nfd__version_cmp(&a, &b), 0);
	assert_int_equal(nfd__version_parse("1.0.0+b", &b), 0);
	assert_int_equal(nfd__version_parse("1.0.1", &a), 0);
	assert_true(nfd__version_cmp(&b, &a) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_version),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
