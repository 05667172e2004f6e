/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The human-readable report: NFD's validate-node output (doc/semantics.md §9.4), i.e.
 * go-pretty v6.8.2 tables in StyleLight with an auto-index column and a
 * title, reproduced byte for byte; plus, unless NFD_REPORT_NFD_ONLY, the
 * node's value under each failing row and a final verdict.
 *
 * How it is written (a 100-rule report is 150 KB): each rule's table is laid
 * out first (layout_rule(): every cell measured once, column widths), which
 * gives its exact length; a first pass over all tables sizes the output
 * buffer, so it is allocated once (and its pages mapped in one call, see
 * shared/strbuf.c).  A row whose cells fit is then written in place from
 * its known length, separators are copied from a run of box characters, and
 * only a table narrowed to a terminal (or a cell with a line break) goes
 * through the wrapping path.  The scratch space is reused rule after rule.
 * Text measuring and wrapping are in report-text-width.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/util.h"
#include "libnfd/report-text-private.h"

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

/* text.Color.Sprint: go-pretty's Escape() with the escape sequence seq. */
static void colorize(struct strbuf *sb, bool color, const char *seq, const char *s)
{
	if (!color) {
		strbuf_puts(sb, s);
		return;
	}
	strbuf_puts(sb, seq);
	strbuf_puts(sb, s);
	strbuf_puts(sb, ESC_RESET);
}

static void colorizef(struct strbuf *sb, bool color, const char *seq, const char *fmt, ...)
	_printf_(4, 5);
static void colorizef(struct strbuf *sb, bool color, const char *seq, const char *fmt, ...)
{
	va_list ap;

	if (color)
		strbuf_puts(sb, seq);
	va_start(ap, fmt);
	strbuf_vappendf(sb, fmt, ap);
	va_end(ap);
	if (color)
		strbuf_puts(sb, ESC_RESET);
}

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
static void layout_table(struct table *t)
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
static size_t table_len(const struct table *t)
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

static int render_table(struct strbuf *sb, const struct table *t)
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

/*
 * What the tables of one report share, allocated once and reused rule after
 * rule: the cells, the Feature column's texts, the title, the explanation
 * lines.
 */
struct scratch {
	bool color;
	size_t max_width;
	struct cell *cells; /* 4 per row */
	bool *sep;
	size_t *count; /* explanation lines: how often each was met */
	size_t *line;  /* and where each starts in expl (ends: the next) */
	size_t cap_rows;
	struct strbuf names; /* "feature.name" of each row, each with its NUL */
	struct strbuf title;
	struct strbuf expl;
};

static void scratch_release(struct scratch *sc)
{
	free(sc->cells);
	free(sc->sep);
	free(sc->count);
	free(sc->line);
	strbuf_release(&sc->names);
	strbuf_release(&sc->title);
	strbuf_release(&sc->expl);
}

static int scratch_reserve(struct scratch *sc, size_t n_rows)
{
	size_t cap = MAX(n_rows + 1, 2 * sc->cap_rows);
	struct cell *cells;
	bool *sep;
	size_t *count, *line;

	if (n_rows + 1 <= sc->cap_rows)
		return 0;
	if (cap > SIZE_MAX / (4 * sizeof(*cells)))
		return -ENOMEM;
	cells = realloc(sc->cells, 4 * cap * sizeof(*cells));
	if (cells)
		sc->cells = cells;
	sep = realloc(sc->sep, cap * sizeof(*sep));
	if (sep)
		sc->sep = sep;
	count = realloc(sc->count, cap * sizeof(*count));
	if (count)
		sc->count = count;
	line = realloc(sc->line, (cap + 1) * sizeof(*line));
	if (line)
		sc->line = line;
	if (!cells || !sep || !count || !line)
		return -ENOMEM;
	sc->cap_rows = cap;
	return 0;
}

/* The table's title into sc->title: "RULE: NAME - OK" (NAME upper-cased). */
static void rule_title(struct scratch *sc, const struct nfd_report_rule *rule)
{
	struct strbuf *sb = &sc->title;

	strbuf_truncate(sb, 0);
	if (sc->color)
		strbuf_puts(sb, "\x1b[1m");
	strbuf_puts(sb, "RULE: ");
	for (const char *p = rule->name; *p;) {
		size_t n = 0;
		uint32_t c;

		/* ASCII, most names: upper-cased where it is copied */
		while ((unsigned char)p[n] - 1u < 0x7fu)
			n++;
		if (n > 0 && strbuf_reserve(sb, n)) {
			for (size_t i = 0; i < n; i++)
				sb->buf[sb->len + i] =
					p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 0x20) : p[i];
			sb->len += n;
			sb->buf[sb->len] = '\0';
		}
		p += n;
		if (!*p)
			break;
		n = nfd__text_next_rune(p, &c);
		nfd__text_put_rune(sb, nfd__text_to_upper(c));
		p += n;
	}
	strbuf_puts(sb, " - ");
	if (sc->color)
		strbuf_puts(sb,
			    rule->is_match ? "\x1b[42m OK " ESC_RESET : "\x1b[41m FAIL " ESC_RESET);
	else
		strbuf_puts(sb, rule->is_match ? " OK " : " FAIL ");
}

/* "feature.name" (or "feature" for matchName) */
static void put_feature(struct strbuf *sb, const struct nfd_report_row *row)
{
	strbuf_puts(sb, row->feature);
	if (row->name[0]) {
		strbuf_putc(sb, '.');
		strbuf_puts(sb, row->name);
	}
}

/*
 * One line per failing row, what the node has; a line repeated in several
 * matchAny elements is printed once with a count, so a 32-alternative
 * matchAny stays readable.  Then the rule's hints (explain.c).
 */
static void explain(struct strbuf *sb, struct scratch *sc, const struct nfd_report_rule *rule)
{
	struct strbuf *l = &sc->expl;
	size_t n = 0;

	strbuf_truncate(l, 0);
	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];
		const char *v = row->node_value;
		size_t k, start = l->len;

		if (row->is_match)
			continue;
		strbuf_puts(l, "  ");
		put_feature(l, row);
		strbuf_putc(l, ' ');
		strbuf_puts(l, row->expr->str);
		strbuf_puts(l, ": ");
		if (!v && row->unreadable) {
			strbuf_puts(l, row->feature);
			colorize(l, sc->color, "\x1b[33m", " could not be read: ");
			strbuf_puts(l, row->unreadable);
		} else if (!v) {
			colorize(l, sc->color, "\x1b[33m", "not present");
		} else {
			size_t len = strnlen(v, 201);

			strbuf_puts(l, "node has: ");
			/* at most 200 bytes of it, as "%.200s..." */
			strbuf_append(l, v, MIN(len, (size_t)200));
			if (len > 200)
				strbuf_puts(l, "...");
		}
		if (l->oom) {
			sb->oom = true; /* sticky: the caller reports -ENOMEM */
			return;
		}
		for (k = 0; k < n; k++)
			if (sc->line[k + 1] - sc->line[k] == l->len - start &&
			    memcmp(l->buf + sc->line[k], l->buf + start, l->len - start) == 0)
				break;
		if (k < n) {
			sc->count[k]++;
			strbuf_truncate(l, start);
			continue;
		}
		sc->line[n] = start;
		sc->count[n++] = 1;
		sc->line[n] = l->len;
	}
	for (size_t k = 0; k < n; k++) {
		strbuf_append(sb, l->buf + sc->line[k], sc->line[k + 1] - sc->line[k]);
		if (sc->count[k] > 1)
			strbuf_appendf(sb, " (in %zu matchAny elements)", sc->count[k]);
		strbuf_putc(sb, '\n');
	}
	for (size_t k = 0; k < rule->n_hints; k++) {
		strbuf_puts(sb, "  ");
		colorize(sb, sc->color, "\x1b[33m", rule->hints[k]);
		strbuf_putc(sb, '\n');
	}
}

/* At least the bytes explain() writes for rule. */
static size_t explain_len(const struct scratch *sc, const struct nfd_report_rule *rule)
{
	size_t len = 0, color = sc->color ? sizeof("\x1b[33m" ESC_RESET) : 0;

	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];

		if (row->is_match)
			continue;
		/* "  f.n expr: " ... " (in N matchAny elements)\n" */
		len += 2 * strlen(row->feature) + strlen(row->name) + strlen(row->expr->str) +
		       color + 64;
		if (row->node_value)
			len += strnlen(row->node_value, 201) + 16;
		else if (row->unreadable)
			len += strlen(row->unreadable) + 32;
	}
	for (size_t k = 0; k < rule->n_hints; k++)
		len += strlen(rule->hints[k]) + color + 3;
	return len;
}

static const struct cell type_cells[] = {
	{"matchExpression", 15, 15, false},
	{"matchName", 9, 9, false},
};
/* [color][is_match] */
static const struct cell status_cells[2][2] = {
	{{"FAIL", 4, 4, false}, {"OK", 2, 2, false}},
	{{"\x1b[91mFAIL" ESC_RESET, 13, 4, false}, {"\x1b[92mOK" ESC_RESET, 11, 2, false}},
};

static const struct cell header[] = {
	{"Feature", 7, 7, false},
	{"Expression", 10, 10, false},
	{"Matcher Type", 12, 12, false},
	{"Status", 6, 6, false},
};

/* The table of rule, laid out in sc (valid until the next rule). */
static int layout_rule(struct scratch *sc, const struct nfd_report_rule *rule, struct table *t)
{
	size_t off = 0;

	if (scratch_reserve(sc, rule->n_rows) < 0)
		return -ENOMEM;
	rule_title(sc, rule);
	strbuf_truncate(&sc->names, 0);
	for (size_t i = 0; i < rule->n_rows; i++) {
		put_feature(&sc->names, &rule->rows[i]);
		strbuf_putc(&sc->names, '\0');
	}
	if (!strbuf_str(&sc->title) || !strbuf_str(&sc->names))
		return -ENOMEM;
	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];
		struct cell *c = &sc->cells[i * 4];

		nfd__text_measure(&c[0], sc->names.buf + off);
		off += c[0].len + 1;
		nfd__text_measure(&c[1], row->expr->str);
		c[2] = type_cells[row->is_match_name];
		c[3] = status_cells[sc->color][row->is_match];
		sc->sep[i] = false;
	}
	/* AppendSeparator() before each matchAny element: after the row before it */
	for (size_t k = 0; k < rule->n_any; k++)
		if (rule->any_start[k] > 0)
			sc->sep[rule->any_start[k] - 1] = true;
	*t = (struct table){
		.header = header,
		.n_rows = rule->n_rows,
		.cells = sc->cells,
		.sep_after = sc->sep,
		.max_width = sc->max_width,
	};
	nfd__text_measure(&t->title, sc->title.buf);
	layout_table(t);
	return 0;
}

/* A Feature cell's measure without writing it: "feature.name" measures as
 * its parts unless an escape sequence could run across the '.' (UTF-8
 * cannot: '.' is no continuation byte); then it is written out. */
static void measure_feature(struct scratch *sc, struct cell *c, const struct nfd_report_row *row)
{
	struct cell f, n;

	nfd__text_measure(&f, row->feature);
	if (row->name[0] && (f.width != f.len || f.newline) && memchr(f.s, '\x1b', f.len)) {
		strbuf_truncate(&sc->names, 0);
		put_feature(&sc->names, row);
		nfd__text_measure(c, strbuf_str(&sc->names) ? sc->names.buf : "");
		return;
	}
	*c = f;
	if (!row->name[0])
		return;
	nfd__text_measure(&n, row->name);
	c->len += 1 + n.len;
	c->width += 1 + n.width;
	c->newline |= n.newline;
}

/* layout_rule() for the first pass: the table's sizes without its texts
 * (its cells' and title's strings are not set). */
static int measure_rule(struct scratch *sc, const struct nfd_report_rule *rule, struct table *t)
{
	size_t name_len = strlen(rule->name);
	int r;

	/* a rule name in printable ASCII, the usual: the title's size is known */
	if (nfd__text_ascii_run(rule->name, name_len) < name_len)
		return layout_rule(sc, rule, t);
	if ((r = scratch_reserve(sc, rule->n_rows)) < 0)
		return r;
	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];
		struct cell *c = &sc->cells[i * 4];

		measure_feature(sc, &c[0], row);
		nfd__text_measure(&c[1], row->expr->str);
		c[2] = type_cells[row->is_match_name];
		c[3] = status_cells[sc->color][row->is_match];
		sc->sep[i] = false;
	}
	if (sc->names.oom)
		return -ENOMEM;
	for (size_t k = 0; k < rule->n_any; k++)
		if (rule->any_start[k] > 0)
			sc->sep[rule->any_start[k] - 1] = true;
	*t = (struct table){
		.header = header,
		.n_rows = rule->n_rows,
		.cells = sc->cells,
		.sep_after = sc->sep,
		.max_width = sc->max_width,
	};
	/* "RULE: NAME - OK " or " FAIL ", bold and with a background in colour */
	t->title.width = strlen("RULE: ") + name_len + strlen(" - ") +
			 (rule->is_match ? strlen(" OK ") : strlen(" FAIL "));
	t->title.len = t->title.width;
	if (sc->color)
		t->title.len += strlen("\x1b[1m") + strlen("\x1b[42m" ESC_RESET);
	layout_table(t);
	return 0;
}

static int render_rule(struct strbuf *sb, struct scratch *sc, const struct nfd_report_rule *rule,
		       unsigned int flags)
{
	struct table t;
	int r = layout_rule(sc, rule, &t);

	if (r < 0)
		return r;
	r = render_table(sb, &t);
	if (r < 0)
		return r;
	if (!(flags & NFD_REPORT_NFD_ONLY))
		explain(sb, sc, rule);
	return 0;
}

static void verdict(struct strbuf *sb, const struct nfd_report *r, bool color)
{
	int best = r->best;

	if (best >= 0) {
		const struct nfd_report_set *s = &r->sets[best];

		colorize(sb, color, "\x1b[32;1m", "Compatible:");
		strbuf_appendf(sb, " best set #%d (weight %d", best + 1, s->set->weight);
		if (s->set->tag[0])
			strbuf_appendf(sb, ", tag \"%s\"", s->set->tag);
		strbuf_puts(sb, ")");
		if (s->set->description[0])
			strbuf_appendf(sb, ": %s", s->set->description);
		strbuf_putc(sb, '\n');
	} else {
		colorize(sb, color, "\x1b[31;1m", "Not compatible:");
		strbuf_puts(sb, r->n_sets ? " no compatibility set matches this node\n"
					  : " no compatibility set was evaluated\n");
	}
}

/* At least the bytes of the report (exact for its tables when no cell
 * wraps), so that the buffer is allocated once: a first pass lays out
 * every table without writing it. */
static int report_len(const struct nfd_report *r, unsigned int flags, struct scratch *sc,
		      size_t *ret)
{
	size_t len = 256;

	for (size_t i = 0; i < r->n_sets; i++) {
		const struct nfd_report_set *s = &r->sets[i];

		/* the set's heading, the verdict's mention of it */
		len += 2 * (strlen(s->set->tag) + strlen(s->set->description)) + 256;
		for (size_t k = 0; k < s->n_rules; k++) {
			struct table t;

			if (measure_rule(sc, &s->rules[k], &t) < 0)
				return -ENOMEM;
			len += table_len(&t);
			if (!(flags & NFD_REPORT_NFD_ONLY))
				len += explain_len(sc, &s->rules[k]);
		}
	}
	*ret = len;
	return 0;
}

int nfd__report_to_text(const struct nfd_report *r, unsigned int flags, size_t width,
			struct strbuf *sb)
{
	struct scratch sc = {
		.color = flags & NFD_REPORT_COLOR,
		.max_width = width,
		.names = STRBUF_INIT,
		.title = STRBUF_INIT,
		.expl = STRBUF_INIT,
	};
	bool color = sc.color;
	size_t len;
	int err = report_len(r, flags, &sc, &len);

	if (err < 0)
		goto out;
	err = -ENOMEM;
	if (!strbuf_reserve(sb, len))
		goto out;
	for (size_t i = 0; i < r->n_sets; i++) {
		const struct nfd_report_set *s = &r->sets[i];

		colorizef(sb, color, "\x1b[36;1m", "COMPATIBILITY SET #%zu ", i + 1);
		colorizef(sb, color, "\x1b[36m", "Weight: %d", s->set->weight);
		if (s->set->tag[0])
			colorizef(sb, color, "\x1b[36m", "; Tag: %s", s->set->tag);
		strbuf_putc(sb, '\n');
		colorizef(sb, color, "\x1b[37m", "Description: %s", s->set->description);
		strbuf_putc(sb, '\n');
		for (size_t k = 0; k < s->n_rules; k++) {
			err = render_rule(sb, &sc, &s->rules[k], flags);
			if (err < 0)
				goto out;
		}
		strbuf_putc(sb, '\n');
	}
	if (!(flags & NFD_REPORT_NFD_ONLY))
		verdict(sb, r, color);
	err = 0;
out:
	scratch_release(&sc);
	return err;
}
