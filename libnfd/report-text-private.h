/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Between the text report (report-text.c) and what it measures text with
 * (report-text-width.c): display widths as go-pretty counts them, its
 * wrapping, Go's upper-casing.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shared/strbuf.h"

#define ESC_RESET "\x1b[0m"

/* A cell of a table: its bytes, its display width, and whether it holds a
 * line break (then only its first line is drawn, as go-pretty does). */
struct cell {
	const char *s;
	size_t len;
	size_t width;
	bool newline;
};

/* The code point at s as Go's range over a string sees it (an invalid byte
 * is U+FFFD); its length in bytes. */
size_t nfd__text_next_rune(const char *s, uint32_t *c);
/* go-pretty's StringWidthWithoutEscSequences of the len bytes at s, or of s. */
size_t nfd__text_width_n(const char *s, size_t len);
size_t nfd__text_width(const char *s);
/* The length of the run of printable ASCII (0x20..0x7e) that starts the n
 * bytes at s. */
size_t nfd__text_ascii_run(const char *s, size_t n);
/* Measure s into *c; only what is not printable ASCII is decoded. */
void nfd__text_measure(struct cell *c, const char *s);
/* strings.TrimSpace of the *len bytes at *s */
void nfd__text_trim(const char **s, size_t *len);
/* text.WrapText -> wrapHard of s at width columns, appended to out */
void nfd__text_wrap(struct strbuf *out, const char *s, size_t width);
/* unicode.ToUpper for the scripts rule names are written in */
uint32_t nfd__text_to_upper(uint32_t c);
/* c in UTF-8 at the end of sb */
void nfd__text_put_rune(struct strbuf *sb, uint32_t c);
