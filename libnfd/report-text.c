/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The human-readable report: NFD's validate-node output (doc/semantics.md §9.4), i.e.
 * go-pretty v6.8.2 tables in StyleLight with an auto-index column and a
 * title, reproduced byte for byte; plus, unless NFD_REPORT_NFD_ONLY, the
 * node's value under each failing row and a final verdict.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/util.h"

#define ESC_RESET "\x1b[0m"

/* Display width of one code point (go-runewidth, East Asian wide = 2). */
static int rune_width(uint32_t c)
{
	if (c == 0 || (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || c == 0x200b)
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* The code point at s as Go's range over a string sees it: an invalid byte
 * is U+FFFD (one narrow character). */
static size_t next_rune(const char *s, uint32_t *c)
{
	size_t n = utf8_decode(s, strnlen(s, 4), c);

	if (n == 0) {
		*c = 0xfffd;
		return 1;
	}
	return n;
}

/* Length of an escape sequence at s ("\x1b[...m"), 0 if none. */
static size_t escape_len(const char *s)
{
	size_t n = 2;

	if (s[0] != '\x1b' || s[1] != '[')
		return 0;
	while (s[n] && !((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
		n++;
	return s[n] ? n + 1 : n;
}

/* go-pretty's StringWidthWithoutEscSequences. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	while (*s) {
		size_t e;
		uint32_t c;

		/* printable ASCII, most of a report: one column, no decoding */
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {
			w++;
			s++;
			continue;
		}
		e = escape_len(s);
		if (e) {
			s += e;
			continue;
		}
		s += next_rune(s, &c);
		w += (size_t)rune_width(c);
	}
	return w;
}

static void pad(struct strbuf *sb, size_t n)
{
	if (n == 0 || !strbuf_reserve(sb, n))
		return;
	memset(sb->buf + sb->len, ' ', n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

static void repeat(struct strbuf *sb, const char *s, size_t n)
{
	size_t len = strlen(s), start = sb->len;

	if (n == 0 || !strbuf_reserve(sb, len * n))
		return;
	/* one copy of s, then the copies made so far, doubling */
	strbuf_append(sb, s, len);
	for (size_t have = 1; have < n;) {
		size_t more = MIN(have, n - have);

		memcpy(sb->buf + sb->len, sb->buf + start, more * len);
		sb->len += more * len;
		have += more;
	}
	sb->buf[sb->len] = '\0';
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

struct table {
	const char *title;
	const char *const *header;
	size_t n_rows;
	char **cells; /* n_rows * 4 */
	const bool *sep_after;
	size_t w[4];
	size_t idx_w;
	size_t row_len;
	size_t max_width; /* 0: as wide as the cells (NFD's output) */
};

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0;
}

/* strings.TrimSpace */
static void trim(const char **s, size_t *len)
{
	uint32_t c;

	while (*len && is_space((unsigned char)**s))
		(*s)++, (*len)--;
	while (*len) {
		size_t i = *len - 1;

		while (i > 0 && ((unsigned char)(*s)[i] & 0xc0) == 0x80)
			i--;
		next_rune(*s + i, &c);
		if (!is_space(c))
			break;
		*len = i;
	}
}

/*
 * text.WrapText -> wrapHard: words joined by single spaces, a word that does
 * not fit broken at the exact width; escape sequences take no room and are
 * closed and reopened around line breaks.
 */
static void wrap_hard(struct strbuf *out, const char *s, size_t width)
{
	char last_esc[32] = "";
	size_t line = 0;
	const char *p = s;

	while (*p) {
		const char *word;
		size_t wlen, wwidth;
		bool last;

		while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && !(*p == ' ' || (*p >= '\t' && *p <= '\r')))
			p++;
		wlen = (size_t)(p - word);
		{
			_cleanup_free_ char *w = strndup(word, wlen);

			if (!w)
				return;
			wwidth = text_width(w);
			/* remember the last opening sequence of the word */
			for (const char *q = w; *q; q++) {
				size_t e = escape_len(q);

				if (e && e < sizeof(last_esc)) {
					if (strncmp(q, ESC_RESET, e) == 0)
						last_esc[0] = '\0';
					else
						snprintf(last_esc, sizeof(last_esc), "%.*s", (int)e,
							 q);
				}
			}
		}
		{
			const char *q = p;

			while (*q == ' ' || (*q >= '\t' && *q <= '\r'))
				q++;
			last = !*q;
		}
		if (line > 0) {
			strbuf_putc(out, ' ');
			line++;
		}
		if (line + wwidth <= width) {
			strbuf_append(out, word, wlen);
			line += wwidth;
		} else {
			for (const char *q = word; q < word + wlen;) {
				size_t e = escape_len(q);
				uint32_t c;
				size_t n;

				if (e) {
					strbuf_append(out, q, e);
					q += e;
					continue;
				}
				if (line >= width) {
					if (last_esc[0])
						strbuf_puts(out, ESC_RESET);
					strbuf_putc(out, '\n');
					strbuf_puts(out, last_esc);
					line = 0;
				}
				n = next_rune(q, &c);
				strbuf_append(out, q, n);
				line += (size_t)rune_width(c);
				q += n;
			}
		}
		if (line == width && !last) {
			if (last_esc[0])
				strbuf_puts(out, ESC_RESET);
			strbuf_putc(out, '\n');
			strbuf_puts(out, last_esc);
			line = 0;
		}
	}
}

enum sep {
	SEP_TITLE_BOTTOM,
	SEP_MIDDLE,
	SEP_BOTTOM,
};

static void separator(struct strbuf *sb, const struct table *t, enum sep kind)
{
	static const char *const junction[][3] = {
		[SEP_TITLE_BOTTOM] = {"├", "┬", "┤"},
		[SEP_MIDDLE] = {"├", "┼", "┤"},
		[SEP_BOTTOM] = {"└", "┴", "┘"},
	};

	strbuf_puts(sb, junction[kind][0]);
	repeat(sb, "─", t->idx_w + 2);
	for (size_t c = 0; c < 4; c++) {
		strbuf_puts(sb, junction[kind][1]);
		repeat(sb, "─", t->w[c] + 2);
	}
	strbuf_puts(sb, junction[kind][2]);
	strbuf_putc(sb, '\n');
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

/* A row; a cell wider than its column (only when the table was narrowed
 * to max_width) is wrapped onto more lines within the column. */
static void row_line(struct strbuf *sb, const struct table *t, const char *index,
		     const char *const *cells)
{
	struct strbuf wrapped[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
	const char *text[4];
	size_t n_lines = 1;

	for (size_t c = 0; c < 4; c++) {
		size_t k_lines = 1;

		text[c] = cells[c];
		if (text_width(cells[c]) <= t->w[c])
			continue;
		wrap_hard(&wrapped[c], cells[c], t->w[c]);
		if (!strbuf_str(&wrapped[c])) {
			sb->oom = true;
			goto out;
		}
		text[c] = wrapped[c].buf;
		for (const char *e = strchr(text[c], '\n'); e; e = strchr(e + 1, '\n'))
			k_lines++;
		n_lines = MAX(n_lines, k_lines);
	}
	for (size_t k = 0; k < n_lines; k++) {
		strbuf_puts(sb, "│ ");
		pad(sb, k ? t->idx_w : t->idx_w - strlen(index));
		if (!k)
			strbuf_puts(sb, index);
		strbuf_puts(sb, " │");
		for (size_t c = 0; c < 4; c++) {
			size_t len;
			const char *line = nth_line(text[c], k, &len);
			_cleanup_free_ char *copy = strndup(line, len);

			if (!copy) {
				sb->oom = true;
				goto out;
			}
			strbuf_putc(sb, ' ');
			strbuf_puts(sb, copy);
			pad(sb, t->w[c] > text_width(copy) ? t->w[c] - text_width(copy) : 0);
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

		if (t->w[c] <= MAX((size_t)MIN_COLUMN, text_width(t->header[c])))
			c = 1 - c;
		if (t->w[c] <= MAX((size_t)MIN_COLUMN, text_width(t->header[c])))
			break;
		t->w[c]--;
	}
}

static int render_table(struct strbuf *sb, struct table *t)
{
	_cleanup_strbuf_ struct strbuf wrapped = STRBUF_INIT;
	size_t text_len;
	char num[32];

	snprintf(num, sizeof(num), "%zu", t->n_rows);
	t->idx_w = strlen(num);
	for (size_t c = 0; c < 4; c++) {
		t->w[c] = text_width(t->header[c]);
		for (size_t i = 0; i < t->n_rows; i++)
			t->w[c] = MAX(t->w[c], text_width(t->cells[i * 4 + c]));
	}
	fit_width(t);
	t->row_len = t->idx_w + t->w[0] + t->w[1] + t->w[2] + t->w[3] + 16;
	text_len = t->row_len - 4;

	strbuf_puts(sb, "┌");
	repeat(sb, "─", t->row_len - 2);
	strbuf_puts(sb, "┐\n");
	if (text_width(t->title) > text_len)
		wrap_hard(&wrapped, t->title, text_len);
	else
		strbuf_puts(&wrapped, t->title);
	if (!strbuf_str(&wrapped))
		return -ENOMEM;
	for (const char *line = wrapped.buf; line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		_cleanup_free_ char *copy = NULL;

		trim(&line, &len);
		copy = strndup(line, len);
		if (!copy)
			return -ENOMEM;
		strbuf_puts(sb, "│ ");
		strbuf_puts(sb, copy);
		pad(sb, text_len > text_width(copy) ? text_len - text_width(copy) : 0);
		strbuf_puts(sb, " │\n");
		line = nl ? nl + 1 : NULL;
	}
	separator(sb, t, SEP_TITLE_BOTTOM);
	row_line(sb, t, "", t->header);
	/* go-pretty draws the header's bottom separator even with no rows */
	separator(sb, t, SEP_MIDDLE);
	for (size_t i = 0; i < t->n_rows; i++) {
		snprintf(num, sizeof(num), "%zu", i + 1);
		row_line(sb, t, num, (const char *const *)&t->cells[i * 4]);
		if (t->sep_after[i] && i + 1 < t->n_rows)
			separator(sb, t, SEP_MIDDLE);
	}
	separator(sb, t, SEP_BOTTOM);
	return 0;
}

/* unicode.ToUpper for the scripts rule names are written in. */
static uint32_t to_upper(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7) ||
	    (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2) || (c >= 0x430 && c <= 0x44f))
		return c - 0x20;
	if (c == 0xff)
		return 0x178;
	if (c == 0xb5)
		return 0x39c;
	if (c == 0x3c2)
		return 0x3a3;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	/* Latin Extended-A and Cyrillic supplement: lower case is odd */
	if (((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177) ||
	     (c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
	     (c >= 0x4d0 && c <= 0x52f)) &&
	    (c & 1))
		return c - 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && !(c & 1))
		return c - 1;
	return c;
}

static void put_rune(struct strbuf *sb, uint32_t c)
{
	char b[4];

	if (c < 0x80) {
		strbuf_putc(sb, (char)c);
		return;
	}
	if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		strbuf_append(sb, b, 2);
		return;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		strbuf_append(sb, b, 3);
		return;
	}
	b[0] = (char)(0xf0 | c >> 18);
	b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	b[3] = (char)(0x80 | (c & 0x3f));
	strbuf_append(sb, b, 4);
}

static char *rule_title(const struct nfd_report_rule *rule, bool color)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (color)
		strbuf_puts(&sb, "\x1b[1m");
	strbuf_puts(&sb, "RULE: ");
	for (const char *p = rule->name; *p;) {
		uint32_t c;
		size_t n = next_rune(p, &c);

		put_rune(&sb, to_upper(c));
		p += n;
	}
	strbuf_puts(&sb, " - ");
	if (color)
		strbuf_puts(&sb,
			    rule->is_match ? "\x1b[42m OK " ESC_RESET : "\x1b[41m FAIL " ESC_RESET);
	else
		strbuf_puts(&sb, rule->is_match ? " OK " : " FAIL ");
	return strbuf_steal(&sb);
}

/*
 * One line per failing row, what the node has; a line repeated in several
 * matchAny elements is printed once with a count, so a 32-alternative
 * matchAny stays readable.  Then the rule's hints (explain.c).
 */
static void explain(struct strbuf *sb, const struct nfd_report_rule *rule, bool color)
{
	_cleanup_free_ char **lines = calloc(rule->n_rows + 1, sizeof(char *));
	_cleanup_free_ size_t *count = calloc(rule->n_rows + 1, sizeof(size_t));
	size_t n = 0;

	if (!lines || !count) {
		sb->oom = true; /* sticky: the caller reports -ENOMEM */
		return;
	}
	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];
		const char *v = row->node_value;
		struct strbuf l = STRBUF_INIT;
		size_t k;

		if (row->is_match)
			continue;
		strbuf_puts(&l, "  ");
		strbuf_puts(&l, row->feature);
		if (row->name[0]) {
			strbuf_putc(&l, '.');
			strbuf_puts(&l, row->name);
		}
		strbuf_putc(&l, ' ');
		strbuf_puts(&l, row->expr->str);
		strbuf_puts(&l, ": ");
		if (!v && row->unreadable) {
			strbuf_puts(&l, row->feature);
			colorize(&l, color, "\x1b[33m", " could not be read: ");
			strbuf_puts(&l, row->unreadable);
		} else if (!v)
			colorize(&l, color, "\x1b[33m", "not present");
		else if (strlen(v) > 200)
			strbuf_appendf(&l, "node has: %.200s...", v);
		else
			strbuf_appendf(&l, "node has: %s", v);
		if (!strbuf_str(&l)) {
			strbuf_release(&l);
			sb->oom = true;
			break;
		}
		for (k = 0; k < n; k++)
			if (streq(lines[k], l.buf))
				break;
		if (k < n) {
			count[k]++;
			strbuf_release(&l);
			continue;
		}
		count[n] = 1;
		lines[n++] = strbuf_steal(&l);
	}
	for (size_t k = 0; k < n; k++) {
		strbuf_puts(sb, lines[k]);
		if (count[k] > 1)
			strbuf_appendf(sb, " (in %zu matchAny elements)", count[k]);
		strbuf_putc(sb, '\n');
		free(lines[k]);
	}
	for (size_t k = 0; k < rule->n_hints; k++) {
		strbuf_puts(sb, "  ");
		colorize(sb, color, "\x1b[33m", rule->hints[k]);
		strbuf_putc(sb, '\n');
	}
}

static int render_rule(struct strbuf *sb, const struct nfd_report_rule *rule, unsigned int flags,
		       size_t width)
{
	static const char *const header[] = {"Feature", "Expression", "Matcher Type", "Status"};
	bool color = flags & NFD_REPORT_COLOR;
	_cleanup_free_ char *title = rule_title(rule, color);
	_cleanup_free_ char **cells = calloc(rule->n_rows * 4 + 1, sizeof(char *));
	_cleanup_free_ bool *sep = calloc(rule->n_rows + 1, sizeof(bool));
	struct table t = {.title = title,
			  .header = header,
			  .n_rows = rule->n_rows,
			  .cells = cells,
			  .sep_after = sep,
			  .max_width = width};
	int r;

	if (!title || !cells || !sep)
		return -ENOMEM;
	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];
		struct strbuf f = STRBUF_INIT;

		strbuf_puts(&f, row->feature);
		if (row->name[0]) {
			strbuf_putc(&f, '.');
			strbuf_puts(&f, row->name);
		}
		cells[i * 4] = strbuf_steal(&f);
		cells[i * 4 + 1] = (char *)row->expr->str;
		cells[i * 4 + 2] = (char *)(row->is_match_name ? "matchName" : "matchExpression");
		cells[i * 4 + 3] =
			(char *)(row->is_match ? (color ? "\x1b[92mOK" ESC_RESET : "OK")
					       : (color ? "\x1b[91mFAIL" ESC_RESET : "FAIL"));
	}
	/* AppendSeparator() before each matchAny element: after the row before it */
	for (size_t k = 0; k < rule->n_any; k++)
		if (rule->any_start[k] > 0)
			sep[rule->any_start[k] - 1] = true;
	for (size_t i = 0; i < rule->n_rows; i++)
		if (!cells[i * 4])
			goto oom;
	r = render_table(sb, &t);
	for (size_t i = 0; i < rule->n_rows; i++)
		free(cells[i * 4]);
	if (r < 0)
		return r;
	if (!(flags & NFD_REPORT_NFD_ONLY))
		explain(sb, rule, color);
	return 0;
oom:
	for (size_t i = 0; i < rule->n_rows; i++)
		free(cells[i * 4]);
	return -ENOMEM;
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

int nfd__report_to_text(const struct nfd_report *r, unsigned int flags, size_t width,
			struct strbuf *sb)
{
	bool color = flags & NFD_REPORT_COLOR;

	for (size_t i = 0; i < r->n_sets; i++) {
		const struct nfd_report_set *s = &r->sets[i];
		int err;

		colorizef(sb, color, "\x1b[36;1m", "COMPATIBILITY SET #%zu ", i + 1);
		colorizef(sb, color, "\x1b[36m", "Weight: %d", s->set->weight);
		if (s->set->tag[0])
			colorizef(sb, color, "\x1b[36m", "; Tag: %s", s->set->tag);
		strbuf_putc(sb, '\n');
		colorizef(sb, color, "\x1b[37m", "Description: %s", s->set->description);
		strbuf_putc(sb, '\n');
		for (size_t k = 0; k < s->n_rules; k++) {
			err = render_rule(sb, &s->rules[k], flags, width);
			if (err < 0)
				return err;
		}
		strbuf_putc(sb, '\n');
	}
	if (!(flags & NFD_REPORT_NFD_ONLY))
		verdict(sb, r, color);
	return 0;
}
