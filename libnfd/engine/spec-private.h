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
