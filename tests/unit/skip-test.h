/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Skips that the harness can see.  cmocka's skip() alone is counted as a
 * pass by automake's test driver; a test program that skipped anything
 * exits 77 instead, which the driver reports as SKIP.  With NFD_NO_SKIP=1
 * (CI installs every dependency) a skip is a failure.
 *
 *	nfd_test_skip("mke2fs is not installed");
 *	...
 *	return nfd_test_result(cmocka_run_group_tests(tests, NULL, NULL));
 */
#pragma once

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool nfd_test_skipped;

#define nfd_test_skip(why)                                                                         \
	do {                                                                                       \
		const char *no_skip_ = getenv("NFD_NO_SKIP");                                      \
		if (no_skip_ && strcmp(no_skip_, "1") == 0)                                        \
			fail_msg("cannot run: %s (NFD_NO_SKIP=1 makes that a failure)", (why));    \
		nfd_test_skipped = true;                                                           \
		print_message("skipped: %s\n", (why));                                             \
		skip();                                                                            \
	} while (0)

static inline int nfd_test_result(int failed)
{
	return failed ? failed : nfd_test_skipped ? 77 : 0;
}
