/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Growable arrays and sorted arrays: the one copy of the realloc doubling
 * and of the binary search that the feature model, the spec index, the rule
 * evaluator and the discovery sources all need.
 *
 * A growable array is a plain pointer and two counters the caller keeps
 * (items, n, cap), so it fits any struct without a wrapper type:
 *
 *	if (ARRAY_RESERVE(v->items, v->cap, v->n + 1) < 0)
 *		return -ENOMEM;
 *	v->items[v->n++] = x;
 */
#pragma once

#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "shared/macro.h"

/*
 * Make room for need elements of size bytes in *items (with *cap allocated):
 * the capacity at least doubles (from 8), so n appends cost O(n).  Returns 0,
 * or -ENOMEM with *items and *cap unchanged (also when need * size would
 * overflow).
 */
int array_reserve(void **items, size_t *cap, size_t need, size_t size) _must_check_;
#define ARRAY_RESERVE(items, cap, need)                                                            \
	array_reserve((void **)&(items), &(cap), (need), sizeof(*(items)))

/*
 * Insert *elem at index at (<= *n) of *items, moving the tail up, growing
 * the array as ARRAY_RESERVE() does.  0, -EINVAL (at > *n) or -ENOMEM
 * (nothing changed).
 */
int array_insert(void **items, size_t *n, size_t *cap, size_t at, const void *elem,
		 size_t size) _must_check_;
#define ARRAY_INSERT(items, n, cap, at, elem)                                                      \
	array_insert((void **)&(items), &(n), &(cap), (at),                                        \
		     &(elem) + BUILD_ASSERT_OR_ZERO(sizeof(elem) == sizeof(*(items))),             \
		     sizeof(*(items)))

/*
 * Binary search of key among n elements of size bytes sorted by cmp
 * (cmp(key, element) as strcmp() answers).  Returns the index of an equal
 * element, or -(insertion point) - 1, the index where key would go.
 */
static inline ssize_t sorted_search(const void *key, const void *base, size_t n, size_t size,
				    int (*cmp)(const void *key, const void *element))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(key, (const char *)base + mid * size);

		if (c == 0)
			return (ssize_t)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -(ssize_t)lo - 1;
}

/* strcmp(key, *elem) for sorted_search(); the first bytes settle most
 * probes without a call. */
static inline int sorted_cmp_str(const void *key, const void *elem)
{
	const char *k = key, *e = *(const char *const *)elem;
	int c = (unsigned char)k[0] - (unsigned char)e[0];

	return c ? c : strcmp(k, e);
}

/*
 * sorted_search() for elements with a string key (a char pointer) at byte
 * offset off, sorted bytewise (strcmp()).
 */
static inline ssize_t sorted_search_str(const void *base, size_t n, size_t size, size_t off,
					const char *key)
{
	if (n == 0) /* base may be NULL, and NULL + off is undefined */
		return -1;
	/* the keys lie at (base + off) + i * size: an array of the same stride */
	return sorted_search(key, (const char *)base + off, n, size, sorted_cmp_str);
}

/* The string-keyed search in an array of structs by its member (a char pointer). */
#define SORTED_SEARCH_BY(items, n, member, key)                                                    \
	sorted_search_str(                                                                         \
		(items), (n), sizeof(*(items)),                                                    \
		offsetof(__typeof__(*(items)), member) +                                           \
			BUILD_ASSERT_OR_ZERO(__builtin_types_compatible_p(                         \
						     __typeof__((items)->member), const char *) || \
					     __builtin_types_compatible_p(                         \
						     __typeof__((items)->member), char *)),        \
		(key))

/* The string-keyed search in an array of strings. */
#define SORTED_SEARCH_STRV(strv, n, key)                                                           \
	sorted_search_str((strv), (n),                                                             \
			  sizeof(*(strv)) + BUILD_ASSERT_OR_ZERO(__builtin_types_compatible_p(     \
						    __typeof__(*(strv)), const char *)),           \
			  0, (key))

/*
 * Sort n elements of size bytes with cmp, stably (equal elements keep their
 * order): runs of 8 by insertion, then merged, O(n log n) compares.  Unlike
 * glibc's qsort() it asks nothing of the kernel, and takes its buffer from
 * the stack up to 1 KiB.  0, or -ENOMEM (the elements unchanged) when a
 * larger buffer cannot be had.  base may be NULL when n is 0.
 */
int array_sort(void *base, size_t n, size_t size,
	       int (*cmp)(const void *a, const void *b)) _must_check_;
