/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "shared/macro.h"

/*
 * A growable NUL-terminated string.  An allocation failure is sticky: later
 * appends do nothing and strbuf_steal() returns NULL, so callers check once
 * at the end.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool oom;
};

#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, false                                                                  \
	}

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
bool strbuf_reserve(struct strbuf *sb, size_t extra);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_appendf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
void strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap) _printf_(2, 0);
void strbuf_truncate(struct strbuf *sb, size_t len);
/* "" when empty; NULL after an allocation failure */
const char *strbuf_str(struct strbuf *sb);
/* The caller owns the result (free(3)); NULL after an allocation failure. */
char *strbuf_steal(struct strbuf *sb);

/* inline: the JSON writers call these a few thousand times per document */
static inline void strbuf_append(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap && !strbuf_reserve(sb, n))
		return;
	if (sb->oom)
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static inline void strbuf_putc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap && !strbuf_reserve(sb, 1))
		return;
	if (sb->oom)
		return;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

static inline void strbuf_releasep(struct strbuf *sb)
{
	strbuf_release(sb);
}
#define _cleanup_strbuf_ _cleanup_(strbuf_releasep)
