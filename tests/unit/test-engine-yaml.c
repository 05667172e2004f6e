/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The house YAML reader (spec-yaml-fast.c): the documents it reads give the
 * tree libyaml gives (kinds, text, plain, line:column); everything outside
 * its subset is left to libyaml, whose verdicts and messages stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/spec-yaml.h"
#include "shared/arena.h"

/* The house reader accepts yaml, and its tree is libyaml's. */
static struct ynode *read_same(struct arena *a, const char *yaml)
{
	struct arena b = {0};
	struct ynode *fast = NULL, *lib = NULL;
	const char *msg = NULL;
	int r = nfd__yaml_fast_load(a, yaml, strlen(yaml), &fast);

	if (r != 1)
		fail_msg("the house reader gave up on:\n%s", yaml);
	assert_int_equal(nfd__yaml_load_libyaml(&b, yaml, strlen(yaml), &lib, &msg), 0);
	if (!nfd__yaml_tree_equal(fast, lib))
		fail_msg("the trees differ for:\n%s", yaml);
	arena_release(&b);
	return fast;
}

/* The house reader leaves yaml to libyaml, and nfd__yaml_load() answers as
 * libyaml does (same result, same message). */
static void gives_up(const char *yaml, size_t len)
{
	struct arena a = {0}, b = {0};
	struct ynode *fast = NULL, *lib = NULL, *both = NULL;
	const char *msg_lib = NULL, *msg = NULL;
	int rl, r;

	if (nfd__yaml_fast_load(&a, yaml, len, &fast) != 0)
		fail_msg("the house reader took:\n%s", yaml);
	rl = nfd__yaml_load_libyaml(&b, yaml, len, &lib, &msg_lib);
	r = nfd__yaml_load(&a, yaml, len, &both, &msg);
	assert_int_equal(r, rl);
	if (rl < 0)
		assert_string_equal(msg, msg_lib);
	else
		assert_true(nfd__yaml_tree_equal(both, lib));
	arena_release(&a);
	arena_release(&b);
}

#define GIVES_UP(s) gives_up((s), sizeof(s) - 1)

static void test_same_tree(void **state)
{
	static const char *const docs[] = {
		"a: b\n",
		"a: b",
		"---\na: b\n",
		"# head\n\nversion: v1alpha1   # the version\ncompatibilities:\n"
		"- description: set 0\n  weight: 100\n  tag: t0\n  rules:\n"
		"  - name: rule-0\n    matchFeatures:\n    - feature: cpu.cpuid\n"
		"      matchExpressions:\n        FLAG00: {op: Exists}\n"
		"        AVX2: {op: Exists}\n"
		"  - name: rule-1\n    matchFeatures:\n    - feature: kernel.config\n"
		"      matchExpressions:\n"
		"        OPTION_0013: {op: In, value: [\"y\", \"m\"]}\n"
		"        full: {op: Ge, value: ['5.15'], type: version}\n",
		/* empty values, at the end and before the next key */
		"a:\nb:   \nc: # note\nd:",
		"x:\n  a:\n  b: 1\n",
		/* indentless and indented sequences, compact mappings */
		"a:\n- 1\n- b: 2\n  c: 3\n- [x, y]\nd:\n    - e\n    -   f\n",
		"- a\n- b: c\n  d:\n  - e\n",
		"  a: 1\n  b:\n    c: d\n",
		/* quoting: escapes, '' and the plain flag */
		"a: \"x \\\"y\\\" \\\\ z\"\nb: 'it''s'\nc: \"\"\nd: ''\n\"e\": 'f'\n'g h': 1\n",
		/* plain scalars with inner colons, hashes, quotes and spaces */
		"url: http://x.y/z:1\nw: a#b c\nq: it's \"so\"\ns: set 0  \nn: -1\nf: .5\n"
		"t: ~\nk[1]: v{2}\n",
		/* flow collections */
		"a: []\nb: {}\nc: [ 1 ,2 , \"3\" ]\nd: {x: [a, {y: z}], 'w': \"v\"}\ne: [-1, .5, a "
		"b]\n",
		/* comments and blank lines anywhere */
		"a:\n\n  # c\n  b: 1\n# c\n\nc: 2\n   # c\n",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct arena a = {0};

		read_same(&a, docs[i]);
		arena_release(&a);
	}
}

static const struct ynode *get(const struct ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->items[i]->text, key) == 0)
			return map->items[i + 1];
	fail_msg("no key %s", key);
	return NULL;
}

static void test_positions(void **state)
{
	struct arena a = {0};
	const struct ynode *root =
		read_same(&a, "k: v\nempty:\nseq:\n- x\n- 'q': [a, {b: c}]\n  n: \"d\"\n");
	const struct ynode *n;

	assert_int_equal(root->kind, YNODE_MAP);
	assert_int_equal(root->pos.line, 1);
	assert_int_equal(root->pos.col, 1);
	n = get(root, "empty");
	/* the null just after the colon */
	assert_int_equal(n->kind, YNODE_SCALAR);
	assert_true(n->plain);
	assert_int_equal(n->len, 0);
	assert_int_equal(n->pos.line, 2);
	assert_int_equal(n->pos.col, 7);
	n = get(root, "seq");
	assert_int_equal(n->kind, YNODE_SEQ);
	assert_int_equal(n->pos.line, 4);
	assert_int_equal(n->pos.col, 1);
	n = n->items[1];
	assert_int_equal(n->kind, YNODE_MAP);
	assert_int_equal(n->pos.col, 3);
	assert_false(n->items[0]->plain);
	assert_int_equal(n->items[1]->pos.col, 8);	      /* [ */
	assert_int_equal(n->items[1]->items[1]->pos.col, 12); /* { */
	n = get(n, "n");
	assert_int_equal(n->pos.line, 6);
	assert_int_equal(n->pos.col, 6);
	assert_false(n->plain);
	assert_string_equal(n->text, "d");
	arena_release(&a);
}

static void test_gives_up(void **state)
{
	/* outside the subset: libyaml reads them, the same as before */
	GIVES_UP("");
	GIVES_UP("# only a comment\n");
	GIVES_UP("scalar\n");
	GIVES_UP("a: &x 1\nb: *x\n");
	GIVES_UP("a: !!str 1\n");
	GIVES_UP("a: |\n  text\n");
	GIVES_UP("a: >\n  text\n");
	GIVES_UP("a: multi\n  line\n");
	GIVES_UP("a: [1,\n  2]\n");
	GIVES_UP("a: \"x\\ty\"\n");
	GIVES_UP("a: \"two\n  lines\"\n");
	GIVES_UP("a:\tb\n");
	GIVES_UP("a: b\r\n");
	GIVES_UP("\xef\xbb\xbf"
		 "a: b\n");
	GIVES_UP("a: \xc3\xa9\n");
	GIVES_UP("a: \xff\n");
	GIVES_UP("a: b\x00\n");
	GIVES_UP("%YAML 1.1\n---\na: b\n");
	GIVES_UP("a: b\n---\nc: d\n");
	GIVES_UP("a: b\n...\n");
	GIVES_UP("--- a: b\n");
	GIVES_UP("a : b\n");
	GIVES_UP("? a\n: b\n");
	GIVES_UP("- \n- a\n");
	GIVES_UP("- - a\n");
	GIVES_UP("{\"a\": 1,\n \"b\": 2}\n");
	GIVES_UP("[a]\n");
	/* what libyaml rejects, with its message */
	GIVES_UP("a: b: c\n");
	GIVES_UP("a: b\n  c: d\n");
	GIVES_UP("a:\n    b: 1\n  c: 2\n");
	GIVES_UP("a:\n  - 1\n  b: 2\n");
	GIVES_UP("a: 1\n- b\n");
	GIVES_UP("a: [1, 2\n");
	GIVES_UP("a: [1, 2,]\n");
	GIVES_UP("a: {b}\n");
	GIVES_UP("a: {b: }\n");
	GIVES_UP("a: 'x\n");
	GIVES_UP("a: \"x\" y\n");
	GIVES_UP("a: \"x\"# c\n");
	GIVES_UP("a: - b\n");
	GIVES_UP("- a\nb: c\n");
	GIVES_UP("a: b\n c\n");
	GIVES_UP("a: [b: c]\n");
	GIVES_UP("a: {b:c}\n");
	GIVES_UP("a: @b\n");
	GIVES_UP("a: `b\n");
}

/* The tree is checked deep; a spec nested past the limit is libyaml's. */
static void test_depth(void **state)
{
	char doc[16384], *w = doc;

	for (int i = 0; i < 70; i++)
		w += sprintf(w, "%*sk:\n", 2 * i, "");
	w += sprintf(w, "%*sk: v\n", 2 * 70, "");
	gives_up(doc, strlen(doc));
}

/* Every YAML 1.1 word in each of its spellings, and words that are not. */
static void test_words(void **state)
{
	static const struct {
		const char *s;
		enum nfd_yaml_word w;
	} cases[] = {
		{"", NFD_YAML_WORD_NULL},
		{"~", NFD_YAML_WORD_NULL},
		{"null", NFD_YAML_WORD_NULL},
		{"Null", NFD_YAML_WORD_NULL},
		{"NULL", NFD_YAML_WORD_NULL},
		{"y", NFD_YAML_WORD_TRUE},
		{"Y", NFD_YAML_WORD_TRUE},
		{"yes", NFD_YAML_WORD_TRUE},
		{"Yes", NFD_YAML_WORD_TRUE},
		{"YES", NFD_YAML_WORD_TRUE},
		{"true", NFD_YAML_WORD_TRUE},
		{"True", NFD_YAML_WORD_TRUE},
		{"TRUE", NFD_YAML_WORD_TRUE},
		{"on", NFD_YAML_WORD_TRUE},
		{"On", NFD_YAML_WORD_TRUE},
		{"ON", NFD_YAML_WORD_TRUE},
		{"n", NFD_YAML_WORD_FALSE},
		{"N", NFD_YAML_WORD_FALSE},
		{"no", NFD_YAML_WORD_FALSE},
		{"No", NFD_YAML_WORD_FALSE},
		{"NO", NFD_YAML_WORD_FALSE},
		{"false", NFD_YAML_WORD_FALSE},
		{"False", NFD_YAML_WORD_FALSE},
		{"FALSE", NFD_YAML_WORD_FALSE},
		{"off", NFD_YAML_WORD_FALSE},
		{"Off", NFD_YAML_WORD_FALSE},
		{"OFF", NFD_YAML_WORD_FALSE},
		{".nan", NFD_YAML_WORD_NAN},
		{".NaN", NFD_YAML_WORD_NAN},
		{".NAN", NFD_YAML_WORD_NAN},
		{".inf", NFD_YAML_WORD_POS_INF},
		{".Inf", NFD_YAML_WORD_POS_INF},
		{".INF", NFD_YAML_WORD_POS_INF},
		{"+.inf", NFD_YAML_WORD_POS_INF},
		{"+.Inf", NFD_YAML_WORD_POS_INF},
		{"+.INF", NFD_YAML_WORD_POS_INF},
		{"-.inf", NFD_YAML_WORD_NEG_INF},
		{"-.Inf", NFD_YAML_WORD_NEG_INF},
		{"-.INF", NFD_YAML_WORD_NEG_INF},
		/* not words: other spellings, near misses, longer ones */
		{"nULL", NFD_YAML_WORD_NONE},
		{"NuLL", NFD_YAML_WORD_NONE},
		{"nul", NFD_YAML_WORD_NONE},
		{"nulls", NFD_YAML_WORD_NONE},
		{"yES", NFD_YAML_WORD_NONE},
		{"tRUE", NFD_YAML_WORD_NONE},
		{"oN", NFD_YAML_WORD_NONE},
		{"nO", NFD_YAML_WORD_NONE},
		{"oFF", NFD_YAML_WORD_NONE},
		{"fALSE", NFD_YAML_WORD_NONE},
		{".Nan", NFD_YAML_WORD_NONE},
		{".nAN", NFD_YAML_WORD_NONE},
		{".iNF", NFD_YAML_WORD_NONE},
		{"-.nan", NFD_YAML_WORD_NONE},
		{"+.NaN", NFD_YAML_WORD_NONE},
		{"-.iNF", NFD_YAML_WORD_NONE},
		{"inf", NFD_YAML_WORD_NONE},
		{"nan", NFD_YAML_WORD_NONE},
		{"+inf", NFD_YAML_WORD_NONE},
		{"~~", NFD_YAML_WORD_NONE},
		{"yy", NFD_YAML_WORD_NONE},
		{"t", NFD_YAML_WORD_NONE},
		{"f", NFD_YAML_WORD_NONE},
		{"o", NFD_YAML_WORD_NONE},
		{"-", NFD_YAML_WORD_NONE},
		{".", NFD_YAML_WORD_NONE},
		{"name", NFD_YAML_WORD_NONE},
		{"feature", NFD_YAML_WORD_NONE},
		{"op", NFD_YAML_WORD_NONE},
		{"type", NFD_YAML_WORD_NONE},
		{"tag", NFD_YAML_WORD_NONE},
		{"falsey", NFD_YAML_WORD_NONE},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (nfd__yaml_word(cases[i].s, strlen(cases[i].s)) != cases[i].w)
			fail_msg("\"%s\": %d, expected %d", cases[i].s,
				 (int)nfd__yaml_word(cases[i].s, strlen(cases[i].s)),
				 (int)cases[i].w);
}

/* Both loaders resolve every scalar once, as yaml.v2 does; a scalar that
 * reads as it is written keeps its text. */
static void test_resolve(void **state)
{
	static const struct {
		const char *key, *str;
		enum yscalar_type type;
		bool same; /* str is the text itself */
	} cases[] = {
		{"a", "true", YSCALAR_BOOL, false},
		{"b", "0200", YSCALAR_STRING, true},
		{"c", "128", YSCALAR_INT, false},
		{"d", "", YSCALAR_NULL, false},
		{"e", "-Inf", YSCALAR_FLOAT, false},
		{"f", "+Inf", YSCALAR_FLOAT, false},
		{"g", "6.1", YSCALAR_FLOAT, false},
		{"h", "1000", YSCALAR_INT, false},
		{"i", "0x1FFFFFFFFFFFFFFFFFFFF", YSCALAR_BIGINT, true},
		{"r", "1.2345679e+29", YSCALAR_FLOAT, false},
		{"j", "2001-12-14T00:00:00Z", YSCALAR_TIMESTAMP, false},
		{"k", "text", YSCALAR_STRING, true},
		{"l", "", YSCALAR_NULL, true},
		{"m", "42", YSCALAR_INT, true},
		{"n", "true", YSCALAR_BOOL, true},
		{"o", "NaN", YSCALAR_FLOAT, false},
		{"p", "yes", YSCALAR_STRING, true},
		{"q", "false", YSCALAR_BOOL, false},
	};
	static const char yaml[] = "a: yes\nb: '0200'\nc: 0200\nd: ~\ne: -.inf\nf: .Inf\n"
				   "g: 6.10\nh: 1_000\ni: 0x1FFFFFFFFFFFFFFFFFFFF\n"
				   "j: 2001-12-14\nk: text\nl:\nm: 42\nn: true\no: .nan\n"
				   "p: \"yes\"\nq: [Off]\nr: 123456789012345678901234567890\n";
	struct arena a = {0};
	const struct ynode *root = read_same(&a, yaml);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ynode *n = get(root, cases[i].key);

		if (n->kind == YNODE_SEQ)
			n = n->items[0];
		assert_string_equal(n->str, cases[i].str);
		assert_int_equal(n->stype, cases[i].type);
		assert_int_equal(n->str == n->text, cases[i].same);
	}
	/* keys are resolved too */
	assert_int_equal(root->items[0]->stype, YSCALAR_STRING);
	assert_ptr_equal(root->items[0]->str, root->items[0]->text);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_tree), cmocka_unit_test(test_positions),
		cmocka_unit_test(test_gives_up),  cmocka_unit_test(test_depth),
		cmocka_unit_test(test_words),	  cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
