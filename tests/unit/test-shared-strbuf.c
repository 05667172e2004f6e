/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The growable string buffer (shared/strbuf.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shared/strbuf.h"

/* Space reserved and nothing written is still the empty string: the report
 * writers size their buffer first, and an empty report wrote nothing into
 * it (fuzz/corpus/fuzz-spec/empty-report-reserved.yaml). */
static void test_reserve_then_nothing(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	assert_true(strbuf_reserve(&sb, 4096));
	assert_string_equal(strbuf_str(&sb), "");
	s = strbuf_steal(&sb);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

/* Growing keeps what was written, terminated. */
static void test_reserve_keeps_text(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_puts(&sb, "abc");
	assert_true(strbuf_reserve(&sb, 100000));
	assert_int_equal(sb.len, 3);
	assert_string_equal(strbuf_str(&sb), "abc");
	strbuf_append(&sb, "de", 2);
	assert_string_equal(strbuf_str(&sb), "abcde");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_then_nothing),
		cmocka_unit_test(test_reserve_keeps_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
