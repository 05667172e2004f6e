/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Go's time.Parse(time.RFC3339, s) (shared/rfc3339.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "shared/rfc3339.h"

static void test_valid(void **state)
{
	static const struct {
		const char *s;
		int64_t sec;
		long nsec;
	} tcs[] = {
		{"1970-01-01T00:00:00Z", 0, 0},
		{"2012-07-28T11:22:33Z", 1343474553, 0},
		/* offsets move the instant */
		{"2012-07-28T13:22:33.123456+02:00", 1343474553, 123456000},
		{"2012-07-28T06:22:33-05:00", 1343474553, 0},
		{"2024-03-27T10:08:08.5+02:00", 1711526888, 500000000},
		{"2024-02-29T00:00:00Z", 1709164800, 0},
		{"2000-02-29T00:00:00Z", 951782400, 0},
		/* Go's general layout parser: a one-digit hour, a comma before
		 * the fraction, offsets up to 24 hours and 60 minutes */
		{"2012-07-28T1:22:33Z", 1343438553, 0},
		{"2012-07-28T11:22:33,25Z", 1343474553, 250000000},
		{"2012-07-29T11:22:33+24:00", 1343474553, 0},
		{"2012-07-28T12:22:33+00:60", 1343474553, 0},
		/* nanoseconds from the first nine digits */
		{"2012-07-28T11:22:33.1234567899Z", 1343474553, 123456789},
		{"1969-12-31T23:59:59Z", -1, 0},
		{"0000-01-01T00:00:00Z", -62167219200LL, 0},
		{"9999-12-31T23:59:59Z", 253402300799LL, 0},
	};

	for (size_t i = 0; i < sizeof(tcs) / sizeof(tcs[0]); i++) {
		int64_t sec = -42;
		long nsec = -42;

		print_message("%s\n", tcs[i].s);
		assert_int_equal(parse_rfc3339(tcs[i].s, &sec, &nsec), 0);
		assert_int_equal(sec, tcs[i].sec);
		assert_int_equal(nsec, tcs[i].nsec);
	}
	assert_int_equal(parse_rfc3339("2080-07-28T11:22:33Z", NULL, NULL), 0);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"",
		"2024-03-27",
		"2024-03-27T08:08:08",
		"2080-07-28T11:22:33X",
		"2080-07-28 11:22:33Z", /* the T is required, upper case */
		"2080-07-28t11:22:33Z",
		"2080-07-28T11:22:33z",
		"2023-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z",
		"2080-04-31T00:00:00Z",
		"2080-13-01T00:00:00Z",
		"2080-00-01T00:00:00Z",
		"2080-01-00T00:00:00Z",
		"2080-01-01T24:00:00Z",
		"2080-01-01T00:60:00Z",
		"2080-01-01T00:00:60Z", /* no leap seconds */
		"2080-01-01T00:00:00Z ",
		"2024-03-27T08:08:08Zjunk",
		"2080-01-01T00:00:00.Z",
		"2080-01-01T00:00:00+25:00",
		"2080-01-01T00:00:00+01:61",
		"2080-01-01T00:00:00+0100",
		"2080-01-01T00:00:00+1:00",
		"80-01-01T00:00:00Z",
		"+080-01-01T00:00:00Z",
		"2080-1-01T00:00:00Z",
		"2080-01-1T00:00:00Z",
		"2080-01-01T001:00:00Z",
		"2080-01-01T00:0:00Z",
		"2080-01-01T00:00:0Z",
		" 2080-01-01T00:00:00Z",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t sec = 7;
		long nsec = 7;

		print_message("%s\n", bad[i]);
		assert_int_equal(parse_rfc3339(bad[i], &sec, &nsec), -EINVAL);
		assert_int_equal(sec, 7);
		assert_int_equal(nsec, 7);
	}
	assert_int_equal(parse_rfc3339(NULL, NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
