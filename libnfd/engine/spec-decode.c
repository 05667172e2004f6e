/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The decoding rules the spec and NodeFeatureRule decoders share (spec-parse.c,
 * nfr-parse.c): YAML nodes (spec-yaml.c) into the strings, fields, pairs and
 * lists of NFD's Go types, the way sigs.k8s.io/yaml and encoding/json read
 * them (doc/semantics.md §9.6), with file:line:column errors, warnings and
 * lint problems collected on the way.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "libnfd/engine/spec-private.h"
#include "libnfd/engine/spec-yaml.h"
#include "libnfd/engine/spec-decode.h"
#include "shared/array.h"

int nfd__dec_strvec_push(struct strvec *sv, const char *s)
{
	if (!s || ARRAY_RESERVE(sv->v, sv->cap, sv->n + 1) < 0)
		return -ENOMEM;
	sv->v[sv->n++] = s;
	return 0;
}

/* "name:line:col: " and the message, into sb: false when out of memory */
static _printf_(4, 0) bool vformat(struct parser *p, struct strbuf *sb, const struct ynode *n,
				   const char *fmt, va_list ap)
{
	strbuf_appendf(sb, "%s:%u:%u: ", p->spec->name, n ? n->pos.line : 1, n ? n->pos.col : 1);
	strbuf_vappendf(sb, fmt, ap);
	return strbuf_str(sb) != NULL;
}

int nfd__dec_error(struct parser *p, const struct ynode *n, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vformat(p, &sb, n, fmt, ap);
	va_end(ap);
	if (!ok)
		return nfd__oom(p->ctx);
	return nfd__error(p->ctx, EBADMSG, "%s", sb.buf);
}

/* A lint finding at n: a warning (also logged) or a problem (arena string). */
static _printf_(4, 0) int vnote(struct parser *p, struct strvec *to, const struct ynode *n,
				const char *fmt, va_list ap)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (!vformat(p, &sb, n, fmt, ap))
		return nfd__oom(p->ctx);
	if (to == &p->warnings)
		nfd_warn(p->ctx, "%s", sb.buf);
	if (nfd__dec_strvec_push(to, arena_strndup(p->a, sb.buf, sb.len)) < 0)
		return nfd__oom(p->ctx);
	return 0;
}

int nfd__dec_problem(struct parser *p, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vnote(p, &p->problems, n, fmt, ap);
	va_end(ap);
	return r;
}

int nfd__dec_warning(struct parser *p, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vnote(p, &p->warnings, n, fmt, ap);
	va_end(ap);
	return r;
}

const char *nfd__dec_kind_name(const struct ynode *n)
{
	return n->kind == YNODE_SEQ ? "a list" : n->kind == YNODE_MAP ? "a mapping" : "a scalar";
}

static bool is_null(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && n->stype == YSCALAR_NULL;
}

/* A scalar decoded into a Go string field, warning where YAML 1.1 rewrites it. */
static int get_string(struct parser *p, const struct ynode *n, const char *what, const char **ret)
{
	if (n->kind != YNODE_SCALAR)
		return nfd__dec_error(p, n, "%s must be a string, not %s", what,
				      nfd__dec_kind_name(n));
	if (n->stype == YSCALAR_BIGINT)
		return nfd__dec_error(p, n, "%s: number %s does not fit in 64 bits; quote it", what,
				      n->text);
	*ret = n->str;
	/* the resolution keeps the text itself where it reads the same */
	if (n->str == n->text)
		return 0;
	if (n->stype == YSCALAR_NULL)
		return nfd__dec_warning(p, n, "unquoted %s is read as an empty string; quote it",
					n->text);
	return nfd__dec_warning(p, n, "unquoted %s is read as %s; quote it", n->text, n->str);
}

/* An optional string: absent or null leaves *ret as it is. */
int nfd__dec_opt_string(struct parser *p, const struct ynode *n, const char *what, const char **ret)
{
	if (!n || is_null(n))
		return 0;
	return get_string(p, n, what, ret);
}

/* ---------------------------------------------------- struct nfd__field lookup */

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
		       const struct nfd__field *fields, size_t n_fields)
{
	const char *names[8];
	const char *near;
	size_t n = 0;

	/* the NodeFeatureRule decoder shares nfd__dec_fields(): its objects and
	 * documents carry Kubernetes keys (apiVersion, metadata, ...) */
	if (streq(what, "the document") || streq(what, "the object"))
		return 0;
	if (streq(what, "a rule"))
		for (size_t i = 0; i < ARRAY_SIZE(rule_ignored); i++)
			if (strcasecmp(rule_ignored[i], key) == 0)
				return nfd__dec_warning(
					p, k,
					"\"%s\" is ignored in a compatibility spec (only a "
					"NodeFeatureRule acts on it)",
					key);
	for (size_t i = 0; i < n_fields && n < ARRAY_SIZE(names); i++)
		names[n++] = fields[i].name;
	near = nfd__lint_nearest(key, names, n);
	if (near)
		return nfd__dec_problem(
			p, k, "unknown key \"%s\" in %s (NFD ignores it); did you mean \"%s\"?",
			key, what, near);
	return nfd__dec_problem(p, k, "unknown key \"%s\" in %s (NFD ignores it)", key, what);
}

/*
 * Assign a mapping's entries to struct nfd__fields the way encoding/json does:
 * exact name first, else a case-insensitive match; unknown keys are ignored
 * as NFD ignores them, and reported (unknown_key()).
 * sigs.k8s.io/yaml hands json the keys sorted, so among keys naming the same
 * field the greatest one wins, and of equal keys the last.
 */
int nfd__dec_fields(struct parser *p, const struct ynode *map, const char *what,
		    struct nfd__field *fields, size_t n_fields)
{
	if (map->kind != YNODE_MAP)
		return nfd__dec_error(p, map, "%s must be a mapping, not %s", what,
				      nfd__dec_kind_name(map));
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->items[i];
		const char *key;
		struct nfd__field *f = NULL;

		if (k->kind != YNODE_SCALAR)
			return nfd__dec_error(p, k, "%s: a key must be a scalar", what);
		if (k->stype == YSCALAR_NULL || k->stype == YSCALAR_TIMESTAMP ||
		    k->stype == YSCALAR_BIGINT)
			return nfd__dec_error(p, k, "%s: unsupported map key %s", what, k->text);
		key = k->str;
		/* the first byte settles most names */
		for (size_t j = 0; j < n_fields && !f; j++)
			if (fields[j].name[0] == key[0] && streq(fields[j].name, key))
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
			int r = nfd__dec_warning(
				p, k, "duplicate key \"%s\" (also \"%s\"); \"%s\" is used", key,
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

static int cmp_pair(const void *a, const void *b)
{
	const struct nfd__pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

int nfd__dec_pairs(struct parser *p, const struct ynode *map, const char *what,
		   struct nfd__pair **ret, size_t *ret_n)
{
	struct nfd__pair *v;
	size_t n = 0;

	if (map->kind != YNODE_MAP)
		return nfd__dec_error(p, map, "%s must be a mapping, not %s", what,
				      nfd__dec_kind_name(map));
	v = arena_alloc(p->a, (map->n / 2 + 1) * sizeof(*v));
	if (!v)
		return nfd__oom(p->ctx);
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->items[i];
		int r;

		if (k->kind == YNODE_SCALAR && is_null(k))
			return nfd__dec_error(p, k, "%s: unsupported map key %s", what, k->text);
		r = get_string(p, k, what, &v[n].key);
		if (r < 0)
			return r;
		v[n].key_node = k;
		v[n].value = map->items[i + 1];
		v[n].order = n;
		n++;
	}
	if (array_sort(v, n, sizeof(*v), cmp_pair) < 0)
		return nfd__oom(p->ctx);
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
	return nfd__dec_error(p, n, "%s must be a list, not %s", what, nfd__dec_kind_name(n));
}

/*
 * The list n (NULL: absent) of what, each item decoded by decode into a new
 * arena array of *ret_n elements of size bytes; null or absent leaves
 * *ret_items and *ret_n as they are.  0 or -errno (message set).
 */
int nfd__dec_items(struct parser *p, const struct ynode *n, const char *what, size_t size,
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

/*
 * The common case first: a mapping of a few keys, none repeated, is settled
 * without allocations or sorting: true when it is such a mapping, false
 * when map_duplicates() has to look.
 */
static bool small_map_unique(const struct ynode *n)
{
	const char *keys[8];
	size_t nk = 0;

	if (n->n / 2 > ARRAY_SIZE(keys))
		return false;
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];

		if (k->kind != YNODE_SCALAR)
			continue;
		keys[nk] = k->str;
		for (size_t j = 0; j < nk; j++)
			if (keys[j][0] == keys[nk][0] && streq(keys[j], keys[nk]))
				return false;
		nk++;
	}
	return true;
}

static int check_duplicates(struct parser *p, const struct ynode *n, unsigned depth)
{
	int r;

	if (!n || depth > 256)
		return 0;
	if (n->kind == YNODE_MAP && n->n >= 4) {
		r = small_map_unique(n) ? 0 : map_duplicates(p, n);
		if (r < 0)
			return r;
	}
	for (size_t i = n->kind == YNODE_MAP ? 1 : 0; i < n->n; i += n->kind == YNODE_MAP ? 2 : 1) {
		/* a scalar has no keys: no call for most values */
		if (!n->items[i] || n->items[i]->kind == YNODE_SCALAR)
			continue;
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

		if (k->kind != YNODE_SCALAR)
			continue;
		keys[nk].key = k->str;
		keys[nk].node = k;
		keys[nk].order = nk;
		nk++;
	}
	if (array_sort(keys, nk, sizeof(*keys), cmp_dup_key) < 0)
		return nfd__oom(p->ctx);
	for (size_t i = 1, f = 0; i < nk; i++) {
		if (!streq(keys[i].key, keys[f].key))
			f = i;
		else
			first[keys[i].order] = keys[f].node;
	}
	for (size_t i = 0, o = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i];
		const char *key = k->str;

		if (k->kind != YNODE_SCALAR)
			continue;
		if (first[o++] == NULL)
			continue;
		r = nfd__dec_warning(
			p, k,
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
		if (array_sort(p->sources.v, p->sources.n, sizeof(*p->sources.v), cmp_str) < 0)
			r = nfd__oom(p->ctx);
	}
	if (r >= 0) {
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
	struct nfd__pair *pairs;
	struct nfd_kv *kv;
	size_t count;
	int r = nfd__dec_pairs(p, n, what, &pairs, &count);

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
