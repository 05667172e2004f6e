/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The compatibility engine's private model: a parsed spec (sets -> rules ->
 * matchers -> terms -> expressions), the expression evaluator and the rule
 * evaluator that produces report data.  Semantics follow doc/semantics.md;
 * section numbers below refer to it.
 */
#pragma once

#include <stdint.h>

#include "libnfd/libnfd-internal.h"
#include "shared/arena.h"

/* --------------------------------------------------------- numbers, versions */

/* Go strconv.Atoi on 64-bit: ^[+-]?[0-9]+$ within int64.  0 or -EINVAL/-ERANGE. */
int nfd__parse_int(const char *s, int64_t *ret);

/* Masterminds semver (coercing), pre-release dropped, metadata ignored (doc/semantics.md §3.4). */
struct nfd_version {
	uint64_t major, minor, patch;
};
int nfd__version_parse(const char *s, struct nfd_version *ret);
int nfd__version_cmp(const struct nfd_version *a, const struct nfd_version *b);

/* ------------------------------------------------------------------ regex */

struct nfd_regex;
/* RE2 syntax checked, then compiled by PCRE2.  On error *ret_err is a
 * malloc'ed message.  Returns 0, -EINVAL (bad pattern), -ENOMEM, -ENOTSUP
 * (libpcre2-8 cannot be loaded: libnfd opens it on first use). */
int nfd__regex_compile(const char *pattern, struct nfd_regex **ret, char **ret_err);
/* The same, for a pattern that nfd__regex_match() alone uses (InRegexp): a
 * plain string, maybe anchored ("^03", "AVX512"), is checked and matched
 * without PCRE2, which is then neither opened nor compiled for it (a
 * search compiles it on first use). */
int nfd__regex_compile_match(const char *pattern, struct nfd_regex **ret, char **ret_err);
void nfd__regex_free(struct nfd_regex *re);
/* Per-thread match scratch space (PCRE2 match data). */
struct nfd_regex_scratch;
struct nfd_regex_scratch *nfd__regex_scratch_new(void);
void nfd__regex_scratch_free(struct nfd_regex_scratch *s);
/*
 * The work of a match, in work-budget units (doc/limits.md): one per call
 * and per REGEX_BYTES_PER_UNIT bytes of subject, plus the backtracking
 * steps PCRE2 was allowed per REGEX_STEPS_PER_UNIT.  A match first runs
 * under a small step limit and, only if that is hit, again under limits 16
 * times larger up to the per-call limit: a pattern is charged at most 16
 * times (and about 1/15 more than) the steps it really took.
 */
#define REGEX_BYTES_PER_UNIT 64
#define REGEX_STEPS_PER_UNIT 4
/* 1 match, 0 no match, -ENOMEM, -ETIME (match limit: a hostile pattern).
 * *cost grows by the units spent, whatever the result. */
int nfd__regex_match(const struct nfd_regex *re, const char *s, size_t len,
		     struct nfd_regex_scratch *scratch, uint64_t *cost);
/*
 * Search s[start..len) (s whole, for ^ and \b): 1 with ovec[2*i], ovec[2*i+1]
 * the byte offsets of group i (SIZE_MAX when it took no part) for the
 * *ret_pairs <= max_pairs groups, 0 no match, -ENOMEM, -ETIME.  Templates'
 * regexFind, regexReplaceAll ... use it.  *cost as for nfd__regex_match().
 */
int nfd__regex_search(const struct nfd_regex *re, const char *s, size_t len, size_t start,
		      size_t *ovec, size_t max_pairs, size_t *ret_pairs, uint64_t *cost);

/* ------------------------------------------------------------ expressions */

enum nfd_op {
	NFD_OP_ANY, /* "" */
	NFD_OP_IN,
	NFD_OP_NOTIN,
	NFD_OP_INREGEXP,
	NFD_OP_EXISTS,
	NFD_OP_DOESNOTEXIST,
	NFD_OP_GT,
	NFD_OP_GE,
	NFD_OP_LT,
	NFD_OP_LE,
	NFD_OP_GTLT,
	NFD_OP_GELE,
	NFD_OP_ISTRUE,
	NFD_OP_ISFALSE,
	NFD_OP_INVALID,
};

struct nfd_pos {
	unsigned int line, col;
};

struct nfd_expr {
	enum nfd_op op;
	const char *op_name; /* as written */
	const char *const *values;
	size_t n_values;
	const char *type; /* "" when absent */
	const char *str;  /* NFD's String(): {op: "In", value: ["a"]} */
	struct nfd_pos pos;
	/*
	 * Resolved at parse time, reported lazily: NFD only notices a bad value
	 * list when the expression meets an element value (doc/semantics.md §3.1 step 3), so
	 * pre_err (count, type, regexps: checked before the node value) and
	 * post_err (bounds: checked after it) are messages, not parse errors.
	 */
	const char *pre_err;
	const char *post_err;
	bool version; /* type: version */
	struct nfd_regex **re;
	int64_t ints[2];
	struct nfd_version vers[2];
};

enum nfd_op nfd__op_from_name(const char *name);
/* Fill op, str and the compiled parts from op_name/values/type.  Problems
 * NFD would report at evaluation are stored, and also returned through
 * *ret_problem (arena string) for linting; -ENOMEM only. */
int nfd__expr_compile(struct arena *a, struct nfd_expr *e, const char **ret_problem);
void nfd__expr_release(struct nfd_expr *e); /* the regexes */

struct nfd_eval;
/*
 * E(expr, present, value) of doc/semantics.md §3: 1 true, 0 false, -EBADMSG (message set on
 * the evaluation's ctx), -ENOMEM.  value NULL means "no value" (a flag).
 */
int nfd__expr_eval(struct nfd_eval *ev, const struct nfd_expr *e, bool present, const char *value);

/* Go's strconv.Quote, appended to sb. */
void nfd__go_quote(struct strbuf *sb, const char *s);

/* ------------------------------------------------------------------- spec */

struct nfd_term {
	const char *feature;	/* as written */
	const char *feature_lc; /* lookup name */
	bool has_exprs;		/* matchExpressions present (may be empty) */
	size_t n_exprs;
	const char *const *names;    /* sorted */
	struct nfd_expr *exprs;	     /* parallel to names */
	struct nfd_expr *match_name; /* NULL when absent */
	size_t feature_id;	     /* index of feature_lc in spec->features */
	/* ids of (feature, element name) pairs for per-evaluation caches:
	 * value_ids[j] for expression j, name_value_id for matchName */
	size_t *value_ids;
	size_t name_value_id;
	/* terms that always give the same result share an id (spec-index.c):
	 * an evaluation computes it once; NFD_TERM_UNCACHED for rule.matched,
	 * which changes between rules.  hit_off: where its expressions' bits
	 * are kept in the evaluation's cache */
	size_t term_id;
	size_t hit_off;
	struct nfd_pos pos;
};

#define NFD_TERM_UNCACHED ((size_t)-1)

struct nfd_matcher {
	struct nfd_term *terms;
	size_t n_terms;
};

struct nfd_template;

struct nfd_rule {
	const char *name;
	const struct nfd_template *vars_template; /* NULL: none */
	const char *vars_template_err;		  /* a template that does not parse */
	const char *vars_template_src;		  /* as written; NULL: none */
	struct nfd_matcher match_features;
	struct nfd_matcher *match_any;
	size_t n_any;
	struct nfd_kv *vars; /* sorted by key, unique */
	size_t n_vars;
	size_t n_rows; /* report rows this rule produces */
	struct nfd_pos pos;
};

struct nfd_set {
	struct nfd_rule *rules;
	size_t n_rules;
	int weight;
	const char *tag;
	const char *description;
};

struct nfd_spec {
	int refcount;
	struct arena arena;
	const char *name;
	const char *version;
	struct nfd_set *sets;
	size_t n_sets;
	const char **warnings;
	size_t n_warnings;
	const char **problems;
	size_t n_problems;
	const char **sources; /* sorted, unique */
	size_t n_sources;
	const char **features; /* every term's lookup name, once, by feature_id */
	size_t n_features;
	size_t n_value_ids;	     /* distinct (feature, element name) pairs */
	size_t n_term_ids;	     /* distinct terms (nfd_term.term_id) */
	size_t n_term_hits;	     /* their expressions */
	struct nfd_expr **all_exprs; /* for releasing their regexes */
	size_t n_all_exprs;
	bool has_regex;
};

/* The largest spec accepted. */
#define NFD_SPEC_MAX_SIZE (4u * 1024 * 1024)

/*
 * Read a spec or rules file for nfd_spec_parse_file() and
 * nfd_rules_parse_file(): path ("-": stdin), at most NFD_SPEC_MAX_SIZE
 * bytes.  0 with *ret (malloc'ed, the caller frees it) and *ret_len, or
 * -errno with the message set; what ("specs") names the kind of file in the
 * message of a file too large (doc/limits.md), NULL for none.
 */
int nfd__spec_read_file(struct nfd_ctx *ctx, const char *path, const char *what, char **ret,
			size_t *ret_len);

/* A parser of a whole document (nfd_spec_parse(), nfd_rules_parse()); ret
 * is its typed out parameter. */
typedef int (*nfd__parse_buf_fn)(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name,
				 void *ret);
/*
 * The body of nfd_spec_parse_file() and nfd_rules_parse_file(): read path
 * with nfd__spec_read_file() and parse it, named "<stdin>" for "-".
 * @ctx: the context (-EINVAL when NULL)
 * @path: the file, or "-" (-EINVAL when NULL)
 * @what: as for nfd__spec_read_file()
 * @parse: the parser
 * @ret: (out) passed to parse (-EINVAL when NULL)
 * @return: what parse returned, or -errno of the read (message set)
 */
int nfd__parse_file(struct nfd_ctx *ctx, const char *path, const char *what,
		    nfd__parse_buf_fn parse, void *ret);

/* -------------------------------------------------------------- evaluation */

struct nfd_report;

/* A sorted set of key=value pairs; the strings are borrowed. */
struct nfd_kvs {
	struct nfd_kv *items;
	size_t n, cap;
};
/* Set key to value: replace it, or insert it in order.  0 or -ENOMEM. */
int nfd__kvs_set(struct nfd_kvs *s, const char *key, const char *value);

/* What a node has for a report row: each distinct value, and them joined
 * by ", " (the arena's; joined NULL: nothing). */
struct nfd_node_value {
	const char *joined;
	const char **items;
	size_t n;
};

/* An evaluation: the node, rule.matched as it grows (doc/semantics.md §7), scratch space. */
struct nfd_eval {
	struct nfd_ctx *ctx;
	const struct nfd_spec *spec;
	const struct nfd_features *features;
	struct nfd_kvs rm; /* rule.matched attributes */
	bool rm_exists;
	struct nfd_regex_scratch *scratch;
	/* per-matcher scratch: which expressions matched, per term */
	bool *hit;
	size_t cap_hit;
	/* the node's views of each spec feature, looked up once (by feature_id) */
	struct nfd_feature_views *views;
	bool *loaded;
	/* template data and vars: they live as long as the evaluation */
	struct arena arena;
	/* node values by value id, computed once (except for rule.matched) */
	struct nfd_node_value *node_values;
	bool *node_values_done;
	/* the report holds the (sealed) node: node values borrow its strings */
	bool borrow_values;
	/* nfd-master's failFast (NodeFeatureRule, NodeFeatureGroup): stop at
	 * the first failing term or expression (nfr-eval.c) */
	bool fail_fast;
	/* the work budget (doc/limits.md): units left, and the whole */
	uint64_t budget, budget_total;
	/* what each distinct term (nfd_term.term_id) gave, when a term of an
	 * earlier rule computed it; NULL: no cache (nfd_evaluate() has one) */
	struct nfd_term_cache *tcache;
	bool *tcache_hits; /* the expressions' bits, at nfd_term.hit_off */
};

/* A term's results: 0 not known yet, else 1 + the result. */
struct nfd_term_cache {
	uint8_t multi; /* matchExpressions */
	uint8_t names; /* matchName */
};

/* Start an evaluation's work budget from its context (budget.c). */
void nfd__eval_budget_init(struct nfd_eval *ev);
/* nfd__eval_charge() when the budget may not cover n (budget.c). */
int nfd__eval_charge_slow(struct nfd_eval *ev, uint64_t n);
/* Spend n units of the budget: 0, or -ETIME with the error set once it is
 * spent (then every later charge fails too).  Inline: it runs for every
 * expression on every element; an unlimited budget starts at UINT64_MAX
 * and is topped up by the slow path. */
static inline int nfd__eval_charge(struct nfd_eval *ev, uint64_t n)
{
	if (__builtin_expect(ev->budget > n, 1)) {
		ev->budget -= n;
		return 0;
	}
	return nfd__eval_charge_slow(ev, n);
}
/* The -ETIME error of a spent budget (ev->budget == 0). */
int nfd__eval_budget_error(struct nfd_eval *ev);

/* The feature's three views under its (lower-cased) lookup name. */
struct nfd_feature_views {
	bool exists;
	bool has_flags, has_attrs; /* non-nil maps (doc/semantics.md §1.1) */
	struct nfd__kvmap_view flags, attrs;
	size_t n_inst;
	struct nfd__kvmap_view *inst;
};
/* The views of a term's feature (cached for the evaluation); 0 or -ENOMEM. */
int nfd__eval_lookup(struct nfd_eval *ev, const struct nfd_term *t,
		     const struct nfd_feature_views **ret);
void nfd__eval_release(struct nfd_eval *ev);
const struct nfd_kv *nfd__kv_find(const struct nfd_kv *items, size_t n, const char *key);

/* What NFD's validate-node records while it evaluates one matcher (doc/semantics.md §9.2). */
struct nfd_matcher_result {
	bool match;
	/* hit[offset(term) + j]: expression j of term individually matched;
	 * mn_hit[term]: its matchName matched.  Only terms whose feature
	 * exists and that NFD records as processed have bits set. */
	bool *hit;
	bool *mn_hit;
	bool *processed;
};

/*
 * The matched elements of one matcher, the data templates see (doc/semantics.md §4.4):
 * data[dom][nam] = elements.  Built only for rules with a template.
 */
struct nfd_elems {
	struct arena *a;
	struct nfd_elems_entry *entries;
	size_t n, cap;
};

/* Evaluate a FeatureMatcher with failFast off (doc/semantics.md §5).  The result arrays are
 * sized by the caller: hit = sum(n_exprs), mn_hit and processed = n_terms.
 * elems, when not NULL, collects the matched elements. */
int nfd__matcher_eval(struct nfd_eval *ev, const struct nfd_matcher *m,
		      struct nfd_matcher_result *res, struct nfd_elems *elems);

/* Run rule's template on elems and merge its key=value lines into vars.
 * 0, -EBADMSG (message set), -ENOMEM. */
int nfd__template_vars(struct nfd_eval *ev, const struct nfd_rule *rule,
		       const struct nfd_elems *elems, struct nfd_kvs *vars);

/* Append to *hints (arena array) why terms of m failed although every
 * expression matched some instance ("no single pci.device has all of ...").
 * 0 or -ENOMEM. */
int nfd__explain_matcher(struct nfd_eval *ev, struct arena *a, const struct nfd_matcher *m,
			 const char ***hints, size_t *n_hints);

/* The node's value for a report row (nfd_report_row_get_node_value()):
 * 0 with ret->joined NULL (and no items) when the node has none to show,
 * or -ENOMEM. */
int nfd__node_value(struct nfd_eval *ev, struct arena *a, const struct nfd_term *t,
		    const char *name, size_t value_id, struct nfd_node_value *ret);

/* -------------------------------------------------------------------- report */

struct nfd_report_row {
	const char *feature;
	const char *name; /* "" for matchName */
	const struct nfd_expr *expr;
	const char *node_value; /* NULL: not present */
	/* with node_value NULL: why discovery could not read the feature
	 * (nfd__features_unreadable(), copied to the report), or NULL */
	const char *unreadable;
	/* the same, one item per distinct value (arena) */
	const char *const *node_values;
	size_t n_node_values;
	int any_index;
	unsigned int order; /* position before sorting: a stable tie-break */
	bool is_match_name;
	bool is_match;
};

struct nfd_report_rule {
	const char *name;
	bool is_match;
	struct nfd_report_row *rows;
	size_t n_rows;
	size_t n_any;	   /* matchAny elements */
	size_t *any_start; /* n_any + 1 offsets into rows; rows before [0] are matchFeatures' */
	/* explanations beyond the rows, for a failed rule (explain.c) */
	const char **hints;
	size_t n_hints;
};

struct nfd_report_set {
	const struct nfd_set *set;
	int spec_index;
	bool compatible;
	struct nfd_report_rule *rules;
	size_t n_rules;
};

struct nfd_report {
	int refcount;
	struct arena arena;
	struct nfd_spec *spec;
	/* the node, when sealed: node values borrow its strings; NULL: they
	 * are the arena's copies */
	struct nfd_features *features;
	struct nfd_report_set *sets;
	size_t n_sets;
	int best; /* the compatible set of the highest weight (the first of equals), or -ENOENT */
};

int nfd__report_to_json(const struct nfd_report *r, struct strbuf *sb);
/* width: fit the tables to this many columns, wrapping long cells; 0: NFD's
 * tables as they are. */
int nfd__report_to_text(const struct nfd_report *r, unsigned int flags, size_t width,
			struct strbuf *sb);
