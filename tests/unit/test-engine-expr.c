/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * E(expr, present, value) of doc/semantics.md §3, table-driven; cases ported
 * from NFD's expression_test.go (TestEvaluateMatchExpression and the key,
 * value and version variants) plus the order-of-checks rules of doc/semantics.md §3.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "libnfd/engine/engine.h"

#define V(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NOV    ((const char *const[]){NULL})
#define ERR    (-1)

struct tc {
	const char *name;
	const char *op;
	const char *const *values;
	const char *type;
	bool present;
	const char *value; /* NULL: no value (a flag) */
	int want;	   /* 1, 0 or ERR */
};

static int eval_one(struct nfd_ctx *ctx, const struct tc *tc)
{
	struct nfd_spec spec = {.name = "test.yaml"};
	struct nfd_eval ev = {.ctx = ctx, .spec = &spec};
	struct arena a = {0};
	struct nfd_expr e = {.op_name = tc->op, .type = tc->type};
	const char *problem = NULL;
	int r;

	nfd__eval_budget_init(&ev);
	for (const char *const *v = tc->values; *v; v++)
		e.n_values++;
	e.values = tc->values;
	assert_int_equal(nfd__expr_compile(&a, &e, &problem), 0);
	r = nfd__expr_eval(&ev, &e, tc->present, tc->value);
	nfd__expr_release(&e);
	nfd__regex_scratch_free(ev.scratch);
	arena_release(&a);
	return r;
}

static void run_table(const struct tc *tcs, size_t n)
{
	struct nfd_ctx *ctx = nfd_ctx_new();

	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		int r = eval_one(ctx, &tcs[i]);
		int got = r < 0 ? ERR : r;

		if (got != tcs[i].want)
			fail_msg("%s: got %d want %d (%s)", tcs[i].name, got, tcs[i].want,
				 nfd_ctx_last_error(ctx));
		if (r < 0)
			assert_int_equal(r, -EBADMSG);
	}
	nfd_ctx_unref(ctx);
}

/* TestEvaluateMatchExpression: (valid, input) pairs */
static void test_nfd_ops(void **state)
{
	const struct tc tcs[] = {
		{"MatchAny-1", "", NOV, "", false, NULL, 1},
		{"MatchAny-2", "", NOV, "", false, "2", 1},
		{"MatchIn-1", "In", V("1"), "", false, "2", 0},
		{"MatchIn-2", "In", V("1"), "", true, "2", 0},
		{"MatchIn-3", "In", V("1", "2", "3"), "", false, "2", 0},
		{"MatchIn-4", "In", V("1", "2", "3"), "", true, "2", 1},
		{"MatchNotIn-1", "NotIn", V("2"), "", false, "2", 0},
		{"MatchNotIn-2", "NotIn", V("1"), "", true, "2", 1},
		{"MatchNotIn-3", "NotIn", V("1", "2", "3"), "", false, "2", 0},
		{"MatchNotIn-4", "NotIn", V("1", "2", "3"), "", true, "2", 0},
		{"MatchInRegexp-1", "InRegexp", V("val-[0-9]$"), "", false, "val-1", 0},
		{"MatchInRegexp-2", "InRegexp", V("val-[0-9]$"), "", true, "val-1", 1},
		{"MatchInRegexp-3", "InRegexp", V("val-[0-9]$"), "", true, "val-12", 0},
		{"MatchInRegexp-4", "InRegexp", V("val-[0-9]$", "al-[1-9]"), "", true, "val-12", 1},
		{"MatchExists-1", "Exists", NOV, "", false, NULL, 0},
		{"MatchExists-2", "Exists", NOV, "", true, NULL, 1},
		{"MatchDoesNotExist-1", "DoesNotExist", NOV, "", false, "false", 1},
		{"MatchDoesNotExist-2", "DoesNotExist", NOV, "", true, "false", 0},
		{"MatchGt-1", "Gt", V("2"), "", false, "3", 0},
		{"MatchGt-2", "Gt", V("2"), "", true, "2", 0},
		{"MatchGt-3", "Gt", V("2"), "", true, "3", 1},
		{"MatchGt-4", "Gt", V("-10"), "", true, "-3", 1},
		{"MatchLt-1", "Lt", V("2"), "", false, "1", 0},
		{"MatchLt-2", "Lt", V("2"), "", true, "2", 0},
		{"MatchLt-3", "Lt", V("-10"), "", true, "-3", 0},
		{"MatchLt-4", "Lt", V("2"), "", true, "1", 1},
		{"MatchGtLt-1", "GtLt", V("1", "10"), "", false, "1", 0},
		{"MatchGtLt-2", "GtLt", V("1", "10"), "", true, "1", 0},
		{"MatchGtLt-3", "GtLt", V("1", "10"), "", true, "10", 0},
		{"MatchGtLt-4", "GtLt", V("1", "10"), "", true, "2", 1},
		{"MatchIsTrue-1", "IsTrue", NOV, "", false, "true", 0},
		{"MatchIsTrue-2", "IsTrue", NOV, "", true, "true", 1},
		{"MatchIsTrue-3", "IsTrue", NOV, "", true, "false", 0},
		{"MatchIsFalse-1", "IsFalse", NOV, "", false, "false", 0},
		{"MatchIsFalse-2", "IsFalse", NOV, "", true, "false", 1},
		{"MatchIsFalse-3", "IsFalse", NOV, "", true, "true", 0},
		/* the error table: valid=true */
		{"MatchAny-err-1", "", V("1"), "", true, "val", ERR},
		{"MatchIn-err-1", "In", NOV, "", true, "val", ERR},
		{"MatchNotIn-err-1", "NotIn", NOV, "", true, "val", ERR},
		{"MatchInRegexp-err-1", "InRegexp", NOV, "", true, "val", ERR},
		{"MatchInRegexp-err-2", "InRegexp", V("("), "", true, "val", ERR},
		{"MatchExists-err-1", "Exists", V("1"), "", true, NULL, ERR},
		{"MatchDoesNotExist-err-1", "DoesNotExist", V("1"), "", true, NULL, ERR},
		{"MatchGt-err-1", "Gt", NOV, "", true, "1", ERR},
		{"MatchGt-err-2", "Gt", V("1", "2"), "", true, "1", ERR},
		{"MatchGt-err-3", "Gt", V(""), "", true, "1", ERR},
		{"MatchGt-err-4", "Gt", V("2"), "", true, "3a", ERR},
		{"MatchLt-err-1", "Lt", NOV, "", true, "1", ERR},
		{"MatchLt-err-2", "Lt", V("1", "2", "3"), "", true, "1", ERR},
		{"MatchLt-err-3", "Lt", V("a"), "", true, "1", ERR},
		{"MatchLt-err-4", "Lt", V("2"), "", true, "1.0", ERR},
		{"MatchGtLt-err-1", "GtLt", NOV, "", true, "1", ERR},
		{"MatchGtLt-err-2", "GtLt", V("1"), "", true, "1", ERR},
		{"MatchGtLt-err-3", "GtLt", V("2", "1"), "", true, "1", ERR},
		{"MatchGtLt-err-4", "GtLt", V("1", "2", "3"), "", true, "1", ERR},
		{"MatchGtLt-err-5", "GtLt", V("a", "2"), "", true, "1", ERR},
		{"MatchGtLt-err-6", "GtLt", V("1", "10"), "", true, "1.0", ERR},
		{"MatchIsTrue-err-1", "IsTrue", V("1"), "", true, "true", ERR},
		{"MatchIsFalse-err-1", "IsFalse", V("1", "2"), "", true, "false", ERR},
		{"invalid-op-err", "non-existent-op", V("1"), "", true, "1", ERR},
	};

	(void)state;
	run_table(tcs, ARRAY_SIZE(tcs));
}

/* doc/semantics.md §3.1: what is checked before presence, what only with a value */
static void test_order_of_checks(void **state)
{
	const struct tc tcs[] = {
		/* invalid op: an error even for an absent element or a flag */
		{"invalid-absent", "in", V("a"), "", false, NULL, ERR},
		{"invalid-flag", "Foo", NOV, "", true, NULL, ERR},
		/* Exists/DoesNotExist/"" check their value list always */
		{"exists-values-absent", "Exists", V("x"), "", false, "", ERR},
		{"dne-values-absent", "DoesNotExist", V("x"), "", false, "", ERR},
		{"any-values-absent", "", V("x"), "", false, "", ERR},
		/* other ops: absent or no value -> false, no validation at all */
		{"in-empty-absent", "In", NOV, "", false, "", 0},
		{"gt-bad-absent", "Gt", V("x", "y"), "", false, "", 0},
		{"regexp-bad-flag", "InRegexp", V("("), "", true, NULL, 0},
		{"gt-flag", "Gt", V("1"), "", true, NULL, 0},
		{"istrue-values-flag", "IsTrue", V("1"), "", true, NULL, 0},
		{"notin-absent", "NotIn", V("x"), "", false, "", 0},
		{"exists-flag", "Exists", NOV, "", true, NULL, 1},
		{"dne-flag-absent", "DoesNotExist", NOV, "", false, NULL, 1},
		/* bad type only for the six ordered ops */
		{"type-bad-gt", "Gt", V("1"), "semver", true, "2", ERR},
		{"type-bad-in", "In", V("2"), "semver", true, "2", 1},
		/* a bad node value is an error, not a non-match */
		{"gt-node-str", "Gt", V("1"), "", true, "str", ERR},
		{"gele-equal-bounds", "GeLe", V("5", "5"), "", true, "5", ERR},
		{"gele-ok", "GeLe", V("1", "5"), "", true, "5", 1},
		{"gele-low", "GeLe", V("1", "5"), "", true, "1", 1},
		{"gele-out", "GeLe", V("1", "5"), "", true, "6", 0},
		/* exact string comparisons */
		{"istrue-True", "IsTrue", NOV, "", true, "True", 0},
		{"istrue-1", "IsTrue", NOV, "", true, "1", 0},
		{"in-case", "In", V("AVX"), "", true, "avx", 0},
		/* integers: Atoi rules */
		{"int-leading-zero", "Ge", V("7"), "", true, "007", 1},
		{"int-plus", "Gt", V("6"), "", true, "+7", 1},
		{"int-space", "Gt", V("6"), "", true, " 7", ERR},
		{"int-newline", "Gt", V("6"), "", true, "7\n", ERR},
		{"int-hex", "Gt", V("6"), "", true, "0x10", ERR},
		{"int-underscore", "Gt", V("6"), "", true, "1_000", ERR},
		{"int-empty", "Gt", V("6"), "", true, "", ERR},
		{"int-overflow", "Gt", V("6"), "", true, "9223372036854775808", ERR},
		{"int-min", "Lt", V("0"), "", true, "-9223372036854775808", 1},
		{"int-max", "Ge", V("9223372036854775807"), "", true, "9223372036854775807", 1},
		/* regexps: unanchored, $ only at the very end, every pattern compiles */
		{"re-unanchored", "InRegexp", V("b"), "", true, "abc", 1},
		{"re-dollar-newline", "InRegexp", V("^abc$"), "", true, "abc\n", 0},
		{"re-multiline", "InRegexp", V("(?m)^abc$"), "", true, "abc\n", 1},
		{"re-later-bad", "InRegexp", V("a", "("), "", true, "a", ERR},
		{"re-backref", "InRegexp", V("(a)\\1"), "", true, "aa", ERR},
		{"re-case", "InRegexp", V("(?i)^avx"), "", true, "AVX512F", 1},
		{"re-digit-ascii", "InRegexp", V("^\\d$"), "", true, "\xd9\xa3", 0},
		{"re-unicode-class", "InRegexp", V("^\\pL+$"), "", true, "\xc3\xa9t\xc3\xa9", 1},
	};

	(void)state;
	run_table(tcs, ARRAY_SIZE(tcs));
}

/* type: version, Masterminds semver with the pre-release dropped (doc/semantics.md §3.4) */
static void test_version_ops(void **state)
{
	const struct tc tcs[] = {
		{"ge-kernel", "Ge", V("5.15"), "version", true, "5.15.0-1034-generic", 1},
		{"gt-minor", "Gt", V("5.9"), "version", true, "5.10", 1},
		{"rc-equal", "Ge", V("5.15.0"), "version", true, "5.15.0-rc1", 1},
		{"rc-not-less", "Lt", V("5.15.0"), "version", true, "5.15.0-rc1", 0},
		{"v-prefix", "Ge", V("v1.2"), "version", true, "v1.2.0", 1},
		{"V-prefix", "Ge", V("1.2"), "version", true, "V1.2", ERR},
		{"leading-zero-ok", "Le", V("1.2"), "version", true, "01.02", 1},
		{"prerelease-zero", "Ge", V("6.1"), "version", true, "6.1.0-01", ERR},
		{"prerelease-058", "Ge", V("5.15"), "version", true, "5.15.0-058-generic", 1},
		{"four-parts", "Ge", V("1"), "version", true, "1.2.3.4", ERR},
		{"rhel", "Ge", V("4.18"), "version", true, "4.18.0-553.el8_10.x86_64", ERR},
		{"negative", "Gt", V("1"), "version", true, "-1", ERR},
		{"space", "Gt", V("1"), "version", true, "1.0 ", ERR},
		{"metadata", "Le", V("1.0.0"), "version", true, "1.0.0+build.5", 1},
		{"bad-bound", "Gt", V("x"), "version", true, "1.0", ERR},
		{"gtlt-unordered", "GtLt", V("10", "1"), "version", true, "5", 0},
		{"gtlt-ok", "GtLt", V("5.4", "6.0"), "version", true, "5.15.2", 1},
		{"gele-same", "GeLe", V("5", "5"), "version", true, "5.0.0", 1},
		{"node-bad-first", "Gt", V("x"), "version", true, "bad", ERR},
		{"flag-nothing", "Gt", V("x"), "version", true, NULL, 0},
	};

	(void)state;
	run_table(tcs, ARRAY_SIZE(tcs));
}

static void test_string_form(void **state)
{
	struct arena a = {0};
	struct nfd_expr e1 = {.op_name = "Exists"};
	struct nfd_expr e2 = {
		.op_name = "In", .values = V("a", "b\"c", "\n", "\xff", "é"), .n_values = 5};
	const char *p = NULL;

	(void)state;
	assert_int_equal(nfd__expr_compile(&a, &e1, &p), 0);
	assert_string_equal(e1.str, "{op: \"Exists\"}");
	assert_int_equal(nfd__expr_compile(&a, &e2, &p), 0);
	assert_string_equal(e2.str,
			    "{op: \"In\", value: [\"a\" \"b\\\"c\" \"\\n\" \"\\xff\" \"é\"]}");
	assert_null(p);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfd_ops),
		cmocka_unit_test(test_order_of_checks),
		cmocka_unit_test(test_version_ops),
		cmocka_unit_test(test_string_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
