/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "shared/strbuf.h"

/*
 * JSON output byte-compatible with Go's encoding/json, which NFD uses:
 * '<', '>', '&', U+2028 and U+2029 escaped as \u003c ..., control characters
 * as \b \f \n \r \t or \u00XX, other non-ASCII emitted raw, invalid UTF-8
 * replaced by U+FFFD.
 */
void json_write_string(struct strbuf *sb, const char *s, size_t len);
/* The same for a NUL-terminated s: a string of up to a few hundred bytes
 * with nothing to escape (the common case) is copied in one pass. */
void json_write_cstr(struct strbuf *sb, const char *s);
/* Whether s[0..len) goes out as is between quotes (nothing to escape). */
bool json_is_plain(const char *s, size_t len);
/* Newline plus 4 spaces per level, as json.MarshalIndent(v, "", "    "). */
void json_write_indent(struct strbuf *sb, int level);
