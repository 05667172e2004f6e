/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* InRegexp patterns: RE2 syntax accepted, the rest rejected; bounded matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "libnfd/engine/engine.h"

static int match(const char *pattern, const char *s)
{
	struct nfd_regex *re;
	struct nfd_regex_scratch *scratch;
	char *err = NULL;
	uint64_t cost = 0;
	int r = nfd__regex_compile(pattern, &re, &err);

	if (r < 0) {
		free(err);
		return -100;
	}
	scratch = nfd__regex_scratch_new();
	assert_non_null(scratch);
	r = nfd__regex_match(re, s, strlen(s), scratch, &cost);
	/* every match costs at least one unit of the work budget */
	assert_true(cost >= 1);
	nfd__regex_scratch_free(scratch);
	nfd__regex_free(re);
	return r;
}

static void test_accepted(void **state)
{
	static const struct {
		const char *re, *s;
		int want;
	} tcs[] = {
		{"^AVX512", "AVX512F", 1},
		{"^AVX512", "xAVX512F", 0},
		{"512", "AVX512F", 1},
		{"^(a|b)+$", "abba", 1},
		{"^a{2,3}$", "aaa", 1},
		{"^a{2,3}$", "aaaa", 0},
		{"^a{2}$", "aa", 1},
		{"^a{,3}$", "a{,3}", 1}, /* RE2: a literal brace */
		{"^x*?y$", "xxy", 1},
		{"^(?i:abc)$", "ABC", 1},
		{"(?s)a.b", "a\nb", 1},
		{"a.b", "a\nb", 0},
		{"(?U)a+", "aaa", 1},
		{"^(?P<major>[0-9]+)\\.", "5.15", 1},
		{"^(?<major>[0-9]+)\\.", "5.15", 1},
		{"^[[:alpha:]]+$", "abc", 1},
		{"^[^0-9]+$", "abc", 1},
		{"^[]a]+$", "]a", 1},
		{"^\\x41\\x{42}$", "AB", 1},
		{"^\\Qa.b\\E$", "a.b", 1},
		{"^\\Qa.b\\E$", "axb", 0},
		{"\\bword\\b", "a word here", 1},
		{"^\\s$", "\v", 0}, /* RE2's \s has no vertical tab */
		{"^\\v$", "\v", 1},
		{"^a$", "a\n", 0}, /* $ only at the very end */
		{"(?m)^a$", "b\na\n", 1},
		{"\\Aab\\z", "ab", 1},
		{"^\\pL\\p{Greek}$", "a\xce\xb1", 1},
		{"^.$", "\xc3\xa9", 1}, /* UTF-8: one character */
		{"^\\d+$", "123", 1},
		{"^\\w+$", "ab_1", 1},
		{"^a{1000}$", "a", 0},
		{"\\.", "a.b", 1},
		{"^\\010$", "\b", 1},
		/* plain strings take the literal fast path */
		{"^$", "", 1},
		{"^$", "a", 0},
		{"^", "abc", 1},
		{"x$", "ax", 1},
		{"x$", "xa", 0},
		{"^ab$", "ab", 1},
		{"^ab$", "abab", 0},
		{"b-c", "ab-cd", 1},
		{"^AVX512$", "AVX512", 1},
		{"^03", "0302", 1},
		{"^03", "1030", 0},
		{"a\\$", "a$", 1},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tcs); i++) {
		int r = match(tcs[i].re, tcs[i].s);

		if (r != tcs[i].want)
			fail_msg("%s on \"%s\": got %d want %d", tcs[i].re, tcs[i].s, r,
				 tcs[i].want);
	}
}

static void test_rejected(void **state)
{
	static const char *const bad[] = {
		"(",	       ")",	  "[a",	       "a**",	"a*+",	  "a++",     "a?+",
		"a{2}+",       "a{2}{3}", "*a",	       "a|*",	"(a)\\1", "\\k<x>",  "(?=a)",
		"(?!a)",       "(?<=a)b", "(?<!a)b",   "(?>a)", "(?R)",	  "(a)(?1)", "(?(1)a|b)",
		"(?#comment)", "(?x)a",	  "(?P=name)", "\\C",	"\\Z",	  "\\G",     "\\K",
		"\\R",	       "\\X",	  "\\e",       "\\N",	"\\h",	  "a{1001}", "a{2,1001}",
		"a{3,2}",      "\\",	  "(*UTF)a",   "\\p",	"\\xZZ",  "(?)",     "(?P<>a)",
		"\xff",	       "[\\b]",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct nfd_regex *re = NULL;
		char *err = NULL;
		int r = nfd__regex_compile(bad[i], &re, &err);

		if (r != -EINVAL)
			fail_msg("%s: accepted (r=%d)", bad[i], r);
		assert_non_null(err);
		assert_non_null(strstr(err, "error parsing regexp"));
		free(err);
	}
}

/* A catastrophic-backtracking pattern ends quickly, with a result or -ETIME. */
static void test_hostile_bounded(void **state)
{
	static const char *const pats[] = {"(a+)+$", "(a|a)*b", "(a*)*c", "^(a|aa)+$", "(.*a){20}"};
	char *s = malloc(10002);
	struct timespec t0, t1;

	(void)state;
	memset(s, 'a', 10000);
	s[10000] = 'b';
	s[10001] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(pats); i++) {
		int r;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = match(pats[i], s);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		assert_true(r == 0 || r == 1 || r == -ETIME);
		/* generous for valgrind/ASan; without limits this takes years */
		assert_true((t1.tv_sec - t0.tv_sec) < 20);
	}
	free(s);
}

/*
 * nfd__regex_compile_match() (InRegexp): the same verdicts and messages as
 * nfd__regex_compile(), the same matches; a plain string is matched without
 * PCRE2, and a search of it compiles it then.
 */
static void test_match_only(void **state)
{
	static const char *const pats[] = {
		"^AVX512",  "512",     "^03",	"^0300$", "10de$",
		"",	    "^",       "$",	"^$",	  "a b/c,d:e=f@g%h",
		"^(03|02)", "^0[3-4]", "a.b",	"(",	  "a**",
		"\\",	    "(?=a)",   "\\xZZ", "[a",
	};
	static const char *const subjects[] = {
		"AVX512F", "0300", "0302", "1003", "", "10de", "a b/c,d:e=f@g%h", "axb", "03"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(pats); i++) {
		struct nfd_regex *a = NULL, *b = NULL;
		char *ea = NULL, *eb = NULL;
		int ra = nfd__regex_compile(pats[i], &a, &ea);
		int rb = nfd__regex_compile_match(pats[i], &b, &eb);

		if (ra != rb)
			fail_msg("%s: %d, %d", pats[i], ra, rb);
		if (ra < 0) {
			assert_string_equal(ea, eb);
			free(ea);
			free(eb);
			continue;
		}
		for (size_t j = 0; j < ARRAY_SIZE(subjects); j++) {
			struct nfd_regex_scratch *sa = nfd__regex_scratch_new();
			struct nfd_regex_scratch *sb = nfd__regex_scratch_new();
			size_t len = strlen(subjects[j]), oa[4], ob[4], pa, pb;
			uint64_t cost = 0;

			assert_non_null(sa);
			assert_non_null(sb);
			assert_int_equal(nfd__regex_match(a, subjects[j], len, sa, &cost),
					 nfd__regex_match(b, subjects[j], len, sb, &cost));
			assert_int_equal(
				nfd__regex_search(a, subjects[j], len, 0, oa, 2, &pa, &cost),
				nfd__regex_search(b, subjects[j], len, 0, ob, 2, &pb, &cost));
			nfd__regex_scratch_free(sa);
			nfd__regex_scratch_free(sb);
		}
		nfd__regex_free(a);
		nfd__regex_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_hostile_bounded),
		cmocka_unit_test(test_match_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
