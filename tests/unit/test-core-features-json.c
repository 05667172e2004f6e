/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Features JSON: NFD's export shape, NodeFeature objects and lists, errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/libnfd-internal.h"
#include "tests/unit/fixture.h"

static struct nfd_features *parse_ok(const char *doc)
{
	struct nfd_features *f = NULL;
	int r = nfd_features_parse_json(ctx, doc, strlen(doc), &f);

	if (r < 0)
		fail_msg("parse failed: %d %s", r, nfd_ctx_last_error(ctx));
	return f;
}

static void expect_error(const char *doc, int err, const char *msg_part)
{
	struct nfd_features *f = (struct nfd_features *)0x1;
	int r = nfd_features_parse_json(ctx, doc, strlen(doc), &f);

	assert_int_equal(r, err);
	/* the output is untouched on failure */
	assert_ptr_equal(f, (struct nfd_features *)0x1);
	if (!strstr(nfd_ctx_last_error(ctx), msg_part))
		fail_msg("message '%s' lacks '%s'", nfd_ctx_last_error(ctx), msg_part);
}

/* Exactly what `nfd export features` prints for this content. */
static const char golden[] =
	"{\n"
	"    \"flags\": {\n"
	"        \"cpu.cpuid\": {\n"
	"            \"elements\": {\n"
	"                \"ADX\": {},\n"
	"                \"AVX\": {}\n"
	"            }\n"
	"        }\n"
	"    },\n"
	"    \"attributes\": {\n"
	"        \"cpu.rdt\": {\n"
	"            \"elements\": {}\n"
	"        },\n"
	"        \"kernel.version\": {\n"
	"            \"elements\": {\n"
	"                \"full\": \"6.1.0-18-amd64 \\u003cx\\u0026y\\u003e\",\n"
	"                \"major\": \"6\"\n"
	"            }\n"
	"        }\n"
	"    },\n"
	"    \"instances\": {\n"
	"        \"pci.device\": {\n"
	"            \"elements\": [\n"
	"                {\n"
	"                    \"attributes\": {\n"
	"                        \"class\": \"0302\",\n"
	"                        \"vendor\": \"10de\"\n"
	"                    }\n"
	"                },\n"
	"                {\n"
	"                    \"attributes\": {}\n"
	"                }\n"
	"            ]\n"
	"        },\n"
	"        \"usb.device\": {\n"
	"            \"elements\": []\n"
	"        }\n"
	"    }\n"
	"}\n";

static void test_golden_output_and_round_trip(void **state)
{
	struct nfd_features *f, *g;
	char *out, *out2;
	int n;

	f = parse_ok(golden);
	n = nfd_features_to_json(f, 0, &out);
	assert_int_equal(n, (int)strlen(golden));
	assert_string_equal(out, golden);

	g = parse_ok(out);
	n = nfd_features_to_json(g, NFD_JSON_COMPACT | NFD_JSON_NO_NEWLINE, &out2);
	assert_true(n > 0);
	assert_int_equal(n, (int)strlen(out2));
	assert_string_equal(
		out2,
		"{\"flags\":{\"cpu.cpuid\":{\"elements\":{\"ADX\":{},\"AVX\":{}}}},"
		"\"attributes\":{\"cpu.rdt\":{\"elements\":{}},\"kernel.version\":{\"elements\":"
		"{\"full\":\"6.1.0-18-amd64 \\u003cx\\u0026y\\u003e\",\"major\":\"6\"}}},"
		"\"instances\":{\"pci.device\":{\"elements\":[{\"attributes\":{\"class\":\"0302\","
		"\"vendor\":\"10de\"}},{\"attributes\":{}}]},\"usb.device\":{\"elements\":[]}}}");
	free(out);
	free(out2);
	nfd_features_unref(f);
	nfd_features_unref(g);
}

static void test_go_escaping(void **state)
{
	struct nfd_features *f;
	char *out;

	assert_int_equal(nfd_features_new(ctx, &f), 0);
	assert_int_equal(
		nfd_features_set_attribute(f, "a.b", "k", "q\"\\\n\t\x01\xe2\x80\xa8\xc3\xa9\xff"),
		0);
	assert_int_equal(nfd_features_seal(f), 0);
	assert_true(nfd_features_to_json(f, NFD_JSON_COMPACT, &out) > 0);
	assert_non_null(strstr(out, "\"q\\\"\\\\\\n\\t\\u0001\\u2028\xc3\xa9\\ufffd\""));
	free(out);
	nfd_features_unref(f);
}

static void test_nil_elements(void **state)
{
	struct nfd_features *f = parse_ok("{\"flags\":{\"fake.flag\":{\"elements\":null}},"
					  "\"attributes\":{\"fake.attr\":{}},\"instances\":{\"fake."
					  "inst\":{\"elements\":null}}}");
	struct nfd__kvmap_view view;
	size_t n;
	bool nil;
	char *out;

	assert_int_equal(nfd__features_flags(f, "fake.flag", &view), 0);
	assert_true(view.is_nil);
	assert_int_equal(nfd__features_attributes(f, "fake.attr", &view), 0);
	assert_true(view.is_nil);
	assert_int_equal(nfd__features_instances(f, "fake.inst", &n, &nil), 0);
	assert_true(nil);
	assert_int_equal(n, 0);
	assert_true(nfd_features_to_json(f, NFD_JSON_COMPACT | NFD_JSON_NO_NEWLINE, &out) > 0);
	assert_string_equal(out, "{\"flags\":{\"fake.flag\":{\"elements\":null}},"
				 "\"attributes\":{\"fake.attr\":{\"elements\":null}},"
				 "\"instances\":{\"fake.inst\":{\"elements\":null}}}");
	free(out);
	nfd_features_unref(f);
}

static void test_nodefeature(void **state)
{
	struct nfd_features *f = parse_ok(
		"{\"apiVersion\":\"nfd.k8s-sigs.io/v1alpha1\",\"kind\":\"NodeFeature\","
		"\"metadata\":{\"name\":\"node-1\",\"labels\":{\"nfd.node.kubernetes.io/"
		"node-name\":"
		"\"node-1\"}},\"spec\":{\"labels\":{\"x\":\"y\"},\"features\":{\"flags\":"
		"{\"kernel.loadedmodule\":{\"elements\":{\"nvidia\":{}}}},\"attributes\":{},"
		"\"instances\":{}}}}");

	assert_int_equal(nfd_features_has_flag(f, "kernel.loadedmodule", "nvidia"), 1);
	nfd_features_unref(f);
}

#define LABEL(node) "\"metadata\":{\"labels\":{\"nfd.node.kubernetes.io/node-name\":\"" node "\"}},"

/* a list of one node's objects is that node, merged as nfd-master does */
static void test_nodefeature_list_merges(void **state)
{
	const char *v;
	struct nfd_features *f = parse_ok(
		"{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
		"{\"apiVersion\":\"nfd.k8s-sigs.io/v1alpha1\",\"kind\":\"NodeFeature\"," LABEL(
			"n1") "\"spec\":"
			      "{\"features\":{\"attributes\":{\"kernel.version\":{\"elements\":{"
			      "\"major\":\"5\","
			      "\"minor\":\"4\"}}}}}},"
			      "{\"apiVersion\":\"nfd.k8s-sigs.io/"
			      "v1alpha1\",\"kind\":\"NodeFeature\","
			      "\"metadata\":{\"name\":\"zzz\",\"labels\":{\"nfd.node.kubernetes.io/"
			      "node-name\":"
			      "\"n1\"}},\"spec\":"
			      "{\"features\":{\"attributes\":{\"kernel.version\":{\"elements\":{"
			      "\"major\":\"6\"}}"
			      "},"
			      "\"flags\":{\"local.feature\":{\"elements\":{\"x\":{}}}}}}}]}");

	assert_int_equal(nfd_features_get_attribute(f, "kernel.version", "major", &v), 0);
	assert_string_equal(v, "6");
	assert_int_equal(nfd_features_get_attribute(f, "kernel.version", "minor", &v), 0);
	assert_string_equal(v, "4");
	assert_int_equal(nfd_features_has_flag(f, "local.feature", "x"), 1);
	nfd_features_unref(f);

	f = parse_ok("{\"apiVersion\":\"nfd.k8s-sigs.io/v1alpha1\",\"kind\":\"NodeFeatureList\","
		     "\"items\":[]}");
	nfd_features_unref(f);
}

static void test_errors(void **state)
{
	expect_error("", -EBADMSG, "<input>:1:1:");
	expect_error("{\"flags\": {", -EBADMSG, "<input>:1:");
	expect_error("{\"flags\": {}}\n}", -EBADMSG, "<input>:2:1");
	expect_error("{\"flags\":{},\n \"flags\":{}}", -EBADMSG, "duplicate object key");
	expect_error("[1,2]", -EBADMSG, "document: expected an object, got an array");
	expect_error("{\"hello\":1}", -EBADMSG, "not a features document");
	expect_error("{\"kind\":\"Pod\"}", -EBADMSG, "unsupported kind 'Pod'");
	expect_error("{\"kind\":3}", -EBADMSG, "kind: expected a string");
	expect_error("{\"kind\":\"NodeFeature\",\"apiVersion\":\"v1\"}", -EBADMSG, "apiVersion");
	expect_error("{\"flags\":[]}", -EBADMSG, "flags: expected an object, got an array");
	expect_error("{\"flags\":{\"a.b\":{\"elements\":{\"X\":\"y\"}}}}", -EBADMSG,
		     "flags.\"a.b\".elements.\"X\": expected an object ({}), got a string");
	expect_error("{\"attributes\":{\"a.b\":{\"elements\":{\"X\":1}}}}", -EBADMSG,
		     "attributes.\"a.b\".elements.\"X\": expected a string, got an integer");
	expect_error("{\"attributes\":{\"a.b\":{\"elements\":[]}}}", -EBADMSG,
		     "attributes.\"a.b\".elements: expected an object");
	expect_error("{\"instances\":{\"a.b\":{\"elements\":{}}}}", -EBADMSG,
		     "instances.\"a.b\".elements: expected an array");
	expect_error("{\"instances\":{\"a.b\":{\"elements\":[{\"attributes\":{\"k\":true}}]}}}",
		     -EBADMSG, "instances.\"a.b\".elements[0].attributes.\"k\": expected a string");
	expect_error("{\"instances\":{\"a.b\":{\"elements\":[7]}}}", -EBADMSG,
		     "elements[0]: expected an object");
	expect_error("{\"flags\":{\"\":{}}}", -EBADMSG, "empty feature name");
	expect_error("{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\"}]}", -EBADMSG,
		     "items[0]: expected kind NodeFeature");
	/* one features object is one node: a list of two is refused */
	expect_error(
		"{\"kind\":\"List\",\"items\":["
		"{\"apiVersion\":\"nfd.k8s-sigs.io/v1alpha1\",\"kind\":\"NodeFeature\"," LABEL(
			"a") "\"spec\":{}},"
			     "{\"apiVersion\":\"nfd.k8s-sigs.io/"
			     "v1alpha1\",\"kind\":\"NodeFeature\"," LABEL("b") "\"spec\":{}}]}",
		-EBADMSG, "the list holds 2 nodes ('a', 'b')");
	expect_error("{\"attributes\":{\"a.b\":{\"elements\":{\"k\":\"1\",\"k\":\"2\"}}}}",
		     -EBADMSG, "\"a.b\": duplicate element \"k\"");
	expect_error("{\"flags\":{\"a.b\":{},\"a.b\":{}}}", -EBADMSG,
		     "flags: duplicate object key \"a.b\"");
	expect_error("{\"attributes\":{\"a.b\":{\"elements\":{\"k\":\"\\ud800\"}}}}", -EBADMSG,
		     "invalid \\u escape");
	expect_error("{\"attributes\":{\"a.b\":{\"elements\":{\"k\":\"\xff\"}}}}", -EBADMSG,
		     "invalid UTF-8");
	expect_error("{\"attributes\":{}} x", -EBADMSG, "end of file expected");
	expect_error("{\"x\":[1,2,}", -EBADMSG, "unexpected '}', expected a value");
}

static void test_deep_nesting(void **state)
{
	size_t depth = 100000;
	char *doc = malloc(2 * depth + 32);
	struct nfd_features *f;
	size_t n = 0;

	assert_non_null(doc);
	/* deep in a value that is only skipped */
	n += (size_t)sprintf(doc, "{\"flags\":{},\"x\":");
	for (size_t i = 0; i < depth; i++)
		doc[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		doc[n++] = ']';
	doc[n++] = '}';
	assert_int_equal(nfd_features_parse_json(ctx, doc, n, &f), -EBADMSG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "maximum parsing depth"));
	free(doc);
}

static void test_too_large(void **state)
{
	size_t len = (64u << 20) + 1;
	char *doc = malloc(len);
	struct nfd_features *f;

	assert_non_null(doc);
	memset(doc, ' ', len);
	doc[0] = '{';
	doc[len - 1] = '}';
	assert_int_equal(nfd_features_parse_json(ctx, doc, len, &f), -E2BIG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "over the 64 MiB limit"));
	free(doc);
}

static void test_bad_arguments(void **state)
{
	struct nfd_features *f;

	assert_int_equal(nfd_features_parse_json(NULL, "{}", 2, &f), -EINVAL);
	assert_int_equal(nfd_features_parse_json(ctx, NULL, 2, &f), -EINVAL);
	assert_int_equal(nfd_features_parse_json(ctx, "{}", 2, NULL), -EINVAL);
	assert_int_equal(nfd_features_parse_file(ctx, NULL, &f), -EINVAL);
	assert_int_equal(nfd_features_parse_file(ctx, "/nonexistent/features.json", &f), -ENOENT);
	assert_string_equal(nfd_ctx_last_error(ctx),
			    "/nonexistent/features.json: No such file or directory");
	assert_int_equal(nfd_features_parse_file(ctx, "/", &f), -EISDIR);
}

static void test_parse_file(void **state)
{
	char path[] = "/tmp/nfd-test-features-XXXXXX";
	int fd = mkstemp(path);
	struct nfd_features *f;
	const char *doc = "{\"flags\":{\"x.y\":{\"elements\":{\"z\":{}}}},\n \"bad\": }";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fd);
	assert_int_equal(nfd_features_parse_file(ctx, path, &f), -EBADMSG);
	/* file name, line and column */
	assert_true(strncmp(nfd_ctx_last_error(ctx), path, strlen(path)) == 0);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), ":2:"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_output_and_round_trip),
		cmocka_unit_test(test_go_escaping),
		cmocka_unit_test(test_nil_elements),
		cmocka_unit_test(test_nodefeature),
		cmocka_unit_test(test_nodefeature_list_merges),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_parse_file),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
