/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NodeFeatureRule evaluation as nfd-master does it (doc/nodefeaturerule.md):
 * failFast, rule.matched across objects in name order, skipped rules,
 * templates, groups, prefixes and Kubernetes' name, value and quantity checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine-test.h"
#include "libnfd/engine/nfr.h"

static struct nfd_ctx *ctx;
static struct nfd_features *node;

static const char node_json[] =
	"{\"flags\": {\"cpu.cpuid\": {\"elements\": {\"AVX\": {}, \"AVX2\": {}}}},"
	" \"attributes\": {\"kernel.version\": {\"elements\": {\"major\": \"6\", \"minor\": "
	"\"1\"}},"
	"                  \"bad.number\": {\"elements\": {\"num\": \"str\"}}},"
	" \"instances\": {\"pci.device\": {\"elements\": ["
	"   {\"attributes\": {\"vendor\": \"8086\", \"class\": \"0200\"}},"
	"   {\"attributes\": {\"vendor\": \"10de\", \"class\": \"0302\"}}]}}}";

#define HEAD "apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\n"

static int setup(void **state)
{
	ctx = nfd_ctx_new();
	node = features_json(ctx, node_json);
	return ctx && node ? 0 : -1;
}

static int teardown(void **state)
{
	nfd_features_unref(node);
	nfd_ctx_unref(ctx);
	return 0;
}

/* "k=v,k=v" of one output part */
static char *part(const struct nfd_rules_result *res, enum nfd_rules_output what)
{
	struct strbuf sb = STRBUF_INIT;
	struct nfd_iter *it = NULL;
	const char *k, *v;

	assert_true(nfd_rules_result_iter(res, what, &it) >= 0);
	while (nfd_iter_next(it, &k, &v) > 0)
		strbuf_appendf(&sb, "%s%s%s%s", sb.len ? "," : "", k, v ? "=" : "", v ? v : "");
	nfd_iter_free(it);
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

static struct nfd_rules_result *run(const char *yaml, const struct nfd_rules_options *o)
{
	struct nfd_rules *rules = NULL;
	struct nfd_rules_result *res = NULL;
	int r = nfd_rules_parse(ctx, yaml, strlen(yaml), "r.yaml", &rules);

	if (r < 0)
		fprintf(stderr, "%s\n", nfd_ctx_last_error(ctx));
	assert_int_equal(r, 0);
	assert_int_equal(nfd_rules_evaluate(ctx, rules, node, o, &res), 0);
	nfd_rules_unref(rules);
	return res;
}

static void check(const char *yaml, const struct nfd_rules_options *o, enum nfd_rules_output what,
		  const char *want)
{
	struct nfd_rules_result *res = run(yaml, o);
	char *got = part(res, what);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "got  %s\nwant %s\n", got, want);
	assert_string_equal(got, want);
	free(got);
	nfd_rules_result_unref(res);
}

#define LABEL(x) "feature.node.kubernetes.io/" x

/* Later terms and expressions are not evaluated once one fails: no error. */
static void test_fail_fast(void **state)
{
	check(HEAD
	      "metadata: {name: a}\nspec:\n  rules:\n"
	      "  - name: r\n    labels: {x: 'y'}\n    matchFeatures:\n"
	      "    - feature: kernel.version\n      matchExpressions: {major: {op: In, value: "
	      "['5']}}\n"
	      "    - feature: bad.number\n      matchExpressions: {num: {op: Gt, value: ['1']}}\n"
	      "  - name: missing-first\n    labels: {z: 'y'}\n    matchFeatures:\n"
	      "    - feature: no.such\n"
	      "    - feature: bad.number\n      matchExpressions: {num: {op: Gt, value: ['1']}}\n",
	      NULL, NFD_RULES_MESSAGES, "");
	/* the same term reached: the rule is skipped with NFD's error */
	check(HEAD
	      "metadata: {name: a}\nspec:\n  rules:\n"
	      "  - name: r\n    labels: {x: 'y'}\n    matchFeatures:\n"
	      "    - feature: bad.number\n      matchExpressions: {num: {op: Gt, value: ['1']}}\n",
	      NULL, NFD_RULES_LABELS, "");
	/* matchAny stops at the first matching element without templates */
	check(HEAD
	      "metadata: {name: a}\nspec:\n  rules:\n"
	      "  - name: r\n    labels: {x: 'y'}\n    matchAny:\n"
	      "    - matchFeatures: [{feature: cpu.cpuid, matchExpressions: {AVX: {op: Exists}}}]\n"
	      "    - matchFeatures: [{feature: bad.number, matchExpressions: {num: {op: Gt, "
	      "value: ['1']}}}]\n",
	      NULL, NFD_RULES_LABELS, LABEL("x") "=y");
}

/* A repeated key: the last value, as kubectl-nfd's sigs.k8s.io/yaml
 * Unmarshal, and a warning naming both places (doc/semantics.md). */
static void test_duplicate_keys(void **state)
{
	static const char yaml[] = HEAD "metadata: {name: a}\n"
					"spec:\n"
					"  rules:\n"
					"  - name: r\n"
					"    labels:\n"
					"      x: '1'\n"
					"      x: '2'\n"
					"    matchFeatures:\n"
					"    - feature: cpu.cpuid\n"
					"      matchExpressions: {AVX: {op: Exists}}\n";
	struct nfd_rules *rules = NULL;
	struct nfd_iter *it = NULL;
	const char *msg;

	check(yaml, NULL, NFD_RULES_LABELS, LABEL("x") "=2");
	assert_int_equal(nfd_rules_parse(ctx, yaml, strlen(yaml), "r.yaml", &rules), 0);
	assert_int_equal(nfd_rules_iter_warnings(rules, &it), 1);
	assert_int_equal(nfd_iter_next(it, &msg, NULL), 1);
	assert_string_equal(msg, "r.yaml:9:7: duplicate key \"x\" (first at r.yaml:8:7); the last "
				 "one is used, as NFD's decoder does");
	nfd_iter_free(it);
	assert_int_equal(nfd_rules_iter_problems(rules, &it), 0);
	nfd_iter_free(it);
	assert_int_equal(nfd_rules_iter_warnings(NULL, &it), -EINVAL);
	nfd_rules_unref(rules);
}

/* NFRs in name order share rule.matched: raw labels and vars, per node. */
static void test_rule_matched(void **state)
{
	static const char yaml[] = HEAD
		"metadata: {name: b}\nspec:\n  rules:\n"
		"  - name: sees-a\n    labels: {seen: 'yes'}\n    matchFeatures:\n"
		"    - feature: rule.matched\n      matchExpressions:\n"
		"        dyn: {op: In, value: ['@kernel.version.major']}\n"
		"        v: {op: In, value: ['1']}\n"
		"---\n" HEAD "metadata: {name: a}\nspec:\n  rules:\n"
		"  - name: early\n    labels: {early: 'yes'}\n    matchFeatures:\n"
		"    - feature: rule.matched\n"
		"  - name: nomatch\n    matchFeatures: [{feature: no.such}]\n"
		"  - name: exists-now\n    labels: {exists: 'yes'}\n    matchFeatures:\n"
		"    - feature: rule.matched\n"
		"  - name: dyn\n    labels: {dyn: '@kernel.version.major'}\n    vars: {v: '1'}\n";

	/* before any rule rule.matched does not exist; after a non-matching
	 * one it does (empty); a's raw label and var are seen by b */
	check(yaml, NULL, NFD_RULES_LABELS,
	      LABEL("dyn") "=6," LABEL("exists") "=yes," LABEL("seen") "=yes");
	check(yaml, NULL, NFD_RULES_VARS, "v=1");
}

/* A failing template skips its rule; static labels override the template's. */
static void test_templates(void **state)
{
	check(HEAD
	      "metadata: {name: a}\nspec:\n  rules:\n"
	      "  - name: t\n    labels: {AVX: static}\n"
	      "    labelsTemplate: \"{{range .cpu.cpuid}}{{.Name}}=tmpl\\n{{end}}\"\n"
	      "    varsTemplate: \"{{range .cpu.cpuid}}v-{{.Name}}=1\\n{{end}}\"\n"
	      "    matchFeatures: [{feature: cpu.cpuid, matchName: {op: Exists}}]\n"
	      "  - name: bad\n    labels: {never: 'x'}\n    labelsTemplate: \"no equals sign\"\n"
	      "    matchFeatures: [{feature: cpu.cpuid}]\n",
	      NULL, NFD_RULES_LABELS, LABEL("AVX") "=static," LABEL("AVX2") "=tmpl");
	check(HEAD
	      "metadata: {name: a}\nspec:\n  rules:\n"
	      "  - name: t\n    varsTemplate: \"{{range .cpu.cpuid}}v-{{.Name}}=1\\n{{end}}\"\n"
	      "    matchFeatures: [{feature: cpu.cpuid, matchName: {op: Exists}}]\n",
	      NULL, NFD_RULES_VARS, "v-AVX=1,v-AVX2=1");
}

static void test_prefix_and_options(void **state)
{
	static const char yaml[] =
		HEAD "metadata: {name: a}\nspec:\n  rules:\n"
		     "  - name: r\n    labels: {plain: '1', 'vendor.io/x': '2', node: rule}\n"
		     "    taints: [{key: vendor.io/t, effect: NoSchedule}]\n";
	const char *const node_labels[] = {"node", "nf", "kept", "1", NULL};
	struct nfd_rules_options o = {.version = NFD_RULES_OPTIONS_VERSION,
				      .node_labels = node_labels};
	struct nfd_rules *rules = NULL;
	struct nfd_rules_result *res = NULL;

	check(yaml, &o, NFD_RULES_LABELS,
	      LABEL("kept") "=1," LABEL("node") "=rule," LABEL("plain") "=1,vendor.io/x=2");
	check(yaml, NULL, NFD_RULES_TAINTS, "");
	o.flags = NFD_RULES_ENABLE_TAINTS;
	check(yaml, &o, NFD_RULES_TAINTS, "vendor.io/t=:NoSchedule");
	o.flags = NFD_RULES_DISABLE_AUTO_PREFIX;
	o.node_labels = NULL;
	check(yaml, &o, NFD_RULES_LABELS, "node=rule,plain=1,vendor.io/x=2");
	o.version = 99;
	assert_int_equal(nfd_rules_parse(ctx, yaml, strlen(yaml), NULL, &rules), 0);
	assert_int_equal(nfd_rules_evaluate(ctx, rules, node, &o, &res), -EINVAL);
	assert_null(res);
	nfd_rules_unref(rules);
}

static void test_groups(void **state)
{
	check("apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: List\nitems:\n"
	      "- kind: NodeFeatureGroup\n  metadata: {name: nvidia}\n  spec:\n"
	      "    featureGroupRules:\n    - name: g\n      matchFeatures:\n"
	      "      - feature: pci.device\n        matchExpressions: {vendor: {op: In, value: "
	      "['10de']}}\n"
	      "- kind: NodeFeatureGroup\n  metadata: {name: amd}\n  spec:\n"
	      "    featureGroupRules:\n    - name: g\n      matchFeatures:\n"
	      "      - feature: pci.device\n        matchExpressions: {vendor: {op: In, value: "
	      "['1002']}}\n"
	      "- kind: NodeFeatureGroup\n  metadata: {name: uses-vars}\n  spec:\n"
	      "    featureGroupRules:\n    - name: set\n      vars: {x: 'true'}\n"
	      "      matchFeatures: [{feature: no.such}]\n"
	      "    - name: get\n      matchFeatures:\n      - feature: rule.matched\n"
	      "        matchExpressions: {x: {op: IsTrue}}\n",
	      NULL, NFD_RULES_GROUPS, "nvidia");
}

static void test_parse_errors(void **state)
{
	struct nfd_rules *rules = NULL;
	struct nfd_iter *it = NULL;
	const char *msg;
	static const char two[] =
		HEAD "metadata: {name: a}\nspec: {rules: [{name: ok}]}\n---\n" HEAD
		     "metadata: {name: b}\nspec:\n  rules:\n  - labels: {x: 'bad value'}\n";

	assert_int_equal(nfd_rules_parse(ctx, "kind: Pod\n", 10, "p.yaml", &rules), -EBADMSG);
	assert_string_equal(
		nfd_ctx_last_error(ctx),
		"p.yaml:1:1: kind \"Pod\": expected NodeFeatureRule or NodeFeatureGroup");
	assert_int_equal(nfd_rules_parse(ctx, "", 0, "e.yaml", &rules), -EBADMSG);
	assert_int_equal(nfd_rules_parse(ctx, "a: [", 4, "y.yaml", &rules), -EBADMSG);
	assert_true(strstartswith(nfd_ctx_last_error(ctx), "y.yaml:2:1: did not find"));
	assert_null(rules);
	/* problems carry the line in the whole stream */
	assert_int_equal(nfd_rules_parse(ctx, two, strlen(two), "two.yaml", &rules), 0);
	assert_int_equal(nfd_rules_count_objects(rules), 2);
	assert_int_equal(nfd_rules_iter_problems(rules, &it), 2);
	assert_int_equal(nfd_iter_next(it, &msg, NULL), 1);
	assert_string_equal(msg, "two.yaml:11:5: rule name cannot be empty");
	assert_int_equal(nfd_iter_next(it, &msg, NULL), 1);
	assert_true(strstartswith(
		msg, "two.yaml:11:14: invalid label \"" LABEL("x") "\": invalid "
								   "value \"bad value\""));
	nfd_iter_free(it);
	nfd_rules_unref(rules);
}

static void test_k8s_checks(void **state)
{
	static const struct {
		const char *s;
		bool name, value, quantity;
	} t[] = {
		{"a", true, true, false},
		{"", false, true, false},
		{"example.com/a-b_c.d", true, false, false},
		{"Example.com/a", false, false, false},
		{"/a", false, false, false},
		{"a/b/c", false, false, false},
		{"-a", false, false, false},
		{"a_", false, false, false},
		{"1", true, true, true},
		{"1.5", true, true, true},
		{"100m", true, true, true},
		{"2Gi", true, true, true},
		{"1e3", true, true, true},
		{"-3", false, false, true},
		{".5", false, false, true},
		{"5x", true, true, false},
		{"1.2.3", true, true, false},
		{"lots", true, true, false},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, false,
		 false}, /* 64 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;

		if (nfd__k8s_qualified_name(t[i].s, &err) != t[i].name ||
		    nfd__k8s_label_value(t[i].s, &err) != t[i].value ||
		    nfd__k8s_quantity(t[i].s, &err) != t[i].quantity)
			fail_msg("%s: %s", t[i].s, strbuf_str(&err));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicate_keys),	   cmocka_unit_test(test_fail_fast),
		cmocka_unit_test(test_rule_matched),	   cmocka_unit_test(test_templates),
		cmocka_unit_test(test_prefix_and_options), cmocka_unit_test(test_groups),
		cmocka_unit_test(test_parse_errors),	   cmocka_unit_test(test_k8s_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
