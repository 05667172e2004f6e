/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between the spec decoder (spec-parse.c) and the spec's public API (spec-api.c). */
#pragma once

#include "libnfd/engine/engine.h"

/* Decode buf into spec (whose arena and name are set).  Errors are set on
 * ctx with name:line:column. */
int nfd__spec_decode(struct nfd_ctx *ctx, struct nfd_spec *spec, const char *buf, size_t len);
/* Number the features and (feature, element) pairs the terms use, for the
 * evaluation's caches.  0 or -ENOMEM. */
int nfd__spec_index(struct nfd_spec *spec);
/* Free what the arena does not hold (regexes, lists). */
void nfd__spec_release(struct nfd_spec *spec);

/* spec-lint.c: names the lint knows, and "did you mean". */
/* Case-insensitive edit distance ((size_t)-1 for words over 64 bytes). */
size_t nfd__lint_distance(const char *a, const char *b);
/* The candidate (of n, or up to a NULL) nearest to word, or NULL when none
 * is close enough to be a typo of it. */
const char *nfd__lint_nearest(const char *word, const char *const *cands, size_t n);
/*
 * Is feature_lc ("domain.feature", lower case) a feature the built-in
 * sources discover?  0: known (or of an open domain: local, rule), with
 * *ret_elements its closed set of element names or NULL; 1: unknown, with
 * the nearest known name in *ret_suggestion (or NULL).
 */
int nfd__lint_feature(const char *feature_lc, const char **ret_suggestion,
		      const char *const **ret_elements);
bool nfd__lint_element_known(const char *const *elements, const char *name);
size_t nfd__lint_count(const char *const *v);
