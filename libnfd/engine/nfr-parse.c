/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NodeFeatureRule and NodeFeatureGroup decoding (api/nfd/v1alpha1/types.go
 * upstream): documents separated by "---", each an object or a List of
 * objects.  The matching part of each rule goes through the spec decoder's
 * building blocks (spec-decode.h), so it means exactly what it means in a
 * compat spec; the outputs are kept beside it.  What kubectl-nfd's validate
 * (pkg/kubectl-nfd/validate.go) reports becomes a problem, not an error:
 * nfd-master would run the object anyway.
 */
#include <stdio.h>
#include <string.h>

#include "shared/util.h"
#include "libnfd/engine/nfr.h"
#include "libnfd/engine/rule-template.h"
#include "libnfd/engine/spec-decode.h"
#include "libnfd/engine/spec-private.h"

struct objs {
	struct nfd_nfr_obj *v;
	struct nfd_set *sets;
	size_t n, cap;
};

struct nfr_parser {
	struct nfd_ctx *ctx;
	struct parser *p;
	struct arena *a;
	struct objs objs;
};

static int objs_push(struct nfr_parser *np, struct nfd_nfr_obj **ret_obj, struct nfd_set **ret_set)
{
	struct objs *o = &np->objs;

	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		struct nfd_nfr_obj *v = realloc(o->v, cap * sizeof(*v));
		struct nfd_set *s;

		if (!v)
			return nfd__oom(np->ctx);
		o->v = v;
		s = realloc(o->sets, cap * sizeof(*s));
		if (!s)
			return nfd__oom(np->ctx);
		o->sets = s;
		o->cap = cap;
	}
	o->v[o->n] = (struct nfd_nfr_obj){0};
	o->sets[o->n] = (struct nfd_set){.tag = "", .description = ""};
	*ret_obj = &o->v[o->n];
	*ret_set = &o->sets[o->n];
	o->n++;
	return 0;
}

/* A scalar as a string for a message, without the decoder's warnings. */
static const char *scalar(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR ? n->str : "";
}

/* kubectl-nfd's validate on one map of outputs, at each key's position.
 * nfd-master adds the default namespace first, and so do we (a label written
 * "foo" is valid; kubectl-nfd would call it unprefixed). */
static int check_map(struct nfr_parser *np, const struct ynode *map, enum nfd_out_kind kind,
		     const char *what)
{
	if (!map || map->kind != YNODE_MAP)
		return 0;
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
		const char *key = scalar(map->items[i]);
		const char *value = scalar(map->items[i + 1]);
		bool denied;

		if (!key || !value || !(key = nfd__add_ns(np->a, key)))
			return nfd__oom(np->ctx);
		/* kubectl-nfd checks a dynamic value's placeholder, "0" */
		if (value[0] == '@' && kind != NFD_OUT_ANNOTATION)
			value = "0";
		if (nfd__validate_output(kind, key, value, &err, &denied))
			continue;
		if (!strbuf_str(&err))
			return nfd__oom(np->ctx);
		if (nfd__dec_problem(np->p, map->items[i], "invalid %s \"%s\": %s", what, key,
				     err.buf) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int decode_template(struct nfr_parser *np, const struct ynode *n, const char *what,
			   const struct nfd_template **ret, const char **ret_err)
{
	const char *src;
	int r;

	if (!n || nfd__dec_is_null(n))
		return 0;
	r = nfd__dec_string(np->p, n, what, &src);
	if (r < 0 || !src[0])
		return r;
	/* nfd-master reports a template that does not parse when the rule matches */
	r = nfd__template_parse(np->a, src, ret, ret_err);
	if (r == -ENOMEM)
		return nfd__oom(np->ctx);
	if (r < 0)
		return nfd__dec_problem(np->p, n, "%s: invalid template: %s", what, *ret_err);
	return 0;
}

static int decode_taints(struct nfr_parser *np, const struct ynode *n, struct nfd_nfr_rule *out)
{
	bool null;
	int r = nfd__dec_list(np->p, n, "taints", &null);

	if (r < 0 || null)
		return r;
	out->taints = arena_alloc(np->a, (n->n + 1) * sizeof(*out->taints));
	if (!out->taints)
		return nfd__oom(np->ctx);
	for (size_t i = 0; i < n->n; i++) {
		struct nfd__field f[] = {{"key"}, {"value"}, {"effect"}};
		struct nfd_taint *t = &out->taints[out->n_taints++];
		_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
		bool denied;

		*t = (struct nfd_taint){"", "", ""};
		r = nfd__dec_fields(np->p, n->items[i], "a taint", f, ARRAY_SIZE(f));
		for (size_t k = 0; r >= 0 && k < ARRAY_SIZE(f); k++)
			if (f[k].value && !nfd__dec_is_null(f[k].value))
				r = nfd__dec_string(np->p, f[k].value, f[k].name,
						    k == 0   ? &t->key
						    : k == 1 ? &t->value
							     : &t->effect);
		if (r < 0)
			return r;
		if (nfd__validate_output(NFD_OUT_TAINT, t->key, t->effect, &err, &denied))
			continue;
		if (!strbuf_str(&err))
			return nfd__oom(np->ctx);
		r = nfd__dec_problem(np->p, n->items[i], "invalid taint %s=%s:%s: %s", t->key,
				     t->value, t->effect, err.buf);
		if (r < 0)
			return r;
	}
	return 0;
}

static int decode_any(struct nfr_parser *np, const struct ynode *any, struct nfd_rule *rule)
{
	bool null;
	int r = nfd__dec_list(np->p, any, "matchAny", &null);

	if (r < 0 || null)
		return r;
	rule->match_any = arena_alloc(np->a, (any->n + 1) * sizeof(*rule->match_any));
	if (!rule->match_any)
		return nfd__oom(np->ctx);
	rule->n_any = any->n;
	for (size_t i = 0; i < any->n; i++) {
		struct nfd__field mf[] = {{"matchFeatures"}};

		if (nfd__dec_is_null(any->items[i]))
			continue;
		r = nfd__dec_fields(np->p, any->items[i], "a matchAny element", mf, 1);
		if (r >= 0 && mf[0].value)
			r = nfd__dec_matcher(np->p, mf[0].value, &rule->match_any[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

enum {
	F_NAME,
	F_VARS,
	F_VARS_TEMPLATE,
	F_MATCH_FEATURES,
	F_MATCH_ANY,
	F_LABELS,
	F_LABELS_TEMPLATE,
	F_ANNOTATIONS,
	F_TAINTS,
	F_ERS,
};

static int decode_rule(struct nfr_parser *np, const struct ynode *n, bool group,
		       struct nfd_rule *rule, struct nfd_nfr_rule *out)
{
	struct nfd__field f[] = {{"name"},	     {"vars"},
				 {"varsTemplate"},   {"matchFeatures"},
				 {"matchAny"},	     {"labels"},
				 {"labelsTemplate"}, {"annotations"},
				 {"taints"},	     {"extendedResources"}};
	int r;

	rule->name = "";
	rule->pos = n->pos;
	if (nfd__dec_is_null(n))
		return nfd__dec_problem(np->p, n, "rule name cannot be empty");
	/* a group rule has no outputs but vars: its other keys are unknown */
	r = nfd__dec_fields(np->p, n, "a rule", f, group ? F_LABELS : ARRAY_SIZE(f));
	if (r >= 0 && f[F_NAME].value && !nfd__dec_is_null(f[F_NAME].value))
		r = nfd__dec_string(np->p, f[F_NAME].value, "name", &rule->name);
	if (r >= 0 && !rule->name[0])
		r = nfd__dec_problem(np->p, n, "rule name cannot be empty");
	if (r >= 0 && f[F_VARS].value && !nfd__dec_is_null(f[F_VARS].value))
		r = nfd__dec_string_map(np->p, f[F_VARS].value, "vars", &rule->vars, &rule->n_vars);
	if (r >= 0)
		r = decode_template(np, f[F_VARS_TEMPLATE].value, "varsTemplate",
				    &rule->vars_template, &rule->vars_template_err);
	if (r >= 0 && f[F_MATCH_FEATURES].value)
		r = nfd__dec_matcher(np->p, f[F_MATCH_FEATURES].value, &rule->match_features);
	if (r >= 0 && f[F_MATCH_ANY].value)
		r = decode_any(np, f[F_MATCH_ANY].value, rule);
	if (r < 0 || group)
		return r;
	if (f[F_LABELS].value && !nfd__dec_is_null(f[F_LABELS].value)) {
		r = nfd__dec_string_map(np->p, f[F_LABELS].value, "labels", &out->labels,
					&out->n_labels);
		if (r >= 0)
			r = check_map(np, f[F_LABELS].value, NFD_OUT_LABEL, "label");
	}
	if (r >= 0)
		r = decode_template(np, f[F_LABELS_TEMPLATE].value, "labelsTemplate",
				    &out->labels_template, &out->labels_template_err);
	if (r >= 0 && f[F_ANNOTATIONS].value && !nfd__dec_is_null(f[F_ANNOTATIONS].value)) {
		r = nfd__dec_string_map(np->p, f[F_ANNOTATIONS].value, "annotations",
					&out->annotations, &out->n_annotations);
		if (r >= 0)
			r = check_map(np, f[F_ANNOTATIONS].value, NFD_OUT_ANNOTATION, "annotation");
	}
	if (r >= 0 && f[F_ERS].value && !nfd__dec_is_null(f[F_ERS].value)) {
		r = nfd__dec_string_map(np->p, f[F_ERS].value, "extendedResources", &out->ers,
					&out->n_ers);
		if (r >= 0)
			r = check_map(np, f[F_ERS].value, NFD_OUT_ER, "extended resource");
	}
	if (r >= 0 && f[F_TAINTS].value)
		r = decode_taints(np, f[F_TAINTS].value, out);
	return r;
}

static int decode_object(struct nfr_parser *np, const struct ynode *n, bool group)
{
	struct nfd__field f[] = {{"metadata"}, {"spec"}};
	struct nfd__field mf[] = {{"name"}};
	struct nfd__field sf[] = {{"rules"}, {"featureGroupRules"}};
	const struct ynode *rules;
	struct nfd_nfr_obj *obj = NULL;
	struct nfd_set *set = NULL;
	bool null = true;
	int r;

	r = nfd__dec_fields(np->p, n, "the object", f, ARRAY_SIZE(f));
	if (r < 0)
		return r;
	r = objs_push(np, &obj, &set);
	if (r < 0)
		return r;
	obj->group = group;
	obj->pos = n->pos;
	obj->name = "";
	if (f[0].value && !nfd__dec_is_null(f[0].value)) {
		r = nfd__dec_fields(np->p, f[0].value, "metadata", mf, 1);
		if (r >= 0 && mf[0].value && !nfd__dec_is_null(mf[0].value))
			r = nfd__dec_string(np->p, mf[0].value, "metadata.name", &obj->name);
		if (r < 0)
			return r;
	}
	if (!obj->name[0] && nfd__dec_problem(np->p, n, "the object has no metadata.name") < 0)
		return -ENOMEM;
	set->tag = obj->name;
	if (!f[1].value || nfd__dec_is_null(f[1].value))
		return nfd__dec_error(np->p, n, "%s \"%s\" has no spec",
				      group ? "NodeFeatureGroup" : "NodeFeatureRule", obj->name);
	r = nfd__dec_fields(np->p, f[1].value, "spec", sf, ARRAY_SIZE(sf));
	if (r < 0)
		return r;
	rules = sf[group ? 1 : 0].value;
	if (rules) {
		r = nfd__dec_list(np->p, rules, group ? "featureGroupRules" : "rules", &null);
		if (r < 0)
			return r;
	}
	if (null)
		return 0;
	set->n_rules = rules->n;
	set->rules = arena_alloc(np->a, (rules->n + 1) * sizeof(*set->rules));
	obj->rules = arena_alloc(np->a, (rules->n + 1) * sizeof(*obj->rules));
	if (!set->rules || !obj->rules)
		return nfd__oom(np->ctx);
	for (size_t i = 0; i < rules->n; i++) {
		r = decode_rule(np, rules->items[i], group, &set->rules[i], &obj->rules[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int decode_doc(struct nfr_parser *np, const struct ynode *root, int depth)
{
	struct nfd__field f[] = {{"kind"}, {"items"}};
	const char *kind = "";
	bool null;
	int r;

	if (!root || nfd__dec_is_null(root))
		return 0;
	r = nfd__dec_fields(np->p, root, "the document", f, ARRAY_SIZE(f));
	if (r >= 0 && f[0].value && !nfd__dec_is_null(f[0].value))
		r = nfd__dec_string(np->p, f[0].value, "kind", &kind);
	if (r < 0)
		return r;
	if (streq(kind, "NodeFeatureRule") || streq(kind, "NodeFeatureGroup"))
		return decode_object(np, root, streq(kind, "NodeFeatureGroup"));
	if (depth == 0 && (streq(kind, "List") || streq(kind, "NodeFeatureRuleList") ||
			   streq(kind, "NodeFeatureGroupList"))) {
		if (!f[1].value)
			return 0;
		r = nfd__dec_list(np->p, f[1].value, "items", &null);
		for (size_t i = 0; r >= 0 && !null && i < f[1].value->n; i++)
			r = decode_doc(np, f[1].value->items[i], depth + 1);
		return r;
	}
	return nfd__dec_error(np->p, root,
			      "kind \"%s\": expected NodeFeatureRule or NodeFeatureGroup", kind);
}

/* A document marker line: "---" alone or followed by blanks. */
static bool is_marker(const char *p, const char *end)
{
	if (end - p < 3 || memcmp(p, "---", 3) != 0)
		return false;
	return end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\r' || p[3] == '\n';
}

static void shift_lines(struct ynode *n, unsigned int by, int depth)
{
	n->pos.line += by;
	for (size_t i = 0; depth < 128 && i < n->n; i++)
		shift_lines(n->items[i], by, depth + 1);
}

/* One document of the stream, whose first line is line. */
static int decode_chunk(struct nfr_parser *np, struct nfd_rules *rules, const char *s, size_t len,
			unsigned int line, bool *any)
{
	struct ynode *root = NULL;
	const char *msg = NULL;
	unsigned int l, c;
	int r, off = 0;

	r = nfd__yaml_load(np->a, s, len, &root, &msg);
	if (r == -ENOMEM)
		return nfd__oom(np->ctx);
	if (r < 0 && msg && sscanf(msg, "%u:%u:%n", &l, &c, &off) == 2 && off > 0)
		return nfd__error(np->ctx, EBADMSG, "%s:%u:%u:%s", rules->spec->name, l + line - 1,
				  c, msg + off);
	if (r < 0)
		return nfd__error(np->ctx, EBADMSG, "%s:%s", rules->spec->name, msg);
	if (!root)
		return 0;
	shift_lines(root, line - 1, 0);
	*any = *any || !nfd__dec_is_null(root);
	r = nfd__dec_duplicates(np->p, root);
	return r < 0 ? r : decode_doc(np, root, 0);
}

static int cmp_obj(const void *a, const void *b)
{
	const struct nfd_nfr_obj *x = *(const struct nfd_nfr_obj *const *)a;
	const struct nfd_nfr_obj *y = *(const struct nfd_nfr_obj *const *)b;
	int c = (int)x->group - (int)y->group;

	if (!c)
		c = strcmp(x->name, y->name);
	/* same name: document order (stable) */
	return c ? c : (x > y) - (x < y);
}

static int finish(struct nfr_parser *np, struct nfd_rules *rules)
{
	struct nfd_spec *spec = rules->spec;
	size_t n = np->objs.n;
	_cleanup_free_ struct nfd_nfr_obj **order = calloc(n + 1, sizeof(*order));

	spec->sets = arena_alloc(np->a, (n + 1) * sizeof(*spec->sets));
	rules->objs = arena_alloc(np->a, (n + 1) * sizeof(*rules->objs));
	if (!order || !spec->sets || !rules->objs)
		return nfd__oom(np->ctx);
	for (size_t i = 0; i < n; i++)
		order[i] = &np->objs.v[i];
	qsort(order, n, sizeof(*order), cmp_obj);
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)(order[i] - np->objs.v);

		rules->objs[i] = np->objs.v[k];
		spec->sets[i] = np->objs.sets[k];
		for (size_t j = 0; j < spec->sets[i].n_rules; j++) {
			struct nfd_rule *rule = &spec->sets[i].rules[j];

			rule->n_rows = nfd__dec_matcher_rows(&rule->match_features);
			for (size_t a = 0; a < rule->n_any; a++)
				rule->n_rows += nfd__dec_matcher_rows(&rule->match_any[a]);
		}
	}
	rules->n_objs = spec->n_sets = n;
	return 0;
}

int nfd__rules_decode(struct nfd_ctx *ctx, struct nfd_rules *rules, const char *buf, size_t len)
{
	struct nfr_parser np = {.ctx = ctx, .a = &rules->spec->arena};
	const char *s = buf, *end = buf + len;
	unsigned int line = 1, first = 1;
	bool any = false;
	int r;

	r = nfd__dec_new(ctx, rules->spec, &np.p);
	if (r < 0)
		return r;
	rules->spec->version = "v1alpha1";
	for (const char *p = s; r >= 0; line++) {
		const char *nl;

		if (p == end || is_marker(p, end)) {
			r = decode_chunk(&np, rules, s, (size_t)(p - s), first, &any);
			if (p == end)
				break;
			nl = memchr(p, '\n', (size_t)(end - p));
			s = p = nl ? nl + 1 : end;
			first = line + 1;
			continue;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (r >= 0 && np.objs.n == 0)
		r = nfd__error(ctx, EBADMSG, "%s: no NodeFeatureRule or NodeFeatureGroup%s",
			       rules->spec->name, any ? "" : " (the input is empty)");
	if (r >= 0)
		r = finish(&np, rules);
	r = nfd__dec_finish(np.p, r);
	free(np.objs.v);
	free(np.objs.sets);
	return r;
}

/* ---------------------------------------------------------------- the API */

NFD_EXPORT int nfd_rules_parse(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name,
			       struct nfd_rules **ret)
{
	struct nfd_rules *rules;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(buf || len == 0, -EINVAL);
	assert_return(ret, -EINVAL);
	if (!name)
		name = "<input>";
	if (len > NFD_SPEC_MAX_SIZE)
		return nfd__error_too_big(ctx, name, len, NFD_SPEC_MAX_SIZE,
					  "NodeFeatureRule files");
	rules = calloc(1, sizeof(*rules));
	if (!rules)
		return nfd__oom(ctx);
	rules->refcount = 1;
	rules->spec = calloc(1, sizeof(*rules->spec));
	if (!rules->spec) {
		free(rules);
		return nfd__oom(ctx);
	}
	rules->spec->refcount = 1;
	rules->spec->name = arena_strdup(&rules->spec->arena, name);
	r = rules->spec->name ? nfd__rules_decode(ctx, rules, buf ? buf : "", len) : nfd__oom(ctx);
	if (r < 0) {
		nfd_rules_unref(rules);
		return r;
	}
	*ret = rules;
	return 0;
}

static int parse_rules(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name,
		       void *ret)
{
	return nfd_rules_parse(ctx, buf, len, name, ret);
}

NFD_EXPORT int nfd_rules_parse_file(struct nfd_ctx *ctx, const char *path, struct nfd_rules **ret)
{
	return nfd__parse_file(ctx, path, "NodeFeatureRule files", parse_rules, ret);
}

NFD_EXPORT struct nfd_rules *nfd_rules_ref(struct nfd_rules *rules)
{
	if (rules)
		nfd__ref_inc(rules);
	return rules;
}

NFD_EXPORT struct nfd_rules *nfd_rules_unref(struct nfd_rules *rules)
{
	if (rules && nfd__ref_dec(rules) == 0) {
		nfd_spec_unref(rules->spec);
		free(rules);
	}
	return NULL;
}

NFD_EXPORT int nfd_rules_count_objects(const struct nfd_rules *rules)
{
	assert_return(rules, -EINVAL);
	return (int)rules->n_objs;
}

static void release_rules(void *owner)
{
	nfd_rules_unref(owner);
}

/* an iterator over n messages of the rules' spec */
static int iter_messages(const struct nfd_rules *rules, const char *const *msgs, size_t n,
			 struct nfd_iter **ret)
{
	struct nfd_kv *items;
	int r;

	items = calloc(n + 1, sizeof(*items));
	if (!items)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		items[i].key = msgs[i];
	r = nfd__iter_new(items, n, items, nfd_rules_ref((struct nfd_rules *)rules), release_rules,
			  ret);
	return r < 0 ? r : (int)n;
}

NFD_EXPORT int nfd_rules_iter_problems(const struct nfd_rules *rules, struct nfd_iter **ret)
{
	assert_return(rules, -EINVAL);
	assert_return(ret, -EINVAL);
	return iter_messages(rules, rules->spec->problems, rules->spec->n_problems, ret);
}

NFD_EXPORT int nfd_rules_iter_warnings(const struct nfd_rules *rules, struct nfd_iter **ret)
{
	assert_return(rules, -EINVAL);
	assert_return(ret, -EINVAL);
	return iter_messages(rules, rules->spec->warnings, rules->spec->n_warnings, ret);
}
