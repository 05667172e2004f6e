/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nfd export features: discover (or load) features and print NFD's JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfd-cli.h"

/* the heap a discovery of a whole host writes (about 300-400 KiB) */
#define EXPORT_HEAP (384u << 10)

static void export_usage(FILE *out)
{
	fprintf(out,
		"Usage: nfd export features [options]\n"
		"\n"
		"Discover this host's features and print them in the JSON shape of NFD's\n"
		"'nfd export features'.\n"
		"\n"
		"Options:\n"
		"  -p, --path FILE          write to FILE instead of standard output\n"
		"      --root DIR           read the host from DIR (DIR/sys, DIR/proc, ...)\n"
		"      --host-prefix P      NFD's container layout: P + sys, proc, ... (e.g. "
		"/host-)\n"
		"      --sources LIST       only these sources (comma-separated; default all:\n"
		"                           ");
	for (const char *const *s = nfd_source_names(); *s; s++)
		fprintf(out, "%s%s", s == nfd_source_names() ? "" : ",", *s);
	fprintf(out,
		")\n"
		"      --cpuid-dump FILE    replay CPUID from FILE instead of this CPU\n"
		"      --from FILE          do not discover: load FILE (export JSON, NodeFeature\n"
		"                           or a list of them; - for stdin) and print it "
		"normalised\n"
		"      --node NAME          the node of the --from list to print (needed when\n"
		"                           the list holds several nodes)\n"
		"      --compact            one line instead of NFD's indented output\n"
		"  -h, --help               show this help\n");
}

int cmd_export_features(int argc, char *argv[])
{
	static const struct option opts[] = {{"path", required_argument, NULL, 'p'},
					     {"root", required_argument, NULL, 'r'},
					     {"host-prefix", required_argument, NULL, 'P'},
					     {"sources", required_argument, NULL, 's'},
					     {"cpuid-dump", required_argument, NULL, 'c'},
					     {"from", required_argument, NULL, 'f'},
					     {"compact", optional_argument, NULL, 'C'},
					     {"node", required_argument, NULL, 'n'},
					     {"help", no_argument, NULL, 'h'},
					     {}};
	const char *path = NULL, *root = NULL, *prefix = NULL, *sources = NULL;
	const char *cpuid_dump = NULL, *from = NULL, *node = NULL;
	unsigned int flags = 0;
	struct nfd_ctx *ctx = NULL;
	struct nfd_features *f = NULL;
	char **source_list = NULL, *json = NULL;
	int c, r, ret = NFD_EXIT_ERROR;

	while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			path = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'P':
			prefix = optarg;
			break;
		case 's':
			sources = optarg;
			break;
		case 'c':
			cpuid_dump = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'C': {
			bool compact;

			if (cli_parse_bool("export features", "compact", optarg, &compact) < 0)
				return NFD_EXIT_ERROR;
			if (compact)
				flags |= NFD_JSON_COMPACT;
			else
				flags &= ~(unsigned int)NFD_JSON_COMPACT;
			break;
		}
		case 'n':
			node = optarg;
			break;
		case 'h':
			export_usage(stdout);
			return 0;
		default:
			return cli_usage_error("export features", "invalid option");
		}
	}
	if (optind < argc)
		return cli_usage_error("export features", "unexpected argument '%s'", argv[optind]);
	if (from && (root || prefix || sources || cpuid_dump))
		return cli_usage_error("export features",
				       "--from cannot be combined with discovery options");

	if (node && !from)
		return cli_usage_error("export features", "--node needs --from");
	ctx = cli_ctx_new();
	if (!ctx)
		return NFD_EXIT_ERROR;
	if (from && node) {
		struct nfd_nodes *nodes = NULL;
		bool is_list;

		/* a list of many nodes: print the one asked for */
		r = cli_load_nodes(ctx, NULL, from, &nodes, &is_list);
		if (r == 0)
			r = cli_pick_node(ctx, nodes, from, node, &f);
		nfd_nodes_unref(nodes);
		if (r != 0)
			goto out;
	} else if (from) {
		r = nfd_features_parse_file(ctx, from, &f);
		if (r < 0) {
			cli_lib_error(ctx, r, "features");
			goto out;
		}
	} else {
		if (cli_set_root(ctx, root, prefix) != 0)
			goto out;
		if (cpuid_dump && (r = nfd_ctx_set_cpuid_dump(ctx, cpuid_dump)) < 0) {
			cli_lib_error(ctx, r, cpuid_dump);
			goto out;
		}
		if (sources && !(source_list = cli_split_list(sources))) {
			cli_error("export features", "out of memory");
			goto out;
		}
		/* mapped ahead in one call (tools/cli-heap.c) */
		if (!source_list)
			cli_prefault_heap(EXPORT_HEAP);
		r = cli_discover(ctx, NULL, (const char *const *)source_list, &f);
		if (r < 0) {
			cli_lib_error(ctx, r, "discover");
			goto out;
		}
	}
	r = nfd_features_to_json(f, flags, &json);
	if (r < 0) {
		cli_lib_error(ctx, r, "export features");
		goto out;
	}
	ret = cli_write_output(path, json, (size_t)r);
out:
	free(json);
	free(source_list);
	nfd_features_unref(f);
	nfd_ctx_unref(ctx);
	return ret;
}
