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

enum yscalar_type {
	YSCALAR_STRING,
	YSCALAR_NULL,
	YSCALAR_BOOL,
	YSCALAR_INT,	/* fits int64 or uint64 */
	YSCALAR_BIGINT, /* beyond 64 bits: no string form */
	YSCALAR_FLOAT,
	YSCALAR_TIMESTAMP,
};

struct ynode {
	enum ynode_kind kind;
	bool plain; /* scalar unquoted and untagged: subject to YAML 1.1 resolution */
	/* scalar: its type and the string sigs.k8s.io/yaml decodes into a Go
	 * string field, resolved once by the loader (nfd__yaml_resolve()) */
	unsigned char stype; /* enum yscalar_type */
	struct nfd_pos pos;
	/* scalar */
	const char *text;
	size_t len;
	const char *str; /* text itself when the resolution does not change it */
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
/* Whether two trees are the same (kinds, text, plain, positions, and the
 * scalars' resolution). */
bool nfd__yaml_tree_equal(const struct ynode *x, const struct ynode *y);

/*
 * Resolve the scalar n (text, len and plain set) as yaml.v2 does: n->stype
 * and n->str, the string sigs.k8s.io/yaml decodes into a Go string field:
 * "true", "128", "6.1", "" for null, RFC 3339 for timestamps, n->text
 * itself when that is the text (and for a YSCALAR_BIGINT, which has no
 * string form).  Both loaders call it for every scalar.  0 or -ENOMEM.
 */
int nfd__yaml_resolve(struct arena *a, struct ynode *n);

/* The words YAML 1.1 resolves, one kind per meaning. */
enum nfd_yaml_word {
	NFD_YAML_WORD_NONE,
	NFD_YAML_WORD_NULL,    /* "", ~, null, Null, NULL */
	NFD_YAML_WORD_TRUE,    /* y, yes, true, on in their spellings */
	NFD_YAML_WORD_FALSE,   /* n, no, false, off */
	NFD_YAML_WORD_NAN,     /* .nan, .NaN, .NAN */
	NFD_YAML_WORD_POS_INF, /* .inf, +.inf, ... */
	NFD_YAML_WORD_NEG_INF, /* -.inf, -.Inf, -.INF */
};

/* The word s[0..len) is (yaml.v2's resolve table), or NFD_YAML_WORD_NONE. */
enum nfd_yaml_word nfd__yaml_word(const char *s, size_t len);
