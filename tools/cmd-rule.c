/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd rule dryrun: what nfd-master would give a node from NodeFeatureRules
 * and NodeFeatureGroups.  nfd rule validate: kubectl-nfd's validate.  Both
 * thin over include/nfd/rules.h; semantics in doc/nodefeaturerule.md.
 */
#include <errno.h>
#include <getopt.h>
#include "libnfd/jansson-dl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/macro.h"
#include "shared/strbuf.h"
#include "shared/util.h"

#include "cli-oci.h"
#include "nfd-cli.h"

#define DRYRUN	 "rule dryrun"
#define VALIDATE "rule validate"

/* the label nfd-master groups NodeFeature objects by */
#define NODE_NAME_LABEL "nfd.node.kubernetes.io/node-name"

static void usage_dryrun(FILE *out)
{
	fprintf(out,
		"Usage: nfd rule dryrun --rule FILE [--rule FILE...]\n"
		"                       [--features FILE [--node NAME] | --root DIR] [options]\n\n"
		"Print the labels, annotations, extended resources, taints and vars that\n"
		"nfd-master would give a node from NodeFeatureRules (in name order, sharing\n"
		"rule.matched), and the NodeFeatureGroups that select it.  Without --features,\n"
		"this host is discovered.\n\n"
		"  -R, --rule FILE          NodeFeatureRule/NodeFeatureGroup YAML ('-': stdin)\n"
		"  -f, --features FILE      one node's features: nfd export features JSON or a\n"
		"                           NodeFeature object (its spec.labels are the node's\n"
		"                           labels, which rule labels override), or a\n"
		"                           NodeFeature list (kubectl get nodefeatures -o json)\n"
		"      --node NAME          the node of a --features list to evaluate (needed\n"
		"                           when the list has more than one node)\n"
		"  -r, --root DIR           discover the host mounted at DIR\n"
		"      --enable-taints      apply taints (nfd-master -enable-taints)\n"
		"      --deny-label-ns L    nfd-master -deny-label-ns (comma-separated)\n"
		"      --extra-label-ns L   nfd-master -extra-label-ns (comma-separated)\n"
		"      --output-json        print JSON\n" CLI_WORK_BUDGET_USAGE
		"  -h, --help               show this help\n\n"
		"Skipped rules and dropped outputs are reported on standard error.\n"
		"Exit status: 0 done, 2 error.\n");
}

/* nfd-master merges a node's NodeFeature objects: those in its own namespace
 * first, then by name, then by namespace; later objects win. */
static int item_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_t *mx = json_object_get(x, "metadata"), *my = json_object_get(y, "metadata");
	const char *nx = json_string_value(json_object_get(mx, "namespace"));
	const char *ny = json_string_value(json_object_get(my, "namespace"));
	bool ox = nx && streq(nx, NFD_NODES_DEFAULT_NAMESPACE);
	bool oy = ny && streq(ny, NFD_NODES_DEFAULT_NAMESPACE);
	const char *ax = json_string_value(json_object_get(mx, "name"));
	const char *ay = json_string_value(json_object_get(my, "name"));
	int c;

	if (ox != oy)
		return ox ? -1 : 1;
	c = strcmp(ax ? ax : "", ay ? ay : "");
	return c ? c : strcmp(nx ? nx : "", ny ? ny : "");
}

static bool item_of_node(json_t *item, const char *node)
{
	const char *n = json_string_value(json_object_get(
		json_object_get(json_object_get(item, "metadata"), "labels"), NODE_NAME_LABEL));

	return n && streq(n, node);
}

/*
 * The node's labels from spec.labels of its NodeFeature objects (JSON), as
 * key, value, ..., NULL: of the one object, or of the list items of node
 * (merged as nfd-master merges them).  An export document has none.
 */
static int node_labels(const char *path, const char *node, char ***ret)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_free_ json_t **objs = NULL;
	json_t *root, *items, *merged;
	const char *key;
	json_t *value;
	size_t len, n = 0, n_objs = 0;
	char **v;

	*ret = NULL;
	if (read_file(path, 768u << 20, &buf, &len) < 0)
		return 0; /* the features parser reported it */
	if (nfd__jansson_unavailable())
		return -ENOTSUP;
	root = json_loadb(buf, len, 0, NULL);
	items = json_object_get(root, "items");
	objs = calloc(json_array_size(items) + 1, sizeof(*objs));
	merged = json_object();
	if (!objs || !merged) {
		json_decref(merged);
		json_decref(root);
		return -ENOMEM;
	}
	if (json_is_array(items)) {
		for (size_t i = 0; node && i < json_array_size(items); i++)
			if (item_of_node(json_array_get(items, i), node))
				objs[n_objs++] = json_array_get(items, i);
		qsort(objs, n_objs, sizeof(*objs), item_cmp);
	} else if (root) {
		objs[n_objs++] = root;
	}
	for (size_t i = 0; i < n_objs; i++)
		json_object_update(merged,
				   json_object_get(json_object_get(objs[i], "spec"), "labels"));
	v = calloc(2 * json_object_size(merged) + 1, sizeof(*v));
	if (!v) {
		json_decref(merged);
		json_decref(root);
		return -ENOMEM;
	}
	json_object_foreach(merged, key, value)
	{
		if (!json_is_string(value))
			continue;
		v[n] = strdup(key);
		v[n + 1] = strdup(json_string_value(value));
		if (!v[n] || !v[n + 1]) {
			json_decref(merged);
			json_decref(root);
			*ret = v;
			return -ENOMEM;
		}
		n += 2;
	}
	json_decref(merged);
	json_decref(root);
	*ret = v;
	return 0;
}

/* The one node of --features: a list needs --node (or has one node). */
static int load_node(struct nfd_ctx *ctx, const char *path, const char *node,
		     struct nfd_features **ret, char **ret_name)
{
	_cleanup_strbuf_ struct strbuf names = STRBUF_INIT;
	struct nfd_nodes *nodes = NULL;
	bool is_list = false;
	int r, n;

	r = cli_load_nodes(ctx, NULL, path, &nodes, &is_list);
	if (r != 0)
		return r;
	n = nfd_nodes_count(nodes);
	if (node) {
		r = cli_pick_node(ctx, nodes, path, node, ret);
	} else if (n == 1) {
		*ret = nfd_features_ref(nfd_nodes_get_features(nodes, 0));
		*ret_name = strdup(nfd_nodes_get_name(nodes, 0));
		if (!*ret_name) {
			cli_error(DRYRUN, "out of memory");
			r = NFD_EXIT_ERROR;
		}
	} else {
		for (int i = 0; i < n && i < 10; i++)
			strbuf_appendf(&names, "%s%s", i ? ", " : "",
				       nfd_nodes_get_name(nodes, (size_t)i));
		if (n > 10)
			strbuf_appendf(&names, ", ... (%d in all)", n);
		r = cli_usage_error(DRYRUN, "%s is a list of %d nodes; pick one with --node: %s",
				    path, n, n ? strbuf_str(&names) : "(none)");
	}
	nfd_nodes_unref(nodes);
	return r;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void print_part(const struct nfd_rules_result *res, enum nfd_rules_output what,
		       const char *title, char sep)
{
	struct nfd_iter *it = NULL;
	const char *k, *v;

	if (nfd_rules_result_iter(res, what, &it) <= 0) {
		nfd_iter_free(it);
		return;
	}
	printf("%s:\n", title);
	while (nfd_iter_next(it, &k, &v) > 0)
		if (v)
			printf("  %s%c%s\n", k, sep, v);
		else
			printf("  %s\n", k);
	nfd_iter_free(it);
}

static int print_result(const struct nfd_rules_result *res, bool json)
{
	struct nfd_iter *it = NULL;
	const char *k, *v;
	char *out = NULL;
	int r;

	if (nfd_rules_result_iter(res, NFD_RULES_MESSAGES, &it) >= 0)
		while (nfd_iter_next(it, &k, &v) > 0)
			fprintf(stderr, "nfd: %s: %s\n", k, v);
	nfd_iter_free(it);
	if (json) {
		r = nfd_rules_result_to_json(res, &out);
		if (r < 0) {
			cli_error(DRYRUN, "%s", strerror(-r));
			return NFD_EXIT_ERROR;
		}
		r = cli_write_output(NULL, out, strlen(out));
		free(out);
		return r;
	}
	print_part(res, NFD_RULES_LABELS, "Labels", '=');
	print_part(res, NFD_RULES_ANNOTATIONS, "Annotations", '=');
	print_part(res, NFD_RULES_EXTENDED_RESOURCES, "Extended resources", '=');
	print_part(res, NFD_RULES_TAINTS, "Taints", '=');
	print_part(res, NFD_RULES_VARS, "Vars", '=');
	print_part(res, NFD_RULES_GROUPS, "NodeFeatureGroups", '=');
	return fflush(stdout) == 0 ? 0 : NFD_EXIT_ERROR;
}

/* Several --rule files are one set of objects, as in a cluster. */
static int load_rules(struct nfd_ctx *ctx, char **paths, size_t n, struct nfd_rules **ret)
{
	_cleanup_strbuf_ struct strbuf all = STRBUF_INIT;
	int r;

	if (n == 1) {
		r = nfd_rules_parse_file(ctx, paths[0], ret);
		return r < 0 ? cli_lib_error(ctx, r, "rules") : 0;
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *buf = NULL;
		size_t len;

		r = cli_read_file(paths[i], 4u << 20, "NodeFeatureRule files", &buf, &len);
		if (r)
			return r;
		strbuf_append(&all, buf, len);
		strbuf_puts(&all, "\n---\n");
	}
	if (!strbuf_str(&all)) {
		cli_error(DRYRUN, "out of memory");
		return NFD_EXIT_ERROR;
	}
	r = nfd_rules_parse(ctx, all.buf, all.len, "<rules>", ret);
	return r < 0 ? cli_lib_error(ctx, r, "rules") : 0;
}

int cmd_rule_dryrun(int argc, char *argv[])
{
	enum { OPT_JSON = 0x100, OPT_TAINTS, OPT_DENY, OPT_EXTRA, OPT_NODE, OPT_WORK_BUDGET };
	static const struct option opts[] = {
		{"rule", required_argument, NULL, 'R'},
		CLI_OPT_FEATURES,
		{"node", required_argument, NULL, OPT_NODE},
		CLI_OPT_ROOT,
		{"enable-taints", no_argument, NULL, OPT_TAINTS},
		{"deny-label-ns", required_argument, NULL, OPT_DENY},
		{"extra-label-ns", required_argument, NULL, OPT_EXTRA},
		{"output-json", no_argument, NULL, OPT_JSON},
		{"work-budget", required_argument, NULL, OPT_WORK_BUDGET},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	struct nfd_rules_options o = {.version = NFD_RULES_OPTIONS_VERSION};
	_cleanup_free_ char **rule_paths = NULL, **deny = NULL, **extra = NULL;
	const char *node = NULL;
	struct cli_opts no = {};
	_cleanup_free_ char *only_node = NULL;
	char **labels = NULL;
	size_t n_rules = 0;
	uint64_t work_budget = 0;
	bool json = false;
	struct nfd_ctx *ctx = NULL;
	struct nfd_rules *rules = NULL;
	struct nfd_features *features = NULL;
	struct nfd_rules_result *res = NULL;
	int c, r, ret = NFD_EXIT_ERROR;

	rule_paths = calloc((size_t)argc + 1, sizeof(*rule_paths));
	if (!rule_paths)
		return NFD_EXIT_ERROR;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "R:f:r:h", opts, NULL)) != -1) {
		if (cli_opts_parse_flag(&no, c, optarg, DRYRUN) > 0)
			continue;
		switch (c) {
		case 'R':
			rule_paths[n_rules++] = optarg;
			break;
		case OPT_NODE:
			node = optarg;
			break;
		case OPT_TAINTS:
			o.flags |= NFD_RULES_ENABLE_TAINTS;
			break;
		case OPT_DENY:
			free(deny);
			deny = cli_split_list(optarg);
			break;
		case OPT_EXTRA:
			free(extra);
			extra = cli_split_list(optarg);
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_WORK_BUDGET:
			if (cli_parse_work_budget(DRYRUN, optarg, &work_budget) < 0)
				return NFD_EXIT_ERROR;
			break;
		case 'h':
			usage_dryrun(stdout);
			return NFD_EXIT_OK;
		default:
			return cli_usage_error(DRYRUN, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(DRYRUN, "unexpected argument '%s'", argv[optind]);
	if (n_rules == 0)
		return cli_usage_error(DRYRUN, "--rule is required");
	if (cli_opts_check(&no, NULL, NULL, DRYRUN) != 0)
		return NFD_EXIT_ERROR;
	if (node && !no.features)
		return cli_usage_error(DRYRUN, "--node needs --features");
	o.deny_label_ns = (const char *const *)deny;
	o.extra_label_ns = (const char *const *)extra;
	if (cli_ctx_from_options(&no, &ctx) != 0)
		return NFD_EXIT_ERROR;
	r = nfd_ctx_set_work_budget(ctx, work_budget);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "--work-budget");
		goto out;
	}
	ret = load_rules(ctx, rule_paths, n_rules, &rules);
	if (ret != 0)
		goto out;
	ret = NFD_EXIT_ERROR;
	if (no.features) {
		ret = load_node(ctx, no.features, node, &features, &only_node);
		if (ret != 0)
			goto out;
		ret = NFD_EXIT_ERROR;
		if (!streq(no.features, "-")) {
			r = node_labels(no.features, node ? node : only_node, &labels);

			if (r == -ENOTSUP)
				cli_error(DRYRUN, "NodeFeature labels need jansson: %s",
					  nfd__jansson_unavailable());
			else if (r < 0)
				cli_error(DRYRUN, "out of memory");
			if (r < 0)
				goto out;
		}
		o.node_labels = (const char *const *)labels;
	} else {
		r = cli_discover(ctx, NULL, NULL, &features);
		if (r < 0) {
			ret = cli_lib_error(ctx, r, "discover");
			goto out;
		}
	}
	r = nfd_rules_evaluate(ctx, rules, features, &o, &res);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "evaluate");
		goto out;
	}
	ret = print_result(res, json);
out:
	free_strv(labels);
	nfd_rules_result_unref(res);
	nfd_features_unref(features);
	nfd_rules_unref(rules);
	nfd_ctx_unref(ctx);
	return ret;
}

static int validate_one(struct nfd_ctx *ctx, const char *path)
{
	struct nfd_rules *rules = NULL;
	struct nfd_iter *it = NULL;
	const char *msg;
	int r, n;

	r = nfd_rules_parse_file(ctx, path, &rules);
	if (r < 0)
		return cli_lib_error(ctx, r, path);
	n = nfd_rules_iter_problems(rules, &it);
	if (n < 0) {
		nfd_rules_unref(rules);
		return cli_lib_error(ctx, n, path);
	}
	while (nfd_iter_next(it, &msg, NULL) > 0)
		cli_print_problem(true, msg);
	nfd_iter_free(it);
	it = NULL;
	/* warnings (a repeated key) never fail the validation */
	if (nfd_rules_iter_warnings(rules, &it) >= 0)
		while (nfd_iter_next(it, &msg, NULL) > 0)
			cli_print_problem(false, msg);
	if (n == 0)
		printf("%s: valid, %d object%s\n", path, nfd_rules_count_objects(rules),
		       nfd_rules_count_objects(rules) == 1 ? "" : "s");
	nfd_iter_free(it);
	nfd_rules_unref(rules);
	return n ? NFD_EXIT_ERROR : NFD_EXIT_OK;
}

static void usage_validate(FILE *out)
{
	fprintf(out, "Usage: nfd rule validate FILE...\n\n"
		     "Check NodeFeatureRule and NodeFeatureGroup files as kubectl-nfd's\n"
		     "validate does (rule names, labels, annotations, taints, extended\n"
		     "resources, templates, feature names), with file:line:column.\n\n"
		     "Exit status: 0 valid, 2 errors.\n");
}

int cmd_rule_validate(int argc, char *argv[])
{
	return cli_validate_files(argc, argv, VALIDATE, "no file given", usage_validate,
				  validate_one);
}
