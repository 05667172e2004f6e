/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Many nodes: grouping and merging NodeFeature lists, options, threads. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/libnfd-internal.h"

static struct nfd_ctx *ctx;
static char merge_path[4096];

static int setup(void **state)
{
	const char *top = getenv("NFD_TOP_SRCDIR");

	snprintf(merge_path, sizeof(merge_path), "%s/tests/fixtures/nodes/merge.json",
		 top ? top : ".");
	ctx = nfd_ctx_new();
	return ctx ? 0 : -1;
}

static int teardown(void **state)
{
	nfd_ctx_unref(ctx);
	return 0;
}

static const char *attr(const struct nfd_features *f, const char *feature, const char *name)
{
	const char *v = NULL;

	return nfd_features_get_attribute(f, feature, name, &v) == 0 ? v : NULL;
}

static void test_merge_order(void **state)
{
	struct nfd_nodes *nodes = NULL;
	const struct nfd_features *f;
	const char *v = NULL;

	assert_int_equal(nfd_nodes_parse_file(ctx, merge_path, NULL, &nodes), 2);
	assert_int_equal(nfd_nodes_count(nodes), 2);
	assert_string_equal(nfd_nodes_get_name(nodes, 0), "worker-1");
	assert_string_equal(nfd_nodes_get_name(nodes, 1), "worker-2");
	assert_null(nfd_nodes_get_name(nodes, 2));
	assert_null(nfd_nodes_get_features(nodes, 2));
	assert_int_equal(nfd_nodes_find(nodes, "worker-2"), 1);
	assert_int_equal(nfd_nodes_find(nodes, "orphan"), -ENOENT);
	/* the unlabelled object is a warning, not a node */
	assert_int_equal(nfd_nodes_count_warnings(nodes), 1);
	assert_non_null(strstr(nfd_nodes_get_warning(nodes, 0), "orphan"));
	assert_null(nfd_nodes_get_warning(nodes, 1));

	/* worker object, then zzz-override (NFD namespace), then the
	 * third-party namespace: the third party wins */
	f = nfd_nodes_get_features(nodes, 0);
	assert_string_equal(attr(f, "kernel.version", "major"), "6");
	assert_string_equal(attr(f, "kernel.version", "minor"), "9");
	assert_string_equal(attr(f, "kernel.version", "full"), "5.4.0");
	assert_int_equal(nfd_features_has_flag(f, "local.feature", "x"), 1);
	assert_int_equal(nfd_features_has_flag(f, "local.feature", "gpu-ready"), 1);
	assert_int_equal(nfd_features_has_flag(f, "local.feature", "orphan"), 0);
	assert_int_equal(nfd_features_count_instances(f, "pci.device"), 3);
	assert_int_equal(nfd_features_get_instance_attribute(f, "pci.device", 0, "vendor", &v), 0);
	assert_string_equal(v, "8086");
	assert_int_equal(nfd_features_get_instance_attribute(f, "pci.device", 2, "vendor", &v), 0);
	assert_string_equal(v, "10de");
	nfd_nodes_unref(nodes);
}

static void test_namespace_option(void **state)
{
	struct nfd_nodes_options opts;
	struct nfd_nodes *nodes = NULL;

	/* a caller built against version 1 has no room for threads: init
	 * must not write there (the Python binding's struct is version 1) */
	memset(&opts, 0xaa, sizeof(opts));
	assert_int_equal(nfd_nodes_options_init(&opts, 1), 0);
	assert_int_equal(opts.version, 1);
	assert_null(opts.nfd_namespace);
	assert_int_equal(opts.threads, 0xaaaaaaaau);
	assert_int_equal(nfd_nodes_options_init(&opts, 0), -EINVAL);
	assert_int_equal(nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION + 1), -EINVAL);

	assert_int_equal(nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION), 0);
	assert_int_equal(opts.version, NFD_NODES_OPTIONS_VERSION);
	assert_int_equal(opts.threads, 0);
	/* nfd-master in "third-party": that object merges first, then by
	 * name: worker-1, zzz-override (major 7) */
	opts.nfd_namespace = "third-party";
	assert_int_equal(nfd_nodes_parse_file(ctx, merge_path, &opts, &nodes), 2);
	assert_string_equal(attr(nfd_nodes_get_features(nodes, 0), "kernel.version", "major"), "7");
	nfd_nodes_unref(nodes);

	opts.version = 99;
	assert_int_equal(nfd_nodes_parse_file(ctx, merge_path, &opts, &nodes), -EINVAL);
	assert_int_equal(nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION), 0);
	opts.max_bytes = 100;
	assert_int_equal(nfd_nodes_parse_file(ctx, merge_path, &opts, &nodes), -E2BIG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx),
			       "is over the 100 bytes limit for features (a list of nodes)"));
}

static const char spec_yaml[] = "version: v1alpha1\n"
				"compatibilities:\n"
				"- rules:\n"
				"  - name: kernel-6\n"
				"    matchFeatures:\n"
				"    - feature: kernel.version\n"
				"      matchExpressions:\n"
				"        major: {op: In, value: [\"6\"]}\n";

static void test_only_for_specs(void **state)
{
	struct nfd_nodes_options opts;
	struct nfd_nodes *nodes = NULL;
	struct nfd_spec *spec = NULL;
	const struct nfd_spec *specs[2] = {NULL, NULL};
	const struct nfd_features *f;

	assert_int_equal(nfd_spec_parse(ctx, spec_yaml, sizeof(spec_yaml) - 1, "spec", &spec), 0);
	specs[0] = spec;
	assert_int_equal(nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION), 0);
	opts.only_for_specs = specs;
	assert_int_equal(nfd_nodes_parse_file(ctx, merge_path, &opts, &nodes), 2);
	f = nfd_nodes_get_features(nodes, 0);
	assert_string_equal(attr(f, "kernel.version", "major"), "6");
	/* only the elements the expressions name */
	assert_null(attr(f, "kernel.version", "minor"));
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_FLAG, "local.feature"), 0);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_INSTANCE, "pci.device"), 0);
	nfd_nodes_unref(nodes);
	nfd_spec_unref(spec);
}

static void test_evaluate_threads(void **state)
{
	struct nfd_nodes *nodes = NULL;
	struct nfd_spec *spec = NULL;
	unsigned int threads[] = {1, 2, 7, 0};

	assert_int_equal(nfd_spec_parse(ctx, spec_yaml, sizeof(spec_yaml) - 1, "spec", &spec), 0);
	assert_int_equal(nfd_nodes_parse_file(ctx, merge_path, NULL, &nodes), 2);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		struct nfd_report **reports = NULL;

		assert_int_equal(nfd_evaluate_nodes(ctx, spec, nodes, NULL, threads[t], &reports),
				 2);
		for (size_t i = 0; i < 2; i++) {
			struct nfd_report *one = NULL;

			assert_int_equal(nfd_evaluate(ctx, spec, nfd_nodes_get_features(nodes, i),
						      NULL, &one),
					 0);
			assert_int_equal(nfd_report_is_compatible(reports[i]),
					 nfd_report_is_compatible(one));
			nfd_report_unref(one);
		}
		/* worker-1 has kernel 6 (third party), worker-2 kernel 5 */
		assert_int_equal(nfd_report_is_compatible(reports[0]), 1);
		assert_int_equal(nfd_report_is_compatible(reports[1]), 0);
		nfd_reports_free(reports, 2);
	}
	nfd_reports_free(NULL, 0);
	nfd_nodes_unref(nodes);
	nfd_spec_unref(spec);
}

static void test_documents(void **state)
{
	static const char nf[] = "{\"apiVersion\":\"nfd.k8s-sigs.io/v1alpha1\",\"kind\":"
				 "\"NodeFeature\",\"metadata\":{\"name\":\"n1\"},\"spec\":{}}";
	static const char exp[] = "{\"flags\":{},\"attributes\":{},\"instances\":{}}";
	static const char bad[] = "{\"kind\":\"List\",\"items\":[{\"kind\":\"Node\"}]}";
	struct nfd_nodes *nodes = NULL;

	/* a single NodeFeature: one node, named after the object without a label */
	assert_int_equal(nfd_nodes_parse_json(ctx, nf, sizeof(nf) - 1, NULL, &nodes), 1);
	assert_string_equal(nfd_nodes_get_name(nodes, 0), "n1");
	nfd_nodes_unref(nodes);
	/* an export document: one node named "" */
	assert_int_equal(nfd_nodes_parse_json(ctx, exp, sizeof(exp) - 1, NULL, &nodes), 1);
	assert_string_equal(nfd_nodes_get_name(nodes, 0), "");
	nfd_nodes_unref(nodes);
	nodes = NULL;
	assert_int_equal(nfd_nodes_parse_json(ctx, bad, sizeof(bad) - 1, NULL, &nodes), -EBADMSG);
	assert_null(nodes);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "items[0]: expected kind NodeFeature"));
}

static void test_bad_arguments(void **state)
{
	struct nfd_nodes *nodes = NULL;
	struct nfd_report **reports = NULL;

	assert_int_equal(nfd_nodes_parse_json(NULL, "{}", 2, NULL, &nodes), -EINVAL);
	assert_int_equal(nfd_nodes_parse_json(ctx, NULL, 2, NULL, &nodes), -EINVAL);
	assert_int_equal(nfd_nodes_parse_file(ctx, "/nonexistent", NULL, &nodes), -ENOENT);
	assert_int_equal(nfd_nodes_parse_file(ctx, "/", NULL, &nodes), -EISDIR);
	assert_int_equal(nfd_nodes_count(NULL), -EINVAL);
	assert_int_equal(nfd_nodes_find(NULL, "x"), -EINVAL);
	assert_int_equal(nfd_evaluate_nodes(ctx, NULL, NULL, NULL, 1, &reports), -EINVAL);
	assert_null(nfd_nodes_unref(NULL));
	assert_int_equal(nfd_nodes_options_init(NULL, NFD_NODES_OPTIONS_VERSION), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_order),    cmocka_unit_test(test_namespace_option),
		cmocka_unit_test(test_only_for_specs), cmocka_unit_test(test_evaluate_threads),
		cmocka_unit_test(test_documents),      cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
