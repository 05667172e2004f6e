/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the engine's evaluation tests. */
#pragma once

#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/util.h"

/* The fake source's features of NFD's tests (tests/fixtures/features/fake.json). */
static inline struct nfd_features *fake_features(struct nfd_ctx *ctx)
{
	char path[4096];
	struct nfd_features *f = NULL;
	const char *top = getenv("NFD_TOP_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/fixtures/features/fake.json", top ? top : ".");
	if (nfd_features_parse_file(ctx, path, &f) < 0)
		fprintf(stderr, "%s\n", nfd_ctx_last_error(ctx));
	return f;
}

static inline struct nfd_features *features_json(struct nfd_ctx *ctx, const char *json)
{
	struct nfd_features *f = NULL;

	if (nfd_features_parse_json(ctx, json, strlen(json), &f) < 0)
		fprintf(stderr, "%s\n", nfd_ctx_last_error(ctx));
	return f;
}

/* Evaluate: 0 and *ret, or the error. */
static inline int evaluate_yaml(struct nfd_ctx *ctx, const char *yaml, const struct nfd_features *f,
				const char *const *tags, struct nfd_report **ret)
{
	struct nfd_spec *s = NULL;
	int r = nfd_spec_parse(ctx, yaml, strlen(yaml), "t.yaml", &s);

	if (r < 0) {
		fprintf(stderr, "parse: %s\n", nfd_ctx_last_error(ctx));
		return r;
	}
	r = nfd_evaluate(ctx, s, f, tags, ret);
	nfd_spec_unref(s);
	return r;
}

/*
 * One line per rule: "name OK|FAIL: feature.name=OK, ... | any0: ... | any1: ..."
 * (matchName rows print as feature=, rows in report order).
 */
static inline char *summary(const struct nfd_report *r)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < nfd_report_count_sets(r); i++) {
		const struct nfd_report_set *s = nfd_report_get_set(r, (size_t)i);

		for (int k = 0; k < nfd_report_set_count_rules(s); k++) {
			const struct nfd_report_rule *rule = nfd_report_set_get_rule(s, (size_t)k);
			int any = -1;

			if (sb.len)
				strbuf_putc(&sb, '\n');
			strbuf_appendf(&sb, "%s %s:", nfd_report_rule_get_name(rule),
				       nfd_report_rule_is_match(rule) ? "OK" : "FAIL");
			for (int j = 0; j < nfd_report_rule_count_rows(rule); j++) {
				const struct nfd_report_row *row =
					nfd_report_rule_get_row(rule, (size_t)j);
				int a = nfd_report_row_get_any_index(row);

				while (any < a)
					strbuf_appendf(&sb, " | any%d:", ++any);
				strbuf_appendf(&sb, " %s%s%s=%s", nfd_report_row_get_feature(row),
					       nfd_report_row_get_name(row)[0] ? "." : "",
					       nfd_report_row_get_name(row),
					       nfd_report_row_is_match(row) ? "OK" : "FAIL");
			}
		}
	}
	return strbuf_steal(&sb);
}
