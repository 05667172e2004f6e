/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_evaluate(): NFD's validate-node pipeline (doc/semantics.md §9.1) over a parsed spec and
 * a node's features, producing the report rows of doc/semantics.md §9.2.
 */
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/array.h"

/*
 * Merge add[0..m) into the key-sorted, unique set base (a key in both
 * takes add's value) in one linear pass: O(n + m), where inserting one by
 * one moved the array for every key (200k vars took minutes).  add is
 * sorted and unique too.  base's array is replaced; returns 0 or -ENOMEM.
 */
static int kv_merge(struct nfd_kvs *base, const struct nfd_kv *add, size_t m)
{
	size_t cap = base->n + m + 1, i = 0, j = 0, k = 0;
	struct nfd_kv *out = malloc(cap * sizeof(*out)), *b = base->items;

	if (!out)
		return -ENOMEM;
	while (i < base->n || j < m) {
		int c = i == base->n ? 1 : j == m ? -1 : strcmp(b[i].key, add[j].key);

		if (c < 0)
			out[k++] = b[i++];
		else if (c > 0)
			out[k++] = add[j++];
		else {
			out[k++] = add[j++];
			i++;
		}
	}
	free(base->items);
	base->items = out;
	base->n = k;
	base->cap = cap;
	return 0;
}

/* InsertAttributeFeatures("rule", "matched", vars) (doc/semantics.md §1.2, §7). */
static int rm_insert(struct nfd_eval *ev, const struct nfd_kv *vars, size_t n)
{
	ev->rm_exists = true;
	/* many vars at once (sorted, unique): one linear merge */
	if (n > 16) {
		if (nfd__eval_charge(ev, 1 + (ev->rm.n + n) / 16) < 0)
			return -ETIME;
		return kv_merge(&ev->rm, vars, n);
	}
	for (size_t i = 0; i < n; i++) {
		/* an insertion may move every entry after it */
		if (nfd__eval_charge(ev, 1 + ev->rm.n / 64) < 0)
			return -ETIME;
		if (nfd__kvs_set(&ev->rm, vars[i].key, vars[i].value) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int rm_init(struct nfd_eval *ev)
{
	struct nfd__kvmap_view v;

	if (nfd__features_attributes(ev->features, "rule.matched", &v) < 0)
		return 0;
	return rm_insert(ev, v.items, v.n);
}

static size_t matcher_bools(const struct nfd_matcher *m)
{
	size_t n = 2 * m->n_terms;

	for (size_t i = 0; i < m->n_terms; i++)
		n += m->terms[i].n_exprs;
	return n;
}

static void result_init(struct nfd_matcher_result *res, const struct nfd_matcher *m, bool *buf)
{
	size_t n_exprs = matcher_bools(m) - 2 * m->n_terms;

	res->match = false;
	res->hit = buf;
	res->mn_hit = buf + n_exprs;
	res->processed = buf + n_exprs + m->n_terms;
}

static bool values_equal(const struct nfd_expr *a, const struct nfd_expr *b)
{
	if (a == b)
		return true;
	if (!streq(a->op_name, b->op_name) || a->n_values != b->n_values)
		return false;
	for (size_t i = 0; i < a->n_values; i++)
		if (!streq(a->values[i], b->values[i]))
			return false;
	return true;
}

/* doc/semantics.md §9.2: an expression row is OK iff some processed term of the same
 * feature (as written vs lower-cased) matched an equal expression under the
 * same name. */
static bool expr_status(const struct nfd_matcher *m, const struct nfd_matcher_result *res,
			const struct nfd_term *t, size_t j)
{
	size_t off = 0;

	for (size_t p = 0; p < m->n_terms; off += m->terms[p].n_exprs, p++) {
		const struct nfd_term *pt = &m->terms[p];

		if (!res->processed[p] || !pt->has_exprs ||
		    (t->feature != pt->feature_lc && !streq(t->feature, pt->feature_lc)))
			continue;
		for (size_t q = 0; q < pt->n_exprs; q++)
			if (res->hit[off + q] &&
			    (pt->names[q] == t->names[j] || streq(pt->names[q], t->names[j])) &&
			    values_equal(&t->exprs[j], &pt->exprs[q]))
				return true;
	}
	return false;
}

static bool name_status(const struct nfd_matcher *m, const struct nfd_matcher_result *res,
			const struct nfd_term *t)
{
	for (size_t p = 0; p < m->n_terms; p++) {
		const struct nfd_term *pt = &m->terms[p];

		if (res->processed[p] && res->mn_hit[p] && streq(t->feature, pt->feature_lc) &&
		    values_equal(t->match_name, pt->match_name))
			return true;
	}
	return false;
}

static int cmp_row(const void *a, const void *b)
{
	const struct nfd_report_row *x = a, *y = b;
	int c = strcmp(x->feature, y->feature);

	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->expr->str, y->expr->str);
	if (!c)
		c = (x->order > y->order) - (x->order < y->order);
	return c;
}

static int set_node_value(struct nfd_eval *ev, struct nfd_report *report,
			  struct nfd_report_row *row, const struct nfd_node_value *nv)
{
	const char *why;

	row->node_value = nv->joined;
	row->node_values = nv->items;
	row->n_node_values = nv->n;
	if (nv->joined)
		return 0;
	/* the report may outlive the features: a copy of the reason */
	why = nfd__features_unreadable(ev->features, row->feature);
	if (why && !(row->unreadable = arena_strdup(&report->arena, why)))
		return nfd__oom(ev->ctx);
	return 0;
}

/* A rule's rows come mostly in order: insertion sort them (stable, as the
 * order tie-break makes qsort), unless there are many. */
static void sort_rows(struct nfd_report_row *rows, size_t n)
{
	if (n > 32) {
		qsort(rows, n, sizeof(*rows), cmp_row);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct nfd_report_row row = rows[i];
		size_t k = i;

		for (; k > 0 && cmp_row(&rows[k - 1], &row) > 0; k--)
			rows[k] = rows[k - 1];
		rows[k] = row;
	}
}

static int add_rows(struct nfd_eval *ev, struct nfd_report *report, const struct nfd_matcher *m,
		    const struct nfd_matcher_result *res, int any_index,
		    struct nfd_report_row *rows, size_t *n)
{
	size_t first = *n;
	struct nfd_node_value nv;
	int r;

	for (size_t i = 0; i < m->n_terms; i++) {
		const struct nfd_term *t = &m->terms[i];

		for (size_t j = 0; j < t->n_exprs; j++) {
			struct nfd_report_row *row = &rows[(*n)++];

			row->feature = t->feature;
			row->name = t->names[j];
			row->expr = &t->exprs[j];
			row->any_index = any_index;
			row->is_match = expr_status(m, res, t, j);
			r = nfd__node_value(ev, &report->arena, t, t->names[j], t->value_ids[j],
					    &nv);
			if (r < 0)
				return r;
			r = set_node_value(ev, report, row, &nv);
			if (r < 0)
				return r;
			row->order = (unsigned)(*n - first);
		}
		if (t->match_name) {
			struct nfd_report_row *row = &rows[(*n)++];

			row->feature = t->feature;
			row->name = "";
			row->expr = t->match_name;
			row->any_index = any_index;
			row->is_match_name = true;
			row->is_match = name_status(m, res, t);
			r = nfd__node_value(ev, &report->arena, t, NULL, t->name_value_id, &nv);
			if (r < 0)
				return r;
			r = set_node_value(ev, report, row, &nv);
			if (r < 0)
				return r;
			row->order = (unsigned)(*n - first);
		}
	}
	sort_rows(rows + first, *n - first);
	return 0;
}

/* Static vars override what templates produced (doc/semantics.md §6 step 3). */
static int merge_static(struct nfd_kvs *vars, const struct nfd_rule *rule)
{
	/* both sides sorted and unique (rule->vars by the parser) */
	if (rule->n_vars == 0)
		return 0;
	return kv_merge(vars, rule->vars, rule->n_vars);
}

/* ExecuteGroupRule(rule, features, failFast=false) and its status (doc/semantics.md §6, §9.2). */
static int eval_rule(struct nfd_eval *ev, struct nfd_report *report, const struct nfd_rule *rule,
		     struct nfd_report_rule *out, struct nfd_kvs *vars)
{
	struct nfd_matcher_result any_small[8], *any = any_small;
	_cleanup_free_ struct nfd_matcher_result *any_heap = NULL;
	struct nfd_matcher_result mf;
	size_t total = matcher_bools(&rule->match_features), pos;
	bool any_matched = false, mf_matched = true;
	bool tmpl = rule->vars_template || rule->vars_template_err;
	struct nfd_elems elems = {.a = &ev->arena};
	int r;

	for (size_t i = 0; i < rule->n_any; i++)
		total += matcher_bools(&rule->match_any[i]);
	if (ARRAY_RESERVE(ev->hit, ev->cap_hit, total + 1) < 0)
		return nfd__oom(ev->ctx);
	memset(ev->hit, 0, total * sizeof(*ev->hit));
	if (rule->n_any > ARRAY_SIZE(any_small)) {
		any = any_heap = calloc(rule->n_any, sizeof(*any));
		if (!any)
			return nfd__oom(ev->ctx);
	}

	pos = matcher_bools(&rule->match_features);
	for (size_t i = 0; i < rule->n_any; i++) {
		result_init(&any[i], &rule->match_any[i], ev->hit + pos);
		pos += matcher_bools(&rule->match_any[i]);
		elems.n = 0;
		r = nfd__matcher_eval(ev, &rule->match_any[i], &any[i], tmpl ? &elems : NULL);
		if (r < 0)
			return r;
		any_matched = any_matched || any[i].match;
		/* templates run once per matching matchAny element */
		if (tmpl && any[i].match) {
			r = nfd__template_vars(ev, rule, &elems, vars);
			if (r < 0)
				return r;
		}
	}
	result_init(&mf, &rule->match_features, ev->hit);
	if (rule->match_features.n_terms > 0) {
		elems.n = 0;
		r = nfd__matcher_eval(ev, &rule->match_features, &mf, tmpl ? &elems : NULL);
		if (r < 0)
			return r;
		mf_matched = mf.match;
		if (tmpl && mf_matched) {
			r = nfd__template_vars(ev, rule, &elems, vars);
			if (r < 0)
				return r;
		}
	}
	/* Vars are published unless matchFeatures failed, even when only
	 * matchAny failed (doc/semantics.md §6, the non-failFast quirk). */
	if (!mf_matched)
		vars->n = 0;
	else if (merge_static(vars, rule) < 0)
		return nfd__oom(ev->ctx);

	out->name = rule->name;
	out->is_match = (rule->n_any == 0 || any_matched) && mf_matched;
	out->n_any = rule->n_any;
	out->rows = arena_alloc(&report->arena, (rule->n_rows + 1) * sizeof(*out->rows));
	out->any_start = arena_alloc(&report->arena, (rule->n_any + 1) * sizeof(size_t));
	if (!out->rows || !out->any_start)
		return nfd__oom(ev->ctx);
	r = add_rows(ev, report, &rule->match_features, &mf, -1, out->rows, &out->n_rows);
	for (size_t i = 0; r >= 0 && i < rule->n_any; i++) {
		out->any_start[i] = out->n_rows;
		r = add_rows(ev, report, &rule->match_any[i], &any[i], (int)i, out->rows,
			     &out->n_rows);
	}
	if (r < 0)
		return r == -ENOMEM ? nfd__oom(ev->ctx) : r;
	out->any_start[rule->n_any] = out->n_rows;
	if (!out->is_match) {
		r = 0;
		if (!mf_matched)
			r = nfd__explain_matcher(ev, &report->arena, &rule->match_features,
						 &out->hints, &out->n_hints);
		for (size_t i = 0; r >= 0 && rule->n_any && !any_matched && i < rule->n_any; i++)
			r = nfd__explain_matcher(ev, &report->arena, &rule->match_any[i],
						 &out->hints, &out->n_hints);
		if (r < 0)
			return r == -ENOMEM ? nfd__oom(ev->ctx) : r;
	}
	return 0;
}

static bool tag_selected(const char *tag, const char *const *tags)
{
	if (!tags || !tags[0])
		return true;
	for (; *tags; tags++)
		if (streq(*tags, tag))
			return true;
	return false;
}

static int eval_sets(struct nfd_eval *ev, struct nfd_report *report, const char *const *tags)
{
	const struct nfd_spec *spec = ev->spec;

	report->sets = arena_alloc(&report->arena, (spec->n_sets + 1) * sizeof(*report->sets));
	if (!report->sets)
		return nfd__oom(ev->ctx);
	report->best = -ENOENT;
	for (size_t i = 0; i < spec->n_sets; i++) {
		const struct nfd_set *set = &spec->sets[i];
		struct nfd_report_set *rs;

		if (!tag_selected(set->tag, tags))
			continue;
		rs = &report->sets[report->n_sets++];
		rs->set = set;
		rs->spec_index = (int)i;
		rs->compatible = true;
		rs->n_rules = set->n_rules;
		rs->rules = arena_alloc(&report->arena, (set->n_rules + 1) * sizeof(*rs->rules));
		if (!rs->rules)
			return nfd__oom(ev->ctx);
		for (size_t k = 0; k < set->n_rules; k++) {
			const struct nfd_rule *rule = &set->rules[k];
			struct nfd_kvs vars = {};
			int r = eval_rule(ev, report, rule, &rs->rules[k], &vars);

			/* rule.matched exists after the first rule, with or without vars */
			if (r >= 0)
				r = rm_insert(ev, vars.items, vars.n);
			if (r == -ENOMEM)
				r = nfd__oom(ev->ctx);
			free(vars.items);
			if (r < 0)
				return r;
			rs->compatible = rs->compatible && rs->rules[k].is_match;
		}
		if (rs->compatible &&
		    (report->best < 0 || set->weight > report->sets[report->best].set->weight))
			report->best = (int)(report->n_sets - 1);
	}
	return 0;
}

NFD_EXPORT int nfd_evaluate(struct nfd_ctx *ctx, const struct nfd_spec *spec,
			    const struct nfd_features *features, const char *const *tags,
			    struct nfd_report **ret)
{
	_cleanup_(nfd_features_unrefp) struct nfd_features *nf = NULL;
	struct nfd_eval ev = {.ctx = ctx, .spec = spec};
	struct nfd_report *report;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(spec, -EINVAL);
	assert_return(features, -EINVAL);
	assert_return(ret, -EINVAL);
	/* the views the rules read need sorted maps */
	r = nfd__features_normal(features, &nf);
	if (r < 0)
		return r;
	ev.features = nf;
	report = calloc(1, sizeof(*report));
	if (!report)
		return nfd__oom(ctx);
	report->refcount = 1;
	report->spec = nfd_spec_ref((struct nfd_spec *)spec);
	if (nfd__features_is_sealed(nf)) {
		report->features = nfd_features_ref(nf);
		ev.borrow_values = true;
	}
	nfd__eval_budget_init(&ev);
	/* the results of distinct terms, computed once (spec-index.c) */
	ev.tcache = calloc(spec->n_term_ids + 1, sizeof(*ev.tcache));
	ev.tcache_hits = calloc(spec->n_term_hits + 1, sizeof(*ev.tcache_hits));
	if (!ev.tcache || !ev.tcache_hits)
		r = -ENOMEM;
	else
		r = rm_init(&ev);
	/* a spent budget has its own message already; only allocation failures lack one */
	if (r == -ENOMEM)
		r = nfd__oom(ctx);
	else if (r >= 0)
		r = eval_sets(&ev, report, tags);
	nfd__eval_release(&ev);
	arena_release(&ev.arena);
	free(ev.rm.items);
	free(ev.hit);
	nfd__regex_scratch_free(ev.scratch);
	if (r < 0) {
		nfd_report_unref(report);
		return r;
	}
	*ret = report;
	return 0;
}
