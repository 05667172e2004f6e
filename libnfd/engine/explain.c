/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Explanations beyond the rows: why a rule failed when every row is OK.
 * NFD's rows say whether an expression matched anywhere; a matchExpressions
 * term over instances (pci.device, usb.device, ...) needs one instance that
 * matches all its expressions.  When each expression matches some instance
 * but none matches all, say so and show the closest instance.
 */
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/strbuf.h"

#define HINT_MAX_ATTRS 8

static int term_hint(struct nfd_eval *ev, struct arena *a, const struct nfd_term *t,
		     const char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	const struct nfd_feature_views *v;
	size_t best = 0, best_n = 0, n_matched = 0;
	bool any_all = false;
	bool *seen;
	int r;

	*ret = NULL;
	if (!t->has_exprs || t->n_exprs < 2 || t->match_name)
		return 0;
	r = nfd__eval_lookup(ev, t, &v);
	if (r < 0)
		return r;
	if (!v->exists || v->has_flags || v->has_attrs || v->n_inst == 0)
		return 0;
	seen = arena_alloc(&ev->arena, t->n_exprs * sizeof(*seen)); /* zeroed */
	if (!seen)
		return -ENOMEM;
	for (size_t i = 0; i < v->n_inst; i++) {
		size_t n = 0;

		for (size_t j = 0; j < t->n_exprs; j++) {
			const struct nfd_kv *kv =
				nfd__kv_find(v->inst[i].items, v->inst[i].n, t->names[j]);

			r = nfd__expr_eval(ev, &t->exprs[j], kv != NULL, kv ? kv->value : "");
			if (r < 0)
				return r;
			if (r > 0) {
				seen[j] = true;
				n++;
			}
		}
		if (n == t->n_exprs)
			any_all = true;
		if (n > best_n) {
			best_n = n;
			best = i;
		}
	}
	for (size_t j = 0; j < t->n_exprs; j++)
		n_matched += seen[j];
	/* an expression no instance matches already has its FAIL row */
	if (any_all || n_matched < t->n_exprs)
		return 0;
	strbuf_appendf(&sb, "no single %s has all of ", t->feature);
	for (size_t j = 0; j < t->n_exprs; j++)
		strbuf_appendf(&sb, "%s%s %s", j ? ", " : "", t->names[j], t->exprs[j].str);
	strbuf_appendf(&sb, "; closest (%zu of %zu, instance #%zu): ", best_n, t->n_exprs,
		       best + 1);
	for (size_t j = 0; j < t->n_exprs && j < HINT_MAX_ATTRS; j++) {
		const struct nfd_kv *kv =
			nfd__kv_find(v->inst[best].items, v->inst[best].n, t->names[j]);

		strbuf_appendf(&sb, "%s%s=%s", j ? ", " : "", t->names[j],
			       kv ? kv->value : "(absent)");
	}
	if (!strbuf_str(&sb))
		return -ENOMEM;
	*ret = arena_strndup(a, sb.buf, sb.len);
	return *ret ? 0 : -ENOMEM;
}

int nfd__explain_matcher(struct nfd_eval *ev, struct arena *a, const struct nfd_matcher *m,
			 const char ***hints, size_t *n_hints)
{
	for (size_t i = 0; i < m->n_terms; i++) {
		const char *h = NULL, **p;
		int r = term_hint(ev, a, &m->terms[i], &h);

		if (r < 0)
			return r;
		if (!h)
			continue;
		/* the comparisons with the hints so far */
		if (nfd__eval_charge(ev, 1 + *n_hints / 16) < 0)
			return -ETIME;
		for (size_t k = 0; k < *n_hints; k++)
			if (streq((*hints)[k], h))
				h = NULL;
		if (!h)
			continue;
		/* the array holds a power of two: full at 0, 1, 2, 4 ... hints */
		if ((*n_hints & (*n_hints - 1)) == 0) {
			p = arena_alloc(a, (*n_hints ? 2 * *n_hints : 1) * sizeof(*p));
			if (!p)
				return -ENOMEM;
			if (*n_hints)
				memcpy(p, *hints, *n_hints * sizeof(*p));
			*hints = p;
		}
		(*hints)[(*n_hints)++] = h;
	}
	return 0;
}
