/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The spec's YAML layer: a document tree with line:column marks (from
 * libyaml's events) and scalar decoding as NFD's sigs.k8s.io/yaml (yaml.v2,
 * YAML 1.1) does it (doc/semantics.md §9.6).
 */
#pragma once

#include "libnfd/engine/engine.h"
#include "shared/arena.h"

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP,
};

struct ynode {
	enum ynode_kind kind;
	bool plain; /* scalar unquoted and untagged: subject to YAML 1.1 resolution */
	struct nfd_pos pos;
	/* scalar */
	const char *text;
	size_t len;
	/* sequence items, or mapping keys and values interleaved */
	struct ynode **items;
	size_t n;
};

/* A zeroed node: aligned as a node (not as max_align_t), so that the tree
 * of a spec takes fewer pages.  NULL on ENOMEM. */
static inline struct ynode *ynode_new(struct arena *a)
{
	struct ynode *n = arena_alloc_raw(a, sizeof(*n), _Alignof(struct ynode));

	if (n)
		*n = (struct ynode){0};
	return n;
}

/*
 * Parse the first document of buf into a tree allocated from a.  Aliases
 * are rejected (no expansion bombs), nesting is bounded.  Returns 0 (with
 * *ret NULL for an empty stream), -EBADMSG with the message in *ret_msg
 * (arena string, "line:col: ..."), -ENOMEM, or -ENOTSUP when libyaml cannot
 * be loaded (a static message in *ret_msg).
 */
int nfd__yaml_load(struct arena *a, const char *buf, size_t len, struct ynode **ret,
		   const char **ret_msg);
/* nfd__yaml_load() with libyaml alone. */
int nfd__yaml_load_libyaml(struct arena *a, const char *buf, size_t len, struct ynode **ret,
			   const char **ret_msg);
/*
 * The house reader (spec-yaml-fast.c): for a document in the block-style
 * subset it reads, the tree libyaml's events give, and 1; 0 (nothing to
 * free: the arena's) when the document is outside that subset and libyaml
 * must read it; -ENOMEM.
 */
int nfd__yaml_fast_load(struct arena *a, const char *buf, size_t len, struct ynode **ret);
/* Whether two trees are the same (kinds, text, plain, positions). */
bool nfd__yaml_tree_equal(const struct ynode *x, const struct ynode *y);

enum yscalar_type {
	YSCALAR_STRING,
	YSCALAR_NULL,
	YSCALAR_BOOL,
	YSCALAR_INT,	/* fits int64 or uint64 */
	YSCALAR_BIGINT, /* beyond 64 bits: no string form */
	YSCALAR_FLOAT,
	YSCALAR_TIMESTAMP,
};

/*
 * Resolve a scalar as yaml.v2 does and give the string sigs.k8s.io/yaml
 * decodes into a Go string field: "true", "128", "6.1", "" for null,
 * RFC 3339 for timestamps.  *ret is an arena string (or the node's text).
 */
int nfd__yaml_scalar_string(struct arena *a, const struct ynode *n, const char **ret,
			    enum yscalar_type *ret_type);
