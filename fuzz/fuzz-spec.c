/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_spec_parse() over YAML/JSON input; a spec that parses is evaluated
 * against a small fixed node (flags, attributes, instances that the example
 * specs name) and its report rendered in both formats.
 */
#include "fuzz/fuzz.h"

/* Spec files are capped at 4 MiB; the fuzzer is run with -max_len=65536. */

static const char node_json[] =
	"{\"flags\":{"
	"\"cpu.cpuid\":{\"elements\":{\"SSE2\":{},\"CMOV\":{},\"FXSR\":{},\"AVX512F\":{},"
	"\"AVX2\":{}}},"
	"\"kernel.loadedmodule\":{\"elements\":{\"vfio_pci\":{},\"kvm\":{}}},"
	"\"fake.flag\":{\"elements\":{\"flag_1\":{},\"flag_2\":{}}}},"
	"\"attributes\":{"
	"\"kernel.version\":{\"elements\":{\"full\":\"6.1.0-18-amd64\",\"major\":\"6\","
	"\"minor\":\"1\",\"revision\":\"0\"}},"
	"\"system.osrelease\":{\"elements\":{\"ID\":\"debian\",\"VERSION_ID\":\"12\"}},"
	"\"cpu.model\":{\"elements\":{\"vendor_id\":\"Intel\",\"family\":\"6\",\"id\":\"143\"}},"
	"\"fake.attribute\":{\"elements\":{\"attr_1\":\"true\",\"attr_2\":\"false\","
	"\"attr_3\":\"10\"}}},"
	"\"instances\":{"
	"\"pci.device\":{\"elements\":[{\"attributes\":{\"class\":\"0300\",\"vendor\":\"10de\","
	"\"device\":\"2330\",\"sriov_totalvfs\":\"8\"}},{\"attributes\":{\"class\":\"0200\","
	"\"vendor\":\"8086\",\"device\":\"1592\"}}]},"
	"\"fake.instance\":{\"elements\":[{\"attributes\":{\"attr_1\":\"true\",\"attr_3\":\"10\","
	"\"name\":\"instance_1\"}},{\"attributes\":{\"name\":\"instance_2\"}}]}}}";

static struct nfd_ctx *ctx;
static struct nfd_features *node;

static void render(const struct nfd_report *report)
{
	static const unsigned int flags[] = {0, NFD_REPORT_COLOR | NFD_REPORT_NFD_ONLY};

	for (int format = NFD_REPORT_JSON; format <= NFD_REPORT_TEXT; format++)
		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
			char *out = NULL;
			int r = nfd_report_to_string(report, format, flags[i], &out);

			if (r >= 0 && (!out || strlen(out) != (size_t)r))
				abort(); /* the length returned is the string's */
			free(out);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = {"baseline", "gpu", NULL};
	struct nfd_spec *spec = NULL;
	struct nfd_report *report = NULL;

	if (!ctx) {
		ctx = fuzz_ctx_new();
		if (nfd_features_parse_json(ctx, node_json, strlen(node_json), &node) < 0)
			abort();
	}

	if (nfd_spec_parse(ctx, (const char *)data, size, "fuzz.yaml", &spec) < 0)
		return 0;

	/* the accessors walk what the parser built */
	for (int i = 0, n = nfd_spec_count_sets(spec); i < n; i++) {
		(void)nfd_spec_set_get_tag(spec, (size_t)i);
		(void)nfd_spec_set_get_description(spec, (size_t)i);
	}
	for (int i = 0, n = nfd_spec_count_problems(spec); i < n; i++)
		(void)nfd_spec_get_problem(spec, (size_t)i);

	if (nfd_evaluate(ctx, spec, node, NULL, &report) >= 0) {
		render(report);
		nfd_report_unref(report);
	}
	if (nfd_evaluate(ctx, spec, node, tags, &report) >= 0)
		nfd_report_unref(report);
	nfd_spec_unref(spec);
	return 0;
}
