/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Interning for evaluation: each distinct feature a spec's terms look up
 * gets an id, and so does each distinct (feature, element) pair a report row
 * shows, and each distinct term.  An evaluation then looks each feature up
 * in the node once, computes each row's node value once and evaluates each
 * distinct term once (many rules of real specs repeat a term), by index.
 * Ids are given in the order the terms first use them, through hash tables
 * sized from a first count of the terms: one pass, no sorting.
 */
#include <stdint.h>
#include <string.h>

#include "libnfd/engine/spec-private.h"
#include "shared/array.h"

#define HASH_INIT 0xcbf29ce484222325ull

/* A word-at-a-time mix of p[0..n) into h (the hash only spreads the keys;
 * equality is always checked). */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	w = n;
	for (size_t i = 0; i < n; i++)
		w = w << 8 | s[i];
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	/* a NULL string and "" differ */
	return s ? hash_bytes(h, s, strlen(s)) : hash_bytes(h, "\xff\xff", 2);
}

static uint64_t hash_size(uint64_t h, size_t v)
{
	return hash_bytes(h, &v, sizeof(v));
}

/* What a slot holds: a feature (str), a (feature id, element name or NULL
 * for matchName) pair (num, str), or a term.  Small, as the tables are
 * zeroed whole. */
struct slot {
	union {
		const char *str;
		const struct nfd_term *term;
	};
	uint32_t hash, num, id;
	bool used;
};

struct table {
	struct slot *v;
	size_t mask, n;
};

/* A table for up to n keys, at most two thirds full.  0 or -ENOMEM (also
 * when ids would not fit the slots). */
static int table_init(struct table *t, size_t n)
{
	size_t cap = 16;

	if (n > UINT32_MAX / 2)
		return -ENOMEM;
	while (2 * cap < 3 * n)
		cap *= 2;
	t->v = calloc(cap, sizeof(*t->v));
	t->mask = cap - 1;
	t->n = 0;
	return t->v ? 0 : -ENOMEM;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && streq(a, b));
}

/* Expressions are the same when they are written alike: they compile alike. */
static bool same_expr(const struct nfd_expr *x, const struct nfd_expr *y)
{
	if (x == y)
		return true;
	if (!x || !y || !same_str(x->op_name, y->op_name) || !same_str(x->type, y->type) ||
	    x->n_values != y->n_values)
		return false;
	for (size_t i = 0; i < x->n_values; i++)
		if (!same_str(x->values[i], y->values[i]))
			return false;
	return true;
}

static uint64_t hash_expr(uint64_t h, const struct nfd_expr *e)
{
	if (!e)
		return hash_size(h, 0);
	h = hash_str(hash_str(hash_size(h, e->n_values + 1), e->op_name), e->type);
	for (size_t i = 0; i < e->n_values; i++)
		h = hash_str(h, e->values[i]);
	return h;
}

/* Terms that look the same feature up with the same expressions and
 * matchName give the same result on one node (feature_id set on both). */
static bool same_term(const struct nfd_term *x, const struct nfd_term *y)
{
	if (x->feature_id != y->feature_id || x->has_exprs != y->has_exprs ||
	    x->n_exprs != y->n_exprs)
		return false;
	for (size_t j = 0; j < x->n_exprs; j++)
		if (!streq(x->names[j], y->names[j]) || !same_expr(&x->exprs[j], &y->exprs[j]))
			return false;
	return same_expr(x->match_name, y->match_name);
}

static uint64_t hash_term(const struct nfd_term *t)
{
	uint64_t h = hash_size(hash_size(HASH_INIT, t->feature_id), t->n_exprs * 2 + t->has_exprs);

	for (size_t j = 0; j < t->n_exprs; j++)
		h = hash_expr(hash_str(h, t->names[j]), &t->exprs[j]);
	return hash_expr(h, t->match_name);
}

/* The slot of a key, or the empty one where it goes. */
static struct slot *lookup(struct table *t, uint64_t hash64, const char *str, size_t num,
			   const struct nfd_term *term)
{
	uint32_t hash = (uint32_t)(hash64 ^ (hash64 >> 32));

	for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
		struct slot *s = &t->v[i];

		if (!s->used)
			return s;
		if (s->hash != hash || s->num != num)
			continue;
		if (term ? same_term(s->term, term) : same_str(s->str, str))
			return s;
	}
}

/* The slot of a key, filled with the next id (the table's count) when the
 * key is new (*ret_new). */
static struct slot *intern(struct table *t, uint64_t hash, const char *str, size_t num,
			   const struct nfd_term *term, bool *ret_new)
{
	struct slot *s = lookup(t, hash, str, num, term);

	*ret_new = !s->used;
	if (!s->used) {
		s->used = true;
		s->hash = (uint32_t)(hash ^ (hash >> 32));
		s->num = (uint32_t)num;
		s->id = (uint32_t)t->n++;
		if (term)
			s->term = term;
		else
			s->str = str;
	}
	return s;
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
	size_t n_terms, n_values; /* the first pass's counts */
	struct table features, values, terms;
	const char **names; /* the features, by id */
	size_t hits;
};

static int count(struct nfd_term *t, void *data)
{
	struct index *ix = data;

	ix->n_terms++;
	ix->n_values += t->n_exprs + (t->match_name != NULL);
	return 0;
}

/* The id of (feature, name); *name becomes the string of the first term
 * that used it. */
static size_t value_id(struct index *ix, size_t feature_id, const char **name)
{
	const struct slot *s;
	bool added;

	s = intern(&ix->values, hash_str(hash_size(HASH_INIT, feature_id), *name), *name,
		   feature_id, NULL, &added);
	*name = s->str;
	return s->id;
}

static int assign(struct nfd_term *t, void *data)
{
	struct index *ix = data;
	const struct slot *s;
	bool added;

	/* terms of one feature share one string of its name, and of each
	 * element name: whoever sorts or groups them (nodes.c) compares
	 * pointers first */
	s = intern(&ix->features, hash_str(HASH_INIT, t->feature_lc), t->feature_lc, 0, NULL,
		   &added);
	t->feature_id = s->id;
	t->feature_lc = s->str;
	if (added)
		ix->names[t->feature_id] = t->feature_lc;
	t->value_ids = arena_alloc_raw(&ix->spec->arena, (t->n_exprs + 1) * sizeof(size_t),
				       _Alignof(size_t));
	if (!t->value_ids)
		return -ENOMEM;
	for (size_t j = 0; j < t->n_exprs; j++) {
		/* the decoder's array (spec-parse.c), const for readers */
		const char **names = (const char **)t->names;

		t->value_ids[j] = value_id(ix, t->feature_id, &names[j]);
	}
	if (t->match_name) {
		const char *none = NULL;

		t->name_value_id = value_id(ix, t->feature_id, &none);
	}
	/* a term like an earlier one shares its id and its expressions' bits */
	s = intern(&ix->terms, hash_term(t), NULL, 0, t, &added);
	t->term_id = s->id;
	if (added) {
		t->hit_off = ix->hits;
		ix->hits += t->n_exprs;
	} else {
		t->hit_off = s->term->hit_off;
	}
	return 0;
}

/* rule.matched grows while the spec is evaluated: its terms are evaluated
 * every time */
static int uncached(struct nfd_term *t, void *data)
{
	(void)data;
	if (streq(t->feature_lc, "rule.matched"))
		t->term_id = NFD_TERM_UNCACHED;
	return 0;
}

int nfd__spec_index(struct nfd_spec *spec)
{
	struct index ix = {.spec = spec};
	int r;

	(void)for_each_term(spec, count, &ix);
	r = table_init(&ix.features, ix.n_terms);
	if (r >= 0)
		r = table_init(&ix.values, ix.n_values);
	if (r >= 0)
		r = table_init(&ix.terms, ix.n_terms);
	if (r >= 0) {
		ix.names = arena_alloc(&spec->arena, (ix.n_terms + 1) * sizeof(*ix.names));
		if (!ix.names)
			r = -ENOMEM;
	}
	if (r >= 0)
		r = for_each_term(spec, assign, &ix);
	if (r >= 0) {
		(void)for_each_term(spec, uncached, NULL);
		spec->features = ix.names;
		spec->n_features = ix.features.n;
		spec->n_value_ids = ix.values.n;
		spec->n_term_ids = ix.terms.n;
		spec->n_term_hits = ix.hits;
	}
	free(ix.features.v);
	free(ix.values.v);
	free(ix.terms.v);
	return r;
}
