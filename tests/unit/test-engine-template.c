/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * varsTemplate (doc/semantics.md §8): the matched-element data (doc/semantics.md §4.4), Go template
 * semantics (missingkey=error, range, if, with, variables, functions), NFD's key=value line
 * parsing, when templates run, static vars winning. The vars are observed through rule.matched rows
 * and their node values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine-test.h"
#include "libnfd/engine/rule-template.h"
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

/*
 * Run a rule with the template, then a rule "check" testing rule.matched
 * for the given var names with Exists; return "name=value ..." of what the
 * node had (the check rule's row node values).
 */
static char *vars_of(const char *rule_body, const char *const *names)
{
	struct strbuf sb = STRBUF_INIT;
	struct nfd_report *r = NULL;
	const struct nfd_report_rule *check;

	strbuf_puts(&sb, "compatibilities:\n- rules:\n  - name: t\n");
	strbuf_puts(&sb, rule_body);
	strbuf_puts(&sb, "  - name: check\n    matchFeatures:\n    - feature: rule.matched\n"
			 "      matchExpressions:\n");
	for (const char *const *n = names; *n; n++)
		strbuf_appendf(&sb, "        \"%s\": {op: Exists}\n", *n);
	if (evaluate_yaml(ctx, strbuf_str(&sb), fake, NULL, &r) < 0) {
		strbuf_release(&sb);
		strbuf_puts(&sb, "error: ");
		strbuf_puts(&sb, nfd_ctx_last_error(ctx));
		return strbuf_steal(&sb);
	}
	strbuf_release(&sb);
	check = nfd_report_set_get_rule(nfd_report_get_set(r, 0), 1);
	for (int i = 0; i < nfd_report_rule_count_rows(check); i++) {
		const struct nfd_report_row *row = nfd_report_rule_get_row(check, (size_t)i);
		const char *v = nfd_report_row_get_node_value(row);

		strbuf_appendf(&sb, "%s%s=%s", i ? " " : "", nfd_report_row_get_name(row),
			       v ? v : "<absent>");
	}
	nfd_report_unref(r);
	return strbuf_steal(&sb);
}

#define N(...) ((const char *const[]){__VA_ARGS__, NULL})

static void expect_vars(const char *body, const char *const *names, const char *want)
{
	char *got = vars_of(body, names);

	if (!strstr(got, want))
		fail_msg("got \"%s\"\nwant \"%s\"", got, want);
	free(got);
}

static void test_flags_attributes_instances(void **state)
{
	expect_vars("    varsTemplate: |\n"
		    "      {{range .fake.flag}}{{.Name}}=yes\n"
		    "      {{end}}\n"
		    "    matchFeatures:\n"
		    "    - feature: fake.flag\n"
		    "      matchName: {op: InRegexp, value: [\"^flag_[12]$\"]}\n",
		    N("flag_1", "flag_2", "flag_3"), "flag_1=yes flag_2=yes flag_3=<absent>");
	expect_vars("    varsTemplate: '{{range "
		    ".fake.attribute}}attr-{{.Name}}={{.Value}}{{\"\\n\"}}{{end}}'\n"
		    "    matchFeatures:\n"
		    "    - feature: fake.attribute\n"
		    "      matchExpressions:\n"
		    "        attr_1: {op: IsTrue}\n"
		    "        attr_3: {op: Gt, value: [\"5\"]}\n",
		    N("attr-attr_1", "attr-attr_2", "attr-attr_3"),
		    "attr-attr_1=true attr-attr_2=<absent> attr-attr_3=10");
	expect_vars("    varsTemplate: |\n"
		    "      {{- range $i, $e := .fake.instance }}\n"
		    "      inst{{ $i }}={{ $e.name }}\n"
		    "      {{- end }}\n"
		    "    matchFeatures:\n"
		    "    - feature: fake.instance\n"
		    "      matchExpressions: {attr_1: {op: IsTrue}}\n",
		    N("inst0", "inst1", "inst2"),
		    "inst0=instance_1 inst1=instance_2 inst2=<absent>");
}

static void test_functions_and_control(void **state)
{
	expect_vars("    varsTemplate: |\n"
		    "      {{ $n := len .fake.instance }}count={{ $n }}\n"
		    "      {{ if eq $n 3 }}three=yes{{ else }}three=no{{ end }}\n"
		    "      {{ with index .fake.instance 0 }}first={{ upper .name }}{{ end }}\n"
		    "      {{ printf \"fmt=%s-%d\" \"a\" 7 }}\n"
		    "      {{ range .fake.instance }}{{ $a := index . \"attr_4\" }}{{ if and $a "
		    "(ne $a \"x\") }}a4={{ $a | trimPrefix \"foo\" }}{{ end }}{{ end }}\n"
		    "      {{ index (index .fake.instance 1) \"missing\" | default \"dflt\" | "
		    "printf \"d=%s\" }}\n"
		    "    matchFeatures:\n"
		    "    - feature: fake.instance\n"
		    "      matchExpressions: {name: {op: Exists}}\n",
		    N("a4", "count", "d", "first", "fmt", "three"),
		    "a4=bar count=3 d=dflt first=INSTANCE_1 fmt=a-7 three=yes");
}

/* what public rules use (issue: these failed with the former subset) */
static void test_real_world(void **state)
{
	/* NFD's customization guide: first, trim, substr */
	expect_vars(
		"    varsTemplate: |\n"
		"      {{- $e := first .fake.instance }}name={{ $e.name | trim | substr 0 63 }}\n"
		"    matchFeatures:\n"
		"    - feature: fake.instance\n"
		"      matchExpressions: {name: {op: Exists}}\n",
		N("name"), "name=instance_1");
	/* a GPU rule: printf "%02d" of the range index */
	expect_vars("    varsTemplate: |\n"
		    "      {{- range $i, $e := .fake.instance }}\n"
		    "      gpu{{ printf \"%02d\" $i }}={{ $e.name }}\n"
		    "      {{- end }}\n"
		    "    matchFeatures:\n"
		    "    - feature: fake.instance\n"
		    "      matchExpressions: {name: {op: Exists}}\n",
		    N("gpu00", "gpu01", "gpu02"),
		    "gpu00=instance_1 gpu01=instance_2 gpu02=instance_3");
	/* %x, widths, floats and float literals */
	expect_vars("    varsTemplate: |\n"
		    "      hex={{ printf \"%x\" 255 }}\n"
		    "      w={{ printf \"%-4s|%5.2f\" \"ab\" 3.14159 }}\n"
		    "      f={{ 1.5 }}\n"
		    "      g={{ divf 10 4 }}\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("f", "g", "hex", "w"), "f=1.5 g=2.5 hex=ff w=ab  | 3.14");
	/* index on a missing key, then index again: Go's zero values */
	expect_vars("    varsTemplate: |\n"
		    "      m={{ index (index . \"nodomain\") \"nofeature\" }}\n"
		    "      l={{ len (index (index . \"nodomain\") \"nofeature\") }}\n"
		    "      d={{ index . \"nodomain\" }}\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("d", "l", "m"), "d=map[] l=0 m=[]");
}

static void test_when_templates_run(void **state)
{
	/* once per matching matchAny element, later runs win; static vars win;
	 * a failing matchFeatures publishes nothing */
	expect_vars(
		"    vars: {static: s, both: static}\n"
		"    varsTemplate: '{{range .fake.flag}}any={{.Name}}{{\"\\n\"}}both=tmpl{{end}}'\n"
		"    matchAny:\n"
		"    - matchFeatures: [{feature: fake.flag, matchName: {op: In, value: "
		"[flag_1]}}]\n"
		"    - matchFeatures: [{feature: fake.flag, matchName: {op: In, value: [nope]}}]\n"
		"    - matchFeatures: [{feature: fake.flag, matchName: {op: In, value: "
		"[flag_3]}}]\n",
		N("any", "both", "static"), "any=flag_3 both=static static=s");
	expect_vars("    varsTemplate: 'x=1'\n"
		    "    matchFeatures: [{feature: fake.flag, matchExpressions: {nope: {op: "
		    "Exists}}}]\n",
		    N("x"), "x=<absent>");
	/* a template error surfaces only when the template runs */
	expect_vars("    varsTemplate: '{{ .fake.nope }}'\n"
		    "    matchFeatures: [{feature: fake.flag, matchExpressions: {nope: {op: "
		    "Exists}}}]\n",
		    N("x"), "x=<absent>");
	expect_vars("    varsTemplate: '{{ if }}'\n"
		    "    matchFeatures: [{feature: no.such}]\n",
		    N("x"), "x=<absent>");
}

static void test_errors(void **state)
{
	/* missingkey=error, also for data keys in another case than the rule's */
	expect_vars(
		"    varsTemplate: '{{ .fake.nope }}'\n"
		"    matchFeatures: [{feature: fake.flag}]\n",
		N("x"),
		"error: t.yaml:3:5: rule \"t\": template: :1:3: executing \"\": map has no entry "
		"for key \"nope\"");
	expect_vars("    varsTemplate: '{{ .Fake.flag }}'\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("x"), "map has no entry for key \"Fake\"");
	/* a missing feature makes data[dom] but not data[dom][nam] */
	expect_vars("    varsTemplate: '{{ range $k, $v := .fake }}{{ $k }}=1{{ end }}'\n"
		    "    matchAny:\n"
		    "    - matchFeatures: [{feature: fake.flag}, {feature: fake.nothing}]\n"
		    "    - matchFeatures: [{feature: fake.attribute}]\n",
		    N("attribute", "flag", "nothing"),
		    "attribute=1 flag=<absent> nothing=<absent>");
	/* and/or do not evaluate what they do not need */
	expect_vars("    varsTemplate: '{{ if and false .fake.nope }}x=1{{ else }}x=2{{ end }}"
		    "{{ \"\\n\" }}{{ if or 1 .fake.nope }}y=3{{ end }}'\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("x", "y"), "x=2 y=3");
	expect_vars("    varsTemplate: 'no equals sign'\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("x"), "missing value in expanded template line \"no equals sign\"");
	expect_vars("    varsTemplate: '{{ template \"x\" }}'\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("x"), "no such template \"x\"");
	expect_vars("    varsTemplate: '{{ nosuchfunc 1 }}'\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("x"), "function \"nosuchfunc\" not defined");
	expect_vars("    varsTemplate: '{{ range .fake.flag }}'\n"
		    "    matchFeatures: [{feature: fake.flag}]\n",
		    N("x"), "template: :1: unexpected EOF");

	/* parentheses count towards the nesting bound (fuzz: stack overflow) */
	char deep[128 + 2 * 20000];
	char *p = deep;

	p += sprintf(p, "    varsTemplate: '{{ %s1%s }}'\n", "((((((((((((((((((((",
		     "))))))))))))))))))))");
	sprintf(p, "    matchFeatures: [{feature: fake.flag}]\n");
	expect_vars(deep, N("x"), "missing value in expanded template line \"1\"");
	p = deep + sprintf(deep, "    varsTemplate: '{{ ");
	memset(p, '(', 20000);
	p += 20000;
	p += sprintf(p, "1");
	memset(p, ')', 20000);
	p += 20000;
	sprintf(p, " }}'\n    matchFeatures: [{feature: fake.flag}]\n");
	expect_vars(deep, N("x"), "nesting too deep");

	/* bounded cost (fuzz: a string doubled per action exhausted memory,
	 * nested ranges ran for ever) */
	p = deep + sprintf(deep, "    varsTemplate: '{{ $x := \"ab\" }}");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "{{ $x = print $x $x }}");
	sprintf(p, "x={{ len $x }}'\n    matchFeatures: [{feature: fake.flag}]\n");
	expect_vars(deep, N("x"), "a value is larger than 1048576 bytes");
	p = deep + sprintf(deep, "    varsTemplate: '");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "{{ range $.fake }}");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "{{ end }}");
	sprintf(p, "x=1'\n    matchFeatures: [{feature: fake.flag}, {feature: fake.attribute}]\n");
	expect_vars(deep, N("x"), "more than 1048576 steps");
}

static void test_parse_problems(void **state)
{
	/* Go reports undefined functions when it parses, so does the spec */
	static const char undef[] = "compatibilities:\n- rules:\n  - name: r\n"
				    "    varsTemplate: '{{ first .x | env }}'\n";
	static const char yaml[] = "compatibilities:\n- rules:\n  - name: r\n"
				   "    varsTemplate: '{{ if .x }}'\n";
	struct nfd_spec *s = NULL;

	assert_int_equal(nfd_spec_parse(ctx, yaml, strlen(yaml), "t.yaml", &s), 0);
	assert_int_equal(nfd_spec_count_problems(s), 1);
	assert_non_null(strstr(nfd_spec_get_problem(s, 0), "t.yaml:4:19: template:"));
	nfd_spec_unref(s);
	assert_int_equal(nfd_spec_parse(ctx, undef, strlen(undef), "t.yaml", &s), 0);
	assert_int_equal(nfd_spec_count_problems(s), 1);
	assert_non_null(
		strstr(nfd_spec_get_problem(s, 0), "template: :1: function \"env\" not defined"));
	nfd_spec_unref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_attributes_instances),
		cmocka_unit_test(test_functions_and_control),
		cmocka_unit_test(test_real_world),
		cmocka_unit_test(test_when_templates_run),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_parse_problems),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
