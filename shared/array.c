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
