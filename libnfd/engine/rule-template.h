/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * labelsTemplate / varsTemplate: Go's text/template with Sprig's text
 * functions, as NFD runs them (doc/templates.md).
 *
 *   rule-template-lex.c      the lexer
 *   rule-template.c          the parser (syntax, functions, variables)
 *   rule-template-exec.c     the executor (actions, control flow, budget)
 *   rule-template-value.c    values: truth, printing, comparison, helpers
 *   rule-template-fmt.c      Go's fmt.Sprintf
 *   rule-template-builtin.c  text/template's own functions
 *   rule-template-sprig-*.c  Sprig's functions (strings, lists, math ...)
 *   rule-template-semver.c   Sprig's semver and semverCompare
 *   rule-template-vars.c     matched-element data in, key=value lines out
 */
#pragma once

#include "libnfd/engine/engine.h"

enum tmpl_kind {
	TMPL_NIL, /* Go's untyped nil (a nil interface) */
	TMPL_STR,
	TMPL_INT,
	TMPL_FLOAT,
	TMPL_BOOL,
	TMPL_MAP,
	TMPL_LIST,
};

/* The Go type behind a value, where the kind alone does not say it (%T). */
enum tmpl_sub {
	TMPL_SUB_NONE,	  /* int, []interface {} */
	TMPL_SUB_INT64,	  /* int64 */
	TMPL_SUB_UINT8,	  /* uint8: index of a string */
	TMPL_SUB_RUNE,	  /* int32: a character constant */
	TMPL_SUB_STRINGS, /* []string */
	TMPL_SUB_INTS,	  /* []int */
};

struct tmpl_map;
struct tmpl_list;

/* A template value: the matched-feature data and what pipelines compute. */
struct tmpl_val {
	enum tmpl_kind k;
	unsigned char sub; /* enum tmpl_sub */
	const char *s;
	int64_t i;
	double f;
	bool b;
	const struct tmpl_map *m;
	const struct tmpl_list *l;
};

struct tmpl_map {
	const char **keys; /* sorted, unique */
	struct tmpl_val *vals;
	size_t n;
	bool elem; /* a map[string]string: missing keys index as "" */
	/* The zero value of the elements, which index gives for a missing key:
	 * NFD's data is typed (map[string]map[string][]MatchedElement). */
	unsigned char zero; /* enum tmpl_zero */
};

enum tmpl_zero {
	TMPL_ZERO_NIL,	    /* interface {}: nil */
	TMPL_ZERO_LIST,	    /* a nil list */
	TMPL_ZERO_LIST_MAP, /* a nil map whose zero is a nil list */
};

struct tmpl_list {
	struct tmpl_val *items;
	size_t n;
};

/* ------------------------------------------------------------ parse tree */

enum tmpl_arg_kind {
	TMPL_ARG_DOT,	/* . or .a.b */
	TMPL_ARG_VAR,	/* $ or $x or $x.a */
	TMPL_ARG_CONST, /* string, number, char or bool literal */
	TMPL_ARG_NIL,
	TMPL_ARG_FUNC,
	TMPL_ARG_PIPE, /* (pipeline), maybe followed by .a.b */
};

struct tmpl_pipe;
struct tmpl_func;

struct tmpl_arg {
	enum tmpl_arg_kind kind;
	const char *name; /* variable or function */
	const struct tmpl_func *fn;
	const char **fields;
	size_t n_fields;
	struct tmpl_val val; /* TMPL_ARG_CONST */
	bool untyped;	     /* a number literal: Go converts it to the parameter's type */
	struct tmpl_pipe *pipe;
};

struct tmpl_cmd {
	struct tmpl_arg *args;
	size_t n_args;
	unsigned line, col;
};

struct tmpl_pipe {
	const char *vars[2];
	size_t n_vars;
	bool assign; /* = rather than := */
	struct tmpl_cmd *cmds;
	size_t n_cmds;
};

enum tmpl_node_kind {
	TMPL_NODE_TEXT,
	TMPL_NODE_ACTION,
	TMPL_NODE_IF,
	TMPL_NODE_RANGE,
	TMPL_NODE_WITH,
	TMPL_NODE_TEMPLATE, /* {{template "name" pipeline}}, and block */
	TMPL_NODE_BREAK,
	TMPL_NODE_CONTINUE,
};

struct tmpl_node {
	enum tmpl_node_kind kind;
	const char *text; /* TEXT: the text; TEMPLATE: the name */
	size_t len;
	struct tmpl_pipe *pipe; /* NULL for a template call without one */
	struct tmpl_node *body, *else_body;
	struct tmpl_node *next;
	unsigned line, col;
};

struct tmpl_define {
	const char *name;
	struct tmpl_node *root;
};

struct nfd_template {
	struct tmpl_node *root;
	struct tmpl_define *defs; /* {{define}} and {{block}} */
	size_t n_defs;
};

#define TEMPLATE_MAX_DEPTH 100
/* lists in lists in ...: deeper values print as "[...]" and do not compare */
#define TMPL_MAX_VALUE_DEPTH 1000

/* ------------------------------------------------------------- execution */

/*
 * Bounds on what one run may cost.  Go has none, but a spec may come from a
 * registry: "{{$x = print $x $x}}" doubles a string per action and nested
 * ranges multiply, so without them a small spec exhausts memory or time.
 * No real template comes near them (doc/templates.md).
 */
#define TMPL_MAX_OUTPUT	    (1024 * 1024)      /* one string, and the whole output */
#define TMPL_MAX_PRODUCED   (16 * 1024 * 1024) /* all strings, lists, maps built in one run */
#define TMPL_MAX_STEPS	    (1u << 20)	       /* nodes, iterations and calls in one run */
#define TMPL_BYTES_PER_STEP 64		       /* bytes built that cost one step of a run */
/* ... and one unit of the evaluation's work budget: building bytes (page
 * faults, copies) costs far more than a step */
#define TMPL_BYTES_PER_UNIT 2

struct tmpl_var {
	const char *name;
	struct tmpl_val v;
};

struct tmpl_exec {
	struct arena *a;
	const struct nfd_template *t;
	struct strbuf *out;
	const char *err;
	struct tmpl_var *vars; /* malloc'ed stack */
	size_t n_vars, cap_vars;
	unsigned depth;
	uint64_t steps;
	uint64_t *budget; /* the evaluation's, or NULL */
	size_t produced;
	struct nfd_regex_scratch *scratch;
	unsigned line, col; /* of the command running, for messages */
};

typedef int (*tmpl_fn)(struct tmpl_exec *x, const struct tmpl_val *args, size_t n,
		       struct tmpl_val *ret);

struct tmpl_func {
	const char *name;
	tmpl_fn fn;
	short min, max; /* argument counts, max -1: any */
};

/* NULL-terminated tables, one per file. */
extern const struct tmpl_func nfd__tmpl_builtin_funcs[];
extern const struct tmpl_func nfd__tmpl_sprig_str_funcs[];
extern const struct tmpl_func nfd__tmpl_sprig_list_funcs[];
extern const struct tmpl_func nfd__tmpl_sprig_math_funcs[];
extern const struct tmpl_func nfd__tmpl_sprig_enc_funcs[];
extern const struct tmpl_func nfd__tmpl_sprig_semver_funcs[];
extern const struct tmpl_func nfd__tmpl_sprig_regex_funcs[];

/*
 * Writing a function of a tmpl_func table (the sprig files): its signature
 * (n: the argument count, already checked against the table's min and max),
 * and a function that is one call of a shared implementation, e.g.
 *
 *	TMPL_FN_CALL(fn_upper, map_chars(x, a, to_upper, ret))
 */
#define TMPL_FN(name)                                                                              \
	static int name(struct tmpl_exec *x, const struct tmpl_val *a, size_t n,                   \
			struct tmpl_val *ret)
#define TMPL_FN_CALL(name, call)                                                                   \
	TMPL_FN(name)                                                                              \
	{                                                                                          \
		(void)n;                                                                           \
		return call;                                                                       \
	}
/* In a TMPL_FN: argument i as a string (an int) named var, or return -EINVAL
 * with Go's "wrong type for value" error set. */
#define TMPL_WANT_STR(i, var)                                                                      \
	const char *var;                                                                           \
	if (nfd__tmpl_want_str(x, &a[i], &var) < 0)                                                \
		return -EINVAL;
#define TMPL_WANT_INT(i, var)                                                                      \
	int64_t var;                                                                               \
	if (nfd__tmpl_want_int(x, &a[i], &var) < 0)                                                \
		return -EINVAL;

/* The function a template may call by that name, or NULL. */
const struct tmpl_func *nfd__tmpl_func_find(const char *name);

/* Set x->err (the first error wins); returns -EINVAL. */
int nfd__tmpl_err(struct tmpl_exec *x, const char *fmt, ...) _printf_(2, 3);
/* Count n steps against the run's limit and the evaluation's budget. */
int nfd__tmpl_charge(struct tmpl_exec *x, uint64_t n);
/* Count building n bytes: TMPL_BYTES_PER_STEP steps of the run,
 * TMPL_BYTES_PER_UNIT units of the budget. */
int nfd__tmpl_charge_bytes(struct tmpl_exec *x, uint64_t n);
/* An arena copy of what sb built (sb released), counted against the limits;
 * NULL with x->err set. */
const char *nfd__tmpl_take(struct tmpl_exec *x, struct strbuf *sb);
/* nfd__tmpl_take() as a function's string result in *ret: 0, or -EINVAL
 * with x->err set. */
int nfd__tmpl_take_str(struct tmpl_exec *x, struct strbuf *sb, struct tmpl_val *ret);
void *nfd__tmpl_alloc(struct tmpl_exec *x, size_t size);

/* values (rule-template-value.c) */
struct tmpl_val nfd__tmpl_str(const char *s);
struct tmpl_val nfd__tmpl_int(int64_t i);
struct tmpl_val nfd__tmpl_int64(int64_t i);
struct tmpl_val nfd__tmpl_float(double f);
struct tmpl_val nfd__tmpl_bool(bool b);
bool nfd__tmpl_truth(const struct tmpl_val *v);
bool nfd__tmpl_empty(const struct tmpl_val *v); /* Sprig's empty */
const char *nfd__tmpl_type_name(const struct tmpl_val *v);
const char *nfd__tmpl_kind_name(const struct tmpl_val *v); /* reflect.Kind */
/* fmt's %v; top: a top-level action prints a nil value as "<no value>" */
void nfd__tmpl_print(struct strbuf *sb, const struct tmpl_val *v, bool top);
/* Go's %v of a float64 (strconv 'g', shortest, exponent at < 1e-4 or >= 1e21) */
void nfd__tmpl_print_float(struct strbuf *sb, double f, char verb, int prec, bool sharp);
/* Sprig's strval: a string as it is, anything else as %v (nil: "<nil>") */
const char *nfd__tmpl_strval(struct tmpl_exec *x, const struct tmpl_val *v);
const struct tmpl_val *nfd__tmpl_map_get(const struct tmpl_map *m, const char *key);
/* Go's eq and lt for two values: 0 or -EINVAL with the error set */
int nfd__tmpl_eq(struct tmpl_exec *x, const struct tmpl_val *a, const struct tmpl_val *b,
		 bool *ret);
int nfd__tmpl_lt(struct tmpl_exec *x, const struct tmpl_val *a, const struct tmpl_val *b,
		 bool *ret);
bool nfd__tmpl_deep_equal(const struct tmpl_val *a, const struct tmpl_val *b);
/* A new list or map of n entries (zeroed), NULL with x->err set. */
struct tmpl_list *nfd__tmpl_list_new(struct tmpl_exec *x, size_t n);
struct tmpl_map *nfd__tmpl_map_new(struct tmpl_exec *x, size_t n);
/* Build a map from unsorted keys (later duplicates win). */
int nfd__tmpl_map_from(struct tmpl_exec *x, const char **keys, const struct tmpl_val *vals,
		       size_t n, struct tmpl_val *ret);
/* Typed parameters as Go's reflection checks them for a function fn. */
int nfd__tmpl_want_str(struct tmpl_exec *x, const struct tmpl_val *v, const char **ret);
int nfd__tmpl_want_int(struct tmpl_exec *x, const struct tmpl_val *v, int64_t *ret);
/* cast.ToInt64 / cast.ToFloat64 as Sprig uses them (anything; errors give 0) */
int64_t nfd__tmpl_to_int64(const struct tmpl_val *v);
double nfd__tmpl_to_float(const struct tmpl_val *v);
/* Sprig's strslice: a list's strings, a string alone, nil none */
int nfd__tmpl_strslice(struct tmpl_exec *x, const struct tmpl_val *v, const char ***ret,
		       size_t *ret_n);

/* fmt.Sprintf (rule-template-fmt.c), appended to sb */
void nfd__tmpl_sprintf(struct strbuf *sb, const char *format, const struct tmpl_val *args,
		       size_t n);

/* ---------------------------------------------------------------- entries */

/* data[dom][nam] of one matcher: the matched elements (rule.c collects them) */
struct nfd_elems_entry {
	const char *dom, *nam; /* nam NULL: only the domain exists */
	struct tmpl_val *items;
	size_t n, cap;
};

/*
 * Parse src as Go's template.New("").Funcs(sprig minus env, expandenv,
 * getHostByName).Parse(src) does: syntax, undefined functions and
 * variables are errors here.  On -EINVAL *ret_err (arena string) says why.
 * Everything lives in a.
 */
int nfd__template_parse(struct arena *a, const char *src, const struct nfd_template **ret,
			const char **ret_err);
/*
 * Run t on data with missingkey=error, appending to out.  budget: the
 * evaluation's work budget, decremented by the steps this run takes (NULL:
 * only the per-run limits).  On -EINVAL *ret_err (arena string) says why.
 */
int nfd__template_execute(struct arena *a, const struct nfd_template *t,
			  const struct tmpl_val *data, struct strbuf *out, uint64_t *budget,
			  const char **ret_err);

/*
 * floor() and ceil() without libm: compilers inline those only for some
 * targets and levels (clang at any level, and gcc at -O0, call libm's),
 * and libnfd links no libm (a shared object less to load at every start).
 * Exact: below 2**52 in magnitude the truncation to int64_t is exact;
 * from there on, and for NaN and the infinities, x is its own floor.
 * The sign of zero is kept as C's and Go's functions keep it
 * (floor(-0.0) is -0, ceil(-0.5) is -0).
 */
static inline double nfd__floor(double x)
{
	double t;

	if (!(x > -0x1p52 && x < 0x1p52) || x == 0)
		return x;
	t = (double)(int64_t)x;
	return t > x ? t - 1 : t;
}

static inline double nfd__ceil(double x)
{
	return -nfd__floor(-x);
}
