/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Many nodes on the command line: `nfd compat validate-node --features LIST`
 * gives one verdict per node of a NodeFeature list, and `--node NAME` (also
 * for `nfd export features --from LIST`) picks one node.  doc/many-nodes.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/json-writer.h"
#include "shared/macro.h"
#include "shared/strbuf.h"

#include "nfd-cli.h"

/* A list is read up to this size (`kubectl get nodefeatures -A -o json` of
 * 5,000 nodes is 225 MB with one line per item, 520 MB indented). */
#define NODES_MAX_BYTES (768u << 20)

int cli_load_nodes(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *path,
		   struct nfd_nodes **ret, bool *ret_is_list)
{
	const struct nfd_spec *specs[] = {spec, NULL};
	struct nfd_nodes_options opts;
	int r;

	r = nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION);
	if (r < 0)
		return cli_lib_error(ctx, r, "features");
	/* only what the spec looks at is kept: same reports, less memory */
	opts.only_for_specs = spec ? specs : NULL;
	opts.max_bytes = NODES_MAX_BYTES;
	r = nfd_nodes_parse_file(ctx, path, &opts, ret);
	if (r < 0)
		return cli_lib_error(ctx, r, "features");
	/* skipped items (the library logs them, at a level not shown by default) */
	for (int i = 0; i < nfd_nodes_count_warnings(*ret); i++)
		cli_print_problem(false, nfd_nodes_get_warning(*ret, (size_t)i));
	*ret_is_list = nfd_nodes_is_list(*ret) > 0;
	return NFD_EXIT_OK;
}

int cli_pick_node(struct nfd_ctx *ctx, const struct nfd_nodes *nodes, const char *path,
		  const char *node, struct nfd_features **ret)
{
	int i = nfd_nodes_find(nodes, node);

	(void)ctx;
	if (i < 0) {
		cli_error("features", "%s: no node '%s' (%d node%s in the list)", path, node,
			  nfd_nodes_count(nodes), nfd_nodes_count(nodes) == 1 ? "" : "s");
		return NFD_EXIT_ERROR;
	}
	*ret = nfd_features_ref(nfd_nodes_get_features(nodes, (size_t)i));
	return NFD_EXIT_OK;
}

static void put_value_list(struct strbuf *sb, const struct nfd_report_row *row)
{
	int n = nfd_report_row_count_values(row);

	if (n <= 0)
		return;
	strbuf_puts(sb, " [");
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_puts(sb, ", ");
		strbuf_puts(sb, nfd_report_row_get_value(row, (size_t)i));
	}
	strbuf_putc(sb, ']');
}

/* The first rule that failed, with the first row that failed and what the
 * node has there: why an incompatible node is incompatible. */
static void why_not(struct strbuf *sb, const struct nfd_report *report)
{
	int n_sets = nfd_report_count_sets(report);

	for (int s = 0; s < n_sets; s++) {
		const struct nfd_report_set *set = nfd_report_get_set(report, (size_t)s);
		int n_rules = nfd_report_set_count_rules(set);

		for (int k = 0; k < n_rules; k++) {
			const struct nfd_report_rule *rule =
				nfd_report_set_get_rule(set, (size_t)k);
			int n_rows;

			if (nfd_report_rule_is_match(rule))
				continue;
			strbuf_appendf(sb, "rule \"%s\"", nfd_report_rule_get_name(rule));
			n_rows = nfd_report_rule_count_rows(rule);
			for (int i = 0; i < n_rows; i++) {
				const struct nfd_report_row *row =
					nfd_report_rule_get_row(rule, (size_t)i);
				const char *have;

				if (nfd_report_row_is_match(row))
					continue;
				have = nfd_report_row_get_node_value(row);
				strbuf_appendf(sb, ": %s %s %s", nfd_report_row_get_feature(row),
					       nfd_report_row_get_name(row),
					       nfd_report_row_get_op(row));
				put_value_list(sb, row);
				strbuf_appendf(sb, " (node: %s)", have && *have ? have : "absent");
				return;
			}
			return;
		}
	}
	strbuf_puts(sb, "no set selected");
}

static const char *set_label(const struct nfd_report *report, char *buf, size_t size)
{
	int best = nfd_report_best_set(report);
	const struct nfd_report_set *set;
	const char *tag;

	if (best < 0)
		return "-";
	set = nfd_report_get_set(report, (size_t)best);
	tag = nfd_report_set_get_tag(set);
	if (tag && *tag)
		return tag;
	snprintf(buf, size, "set #%d", nfd_report_set_get_spec_index(set) + 1);
	return buf;
}

static int write_text(const struct nfd_nodes *nodes, struct nfd_report **reports, size_t n,
		      size_t n_ok)
{
	struct strbuf sb = STRBUF_INIT;
	size_t width = 4;
	int ret;

	for (size_t i = 0; i < n; i++)
		width = MAX(width, strlen(nfd_nodes_get_name(nodes, i)));
	for (size_t i = 0; i < n; i++) {
		bool ok = nfd_report_is_compatible(reports[i]) > 0;
		char buf[32];

		strbuf_appendf(&sb, "%-*s  %-12s  ", (int)width, nfd_nodes_get_name(nodes, i),
			       ok ? "compatible" : "incompatible");
		if (ok)
			strbuf_puts(&sb, set_label(reports[i], buf, sizeof(buf)));
		else
			why_not(&sb, reports[i]);
		strbuf_putc(&sb, '\n');
	}
	strbuf_appendf(&sb, "%zu of %zu node%s compatible\n", n_ok, n, n == 1 ? "" : "s");
	if (sb.oom) {
		strbuf_release(&sb);
		cli_error("validate-node", "out of memory");
		return NFD_EXIT_ERROR;
	}
	ret = cli_write_output(NULL, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

static int write_json(struct nfd_ctx *ctx, const struct nfd_nodes *nodes,
		      struct nfd_report **reports, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	strbuf_putc(&sb, '[');
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *doc = NULL;
		int len = nfd_report_to_string(reports[i], NFD_REPORT_JSON, 0, &doc);

		if (len < 0) {
			strbuf_release(&sb);
			return cli_lib_error(ctx, len, "report");
		}
		while (len > 0 && doc[len - 1] == '\n')
			len--;
		strbuf_puts(&sb, i ? ",\n  {\"node\": " : "\n  {\"node\": ");
		json_write_cstr(&sb, nfd_nodes_get_name(nodes, i));
		strbuf_appendf(&sb, ", \"compatible\": %s, \"result\": ",
			       nfd_report_is_compatible(reports[i]) > 0 ? "true" : "false");
		strbuf_append(&sb, doc, (size_t)len);
		strbuf_putc(&sb, '}');
	}
	strbuf_puts(&sb, n ? "\n]\n" : "]\n");
	if (sb.oom) {
		strbuf_release(&sb);
		cli_error("validate-node", "out of memory");
		return NFD_EXIT_ERROR;
	}
	ret = cli_write_output(NULL, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

int cli_validate_nodes(struct nfd_ctx *ctx, const struct nfd_spec *spec,
		       const struct nfd_nodes *nodes, const char *const *tags, bool json, bool all)
{
	struct nfd_report **reports = NULL;
	size_t n_ok = 0;
	int n, ret;

	n = nfd_evaluate_nodes(ctx, spec, nodes, tags, 0, &reports);
	if (n < 0)
		return cli_lib_error(ctx, n, "evaluate");
	for (int i = 0; i < n; i++)
		n_ok += nfd_report_is_compatible(reports[i]) > 0;
	ret = json ? write_json(ctx, nodes, reports, (size_t)n)
		   : write_text(nodes, reports, (size_t)n, n_ok);
	if (ret == NFD_EXIT_OK) {
		/* no node at all is no verdict to be happy about */
		bool good = all ? (n > 0 && n_ok == (size_t)n) : n_ok > 0;

		ret = good ? NFD_EXIT_OK : NFD_EXIT_INCOMPATIBLE;
	}
	nfd_reports_free(reports, (size_t)n);
	return ret;
}
