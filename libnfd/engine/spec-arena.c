/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bump allocator for specs and reports: both are immutable trees freed as a
 * whole, so one arena per object keeps the parsers free of unwinding code.
 */
#include <stdint.h>
#include <string.h>

#include "libnfd/engine/engine.h"

struct nfd_arena_chunk {
	struct nfd_arena_chunk *next;
	max_align_t data[];
};

#define CHUNK_MIN (16 * 1024)

void *nfd__arena_alloc(struct nfd_arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct nfd_arena_chunk *c;
	size_t csize;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	if (a->chunks && a->size - a->used >= size) {
		p = (char *)a->chunks->data + a->used;
		a->used += size;
		return memset(p, 0, size);
	}
	csize = size > CHUNK_MIN ? size : CHUNK_MIN;
	if (csize > SIZE_MAX - sizeof(*c))
		return NULL;
	c = malloc(sizeof(*c) + csize);
	if (!c)
		return NULL;
	/* A big allocation gets a chunk of its own behind the head, so the
	 * head's free space is not wasted. */
	if (size > CHUNK_MIN && a->chunks) {
		c->next = a->chunks->next;
		a->chunks->next = c;
	} else {
		c->next = a->chunks;
		a->chunks = c;
		a->size = csize;
		a->used = size;
	}
	return memset(c->data, 0, size);
}

char *nfd__arena_strndup(struct nfd_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = nfd__arena_alloc(a, len + 1);
	if (p)
		memcpy(p, s, len);
	return p;
}

char *nfd__arena_strdup(struct nfd_arena *a, const char *s)
{
	return nfd__arena_strndup(a, s, strlen(s));
}

void nfd__arena_release(struct nfd_arena *a)
{
	struct nfd_arena_chunk *c = a->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
	a->used = a->size = 0;
}
