/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Spec decoding: the YAML tree (spec-yaml.c) into sets, rules, terms and
 * compiled expressions, the way NFD's decoder reads it (doc/semantics.md §9.6): field names
 * match case-insensitively, unknown fields are ignored, scalars are coerced
 * to the strings Go's fields hold, and a value of the wrong shape is an
 * error.  Where an unquoted scalar is rewritten, a warning says so; where NFD
 * would fail only at evaluation (a bad op, a value count, a pattern), a
 * "problem" is recorded for `nfd compat validate-spec` and the expression
 * keeps NFD's lazy behaviour.  The decoding rules themselves, shared with the
 * NodeFeatureRule decoder, are in spec-decode.c.
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
	struct nfd__field f[] = {{"op"}, {"value"}, {"type"}};
	const char *problem = NULL;
	int r;

	if (n->kind != YNODE_MAP)
		return nfd__dec_error(p, n, "%s must be a mapping with op, value and type, not %s",
				      what, nfd__dec_kind_name(n));
	r = nfd__dec_fields(p, n, what, f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	e->pos = n->pos;
	e->op_name = "";
	e->type = "";
	r = nfd__dec_opt_string(p, f[0].value, "op", &e->op_name);
	if (r < 0)
		return r;
	r = nfd__dec_opt_string(p, f[2].value, "type", &e->type);
	if (r < 0)
		return r;
	if (f[1].value) {
		bool null;
		const char **values;

		r = nfd__dec_list(p, f[1].value, "value", &null);
		if (r < 0)
			return r;
		if (!null && f[1].value->n > 0) {
			values = arena_alloc(p->a, f[1].value->n * sizeof(*values));
			if (!values)
				return nfd__oom(p->ctx);
			for (size_t i = 0; i < f[1].value->n; i++) {
				r = nfd__dec_string(p, f[1].value->items[i], "value", &values[i]);
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
		return nfd__dec_problem(p, n,
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
	return nfd__dec_strvec_push(&p->sources, s) < 0 ? nfd__oom(p->ctx) : 0;
}

static int decode_term(struct parser *p, const struct ynode *n, struct nfd_term *t)
{
	struct nfd__field f[] = {{"feature"}, {"matchExpressions"}, {"matchName"}};
	const char *const *elements = NULL;
	const char *dot;
	char *lc;
	int r;

	if (nfd__dec_is_null(n))
		return nfd__dec_error(p, n, "a matchFeatures term must be a mapping, not null");
	r = nfd__dec_fields(p, n, "matchFeatures term", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	t->pos = n->pos;
	t->feature = "";
	r = nfd__dec_opt_string(p, f[0].value, "feature", &t->feature);
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
		r = nfd__dec_problem(p, n, "invalid feature name \"%s\" (not <domain>.<feature>)",
				     t->feature);
	else if (!streq(t->feature, t->feature_lc))
		r = nfd__dec_warning(p, n,
				     "feature \"%s\" has capitals: NFD looks up \"%s\" but "
				     "reports its expressions as FAIL",
				     t->feature, t->feature_lc);
	if (r < 0)
		return r;
	if (dot && !strchr(dot + 1, '.')) {
		const char *near;

		if (nfd__lint_feature(lc, &near, &elements) == 1)
			r = near ? nfd__dec_warning(
					   p, n,
					   "feature \"%s\" is not one the built-in sources "
					   "discover; did you mean \"%s\"?",
					   t->feature, near)
				 : nfd__dec_warning(
					   p, n,
					   "feature \"%s\" is not one the built-in sources "
					   "discover",
					   t->feature);
		if (r < 0)
			return r;
	}
	r = add_source(p, t->feature_lc);
	if (r < 0)
		return r;
	if (f[1].value && !nfd__dec_is_null(f[1].value)) {
		struct nfd__pair *pairs;
		const char **names;

		r = nfd__dec_pairs(p, f[1].value, "matchExpressions", &pairs, &t->n_exprs);
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

				r = near ? nfd__dec_warning(
						   p, pairs[i].key_node,
						   "%s has no element \"%s\"; did you mean \"%s\"?",
						   t->feature_lc, pairs[i].key, near)
					 : nfd__dec_warning(p, pairs[i].key_node,
							    "%s has no element \"%s\"",
							    t->feature_lc, pairs[i].key);
				if (r < 0)
					return r;
			}
			if (nfd__dec_is_null(pairs[i].value))
				return nfd__dec_error(p, pairs[i].value,
						      "expression \"%s\" is null", pairs[i].key);
			r = decode_expr(p, pairs[i].value, "a matchExpressions entry",
					&t->exprs[i]);
			if (r < 0)
				return r;
		}
		t->names = names;
	}
	if (f[2].value && !nfd__dec_is_null(f[2].value)) {
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
	int r = nfd__dec_list(p, n, "matchFeatures", &null);

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
	struct nfd__pair *pairs;
	int r = nfd__dec_pairs(p, n, "vars", &pairs, &rule->n_vars);

	if (r < 0)
		return r;
	rule->vars = arena_alloc(p->a, (rule->n_vars + 1) * sizeof(*rule->vars));
	if (!rule->vars)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i < rule->n_vars; i++) {
		rule->vars[i].key = pairs[i].key;
		rule->vars[i].value = "";
		if (nfd__dec_is_null(pairs[i].value))
			continue;
		r = nfd__dec_string(p, pairs[i].value, "a var's value", &rule->vars[i].value);
		if (r < 0)
			return r;
	}
	return 0;
}

/* One item of a set's rules: (struct nfd_rule *)out. */
static int decode_rule(struct parser *p, const struct ynode *n, void *out)
{
	struct nfd_rule *rule = out;
	struct nfd__field f[] = {
		{"name"}, {"vars"}, {"varsTemplate"}, {"matchFeatures"}, {"matchAny"}};
	int r;

	rule->name = "";
	rule->pos = n->pos;
	if (nfd__dec_is_null(n))
		return 0;
	r = nfd__dec_fields(p, n, "a rule", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	r = nfd__dec_opt_string(p, f[0].value, "name", &rule->name);
	if (r < 0)
		return r;
	if (!rule->name[0]) {
		/* NFD accepts it (its documentation's examples have none) */
		r = nfd__dec_warning(p, n, "rule has no name; reports will show it as \"\"");
		if (r < 0)
			return r;
	}
	if (f[1].value && !nfd__dec_is_null(f[1].value)) {
		r = decode_vars(p, f[1].value, rule);
		if (r < 0)
			return r;
	}
	if (f[2].value && !nfd__dec_is_null(f[2].value)) {
		const char *tmpl;

		r = nfd__dec_string(p, f[2].value, "varsTemplate", &tmpl);
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
				r = nfd__dec_problem(p, f[2].value, "%s", rule->vars_template_err);
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

		r = nfd__dec_list(p, any, "matchAny", &null);
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
			struct nfd__field mf[] = {{"matchFeatures"}};

			if (nfd__dec_is_null(any->items[i]))
				continue;
			r = nfd__dec_fields(p, any->items[i], "a matchAny element", mf, 1);
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
	const char *s = n->str;
	char *end;
	double d;
	long long v;

	if (n->kind != YNODE_SCALAR)
		return nfd__dec_error(p, n, "weight must be an integer, not %s",
				      nfd__dec_kind_name(n));
	switch (n->stype) {
	case YSCALAR_NULL:
		*ret = 0;
		return 0;
	case YSCALAR_INT:
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || v < INT_MIN || v > INT_MAX)
			return nfd__dec_error(p, n, "weight %s is out of range", n->text);
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
		return nfd__dec_error(p, n, "weight must be an integer, not \"%s\"", n->text);
	}
}

/* One item of compatibilities: (struct nfd_set *)out. */
static int decode_set(struct parser *p, const struct ynode *n, void *out)
{
	struct nfd_set *set = out;
	struct nfd__field f[] = {{"rules"}, {"weight"}, {"tag"}, {"description"}};
	int r;

	set->tag = set->description = "";
	if (nfd__dec_is_null(n))
		return 0;
	r = nfd__dec_fields(p, n, "a compatibility set", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	if (f[1].value) {
		r = decode_weight(p, f[1].value, &set->weight);
		if (r < 0)
			return r;
	}
	r = nfd__dec_opt_string(p, f[2].value, "tag", &set->tag);
	if (r < 0)
		return r;
	r = nfd__dec_opt_string(p, f[3].value, "description", &set->description);
	if (r < 0)
		return r;
	return nfd__dec_items(p, f[0].value, "rules", sizeof(*set->rules), decode_rule,
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
	r = nfd__dec_problem(
		p, kind,
		"this is a %s, not an image compatibility spec (\"version: v1alpha1\" and "
		"\"compatibilities:\"): %s",
		k, hint);
	return r < 0 ? r : 1;
}

static int decode_spec(struct parser *p, const struct ynode *root)
{
	struct nfd__field f[] = {{"version"}, {"compatibilities"}};
	struct nfd_spec *spec = p->spec;
	int r;

	if (!root || nfd__dec_is_null(root))
		return nfd__dec_error(
			p, root,
			"the spec is empty (an image compatibility spec has "
			"\"version: v1alpha1\" and \"compatibilities:\", see nfd-compat-spec(5))");
	r = check_kind(p, root);
	if (r != 0)
		return r < 0 ? r : 0;
	r = nfd__dec_fields(p, root, "the spec", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	spec->version = "";
	r = nfd__dec_opt_string(p, f[0].value, "version", &spec->version);
	if (r < 0)
		return r;
	if (!spec->version[0]) {
		r = nfd__dec_warning(p, root, "no version: field; \"v1alpha1\" assumed");
		if (r < 0)
			return r;
	} else if (!streq(spec->version, "v1alpha1")) {
		r = nfd__dec_error(p, f[0].value,
				   "unsupported spec version \"%s\" (expected v1alpha1)",
				   spec->version);
		return r == -EBADMSG ? -ENOTSUP : r;
	}
	r = nfd__dec_items(p, f[1].value, "compatibilities", sizeof(*spec->sets), decode_set,
			   (void **)&spec->sets, &spec->n_sets);
	if (r < 0)
		return r;
	if (spec->n_sets == 0)
		return nfd__dec_problem(p, root, "the spec has no compatibility sets");
	return 0;
}

int nfd__spec_decode(struct nfd_ctx *ctx, struct nfd_spec *spec, const char *buf, size_t len)
{
	struct ynode *root = NULL;
	struct parser *p;
	const char *msg = NULL;
	int r;

	r = nfd__yaml_load(&spec->arena, buf, len, &root, &msg);
	if (r == -ENOMEM)
		return nfd__oom(ctx);
	if (r < 0)
		return nfd__error(ctx, EBADMSG, "%s:%s", spec->name, msg);
	r = nfd__dec_new(ctx, spec, &p);
	if (r < 0)
		return r;
	r = nfd__dec_duplicates(p, root);
	if (r >= 0)
		r = decode_spec(p, root);
	/* the expressions' regexes are released with the spec, even on errors */
	return nfd__dec_finish(p, r);
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

int nfd__dec_matcher(struct parser *p, const struct ynode *n, struct nfd_matcher *m)
{
	return decode_matcher(p, n, m);
}

size_t nfd__dec_matcher_rows(const struct nfd_matcher *m)
{
	return matcher_rows(m);
}
