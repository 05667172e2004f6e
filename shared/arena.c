/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See arena.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared/arena.h"

/* What one malloc() serves at most: small enough to stay below malloc's mmap
 * threshold, large enough that a spec or a discovery needs a few.  The first
 * chunk is small and each next one twice the last, so that the many small
 * objects (the features of a node filtered down to what a spec reads, one per
 * node of thousands) do not cost 32 KiB each. */
#define CHUNK_SIZE	 (32u * 1024 - sizeof(struct arena_chunk))
#define FIRST_CHUNK_SIZE (1024u - sizeof(struct arena_chunk))

void *arena_alloc_raw(struct arena *a, size_t size, size_t align)
{
	struct arena_chunk *c;
	size_t at, csize;

	if (a->chunks) {
		at = (a->used + align - 1) & ~(align - 1);
		if (at <= a->size && a->size - at >= size) {
			a->used = at + size;
			return (char *)a->chunks->data + at;
		}
	}
	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	/* a->size is the head chunk's: double it, up to CHUNK_SIZE */
	csize = !a->chunks		    ? FIRST_CHUNK_SIZE
		: a->size >= CHUNK_SIZE / 2 ? CHUNK_SIZE
					    : 2 * (a->size + sizeof(*c)) - sizeof(*c);
	csize = size > csize ? size : csize;
	c = malloc(sizeof(*c) + csize);
	if (!c)
		return NULL;
	/* a large allocation gets a chunk of its own behind the head, so the
	 * head's free space is not wasted */
	if (size > CHUNK_SIZE / 2 && a->chunks) {
		c->next = a->chunks->next;
		a->chunks->next = c;
	} else {
		c->next = a->chunks;
		a->chunks = c;
		a->size = csize;
		a->used = size;
	}
	return c->data;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size ? size : 1, _Alignof(max_align_t));

	return p ? memset(p, 0, size) : NULL;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = arena_alloc_raw(a, len + 1, 1);
	if (p) {
		if (len) /* s may be NULL for an empty string */
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_release(struct arena *a)
{
	for (struct arena_chunk *c = a->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
	a->used = a->size = 0;
}

int arena_reserve(struct arena *a, void **items, size_t *cap, size_t n, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
	ncap = ncap > need ? ncap : need;
	ncap = ncap > 8 ? ncap : 8;
	if (size == 0 || ncap > SIZE_MAX / size)
		return -ENOMEM;
	p = arena_alloc(a, ncap * size);
	if (!p)
		return -ENOMEM;
	if (n)
		memcpy(p, *items, n * size);
	*items = p;
	*cap = ncap;
	return 0;
}
