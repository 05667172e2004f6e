/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bump allocator (shared/arena.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "shared/arena.h"

static void test_alloc(void **state)
{
	struct arena a = {};
	const size_t align = _Alignof(max_align_t);

	for (size_t size = 0; size < 300; size++) {
		unsigned char *p = arena_alloc(&a, size);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % align, 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xaa, size);
		/* strings in between do not break the alignment of what follows */
		assert_non_null(arena_strdup(&a, "x"));
	}
	arena_release(&a);
	assert_null(a.chunks);
	assert_int_equal(a.used, 0);
	/* usable again after release */
	assert_non_null(arena_alloc(&a, 16));
	arena_release(&a);
}

static void test_strings(void **state)
{
	struct arena a = {};
	char *s = arena_strndup(&a, "abcdef", 3);
	char *raw;

	assert_string_equal(s, "abc");
	assert_string_equal(arena_strdup(&a, ""), "");
	raw = arena_alloc_raw(&a, 5, 1);
	assert_non_null(raw);
	memcpy(raw, "1234", 5);
	assert_string_equal(raw, "1234");
	assert_string_equal(s, "abc");
	assert_null(arena_strndup(&a, "", SIZE_MAX));
	arena_release(&a);
}

static void test_large(void **state)
{
	struct arena a = {};
	char *small = arena_strdup(&a, "head");
	size_t used = a.used;
	char *big = arena_alloc(&a, 1 << 20);

	assert_non_null(big);
	big[(1 << 20) - 1] = 1;
	/* a large block gets a chunk of its own: the head chunk keeps serving */
	assert_int_equal(a.used, used);
	assert_string_equal(small, "head");
	for (int i = 0; i < 10000; i++)
		assert_non_null(arena_strdup(&a, "a string of some length"));
	arena_release(&a);
}

static void test_reserve(void **state)
{
	struct arena a = {};
	int *v = NULL;
	size_t n = 0, cap = 0;

	for (int i = 0; i < 100; i++) {
		assert_int_equal(ARENA_RESERVE(&a, v, cap, n, n + 1), 0);
		v[n++] = i;
	}
	assert_true(cap >= 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	assert_int_equal(ARENA_RESERVE(&a, v, cap, n, SIZE_MAX / 2), -ENOMEM);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_reserve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
