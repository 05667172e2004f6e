/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A bump allocator for objects that live and die as a whole: a parsed spec,
 * a report, the strings of a feature set.  No per-node frees and no
 * half-built trees to unwind on errors: arena_release() frees everything.
 * Not thread-safe: an arena belongs to the one object being built.
 */
#pragma once

#include <stddef.h>

struct arena_chunk {
	struct arena_chunk *next;
	max_align_t data[];
};

struct arena {
	struct arena_chunk *chunks;
	size_t used, size; /* of the head chunk */
};

/* Zeroed memory for any type (max_align_t); NULL on ENOMEM. */
void *arena_alloc(struct arena *a, size_t size);
/* arena_alloc_raw() when the head chunk has no room: a new chunk. */
void *arena__alloc_chunk(struct arena *a, size_t size, size_t align);

/* size bytes aligned to align (a power of two <= max_align_t's), not zeroed;
 * NULL on ENOMEM.  Inline: a spec's tree makes thousands of these. */
static inline void *arena_alloc_raw(struct arena *a, size_t size, size_t align)
{
	if (a->chunks) {
		size_t at = (a->used + align - 1) & ~(align - 1);

		if (at <= a->size && a->size - at >= size) {
			a->used = at + size;
			return (char *)a->chunks->data + at;
		}
	}
	return arena__alloc_chunk(a, size, align);
}
/* arena_alloc_raw() for bytes (align 1), inline while the head chunk has
 * room: the feature model takes a few thousand strings per discovery. */
static inline char *arena_alloc_bytes(struct arena *a, size_t size)
{
	if (a->chunks && a->size - a->used >= size) {
		char *p = (char *)a->chunks->data + a->used;

		a->used += size;
		return p;
	}
	return arena_alloc_raw(a, size, 1);
}
/* s[0..len) and a NUL; NULL on ENOMEM. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* Free every allocation; the arena is empty and usable again. */
void arena_release(struct arena *a);

/*
 * ARRAY_RESERVE() for an array that lives in the arena: when need exceeds
 * *cap, the n elements move to a copy of at least twice the size (the old
 * one stays, unused, until the arena is released).  0 or -ENOMEM.
 */
int arena_reserve(struct arena *a, void **items, size_t *cap, size_t n, size_t need, size_t size);
#define ARENA_RESERVE(a, items, cap, n, need)                                                      \
	arena_reserve((a), (void **)&(items), &(cap), (n), (need), sizeof(*(items)))
