/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd compat validate-node: NFD's command (same flags, same tables and JSON)
 * plus --spec/--features/--root, explanations and exit codes by verdict.
 * nfd compat validate-spec: lint a spec.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared/macro.h"

#include "cli-oci.h"
#include "nfd-cli.h"

#define VALIDATE_NODE "compat validate-node"
#define VALIDATE_SPEC "compat validate-spec"

static void usage_validate_node(FILE *out)
{
	fprintf(out,
		"Usage: nfd compat validate-node (--spec FILE | --image REF) [options]\n\n"
		"Check this host (or exported features) against an image compatibility spec.\n\n"
		"  -s, --spec FILE          the spec (YAML or JSON); '-' reads standard input\n"
		"  -i, --image REF          fetch the spec attached to an image (registry\n"
		"                           reference, oci:PATH[:TAG] or oci-layout://PATH)\n"
		"  -f, --features FILE      evaluate these features (nfd export features JSON,\n"
		"                           a NodeFeature, or a list of them: one verdict per\n"
		"                           node; '-' reads standard input) instead of\n"
		"                           discovering this host\n"
		"      --node NAME          only this node of the --features list, as if alone\n"
		"      --all                with a list: exit 0 only when every node is\n"
		"                           compatible (default: when one is)\n"
		"  -r, --root DIR           discover the host mounted at DIR (e.g. /host)\n"
		"      --host-prefix P      NFD's container layout: P + sys, proc, ... (e.g. "
		"/host-)\n"
		"      --cpuid-dump FILE    replay CPUID from FILE (see nfd-cpuid-dump)\n"
		"  -t, --tags T1,T2         only evaluate the sets with one of these tags\n"
		"      --output-json        print NFD's JSON document\n"
		"      --nfd-output         print exactly NFD's tables (no explanations, no "
		"verdict)\n"
		"      --allow-missing      an image without a compatibility artifact is\n"
		"                           compatible (exit 0) instead of exit 5\n"
		"  -v, --verbose            say which image manifest and artifact were used\n"
		"                           and what the library logs at level "
		"info\n" CLI_WORK_BUDGET_USAGE CLI_OCI_USAGE
		"  -h, --help               show this help\n\n"
		"Exit status: 0 compatible, 1 not compatible, 2 error, 3 fetch error,\n"
		"4 registry authentication error, 5 no compatibility artifact attached.\n"
		"For a list: 0 when at least one node (with --all: every node) is compatible.\n");
}

static int load_spec(struct nfd_ctx *ctx, const char *spec_path, const char *image,
		     const struct cli_oci *oci, struct nfd_oci_artifact **ret_artifact,
		     struct nfd_spec **ret)
{
	int r;

	if (image)
		return cli_oci_fetch(ctx, image, oci, ret_artifact, ret);
	r = nfd_spec_parse_file(ctx, spec_path, ret);
	if (r < 0)
		return cli_lib_error(ctx, r, "spec");
	return 0;
}

/* *ret_nodes is set instead of *ret for a list when no node is picked */
static int load_features(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *path,
			 const char *node, struct nfd_features **ret, struct nfd_nodes **ret_nodes)
{
	bool is_list = false;
	int r;

	if (path) {
		r = cli_load_nodes(ctx, spec, path, ret_nodes, &is_list);
		if (r != 0)
			return r;
		if (is_list && !node)
			return 0;
		if (node)
			r = cli_pick_node(ctx, *ret_nodes, path, node, ret);
		else
			*ret = nfd_features_ref(nfd_nodes_get_features(*ret_nodes, 0));
		*ret_nodes = nfd_nodes_unref(*ret_nodes);
		return r;
	}
	r = cli_discover(ctx, spec, NULL, ret);
	if (r < 0)
		return cli_lib_error(ctx, r, "discover");
	return 0;
}

/*
 * Before evaluating: a document without compatibility sets (a
 * NodeFeatureRule, a typo'd "compatibility:") is an error, not "Not
 * compatible"; the lint's problems (unknown keys, expressions NFD fails) are
 * printed as warnings, since NFD would evaluate the spec anyway.
 */
static int check_spec(const struct nfd_spec *spec, const char *what)
{
	int n = nfd_spec_count_problems(spec);

	if (nfd_spec_count_sets(spec) == 0) {
		for (int i = 0; i < n; i++)
			cli_print_problem(true, nfd_spec_get_problem(spec, (size_t)i));
		cli_error(what, "not an image compatibility spec; see 'nfd compat validate-spec "
				"--help' and nfd-compat-spec(5)");
		return NFD_EXIT_ERROR;
	}
	for (int i = 0; i < n; i++)
		cli_print_problem(false, nfd_spec_get_problem(spec, (size_t)i));
	return 0;
}

/* The digests an image reference resolved to, for caching and audit. */
static void print_artifact(FILE *out, const char *prefix, const char *image,
			   const struct nfd_oci_artifact *a)
{
	const char *index = nfd_oci_artifact_get_index_digest(a);
	const char *created = nfd_oci_artifact_get_created(a);

	fprintf(out, "%sImage %s: manifest %s", prefix, image,
		nfd_oci_artifact_get_image_digest(a));
	if (index)
		fprintf(out, " (index %s)", index);
	fprintf(out, ", compatibility artifact %s", nfd_oci_artifact_get_digest(a));
	if (strcmp(nfd_oci_artifact_get_subject_digest(a), nfd_oci_artifact_get_image_digest(a)))
		fprintf(out, " (attached to the index)");
	if (created)
		fprintf(out, ", created %s", created);
	fprintf(out, ", spec %s\n", nfd_oci_artifact_get_spec_digest(a));
}

static size_t file_size(const char *path)
{
	struct stat st;

	if (!path || streq(path, "-") || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return SIZE_MAX;
	return (size_t)st.st_size;
}

/*
 * A spec and one node's features from files: the heap is about 16 bytes a
 * byte of spec (its tree, the report and its text) and at most twice the
 * features file (what is kept of it), mapped ahead (tools/cli-heap.c).
 */
static void prefault_heap(const char *spec_path, const char *features_path)
{
	size_t spec = file_size(spec_path), features = file_size(features_path);

	if (spec <= CLI_PREFAULT_MAX / 32 && features <= CLI_PREFAULT_MAX / 4)
		cli_prefault_heap(16 * spec + 2 * features + (64u << 10));
}

int cmd_compat_validate_node(int argc, char *argv[])
{
	enum {
		OPT_JSON = 0x100,
		OPT_NFD_OUTPUT,
		OPT_NODE,
		OPT_ALL,
		OPT_ALLOW_MISSING,
		OPT_WORK_BUDGET,
	};
	static const struct option opts[] = {
		{"spec", required_argument, NULL, 's'},
		{"image", required_argument, NULL, 'i'},
		CLI_OPT_FEATURES,
		CLI_OPT_ROOT,
		CLI_OPT_HOST_PREFIX_LONG,
		CLI_OPT_CPUID_DUMP_LONG,
		{"tags", required_argument, NULL, 't'},
		{"output-json", optional_argument, NULL, OPT_JSON},
		{"nfd-output", optional_argument, NULL, OPT_NFD_OUTPUT},
		{"allow-missing", optional_argument, NULL, OPT_ALLOW_MISSING},
		CLI_OPT_VERBOSE,
		{"node", required_argument, NULL, OPT_NODE},
		{"all", optional_argument, NULL, OPT_ALL},
		{"work-budget", required_argument, NULL, OPT_WORK_BUDGET},
		{"help", no_argument, NULL, 'h'},
		CLI_OCI_LONG_OPTIONS,
		{},
	};
	const char *spec_path = NULL, *image = NULL, *node = NULL;
	_cleanup_free_ char **tags = NULL;
	_cleanup_free_ char *out = NULL, *tag_list = NULL;
	bool json = false, nfd_only = false, all = false, allow_missing = false;
	struct cli_opts o = {};
	struct nfd_nodes *nodes = NULL;
	struct nfd_ctx *ctx = NULL;
	struct nfd_oci_artifact *artifact = NULL;
	struct nfd_spec *spec = NULL;
	struct nfd_features *features = NULL;
	struct nfd_report *report = NULL;
	unsigned int flags = 0;
	uint64_t work_budget = 0;
	struct cli_oci oci;
	int c, r, ret = NFD_EXIT_ERROR;

	cli_oci_init(&oci);
	optind = 0;
	opterr = 0; /* one message, ours */
	while ((c = getopt_long(argc, argv, "s:i:f:r:t:vh", opts, NULL)) != -1) {
		r = cli_parse_flag(&oci, &o, c, optarg, VALIDATE_NODE);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		switch (c) {
		case 's':
			spec_path = optarg;
			break;
		case 'i':
			image = optarg;
			break;
		case 't': {
			/* like NFD's string slice: repeated --tags accumulate */
			char *joined = NULL;

			if (asprintf(&joined, "%s,%s", tag_list ? tag_list : "", optarg) < 0) {
				cli_error(VALIDATE_NODE, "out of memory");
				goto out;
			}
			free(tag_list);
			tag_list = joined;
			break;
		}
		case OPT_JSON:
			if (cli_parse_bool(VALIDATE_NODE, "output-json", optarg, &json) < 0)
				goto out;
			break;
		case OPT_NFD_OUTPUT:
			if (cli_parse_bool(VALIDATE_NODE, "nfd-output", optarg, &nfd_only) < 0)
				goto out;
			break;
		case OPT_ALLOW_MISSING:
			if (cli_parse_bool(VALIDATE_NODE, "allow-missing", optarg, &allow_missing) <
			    0)
				goto out;
			break;
		case OPT_NODE:
			node = optarg;
			break;
		case OPT_ALL:
			if (cli_parse_bool(VALIDATE_NODE, "all", optarg, &all) < 0)
				goto out;
			break;
		case OPT_WORK_BUDGET:
			if (cli_parse_work_budget(VALIDATE_NODE, optarg, &work_budget) < 0)
				goto out;
			break;
		case 'h':
			usage_validate_node(stdout);
			ret = NFD_EXIT_OK;
			goto out;
		default:
			ret = cli_usage_error(VALIDATE_NODE, "unknown option '%s'",
					      argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error(VALIDATE_NODE, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (tag_list && !(tags = cli_split_list(tag_list))) {
		cli_error(VALIDATE_NODE, "out of memory");
		goto out;
	}
	if (!!spec_path == !!image) {
		ret = cli_usage_error(VALIDATE_NODE, "give exactly one of --spec and --image");
		goto out;
	}
	ret = cli_opts_check(&o, &oci, spec_path, VALIDATE_NODE);
	if (ret != 0)
		goto out;
	ret = NFD_EXIT_ERROR;
	if (spec_path && streq(spec_path, "-") && o.features && streq(o.features, "-")) {
		ret = cli_usage_error(VALIDATE_NODE, "--spec and --features cannot both be '-'");
		goto out;
	}
	if ((node || all) && !o.features) {
		ret = cli_usage_error(VALIDATE_NODE, "--%s needs --features",
				      node ? "node" : "all");
		goto out;
	}
	r = cli_oci_finish(&oci, VALIDATE_NODE);
	if (r != 0) {
		ret = r;
		goto out;
	}
	if (spec_path && o.features)
		prefault_heap(spec_path, o.features);
	ret = cli_ctx_from_options(&o, &ctx);
	if (ret != 0)
		goto out;
	r = nfd_ctx_set_work_budget(ctx, work_budget);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "--work-budget");
		goto out;
	}
	ret = load_spec(ctx, spec_path, image, &oci, &artifact, &spec);
	if (ret == NFD_EXIT_NO_ARTIFACT && allow_missing) {
		fprintf(stderr, "nfd: %s: treated as compatible (--allow-missing)\n", image);
		if (!json)
			printf("No compatibility artifact attached to %s: compatible "
			       "(--allow-missing)\n",
			       image);
		ret = NFD_EXIT_OK;
		goto out;
	}
	if (ret != 0)
		goto out;
	if (artifact && o.verbose)
		print_artifact(stderr, "nfd: ", image, artifact);
	ret = check_spec(spec, spec_path ? spec_path : image);
	if (ret != 0)
		goto out;
	ret = load_features(ctx, spec, o.features, node, &features, &nodes);
	if (ret != 0)
		goto out;
	if (nodes) {
		ret = cli_validate_nodes(ctx, spec, nodes, (const char *const *)tags, json, all);
		goto out;
	}
	r = nfd_evaluate(ctx, spec, features, (const char *const *)tags, &report);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "evaluate");
		goto out;
	}
	if (!json && cli_use_color(STDOUT_FILENO))
		flags |= NFD_REPORT_COLOR;
	if (nfd_only)
		flags |= NFD_REPORT_NFD_ONLY;
	/* on a terminal the tables fit its width; piped, they are NFD's */
	if (json)
		r = nfd_report_to_string(report, NFD_REPORT_JSON, flags, &out);
	else
		r = nfd_report_to_text(report, flags, cli_terminal_width(STDOUT_FILENO), &out);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "report");
		goto out;
	}
	if (artifact && !json && !nfd_only)
		print_artifact(stdout, "", image, artifact);
	ret = cli_write_output(NULL, out, (size_t)r);
	if (ret == 0)
		ret = nfd_report_is_compatible(report) > 0 ? NFD_EXIT_OK : NFD_EXIT_INCOMPATIBLE;
out:
	nfd_report_unref(report);
	nfd_nodes_unref(nodes);
	nfd_features_unref(features);
	nfd_oci_artifact_unref(artifact);
	nfd_spec_unref(spec);
	nfd_ctx_unref(ctx);
	cli_oci_done(&oci);
	return ret;
}

static void usage_validate_spec(FILE *out)
{
	fprintf(out,
		"Usage: nfd compat validate-spec FILE...\n\n"
		"Check compatibility specs: YAML and structure errors, expressions NFD would\n"
		"reject when they meet a node (unknown op, value count, bad pattern or bound),\n"
		"and unquoted YAML 1.1 scalars that NFD reads differently (0200 -> 128,\n"
		"y -> true, 6.10 -> 6.1).  Warnings go to standard error.\n\n"
		"Exit status: 0 valid (warnings allowed), 2 errors.\n");
}

static int lint_one(struct nfd_ctx *ctx, const char *path)
{
	struct nfd_spec *spec = NULL;
	int r, n_problems, n_warnings;

	r = nfd_spec_parse_file(ctx, path, &spec);
	if (r < 0)
		return cli_lib_error(ctx, r, path);
	n_warnings = nfd_spec_count_warnings(spec);
	n_problems = nfd_spec_count_problems(spec);
	for (int i = 0; i < n_warnings; i++)
		cli_print_problem(false, nfd_spec_get_warning(spec, (size_t)i));
	for (int i = 0; i < n_problems; i++)
		cli_print_problem(true, nfd_spec_get_problem(spec, (size_t)i));
	if (n_problems == 0)
		printf("%s: valid, %d compatibility set%s, %d warning%s\n", path,
		       nfd_spec_count_sets(spec), nfd_spec_count_sets(spec) == 1 ? "" : "s",
		       n_warnings, n_warnings == 1 ? "" : "s");
	nfd_spec_unref(spec);
	return n_problems ? NFD_EXIT_ERROR : NFD_EXIT_OK;
}

int cmd_compat_validate_spec(int argc, char *argv[])
{
	return cli_validate_files(argc, argv, VALIDATE_SPEC, "no spec file given",
				  usage_validate_spec, lint_one);
}
