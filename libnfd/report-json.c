/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The --output-json document, byte-identical to NFD's json.Marshal of its
 * []*CompatibilityStatus (doc/semantics.md §9.3): struct field order, omitempty where NFD's
 * tags say so, null for absent slices, Go's HTML-safe string escaping.
 */
#include "libnfd/engine/engine.h"
#include "shared/json-writer.h"

static void write_row(struct strbuf *sb, const struct nfd_report_row *row)
{
	const struct nfd_expr *e = row->expr;

	strbuf_puts(sb, "{\"feature\":");
	json_write_cstr(sb, row->feature);
	strbuf_puts(sb, ",\"name\":");
	json_write_cstr(sb, row->name);
	strbuf_puts(sb, ",\"expression\":{\"op\":");
	json_write_cstr(sb, e->op_name);
	if (e->n_values > 0) {
		strbuf_puts(sb, ",\"value\":[");
		for (size_t i = 0; i < e->n_values; i++) {
			if (i)
				strbuf_putc(sb, ',');
			json_write_cstr(sb, e->values[i]);
		}
		strbuf_putc(sb, ']');
	}
	if (e->type[0]) {
		strbuf_puts(sb, ",\"type\":");
		json_write_cstr(sb, e->type);
	}
	strbuf_puts(sb, row->is_match_name ? "},\"matcherType\":\"matchName\""
					   : "},\"matcherType\":\"matchExpression\"");
	strbuf_puts(sb, row->is_match ? ",\"isMatch\":true}" : ",\"isMatch\":false}");
}

static void write_rows(struct strbuf *sb, const struct nfd_report_row *rows, size_t n)
{
	strbuf_putc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(sb, ',');
		write_row(sb, &rows[i]);
	}
	strbuf_putc(sb, ']');
}

static void write_rule(struct strbuf *sb, const struct nfd_report_rule *rule)
{
	size_t n_mf = rule->n_any ? rule->any_start[0] : rule->n_rows;

	strbuf_puts(sb, "{\"name\":");
	json_write_cstr(sb, rule->name);
	strbuf_puts(sb, rule->is_match ? ",\"isMatch\":true" : ",\"isMatch\":false");
	if (n_mf > 0) {
		strbuf_puts(sb, ",\"matchedExpressions\":");
		write_rows(sb, rule->rows, n_mf);
	}
	if (rule->n_any > 0) {
		strbuf_puts(sb, ",\"matchedAny\":[");
		for (size_t i = 0; i < rule->n_any; i++) {
			size_t start = rule->any_start[i], end = rule->any_start[i + 1];

			strbuf_puts(sb,
				    i ? ",{\"matchedExpressions\":" : "{\"matchedExpressions\":");
			if (end > start)
				write_rows(sb, rule->rows + start, end - start);
			else
				strbuf_puts(sb, "null");
			strbuf_putc(sb, '}');
		}
		strbuf_putc(sb, ']');
	}
	strbuf_putc(sb, '}');
}

int nfd__report_to_json(const struct nfd_report *r, struct strbuf *sb)
{
	strbuf_putc(sb, '[');
	for (size_t i = 0; i < r->n_sets; i++) {
		const struct nfd_report_set *s = &r->sets[i];

		if (i)
			strbuf_putc(sb, ',');
		strbuf_puts(sb, "{\"rules\":");
		if (s->n_rules == 0) {
			strbuf_puts(sb, "null");
		} else {
			strbuf_putc(sb, '[');
			for (size_t k = 0; k < s->n_rules; k++) {
				if (k)
					strbuf_putc(sb, ',');
				write_rule(sb, &s->rules[k]);
			}
			strbuf_putc(sb, ']');
		}
		if (s->set->description[0]) {
			strbuf_puts(sb, ",\"description\":");
			json_write_cstr(sb, s->set->description);
		}
		if (s->set->weight)
			strbuf_appendf(sb, ",\"weight\":%d", s->set->weight);
		if (s->set->tag[0]) {
			strbuf_puts(sb, ",\"tag\":");
			json_write_cstr(sb, s->set->tag);
		}
		strbuf_putc(sb, '}');
	}
	strbuf_putc(sb, ']');
	return 0;
}
