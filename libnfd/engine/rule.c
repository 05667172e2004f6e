/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Feature matcher terms and matchers with failFast off, as NFD's
 * validate-node runs them (doc/semantics.md §4, §5): every term, expression and instance is
 * evaluated so that all errors surface and each expression's individual
 * outcome can be reported (doc/semantics.md §9.2).
 */
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/array.h"

const struct nfd_kv *nfd__kv_find(const struct nfd_kv *items, size_t n, const char *key)
{
	ssize_t i = SORTED_SEARCH_BY(items, n, key, key);

	return i >= 0 ? &items[i] : NULL;
}

int nfd__kvs_set(struct nfd_kvs *s, const char *key, const char *value)
{
	ssize_t i = SORTED_SEARCH_BY(s->items, s->n, key, key);
	struct nfd_kv kv = {key, value};

	if (i >= 0) {
		s->items[i].value = value;
		return 0;
	}
	return ARRAY_INSERT(s->items, s->n, s->cap, (size_t)(-i - 1), kv);
}

static int load_views(struct nfd_eval *ev, const char *feature_lc, struct nfd_feature_views *v)
{
	bool inst_nil;

	if (nfd__features_flags(ev->features, feature_lc, &v->flags) == 0) {
		v->exists = true;
		v->has_flags = !v->flags.is_nil;
	}
	if (nfd__features_attributes(ev->features, feature_lc, &v->attrs) == 0) {
		v->exists = true;
		v->has_attrs = !v->attrs.is_nil;
	}
	if (nfd__features_instances(ev->features, feature_lc, &v->n_inst, &inst_nil) < 0)
		return 0;
	v->exists = true;
	if (v->n_inst == 0)
		return 0;
	v->inst = calloc(v->n_inst, sizeof(*v->inst));
	if (!v->inst)
		return -ENOMEM;
	for (size_t i = 0; i < v->n_inst; i++)
		(void)nfd__features_instance(ev->features, feature_lc, i, &v->inst[i]);
	return 0;
}

int nfd__eval_lookup(struct nfd_eval *ev, const struct nfd_term *t,
		     const struct nfd_feature_views **ret)
{
	struct nfd_feature_views *v;
	size_t n = ev->spec->n_features;

	if (!ev->views) {
		ev->views = calloc(n + 1, sizeof(*ev->views));
		ev->loaded = calloc(n + 1, sizeof(*ev->loaded));
		if (!ev->views || !ev->loaded)
			return -ENOMEM;
	}
	v = &ev->views[t->feature_id];
	/* The node is immutable during an evaluation: look each feature up once. */
	if (!ev->loaded[t->feature_id]) {
		int r = load_views(ev, t->feature_lc, v);

		if (r < 0)
			return r;
		ev->loaded[t->feature_id] = true;
	}
	/* rule.matched is the evaluation's own, growing attribute set (doc/semantics.md §7). */
	if (ev->rm_exists && t->term_id == NFD_TERM_UNCACHED) {
		v->exists = true;
		v->has_attrs = true;
		v->attrs.items = ev->rm.items;
		v->attrs.n = ev->rm.n;
		v->attrs.is_nil = false;
	}
	*ret = v;
	return 0;
}

void nfd__eval_release(struct nfd_eval *ev)
{
	for (size_t i = 0; ev->views && i < ev->spec->n_features; i++)
		free(ev->views[i].inst);
	free(ev->views);
	free(ev->loaded);
	free(ev->node_values);
	free(ev->node_values_done);
	free(ev->tcache);
	free(ev->tcache_hits);
	ev->tcache = NULL;
	ev->tcache_hits = NULL;
	ev->views = NULL;
	ev->loaded = NULL;
	ev->node_values = NULL;
	ev->node_values_done = NULL;
}

/* ------------------------------------------------- matched elements (doc/semantics.md §4.4) */

static struct tmpl_val elem_map(struct arena *a, size_t n)
{
	struct tmpl_map *m = arena_alloc(a, sizeof(*m));
	struct tmpl_val v = {.k = TMPL_MAP, .m = m};

	if (m) {
		m->keys = arena_alloc(a, (n + 1) * sizeof(*m->keys));
		m->vals = arena_alloc(a, (n + 1) * sizeof(*m->vals));
		m->n = n;
		m->elem = true;
		if (!m->keys || !m->vals)
			v.m = NULL;
	}
	return v;
}

/* {Name} for a flag, {Name, Value} for an attribute */
static struct tmpl_val name_elem(struct arena *a, const char *name, const char *value)
{
	struct tmpl_val v = elem_map(a, value ? 2 : 1);

	if (v.m) {
		struct tmpl_map *m = (struct tmpl_map *)v.m;

		m->keys[0] = "Name";
		m->vals[0] = (struct tmpl_val){.k = TMPL_STR, .s = name};
		if (value) {
			m->keys[1] = "Value";
			m->vals[1] = (struct tmpl_val){.k = TMPL_STR, .s = value};
		}
	}
	return v;
}

static struct tmpl_val inst_elem(struct arena *a, const struct nfd__kvmap_view *inst)
{
	struct tmpl_val v = elem_map(a, inst->n);

	for (size_t i = 0; v.m && i < inst->n; i++) {
		struct tmpl_map *m = (struct tmpl_map *)v.m;

		m->keys[i] = inst->items[i].key;
		m->vals[i] = (struct tmpl_val){.k = TMPL_STR, .s = inst->items[i].value};
	}
	return v;
}

static int elems_add(struct nfd_elems *e, struct nfd_elems_entry *en, struct tmpl_val v)
{
	if (!v.m)
		return -ENOMEM;
	if (ARENA_RESERVE(e->a, en->items, en->cap, en->n, en->n + 1) < 0)
		return -ENOMEM;
	en->items[en->n++] = v;
	return 0;
}

/* data[dom][nam] of a term: its feature as written, split at the first dot */
static struct nfd_elems_entry *elems_entry(struct nfd_elems *e, const struct nfd_term *t,
					   bool exists)
{
	const char *dot = strchr(t->feature, '.');
	const char *dom =
		dot ? arena_strndup(e->a, t->feature, (size_t)(dot - t->feature)) : t->feature_lc;
	const char *nam = exists ? (dot ? dot + 1 : "") : NULL;

	if (!dom)
		return NULL;
	for (size_t i = 0; i < e->n; i++)
		if (streq(e->entries[i].dom, dom) &&
		    (e->entries[i].nam == nam ||
		     (e->entries[i].nam && nam && streq(e->entries[i].nam, nam))))
			return &e->entries[i];
	if (ARENA_RESERVE(e->a, e->entries, e->cap, e->n, e->n + 1) < 0)
		return NULL;
	e->entries[e->n] = (struct nfd_elems_entry){.dom = dom, .nam = nam};
	return &e->entries[e->n++];
}

/*
 * matchExpressions over flags ∪ attributes, then per instance (doc/semantics.md §4.1).  hit[j]
 * is set when expression j was true on the flag side, the attribute side or
 * in any one instance: what NFD records as "matched expressions".
 */
static int match_multi(struct nfd_eval *ev, const struct nfd_term *t,
		       const struct nfd_feature_views *v, bool *hit, struct nfd_elems *elems,
		       struct nfd_elems_entry *en)
{
	bool match = v->has_flags || v->has_attrs, any_inst = false;
	size_t first = en ? en->n : 0;

	for (size_t j = 0; j < t->n_exprs && !(ev->fail_fast && !match); j++) {
		const struct nfd_expr *e = &t->exprs[j];
		const char *name = t->names[j];
		bool mk = false, mv = false;
		int r;

		if (v->has_flags) {
			r = nfd__expr_eval(ev, e, nfd__kv_find(v->flags.items, v->flags.n, name),
					   NULL);
			if (r < 0)
				return r;
			mk = r > 0;
			if (mk) {
				hit[j] = true;
				if (en && elems_add(elems, en, name_elem(elems->a, name, NULL)) < 0)
					return -ENOMEM;
			} else if (e->op == NFD_OP_DOESNOTEXIST) {
				/* must be absent from both maps; skip the attributes */
				match = false;
				continue;
			}
		}
		if (v->has_attrs) {
			const struct nfd_kv *kv = nfd__kv_find(v->attrs.items, v->attrs.n, name);

			r = nfd__expr_eval(ev, e, kv != NULL, kv ? kv->value : "");
			if (r < 0)
				return r;
			mv = r > 0;
			if (mv) {
				hit[j] = true;
				if (en &&
				    elems_add(elems, en,
					      name_elem(elems->a, name, kv ? kv->value : "")) < 0)
					return -ENOMEM;
			} else if (e->op == NFD_OP_DOESNOTEXIST) {
				match = false;
				continue;
			}
		}
		if (!mk && !mv)
			match = false;
	}
	/* failFast drops the elements of a failed flags/attributes part */
	if (ev->fail_fast && !match && en)
		en->n = first;
	for (size_t i = 0; i < v->n_inst; i++) {
		const struct nfd__kvmap_view *inst = &v->inst[i];
		bool all = true;

		for (size_t j = 0; j < t->n_exprs; j++) {
			const struct nfd_kv *kv = nfd__kv_find(inst->items, inst->n, t->names[j]);
			int r = nfd__expr_eval(ev, &t->exprs[j], kv != NULL, kv ? kv->value : "");

			if (r < 0)
				return r;
			if (r > 0)
				hit[j] = true;
			else
				all = false;
			if (!all && ev->fail_fast)
				break;
		}
		if (all && en && elems_add(elems, en, inst_elem(elems->a, inst)) < 0)
			return -ENOMEM;
		any_inst = any_inst || all;
	}
	return match || any_inst;
}

/* matchName over every element name (doc/semantics.md §4.2); all names are tried, so any
 * error surfaces whatever the order. */
static int match_names(struct nfd_eval *ev, const struct nfd_term *t,
		       const struct nfd_feature_views *v, struct nfd_elems *e,
		       struct nfd_elems_entry *en)
{
	const struct nfd_expr *m = t->match_name;
	bool found = false;
	size_t fi = 0, ai = 0;
	int r;

	/* flags and attributes, merged by name, flags first among equals */
	while ((v->has_flags && fi < v->flags.n) || (v->has_attrs && ai < v->attrs.n)) {
		bool flag = v->has_flags && fi < v->flags.n &&
			    (!v->has_attrs || ai >= v->attrs.n ||
			     strcmp(v->flags.items[fi].key, v->attrs.items[ai].key) <= 0);
		const struct nfd_kv *kv = flag ? &v->flags.items[fi++] : &v->attrs.items[ai++];

		r = nfd__expr_eval(ev, m, true, kv->key);
		if (r < 0)
			return r;
		found = found || r > 0;
		if (r > 0 && en &&
		    elems_add(e, en, name_elem(e->a, kv->key, flag ? NULL : kv->value)) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < v->n_inst; i++) {
		bool inst_found = false;

		for (size_t k = 0; k < v->inst[i].n; k++) {
			r = nfd__expr_eval(ev, m, true, v->inst[i].items[k].key);
			if (r < 0)
				return r;
			inst_found = inst_found || r > 0;
		}
		if (inst_found && en && elems_add(e, en, inst_elem(e->a, &v->inst[i])) < 0)
			return -ENOMEM;
		found = found || inst_found;
	}
	return found;
}

int nfd__matcher_eval(struct nfd_eval *ev, const struct nfd_matcher *m,
		      struct nfd_matcher_result *res, struct nfd_elems *elems)
{
	/* NFD keeps one "term matched" flag across terms (doc/semantics.md §5.4). */
	bool match = true, term_match = true;
	size_t off = 0;

	for (size_t i = 0; i < m->n_terms; off += m->terms[i].n_exprs, i++) {
		const struct nfd_term *t = &m->terms[i];
		const struct nfd_feature_views *v;
		struct nfd_elems_entry *en;
		struct nfd_term_cache *tc;
		bool any_hit = false;
		int r;

		r = nfd__eval_lookup(ev, t, &v);
		if (r < 0)
			return nfd__oom(ev->ctx);
		/* every term makes data[dom]; an existing feature data[dom][nam] */
		en = NULL;
		if (elems) {
			/* elems_entry() looks at every entry */
			if (nfd__eval_charge(ev, 1 + elems->n / 16) < 0)
				return -ETIME;
			en = elems_entry(elems, t, v->exists);
			if (!en)
				return nfd__oom(ev->ctx);
		}
		if (!v->exists) {
			match = false;
			if (ev->fail_fast)
				break;
			continue;
		}
		tc = ev->tcache && t->term_id != NFD_TERM_UNCACHED ? &ev->tcache[t->term_id] : NULL;
		if (t->has_exprs) {
			bool *tc_hit = tc ? ev->tcache_hits + t->hit_off : NULL;

			/* an identical term of an earlier rule gave this already
			 * (its elements for a template are not kept: recompute) */
			if (tc && tc->multi && !elems) {
				if (nfd__eval_charge(ev, 1) < 0)
					return -ETIME;
				r = tc->multi - 1;
				memcpy(res->hit + off, tc_hit, t->n_exprs * sizeof(*tc_hit));
			} else {
				r = match_multi(ev, t, v, res->hit + off, elems, en);
				if (r < 0)
					return r == -ENOMEM ? nfd__oom(ev->ctx) : r;
				if (tc) {
					tc->multi = (uint8_t)(1 + (r > 0));
					memcpy(tc_hit, res->hit + off,
					       t->n_exprs * sizeof(*tc_hit));
				}
			}
			term_match = r > 0;
			for (size_t j = 0; j < t->n_exprs; j++)
				any_hit = any_hit || res->hit[off + j];
		}
		if (term_match && t->match_name) {
			if (tc && tc->names && !elems) {
				if (nfd__eval_charge(ev, 1) < 0)
					return -ETIME;
				r = tc->names - 1;
			} else {
				r = match_names(ev, t, v, elems, en);
				if (r < 0)
					return r == -ENOMEM ? nfd__oom(ev->ctx) : r;
				if (tc)
					tc->names = (uint8_t)(1 + (r > 0));
			}
			term_match = r > 0;
			res->mn_hit[i] = term_match;
		}
		res->processed[i] = any_hit || res->mn_hit[i];
		if (!term_match) {
			match = false;
			if (ev->fail_fast)
				break;
		}
	}
	res->match = match;
	return 0;
}

/* ------------------------------------------------------- explanations */

/* The strings of a node value, in order; duplicates dropped by join(). */
struct strs {
	const char **v;
	size_t n, cap;
};

static int strs_add(struct nfd_eval *ev, struct strs *l, const char *s)
{
	if (nfd__eval_charge(ev, 1) < 0)
		return -ETIME;
	if (ARRAY_RESERVE(l->v, l->cap, l->n + 1) < 0)
		return -ENOMEM;
	l->v[l->n++] = s;
	return 0;
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Keep the first of each distinct string, in order: one pass with an open
 * addressing set of the strings kept (linear, where comparing each with all
 * before was quadratic). */
static int strs_distinct(struct strs *l)
{
	const char *small[64];
	size_t size = 8, m = 0;
	const char **set;

	while (size < 2 * l->n)
		size *= 2;
	set = size <= ARRAY_SIZE(small) ? small : malloc(size * sizeof(*set));
	if (!set)
		return -ENOMEM;
	memset(set, 0, size * sizeof(*set));
	for (size_t i = 0; i < l->n; i++) {
		size_t k = (size_t)str_hash(l->v[i]) & (size - 1);

		while (set[k] && !streq(set[k], l->v[i]))
			k = (k + 1) & (size - 1);
		if (set[k])
			continue;
		set[k] = l->v[i];
		l->v[m++] = l->v[i];
	}
	l->n = m;
	if (set != small)
		free(set);
	return 0;
}

/* The arena's copy of n strings; with borrow, of the array only (the
 * strings are the node's, which the report holds). */
static const char **arena_strv(struct arena *a, const char *const *v, size_t n, bool borrow)
{
	const char **out = arena_alloc(a, (n ? n : 1) * sizeof(*out));

	for (size_t i = 0; out && i < n; i++)
		if (!(out[i] = borrow ? v[i] : arena_strdup(a, v[i])))
			return NULL;
	return out;
}

/* 0 with ret->joined NULL when the node has no value to show; -ENOMEM, -ETIME */
static int compute_node_value(struct nfd_eval *ev, struct arena *a, const struct nfd_term *t,
			      const char *name, struct nfd_node_value *ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct strs l = {0};
	const struct nfd_feature_views *v;
	const char *one = NULL;
	bool borrow;
	int r = 0;

	*ret = (struct nfd_node_value){};
	if (nfd__eval_lookup(ev, t, &v) < 0 || !v->exists)
		return 0;
	if (!name) {
		/* matchName: the feature's element names */
		for (size_t i = 0; r >= 0 && v->has_flags && i < v->flags.n; i++)
			r = strs_add(ev, &l, v->flags.items[i].key);
		for (size_t i = 0; r >= 0 && v->has_attrs && i < v->attrs.n; i++)
			r = strs_add(ev, &l, v->attrs.items[i].key);
		for (size_t i = 0; r >= 0 && i < v->n_inst; i++)
			for (size_t k = 0; r >= 0 && k < v->inst[i].n; k++)
				r = strs_add(ev, &l, v->inst[i].items[k].key);
	} else {
		const struct nfd_kv *kv =
			v->has_attrs ? nfd__kv_find(v->attrs.items, v->attrs.n, name) : NULL;

		if (kv)
			one = kv->value;
		else if (v->has_flags && nfd__kv_find(v->flags.items, v->flags.n, name))
			one = "present";
		for (size_t i = 0; !one && r >= 0 && i < v->n_inst; i++) {
			kv = nfd__kv_find(v->inst[i].items, v->inst[i].n, name);
			if (kv)
				r = strs_add(ev, &l, kv->value);
		}
	}
	/* rule.matched values live in the evaluation, not in the node */
	borrow = ev->borrow_values && t->term_id != NFD_TERM_UNCACHED;
	if (one) {
		ret->items = arena_strv(a, &one, 1, borrow);
		ret->joined = ret->items ? ret->items[0] : NULL;
		ret->n = 1;
		return ret->items ? 0 : -ENOMEM;
	}
	if (r >= 0 && l.n > 0)
		r = strs_distinct(&l);
	if (r >= 0 && l.n > 0) {
		for (size_t i = 0; i < l.n; i++) {
			if (sb.len)
				strbuf_puts(&sb, ", ");
			strbuf_puts(&sb, l.v[i]);
		}
		if (!strbuf_str(&sb))
			r = -ENOMEM;
		else if (nfd__eval_charge(ev, sb.len / 64) < 0) /* the bytes joined */
			r = -ETIME;
		else {
			ret->items = arena_strv(a, l.v, l.n, borrow);
			ret->joined = arena_strndup(a, sb.buf, sb.len);
			ret->n = l.n;
			if (!ret->items || !ret->joined)
				r = -ENOMEM;
		}
	}
	free(l.v);
	return r;
}

/* Rows of many rules name the same elements: compute each value once. */
int nfd__node_value(struct nfd_eval *ev, struct arena *a, const struct nfd_term *t,
		    const char *name, size_t value_id, struct nfd_node_value *ret)
{
	int r;

	if (t->term_id == NFD_TERM_UNCACHED) /* rule.matched: it changes between rules */
		return compute_node_value(ev, a, t, name, ret);
	if (!ev->node_values) {
		struct nfd_node_value *values = calloc(ev->spec->n_value_ids + 1, sizeof(*values));
		bool *done = calloc(ev->spec->n_value_ids + 1, sizeof(*done));

		if (!values || !done) {
			free(values);
			free(done);
			return -ENOMEM;
		}
		ev->node_values = values;
		ev->node_values_done = done;
	}
	if (!ev->node_values_done[value_id]) {
		r = compute_node_value(ev, a, t, name, &ev->node_values[value_id]);
		if (r < 0)
			return r;
		ev->node_values_done[value_id] = true;
	}
	*ret = ev->node_values[value_id];
	return 0;
}
