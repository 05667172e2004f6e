/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The UTF-8 decoder (shared/util.h): Go's verdict on every sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "shared/util.h"

static void test_valid(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		uint32_t cp;
	} tcs[] = {
		{"A", 1, 'A'},
		{"\x7f", 1, 0x7f},
		{"\xc2\x80", 2, 0x80},
		{"\xc3\xa9", 2, 0xe9},
		{"\xdf\xbf", 2, 0x7ff},
		{"\xe0\xa0\x80", 3, 0x800},
		{"\xe2\x82\xac", 3, 0x20ac},
		{"\xed\x9f\xbf", 3, 0xd7ff},
		{"\xee\x80\x80", 3, 0xe000},
		{"\xef\xbf\xbf", 3, 0xffff},
		{"\xf0\x90\x80\x80", 4, 0x10000},
		{"\xf0\x9f\x98\x80", 4, 0x1f600},
		{"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
	};

	for (size_t i = 0; i < sizeof(tcs) / sizeof(tcs[0]); i++) {
		uint32_t cp = 0;

		assert_int_equal(utf8_decode(tcs[i].s, strlen(tcs[i].s), &cp), tcs[i].n);
		assert_int_equal(cp, tcs[i].cp);
	}
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80",		    /* a lone continuation byte */
		"\xbf",		    /* another */
		"\xc0\x80",	    /* overlong NUL */
		"\xc1\xbf",	    /* overlong */
		"\xe0\x80\x80",	    /* overlong */
		"\xe0\x9f\xbf",	    /* overlong */
		"\xed\xa0\x80",	    /* surrogate U+D800 */
		"\xed\xbf\xbf",	    /* surrogate U+DFFF */
		"\xf0\x80\x80\x80", /* overlong */
		"\xf0\x8f\xbf\xbf", /* overlong */
		"\xf4\x90\x80\x80", /* beyond U+10FFFF */
		"\xf5\x80\x80\x80", /* no such lead byte */
		"\xff",
		"\xc3\x28", /* the continuation is not one */
		"\xe2\x28\xa1",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t cp = 0;

		assert_int_equal(utf8_decode(bad[i], strlen(bad[i]), &cp), 0);
	}
}

static void test_cut_short(void **state)
{
	uint32_t cp;

	/* complete bytes, but fewer available than the sequence needs */
	assert_int_equal(utf8_decode("\xe2\x82\xac", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xc3\xa9", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_cut_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
