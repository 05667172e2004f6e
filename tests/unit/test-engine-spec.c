/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Spec parsing: NFD's YAML 1.1 decoding (doc/semantics.md §9.6) with warnings, structure
 * errors with name:line:column, limits, lint problems, accessors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libnfd/engine/engine.h"
#include "tests/unit/fixture.h"

static int parse(const char *yaml, struct nfd_spec **ret)
{
	return nfd_spec_parse(ctx, yaml, strlen(yaml), "t.yaml", ret);
}

static const struct nfd_expr *first_expr(const struct nfd_spec *s)
{
	return &s->sets[0].rules[0].match_features.terms[0].exprs[0];
}

static void test_yaml11_coercion(void **state)
{
	static const char yaml[] =
		"version: v1alpha1\n"
		"compatibilities:\n"
		"- rules:\n"
		"  - name: r\n"
		"    matchFeatures:\n"
		"    - feature: kernel.config\n"
		"      matchExpressions:\n"
		"        K: {op: In, value: [y, Yes, on, OFF, n, 0200, 0x10, 1_000, 6.10, 1e3,\n"
		"                            ~, null, 2024-01-01, \"0200\", '6.10', !!str 0200,\n"
		"                            true, 12, 1.5, -0o17, 0b101, .5, +7, 1.0e+7,\n"
		"                            18446744073709551615, .inf, -.Inf, .nan, plain,\n"
		"                            123456789012345678901234567890, "
		"-9223372036854775809,\n"
		"                            -9223372036854775808, 08, 1., 0o17, 1_0.5]}\n";
	static const char *const want[] = {
		"true",
		"true",
		"true",
		"false",
		"false",
		"128",
		"16",
		"1000",
		"6.1",
		"1000",
		"",
		"",
		"2024-01-01T00:00:00Z",
		"0200",
		"6.10",
		"0200",
		"true",
		"12",
		"1.5",
		"-15",
		"5",
		"0.5",
		"7",
		"1e+07",
		"18446744073709551615",
		"+Inf",
		"-Inf",
		"NaN",
		"plain",
		"1.2345679e+29",
		"-9.223372e+18",
		"-9223372036854775808",
		"8",
		"1",
		"15",
		"10.5",
	};
	struct nfd_spec *s = NULL;
	const struct nfd_expr *e;
	int n_warn;

	assert_int_equal(parse(yaml, &s), 0);
	e = first_expr(s);
	assert_int_equal(e->n_values, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!streq(e->values[i], want[i]))
			fail_msg("value %zu: got \"%s\" want \"%s\"", i, e->values[i], want[i]);
	/* a warning for each rewritten unquoted scalar, none for quoted ones,
	 * "true", "12", "1.5" and "plain" */
	n_warn = nfd_spec_count_warnings(s);
	assert_int_equal(n_warn, 27);
	assert_string_equal(nfd_spec_get_warning(s, 5),
			    "t.yaml:8:49: unquoted 0200 is read as 128; quote it");
	assert_non_null(strstr(nfd_spec_get_warning(s, 0), "unquoted y is read as true"));
	assert_null(nfd_spec_get_warning(s, (size_t)n_warn));
	assert_int_equal(nfd_spec_count_problems(s), 0);
	nfd_spec_unref(s);
}

static void test_fields_case_insensitive(void **state)
{
	static const char yaml[] = "Version: v1alpha1\n"
				   "COMPATIBILITIES:\n"
				   "- Description: d\n"
				   "  Weight: 0x10\n"
				   "  TAG: t\n"
				   "  unknown: [1, 2]\n"
				   "  Rules:\n"
				   "  - Name: r\n"
				   "    labels: {a: b}\n"
				   "    MatchFeatures:\n"
				   "    - Feature: cpu.cpuid\n"
				   "      MatchName: {OP: InRegexp, Value: ['^AVX'], TYPE: ''}\n"
				   "    matchany:\n"
				   "    - MATCHFEATURES: [{feature: pci.device}]\n";
	struct nfd_spec *s = NULL;
	const struct nfd_rule *rule;

	assert_int_equal(parse(yaml, &s), 0);
	assert_string_equal(nfd_spec_get_version(s), "v1alpha1");
	assert_int_equal(nfd_spec_count_sets(s), 1);
	assert_string_equal(nfd_spec_set_get_description(s, 0), "d");
	assert_string_equal(nfd_spec_set_get_tag(s, 0), "t");
	assert_int_equal(nfd_spec_set_get_weight(s, 0), 16);
	assert_null(nfd_spec_set_get_tag(s, 1));
	rule = &s->sets[0].rules[0];
	assert_string_equal(rule->name, "r");
	assert_int_equal(rule->match_features.n_terms, 1);
	assert_non_null(rule->match_features.terms[0].match_name);
	assert_false(rule->match_features.terms[0].has_exprs);
	assert_int_equal(rule->match_features.terms[0].match_name->op, NFD_OP_INREGEXP);
	assert_int_equal(rule->n_any, 1);
	assert_int_equal(rule->match_any[0].n_terms, 1);
	nfd_spec_unref(s);
}

static void test_nil_vs_empty(void **state)
{
	static const char yaml[] = "compatibilities:\n"
				   "- rules:\n"
				   "  - name: r\n"
				   "    matchFeatures:\n"
				   "    - feature: A.b\n"
				   "      matchExpressions: {}\n"
				   "    - feature: a.c\n"
				   "      matchExpressions: null\n"
				   "      matchName: ~\n"
				   "    - feature: a.d\n"
				   "      matchExpressions:\n"
				   "        z: {op: Exists}\n"
				   "        a: {}\n"
				   "        z: {op: DoesNotExist}\n";
	struct nfd_spec *s = NULL;
	const struct nfd_matcher *m;

	assert_int_equal(parse(yaml, &s), 0);
	m = &s->sets[0].rules[0].match_features;
	assert_true(m->terms[0].has_exprs);
	assert_int_equal(m->terms[0].n_exprs, 0);
	assert_string_equal(m->terms[0].feature, "A.b");
	assert_string_equal(m->terms[0].feature_lc, "a.b");
	assert_false(m->terms[1].has_exprs);
	assert_null(m->terms[1].match_name);
	/* sorted by name, the duplicate's last value wins, op absent is "" */
	assert_int_equal(m->terms[2].n_exprs, 2);
	assert_string_equal(m->terms[2].names[0], "a");
	assert_int_equal(m->terms[2].exprs[0].op, NFD_OP_ANY);
	assert_int_equal(m->terms[2].exprs[1].op, NFD_OP_DOESNOTEXIST);
	/* warnings: no version, capitals in A.b, A.b, a.c and a.d are not
	 * discovered features, the duplicate key */
	assert_int_equal(nfd_spec_count_warnings(s), 6);
	nfd_spec_unref(s);
}

/* sigs.k8s.io/yaml's Unmarshal (yaml.v2 map): the last of a repeated key
 * wins; each repetition is a warning naming both places (doc/semantics.md) */
static void test_duplicate_keys(void **state)
{
	static const char yaml[] = "version: v1alpha1\n"
				   "compatibilities:\n"
				   "- tag: first\n"
				   "  rules:\n"
				   "  - name: one\n"
				   "    vars: {v: '1', w: x, v: '2'}\n"
				   "    matchFeatures:\n"
				   "    - feature: kernel.version\n"
				   "      matchExpressions:\n"
				   "        major: {op: In, value: ['5']}\n"
				   "        major: {op: Exists}\n"
				   "    name: two\n"
				   "  tag: second\n"
				   "  tag: third\n"
				   "version: v1alpha1\n";
	static const char *const want[] = {
		/* one message over two lines */
		("t.yaml:15:1: duplicate key \"version\" (first at t.yaml:1:1); the last one is "
		 "used, as NFD's decoder does"),
		"t.yaml:13:3: duplicate key \"tag\" (first at t.yaml:3:3)",
		"t.yaml:14:3: duplicate key \"tag\" (first at t.yaml:3:3)",
		"t.yaml:12:5: duplicate key \"name\" (first at t.yaml:5:5)",
		"t.yaml:6:26: duplicate key \"v\" (first at t.yaml:6:12)",
		"t.yaml:11:9: duplicate key \"major\" (first at t.yaml:10:9)",
	};
	struct nfd_spec *s = NULL;
	const struct nfd_rule *rule;
	const struct nfd_expr *e;

	assert_int_equal(parse(yaml, &s), 0);
	assert_int_equal(nfd_spec_count_warnings(s), (int)(sizeof(want) / sizeof(*want)));
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const char *w = nfd_spec_get_warning(s, i);

		if (strncmp(w, want[i], strlen(want[i])) != 0)
			fail_msg("warning %zu: %s\nwanted %s", i, w, want[i]);
	}
	/* a warning is not a problem: validate-spec accepts the spec */
	assert_int_equal(nfd_spec_count_problems(s), 0);
	/* evaluation takes the last value of each */
	assert_string_equal(nfd_spec_set_get_tag(s, 0), "third");
	rule = &s->sets[0].rules[0];
	assert_string_equal(rule->name, "two");
	assert_int_equal(rule->match_features.terms[0].n_exprs, 1);
	e = &rule->match_features.terms[0].exprs[0];
	assert_int_equal(e->op, NFD_OP_EXISTS);
	nfd_spec_unref(s);
}

static void test_errors(void **state)
{
	static const struct {
		const char *yaml;
		int err;
		const char *msg;
	} tcs[] = {
		{"compatibilities: x\n", -EBADMSG, "t.yaml:1:18: compatibilities must be a list"},
		{"compatibilities:\n- rules: {a: b}\n", -EBADMSG,
		 "t.yaml:2:10: rules must be a list"},
		{"compatibilities:\n- rules:\n  - matchFeatures:\n    - feature: a.b\n"
		 "      matchExpressions: [x]\n",
		 -EBADMSG, "t.yaml:5:25: matchExpressions must be a mapping"},
		{"compatibilities:\n- rules:\n  - matchFeatures:\n    - feature: a.b\n"
		 "      matchExpressions: {k: {op: In, value: x}}\n",
		 -EBADMSG, "value must be a list"},
		{"compatibilities:\n- rules:\n  - matchFeatures:\n    - feature: a.b\n"
		 "      matchExpressions: {k: {op: In, value: [[x]]}}\n",
		 -EBADMSG, "value must be a string"},
		{"compatibilities:\n- rules:\n  - matchFeatures:\n    - feature: a.b\n"
		 "      matchExpressions: {k: null}\n",
		 -EBADMSG, "t.yaml:5:29: expression \"k\" is null"},
		{"compatibilities:\n- rules:\n  - matchFeatures:\n    - feature: [a]\n", -EBADMSG,
		 "t.yaml:4:16: feature must be a string"},
		{"compatibilities:\n- weight: \"5\"\n", -EBADMSG, "weight must be an integer"},
		{"compatibilities:\n- weight: 1.5\n", -EBADMSG, "weight must be an integer"},
		{"compatibilities:\n- weight: 99999999999\n", -EBADMSG, "out of range"},
		/* floats beyond int (fuzz: the conversion was undefined) */
		{"compatibilities:\n- weight: .INF\n", -EBADMSG, "weight must be an integer"},
		{"compatibilities:\n- weight: -.inf\n", -EBADMSG, "weight must be an integer"},
		{"compatibilities:\n- weight: .NaN\n", -EBADMSG, "weight must be an integer"},
		{"compatibilities:\n- weight: 1.0e100\n", -EBADMSG, "weight must be an integer"},
		{"compatibilities:\n- name: &a x\n  tag: *a\n", -EBADMSG,
		 "aliases are not supported"},
		{"a: [b\n", -EBADMSG, "t.yaml:2:1:"},
		{"a: b: c\n", -EBADMSG, "t.yaml:1:5:"},
		{"", -EBADMSG, "the spec is empty"},
		{"# only a comment\n", -EBADMSG, "the spec is empty"},
		{"[1, 2]\n", -EBADMSG, "the spec must be a mapping"},
		{"version: v2\ncompatibilities: []\n", -ENOTSUP, "unsupported spec version"},
		{"compatibilities:\n- rules:\n  - matchAny: [{matchFeatures: {a: b}}]\n", -EBADMSG,
		 "matchFeatures must be a list"},
		{"compatibilities:\n- rules:\n  - vars: {~: x}\n", -EBADMSG, "unsupported map key"},
		{"compatibilities:\n- rules:\n  - matchFeatures:\n    - feature: a.b\n"
		 "      matchExpressions: {k: {op: In, value: "
		 "[0x123456789012345678901234567890]}}\n",
		 -EBADMSG, "does not fit in 64 bits"},
		{"compatibilities:\n\t- x\n", -EBADMSG, "t.yaml:"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(tcs); i++) {
		struct nfd_spec *s = NULL;
		int r = parse(tcs[i].yaml, &s);

		if (r != tcs[i].err)
			fail_msg("case %zu: r=%d want %d (%s)", i, r, tcs[i].err,
				 nfd_ctx_last_error(ctx));
		assert_null(s);
		if (!strstr(nfd_ctx_last_error(ctx), tcs[i].msg))
			fail_msg("case %zu: message \"%s\" lacks \"%s\"", i,
				 nfd_ctx_last_error(ctx), tcs[i].msg);
	}
}

static void test_limits(void **state)
{
	size_t big = NFD_SPEC_MAX_SIZE + 1, n = 0;
	char *buf = malloc(big + 1), *deep;
	struct nfd_spec *s = NULL;

	memset(buf, ' ', big);
	buf[big] = '\0';
	assert_int_equal(nfd_spec_parse(ctx, buf, big, NULL, &s), -E2BIG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "<input>"));
	free(buf);

	/* deep nesting: a clear error, no stack exhaustion */
	deep = malloc(200001);
	for (; n < 100000; n++)
		deep[n] = '[';
	for (; n < 200000; n++)
		deep[n] = ']';
	deep[n] = '\0';
	assert_int_equal(nfd_spec_parse(ctx, deep, n, "deep", &s), -EBADMSG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "nesting too deep"));
	free(deep);

	/* a billion-laughs spec stops at the first alias */
	assert_int_equal(parse("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", &s), -EBADMSG);
	assert_int_equal(nfd_spec_parse_file(ctx, "/nonexistent/spec.yaml", &s), -ENOENT);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "/nonexistent/spec.yaml"));
	{
		char path[] = "/tmp/test-spec-big.XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fdopen(fd, "w");
		char line[1024];

		assert_non_null(f);

		memset(line, 'x', sizeof(line));
		line[0] = '#';
		line[sizeof(line) - 1] = '\n';
		for (size_t i = 0; i <= NFD_SPEC_MAX_SIZE / sizeof(line); i++)
			assert_int_equal(fwrite(line, 1, sizeof(line), f), sizeof(line));
		fclose(f);
		assert_int_equal(nfd_spec_parse_file(ctx, path, &s), -E2BIG);
		assert_non_null(strstr(nfd_ctx_last_error(ctx), path));
		unlink(path);
	}
	assert_int_equal(nfd_spec_parse(NULL, "a", 1, NULL, &s), -EINVAL);
	assert_int_equal(nfd_spec_parse(ctx, "a", 1, NULL, NULL), -EINVAL);
}

static void test_problems(void **state)
{
	static const char yaml[] = "version: v1alpha1\n"
				   "compatibilities:\n"
				   "- rules:\n"
				   "  - matchFeatures:\n"
				   "    - feature: nodot\n"
				   "      matchExpressions:\n"
				   "        a: {op: in, value: [x]}\n"
				   "        b: {op: Gt, value: [1, 2]}\n"
				   "        c: {op: InRegexp, value: ['(']}\n"
				   "        d: {op: GtLt, value: ['5', '1']}\n"
				   "        e: {op: Exists, value: [x]}\n"
				   "        f: {op: Gt, value: [x], type: version}\n"
				   "        g: {op: Ge, value: ['1'], type: semver}\n"
				   "        h: {op: In, value: [ok]}\n";
	struct nfd_spec *s = NULL;

	assert_int_equal(parse(yaml, &s), 0);
	/* bad feature name, a..g; a rule without a name is only a warning */
	assert_int_equal(nfd_spec_count_problems(s), 8);
	assert_non_null(strstr(nfd_spec_get_problem(s, 0), "t.yaml:5:7: invalid feature name"));
	assert_non_null(strstr(nfd_spec_get_problem(s, 1), "t.yaml:7:12: invalid Op \"in\""));
	assert_non_null(strstr(nfd_spec_get_problem(s, 3), "valid regexps"));
	assert_null(nfd_spec_get_problem(s, 8));
	assert_non_null(strstr(nfd_spec_get_warning(s, 0), "t.yaml:4:5: rule has no name"));
	nfd_spec_unref(s);
}

/* The problem or warning list holds an entry containing sub. */
static bool has_note(const struct nfd_spec *s, bool problems, const char *sub)
{
	int n = problems ? nfd_spec_count_problems(s) : nfd_spec_count_warnings(s);

	for (int i = 0; i < n; i++) {
		const char *m = problems ? nfd_spec_get_problem(s, (size_t)i)
					 : nfd_spec_get_warning(s, (size_t)i);

		if (strstr(m, sub))
			return true;
	}
	return false;
}

static void test_lint(void **state)
{
	static const char yaml[] = "version: v1alpha1\n"
				   "compatibilities:\n"
				   "- rules:\n"
				   "  - name: typos\n"
				   "    labels: {a: b}\n"
				   "    matchFeature:\n"
				   "    - feature: cpu.cpuid\n"
				   "  - name: r\n"
				   "    matchFeatures:\n"
				   "    - feature: kernel.version\n"
				   "      matchExpression:\n"
				   "        major: {op: Gt, value: ['4']}\n"
				   "    - feature: cpu.cpuids\n"
				   "      matchExpressions:\n"
				   "        AVX: {op: Exists}\n"
				   "    - feature: kernel.version\n"
				   "      matchExpressions:\n"
				   "        majr: {op: Gt, value: ['4']}\n"
				   "        major: {op: Gt, valeu: ['4']}\n"
				   "    - feature: local.anything\n"
				   "      matchExpressions:\n"
				   "        x: {op: Exists}\n"
				   "    - feature: pci.device\n"
				   "      matchExpressions:\n"
				   "        vendor: {op: In, value: ['8086']}\n"
				   "  - matchFeatures:\n"
				   "    - feature: rule.matched\n"
				   "  weigth: 3\n";
	struct nfd_spec *s = NULL;

	assert_int_equal(parse(yaml, &s), 0);
	assert_true(has_note(s, true,
			     "t.yaml:6:5: unknown key \"matchFeature\" in a rule (NFD ignores "
			     "it); did you mean \"matchFeatures\"?"));
	assert_true(has_note(s, true,
			     "t.yaml:11:7: unknown key \"matchExpression\" in matchFeatures term "
			     "(NFD ignores it); did you mean \"matchExpressions\"?"));
	assert_true(has_note(s, true, "t.yaml:19:25: unknown key \"valeu\""));
	assert_true(has_note(s, true, "did you mean \"value\"?"));
	assert_true(has_note(s, true,
			     "t.yaml:28:3: unknown key \"weigth\" in a compatibility "
			     "set (NFD ignores it); did you mean \"weight\"?"));
	assert_int_equal(nfd_spec_count_problems(s), 5); /* and Gt without a value */
	assert_true(
		has_note(s, false, "t.yaml:5:5: \"labels\" is ignored in a compatibility spec"));
	assert_true(has_note(s, false,
			     "t.yaml:13:7: feature \"cpu.cpuids\" is not one the built-in sources "
			     "discover; did you mean \"cpu.cpuid\"?"));
	assert_true(has_note(s, false,
			     "t.yaml:18:9: kernel.version has no element \"majr\"; did you mean "
			     "\"major\"?"));
	assert_true(has_note(s, false, "t.yaml:26:5: rule has no name"));
	/* local.* and rule.matched are open; pci.device's vendor is known */
	assert_false(has_note(s, false, "local.anything"));
	assert_false(has_note(s, false, "rule.matched"));
	assert_false(has_note(s, false, "pci.device"));
	assert_int_equal(nfd_spec_count_warnings(s), 4);
	nfd_spec_unref(s);
}

static void test_not_a_spec(void **state)
{
	static const char nfr[] = "apiVersion: nfd.k8s-sigs.io/v1alpha1\n"
				  "kind: NodeFeatureRule\n"
				  "metadata: {name: x}\n"
				  "spec:\n"
				  "  rules: []\n";
	static const char typo[] = "version: v1alpha1\n"
				   "compatibility:\n"
				   "- rules: []\n";
	struct nfd_spec *s = NULL;

	assert_int_equal(parse(nfr, &s), 0);
	assert_int_equal(nfd_spec_count_sets(s), 0);
	assert_int_equal(nfd_spec_count_problems(s), 1);
	assert_non_null(strstr(nfd_spec_get_problem(s, 0),
			       "t.yaml:2:7: this is a NodeFeatureRule, not an image compatibility "
			       "spec"));
	nfd_spec_unref(s);
	assert_int_equal(parse(typo, &s), 0);
	assert_int_equal(nfd_spec_count_sets(s), 0);
	assert_true(has_note(s, true, "did you mean \"compatibilities\"?"));
	assert_true(has_note(s, true, "the spec has no compatibility sets"));
	nfd_spec_unref(s);
	assert_int_equal(parse("", &s), -EBADMSG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "the spec is empty (an image"));
}

static void test_json_and_sources(void **state)
{
	static const char json[] =
		"{\"version\": \"v1alpha1\", \"compatibilities\": [{\"weight\": 5, \"rules\": [\n"
		"\t{\"name\": \"r\", \"matchFeatures\": [\n"
		"\t\t{\"feature\": \"pci.device\", \"matchExpressions\": {\"class\": {\"op\": "
		"\"In\", \"value\": [\"0300\"]}}},\n"
		"\t\t{\"feature\": \"CPU.cpuid\"}, {\"feature\": \"rule.matched\"}, {\"feature\": "
		"\"fake.x\"},\n"
		"\t\t{\"feature\": \"kernel.version\"}, {\"feature\": \"pci.device\"}]}]}]}";
	static const char *const want[] = {"cpu", "kernel", "pci"};
	struct nfd_spec *s = NULL;
	struct nfd_iter *it = NULL;
	const char *k, *v;
	size_t n = 0;

	assert_int_equal(nfd_spec_parse(ctx, json, strlen(json), "s.json", &s), 0);
	assert_string_equal(first_expr(s)->values[0], "0300");
	/* CPU.cpuid has capitals, fake.x is no built-in feature */
	assert_int_equal(nfd_spec_count_warnings(s), 2);
	assert_int_equal(nfd_spec_iter_sources(s, &it), 0);
	nfd_spec_unref(s); /* the iterator keeps the spec */
	while (nfd_iter_next(it, &k, &v) > 0) {
		assert_true(n < ARRAY_SIZE(want));
		assert_string_equal(k, want[n++]);
		assert_null(v);
	}
	assert_int_equal(n, ARRAY_SIZE(want));
	nfd_iter_free(it);
}

static void test_refcount(void **state)
{
	struct nfd_spec *s = NULL;

	assert_int_equal(parse("compatibilities: [{rules: []}]\n", &s), 0);
	assert_ptr_equal(nfd_spec_ref(s), s);
	assert_null(nfd_spec_unref(s));
	assert_int_equal(nfd_spec_count_sets(s), 1);
	assert_null(nfd_spec_unref(s));
	assert_null(nfd_spec_unref(NULL));
	assert_null(nfd_spec_ref(NULL));
	assert_int_equal(nfd_spec_count_sets(NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml11_coercion),
		cmocka_unit_test(test_fields_case_insensitive),
		cmocka_unit_test(test_nil_vs_empty),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_json_and_sources),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_not_a_spec),
		cmocka_unit_test(test_refcount),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
