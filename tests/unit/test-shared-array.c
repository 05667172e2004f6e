/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growable and sorted arrays (shared/array.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "shared/array.h"

struct kv {
	const char *key;
	int value;
};

struct named {
	int id;
	char *name;
};

static void test_reserve(void **state)
{
	int *v = NULL;
	size_t cap = 0, n = 0;

	assert_int_equal(ARRAY_RESERVE(v, cap, 0), 0);
	assert_null(v);
	assert_int_equal(cap, 0);
	for (int i = 0; i < 1000; i++) {
		size_t old = cap;

		assert_int_equal(ARRAY_RESERVE(v, cap, n + 1), 0);
		assert_true(cap >= n + 1);
		/* at least doubling: few reallocations */
		if (cap != old)
			assert_true(cap >= 2 * old && cap >= 8);
		v[n++] = i;
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	/* a request beyond what size_t can count fails and changes nothing */
	int *keep = v;
	size_t keep_cap = cap;
	assert_int_equal(ARRAY_RESERVE(v, cap, SIZE_MAX / 2), -ENOMEM);
	assert_ptr_equal(v, keep);
	assert_int_equal(cap, keep_cap);
	free(v);
}

static void test_insert(void **state)
{
	int *v = NULL;
	size_t n = 0, cap = 0;
	int x;

	x = 2;
	assert_int_equal(ARRAY_INSERT(v, n, cap, 0, x), 0); /* 2 */
	x = 4;
	assert_int_equal(ARRAY_INSERT(v, n, cap, 1, x), 0); /* 2 4 */
	x = 1;
	assert_int_equal(ARRAY_INSERT(v, n, cap, 0, x), 0); /* 1 2 4 */
	x = 3;
	assert_int_equal(ARRAY_INSERT(v, n, cap, 2, x), 0); /* 1 2 3 4 */
	x = 9;
	assert_int_equal(ARRAY_INSERT(v, n, cap, 5, x), -EINVAL);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], (int)i + 1);
	free(v);
}

static int int_cmp(const void *key, const void *elem)
{
	int a = *(const int *)key, b = *(const int *)elem;

	return (a > b) - (a < b);
}

static void test_sorted_search(void **state)
{
	static const int v[] = {1, 3, 5, 7, 9, 11};

	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		assert_int_equal(sorted_search(&v[i], v, ARRAY_SIZE(v), sizeof(int), int_cmp), i);
	for (int k = 0; k <= 12; k += 2) {
		/* not found: -(insertion point) - 1 */
		ssize_t r = sorted_search(&k, v, ARRAY_SIZE(v), sizeof(int), int_cmp);

		assert_true(r < 0);
		assert_int_equal(-r - 1, k / 2);
	}
	assert_int_equal(sorted_search(&v[0], v, 0, sizeof(int), int_cmp), -1);
}

static void test_sorted_search_str(void **state)
{
	/* keys sharing first bytes, an empty key, bytes above 0x7f */
	static const struct kv items[] = {
		{"", 0}, {"a", 1}, {"ab", 2}, {"abc", 3}, {"b", 4}, {"\xc3\xa9t\xc3\xa9", 5},
	};
	static const char *const strv[] = {"cpu", "kernel", "local", "memory", "usb"};
	struct named named[] = {{1, (char *)"x"}, {2, (char *)"y"}};

	for (size_t i = 0; i < ARRAY_SIZE(items); i++)
		assert_int_equal(SORTED_SEARCH_BY(items, ARRAY_SIZE(items), key, items[i].key), i);
	assert_int_equal(SORTED_SEARCH_BY(items, ARRAY_SIZE(items), key, "aa"), -2 - 1);
	assert_int_equal(SORTED_SEARCH_BY(items, ARRAY_SIZE(items), key, "abcd"), -4 - 1);
	assert_int_equal(SORTED_SEARCH_BY(items, ARRAY_SIZE(items), key, "\xff"), -6 - 1);
	assert_int_equal(SORTED_SEARCH_STRV(strv, ARRAY_SIZE(strv), "memory"), 3);
	assert_int_equal(SORTED_SEARCH_STRV(strv, ARRAY_SIZE(strv), "gpu"), -1 - 1);
	assert_int_equal(SORTED_SEARCH_BY(named, ARRAY_SIZE(named), name, "y"), 1);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Against a linear scan: random keys, present and absent. */
static void test_sorted_search_random(void **state)
{
	char pool[500][8];
	const char *keys[500];
	size_t n = 0;

	srand(42);
	for (size_t i = 0; i < ARRAY_SIZE(pool); i++) {
		snprintf(pool[i], sizeof(pool[i]), "%x", (unsigned)rand() % 4096);
		keys[n++] = pool[i];
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (int probe = 0; probe < 4096; probe++) {
		char k[8];
		size_t lin = 0;
		ssize_t r;

		snprintf(k, sizeof(k), "%x", (unsigned)probe);
		while (lin < n && strcmp(keys[lin], k) < 0)
			lin++;
		r = sorted_search_str(keys, n, sizeof(*keys), 0, k);
		if (lin < n && strcmp(keys[lin], k) == 0) {
			assert_true(r >= 0);
			assert_string_equal(keys[r], k);
		} else {
			assert_int_equal(r, -(ssize_t)lin - 1);
		}
	}
}

struct rec {
	int key;
	size_t order;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* array_sort() sorts and is stable, on the stack and on the heap, for
 * sizes around its runs and its merges; against an insertion sort. */
static void test_sort(void **state)
{
	static const size_t sizes[] = {0,  1,  2,  7,  8,  9,	15,  16,  17,
				       31, 33, 63, 64, 65, 100, 257, 1000};
	unsigned seed = 7;

	assert_int_equal(array_sort(NULL, 0, sizeof(struct rec), cmp_rec), 0);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (int range = 1; range <= 1000; range *= 10) {
			size_t n = sizes[s];
			struct rec *v = calloc(n + 1, sizeof(*v)),
				   *want = calloc(n + 1, sizeof(*v));

			assert_non_null(v);
			assert_non_null(want);
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245 + 12345;
				v[i] = (struct rec){(int)((seed >> 16) % (unsigned)range), i};
				want[i] = v[i];
			}
			for (size_t i = 1; i < n; i++) {
				struct rec r = want[i];
				size_t j = i;

				for (; j > 0 && want[j - 1].key > r.key; j--)
					want[j] = want[j - 1];
				want[j] = r;
			}
			assert_int_equal(array_sort(v, n, sizeof(*v), cmp_rec), 0);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(v[i].key, want[i].key);
				assert_int_equal(v[i].order, want[i].order);
			}
			free(v);
			free(want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_insert),
		cmocka_unit_test(test_sorted_search),
		cmocka_unit_test(test_sorted_search_str),
		cmocka_unit_test(test_sorted_search_random),
		cmocka_unit_test(test_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
