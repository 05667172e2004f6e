/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NodeFeature lists (doc/many-nodes.md): the document reader read on one
 * thread and, cut into short runs at guessed item starts, on several must
 * agree exactly (the same items, warnings, error and message); what parses
 * is then grouped into nodes as nfd-master merges them, with and without
 * the features a spec references only, and every node is evaluated and
 * written out.  The input is a list, a NodeFeature or an export document.
 */
#include <errno.h>

#include "fuzz.h"
#include "libnfd/libnfd-internal.h"
#include "libnfd/nodes-private.h"

static const char spec_yaml[] = "version: v1alpha1\n"
				"compatibilities:\n"
				"- description: fuzz\n"
				"  rules:\n"
				"  - name: gpu\n"
				"    matchFeatures:\n"
				"    - feature: pci.device\n"
				"      matchExpressions:\n"
				"        vendor: {op: In, value: [\"10de\"]}\n"
				"    - feature: kernel.version\n"
				"      matchExpressions:\n"
				"        major: {op: Gt, value: [\"4\"]}\n"
				"  - name: avx\n"
				"    matchAny:\n"
				"    - matchFeatures:\n"
				"      - feature: cpu.cpuid\n"
				"        matchExpressions:\n"
				"          AVX2: {op: Exists}\n"
				"    - matchFeatures:\n"
				"      - feature: system.osrelease\n"
				"        matchExpressions:\n"
				"          ID: {op: InRegexp, value: [\"^deb\"]}\n";

static struct nfd_ctx *ctx;
static struct nfd_spec *spec;

static void differ(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "one thread and several differ: %s\n--- one\n%s\n--- several\n%s\n", what,
		a ? a : "(null)", b ? b : "(null)");
	abort();
}

static void same_string(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		differ(what, a, b);
}

static char *to_json(const struct nfd_features *f)
{
	char *s = NULL;

	if (nfd_features_to_json(f, NFD_JSON_COMPACT, &s) < 0)
		abort(); /* a parsed node always writes out */
	return s;
}

static void same_result(const struct doc_result *a, const struct doc_result *b)
{
	if (a->kind != b->kind || a->n_items != b->n_items || a->n_warnings != b->n_warnings)
		differ("kind or counts", NULL, NULL);
	for (size_t i = 0; i < a->n_items; i++) {
		char *x = to_json(a->items[i].features), *y = to_json(b->items[i].features);

		same_string("node", a->items[i].node, b->items[i].node);
		same_string("name", a->items[i].name, b->items[i].name);
		same_string("namespace", a->items[i].namespace, b->items[i].namespace);
		same_string("features", x, y);
		free(x);
		free(y);
	}
	for (size_t i = 0; i < a->n_warnings; i++)
		same_string("warning", a->warnings[i], b->warnings[i]);
}

/* The reader alone: one thread against 2-4 threads over runs as short as
 * the input allows, with every feature kept and with a few only. */
static void split_reader(const char *buf, size_t len, uint8_t knob)
{
	static const char *elems[] = {"ID", "vendor"};
	static const struct keep_feature keep[] = {
		{.name = "cpu.cpuid", .all = true},
		{.name = "pci.device", .elems = elems + 1, .n_elems = 1, .len_mask = 1u << 6},
		{.name = "system.osrelease", .elems = elems, .n_elems = 1, .len_mask = 1u << 2},
	};
	bool filter = knob & 1;
	struct doc_options one = {.threads = 1};
	struct doc_options many = {.threads = 2 + (knob >> 1) % 3,
				   .split_min = 1 + (size_t)(knob >> 3) * len / 64};
	struct doc_result a = {}, b = {};
	char *err = NULL;
	int ra, rb;

	if (filter) {
		one.keep = many.keep = keep;
		one.n_keep = many.n_keep = sizeof(keep) / sizeof(keep[0]);
	}
	ra = nfd__doc_parse(ctx, "fuzz.json", buf, len, &one, &a);
	if (ra < 0 && !(err = strdup(nfd_ctx_last_error(ctx))))
		abort();
	rb = nfd__doc_parse(ctx, "fuzz.json", buf, len, &many, &b);
	if (ra != rb) {
		char x[32], y[32];

		snprintf(x, sizeof(x), "%d", ra);
		snprintf(y, sizeof(y), "%d", rb);
		differ("result", x, y);
	}
	if (ra < 0)
		same_string("error", err, nfd_ctx_last_error(ctx));
	else
		same_result(&a, &b);
	free(err);
	nfd__doc_result_release(&a);
	nfd__doc_result_release(&b);
}

/* The public path: nodes merged, filtered for the spec or not, evaluated. */
static void nodes(const char *buf, size_t len, uint8_t knob)
{
	const struct nfd_spec *specs[] = {spec, NULL};
	struct nfd_nodes_options opts;
	struct nfd_nodes *n = NULL;
	struct nfd_report **reports = NULL;
	int count, r;

	if (nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION) < 0)
		abort();
	opts.threads = 1;
	if (knob & 2)
		opts.only_for_specs = specs;
	if (knob & 4)
		opts.nfd_namespace = "third-party";
	count = nfd_nodes_parse_json(ctx, buf, len, &opts, &n);
	if (count < 0)
		return;
	if (count != nfd_nodes_count(n))
		abort();
	for (int i = 0; i < count; i++) {
		char *s = to_json(nfd_nodes_get_features(n, (size_t)i));
		const char *name = nfd_nodes_get_name(n, (size_t)i);

		if (!name || nfd_nodes_find(n, name) != i)
			abort(); /* names are unique and sorted */
		free(s);
	}
	for (int i = 0; i < nfd_nodes_count_warnings(n); i++)
		if (!nfd_nodes_get_warning(n, (size_t)i))
			abort();
	r = nfd_evaluate_nodes(ctx, spec, n, NULL, 1 + (knob >> 3) % 2, &reports);
	if (r >= 0) {
		if (r != count)
			abort();
		for (int i = 0; i < r; i++) {
			char *s = NULL;

			if (nfd_report_to_string(reports[i],
						 i % 2 ? NFD_REPORT_TEXT : NFD_REPORT_JSON, 0,
						 &s) < 0)
				abort();
			free(s);
		}
		nfd_reports_free(reports, (size_t)r);
	}
	nfd_nodes_unref(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t knob;

	if (!ctx) {
		ctx = fuzz_ctx_new();
		if (nfd_spec_parse(ctx, spec_yaml, sizeof(spec_yaml) - 1, "fuzz.yaml", &spec) < 0)
			abort();
	}
	/* the last byte picks the variant; the rest is the document */
	if (size < 1)
		return 0;
	knob = data[size - 1];
	size--;
	split_reader((const char *)data, size, knob);
	nodes((const char *)data, size, knob);
	return 0;
}
