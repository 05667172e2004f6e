/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_rules_parse() over YAML/JSON input (NodeFeatureRule and
 * NodeFeatureGroup objects); what parses is evaluated against a small fixed
 * node with NodeFeature labels, taints on and off, and rendered as JSON.
 */
#include "fuzz/fuzz.h"

static const char node_json[] =
	"{\"flags\":{\"cpu.cpuid\":{\"elements\":{\"AVX2\":{},\"SSE4\":{}}},"
	"\"kernel.loadedmodule\":{\"elements\":{\"nvidia\":{}}}},"
	"\"attributes\":{\"kernel.version\":{\"elements\":{\"major\":\"6\",\"minor\":\"1\"}},"
	"\"local.label\":{\"elements\":{\"a\":\"1\"}}},"
	"\"instances\":{\"pci.device\":{\"elements\":[{\"attributes\":{\"class\":\"0300\","
	"\"vendor\":\"10de\"}},{\"attributes\":{\"class\":\"0200\",\"vendor\":\"8086\"}}]}}}";

static struct nfd_ctx *ctx;
static struct nfd_features *node;

static void drain(struct nfd_iter *it)
{
	const char *k, *v;

	while (nfd_iter_next(it, &k, &v) > 0)
		if (!k)
			abort();
	nfd_iter_free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const labels[] = {"x", "1", "feature.node.kubernetes.io/y", "2", NULL};
	static const char *const deny[] = {"*.example.com", "vendor.io", NULL};
	struct nfd_rules_options o = {.version = NFD_RULES_OPTIONS_VERSION,
				      .node_labels = labels,
				      .deny_label_ns = deny,
				      .extra_label_ns = deny + 1};
	struct nfd_rules *rules = NULL;
	struct nfd_iter *it = NULL;

	if (!ctx) {
		ctx = fuzz_ctx_new();
		if (nfd_features_parse_json(ctx, node_json, strlen(node_json), &node) < 0)
			abort();
	}
	if (nfd_rules_parse(ctx, (const char *)data, size, "fuzz.yaml", &rules) < 0)
		return 0;
	if (nfd_rules_iter_problems(rules, &it) >= 0)
		drain(it);
	for (unsigned int flags = 0; flags < 4; flags++) {
		struct nfd_rules_result *res = NULL;
		char *json = NULL;

		o.flags = flags;
		if (nfd_rules_evaluate(ctx, rules, node, flags & 1 ? &o : NULL, &res) < 0)
			continue;
		for (int what = NFD_RULES_LABELS; what <= NFD_RULES_MESSAGES; what++)
			if (nfd_rules_result_iter(res, (enum nfd_rules_output)what, &it) >= 0)
				drain(it);
		if (nfd_rules_result_to_json(res, &json) >= 0 && (!json || !*json))
			abort();
		free(json);
		nfd_rules_result_unref(res);
	}
	nfd_rules_unref(rules);
	return 0;
}
