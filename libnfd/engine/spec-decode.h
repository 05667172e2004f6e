/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The spec decoder's building blocks, for decoders of other documents that
 * hold the same rules (NodeFeatureRule and NodeFeatureGroup objects,
 * nfr-parse.c): Go's field matching, scalar coercion, matchers with compiled
 * expressions, and messages as name:line:column.
 */
#pragma once

#include "libnfd/engine/spec-yaml.h"

/* spec-parse.c's decoder state */
struct parser;

struct nfd__field {
	const char *name;
	const struct ynode *value;
	const char *key; /* the key that set it */
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
int nfd__dec_fields(struct parser *p, const struct ynode *map, const char *what,
		    struct nfd__field *fields, size_t n_fields);
int nfd__dec_string(struct parser *p, const struct ynode *n, const char *what, const char **ret);
/* a list (0), null (*ret_null), or an error */
int nfd__dec_list(struct parser *p, const struct ynode *n, const char *what, bool *ret_null);
/* A string -> string mapping, sorted by key, the last duplicate winning;
 * a null value is "".  The array and strings live in the spec's arena. */
int nfd__dec_string_map(struct parser *p, const struct ynode *n, const char *what,
			struct nfd_kv **ret, size_t *ret_n);
/* matchFeatures (a list of terms) */
int nfd__dec_matcher(struct parser *p, const struct ynode *n, struct nfd_matcher *m);
/* Number of report rows of a matcher: sets rule->n_rows. */
size_t nfd__dec_matcher_rows(const struct nfd_matcher *m);
