/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * validate-node end to end: the cases of NFD's node-validator_test.go with
 * their JSON output byte for byte (doc/semantics.md §9.3), tags, weights, rule.matched
 * across rules and sets (doc/semantics.md §7), errors aborting the evaluation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "engine-test.h"
#include "tests/unit/fixture.h"

static struct nfd_features *fake;

static int setup(void **state)
{
	if (ctx_setup(state) < 0)
		return -1;
	fake = fake_features(ctx);
	return fake ? 0 : -1;
}

static int teardown(void **state)
{
	nfd_features_unref(fake);
	return ctx_teardown(state);
}

#define SPEC_HEAD                                                                                  \
	"version: v1alpha1\ncompatibilities:\n- description: Fake compatibility\n  rules:\n"

static void check_json_is(const char *yaml, const char *const *tags, const char *want,
			  int compatible)
{
	struct nfd_report *r = NULL;
	char *json = NULL;
	int n;

	assert_int_equal(evaluate_yaml(ctx, yaml, fake, tags, &r), 0);
	n = nfd_report_to_string(r, NFD_REPORT_JSON, 0, &json);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(json, want);
	assert_int_equal(nfd_report_is_compatible(r), compatible);
	free(json);
	nfd_report_unref(r);
}

/* The report of yaml must be, byte for byte, tests/fixtures/reports/evaluate/<golden>.json
 * (a trailing newline in the file aside). */
static void check_json(const char *yaml, const char *const *tags, const char *golden,
		       int compatible)
{
	const char *top = getenv("NFD_TOP_SRCDIR");
	char path[4096];
	char *want = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/tests/fixtures/reports/evaluate/%s.json", top ? top : ".",
		 golden);
	if (read_file(path, 1 << 20, &want, &len) < 0)
		fail_msg("cannot read %s", path);
	if (len > 0 && want[len - 1] == '\n')
		want[len - 1] = '\0';
	check_json_is(yaml, tags, want, compatible);
	free(want);
}

static void test_node_validator_cases(void **state)
{
	check_json(SPEC_HEAD "  - name: fake_1\n"
			     "    matchFeatures:\n"
			     "    - feature: fake.flag\n"
			     "      matchName: {op: InRegexp, value: [\"^flag\"]}\n",
		   NULL, "node-validator-fake-1", 1);
	check_json(SPEC_HEAD "  - name: fake_2\n"
			     "    matchFeatures:\n"
			     "    - feature: fake.flag\n"
			     "      matchExpressions:\n"
			     "        flag_unknown: {op: Exists}\n"
			     "    - feature: fake.attribute\n"
			     "      matchExpressions:\n"
			     "        attr_1: {op: In, value: [\"true\"]}\n",
		   NULL, "node-validator-fake-2", 0);
	check_json(SPEC_HEAD "  - name: fake_3\n"
			     "    matchFeatures:\n"
			     "    - feature: fake.instance\n"
			     "      matchExpressions:\n"
			     "        name: {op: In, value: [\"instance_1\"]}\n"
			     "        attr_1: {op: In, value: [\"true\"]}\n"
			     "    - feature: fake.instance\n"
			     "      matchExpressions:\n"
			     "        name: {op: In, value: [\"instance_2\"]}\n"
			     "        attr_1: {op: In, value: [\"false\"]}\n",
		   NULL, "node-validator-fake-3", 0);
	/* the example of doc/semantics.md §9.3 */
	check_json(SPEC_HEAD "  - name: fake_4\n"
			     "    matchAny:\n"
			     "    - matchFeatures:\n"
			     "      - feature: fake.instance\n"
			     "        matchExpressions:\n"
			     "          name: {op: In, value: [\"instance_1\"]}\n"
			     "    - matchFeatures:\n"
			     "      - feature: fake.instance\n"
			     "        matchExpressions:\n"
			     "          name: {op: In, value: [\"instance_unknown\"]}\n",
		   NULL, "node-validator-fake-4", 1);
	check_json(SPEC_HEAD "  - name: fake_5\n"
			     "    matchFeatures:\n"
			     "    - feature: unknown.unknown\n"
			     "      matchExpressions:\n"
			     "        name: {op: In, value: [\"instance_1\"]}\n",
		   NULL, "node-validator-fake-5", 0);
	check_json(SPEC_HEAD "  - name: fake_6\n"
			     "    matchAny:\n"
			     "    - matchFeatures:\n"
			     "      - feature: fake.instance\n"
			     "        matchExpressions:\n"
			     "          name: {op: In, value: [\"instance_1\"]}\n"
			     "    - matchFeatures:\n"
			     "      - feature: fake.instance\n"
			     "        matchExpressions:\n"
			     "          name: {op: In, value: [\"instance_unknown\"]}\n"
			     "    matchFeatures:\n"
			     "    - feature: fake.attribute\n"
			     "      matchExpressions:\n"
			     "        attr_1: {op: In, value: [\"true\"]}\n",
		   NULL, "node-validator-fake-6", 1);
}

static const char multi_sets[] = "version: v1alpha1\n"
				 "compatibilities:\n"
				 "- tag: prefered\n"
				 "  weight: 90\n"
				 "  description: Fake compatibility 1\n"
				 "  rules:\n"
				 "  - name: fake_1\n"
				 "    matchFeatures:\n"
				 "    - feature: fake.attribute\n"
				 "      matchExpressions:\n"
				 "        attr_1: {op: In, value: [\"false\"]}\n"
				 "- tag: fallback\n"
				 "  weight: 40\n"
				 "  description: Fake compatibility 2\n"
				 "  rules:\n"
				 "  - name: fake_1\n"
				 "    matchFeatures:\n"
				 "    - feature: fake.attribute\n"
				 "      matchExpressions:\n"
				 "        attr_2: {op: In, value: [\"false\"]}\n"
				 "- description: untagged\n"
				 "  rules: []\n";

static void test_sets_weights_tags(void **state)
{
	const char *const prefered[] = {"prefered", NULL};
	const char *const none[] = {"nope", NULL};
	const char *const empty[] = {NULL};
	struct nfd_report *r = NULL;
	const struct nfd_report_set *s;

	check_json(multi_sets, NULL, "sets-all", 1);
	check_json(multi_sets, prefered, "sets-prefered", 0);
	check_json_is(multi_sets, none, "[]", 0);

	assert_int_equal(evaluate_yaml(ctx, multi_sets, fake, empty, &r), 0);
	assert_int_equal(nfd_report_count_sets(r), 3);
	/* set 2 (weight 40) and the empty set 3 (weight 0) are compatible */
	assert_int_equal(nfd_report_best_set(r), 1);
	s = nfd_report_get_set(r, 1);
	assert_int_equal(nfd_report_set_get_weight(s), 40);
	assert_string_equal(nfd_report_set_get_tag(s), "fallback");
	assert_string_equal(nfd_report_set_get_description(s), "Fake compatibility 2");
	assert_int_equal(nfd_report_set_get_spec_index(s), 1);
	assert_int_equal(nfd_report_set_is_compatible(nfd_report_get_set(r, 0)), 0);
	assert_null(nfd_report_get_set(r, 3));
	nfd_report_unref(r);

	assert_int_equal(evaluate_yaml(ctx, multi_sets, fake, prefered, &r), 0);
	assert_int_equal(nfd_report_best_set(r), -ENOENT);
	nfd_report_unref(r);
}

static void expect_summary(const char *yaml, const struct nfd_features *f, const char *want)
{
	struct nfd_report *r = NULL;
	char *got;

	assert_int_equal(evaluate_yaml(ctx, yaml, f, NULL, &r), 0);
	got = summary(r);
	if (!streq(got, want))
		fail_msg("got:\n%s\nwant:\n%s", got, want);
	free(got);
	nfd_report_unref(r);
}

/* rule.matched: vars fed back after every rule, across sets (doc/semantics.md §7) */
static void test_backreferences(void **state)
{
	expect_summary(
		"compatibilities:\n"
		"- rules:\n"
		"  - name: before\n"
		"    matchFeatures: [{feature: rule.matched}]\n"
		"  - name: r1\n"
		"    vars: {gpu: \"true\"}\n"
		"    matchFeatures:\n"
		"    - feature: fake.flag\n"
		"      matchExpressions: {flag_1: {op: Exists}}\n"
		"  - name: r2\n"
		"    matchFeatures:\n"
		"    - feature: rule.matched\n"
		"      matchExpressions: {gpu: {op: IsTrue}}\n"
		"  - name: failing\n"
		"    vars: {never: \"true\"}\n"
		"    matchFeatures:\n"
		"    - feature: fake.flag\n"
		"      matchExpressions: {nope: {op: Exists}}\n"
		"  - name: anyfail\n"
		"    vars: {published: \"true\"}\n"
		"    matchAny:\n"
		"    - matchFeatures: [{feature: nope.nope}]\n"
		"- rules:\n"
		"  - name: set2\n"
		"    matchFeatures:\n"
		"    - feature: rule.matched\n"
		"      matchExpressions:\n"
		"        gpu: {op: IsTrue}\n"
		"        never: {op: DoesNotExist}\n"
		"        published: {op: IsTrue}\n",
		fake,
		"before FAIL:\n"
		"r1 OK: fake.flag.flag_1=OK\n"
		"r2 OK: rule.matched.gpu=OK\n"
		"failing FAIL: fake.flag.nope=FAIL\n"
		"anyfail FAIL:\n"
		"set2 OK: rule.matched.gpu=OK rule.matched.never=OK rule.matched.published=OK");
}

/*
 * Identical terms of several rules are evaluated once per evaluation
 * (spec-index.c): the rows of every copy are what each would give alone,
 * a template still sees the elements of its own copy, and rule.matched
 * terms, which change between rules, are never shared.
 */
static void test_repeated_terms(void **state)
{
	static const char once[] = "compatibilities:\n"
				   "- rules:\n"
				   "  - name: t\n"
				   "    matchFeatures:\n"
				   "    - feature: fake.instance\n"
				   "      matchExpressions:\n"
				   "        attr_1: {op: IsTrue}\n"
				   "        attr_3: {op: Gt, value: [\"50\"]}\n"
				   "    - feature: fake.flag\n"
				   "      matchName: {op: In, value: [flag_2]}\n";
	struct nfd_report *a = NULL, *b = NULL;
	char *ja = NULL, *jb = NULL;

	expect_summary("compatibilities:\n"
		       "- rules:\n"
		       "  - name: before\n"
		       "    matchFeatures:\n"
		       "    - feature: rule.matched\n"
		       "      matchExpressions: {v-instance_2: {op: Exists}}\n"
		       "  - name: plain\n"
		       "    matchFeatures:\n"
		       "    - feature: fake.instance\n"
		       "      matchExpressions: {attr_2: {op: IsTrue}}\n"
		       "  - name: templated\n"
		       "    varsTemplate: \"{{range .fake.instance}}v-{{.name}}=1\\n{{end}}\"\n"
		       "    matchFeatures:\n"
		       "    - feature: fake.instance\n"
		       "      matchExpressions: {attr_2: {op: IsTrue}}\n"
		       "  - name: after\n"
		       "    matchFeatures:\n"
		       "    - feature: rule.matched\n"
		       "      matchExpressions: {v-instance_2: {op: Exists}}\n"
		       "  - name: again\n"
		       "    matchFeatures:\n"
		       "    - feature: Fake.Instance\n"
		       "      matchExpressions: {attr_2: {op: IsTrue}}\n"
		       "    - feature: fake.instance\n"
		       "      matchExpressions: {attr_2: {op: IsTrue}}\n"
		       "  - name: other-values\n"
		       "    matchFeatures:\n"
		       "    - feature: fake.instance\n"
		       "      matchExpressions: {attr_2: {op: IsFalse}}\n"
		       "  - name: flag-side\n"
		       "    matchFeatures:\n"
		       "    - feature: fake.flag\n"
		       "      matchName: {op: InRegexp, value: [\"_3$\"]}\n"
		       "    - feature: fake.flag\n"
		       "      matchName: {op: InRegexp, value: [\"_3$\"]}\n"
		       "      matchExpressions: {flag_9: {op: Exists}}\n",
		       fake,
		       "before FAIL: rule.matched.v-instance_2=FAIL\n"
		       "plain OK: fake.instance.attr_2=OK\n"
		       "templated OK: fake.instance.attr_2=OK\n"
		       "after OK: rule.matched.v-instance_2=OK\n"
		       "again OK: Fake.Instance.attr_2=FAIL fake.instance.attr_2=OK\n"
		       "other-values OK: fake.instance.attr_2=OK\n"
		       "flag-side FAIL: fake.flag=OK fake.flag=OK fake.flag.flag_9=FAIL");

	/* a rule repeated 50 times reports 50 times what it reports once */
	{
		struct strbuf sb = STRBUF_INIT;
		const char *rule = strstr(once, "  - name: t");

		strbuf_puts(&sb, once);
		for (int i = 0; i < 49; i++)
			strbuf_puts(&sb, rule);
		assert_int_equal(evaluate_yaml(ctx, once, fake, NULL, &a), 0);
		assert_int_equal(evaluate_yaml(ctx, strbuf_str(&sb), fake, NULL, &b), 0);
		assert_true(nfd_report_to_string(a, NFD_REPORT_JSON, 0, &ja) > 0);
		assert_true(nfd_report_to_string(b, NFD_REPORT_JSON, 0, &jb) > 0);
		ja[strlen(ja) - 3] = '\0'; /* "]}]" of the one rule's set */
		assert_non_null(strstr(jb, ja + 2));
		assert_int_equal(nfd_report_set_count_rules(nfd_report_get_set(b, 0)), 50);
		for (size_t k = 0; k < 50; k++) {
			const struct nfd_report_rule *rr =
				nfd_report_set_get_rule(nfd_report_get_set(b, 0), k);

			assert_true(nfd_report_rule_is_match(rr));
			assert_int_equal(nfd_report_rule_count_rows(rr), 3);
		}
		free(ja);
		free(jb);
		nfd_report_unref(a);
		nfd_report_unref(b);
		strbuf_release(&sb);
	}
}

/*
 * Features that already carry many rule.matched values: seeding the
 * back-references draws on the work budget, and running out of it is the
 * budget's error, not "out of memory".
 */
static void test_backreferences_budget(void **state)
{
	static const char spec[] = "compatibilities:\n"
				   "- rules:\n"
				   "  - name: r\n"
				   "    matchFeatures:\n"
				   "    - feature: rule.matched\n"
				   "      matchExpressions: {v00: {op: Exists}}\n";
	struct strbuf sb = STRBUF_INIT;
	struct nfd_ctx *c = nfd_ctx_new();
	struct nfd_features *f;
	struct nfd_report *r = NULL;

	(void)state;
	strbuf_puts(&sb, "{\"attributes\": {\"rule.matched\": {\"elements\": {");
	for (int i = 0; i < 64; i++)
		strbuf_appendf(&sb, "%s\"v%02d\": \"x\"", i ? ", " : "", i);
	strbuf_puts(&sb, "}}}}");
	f = features_json(c, strbuf_str(&sb));
	assert_non_null(f);
	assert_int_equal(evaluate_yaml(c, spec, f, NULL, &r), 0);
	assert_true(nfd_report_is_compatible(r));
	nfd_report_unref(r);
	r = NULL;
	assert_int_equal(nfd_ctx_set_work_budget(c, 1), 0);
	assert_int_equal(evaluate_yaml(c, spec, f, NULL, &r), -ETIME);
	assert_null(r);
	assert_non_null(strstr(nfd_ctx_last_error(c), "work budget of 1 units"));
	nfd_features_unref(f);
	nfd_ctx_unref(c);
	strbuf_release(&sb);
}

/* One spec and one features object shared by threads, each with its own ctx. */
struct shared {
	struct nfd_spec *spec;
	const char *want;
	int failures;
};

static void *evaluate_many(void *data)
{
	struct shared *sh = data;
	struct nfd_ctx *c = nfd_ctx_new();

	for (int i = 0; i < 200; i++) {
		struct nfd_report *r = NULL;
		char *json = NULL;

		if (nfd_evaluate(c, sh->spec, fake, NULL, &r) < 0 ||
		    nfd_report_to_string(r, NFD_REPORT_JSON, 0, &json) < 0 ||
		    !streq(json, sh->want))
			__atomic_add_fetch(&sh->failures, 1, __ATOMIC_RELAXED);
		free(json);
		nfd_report_unref(r);
	}
	nfd_ctx_unref(c);
	return NULL;
}

static void test_threads(void **state)
{
	struct shared sh = {0};
	struct nfd_report *r = NULL;
	char *want = NULL;
	pthread_t th[4];

	static const char yaml[] = SPEC_HEAD
		"  - name: regex-and-version\n"
		"    matchFeatures:\n"
		"    - feature: fake.flag\n"
		"      matchName: {op: InRegexp, value: [\"^flag_[12]$\", \"(?i)^FLAG_3\"]}\n"
		"    - feature: fake.instance\n"
		"      matchExpressions:\n"
		"        attr_3: {op: GeLe, value: [\"1.0\", \"99.1\"], type: version}\n"
		"        name: {op: InRegexp, value: [\"_[0-9]+$\"]}\n";

	assert_int_equal(nfd_spec_parse(ctx, yaml, strlen(yaml), "t.yaml", &sh.spec), 0);
	assert_int_equal(nfd_evaluate(ctx, sh.spec, fake, NULL, &r), 0);
	assert_true(nfd_report_to_string(r, NFD_REPORT_JSON, 0, &want) > 0);
	nfd_report_unref(r);
	sh.want = want;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, evaluate_many, &sh), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(sh.failures, 0);
	free(want);
	nfd_spec_unref(sh.spec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_validator_cases),
		cmocka_unit_test(test_sets_weights_tags),
		cmocka_unit_test(test_backreferences),
		cmocka_unit_test(test_backreferences_budget),
		cmocka_unit_test(test_repeated_terms),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
