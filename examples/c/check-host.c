/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-host: does this host (or a host root, or another node's exported
 * features) satisfy an image compatibility spec?  A complete libnfd consumer:
 *
 *   cc -o check-host check-host.c $(pkg-config --cflags --libs libnfd)
 *   ./check-host [--root DIR] [--features FILE] [--tags T1,T2] SPEC
 *
 * Prints the verdict and every failing row with the node's actual value.
 * Exit status: 0 compatible, 1 incompatible, 2 error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfd/nfd.h>

/* Split "a,b,c" into a NULL-terminated array pointing into @s (modified). */
static char **split_tags(char *s)
{
	size_t n = 2;
	char **v, *tok, *save = NULL;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	v = calloc(n, sizeof(*v));
	if (!v)
		return NULL;
	n = 0;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		v[n++] = tok;
	return v;
}

static void print_failures(const struct nfd_report *report)
{
	int nsets = nfd_report_count_sets(report);

	for (int i = 0; i < nsets; i++) {
		const struct nfd_report_set *set = nfd_report_get_set(report, i);
		int nrules = nfd_report_set_count_rules(set);

		printf("set #%d%s%s: %s\n", nfd_report_set_get_spec_index(set) + 1,
		       *nfd_report_set_get_tag(set) ? " tag " : "", nfd_report_set_get_tag(set),
		       nfd_report_set_is_compatible(set) ? "compatible" : "incompatible");
		for (int j = 0; j < nrules; j++) {
			const struct nfd_report_rule *rule = nfd_report_set_get_rule(set, j);
			int nrows = nfd_report_rule_count_rows(rule);

			if (nfd_report_rule_is_match(rule))
				continue;
			printf("  rule \"%s\" failed\n", nfd_report_rule_get_name(rule));
			for (int k = 0; k < nrows; k++) {
				const struct nfd_report_row *row = nfd_report_rule_get_row(rule, k);
				const char *value = nfd_report_row_get_node_value(row);

				if (nfd_report_row_is_match(row))
					continue;
				printf("    %s%s%s %s: node has %s\n",
				       nfd_report_row_get_feature(row),
				       nfd_report_row_is_match_name(row) ? "" : ".",
				       nfd_report_row_get_name(row),
				       nfd_report_row_get_expression(row),
				       value ? value : "nothing");
			}
		}
	}
}

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--root DIR] [--features FILE] [--tags T1,T2] SPEC\n", prog);
	return 2;
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{"root", required_argument, NULL, 'r'},
		{"features", required_argument, NULL, 'f'},
		{"tags", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *root = NULL, *features_file = NULL;
	char **tags = NULL;
	struct nfd_ctx *ctx = NULL;
	struct nfd_spec *spec = NULL;
	struct nfd_features *features = NULL;
	struct nfd_report *report = NULL;
	int c, r, status = 2;

	while ((c = getopt_long(argc, argv, "r:f:t:h", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			root = optarg;
			break;
		case 'f':
			features_file = optarg;
			break;
		case 't':
			free(tags);
			tags = split_tags(optarg);
			if (!tags)
				return 2;
			break;
		default:
			free(tags);
			return usage(argv[0]);
		}
	}
	if (optind != argc - 1) {
		free(tags);
		return usage(argv[0]);
	}

	ctx = nfd_ctx_new();
	if (!ctx) {
		fprintf(stderr, "check-host: %s\n", strerror(errno));
		goto out;
	}
	if (root && (r = nfd_ctx_set_root(ctx, root)) < 0)
		goto fail;
	r = nfd_spec_parse_file(ctx, argv[optind], &spec);
	if (r < 0)
		goto fail;
	/* Another node's features, or only the sources the spec needs. */
	if (features_file)
		r = nfd_features_parse_file(ctx, features_file, &features);
	else
		r = nfd_discover_for_spec(ctx, spec, &features);
	if (r < 0)
		goto fail;
	r = nfd_evaluate(ctx, spec, features, (const char *const *)tags, &report);
	if (r < 0)
		goto fail;

	print_failures(report);
	if (nfd_report_is_compatible(report)) {
		int best = nfd_report_best_set(report);
		const struct nfd_report_set *set = nfd_report_get_set(report, best);

		printf("compatible (best set #%d, weight %d)\n",
		       nfd_report_set_get_spec_index(set) + 1, nfd_report_set_get_weight(set));
		status = 0;
	} else {
		printf("incompatible\n");
		status = 1;
	}
	goto out;

fail:
	fprintf(stderr, "check-host: %s (%s)\n", nfd_ctx_last_error(ctx), strerror(-r));
out:
	nfd_report_unref(report);
	nfd_features_unref(features);
	nfd_spec_unref(spec);
	nfd_ctx_unref(ctx);
	free(tags);
	return status;
}
