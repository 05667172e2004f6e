/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Interning for evaluation: each distinct feature a spec's terms look up
 * gets an id, and so does each distinct (feature, element) pair a report row
 * shows, and each distinct term.  An evaluation then looks each feature up
 * in the node once, computes each row's node value once and evaluates each
 * distinct term once (many rules of real specs repeat a term), by index.
 */
#include <string.h>

#include "libnfd/engine/spec-private.h"
#include "shared/array.h"

struct key {
	const char *feature, *name; /* name NULL: a matchName row */
};

struct keys {
	struct key *v;
	size_t n, cap;
};

static int push(struct keys *k, const char *feature, const char *name)
{
	if (ARRAY_RESERVE(k->v, k->cap, k->n + 1) < 0)
		return -ENOMEM;
	k->v[k->n++] = (struct key){feature, name};
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->feature, y->feature);

	if (c || x->name == y->name)
		return c;
	if (!x->name || !y->name)
		return (x->name != NULL) - (y->name != NULL);
	return strcmp(x->name, y->name);
}

/* Sort and drop duplicates. */
static void unique(struct keys *k)
{
	size_t n = 0;

	if (k->n == 0)
		return;
	qsort(k->v, k->n, sizeof(*k->v), cmp_key);
	for (size_t i = 0; i < k->n; i++)
		if (n == 0 || cmp_key(&k->v[n - 1], &k->v[i]) != 0)
			k->v[n++] = k->v[i];
	k->n = n;
}

static size_t find(const struct keys *k, const char *feature, const char *name)
{
	struct key key = {feature, name};
	const struct key *found = bsearch(&key, k->v, k->n, sizeof(key), cmp_key);

	return (size_t)(found - k->v);
}

/* Call fn on every term of the spec. */
static int for_each_term(struct nfd_spec *spec, int (*fn)(struct nfd_term *t, void *data),
			 void *data)
{
	for (size_t i = 0; i < spec->n_sets; i++) {
		for (size_t k = 0; k < spec->sets[i].n_rules; k++) {
			struct nfd_rule *rule = &spec->sets[i].rules[k];

			for (size_t a = 0; a <= rule->n_any; a++) {
				struct nfd_matcher *m = a < rule->n_any ? &rule->match_any[a]
									: &rule->match_features;

				for (size_t t = 0; t < m->n_terms; t++) {
					int r = fn(&m->terms[t], data);

					if (r < 0)
						return r;
				}
			}
		}
	}
	return 0;
}

struct index {
	struct nfd_spec *spec;
	struct keys features, values;
	struct nfd_term **terms;
	size_t n_terms, cap_terms;
};

static int cmp_str(const char *a, const char *b)
{
	return a == b ? 0 : !a ? -1 : !b ? 1 : strcmp(a, b);
}

/* Expressions compare equal when they are written alike: they compile alike. */
static int cmp_expr(const struct nfd_expr *x, const struct nfd_expr *y)
{
	int c;

	if (x == y || (!x && !y))
		return 0;
	if (!x || !y)
		return !x ? -1 : 1;
	if ((c = cmp_str(x->op_name, y->op_name)) || (c = cmp_str(x->type, y->type)))
		return c;
	if (x->n_values != y->n_values)
		return x->n_values < y->n_values ? -1 : 1;
	for (size_t i = 0; i < x->n_values; i++)
		if ((c = cmp_str(x->values[i], y->values[i])))
			return c;
	return 0;
}

/* Terms that look the same feature up with the same expressions and
 * matchName give the same result on one node. */
static int cmp_term(const void *a, const void *b)
{
	const struct nfd_term *x = *(struct nfd_term *const *)a, *y = *(struct nfd_term *const *)b;
	int c = strcmp(x->feature_lc, y->feature_lc);

	if (c)
		return c;
	if (x->has_exprs != y->has_exprs)
		return x->has_exprs ? 1 : -1;
	if (x->n_exprs != y->n_exprs)
		return x->n_exprs < y->n_exprs ? -1 : 1;
	for (size_t j = 0; j < x->n_exprs; j++)
		if ((c = strcmp(x->names[j], y->names[j])) ||
		    (c = cmp_expr(&x->exprs[j], &y->exprs[j])))
			return c;
	return cmp_expr(x->match_name, y->match_name);
}

/* Give each distinct term an id and a place for its expressions' bits. */
static void assign_term_ids(struct index *ix)
{
	size_t id = 0, hits = 0;

	if (ix->n_terms > 0) /* a spec without rules has no terms (and no array) */
		qsort(ix->terms, ix->n_terms, sizeof(*ix->terms), cmp_term);
	for (size_t i = 0; i < ix->n_terms; i++) {
		struct nfd_term *t = ix->terms[i];

		if (i > 0 && cmp_term(&ix->terms[i - 1], &t) == 0) {
			t->term_id = ix->terms[i - 1]->term_id;
			t->hit_off = ix->terms[i - 1]->hit_off;
			continue;
		}
		t->term_id = id++;
		t->hit_off = hits;
		hits += t->n_exprs;
	}
	/* rule.matched grows while the spec is evaluated */
	for (size_t i = 0; i < ix->n_terms; i++)
		if (streq(ix->terms[i]->feature_lc, "rule.matched"))
			ix->terms[i]->term_id = NFD_TERM_UNCACHED;
	ix->spec->n_term_ids = id;
	ix->spec->n_term_hits = hits;
}

static int collect(struct nfd_term *t, void *data)
{
	struct index *ix = data;

	if (push(&ix->features, t->feature_lc, NULL) < 0)
		return -ENOMEM;
	for (size_t j = 0; j < t->n_exprs; j++)
		if (push(&ix->values, t->feature_lc, t->names[j]) < 0)
			return -ENOMEM;
	if (t->match_name && push(&ix->values, t->feature_lc, NULL) < 0)
		return -ENOMEM;
	if (ARRAY_RESERVE(ix->terms, ix->cap_terms, ix->n_terms + 1) < 0)
		return -ENOMEM;
	ix->terms[ix->n_terms++] = t;
	return 0;
}

static int assign(struct nfd_term *t, void *data)
{
	struct index *ix = data;

	t->feature_id = find(&ix->features, t->feature_lc, NULL);
	t->value_ids = arena_alloc(&ix->spec->arena, (t->n_exprs + 1) * sizeof(size_t));
	if (!t->value_ids)
		return -ENOMEM;
	for (size_t j = 0; j < t->n_exprs; j++)
		t->value_ids[j] = find(&ix->values, t->feature_lc, t->names[j]);
	if (t->match_name)
		t->name_value_id = find(&ix->values, t->feature_lc, NULL);
	return 0;
}

int nfd__spec_index(struct nfd_spec *spec)
{
	struct index ix = {.spec = spec};
	int r = for_each_term(spec, collect, &ix);

	if (r >= 0) {
		unique(&ix.features);
		unique(&ix.values);
		spec->features =
			arena_alloc(&spec->arena, (ix.features.n + 1) * sizeof(*spec->features));
		if (!spec->features)
			r = -ENOMEM;
	}
	if (r >= 0) {
		for (size_t i = 0; i < ix.features.n; i++)
			spec->features[i] = ix.features.v[i].feature;
		spec->n_features = ix.features.n;
		spec->n_value_ids = ix.values.n;
		r = for_each_term(spec, assign, &ix);
	}
	if (r >= 0)
		assign_term_ids(&ix);
	free(ix.terms);
	free(ix.features.v);
	free(ix.values.v);
	return r;
}
