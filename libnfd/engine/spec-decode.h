/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The spec decoder's building blocks, for decoders of other documents that
 * hold the same rules (NodeFeatureRule and NodeFeatureGroup objects,
 * nfr-parse.c): Go's field matching, scalar coercion, matchers with compiled
 * expressions, and messages as name:line:column.
 */
#pragma once

#include "libnfd/engine/spec-yaml.h"

struct strvec {
	const char **v;
	size_t n, cap;
};

/* The decoder's state (spec-decode.c); the spec's arena holds what it
 * decodes. */
struct parser {
	struct nfd_ctx *ctx;
	struct nfd_spec *spec;
	struct arena *a;
	struct strvec warnings, problems, sources;
	struct nfd_expr **exprs;
	size_t n_exprs, cap_exprs;
};

/* 0, or -ENOMEM when s is NULL (a failed arena copy) or the vector cannot grow. */
int nfd__dec_strvec_push(struct strvec *sv, const char *s);

struct nfd__field {
	const char *name;
	const struct ynode *value;
	const char *key; /* the key that set it */
};

/* An entry of a string-keyed mapping (vars, matchExpressions). */
struct nfd__pair {
	const char *key;
	const struct ynode *key_node, *value;
	size_t order;
};

/* A decoder whose messages are prefixed with spec->name and whose arena is
 * spec's.  0 or -ENOMEM (message set). */
int nfd__dec_new(struct nfd_ctx *ctx, struct nfd_spec *spec, struct parser **ret);
/* Hand what was decoded (expressions, warnings, problems, sources) to the
 * spec, index it when r >= 0, and free p.  Returns r, or -ENOMEM. */
int nfd__dec_finish(struct parser *p, int r);

bool nfd__dec_is_null(const struct ynode *n);
/* Warn of every repeated key of every mapping under root (NFD keeps the
 * last, doc/semantics.md): 0 or -ENOMEM. */
int nfd__dec_duplicates(struct parser *p, const struct ynode *root);
/* An error at n: sets the message, returns -EBADMSG. */
int nfd__dec_error(struct parser *p, const struct ynode *n, const char *fmt, ...) _printf_(3, 4);
/* A problem (as validate-spec lists them) at n: 0 or -ENOMEM. */
int nfd__dec_problem(struct parser *p, const struct ynode *n, const char *fmt, ...) _printf_(3, 4);
/* A warning at n (also logged): 0 or -ENOMEM. */
int nfd__dec_warning(struct parser *p, const struct ynode *n, const char *fmt, ...) _printf_(3, 4);
/* "a list", "a mapping" or "a scalar", for messages */
const char *nfd__dec_kind_name(const struct ynode *n);
/*
 * Assign map's entries to fields as encoding/json does (exact name, then
 * case-insensitive; of keys naming one field the greatest wins); unknown
 * keys are ignored as NFD ignores them, and reported as lint problems.
 */
int nfd__dec_fields(struct parser *p, const struct ynode *map, const char *what,
		    struct nfd__field *fields, size_t n_fields);
/* A scalar as the Go string NFD's field would hold (warning where YAML 1.1
 * rewrites it); nfd__dec_opt_string() leaves *ret alone for absent or null. */
int nfd__dec_string(struct parser *p, const struct ynode *n, const char *what, const char **ret);
int nfd__dec_opt_string(struct parser *p, const struct ynode *n, const char *what,
			const char **ret);
/* A string-keyed mapping as pairs sorted by key, the last of equal keys
 * kept (an arena array). */
int nfd__dec_pairs(struct parser *p, const struct ynode *map, const char *what,
		   struct nfd__pair **ret, size_t *ret_n);
/* a list (0), null (*ret_null), or an error */
int nfd__dec_list(struct parser *p, const struct ynode *n, const char *what, bool *ret_null);
/*
 * The list n (NULL: absent) of what, each item decoded by decode into a new
 * arena array of *ret_n elements of size bytes; null or absent leaves
 * *ret_items and *ret_n as they are.  0 or -errno (message set).
 */
int nfd__dec_items(struct parser *p, const struct ynode *n, const char *what, size_t size,
		   int (*decode)(struct parser *p, const struct ynode *n, void *item),
		   void **ret_items, size_t *ret_n);
/* A string -> string mapping, sorted by key, the last duplicate winning;
 * a null value is "".  The array and strings live in the spec's arena. */
int nfd__dec_string_map(struct parser *p, const struct ynode *n, const char *what,
			struct nfd_kv **ret, size_t *ret_n);
/* matchFeatures (a list of terms) */
int nfd__dec_matcher(struct parser *p, const struct ynode *n, struct nfd_matcher *m);
/* Number of report rows of a matcher: sets rule->n_rows. */
size_t nfd__dec_matcher_rows(const struct nfd_matcher *m);
