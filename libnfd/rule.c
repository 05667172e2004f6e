// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Feature matcher terms and matchers with failFast off, as NFD's
 * validate-node runs them (§4, §5): every term, expression and instance is
 * evaluated so that all errors surface and each expression's individual
 * outcome can be reported (§11.2).
 */
#include <string.h>

#include "engine.h"

const struct nfd_kv *nfd__kv_find(const struct nfd_kv *items, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, items[mid].key);

		if (c == 0)
			return &items[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void nfd__eval_lookup(struct nfd_eval *ev, const char *feature_lc, struct nfd_feature_views *ret)
{
	bool inst_nil;

	memset(ret, 0, sizeof(*ret));
	if (nfd__features_flags(ev->features, feature_lc, &ret->flags) == 0) {
		ret->exists = true;
		ret->has_flags = !ret->flags.is_nil;
	}
	/* rule.matched is the evaluation's own, growing attribute set (§7). */
	if (ev->rm_exists && streq(feature_lc, "rule.matched")) {
		ret->exists = true;
		ret->has_attrs = true;
		ret->attrs.items = ev->rm;
		ret->attrs.n = ev->n_rm;
	} else if (nfd__features_attributes(ev->features, feature_lc, &ret->attrs) == 0) {
		ret->exists = true;
		ret->has_attrs = !ret->attrs.is_nil;
	}
	if (nfd__features_instances(ev->features, feature_lc, &ret->n_inst, &inst_nil) == 0)
		ret->exists = true;
}

/*
 * matchExpressions over flags ∪ attributes, then per instance (§4.1).  hit[j]
 * is set when expression j was true on the flag side, the attribute side or
 * in any one instance: what NFD records as "matched expressions".
 */
static int match_multi(struct nfd_eval *ev, const struct nfd_term *t,
		       const struct nfd_feature_views *v, bool *hit)
{
	bool match = v->has_flags || v->has_attrs, any_inst = false;

	for (size_t j = 0; j < t->n_exprs; j++) {
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
			} else if (e->op == NFD_OP_DOESNOTEXIST) {
				match = false;
				continue;
			}
		}
		if (!mk && !mv)
			match = false;
	}
	for (size_t i = 0; i < v->n_inst; i++) {
		struct nfd__kvmap_view inst;
		bool all = true;

		if (nfd__features_instance(ev->features, t->feature_lc, i, &inst) < 0)
			continue;
		for (size_t j = 0; j < t->n_exprs; j++) {
			const struct nfd_kv *kv = nfd__kv_find(inst.items, inst.n, t->names[j]);
			int r = nfd__expr_eval(ev, &t->exprs[j], kv != NULL, kv ? kv->value : "");

			if (r < 0)
				return r;
			if (r > 0)
				hit[j] = true;
			else
				all = false;
		}
		any_inst = any_inst || all;
	}
	return match || any_inst;
}

/* matchName over every element name (§4.2); all names are tried, so any
 * error surfaces whatever the order. */
static int match_names(struct nfd_eval *ev, const struct nfd_term *t,
		       const struct nfd_feature_views *v)
{
	const struct nfd_expr *m = t->match_name;
	bool found = false;
	int r;

	for (size_t i = 0; v->has_flags && i < v->flags.n; i++) {
		r = nfd__expr_eval(ev, m, true, v->flags.items[i].key);
		if (r < 0)
			return r;
		found = found || r > 0;
	}
	for (size_t i = 0; v->has_attrs && i < v->attrs.n; i++) {
		r = nfd__expr_eval(ev, m, true, v->attrs.items[i].key);
		if (r < 0)
			return r;
		found = found || r > 0;
	}
	for (size_t i = 0; i < v->n_inst; i++) {
		struct nfd__kvmap_view inst;

		if (nfd__features_instance(ev->features, t->feature_lc, i, &inst) < 0)
			continue;
		for (size_t k = 0; k < inst.n; k++) {
			r = nfd__expr_eval(ev, m, true, inst.items[k].key);
			if (r < 0)
				return r;
			found = found || r > 0;
		}
	}
	return found;
}

int nfd__matcher_eval(struct nfd_eval *ev, const struct nfd_matcher *m,
		      struct nfd_matcher_result *res)
{
	/* NFD keeps one "term matched" flag across terms (§5.4). */
	bool match = true, term_match = true;
	size_t off = 0;

	for (size_t i = 0; i < m->n_terms; off += m->terms[i].n_exprs, i++) {
		const struct nfd_term *t = &m->terms[i];
		struct nfd_feature_views v;
		bool any_hit = false;
		int r;

		nfd__eval_lookup(ev, t->feature_lc, &v);
		if (!v.exists) {
			match = false;
			continue;
		}
		if (t->has_exprs) {
			r = match_multi(ev, t, &v, res->hit + off);
			if (r < 0)
				return r;
			term_match = r > 0;
			for (size_t j = 0; j < t->n_exprs; j++)
				any_hit = any_hit || res->hit[off + j];
		}
		if (term_match && t->match_name) {
			r = match_names(ev, t, &v);
			if (r < 0)
				return r;
			term_match = r > 0;
			res->mn_hit[i] = term_match;
		}
		res->processed[i] = any_hit || res->mn_hit[i];
		if (!term_match)
			match = false;
	}
	res->match = match;
	return 0;
}

/* ------------------------------------------------------- explanations */

static int add_distinct(struct strbuf *sb, const char ***seen, size_t *n, size_t *cap,
			const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (streq((*seen)[i], s))
			return 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		const char **p = realloc(*seen, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*seen = p;
		*cap = c;
	}
	(*seen)[(*n)++] = s;
	if (sb->len)
		strbuf_puts(sb, ", ");
	strbuf_puts(sb, s);
	return 0;
}

char *nfd__node_value(struct nfd_eval *ev, struct nfd_arena *a, const struct nfd_term *t,
		      const char *name)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	_cleanup_free_ const char **seen = NULL;
	size_t n_seen = 0, cap = 0;
	struct nfd_feature_views v;
	bool any = false;

	nfd__eval_lookup(ev, t->feature_lc, &v);
	if (!v.exists)
		return NULL;
	if (!name) {
		/* matchName: the feature's element names */
		for (size_t i = 0; v.has_flags && i < v.flags.n; i++)
			any = add_distinct(&sb, &seen, &n_seen, &cap, v.flags.items[i].key) == 0;
		for (size_t i = 0; v.has_attrs && i < v.attrs.n; i++)
			any = add_distinct(&sb, &seen, &n_seen, &cap, v.attrs.items[i].key) == 0;
	} else {
		const struct nfd_kv *kv = v.has_attrs ?
						  nfd__kv_find(v.attrs.items, v.attrs.n, name) :
						  NULL;

		if (kv)
			return nfd__arena_strdup(a, kv->value);
		if (v.has_flags && nfd__kv_find(v.flags.items, v.flags.n, name))
			return nfd__arena_strdup(a, "present");
	}
	for (size_t i = 0; i < v.n_inst; i++) {
		struct nfd__kvmap_view inst;

		if (nfd__features_instance(ev->features, t->feature_lc, i, &inst) < 0)
			continue;
		for (size_t k = 0; k < inst.n; k++) {
			const struct nfd_kv *kv = &inst.items[k];

			if (name && !streq(kv->key, name))
				continue;
			any = add_distinct(&sb, &seen, &n_seen, &cap,
					   name ? kv->value : kv->key) == 0;
		}
	}
	if (!any || !strbuf_str(&sb))
		return NULL;
	return nfd__arena_strndup(a, sb.buf, sb.len);
}
