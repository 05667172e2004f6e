/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Term and matcher semantics with failFast off (doc/semantics.md §4, §5, §9.2):
 * multi-type unions, nil versus empty maps, DoesNotExist, matchName, missing
 * features, the term flag carried between terms, lazy errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine-test.h"
#include "tests/unit/fixture.h"

static struct nfd_features *fake, *multi;

static const char multi_json[] =
	"{\"flags\": {\"cpu.cpuid\": {\"elements\": {\"AVX\": {}, \"AVX2\": {}, \"SSE2\": {}}},"
	"             \"nil.flags\": {\"elements\": null}, \"empty.flags\": {\"elements\": {}},"
	"             \"Caps.feature\": {\"elements\": {\"x\": {}}}},"
	" \"attributes\": {\"cpu.cpuid\": {\"elements\": {\"AVX10_VERSION\": \"1\"}},"
	"             \"kernel.version\": {\"elements\": {\"full\": \"5.15.0-91-generic\", "
	"\"major\": \"5\"}},"
	"             \"nil.attrs\": {\"elements\": null}, \"bad.number\": {\"elements\": "
	"{\"num\": \"str\"}}},"
	" \"instances\": {\"pci.device\": {\"elements\": ["
	"             {\"attributes\": {\"vendor\": \"8086\", \"class\": \"0200\"}},"
	"             {\"attributes\": {\"vendor\": \"10de\", \"class\": \"0302\"}}]},"
	"             \"empty.inst\": {\"elements\": []}}}";

static int setup(void **state)
{
	if (ctx_setup(state) < 0)
		return -1;
	fake = fake_features(ctx);
	multi = features_json(ctx, multi_json);
	return fake && multi ? 0 : -1;
}

static int teardown(void **state)
{
	nfd_features_unref(fake);
	nfd_features_unref(multi);
	return ctx_teardown(state);
}

#define RULE(name, body) "compatibilities:\n- rules:\n  - name: " name "\n    matchFeatures:\n" body

static void expect(const struct nfd_features *f, const char *yaml, const char *want)
{
	struct nfd_report *r = NULL;
	char *got;

	if (evaluate_yaml(ctx, yaml, f, NULL, &r) < 0)
		fail_msg("%s", nfd_ctx_last_error(ctx));
	got = summary(r);
	if (!streq(got, want))
		fail_msg("got:  %s\nwant: %s", got, want);
	free(got);
	nfd_report_unref(r);
}

static void expect_error(const struct nfd_features *f, const char *yaml, const char *msg)
{
	struct nfd_report *r = NULL;

	assert_int_equal(evaluate_yaml(ctx, yaml, f, NULL, &r), -EBADMSG);
	assert_null(r);
	if (!strstr(nfd_ctx_last_error(ctx), msg))
		fail_msg("\"%s\" lacks \"%s\"", nfd_ctx_last_error(ctx), msg);
}

static void test_multi_type(void **state)
{
	/* flags and attributes of one name are a union */
	expect(multi,
	       RULE("u", "    - feature: cpu.cpuid\n"
			 "      matchExpressions:\n"
			 "        AVX: {op: Exists}\n"
			 "        AVX10_VERSION: {op: Gt, value: [\"0\"]}\n"),
	       "u OK: cpu.cpuid.AVX=OK cpu.cpuid.AVX10_VERSION=OK");
	/* DoesNotExist must hold in both maps: absent from the flags (row OK)
	 * but present as an attribute (term fails) */
	expect(multi,
	       RULE("dne", "    - feature: cpu.cpuid\n"
			   "      matchExpressions:\n"
			   "        AVX10_VERSION: {op: DoesNotExist}\n"),
	       "dne FAIL: cpu.cpuid.AVX10_VERSION=OK");
	expect(multi,
	       RULE("dne2", "    - feature: cpu.cpuid\n"
			    "      matchExpressions:\n"
			    "        AMX: {op: DoesNotExist}\n"),
	       "dne2 OK: cpu.cpuid.AMX=OK");
	/* In can never match a flag, and raises nothing there */
	expect(multi,
	       RULE("flagin", "    - feature: cpu.cpuid\n"
			      "      matchExpressions:\n"
			      "        AVX: {op: In, value: [x]}\n"),
	       "flagin FAIL: cpu.cpuid.AVX=FAIL");
	/* matchName over flags and attribute names */
	expect(multi,
	       RULE("names", "    - feature: cpu.cpuid\n"
			     "      matchName: {op: InRegexp, value: [\"^AVX10\"]}\n"),
	       "names OK: cpu.cpuid=OK");
}

static void test_nil_empty_missing(void **state)
{
	expect(multi,
	       RULE("nil", "    - feature: nil.flags\n"
			   "      matchExpressions: {}\n"),
	       "nil FAIL:");
	expect(multi,
	       RULE("nil-dne", "    - feature: nil.attrs\n"
			       "      matchExpressions: {x: {op: DoesNotExist}}\n"),
	       "nil-dne FAIL: nil.attrs.x=FAIL");
	expect(multi, RULE("nil-exists", "    - feature: nil.flags\n"), "nil-exists OK:");
	expect(multi,
	       RULE("empty", "    - feature: empty.flags\n"
			     "      matchExpressions: {}\n"),
	       "empty OK:");
	expect(multi,
	       RULE("empty-dne", "    - feature: empty.flags\n"
				 "      matchExpressions: {x: {op: DoesNotExist}}\n"),
	       "empty-dne OK: empty.flags.x=OK");
	expect(multi,
	       RULE("empty-inst", "    - feature: empty.inst\n"
				  "      matchExpressions: {}\n"),
	       "empty-inst FAIL:");
	expect(multi,
	       RULE("empty-name", "    - feature: empty.flags\n"
				  "      matchName: {op: Gt, value: [\"1\"]}\n"),
	       "empty-name FAIL: empty.flags=FAIL");
	/* a missing feature: non-match, its errors never surface */
	expect(multi,
	       RULE("missing", "    - feature: no.such\n"
			       "      matchExpressions: {x: {op: Bogus}}\n"),
	       "missing FAIL: no.such.x=FAIL");
	/* capitals in the data cannot be reached */
	expect(multi, RULE("capsdata", "    - feature: Caps.feature\n"), "capsdata FAIL:");
	/* capitals in the rule: looked up lower-cased, reported FAIL (doc/semantics.md §9.2) */
	expect(multi,
	       RULE("capsrule", "    - feature: KERNEL.version\n"
				"      matchExpressions: {major: {op: In, value: [\"5\"]}}\n"),
	       "capsrule OK: KERNEL.version.major=FAIL");
	/* NotIn on an absent attribute is false */
	expect(multi,
	       RULE("notin", "    - feature: kernel.version\n"
			     "      matchExpressions: {minor: {op: NotIn, value: [\"1\"]}}\n"),
	       "notin FAIL: kernel.version.minor=FAIL");
	/* an empty matcher always matches */
	expect(multi, "compatibilities:\n- rules:\n  - name: nothing\n    matchFeatures: []\n",
	       "nothing OK:");
}

static void test_instances(void **state)
{
	/* each expression may hold in some instance (rows OK), the term needs one
	 * instance holding them all */
	expect(fake,
	       RULE("split", "    - feature: fake.instance\n"
			     "      matchExpressions:\n"
			     "        name: {op: In, value: [instance_3]}\n"
			     "        attr_4: {op: In, value: [foobar]}\n"),
	       "split FAIL: fake.instance.attr_4=OK fake.instance.name=OK");
	expect(multi,
	       RULE("gpu", "    - feature: pci.device\n"
			   "      matchExpressions:\n"
			   "        vendor: {op: In, value: [\"10de\"]}\n"
			   "        class: {op: InRegexp, value: [\"^03\"]}\n"),
	       "gpu OK: pci.device.class=OK pci.device.vendor=OK");
	expect(multi,
	       RULE("names", "    - feature: pci.device\n"
			     "      matchName: {op: In, value: [vendor]}\n"),
	       "names OK: pci.device=OK");
}

static void test_matchname_gating(void **state)
{
	/* matchName after failed matchExpressions is skipped: no error, FAIL */
	expect(fake,
	       RULE("skip", "    - feature: fake.attribute\n"
			    "      matchExpressions: {attr_1: {op: In, value: [\"false\"]}}\n"
			    "      matchName: {op: Bogus}\n"),
	       "skip FAIL: fake.attribute=FAIL fake.attribute.attr_1=FAIL");
	/* the term flag carries over: a matchName-only term after a failed
	 * term is neither evaluated nor OK (doc/semantics.md §5.4) */
	expect(fake,
	       RULE("carry", "    - feature: fake.flag\n"
			     "      matchExpressions: {nope: {op: Exists}}\n"
			     "    - feature: fake.attribute\n"
			     "      matchName: {op: Bogus}\n"),
	       "carry FAIL: fake.attribute=FAIL fake.flag.nope=FAIL");
	/* after a missing feature the flag is untouched */
	expect(fake,
	       RULE("carry2", "    - feature: no.such\n"
			      "    - feature: fake.attribute\n"
			      "      matchName: {op: In, value: [attr_1]}\n"),
	       "carry2 FAIL: fake.attribute=OK");
}

static void test_errors_abort(void **state)
{
	expect_error(multi,
		     RULE("nan", "    - feature: bad.number\n"
				 "      matchExpressions: {num: {op: Gt, value: [\"1\"]}}\n"),
		     "t.yaml:6:31: not a number \"str\"");
	expect_error(multi,
		     RULE("badop", "    - feature: cpu.cpuid\n"
				   "      matchExpressions: {AVX: {op: in, value: [x]}}\n"),
		     "invalid Op \"in\"");
	expect_error(
		multi,
		RULE("ver",
		     "    - feature: kernel.version\n"
		     "      matchExpressions: {full: {op: Gt, value: [\"1\"], type: version}}\n"
		     "    - feature: kernel.version\n"
		     "      matchExpressions: {major: {op: Gt, value: [\"x\"], type: version}}\n"),
		"not a version \"x\"");
	/* matchName with Gt parses the names */
	expect_error(fake,
		     RULE("gtname", "    - feature: fake.flag\n"
				    "      matchName: {op: Gt, value: [\"1\"]}\n"),
		     "not a number \"flag_1\"");
	/* an error in a later set aborts everything */
	expect_error(fake,
		     "compatibilities:\n- rules: [{name: ok}]\n"
		     "- rules:\n  - matchFeatures:\n    - feature: fake.attribute\n"
		     "      matchExpressions: {attr_3: {op: GtLt, value: [\"2\", \"1\"]}}\n",
		     "value[0] must be less than Value[1]");
	/* errors in matchAny elements surface even after a match */
	expect_error(fake,
		     "compatibilities:\n- rules:\n  - matchAny:\n"
		     "    - matchFeatures: [{feature: fake.flag}]\n"
		     "    - matchFeatures:\n      - feature: fake.attribute\n"
		     "        matchExpressions: {attr_3: {op: In}}\n",
		     "must be non-empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multi_type),   cmocka_unit_test(test_nil_empty_missing),
		cmocka_unit_test(test_instances),    cmocka_unit_test(test_matchname_gating),
		cmocka_unit_test(test_errors_abort),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
