/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Report output: NFD's text tables (golden files checked against doc/semantics.md §9.4),
 * colours, JSON byte-exactness with Go's escaping, explanations with the
 * node's values, accessors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine-test.h"
#include "tests/unit/fixture.h"

static struct nfd_features *fake;
static struct nfd_report *report;

static char *fixture(const char *rel)
{
	const char *top = getenv("NFD_TOP_SRCDIR");
	char path[4096];
	char *buf = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", top ? top : ".", rel);
	assert_int_equal(read_file(path, 1 << 20, &buf, &len), 0);
	return buf;
}

static int setup(void **state)
{
	const char *top = getenv("NFD_TOP_SRCDIR");
	char path[4096];
	struct nfd_spec *s = NULL;

	if (ctx_setup(state) < 0)
		return -1;
	fake = fake_features(ctx);
	snprintf(path, sizeof(path), "%s/tests/fixtures/specs/fake-7.yaml", top ? top : ".");
	if (!fake || nfd_spec_parse_file(ctx, path, &s) < 0)
		return -1;
	if (nfd_evaluate(ctx, s, fake, NULL, &report) < 0)
		return -1;
	nfd_spec_unref(s);
	return 0;
}

static int teardown(void **state)
{
	nfd_report_unref(report);
	nfd_features_unref(fake);
	return ctx_teardown(state);
}

static void check_output(enum nfd_report_format fmt, unsigned int flags, const char *golden)
{
	char *want = fixture(golden), *got = NULL;
	int n = nfd_report_to_string(report, fmt, flags, &got);

	assert_true(n >= 0);
	assert_int_equal((size_t)n, strlen(got));
	if (!streq(got, want))
		fail_msg("%s differs; got:\n%s", golden, got);
	free(got);
	free(want);
}

static void test_golden(void **state)
{
	check_output(NFD_REPORT_TEXT, NFD_REPORT_NFD_ONLY, "reports/fake-7.nfd.txt");
	check_output(NFD_REPORT_TEXT, NFD_REPORT_NFD_ONLY | NFD_REPORT_COLOR,
		     "reports/fake-7.color.txt");
	check_output(NFD_REPORT_TEXT, 0, "reports/fake-7.txt");
	/* the CLI prints this without a trailing newline; the golden file has none */
	check_output(NFD_REPORT_JSON, 0, "reports/fake-7.json");
}

static void test_explanations(void **state)
{
	char *txt = NULL;

	assert_true(nfd_report_to_string(report, NFD_REPORT_TEXT, 0, &txt) > 0);
	assert_non_null(strstr(txt,
			       "  fake.attribute.attr_unknown {op: \"In\", value: [\"true\"]}: "
			       "not present\n"));
	assert_non_null(strstr(txt,
			       "  fake.instance.name {op: \"In\", value: [\"instance_unknown\"]}: "
			       "node has: instance_1, instance_2, instance_3\n"));
	assert_non_null(strstr(txt, "Compatible: best set #2 (weight 10, tag \"fallback\")"));
	free(txt);
}

static void test_accessors(void **state)
{
	const struct nfd_report_set *s = nfd_report_get_set(report, 0);
	const struct nfd_report_rule *rule = nfd_report_set_get_rule(s, 0);
	const struct nfd_report_row *row;

	assert_int_equal(nfd_report_count_sets(report), 2);
	assert_int_equal(nfd_report_is_compatible(report), 1);
	assert_int_equal(nfd_report_best_set(report), 1);
	assert_int_equal(nfd_report_set_count_rules(s), 1);
	assert_string_equal(nfd_report_rule_get_name(rule), "fake_7");
	assert_int_equal(nfd_report_rule_is_match(rule), 0);
	assert_int_equal(nfd_report_rule_count_rows(rule), 5);
	row = nfd_report_rule_get_row(rule, 0);
	assert_string_equal(nfd_report_row_get_feature(row), "fake.attribute");
	assert_string_equal(nfd_report_row_get_name(row), "attr_1");
	assert_string_equal(nfd_report_row_get_op(row), "In");
	assert_string_equal(nfd_report_row_get_type(row), "");
	assert_int_equal(nfd_report_row_count_values(row), 1);
	assert_string_equal(nfd_report_row_get_value(row, 0), "true");
	assert_null(nfd_report_row_get_value(row, 1));
	assert_string_equal(nfd_report_row_get_expression(row), "{op: \"In\", value: [\"true\"]}");
	assert_int_equal(nfd_report_row_is_match_name(row), 0);
	assert_int_equal(nfd_report_row_get_any_index(row), -1);
	assert_int_equal(nfd_report_row_is_match(row), 1);
	assert_string_equal(nfd_report_row_get_node_value(row), "true");
	row = nfd_report_rule_get_row(rule, 2);
	assert_int_equal(nfd_report_row_get_any_index(row), 0);
	row = nfd_report_rule_get_row(rule, 3);
	assert_int_equal(nfd_report_row_get_any_index(row), 1);
	assert_string_equal(nfd_report_row_get_name(row), "id");
	assert_null(nfd_report_row_get_node_value(row));
	assert_null(nfd_report_rule_get_row(rule, 5));
	/* matchName row: the element names */
	rule = nfd_report_set_get_rule(nfd_report_get_set(report, 1), 0);
	row = nfd_report_rule_get_row(rule, 0);
	assert_int_equal(nfd_report_row_is_match_name(row), 1);
	assert_string_equal(nfd_report_row_get_node_value(row), "flag_1, flag_2, flag_3");
	/* bad arguments */
	assert_int_equal(nfd_report_count_sets(NULL), -EINVAL);
	assert_null(nfd_report_get_set(NULL, 0));
	assert_int_equal(nfd_report_to_string(report, (enum nfd_report_format)7, 0, &(char *){0}),
			 -EINVAL);
	assert_int_equal(nfd_report_to_string(report, NFD_REPORT_JSON, 0x100, &(char *){0}),
			 -EINVAL);
	assert_ptr_equal(nfd_report_ref(report), report);
	nfd_report_unref(report);
}

/* Go's json.Marshal escaping and strconv.Quote in the table */
static void test_escaping(void **state)
{
	static const char yaml[] =
		"compatibilities:\n"
		"- description: \"<a&b>\\u2028\\t\\x01é\"\n"
		"  rules:\n"
		"  - name: \"q\\\"<\"\n"
		"    matchFeatures:\n"
		"    - feature: fake.attribute\n"
		"      matchExpressions:\n"
		"        \"k&\": {op: In, value: [\"a\\\"b\\n\", \"\\u00e9\"], type: version}\n";
	struct nfd_report *r = NULL;
	char *out = NULL;

	assert_int_equal(evaluate_yaml(ctx, yaml, fake, NULL, &r), 0);
	assert_true(nfd_report_to_string(r, NFD_REPORT_JSON, 0, &out) > 0);
	assert_string_equal(
		out,
		"[{\"rules\":[{\"name\":\"q\\\"\\u003c\",\"isMatch\":false,\"matchedExpressions\":"
		"[{\"feature\":\"fake.attribute\",\"name\":\"k\\u0026\",\"expression\":{\"op\":"
		"\"In\","
		"\"value\":[\"a\\\"b\\n\",\"é\"],\"type\":\"version\"},\"matcherType\":"
		"\"matchExpression\","
		"\"isMatch\":false}]}],\"description\":"
		"\"\\u003ca\\u0026b\\u003e\\u2028\\t\\u0001é\"}]");
	free(out);
	assert_true(nfd_report_to_string(r, NFD_REPORT_TEXT, NFD_REPORT_NFD_ONLY, &out) > 0);
	assert_non_null(strstr(out, "│ {op: \"In\", value: [\"a\\\"b\\n\" \"é\"]} │"));
	assert_non_null(strstr(out, "│ RULE: Q\"< -  FAIL "));
	free(out);
	nfd_report_unref(r);
	assert_int_equal(evaluate_yaml(ctx,
				       "compatibilities:\n- rules:\n"
				       "  - name: \"gpu-é-ÿ-ā-ω-ж-ß-\\xff\"\n",
				       fake, NULL, &r),
			 0);
	assert_true(nfd_report_to_string(r, NFD_REPORT_TEXT, NFD_REPORT_NFD_ONLY, &out) > 0);
	assert_non_null(strstr(out, "│ RULE: GPU-É-Ÿ-Ā-Ω-Ж-ß-Ÿ -  OK "));
	free(out);
	nfd_report_unref(r);
}

/* A title wider than the table is hard-wrapped by go-pretty's WrapText */
static void test_title_wrap(void **state)
{
	static const char yaml[] =
		"compatibilities:\n"
		"- rules:\n"
		"  - name: a-very-long-rule-name-that-is-wider-than-the-table-it-titles-for-sure\n";
	struct nfd_report *r = NULL;
	char *out = NULL;

	assert_int_equal(evaluate_yaml(ctx, yaml, fake, NULL, &r), 0);
	assert_true(nfd_report_to_string(r, NFD_REPORT_TEXT, NFD_REPORT_NFD_ONLY, &out) > 0);
	assert_string_equal(out, "COMPATIBILITY SET #1 Weight: 0\n"
				 "Description: \n"
				 "┌──────────────────────────────────────────────────┐\n"
				 "│ RULE: A-VERY-LONG-RULE-NAME-THAT-IS-WIDER-THAN-T │\n"
				 "│ HE-TABLE-IT-TITLES-FOR-SURE - OK                 │\n"
				 "├───┬─────────┬────────────┬──────────────┬────────┤\n"
				 "│   │ Feature │ Expression │ Matcher Type │ Status │\n"
				 "├───┼─────────┼────────────┼──────────────┼────────┤\n"
				 "└───┴─────────┴────────────┴──────────────┴────────┘\n"
				 "\n");
	free(out);
	nfd_report_unref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),	   cmocka_unit_test(test_explanations),
		cmocka_unit_test(test_accessors),  cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_title_wrap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
