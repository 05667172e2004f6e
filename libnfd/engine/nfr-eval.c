/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_rules_evaluate(): what nfd-master gives one node
 * (pkg/nfd-master/nfd-master.go processNodeFeatureRule, refreshNodeFeatures,
 * filterFeatureLabel, filterExtendedResource, filterTaints; rules run as
 * pkg/apis/nfd/nodefeaturerule/rule.go Execute with failFast on).  The
 * order and the messages are written down in doc/nodefeaturerule.md.
 */
#include "libnfd/jansson-dl.h"
#include <string.h>

#include "libnfd/engine/nfr.h"

struct kvvec {
	struct nfd_kv *v;
	size_t n, cap;
};

struct nfd_rules_result {
	int refcount;
	struct arena arena;
	struct kvvec out[NFD_RULES_MESSAGES + 1];
	struct nfd_taint *taints;
	size_t n_taints;
	/* the normal form of the features evaluated: results may borrow its strings */
	struct nfd_features *features;
};

static int kv_grow(struct kvvec *kv)
{
	if (kv->n == kv->cap) {
		size_t cap = kv->cap ? kv->cap * 2 : 16;
		struct nfd_kv *p = realloc(kv->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		kv->v = p;
		kv->cap = cap;
	}
	return 0;
}

static int kv_append(struct kvvec *kv, const char *key, const char *value)
{
	if (!key || kv_grow(kv) < 0)
		return -ENOMEM;
	kv->v[kv->n++] = (struct nfd_kv){key, value};
	return 0;
}

/* A sorted map: the new value replaces an existing key's (maps.Copy).
 * *moved grows by the entries moved to make room. */
static int kv_put_moved(struct kvvec *kv, const char *key, const char *value, size_t *moved)
{
	size_t lo = 0, hi = kv->n;

	if (!key || !value) /* a failed copy */
		return -ENOMEM;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, kv->v[mid].key);

		if (c == 0) {
			kv->v[mid].value = value;
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (kv_grow(kv) < 0)
		return -ENOMEM;
	memmove(&kv->v[lo + 1], &kv->v[lo], (kv->n - lo) * sizeof(*kv->v));
	*moved += kv->n - lo;
	kv->v[lo] = (struct nfd_kv){key, value};
	kv->n++;
	return 0;
}

static int kv_put(struct kvvec *kv, const char *key, const char *value)
{
	size_t moved = 0;

	return kv_put_moved(kv, key, value, &moved);
}

/* The evaluation's rule.matched lives in ev->rm (as in evaluate.c). */
static int rm_put(struct nfd_eval *ev, const struct nfd_kv *items, size_t n)
{
	struct kvvec rm = {ev->rm.items, ev->rm.n, ev->rm.cap};
	int r = 0;

	ev->rm_exists = true;
	for (size_t i = 0; r >= 0 && i < n; i++) {
		size_t moved = 0;

		r = kv_put_moved(&rm, items[i].key, items[i].value, &moved);
		/* inserting moves the entries after the new one */
		if (r >= 0 && nfd__eval_charge(ev, 1 + moved / 64) < 0)
			r = -ETIME;
	}
	ev->rm.items = rm.v;
	ev->rm.n = rm.n;
	ev->rm.cap = rm.cap;
	return r;
}

static int rm_reset(struct nfd_eval *ev)
{
	struct nfd__kvmap_view v;

	ev->rm.n = 0;
	ev->rm_exists = false;
	if (nfd__features_attributes(ev->features, "rule.matched", &v) < 0)
		return 0;
	return rm_put(ev, v.items, v.n);
}

struct run {
	struct nfd_eval ev;
	struct nfd_rules_result *res;
	const struct nfd_rules_options *opts;
};

static int message(struct run *run, const char *kind, const char *fmt, ...) _printf_(3, 4);
static int message(struct run *run, const char *kind, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return -ENOMEM;
	nfd_info(run->ev.ctx, "%s", sb.buf);
	return kv_append(&run->res->out[NFD_RULES_MESSAGES], kind,
			 arena_strndup(&run->res->arena, sb.buf, sb.len));
}

/* One matcher with failFast; elems (when not NULL) gets the matched elements. */
static int match(struct nfd_eval *ev, const struct nfd_matcher *m, struct nfd_elems *elems,
		 bool *ret)
{
	_cleanup_free_ bool *buf = NULL;
	struct nfd_matcher_result res = {0};
	size_t n = 2 * m->n_terms;
	int r;

	for (size_t i = 0; i < m->n_terms; i++)
		n += m->terms[i].n_exprs;
	buf = calloc(n + 1, sizeof(*buf));
	if (!buf)
		return nfd__oom(ev->ctx);
	res.hit = buf;
	res.mn_hit = buf + (n - 2 * m->n_terms);
	res.processed = res.mn_hit + m->n_terms;
	if (elems)
		elems->n = 0;
	r = nfd__matcher_eval(ev, m, &res, elems);
	if (r < 0)
		return r;
	*ret = res.match;
	return 0;
}

/* labelsTemplate and varsTemplate over one matcher's elements (doc/semantics.md §8). */
static int run_templates(struct nfd_eval *ev, const struct nfd_rule *rule,
			 const struct nfd_nfr_rule *out, const struct nfd_elems *elems,
			 struct nfd_kv **labels, size_t *n_labels, struct nfd_kv **vars,
			 size_t *n_vars)
{
	struct nfd_kvs l = {*labels, *n_labels, *n_labels}, v = {*vars, *n_vars, *n_vars};
	int r = 0;

	if (out && (out->labels_template || out->labels_template_err)) {
		struct nfd_rule lt = *rule;

		lt.vars_template = out->labels_template;
		lt.vars_template_err = out->labels_template_err;
		r = nfd__template_vars(ev, &lt, elems, &l);
	}
	if (r >= 0 && (rule->vars_template || rule->vars_template_err))
		r = nfd__template_vars(ev, rule, elems, &v);
	*labels = l.items;
	*n_labels = l.n;
	*vars = v.items;
	*n_vars = v.n;
	return r;
}

static int put_all(struct kvvec *to, const struct nfd_kv *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (kv_put(to, items[i].key, items[i].value) < 0)
			return -ENOMEM;
	return 0;
}

/*
 * Execute(rule, features, failFast=true): 1 matched (labels and vars set),
 * 0 not, or a negative errno (the message on the ctx).
 */
static int execute(struct nfd_eval *ev, const struct nfd_rule *rule, const struct nfd_nfr_rule *out,
		   struct kvvec *labels, struct kvvec *vars)
{
	bool tmpl = rule->vars_template || rule->vars_template_err ||
		    (out && (out->labels_template || out->labels_template_err));
	struct nfd_elems elems = {.a = &ev->arena};
	_cleanup_free_ struct nfd_kv *tl = NULL, *tv = NULL;
	size_t n_tl = 0, n_tv = 0;
	bool m, any = false;
	int r;

	for (size_t i = 0; i < rule->n_any; i++) {
		r = match(ev, &rule->match_any[i], tmpl ? &elems : NULL, &m);
		if (r < 0)
			return r;
		if (!m)
			continue;
		any = true;
		if (!tmpl)
			break;
		r = run_templates(ev, rule, out, &elems, &tl, &n_tl, &tv, &n_tv);
		if (r < 0)
			return r;
	}
	if (rule->n_any > 0 && !any)
		return 0;
	if (rule->match_features.n_terms > 0) {
		r = match(ev, &rule->match_features, tmpl ? &elems : NULL, &m);
		if (r < 0)
			return r;
		if (!m)
			return 0;
		if (tmpl) {
			r = run_templates(ev, rule, out, &elems, &tl, &n_tl, &tv, &n_tv);
			if (r < 0)
				return r;
		}
	}
	/* static labels and vars override the templates' */
	if (put_all(labels, tl, n_tl) < 0 || put_all(vars, tv, n_tv) < 0 ||
	    (out && put_all(labels, out->labels, out->n_labels) < 0) ||
	    put_all(vars, rule->vars, rule->n_vars) < 0)
		return nfd__oom(ev->ctx);
	return 1;
}

static const char *add_ns(struct run *run, const char *key)
{
	if (run->opts->flags & NFD_RULES_DISABLE_AUTO_PREFIX)
		return key;
	return nfd__add_ns(&run->res->arena, key);
}

/* Strings from templates live in the evaluation's arena; outputs in the result's. */
static const char *keep(struct run *run, const char *s)
{
	return arena_strdup(&run->res->arena, s);
}

struct raw {
	struct kvvec labels, annotations, ers;
	struct nfd_taint *taints;
	size_t n_taints, cap_taints;
};

static int add_outputs(struct run *run, const struct nfd_nfr_rule *out, struct kvvec *labels,
		       struct raw *raw)
{
	for (size_t i = 0; i < labels->n; i++)
		if (kv_put(&raw->labels, add_ns(run, keep(run, labels->v[i].key)),
			   keep(run, labels->v[i].value)) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < out->n_annotations; i++)
		if (kv_put(&raw->annotations, add_ns(run, keep(run, out->annotations[i].key)),
			   keep(run, out->annotations[i].value)) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < out->n_ers; i++)
		if (kv_put(&raw->ers, add_ns(run, keep(run, out->ers[i].key)),
			   keep(run, out->ers[i].value)) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < out->n_taints; i++) {
		if (raw->n_taints == raw->cap_taints) {
			size_t cap = raw->cap_taints ? raw->cap_taints * 2 : 8;
			struct nfd_taint *p = realloc(raw->taints, cap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			raw->taints = p;
			raw->cap_taints = cap;
		}
		/* the result outlives the rules: its strings are its own */
		raw->taints[raw->n_taints++] = (struct nfd_taint){keep(run, out->taints[i].key),
								  keep(run, out->taints[i].value),
								  keep(run, out->taints[i].effect)};
		if (!raw->taints[raw->n_taints - 1].key || !raw->taints[raw->n_taints - 1].value ||
		    !raw->taints[raw->n_taints - 1].effect)
			return -ENOMEM;
	}
	return 0;
}

/* Run one object's rules; *ret_selected: any rule matched (a group's verdict). */
static int run_object(struct run *run, const struct nfd_rules *rules, size_t index, struct raw *raw,
		      bool *ret_selected)
{
	const struct nfd_set *set = &rules->spec->sets[index];
	const struct nfd_nfr_obj *obj = &rules->objs[index];

	*ret_selected = false;
	for (size_t k = 0; k < set->n_rules; k++) {
		const struct nfd_rule *rule = &set->rules[k];
		const struct nfd_nfr_rule *out = obj->group ? NULL : &obj->rules[k];
		struct kvvec labels = {0}, vars = {0};
		int r = execute(&run->ev, rule, out, &labels, &vars);

		if (r == -ENOMEM)
			goto oom;
		if (r < 0 && run->ev.budget == 0) {
			/* the work budget is spent: the whole evaluation stops */
			free(labels.v);
			free(vars.v);
			return nfd__eval_budget_error(&run->ev);
		}
		if (r < 0) {
			/* the rule adds nothing, not even to rule.matched */
			r = message(run, "rule", "failed to process rule \"%s\" of %s \"%s\": %s",
				    rule->name, obj->group ? "NodeFeatureGroup" : "NodeFeatureRule",
				    obj->name, nfd_ctx_last_error(run->ev.ctx));
			free(labels.v);
			free(vars.v);
			if (r < 0)
				return nfd__oom(run->ev.ctx);
			continue;
		}
		*ret_selected = *ret_selected || r > 0;
		if (r > 0 && !obj->group && add_outputs(run, out, &labels, raw) < 0)
			goto oom;
		/* group rules feed back only their vars; the strings outlive ev's arena */
		for (size_t i = 0; i < labels.n; i++)
			labels.v[i] = (struct nfd_kv){keep(run, labels.v[i].key),
						      keep(run, labels.v[i].value)};
		for (size_t i = 0; i < vars.n; i++)
			vars.v[i] = (struct nfd_kv){keep(run, vars.v[i].key),
						    keep(run, vars.v[i].value)};
		r = obj->group ? 0 : rm_put(&run->ev, labels.v, labels.n);
		if (r >= 0)
			r = rm_put(&run->ev, vars.v, vars.n);
		if (r >= 0 && !obj->group &&
		    put_all(&run->res->out[NFD_RULES_VARS], vars.v, vars.n) < 0)
			r = -ENOMEM;
		if (r < 0) {
			free(labels.v);
			free(vars.v);
			if (r == -ETIME)
				return r;
			goto oom;
		}
		free(labels.v);
		free(vars.v);
		continue;
	oom:
		free(labels.v);
		free(vars.v);
		return nfd__oom(run->ev.ctx);
	}
	return 0;
}

/* getDynamicValue: "@domain.feature.element" of an attribute feature. */
static int dynamic_value(struct run *run, const char *value, const char **ret, struct strbuf *err)
{
	const char *s = value + 1, *d1 = strchr(s, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	_cleanup_free_ char *feature = NULL;
	struct nfd__kvmap_view v;
	const struct nfd_kv *kv;

	if (!d2) {
		strbuf_appendf(err, "value %s is not in the form of '@domain.feature.element'",
			       value);
		return -EINVAL;
	}
	feature = strndup(s, (size_t)(d2 - s));
	if (!feature)
		return -ENOMEM;
	if (streq(feature, "rule.matched") && run->ev.rm_exists) {
		v = (struct nfd__kvmap_view){run->ev.rm.items, run->ev.rm.n, false};
	} else if (nfd__features_attributes(run->ev.features, feature, &v) < 0) {
		strbuf_appendf(err, "feature %s not found", feature);
		return -EINVAL;
	}
	kv = nfd__kv_find(v.items, v.n, d2 + 1);
	if (!kv) {
		strbuf_appendf(err, "element %s not found on feature %s", d2 + 1, feature);
		return -EINVAL;
	}
	*ret = kv->value;
	return 0;
}

static bool ns_listed(const char *ns, size_t len, const char *const *list, bool wildcards)
{
	for (; list && *list; list++) {
		const char *e = *list;

		if (wildcards && e[0] == '*' && e[1] == '.') {
			size_t n = strlen(e + 1);

			if (len >= n && memcmp(ns + len - n, e + 1, n) == 0)
				return true;
		} else if (strlen(e) == len && memcmp(ns, e, len) == 0) {
			return true;
		}
	}
	return false;
}

/* filterFeatureLabel / filterExtendedResource / filterFeatureAnnotations */
static int filter(struct run *run, enum nfd_out_kind kind, const struct kvvec *in,
		  enum nfd_rules_output to)
{
	static const char *const what[] = {"label", "annotation", "extended resource"};
	static const char *const mkind[] = {"label", "annotation", "extendedResource"};

	for (size_t i = 0; i < in->n; i++) {
		_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
		const char *key = in->v[i].key, *value = in->v[i].value;
		const char *slash = strchr(key, '/');
		size_t nslen = slash ? (size_t)(slash - key) : 0;
		bool ok = true, denied = false;
		int r;

		if (value[0] == '@' && kind != NFD_OUT_ANNOTATION) {
			r = dynamic_value(run, value, &value, &err);
			if (r == -ENOMEM)
				return r;
			ok = r >= 0;
		}
		if (ok)
			ok = nfd__validate_output(kind, key, value, &err, &denied);
		if (kind == NFD_OUT_LABEL &&
		    (denied || ns_listed(key, nslen, run->opts->deny_label_ns, true))) {
			ok = ns_listed(key, nslen, run->opts->extra_label_ns, false);
			strbuf_truncate(&err, 0);
			if (!ok)
				strbuf_appendf(&err, "namespace \"%.*s\" is not allowed",
					       (int)nslen, key);
		} else if (!ok && !slash && (run->opts->flags & NFD_RULES_DISABLE_AUTO_PREFIX) &&
			   streq(err.buf, "unprefixed keys are not allowed")) {
			ok = true;
		}
		if (ok) {
			/* a dynamic value is the node's: copy it */
			if (kv_put(&run->res->out[to], key, keep(run, value)) < 0)
				return -ENOMEM;
			continue;
		}
		if (!strbuf_str(&err) || message(run, mkind[kind], "ignoring %s %s=%s: %s",
						 what[kind], key, in->v[i].value, err.buf) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int filter_taints(struct run *run, const struct raw *raw)
{
	struct nfd_rules_result *res = run->res;

	if (raw->n_taints == 0)
		return 0;
	if (!(run->opts->flags & NFD_RULES_ENABLE_TAINTS))
		return message(run, "taint",
			       "%zu taint(s) not applied: taints are disabled (nfd-master "
			       "-enable-taints)",
			       raw->n_taints);
	res->taints = calloc(raw->n_taints + 1, sizeof(*res->taints));
	if (!res->taints)
		return -ENOMEM;
	for (size_t i = 0; i < raw->n_taints; i++) {
		_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
		const struct nfd_taint *t = &raw->taints[i];
		bool denied;

		if (nfd__validate_output(NFD_OUT_TAINT, t->key, t->effect, &err, &denied)) {
			_cleanup_strbuf_ struct strbuf ve = STRBUF_INIT;

			strbuf_appendf(&ve, "%s:%s", t->value, t->effect);
			if (!strbuf_str(&ve) ||
			    kv_append(&res->out[NFD_RULES_TAINTS], t->key,
				      arena_strndup(&res->arena, ve.buf, ve.len)) < 0)
				return -ENOMEM;
			res->taints[res->n_taints++] = *t;
			continue;
		}
		if (!strbuf_str(&err) || message(run, "taint", "ignoring taint %s=%s:%s: %s",
						 t->key, t->value, t->effect, err.buf) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* NodeFeature labels: prefixed before the merge, a prefixed key beating its
 * unprefixed twin (addNsToMapKeys). */
static int node_labels(struct run *run, struct kvvec *labels)
{
	const char *const *l = run->opts->node_labels;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; l && l[i] && l[i + 1]; i += 2) {
			bool prefixed = strchr(l[i], '/') != NULL;

			if (prefixed != (pass == 1))
				continue;
			if (kv_put(labels, add_ns(run, keep(run, l[i])), keep(run, l[i + 1])) < 0)
				return -ENOMEM;
		}
	return 0;
}

static int evaluate(struct run *run, const struct nfd_rules *rules)
{
	struct raw raw = {0};
	struct kvvec labels = {0};
	bool selected;
	int r = rm_reset(&run->ev);

	for (size_t i = 0; r >= 0 && i < rules->n_objs; i++)
		if (!rules->objs[i].group)
			r = run_object(run, rules, i, &raw, &selected);
	/* NFR labels override NodeFeature labels */
	if (r >= 0 &&
	    (node_labels(run, &labels) < 0 || put_all(&labels, raw.labels.v, raw.labels.n) < 0))
		r = -ENOMEM;
	if (r >= 0)
		r = filter(run, NFD_OUT_LABEL, &labels, NFD_RULES_LABELS);
	if (r >= 0)
		r = filter(run, NFD_OUT_ER, &raw.ers, NFD_RULES_EXTENDED_RESOURCES);
	if (r >= 0)
		r = filter(run, NFD_OUT_ANNOTATION, &raw.annotations, NFD_RULES_ANNOTATIONS);
	if (r >= 0)
		r = filter_taints(run, &raw);
	/* each group is evaluated on its own, from the node's features */
	for (size_t i = 0; r >= 0 && i < rules->n_objs; i++) {
		if (!rules->objs[i].group)
			continue;
		r = rm_reset(&run->ev);
		if (r >= 0)
			r = run_object(run, rules, i, NULL, &selected);
		if (r >= 0 && selected &&
		    kv_append(&run->res->out[NFD_RULES_GROUPS], keep(run, rules->objs[i].name),
			      NULL) < 0)
			r = -ENOMEM;
	}
	free(raw.labels.v);
	free(raw.annotations.v);
	free(raw.ers.v);
	free(raw.taints);
	free(labels.v);
	return r == -ENOMEM ? nfd__oom(run->ev.ctx) : r;
}

NFD_EXPORT int nfd_rules_evaluate(struct nfd_ctx *ctx, const struct nfd_rules *rules,
				  const struct nfd_features *features,
				  const struct nfd_rules_options *opts,
				  struct nfd_rules_result **ret)
{
	static const struct nfd_rules_options defaults = {.version = NFD_RULES_OPTIONS_VERSION};
	struct run run = {.ev = {.ctx = ctx, .fail_fast = true}};
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(rules, -EINVAL);
	assert_return(features, -EINVAL);
	assert_return(ret, -EINVAL);
	if (opts && opts->version != NFD_RULES_OPTIONS_VERSION)
		return nfd__error(ctx, EINVAL, "nfd_rules_options version %u is not %u",
				  opts->version, NFD_RULES_OPTIONS_VERSION);
	/* the outputs are JSON trees */
	if (nfd__jansson_unavailable())
		return nfd__error(ctx, ENOTSUP, "NodeFeatureRule outputs need jansson: %s",
				  nfd__jansson_unavailable());
	run.opts = opts ? opts : &defaults;
	run.ev.spec = rules->spec;
	nfd__eval_budget_init(&run.ev);
	run.res = calloc(1, sizeof(*run.res));
	if (!run.res)
		return nfd__oom(ctx);
	run.res->refcount = 1;
	/* the views the rules read need sorted maps */
	r = nfd__features_normal(features, &run.res->features);
	if (r < 0) {
		nfd_rules_result_unref(run.res);
		return r;
	}
	run.ev.features = run.res->features;
	r = evaluate(&run, rules);
	nfd__eval_release(&run.ev);
	arena_release(&run.ev.arena);
	free(run.ev.rm.items);
	free(run.ev.hit);
	nfd__regex_scratch_free(run.ev.scratch);
	if (r < 0) {
		nfd_rules_result_unref(run.res);
		return r;
	}
	*ret = run.res;
	return 0;
}

NFD_EXPORT struct nfd_rules_result *nfd_rules_result_ref(struct nfd_rules_result *res)
{
	if (res)
		nfd__ref_inc(res);
	return res;
}

NFD_EXPORT struct nfd_rules_result *nfd_rules_result_unref(struct nfd_rules_result *res)
{
	if (res && nfd__ref_dec(res) == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(res->out); i++)
			free(res->out[i].v);
		free(res->taints);
		arena_release(&res->arena);
		nfd_features_unref(res->features);
		free(res);
	}
	return NULL;
}

static void release_result(void *owner)
{
	nfd_rules_result_unref(owner);
}

NFD_EXPORT int nfd_rules_result_iter(const struct nfd_rules_result *res, enum nfd_rules_output what,
				     struct nfd_iter **ret)
{
	const struct kvvec *kv;
	int r;

	assert_return(res, -EINVAL);
	assert_return((unsigned)what <= NFD_RULES_MESSAGES, -EINVAL);
	assert_return(ret, -EINVAL);
	kv = &res->out[what];
	r = nfd__iter_new(kv->v, kv->n, NULL, nfd_rules_result_ref((struct nfd_rules_result *)res),
			  release_result, ret);
	return r < 0 ? r : (int)kv->n;
}

static json_t *json_map(const struct kvvec *kv)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < kv->n; i++)
		if (json_object_set_new(o, kv->v[i].key,
					json_string(kv->v[i].value ? kv->v[i].value : "")) < 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static int json_add(json_t *root, const char *key, json_t *v)
{
	return v ? json_object_set_new(root, key, v) : -1;
}

NFD_EXPORT int nfd_rules_result_to_json(const struct nfd_rules_result *res, char **ret)
{
	json_t *root, *groups, *msgs, *taints;
	char *s = NULL, *out;
	int r = 0;

	assert_return(res, -EINVAL);
	assert_return(ret, -EINVAL);
	root = json_object();
	groups = json_array();
	msgs = json_array();
	taints = json_array();
	if (!root || !groups || !msgs || !taints)
		r = -1;
	for (size_t i = 0; r >= 0 && i < res->out[NFD_RULES_GROUPS].n; i++)
		r = json_array_append_new(groups, json_string(res->out[NFD_RULES_GROUPS].v[i].key));
	for (size_t i = 0; r >= 0 && i < res->out[NFD_RULES_MESSAGES].n; i++)
		r = json_array_append_new(
			msgs, json_pack("{s:s, s:s}", "kind", res->out[NFD_RULES_MESSAGES].v[i].key,
					"message", res->out[NFD_RULES_MESSAGES].v[i].value));
	for (size_t i = 0; r >= 0 && i < res->n_taints; i++)
		r = json_array_append_new(
			taints, json_pack("{s:s, s:s, s:s}", "key", res->taints[i].key, "value",
					  res->taints[i].value, "effect", res->taints[i].effect));
	if (r >= 0)
		r = json_add(root, "labels", json_map(&res->out[NFD_RULES_LABELS]));
	if (r >= 0)
		r = json_add(root, "annotations", json_map(&res->out[NFD_RULES_ANNOTATIONS]));
	if (r >= 0)
		r = json_add(root, "extendedResources",
			     json_map(&res->out[NFD_RULES_EXTENDED_RESOURCES]));
	if (r >= 0)
		r = json_add(root, "vars", json_map(&res->out[NFD_RULES_VARS]));
	if (r >= 0)
		r = json_object_set(root, "taints", taints);
	if (r >= 0)
		r = json_object_set(root, "groups", groups);
	if (r >= 0)
		r = json_object_set(root, "messages", msgs);
	if (r >= 0)
		s = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	json_decref(groups);
	json_decref(msgs);
	json_decref(taints);
	if (!s)
		return -ENOMEM;
	out = malloc(strlen(s) + 2);
	if (out) {
		strcpy(out, s);
		strcat(out, "\n");
	}
	free(s);
	if (!out)
		return -ENOMEM;
	*ret = out;
	return 0;
}
