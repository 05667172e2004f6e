/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See array.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared/array.h"

int array_reserve(void **items, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
	ncap = MAX(MAX(ncap, need), (size_t)8);
	if (size == 0 || ncap > SIZE_MAX / size) {
		if (size == 0 || need > SIZE_MAX / size)
			return -ENOMEM;
		ncap = need;
	}
	p = realloc(*items, ncap * size);
	if (!p)
		return -ENOMEM;
	*items = p;
	*cap = ncap;
	return 0;
}

int array_insert(void **items, size_t *n, size_t *cap, size_t at, const void *elem, size_t size)
{
	char *p;

	if (at > *n)
		return -EINVAL;
	if (*n == SIZE_MAX || array_reserve(items, cap, *n + 1, size) < 0)
		return -ENOMEM;
	p = *items;
	memmove(p + (at + 1) * size, p + at * size, (*n - at) * size);
	memcpy(p + at * size, elem, size);
	(*n)++;
	return 0;
}

#define SORT_RUN 8

/* Insertion sort of n elements (small n); t holds one element. */
static void sort_insertion(char *b, size_t n, size_t size, int (*cmp)(const void *, const void *),
			   char *t)
{
	for (size_t i = 1; i < n; i++) {
		size_t j = i;

		if (cmp(b + (i - 1) * size, b + i * size) <= 0)
			continue;
		memcpy(t, b + i * size, size);
		while (j > 0 && cmp(b + (j - 1) * size, t) > 0)
			j--;
		memmove(b + (j + 1) * size, b + j * size, (i - j) * size);
		memcpy(b + j * size, t, size);
	}
}

/* Merge the sorted src[lo, mid) and src[mid, hi) into dst[lo, hi), the
 * left one first among equals. */
static void sort_merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
		       int (*cmp)(const void *, const void *))
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi) {
		if (cmp(src + j * size, src + i * size) < 0)
			memcpy(dst + k++ * size, src + j++ * size, size);
		else
			memcpy(dst + k++ * size, src + i++ * size, size);
	}
	memcpy(dst + k * size, src + i * size, (mid - i) * size);
	k += mid - i;
	memcpy(dst + k * size, src + j * size, (hi - j) * size);
}

int array_sort(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b))
{
	_Alignas(max_align_t) char stack[1024];
	char *tmp, *heap = NULL, *src = base, *dst;

	if (n < 2 || size == 0)
		return 0;
	if (n > SIZE_MAX / size - 1)
		return -ENOMEM;
	if ((n + 1) * size <= sizeof(stack)) {
		tmp = stack;
	} else {
		tmp = heap = malloc((n + 1) * size);
		if (!tmp)
			return -ENOMEM;
	}
	for (size_t lo = 0; lo < n; lo += SORT_RUN)
		sort_insertion(src + lo * size, MIN((size_t)SORT_RUN, n - lo), size, cmp, tmp);
	dst = tmp;
	for (size_t w = SORT_RUN; w<n; w = w> SIZE_MAX / 2 ? SIZE_MAX : 2 * w) {
		char *swap;

		for (size_t lo = 0; lo < n; lo += MIN(2 * w, n - lo)) {
			size_t mid = MIN(lo + w, n), hi = MIN(mid + w, n);

			sort_merge(src, dst, lo, mid, hi, size, cmp);
			if (hi == n)
				break;
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != (char *)base)
		memcpy(base, src, n * size);
	free(heap);
	return 0;
}
