/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tables of the text report (report-text.c): go-pretty v6.8.2's
 * StyleLight with an auto-index column and a title, drawn from cells
 * measured once (struct table, report-text-private.h).  A row whose cells
 * fit is written in place from its known length and separators are copied
 * from a run of box characters; a table narrowed to a terminal, or a cell
 * with a line break, goes through the wrapping path.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/report-text-private.h"
#include "shared/macro.h"

static void pad(struct strbuf *sb, size_t n)
{
	if (n == 0 || !strbuf_reserve(sb, n))
		return;
	memset(sb->buf + sb->len, ' ', n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* 256 box-drawing horizontals, copied in runs instead of one at a time */
#define H4	   "────"
#define H16	   H4 H4 H4 H4
#define H64	   H16 H16 H16 H16
#define H256	   H64 H64 H64 H64
#define HBAR_BYTES 3 /* "─" in UTF-8, like every box-drawing character used */

/* n horizontals at o (which has room); the end of them */
static char *put_hbar(char *o, size_t n)
{
	static const char hbar[] = H256;

	while (n > 0) {
		size_t k = MIN(n, (size_t)256);

		memcpy(o, hbar, k * HBAR_BYTES);
		o += k * HBAR_BYTES;
		n -= k;
	}
	return o;
}

static char *put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

static char *put_spaces(char *o, size_t n)
{
	memset(o, ' ', n);
	return o + n;
}

/* After writing to o (room reserved before): the buffer's new end. */
static void done_at(struct strbuf *sb, char *o)
{
	sb->len = (size_t)(o - sb->buf);
	*o = '\0';
}

enum sep {
	SEP_TITLE_BOTTOM,
	SEP_MIDDLE,
	SEP_BOTTOM,
};

static const char *const junction[][3] = {
	[SEP_TITLE_BOTTOM] = {"├", "┬", "┤"},
	[SEP_MIDDLE] = {"├", "┼", "┤"},
	[SEP_BOTTOM] = {"└", "┴", "┘"},
};

/* A separator spans the row: row_len box characters and a newline. */
static size_t separator_len(const struct table *t)
{
	return HBAR_BYTES * t->row_len + 1;
}

static void separator(struct strbuf *sb, const struct table *t, enum sep kind)
{
	char *o;

	if (!strbuf_reserve(sb, separator_len(t)))
		return;
	o = put(sb->buf + sb->len, junction[kind][0], HBAR_BYTES);
	o = put_hbar(o, t->idx_w + 2);
	for (size_t c = 0; c < 4; c++) {
		o = put(o, junction[kind][1], HBAR_BYTES);
		o = put_hbar(o, t->w[c] + 2);
	}
	o = put(o, junction[kind][2], HBAR_BYTES);
	*o++ = '\n';
	done_at(sb, o);
}

/* Line k of s (lines split at '\n'), or "" past the end. */
static const char *nth_line(const char *s, size_t k, size_t *len)
{
	for (; k > 0 && s; k--) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s) {
		*len = 0;
		return "";
	}
	*len = strchrnul(s, '\n') - s;
	return s;
}

/* The digits of n at the end of buf (room for 20); their start. */
static const char *utoa(size_t n, char *end, size_t *len)
{
	char *p = end;

	do
		*--p = (char)('0' + n % 10);
	while (n /= 10);
	*len = (size_t)(end - p);
	return p;
}

/* A row whose cells all fit their columns on one line: its bytes are known,
 * so it is written in place. */
static void row_fast(struct strbuf *sb, const struct table *t, const char *index, size_t index_len,
		     const struct cell *cells)
{
	size_t n = 2 * (HBAR_BYTES + 1) + t->idx_w + 1;
	char *o;

	for (size_t c = 0; c < 4; c++)
		n += 2 + HBAR_BYTES + t->w[c] + cells[c].len - cells[c].width;
	if (!strbuf_reserve(sb, n))
		return;
	o = put(sb->buf + sb->len, "│ ", HBAR_BYTES + 1);
	o = put_spaces(o, t->idx_w - index_len);
	o = put(o, index, index_len);
	o = put(o, " │", HBAR_BYTES + 1);
	for (size_t c = 0; c < 4; c++) {
		*o++ = ' ';
		o = put(o, cells[c].s, cells[c].len);
		o = put_spaces(o, t->w[c] - cells[c].width);
		o = put(o, " │", HBAR_BYTES + 1);
	}
	*o++ = '\n';
	done_at(sb, o);
}

/* A row; a cell wider than its column (only when the table was narrowed
 * to max_width) is wrapped onto more lines within the column; a cell with
 * a line break shows its first line. */
static void row_line(struct strbuf *sb, const struct table *t, const char *index,
		     const struct cell *cells)
{
	struct strbuf wrapped[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	const char *text[4];
	size_t n_lines = 1;

	for (size_t c = 0; c < 4; c++) {
		size_t k_lines = 1;

		if (cells[c].width <= t->w[c] && !cells[c].newline)
			continue;
		text[c] = cells[c].s;
		if (cells[c].width <= t->w[c])
			continue;
		nfd__text_wrap(&wrapped[c], cells[c].s, t->w[c]);
		if (!strbuf_str(&wrapped[c])) {
			sb->oom = true;
			goto out;
		}
		text[c] = wrapped[c].buf;
		for (const char *e = strchr(text[c], '\n'); e; e = strchr(e + 1, '\n'))
			k_lines++;
		n_lines = MAX(n_lines, k_lines);
	}
	if (n_lines == 1) {
		struct cell first[4];

		/* one line: each cell's first line, measured */
		for (size_t c = 0; c < 4; c++) {
			first[c] = cells[c];
			if (cells[c].width <= t->w[c] && !cells[c].newline)
				continue;
			first[c].len = strchrnul(text[c], '\n') - text[c];
			first[c].s = text[c];
			first[c].width = nfd__text_width_n(text[c], first[c].len);
			/* go-pretty pads to the column, never cuts */
			if (first[c].width > t->w[c])
				first[c].width = t->w[c];
		}
		row_fast(sb, t, index, strlen(index), first);
		goto out;
	}
	for (size_t k = 0; k < n_lines; k++) {
		strbuf_puts(sb, "│ ");
		pad(sb, k ? t->idx_w : t->idx_w - strlen(index));
		if (!k)
			strbuf_puts(sb, index);
		strbuf_puts(sb, " │");
		for (size_t c = 0; c < 4; c++) {
			size_t len, width;
			const char *line;

			if (cells[c].width <= t->w[c] && !cells[c].newline) {
				line = k ? "" : cells[c].s;
				len = k ? 0 : cells[c].len;
			} else {
				line = nth_line(text[c], k, &len);
			}
			width = nfd__text_width_n(line, len);
			strbuf_putc(sb, ' ');
			strbuf_append(sb, line, len);
			pad(sb, t->w[c] > width ? t->w[c] - width : 0);
			strbuf_puts(sb, " │");
		}
		strbuf_putc(sb, '\n');
	}
out:
	for (size_t c = 0; c < 4; c++)
		strbuf_release(&wrapped[c]);
}

/* The narrowest the Feature and Expression columns get when a table is
 * fitted to a width; Matcher Type and Status keep theirs (short words). */
#define MIN_COLUMN 12

/* Narrow the wider of Feature and Expression until a row fits max_width
 * (or both are at MIN_COLUMN or their header's width). */
static void fit_width(struct table *t)
{
	size_t fixed = t->idx_w + 16 + t->w[2] + t->w[3];

	while (t->max_width && fixed + t->w[0] + t->w[1] > t->max_width) {
		size_t c = t->w[1] >= t->w[0] ? 1 : 0;

		if (t->w[c] <= MAX((size_t)MIN_COLUMN, t->header[c].width))
			c = 1 - c;
		if (t->w[c] <= MAX((size_t)MIN_COLUMN, t->header[c].width))
			break;
		t->w[c]--;
	}
}

/* Column widths, and whether any cell needs more than one plain line. */
void nfd__text_layout_table(struct table *t)
{
	size_t n = t->n_rows;

	t->idx_w = 1;
	while (n >= 10)
		t->idx_w++, n /= 10;
	for (size_t c = 0; c < 4; c++) {
		t->w[c] = t->header[c].width;
		for (size_t i = 0; i < t->n_rows; i++)
			t->w[c] = MAX(t->w[c], t->cells[i * 4 + c].width);
	}
	fit_width(t);
	t->row_len = t->idx_w + t->w[0] + t->w[1] + t->w[2] + t->w[3] + 16;
	t->wraps = false;
	for (size_t i = 0; i < (t->n_rows + 1) * 4; i++) {
		const struct cell *c = i < 4 ? &t->header[i] : &t->cells[i - 4];

		if (c->newline || c->width > t->w[i % 4])
			t->wraps = true;
	}
}

/* At least the bytes of a table, and about as many unless a cell wraps or
 * the title does (then a guess; the buffer grows if it is short). */
size_t nfd__text_table_len(const struct table *t)
{
	/* a row: row_len columns, six box characters of three bytes, '\n' */
	size_t row = t->row_len + 6 * (HBAR_BYTES - 1) + 1, total;

	/* top, title-bottom, header-bottom and bottom separators; the title
	 * line (trimming takes away no fewer bytes than columns); the header
	 * and the rows */
	total = 4 * separator_len(t) + t->row_len + 2 * (HBAR_BYTES - 1) + 1 + t->title.len -
		t->title.width + (t->n_rows + 1) * row;
	for (size_t c = 0; c < 4; c++)
		total += t->header[c].len - t->header[c].width;
	for (size_t i = 0; i < t->n_rows * 4; i++)
		total += t->cells[i].len - t->cells[i].width;
	for (size_t i = 0; i + 1 < t->n_rows; i++)
		total += t->sep_after[i] ? separator_len(t) : 0;
	if (t->wraps || t->title.newline || t->title.width > t->row_len - 4)
		total *= 2;
	return total;
}

int nfd__text_render_table(struct strbuf *sb, const struct table *t)
{
	_cleanup_strbuf_ struct strbuf wrapped = STRBUF_INIT;
	size_t text_len = t->row_len - 4;
	char num[24];
	const char *lines;
	char *o;

	if (!strbuf_reserve(sb, separator_len(t)))
		return -ENOMEM;
	o = put(sb->buf + sb->len, "┌", HBAR_BYTES);
	o = put_hbar(o, t->row_len - 2);
	o = put(o, "┐\n", HBAR_BYTES + 1);
	done_at(sb, o);
	lines = t->title.s;
	if (t->title.width > text_len) {
		nfd__text_wrap(&wrapped, t->title.s, text_len);
		lines = strbuf_str(&wrapped);
		if (!lines)
			return -ENOMEM;
	}
	for (const char *line = lines; line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line), width;

		nfd__text_trim(&line, &len);
		width = nfd__text_width_n(line, len);
		strbuf_puts(sb, "│ ");
		strbuf_append(sb, line, len);
		pad(sb, text_len > width ? text_len - width : 0);
		strbuf_puts(sb, " │\n");
		line = nl ? nl + 1 : NULL;
	}
	separator(sb, t, SEP_TITLE_BOTTOM);
	if (t->wraps)
		row_line(sb, t, "", t->header);
	else
		row_fast(sb, t, "", 0, t->header);
	/* go-pretty draws the header's bottom separator even with no rows */
	separator(sb, t, SEP_MIDDLE);
	for (size_t i = 0; i < t->n_rows; i++) {
		size_t len;
		const char *index = utoa(i + 1, num + sizeof(num) - 1, &len);

		num[sizeof(num) - 1] = '\0';
		if (t->wraps) {
			row_line(sb, t, index, &t->cells[i * 4]);
		} else {
			row_fast(sb, t, index, len, &t->cells[i * 4]);
		}
		if (t->sep_after[i] && i + 1 < t->n_rows)
			separator(sb, t, SEP_MIDDLE);
	}
	separator(sb, t, SEP_BOTTOM);
	return 0;
}
