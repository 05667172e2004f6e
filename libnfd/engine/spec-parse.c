/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Spec decoding: the YAML tree (spec-yaml.c) into sets, rules, terms and
 * compiled expressions, the way NFD's decoder reads it (doc/semantics.md §9.6): field names
 * match case-insensitively, unknown fields are ignored, scalars are coerced
 * to the strings Go's fields hold, and a value of the wrong shape is an
 * error.  Where an unquoted scalar is rewritten, a warning says so; where NFD
 * would fail only at evaluation (a bad op, a value count, a pattern), a
 * "problem" is recorded for `nfd compat validate-spec` and the expression
 * keeps NFD's lazy behaviour.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "libnfd/engine/spec-private.h"
#include "libnfd/engine/spec-yaml.h"
#include "libnfd/engine/rule-template.h"
#include "libnfd/engine/spec-decode.h"
#include "libnfd/sources.h"
#include "shared/array.h"

struct strvec {
	const char **v;
	size_t n, cap;
};

struct parser {
	struct nfd_ctx *ctx;
	struct nfd_spec *spec;
	struct arena *a;
	struct strvec warnings, problems, sources;
	struct nfd_expr **exprs;
	size_t n_exprs, cap_exprs;
};

static int strvec_push(struct strvec *sv, const char *s)
{
	if (!s || ARRAY_RESERVE(sv->v, sv->cap, sv->n + 1) < 0)
		return -ENOMEM;
	sv->v[sv->n++] = s;
	return 0;
}

static int perr(struct parser *p, const struct ynode *n, const char *fmt, ...) _printf_(3, 4);
static int perr(struct parser *p, const struct ynode *n, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_appendf(&sb, "%s:%u:%u: ", p->spec->name, n ? n->pos.line : 1, n ? n->pos.col : 1);
	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return nfd__oom(p->ctx);
	return nfd__error(p->ctx, EBADMSG, "%s", sb.buf);
}

/* A lint finding at n: a warning or a problem (arena string). */
static int note(struct parser *p, struct strvec *to, const struct ynode *n, const char *fmt, ...)
	_printf_(4, 5);
static int note(struct parser *p, struct strvec *to, const struct ynode *n, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_appendf(&sb, "%s:%u:%u: ", p->spec->name, n->pos.line, n->pos.col);
	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return nfd__oom(p->ctx);
	if (to == &p->warnings)
		nfd_warn(p->ctx, "%s", sb.buf);
	if (strvec_push(to, arena_strndup(p->a, sb.buf, sb.len)) < 0)
		return nfd__oom(p->ctx);
	return 0;
}

static const char *kind_name(const struct ynode *n)
{
	return n->kind == YNODE_SEQ ? "a list" : n->kind == YNODE_MAP ? "a mapping" : "a scalar";
}

static bool is_null(const struct ynode *n)
{
	static const char *const words[] = {"", "~", "null", "Null", "NULL"};

	if (!n || n->kind != YNODE_SCALAR || !n->plain)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (streq(n->text, words[i]))
			return true;
	return false;
}

/* A scalar decoded into a Go string field, warning where YAML 1.1 rewrites it. */
static int get_string(struct parser *p, const struct ynode *n, const char *what, const char **ret)
{
	enum yscalar_type t;
	int r;

	if (n->kind != YNODE_SCALAR)
		return perr(p, n, "%s must be a string, not %s", what, kind_name(n));
	r = nfd__yaml_scalar_string(p->a, n, ret, &t);
	if (r < 0)
		return nfd__oom(p->ctx);
	if (t == YSCALAR_BIGINT)
		return perr(p, n, "%s: number %s does not fit in 64 bits; quote it", what, n->text);
	if (!streq(*ret, n->text)) {
		if (t == YSCALAR_NULL)
			r = note(p, &p->warnings, n,
				 "unquoted %s is read as an empty string; quote it", n->text);
		else
			r = note(p, &p->warnings, n, "unquoted %s is read as %s; quote it", n->text,
				 *ret);
	}
	return r;
}

/* An optional string: absent or null leaves *ret as it is. */
static int get_opt_string(struct parser *p, const struct ynode *n, const char *what,
			  const char **ret)
{
	if (!n || is_null(n))
		return 0;
	return get_string(p, n, what, ret);
}

/* ---------------------------------------------------- struct field lookup */

struct field {
	const char *name;
	const struct ynode *value;
	const char *key; /* the key that set it */
};

/* Keys of NFD's Rule type that only a NodeFeatureRule acts on. */
static const char *const rule_ignored[] = {"labels", "labelsTemplate", "annotations", "taints",
					   "extendedResources"};

/*
 * A key no field takes.  NFD ignores it, which turns a typo such as
 * "matchExpression" into a term without expressions: a problem for the lint,
 * with the nearest field name.  Rule keys that only NodeFeatureRules use are
 * warnings.
 */
static int unknown_key(struct parser *p, const struct ynode *k, const char *key, const char *what,
		       const struct field *fields, size_t n_fields)
{
	const char *names[8];
	const char *near;
	size_t n = 0;

	/* the NodeFeatureRule decoder shares get_fields(): its objects and
	 * documents carry Kubernetes keys (apiVersion, metadata, ...) */
	if (streq(what, "the document") || streq(what, "the object"))
		return 0;
	if (streq(what, "a rule"))
		for (size_t i = 0; i < ARRAY_SIZE(rule_ignored); i++)
			if (strcasecmp(rule_ignored[i], key) == 0)
				return note(p, &p->warnings, k,
					    "\"%s\" is ignored in a compatibility spec (only a "
					    "NodeFeatureRule acts on it)",
					    key);
	for (size_t i = 0; i < n_fields && n < ARRAY_SIZE(names); i++)
		names[n++] = fields[i].name;
	near = nfd__lint_nearest(key, names, n);
	if (near)
		return note(p, &p->problems, k,
			    "unknown key \"%s\" in %s (NFD ignores it); did you mean \"%s\"?", key,
			    what, near);
	return note(p, &p->problems, k, "unknown key \"%s\" in %s (NFD ignores it)", key, what);
}

/*
 * Assign a mapping's entries to struct fields the way encoding/json does:
 * exact name first, else a case-insensitive match; unknown keys are ignored
 * as NFD ignores them, and reported (unknown_key()).
 * sigs.k8s.io/yaml hands json the keys sorted, so among keys naming the same
 * field the greatest one wins, and of equal keys the last.
 */
static int get_fields(struct parser *p, const struct ynode *map, const char *what,
		      struct field *fields, size_t n_fields)
{
	if (map->kind != YNODE_MAP)
		return perr(p, map, "%s must be a mapping, not %s", what, kind_name(map));
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->items[i];
		const char *key;
		struct field *f = NULL;
		enum yscalar_type t;

		if (k->kind != YNODE_SCALAR)
			return perr(p, k, "%s: a key must be a scalar", what);
		if (nfd__yaml_scalar_string(p->a, k, &key, &t) < 0)
			return nfd__oom(p->ctx);
		if (t == YSCALAR_NULL || t == YSCALAR_TIMESTAMP || t == YSCALAR_BIGINT)
			return perr(p, k, "%s: unsupported map key %s", what, k->text);
		for (size_t j = 0; j < n_fields && !f; j++)
			if (streq(fields[j].name, key))
				f = &fields[j];
		for (size_t j = 0; j < n_fields && !f; j++)
			if (strcasecmp(fields[j].name, key) == 0)
				f = &fields[j];
		if (!f) {
			int r = unknown_key(p, k, key, what, fields, n_fields);

			if (r < 0)
				return r;
			continue;
		}
		/* NFD's decoder takes these silently; validate-spec says so
		 * (equal keys: check_duplicates() did) */
		if (f->key && !streq(key, f->key)) {
			int r = note(p, &p->warnings, k,
				     "duplicate key \"%s\" (also \"%s\"); \"%s\" is used", key,
				     f->key, strcmp(key, f->key) >= 0 ? key : f->key);
			if (r < 0)
				return r;
		}
		if (!f->key || strcmp(key, f->key) >= 0) {
			f->key = key;
			f->value = map->items[i + 1];
		}
	}
	return 0;
}

/* A string-keyed mapping (vars, matchExpressions) as sorted unique pairs. */
struct pair {
	const char *key;
	const struct ynode *key_node, *value;
	size_t order;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int get_pairs(struct parser *p, const struct ynode *map, const char *what, struct pair **ret,
		     size_t *ret_n)
{
	struct pair *v;
	size_t n = 0;

	if (map->kind != YNODE_MAP)
		return perr(p, map, "%s must be a mapping, not %s", what, kind_name(map));
	v = arena_alloc(p->a, (map->n / 2 + 1) * sizeof(*v));
	if (!v)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->items[i];
		int r;

		if (k->kind == YNODE_SCALAR && is_null(k))
			return perr(p, k, "%s: unsupported map key %s", what, k->text);
		r = get_string(p, k, what, &v[n].key);
		if (r < 0)
			return r;
		v[n].key_node = k;
		v[n].value = map->items[i + 1];
		v[n].order = n;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_pair);
	/* duplicates: the last one wins, as in yaml.v2's map (check_duplicates()
	 * warned) */
	{
		size_t w = 0;

		for (size_t i = 0; i < n; i++) {
			if (w > 0 && streq(v[w - 1].key, v[i].key))
				v[w - 1] = v[i];
			else
				v[w++] = v[i];
		}
		n = w;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static int get_list(struct parser *p, const struct ynode *n, const char *what, bool *ret_null)
{
	*ret_null = false;
	if (n->kind == YNODE_SEQ)
		return 0;
	if (is_null(n)) {
		*ret_null = true;
		return 0;
	}
	return perr(p, n, "%s must be a list, not %s", what, kind_name(n));
}

/*
 * The list n (NULL: absent) of what, each item decoded by decode into a new
 * arena array of *ret_n elements of size bytes; null or absent leaves
 * *ret_items and *ret_n as they are.  0 or -errno (message set).
 */
static int decode_list(struct parser *p, const struct ynode *n, const char *what, size_t size,
		       int (*decode)(struct parser *p, const struct ynode *n, void *item),
		       void **ret_items, size_t *ret_n)
{
	char *items;
	bool null;
	int r;

	if (!n)
		return 0;
	r = get_list(p, n, what, &null);
	if (r < 0 || null)
		return r;
	items = arena_alloc(p->a, (n->n + 1) * size);
	if (!items)
		return nfd__oom(p->ctx);
	*ret_items = items;
	*ret_n = n->n;
	for (size_t i = 0; i < n->n; i++) {
		r = decode(p, n->items[i], items + i * size);
		if (r < 0)
			return r;
	}
	return 0;
}

/* -------------------------------------------------------------- decoders */

static int add_expr(struct parser *p, struct nfd_expr *e)
{
	if (ARRAY_RESERVE(p->exprs, p->cap_exprs, p->n_exprs + 1) < 0)
		return nfd__oom(p->ctx);
	p->exprs[p->n_exprs++] = e;
	return 0;
}

static int decode_expr(struct parser *p, const struct ynode *n, const char *what,
		       struct nfd_expr *e)
{
	struct field f[] = {{"op"}, {"value"}, {"type"}};
	const char *problem = NULL;
	int r;

	if (n->kind != YNODE_MAP)
		return perr(p, n, "%s must be a mapping with op, value and type, not %s", what,
			    kind_name(n));
	r = get_fields(p, n, what, f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	e->pos = n->pos;
	e->op_name = "";
	e->type = "";
	r = get_opt_string(p, f[0].value, "op", &e->op_name);
	if (r < 0)
		return r;
	r = get_opt_string(p, f[2].value, "type", &e->type);
	if (r < 0)
		return r;
	if (f[1].value) {
		bool null;
		const char **values;

		r = get_list(p, f[1].value, "value", &null);
		if (r < 0)
			return r;
		if (!null && f[1].value->n > 0) {
			values = arena_alloc(p->a, f[1].value->n * sizeof(*values));
			if (!values)
				return nfd__oom(p->ctx);
			for (size_t i = 0; i < f[1].value->n; i++) {
				r = get_string(p, f[1].value->items[i], "value", &values[i]);
				if (r < 0)
					return r;
			}
			e->values = values;
			e->n_values = f[1].value->n;
		}
	}
	r = nfd__expr_compile(p->a, e, &problem);
	if (r < 0)
		return nfd__oom(p->ctx);
	r = add_expr(p, e);
	if (r < 0)
		return r;
	if (problem)
		return note(p, &p->problems, n,
			    "%s (NFD fails the rule when this expression meets "
			    "a node value)",
			    problem);
	return 0;
}

static int add_source(struct parser *p, const char *feature_lc)
{
	const char *s = nfd__source_of(feature_lc);

	if (!s)
		return 0;
	for (size_t i = 0; i < p->sources.n; i++)
		if (p->sources.v[i] == s)
			return 0;
	return strvec_push(&p->sources, s) < 0 ? nfd__oom(p->ctx) : 0;
}

static int decode_term(struct parser *p, const struct ynode *n, struct nfd_term *t)
{
	struct field f[] = {{"feature"}, {"matchExpressions"}, {"matchName"}};
	const char *const *elements = NULL;
	const char *dot;
	char *lc;
	int r;

	if (is_null(n))
		return perr(p, n, "a matchFeatures term must be a mapping, not null");
	r = get_fields(p, n, "matchFeatures term", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	t->pos = n->pos;
	t->feature = "";
	r = get_opt_string(p, f[0].value, "feature", &t->feature);
	if (r < 0)
		return r;
	lc = arena_strdup(p->a, t->feature);
	if (!lc)
		return nfd__oom(p->ctx);
	for (char *c = lc; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	t->feature_lc = lc;
	dot = strchr(t->feature, '.');
	if (!dot || strchr(dot + 1, '.'))
		r = note(p, &p->problems, n, "invalid feature name \"%s\" (not <domain>.<feature>)",
			 t->feature);
	else if (!streq(t->feature, t->feature_lc))
		r = note(p, &p->warnings, n,
			 "feature \"%s\" has capitals: NFD looks up \"%s\" but "
			 "reports its expressions as FAIL",
			 t->feature, t->feature_lc);
	if (r < 0)
		return r;
	if (dot && !strchr(dot + 1, '.')) {
		const char *near;

		if (nfd__lint_feature(lc, &near, &elements) == 1)
			r = near ? note(p, &p->warnings, n,
					"feature \"%s\" is not one the built-in sources "
					"discover; did you mean \"%s\"?",
					t->feature, near)
				 : note(p, &p->warnings, n,
					"feature \"%s\" is not one the built-in sources "
					"discover",
					t->feature);
		if (r < 0)
			return r;
	}
	r = add_source(p, t->feature_lc);
	if (r < 0)
		return r;
	if (f[1].value && !is_null(f[1].value)) {
		struct pair *pairs;
		const char **names;

		r = get_pairs(p, f[1].value, "matchExpressions", &pairs, &t->n_exprs);
		if (r < 0)
			return r;
		t->has_exprs = true;
		names = arena_alloc(p->a, (t->n_exprs + 1) * sizeof(*names));
		t->exprs = arena_alloc(p->a, (t->n_exprs + 1) * sizeof(*t->exprs));
		if (!names || !t->exprs)
			return nfd__oom(p->ctx);
		for (size_t i = 0; i < t->n_exprs; i++) {
			names[i] = pairs[i].key;
			if (elements && !nfd__lint_element_known(elements, pairs[i].key)) {
				const char *near = nfd__lint_nearest(pairs[i].key, elements,
								     nfd__lint_count(elements));

				r = near ? note(p, &p->warnings, pairs[i].key_node,
						"%s has no element \"%s\"; did you mean \"%s\"?",
						t->feature_lc, pairs[i].key, near)
					 : note(p, &p->warnings, pairs[i].key_node,
						"%s has no element \"%s\"", t->feature_lc,
						pairs[i].key);
				if (r < 0)
					return r;
			}
			if (is_null(pairs[i].value))
				return perr(p, pairs[i].value, "expression \"%s\" is null",
					    pairs[i].key);
			r = decode_expr(p, pairs[i].value, "a matchExpressions entry",
					&t->exprs[i]);
			if (r < 0)
				return r;
		}
		t->names = names;
	}
	if (f[2].value && !is_null(f[2].value)) {
		t->match_name = arena_alloc(p->a, sizeof(*t->match_name));
		if (!t->match_name)
			return nfd__oom(p->ctx);
		r = decode_expr(p, f[2].value, "matchName", t->match_name);
		if (r < 0)
			return r;
	}
	return 0;
}

static int decode_matcher(struct parser *p, const struct ynode *n, struct nfd_matcher *m)
{
	bool null;
	int r = get_list(p, n, "matchFeatures", &null);

	if (r < 0 || null)
		return r;
	m->terms = arena_alloc(p->a, (n->n + 1) * sizeof(*m->terms));
	if (!m->terms)
		return nfd__oom(p->ctx);
	m->n_terms = n->n;
	for (size_t i = 0; i < n->n; i++) {
		r = decode_term(p, n->items[i], &m->terms[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static size_t matcher_rows(const struct nfd_matcher *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n_terms; i++)
		n += m->terms[i].n_exprs + (m->terms[i].match_name != NULL);
	return n;
}

static int decode_vars(struct parser *p, const struct ynode *n, struct nfd_rule *rule)
{
	struct pair *pairs;
	int r = get_pairs(p, n, "vars", &pairs, &rule->n_vars);

	if (r < 0)
		return r;
	rule->vars = arena_alloc(p->a, (rule->n_vars + 1) * sizeof(*rule->vars));
	if (!rule->vars)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i < rule->n_vars; i++) {
		rule->vars[i].key = pairs[i].key;
		rule->vars[i].value = "";
		if (is_null(pairs[i].value))
			continue;
		r = get_string(p, pairs[i].value, "a var's value", &rule->vars[i].value);
		if (r < 0)
			return r;
	}
	return 0;
}

/* One item of a set's rules: (struct nfd_rule *)out. */
static int decode_rule(struct parser *p, const struct ynode *n, void *out)
{
	struct nfd_rule *rule = out;
	struct field f[] = {{"name"}, {"vars"}, {"varsTemplate"}, {"matchFeatures"}, {"matchAny"}};
	int r;

	rule->name = "";
	rule->pos = n->pos;
	if (is_null(n))
		return 0;
	r = get_fields(p, n, "a rule", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	r = get_opt_string(p, f[0].value, "name", &rule->name);
	if (r < 0)
		return r;
	if (!rule->name[0]) {
		/* NFD accepts it (its documentation's examples have none) */
		r = note(p, &p->warnings, n, "rule has no name; reports will show it as \"\"");
		if (r < 0)
			return r;
	}
	if (f[1].value && !is_null(f[1].value)) {
		r = decode_vars(p, f[1].value, rule);
		if (r < 0)
			return r;
	}
	if (f[2].value && !is_null(f[2].value)) {
		const char *tmpl;

		r = get_string(p, f[2].value, "varsTemplate", &tmpl);
		if (r < 0)
			return r;
		rule->vars_template_src = tmpl;
		/* NFD reports a template that does not parse when it runs */
		if (tmpl[0]) {
			r = nfd__template_parse(p->a, tmpl, &rule->vars_template,
						&rule->vars_template_err);
			if (r == -ENOMEM)
				return nfd__oom(p->ctx);
			if (r < 0) {
				r = note(p, &p->problems, f[2].value, "%s",
					 rule->vars_template_err);
				if (r < 0)
					return r;
			}
		}
	}
	if (f[3].value) {
		r = decode_matcher(p, f[3].value, &rule->match_features);
		if (r < 0)
			return r;
	}
	if (f[4].value) {
		const struct ynode *any = f[4].value;
		bool null;

		r = get_list(p, any, "matchAny", &null);
		if (r < 0)
			return r;
		if (!null) {
			rule->match_any =
				arena_alloc(p->a, (any->n + 1) * sizeof(*rule->match_any));
			if (!rule->match_any)
				return nfd__oom(p->ctx);
			rule->n_any = any->n;
		}
		for (size_t i = 0; i < rule->n_any; i++) {
			struct field mf[] = {{"matchFeatures"}};

			if (is_null(any->items[i]))
				continue;
			r = get_fields(p, any->items[i], "a matchAny element", mf, 1);
			if (r < 0)
				return r;
			if (mf[0].value) {
				r = decode_matcher(p, mf[0].value, &rule->match_any[i]);
				if (r < 0)
					return r;
			}
		}
	}
	rule->n_rows = matcher_rows(&rule->match_features);
	for (size_t i = 0; i < rule->n_any; i++)
		rule->n_rows += matcher_rows(&rule->match_any[i]);
	return 0;
}

static int decode_weight(struct parser *p, const struct ynode *n, int *ret)
{
	enum yscalar_type t;
	const char *s;
	char *end;
	double d;
	long long v;

	if (n->kind != YNODE_SCALAR)
		return perr(p, n, "weight must be an integer, not %s", kind_name(n));
	if (nfd__yaml_scalar_string(p->a, n, &s, &t) < 0)
		return nfd__oom(p->ctx);
	switch (t) {
	case YSCALAR_NULL:
		*ret = 0;
		return 0;
	case YSCALAR_INT:
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || v < INT_MIN || v > INT_MAX)
			return perr(p, n, "weight %s is out of range", n->text);
		*ret = (int)v;
		return 0;
	case YSCALAR_FLOAT:
		/* json turns an integral float back into an integer */
		d = strtod(s, &end);
		/* range first: converting inf, nan or 1e100 to int is undefined */
		if (d >= INT_MIN && d <= INT_MAX && d == (double)(int)d) {
			*ret = (int)d;
			return 0;
		}
		/* fall through */
	default:
		return perr(p, n, "weight must be an integer, not \"%s\"", n->text);
	}
}

/* One item of compatibilities: (struct nfd_set *)out. */
static int decode_set(struct parser *p, const struct ynode *n, void *out)
{
	struct nfd_set *set = out;
	struct field f[] = {{"rules"}, {"weight"}, {"tag"}, {"description"}};
	int r;

	set->tag = set->description = "";
	if (is_null(n))
		return 0;
	r = get_fields(p, n, "a compatibility set", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	if (f[1].value) {
		r = decode_weight(p, f[1].value, &set->weight);
		if (r < 0)
			return r;
	}
	r = get_opt_string(p, f[2].value, "tag", &set->tag);
	if (r < 0)
		return r;
	r = get_opt_string(p, f[3].value, "description", &set->description);
	if (r < 0)
		return r;
	return decode_list(p, f[0].value, "rules", sizeof(*set->rules), decode_rule,
			   (void **)&set->rules, &set->n_rules);
}

/*
 * A Kubernetes object (kind:) is not a compatibility spec; NFD would decode
 * it to a spec without sets.  Say what it is and where it belongs: a
 * problem, so that validate-node can refuse it.  Returns 1 when it noted one.
 */
static int check_kind(struct parser *p, const struct ynode *root)
{
	static const struct {
		const char *kind, *hint;
	} hints[] = {
		{"NodeFeatureRule", "nfd-master applies it to nodes; its spec.rules can be used as "
				    "the rules: of a compatibility set"},
		{"NodeFeatureGroup",
		 "nfd-master evaluates its featureGroupRules; they can be used as "
		 "the rules: of a compatibility set"},
		{"NodeFeature",
		 "it holds a node's features: give it to validate-node as --features"},
		{"NodeFeatureList",
		 "it holds nodes' features: give it to validate-node as --features"},
		{"List", "it holds Kubernetes objects; NodeFeatures go to --features"},
	};
	const struct ynode *kind = NULL;
	const char *k = NULL, *hint = "it is a Kubernetes object";
	int r;

	if (root->kind != YNODE_MAP)
		return 0;
	for (size_t i = 0; i + 1 < root->n; i += 2)
		if (root->items[i]->kind == YNODE_SCALAR && streq(root->items[i]->text, "kind"))
			kind = root->items[i + 1];
	if (!kind || kind->kind != YNODE_SCALAR)
		return 0;
	k = kind->text;
	for (size_t i = 0; i < ARRAY_SIZE(hints); i++)
		if (streq(hints[i].kind, k))
			hint = hints[i].hint;
	r = note(p, &p->problems, kind,
		 "this is a %s, not an image compatibility spec (\"version: v1alpha1\" and "
		 "\"compatibilities:\"): %s",
		 k, hint);
	return r < 0 ? r : 1;
}

static int decode_spec(struct parser *p, const struct ynode *root)
{
	struct field f[] = {{"version"}, {"compatibilities"}};
	struct nfd_spec *spec = p->spec;
	int r;

	if (!root || is_null(root))
		return perr(
			p, root,
			"the spec is empty (an image compatibility spec has "
			"\"version: v1alpha1\" and \"compatibilities:\", see nfd-compat-spec(5))");
	r = check_kind(p, root);
	if (r != 0)
		return r < 0 ? r : 0;
	r = get_fields(p, root, "the spec", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	spec->version = "";
	r = get_opt_string(p, f[0].value, "version", &spec->version);
	if (r < 0)
		return r;
	if (!spec->version[0]) {
		r = note(p, &p->warnings, root, "no version: field; \"v1alpha1\" assumed");
		if (r < 0)
			return r;
	} else if (!streq(spec->version, "v1alpha1")) {
		r = perr(p, f[0].value, "unsupported spec version \"%s\" (expected v1alpha1)",
			 spec->version);
		return r == -EBADMSG ? -ENOTSUP : r;
	}
	r = decode_list(p, f[1].value, "compatibilities", sizeof(*spec->sets), decode_set,
			(void **)&spec->sets, &spec->n_sets);
	if (r < 0)
		return r;
	if (spec->n_sets == 0)
		return note(p, &p->problems, root, "the spec has no compatibility sets");
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct dup_key {
	const char *key;
	const struct ynode *node;
	size_t order;
};

static int cmp_dup_key(const void *a, const void *b)
{
	const struct dup_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/*
 * Warn of every key that a mapping of the document repeats, at any depth
 * and whatever the mapping (known fields, vars, matchExpressions, metadata).
 * NFD reads specs and NodeFeatureRule files with sigs.k8s.io/yaml's
 * Unmarshal, whose yaml.v2 map keeps the last value of a repeated key
 * without a word (its UnmarshalStrict would fail instead); evaluation here
 * does the same, and this says so (doc/semantics.md, "YAML decoding").
 */
static int map_duplicates(struct parser *p, const struct ynode *n);

static int check_duplicates(struct parser *p, const struct ynode *n, unsigned depth)
{
	int r;

	if (!n || depth > 256)
		return 0;
	if (n->kind == YNODE_MAP && n->n >= 4) {
		r = map_duplicates(p, n);
		if (r < 0)
			return r;
	}
	for (size_t i = n->kind == YNODE_MAP ? 1 : 0; i < n->n; i += n->kind == YNODE_MAP ? 2 : 1) {
		r = check_duplicates(p, n->items[i], depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

/* one mapping's repeated keys, warned of in the document's order */
static int map_duplicates(struct parser *p, const struct ynode *n)
{
	_cleanup_free_ struct dup_key *keys = NULL;
	_cleanup_free_ const struct ynode **first = NULL;
	size_t nk = 0;
	int r;

	keys = malloc(n->n / 2 * sizeof(*keys));
	first = calloc(n->n / 2, sizeof(*first));
	if (!keys || !first)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];
		enum yscalar_type t;

		if (k->kind != YNODE_SCALAR)
			continue;
		if (nfd__yaml_scalar_string(p->a, k, &keys[nk].key, &t) < 0)
			return nfd__oom(p->ctx);
		keys[nk].node = k;
		keys[nk].order = nk;
		nk++;
	}
	qsort(keys, nk, sizeof(*keys), cmp_dup_key);
	for (size_t i = 1, f = 0; i < nk; i++) {
		if (!streq(keys[i].key, keys[f].key))
			f = i;
		else
			first[keys[i].order] = keys[f].node;
	}
	for (size_t i = 0, o = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];
		const char *key;
		enum yscalar_type t;

		if (k->kind != YNODE_SCALAR)
			continue;
		if (first[o++] == NULL)
			continue;
		if (nfd__yaml_scalar_string(p->a, k, &key, &t) < 0)
			return nfd__oom(p->ctx);
		r = note(p, &p->warnings, k,
			 "duplicate key \"%s\" (first at %s:%u:%u); the last one is used, as NFD's "
			 "decoder does",
			 key, p->spec->name, first[o - 1]->pos.line, first[o - 1]->pos.col);
		if (r < 0)
			return r;
	}
	return 0;
}

int nfd__dec_duplicates(struct parser *p, const struct ynode *root)
{
	return check_duplicates(p, root, 0);
}

int nfd__spec_decode(struct nfd_ctx *ctx, struct nfd_spec *spec, const char *buf, size_t len)
{
	struct parser p = {.ctx = ctx, .spec = spec, .a = &spec->arena};
	struct ynode *root = NULL;
	const char *msg = NULL;
	int r;

	r = nfd__yaml_load(&spec->arena, buf, len, &root, &msg);
	if (r == -ENOMEM)
		return nfd__oom(ctx);
	if (r < 0)
		return nfd__error(ctx, EBADMSG, "%s:%s", spec->name, msg);
	r = check_duplicates(&p, root, 0);
	if (r >= 0)
		r = decode_spec(&p, root);
	if (r >= 0 && nfd__spec_index(spec) < 0)
		r = nfd__oom(ctx);
	/* The expressions' regexes are released with the spec, even on errors. */
	spec->all_exprs = p.exprs;
	spec->n_all_exprs = p.n_exprs;
	if (r < 0)
		goto out;
	if (p.sources.n)
		qsort(p.sources.v, p.sources.n, sizeof(*p.sources.v), cmp_str);
	spec->warnings = p.warnings.v;
	spec->n_warnings = p.warnings.n;
	spec->problems = p.problems.v;
	spec->n_problems = p.problems.n;
	spec->sources = p.sources.v;
	spec->n_sources = p.sources.n;
	return 0;
out:
	free(p.warnings.v);
	free(p.problems.v);
	free(p.sources.v);
	return r;
}

void nfd__spec_release(struct nfd_spec *spec)
{
	for (size_t i = 0; i < spec->n_all_exprs; i++)
		nfd__expr_release(spec->all_exprs[i]);
	free(spec->all_exprs);
	free(spec->warnings);
	free(spec->problems);
	free(spec->sources);
	arena_release(&spec->arena);
}

/* ------------------------------------------- building blocks (spec-decode.h) */

int nfd__dec_new(struct nfd_ctx *ctx, struct nfd_spec *spec, struct parser **ret)
{
	struct parser *p = calloc(1, sizeof(*p));

	if (!p)
		return nfd__oom(ctx);
	*p = (struct parser){.ctx = ctx, .spec = spec, .a = &spec->arena};
	*ret = p;
	return 0;
}

int nfd__dec_finish(struct parser *p, int r)
{
	struct nfd_spec *spec = p->spec;

	spec->all_exprs = p->exprs;
	spec->n_all_exprs = p->n_exprs;
	if (r >= 0 && nfd__spec_index(spec) < 0)
		r = nfd__oom(p->ctx);
	if (r >= 0) {
		if (p->sources.n)
			qsort(p->sources.v, p->sources.n, sizeof(*p->sources.v), cmp_str);
		spec->warnings = p->warnings.v;
		spec->n_warnings = p->warnings.n;
		spec->problems = p->problems.v;
		spec->n_problems = p->problems.n;
		spec->sources = p->sources.v;
		spec->n_sources = p->sources.n;
	} else {
		free(p->warnings.v);
		free(p->problems.v);
		free(p->sources.v);
	}
	free(p);
	return r;
}

bool nfd__dec_is_null(const struct ynode *n)
{
	return is_null(n);
}

int nfd__dec_error(struct parser *p, const struct ynode *n, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return nfd__oom(p->ctx);
	return perr(p, n, "%s", sb.buf);
}

int nfd__dec_problem(struct parser *p, const struct ynode *n, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return nfd__oom(p->ctx);
	return note(p, &p->problems, n, "%s", sb.buf);
}

int nfd__dec_fields(struct parser *p, const struct ynode *map, const char *what,
		    struct nfd__field *fields, size_t n_fields)
{
	struct field *f = calloc(n_fields + 1, sizeof(*f));
	int r;

	if (!f)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i < n_fields; i++)
		f[i].name = fields[i].name;
	r = get_fields(p, map, what, f, n_fields);
	for (size_t i = 0; i < n_fields; i++) {
		fields[i].value = f[i].value;
		fields[i].key = f[i].key;
	}
	free(f);
	return r;
}

int nfd__dec_string(struct parser *p, const struct ynode *n, const char *what, const char **ret)
{
	return get_string(p, n, what, ret);
}

int nfd__dec_list(struct parser *p, const struct ynode *n, const char *what, bool *ret_null)
{
	return get_list(p, n, what, ret_null);
}

int nfd__dec_string_map(struct parser *p, const struct ynode *n, const char *what,
			struct nfd_kv **ret, size_t *ret_n)
{
	struct pair *pairs;
	struct nfd_kv *kv;
	size_t count;
	int r = get_pairs(p, n, what, &pairs, &count);

	if (r < 0)
		return r;
	kv = arena_alloc(p->a, (count + 1) * sizeof(*kv));
	if (!kv)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i < count; i++) {
		kv[i].key = pairs[i].key;
		kv[i].value = "";
		if (is_null(pairs[i].value))
			continue;
		r = get_string(p, pairs[i].value, what, &kv[i].value);
		if (r < 0)
			return r;
	}
	*ret = kv;
	*ret_n = count;
	return 0;
}

int nfd__dec_matcher(struct parser *p, const struct ynode *n, struct nfd_matcher *m)
{
	return decode_matcher(p, n, m);
}

size_t nfd__dec_matcher_rows(const struct nfd_matcher *m)
{
	return matcher_rows(m);
}
