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
 * shared/strbuf.c).  The scratch space is reused rule after rule.  The
 * tables are drawn by report-text-table.c; text measuring and wrapping are
 * in report-text-width.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/util.h"
#include "libnfd/report-text-private.h"

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

/* The cells after Feature (each row's c[0] is the caller's), the matchAny
 * separators and the table: the same in both passes. */
static void fill_table(struct scratch *sc, const struct nfd_report_rule *rule, struct table *t)
{
	for (size_t i = 0; i < rule->n_rows; i++) {
		const struct nfd_report_row *row = &rule->rows[i];
		struct cell *c = &sc->cells[i * 4];

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
}

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
		struct cell *c = &sc->cells[i * 4];

		nfd__text_measure(&c[0], sc->names.buf + off);
		off += c[0].len + 1;
	}
	fill_table(sc, rule, t);
	nfd__text_measure(&t->title, sc->title.buf);
	nfd__text_layout_table(t);
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
	for (size_t i = 0; i < rule->n_rows; i++)
		measure_feature(sc, &sc->cells[i * 4], &rule->rows[i]);
	if (sc->names.oom)
		return -ENOMEM;
	fill_table(sc, rule, t);
	/* "RULE: NAME - OK " or " FAIL ", bold and with a background in colour */
	t->title.width = strlen("RULE: ") + name_len + strlen(" - ") +
			 (rule->is_match ? strlen(" OK ") : strlen(" FAIL "));
	t->title.len = t->title.width;
	if (sc->color)
		t->title.len += strlen("\x1b[1m") + strlen("\x1b[42m" ESC_RESET);
	nfd__text_layout_table(t);
	return 0;
}

static int render_rule(struct strbuf *sb, struct scratch *sc, const struct nfd_report_rule *rule,
		       unsigned int flags)
{
	struct table t;
	int r = layout_rule(sc, rule, &t);

	if (r < 0)
		return r;
	r = nfd__text_render_table(sb, &t);
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
			len += nfd__text_table_len(&t);
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
