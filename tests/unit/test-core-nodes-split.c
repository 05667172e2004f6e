/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Many nodes: a NodeFeature list read on several threads (runs cut at
 * guessed item starts, doc/many-nodes.md) gives exactly what one thread
 * gives: the same items in the same order, the same warnings, the same
 * error for a broken list.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/nodes-private.h"

static struct nfd_ctx *ctx;

static int setup(void **state)
{
	ctx = nfd_ctx_new();
	return ctx ? 0 : -1;
}

static int teardown(void **state)
{
	nfd_ctx_unref(ctx);
	return 0;
}

/*
 * n items, with the traps a guess can fall into: nested objects that start
 * with "apiVersion" after a comma (ownerReferences), the same text escaped
 * inside strings, items on one line and indented ones, objects without the
 * label or with an empty one, third-party objects for the same node.
 */
static char *make_list(size_t n, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fputs("{\"apiVersion\": \"v1\", \"items\": [", f);
	for (size_t i = 0; i < n; i++) {
		const char *nl = i % 3 ? "" : "\n        ";

		fprintf(f,
			"%s%s{%s\"apiVersion\": \"nfd.k8s-sigs.io/v1alpha1\", \"kind\": "
			"\"NodeFeature\",%s\"metadata\": {",
			i ? "," : "", nl, nl, nl);
		if (i % 4 == 1)
			fputs("\"ownerReferences\": [{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}, "
			      "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"name\": \"w\"}], ",
			      f);
		if (i % 7 == 3)
			fputs("\"labels\": {}, ", f);
		else if (i % 11 == 5)
			fputs("\"labels\": {\"nfd.node.kubernetes.io/node-name\": \"\"}, ", f);
		else
			fprintf(f,
				"\"labels\": {\"nfd.node.kubernetes.io/node-name\": "
				"\"node-%zu\"}, ",
				i % 5 == 2 ? i - 1 : i);
		fprintf(f,
			"\"name\": \"%s-%zu\", \"namespace\": \"%s\"},%s\"spec\": {\"features\": {",
			i % 5 == 2 ? "zzz" : "node", i, i % 5 == 2 ? "third-party" : "nfd", nl);
		fprintf(f,
			"\"flags\": {\"cpu.cpuid\": {\"elements\": {\"AVX\": {}, \"F%zu\": {}}}}, ",
			i % 13);
		fputs("\"attributes\": {\"kernel.config\": {\"elements\": {", f);
		for (size_t k = 0; k < 40; k++)
			fprintf(f, "%s\"OPT_%zu\": \"%s\"", k ? ", " : "", k,
				(i + k) % 9 ? "y" : ",{\\\"apiVersion\\\": \\\"x\\\"}");
		fprintf(f, "}}, \"system.osrelease\": {\"elements\": {\"ID\": \"os%zu\"}}}, ",
			i % 4);
		fprintf(f,
			"\"instances\": {\"pci.device\": {\"elements\": [{\"attributes\": "
			"{\"vendor\": \"10de\", \"device\": \"%04zx\"}}, {\"attributes\": "
			"{\"vendor\": \"8086\"}}]}}}}}",
			i);
	}
	fputs("\n], \"kind\": \"List\", \"metadata\": {\"resourceVersion\": \"\"}}\n", f);
	assert_int_equal(fclose(f), 0);
	*ret_len = len;
	return buf;
}

static char *features_json(const struct nfd_features *f)
{
	char *s = NULL;

	assert_true(nfd_features_to_json(f, 0, &s) >= 0);
	return s;
}

static void assert_same(const struct doc_result *a, const struct doc_result *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->n_items, b->n_items);
	for (size_t i = 0; i < a->n_items; i++) {
		char *x = features_json(a->items[i].features);
		char *y = features_json(b->items[i].features);

		assert_string_equal(a->items[i].node, b->items[i].node);
		assert_string_equal(a->items[i].name, b->items[i].name);
		assert_string_equal(a->items[i].namespace, b->items[i].namespace);
		assert_string_equal(x, y);
		/* the objects belong to the caller's context, not a worker's */
		assert_ptr_equal(nfd__features_ctx(b->items[i].features), ctx);
		free(x);
		free(y);
	}
	assert_int_equal(a->n_warnings, b->n_warnings);
	for (size_t i = 0; i < a->n_warnings; i++)
		assert_string_equal(a->warnings[i], b->warnings[i]);
}

static int parse(const char *buf, size_t len, unsigned int threads, size_t split_min,
		 const struct keep_feature *keep, size_t n_keep, struct doc_result *ret)
{
	struct doc_options opts = {
		.threads = threads, .split_min = split_min, .keep = keep, .n_keep = n_keep};

	return nfd__doc_parse(ctx, "list.json", buf, len, &opts, ret);
}

static void test_same_items(void **state)
{
	static const char *elems[] = {"OPT_3", "vendor"};
	const struct keep_feature keep[] = {
		{.name = "cpu.cpuid", .all = true},
		{.name = "kernel.config", .elems = elems, .n_elems = 1, .len_mask = 1u << 5},
		{.name = "pci.device", .elems = elems + 1, .n_elems = 1, .len_mask = 1u << 6},
	};
	static const unsigned int threads[] = {2, 3, 4, 7, 16};
	static const size_t split[] = {1, 700, 5000, 40000};
	size_t len;
	char *buf = make_list(300, &len);
	struct doc_result one = {}, one_keep = {};

	assert_int_equal(parse(buf, len, 1, 0, NULL, 0, &one), 0);
	assert_int_equal(parse(buf, len, 1, 0, keep, 3, &one_keep), 0);
	/* 300 objects, 43 without a label and 23 with an empty one */
	assert_int_equal(one.kind, DOC_LIST);
	assert_int_equal(one.n_items, 300 - 43 - 23);
	assert_int_equal(one.n_warnings, 43 + 23);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		for (size_t s = 0; s < sizeof(split) / sizeof(split[0]); s++) {
			struct doc_result many = {};

			assert_int_equal(parse(buf, len, threads[t], split[s], NULL, 0, &many), 0);
			assert_same(&one, &many);
			nfd__doc_result_release(&many);
			assert_int_equal(parse(buf, len, threads[t], split[s], keep, 3, &many), 0);
			assert_same(&one_keep, &many);
			nfd__doc_result_release(&many);
		}
	}
	nfd__doc_result_release(&one);
	nfd__doc_result_release(&one_keep);
	free(buf);
}

/* a broken list: the same error, the same message, from any thread count */
static void test_same_errors(void **state)
{
	size_t len;
	char *buf = make_list(200, &len), *pod, *err1;
	struct doc_result res = {};
	int r1, r;

	/* truncated at many places, inside items and between them */
	for (size_t cut = len / 7; cut < len; cut += len / 13) {
		r1 = parse(buf, cut, 1, 0, NULL, 0, &res);
		assert_int_equal(r1, -EBADMSG);
		err1 = strdup(nfd_ctx_last_error(ctx));
		for (unsigned int t = 2; t <= 5; t++) {
			r = parse(buf, cut, t, 500, NULL, 0, &res);
			assert_int_equal(r, r1);
			assert_string_equal(nfd_ctx_last_error(ctx), err1);
		}
		free(err1);
	}
	/* an item of another kind far into the list */
	pod = strstr(buf + len * 2 / 3, "\"kind\": \"NodeFeature\"");
	assert_non_null(pod);
	memcpy(pod, "\"kind\": \"Pod\"        ", 21);
	r1 = parse(buf, len, 1, 0, NULL, 0, &res);
	assert_int_equal(r1, -EBADMSG);
	err1 = strdup(nfd_ctx_last_error(ctx));
	assert_non_null(strstr(err1, "expected kind NodeFeature, got kind 'Pod'"));
	for (unsigned int t = 2; t <= 5; t++) {
		assert_int_equal(parse(buf, len, t, 1, NULL, 0, &res), r1);
		assert_string_equal(nfd_ctx_last_error(ctx), err1);
	}
	free(err1);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_items),
		cmocka_unit_test(test_same_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
