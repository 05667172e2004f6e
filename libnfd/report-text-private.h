/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Between the text report (report-text.c), what it measures text with
 * (report-text-width.c: display widths as go-pretty counts them, its
 * wrapping, Go's upper-casing) and what draws its tables
 * (report-text-table.c).
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

/* One rule's table, laid out: every cell measured once. */
struct table {
	struct cell title;
	const struct cell *header; /* 4 */
	size_t n_rows;
	const struct cell *cells; /* n_rows * 4 */
	const bool *sep_after;
	size_t w[4];
	size_t idx_w;
	size_t row_len;
	size_t max_width; /* 0: as wide as the cells (NFD's output) */
	bool wraps;	  /* a cell is wider than its column, or holds a line break */
};

/* Column widths of t from its cells (and max_width), and whether it wraps. */
void nfd__text_layout_table(struct table *t);
/* At least the bytes nfd__text_render_table() writes for t, and about as
 * many unless a cell or the title wraps (then a guess: the buffer grows). */
size_t nfd__text_table_len(const struct table *t);
/* t as go-pretty draws it, appended to sb.  0 or -ENOMEM. */
int nfd__text_render_table(struct strbuf *sb, const struct table *t);
