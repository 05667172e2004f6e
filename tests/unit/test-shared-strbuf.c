/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The growable string buffer (shared/strbuf.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shared/json-writer.h"
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

/* json_write_cstr()'s one-pass copy writes what json_write_string() writes:
 * plain strings around its 256-byte pass, and escapes before, at and after
 * its end; json_is_plain() only calls plain what goes out as is. */
static void test_json_cstr_as_string(void **state)
{
	static const size_t lens[] = {0, 1, 3, 4, 5, 255, 256, 257, 600};
	static const char *const odd[] = {"<",	  "\"",	      "\\",	      "\n",
					  "\x01", "\xc3\xa9", "\xe2\x80\xa8", "\xff"};
	char buf[700];

	for (size_t l = 0; l < sizeof(lens) / sizeof(*lens); l++)
		for (size_t o = 0; o <= sizeof(odd) / sizeof(*odd); o++)
			for (size_t at = 0; at < lens[l] || (at == 0 && lens[l] == 0); at += 37) {
				struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
				size_t n = lens[l];

				memset(buf, 'k', n);
				buf[n] = '\0';
				if (o < sizeof(odd) / sizeof(*odd) && n > 0) {
					size_t ol = strlen(odd[o]);

					memcpy(buf + MIN(at, n - 1), odd[o], ol);
					buf[MIN(at, n - 1) + ol] = '\0';
				}
				strbuf_puts(&a, "x");
				strbuf_puts(&b, "x");
				json_write_cstr(&a, buf);
				json_write_string(&b, buf, strlen(buf));
				assert_string_equal(strbuf_str(&a), strbuf_str(&b));
				assert_int_equal(a.len, b.len);
				/* plain means written as is (non-ASCII is never plain
				 * to it, though UTF-8 goes out raw) */
				if (json_is_plain(buf, strlen(buf)))
					assert_int_equal(b.len, strlen(buf) + 3);
				else
					assert_true(b.len > strlen(buf) + 3 ||
						    (unsigned char)buf[strspn(buf, "k")] >= 0x80);
				strbuf_release(&a);
				strbuf_release(&b);
				if (n == 0)
					break;
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_then_nothing),
		cmocka_unit_test(test_reserve_keeps_text),
		cmocka_unit_test(test_json_cstr_as_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
