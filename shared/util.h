/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/macro.h"

/* Join two path parts with exactly one '/' between them; NULL on ENOMEM. */
char *path_join(const char *a, const char *b);

/*
 * Read a whole file into a NUL-terminated buffer (the caller frees it).
 * Returns 0, -errno from open/read, or -E2BIG when the file is larger than
 * max bytes.  path "-" reads stdin.
 */
int read_file(const char *path, size_t max, char **ret, size_t *ret_len);

/*
 * Read a small (sysfs-style) file into buf and strip trailing whitespace.
 * Returns the resulting length (>= 0) or -errno (-E2BIG if it did not fit).
 */
int read_small_file(const char *path, char *buf, size_t size);

/* Same as read_small_file() for "dir/name". */
int read_small_file_at(const char *dir, const char *name, char *buf, size_t size);

/* Remove leading and trailing whitespace in place; returns s. */
char *strstrip(char *s);

/* Parse a non-negative decimal integer; returns 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *s, unsigned long long *ret);

/* A string duplicated with its length; NULL on ENOMEM. */
char *memdup_str(const char *s, size_t len);

/*
 * Decode the UTF-8 sequence at s, of at most avail bytes: its length (1..4),
 * with the code point in *ret, or 0 where Go sees no valid sequence
 * (overlong forms, surrogates, beyond U+10FFFF, cut short).
 */
size_t utf8_decode(const char *s, size_t avail, uint32_t *ret);

/* getenv(), but NULL in a setuid program (secure_getenv()) and for "". */
const char *secure_env(const char *name);

/*
 * Map the whole pages between buf + from and buf + to (memory the caller
 * owns) in one madvise(MADV_POPULATE_WRITE) call, instead of a page fault
 * per page as they are first written.  Pages partly outside the range are
 * left alone (they may be another block's).  Kernels before 5.14 refuse
 * the advice and the pages fault in as before.
 */
void populate_pages(void *buf, size_t from, size_t to);
