/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading features documents: NFD's `nfd export features` document, a
 * NodeFeature object, or what `kubectl get nodefeatures -A -o json` prints (a
 * List of them).  One pass with the pull reader: each object's features go
 * straight into an nfd_features, and features no spec asks for are skipped
 * without being decoded (doc/many-nodes.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/macro.h"
#include "shared/strbuf.h"
#include "libnfd/features-private.h"
#include "libnfd/json-reader.h"
#include "libnfd/nodes-json-private.h"

#define NODEFEATURE_GROUP "nfd.k8s-sigs.io/"
int nfd__doc_type_error(struct doc_parser *dp, const char *path, const char *want)
{
	return jr_fail(&dp->jr, EBADMSG, "%s%s: expected %s, got %s", dp->where, path, want,
		       jr_type_name(&dp->jr));
}

/* The start of an object at path that may be null: 1 inside the object, 0
 * for null (nothing to read), or -errno. */
static int object_or_null(struct doc_parser *dp, const char *path)
{
	int r = jr_null(&dp->jr);

	if (r != 0)
		return r < 0 ? r : 0;
	if (jr_peek(&dp->jr) != '{')
		return nfd__doc_type_error(dp, path, "an object");
	r = jr_object_begin(&dp->jr);
	return r < 0 ? r : 1;
}

static const struct keep_feature keep_all = {.all = true};

/* What to keep of a feature, or NULL to skip it. */
static const struct keep_feature *keep_feature(const struct doc_parser *dp, const char *name)
{
	size_t lo = 0, hi = dp->opts->n_keep;

	if (!dp->opts->keep)
		return &keep_all;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, dp->opts->keep[mid].name);

		if (c == 0)
			return &dp->opts->keep[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* strcmp() of name (len bytes, no NUL) and s */
static int cmp_n(const char *name, size_t len, const char *s)
{
	size_t n = strnlen(s, len + 1);
	int c = memcmp(name, s, MIN(len, n));

	if (c)
		return c;
	return len < n ? -1 : len > n;
}

static bool keep_element_search(const struct keep_feature *k, const char *name, size_t len)
{
	size_t lo = 0, hi = k->n_elems;

	/* most keys of a large map are no element's length */
	if (!(k->len_mask & (1ull << (len & 63))))
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_n(name, len, k->elems[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static inline bool keep_element(const struct keep_feature *k, const char *name, size_t len)
{
	return k->all || keep_element_search(k, name, len);
}

/* "flags": {"<feature>": {"elements": {"<name>": {}}}}, and "attributes" alike */
static int map_elements(struct doc_parser *dp, struct nfd_features *f, const char *section,
			enum nfd_feature_type type)
{
	const char *feature = strbuf_str(&dp->fname), *raw;
	struct feature *ft;
	bool first = true;
	size_t len;
	int r;

	if (jr_peek(&dp->jr) != '{')
		return jr_fail(&dp->jr, EBADMSG, "%s%s.\"%s\".elements: expected an object, got %s",
			       dp->where, section, feature, jr_type_name(&dp->jr));
	/* the feature is looked up once, its elements appended to it */
	if ((r = nfd__features_get(f, type, feature, &ft)) < 0)
		return r;
	if ((r = jr_object_begin(&dp->jr)) < 0)
		return r;
	/* the hot loop of a large list: keys are compared where they lie */
	while ((r = jr_object_next_raw(&dp->jr, &first, &raw, &len)) > 0) {
		if (!keep_element(dp->fkeep, raw, len)) {
			/* checked all the same: a skipped value is still validated */
			char c = jr_peek(&dp->jr);

			if (type == NFD_FEATURE_FLAG ? (c != '{' && c != 'n')
						     : (c != '"' && c != 'n'))
				return jr_fail(
					&dp->jr, EBADMSG,
					"%s%s.\"%s\".elements.\"%.*s\": expected %s, got %s",
					dp->where, section, feature, (int)MIN(len, 256u), raw,
					type == NFD_FEATURE_FLAG ? "an object ({})" : "a string",
					jr_type_name(&dp->jr));
			if ((r = jr_skip(&dp->jr)) < 0)
				return r;
			continue;
		}
		if (type == NFD_FEATURE_FLAG) {
			char c = jr_peek(&dp->jr);

			if (c != '{' && c != 'n')
				return jr_fail(&dp->jr, EBADMSG,
					       "%s%s.\"%s\".elements.\"%.*s\": expected an object "
					       "({}), got %s",
					       dp->where, section, feature, (int)len, raw,
					       jr_type_name(&dp->jr));
			r = nfd__features_append(f, ft, type, raw, len, NULL, 0);
			if (r >= 0)
				r = jr_skip(&dp->jr);
		} else {
			const char *value = "";
			size_t vlen = 0;

			if (jr_peek(&dp->jr) != '"' && jr_peek(&dp->jr) != 'n')
				return jr_fail(&dp->jr, EBADMSG,
					       "%s%s.\"%s\".elements.\"%.*s\": expected a string, "
					       "got %s",
					       dp->where, section, feature, (int)len, raw,
					       jr_type_name(&dp->jr));
			r = jr_null(&dp->jr);
			if (r == 0)
				r = jr_string_raw(&dp->jr, &value, &vlen);
			if (r >= 0)
				r = nfd__features_append(f, ft, type, raw, len, value, vlen);
		}
		if (r < 0)
			return r;
		/* one huge map (a 60 MB document) hands its pages back too
		 * (after the element: raw points into them) */
		if (dp->opts->map_base)
			nfd__doc_release_pages(dp, false);
	}
	return r;
}

static int instance(struct doc_parser *dp, struct nfd_features *f, size_t index)
{
	const char *feature = strbuf_str(&dp->fname), *key;
	bool first = true, seen = false;
	size_t n = 0, klen;
	int r;

	if (jr_peek(&dp->jr) != '{')
		return jr_fail(&dp->jr, EBADMSG,
			       "%sinstances.\"%s\".elements[%zu]: expected an object, got %s",
			       dp->where, feature, index, jr_type_name(&dp->jr));
	strbuf_truncate(&dp->inst, 0);
	if ((r = jr_object_begin(&dp->jr)) < 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0) {
		bool first_attr = true;

		if (!streq(key, "attributes")) {
			if ((r = jr_skip(&dp->jr)) < 0)
				return r;
			continue;
		}
		if (seen)
			return jr_fail(&dp->jr, EBADMSG,
				       "%sinstances.\"%s\".elements[%zu]: "
				       "duplicate object key \"attributes\"",
				       dp->where, feature, index);
		seen = true;
		if ((r = jr_null(&dp->jr)) != 0) {
			if (r < 0)
				return r;
			continue;
		}
		if (jr_peek(&dp->jr) != '{')
			return jr_fail(&dp->jr, EBADMSG,
				       "%sinstances.\"%s\".elements[%zu].attributes: expected an "
				       "object, got %s",
				       dp->where, feature, index, jr_type_name(&dp->jr));
		if ((r = jr_object_begin(&dp->jr)) < 0)
			return r;
		while ((r = jr_object_next_raw(&dp->jr, &first_attr, &key, &klen)) > 0) {
			const char *value = "";
			size_t len = 0;

			if (jr_peek(&dp->jr) != '"' && jr_peek(&dp->jr) != 'n')
				return jr_fail(
					&dp->jr, EBADMSG,
					"%sinstances.\"%s\".elements[%zu].attributes.\"%.*s\": "
					"expected a string, got %s",
					dp->where, feature, index, (int)MIN(klen, 256u), key,
					jr_type_name(&dp->jr));
			if (!keep_element(dp->fkeep, key, klen)) {
				if ((r = jr_skip(&dp->jr)) < 0)
					return r;
				continue;
			}
			/* key and value, each with its NUL, one after the other */
			strbuf_append(&dp->inst, key, klen);
			strbuf_putc(&dp->inst, '\0');
			r = jr_null(&dp->jr);
			if (r == 0)
				r = jr_string(&dp->jr, &value, &len);
			if (r < 0)
				return r;
			strbuf_append(&dp->inst, value, strlen(value) + 1);
			n++;
		}
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	if (dp->inst.oom)
		return nfd__oom(dp->ctx);
	if (2 * n + 1 > dp->inst_cap) {
		const char **p = realloc(dp->inst_ptrs, (2 * n + 1) * sizeof(*p));

		if (!p)
			return nfd__oom(dp->ctx);
		dp->inst_ptrs = p;
		dp->inst_cap = 2 * n + 1;
	}
	{
		const char *s = dp->inst.buf;

		for (size_t i = 0; i < 2 * n; i++) {
			dp->inst_ptrs[i] = s;
			s += strlen(s) + 1;
		}
	}
	dp->inst_ptrs[2 * n] = NULL;
	r = nfd_features_add_instance(f, feature, dp->inst_ptrs);
	return r < 0 ? r : 0;
}

static int instance_elements(struct doc_parser *dp, struct nfd_features *f)
{
	bool first = true;
	size_t i = 0;
	int r;

	if (jr_peek(&dp->jr) != '[')
		return jr_fail(&dp->jr, EBADMSG,
			       "%sinstances.\"%s\".elements: expected an array, got %s", dp->where,
			       strbuf_str(&dp->fname), jr_type_name(&dp->jr));
	if ((r = jr_array_begin(&dp->jr)) < 0)
		return r;
	while ((r = jr_array_next(&dp->jr, &first)) > 0)
		if ((r = instance(dp, f, i++)) < 0)
			return r;
	return r;
}

/* {"elements": ...} of the feature in dp->fname */
static int feature_value(struct doc_parser *dp, struct nfd_features *f, const char *section,
			 enum nfd_feature_type type)
{
	const char *feature = strbuf_str(&dp->fname), *key;
	bool first = true, seen = false;
	int r;

	if (jr_peek(&dp->jr) != '{')
		return jr_fail(&dp->jr, EBADMSG, "%s%s.\"%s\": expected an object, got %s",
			       dp->where, section, feature, jr_type_name(&dp->jr));
	r = nfd__features_declare_new(f, type, feature);
	if (r == -EEXIST)
		return jr_fail(&dp->jr, EBADMSG, "%s%s: duplicate object key \"%s\"", dp->where,
			       section, feature);
	if (r < 0)
		return r;
	if ((r = jr_object_begin(&dp->jr)) < 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0) {
		if (!streq(key, "elements")) {
			r = jr_skip(&dp->jr);
		} else if (seen) {
			return jr_fail(&dp->jr, EBADMSG,
				       "%s%s.\"%s\": duplicate object key "
				       "\"elements\"",
				       dp->where, section, feature);
		} else {
			seen = true;
			r = jr_null(&dp->jr);
			if (r > 0)
				r = nfd__features_set_nil(f, type, feature);
			else if (r == 0 && type == NFD_FEATURE_INSTANCE)
				r = instance_elements(dp, f);
			else if (r == 0)
				r = map_elements(dp, f, section, type);
		}
		if (r < 0)
			return r;
	}
	if (r >= 0 && !seen)
		r = nfd__features_set_nil(f, type, feature);
	return r < 0 ? r : 0;
}

static int section(struct doc_parser *dp, struct nfd_features *f, const char *name,
		   enum nfd_feature_type type)
{
	bool first = true;
	const char *key;
	int r;

	if ((r = object_or_null(dp, name)) <= 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0) {
		if (key[0] == '\0')
			return jr_fail(&dp->jr, EBADMSG, "%s%s: empty feature name", dp->where,
				       name);
		dp->fkeep = keep_feature(dp, key);
		if (!dp->fkeep) {
			r = jr_skip(&dp->jr);
		} else {
			strbuf_truncate(&dp->fname, 0);
			strbuf_puts(&dp->fname, key);
			if (dp->fname.oom)
				return nfd__oom(dp->ctx);
			r = feature_value(dp, f, name, type);
		}
		if (r < 0)
			return r;
	}
	return r;
}

static const char *const section_names[] = {"flags", "attributes", "instances"};
static const enum nfd_feature_type section_types[] = {NFD_FEATURE_FLAG, NFD_FEATURE_ATTRIBUTE,
						      NFD_FEATURE_INSTANCE};

/* 0..2 when key is a section of a features object, else -1 */
static int section_index(const char *key)
{
	for (int i = 0; i < 3; i++)
		if (streq(key, section_names[i]))
			return i;
	return -1;
}

/* The value of one key of a features object: a section or something skipped.
 * *seen keeps the sections met, for duplicates. */
static int features_key(struct doc_parser *dp, struct nfd_features *f, const char *key,
			unsigned *seen)
{
	int i = section_index(key);

	if (i < 0)
		return jr_skip(&dp->jr);
	if (*seen & (1u << i))
		return jr_fail(&dp->jr, EBADMSG, "%sduplicate object key \"%s\"", dp->where, key);
	*seen |= 1u << i;
	return section(dp, f, section_names[i], section_types[i]);
}

static int features_object(struct doc_parser *dp, struct nfd_features *f, const char *path)
{
	unsigned seen = 0;
	bool first = true;
	const char *key;
	int r;

	if ((r = object_or_null(dp, path)) <= 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0)
		if ((r = features_key(dp, f, key, &seen)) < 0)
			return r;
	return r;
}

/* A string or null into *ret (strdup'ed, NULL for null). */
static int dup_string(struct doc_parser *dp, const char *path, char **ret)
{
	const char *s;
	int r;

	if ((r = jr_null(&dp->jr)) != 0)
		return r < 0 ? r : 0;
	if (jr_peek(&dp->jr) != '"')
		return nfd__doc_type_error(dp, path, "a string");
	if ((r = jr_string(&dp->jr, &s, NULL)) < 0)
		return r;
	free(*ret);
	*ret = strdup(s);
	return *ret ? 0 : nfd__oom(dp->ctx);
}

static int metadata(struct doc_parser *dp, struct doc_item *item)
{
	bool first = true;
	const char *key;
	int r;

	if ((r = object_or_null(dp, "metadata")) <= 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0) {
		if (streq(key, "name")) {
			r = dup_string(dp, "metadata.name", &item->name);
		} else if (streq(key, "namespace")) {
			r = dup_string(dp, "metadata.namespace", &item->namespace);
		} else if (streq(key, "labels") && jr_peek(&dp->jr) == '{') {
			bool first_label = true;

			if ((r = jr_object_begin(&dp->jr)) < 0)
				return r;
			while ((r = jr_object_next(&dp->jr, &first_label, &key)) > 0) {
				if (streq(key, NFD_NODE_NAME_LABEL))
					r = dup_string(dp, "metadata.labels", &item->node);
				else
					r = jr_skip(&dp->jr);
				if (r < 0)
					return r;
			}
		} else if (streq(key, "labels") && jr_peek(&dp->jr) != 'n') {
			return nfd__doc_type_error(dp, "metadata.labels", "an object");
		} else {
			r = jr_skip(&dp->jr);
		}
		if (r < 0)
			return r;
	}
	return r;
}

static int spec(struct doc_parser *dp, struct nfd_features *f)
{
	bool first = true, seen = false;
	const char *key;
	int r;

	if ((r = object_or_null(dp, "spec")) <= 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0) {
		if (!streq(key, "features")) {
			r = jr_skip(&dp->jr);
		} else if (seen) {
			return jr_fail(&dp->jr, EBADMSG,
				       "%sspec: duplicate object key \"features\"", dp->where);
		} else {
			seen = true;
			r = features_object(dp, f, "spec.features");
		}
		if (r < 0)
			return r;
	}
	return r;
}

static int seal_item(struct doc_parser *dp, struct nfd_features *f)
{
	int r = nfd_features_seal(f);

	if (r < 0)
		return r;
	if (f->dup_key)
		return jr_fail(&dp->jr, EBADMSG, "%s\"%s\": duplicate element \"%s\"", dp->where,
			       f->dup_feature, f->dup_key);
	return 0;
}

static void item_release(struct doc_item *item)
{
	free(item->node);
	free(item->name);
	free(item->namespace);
	nfd_features_unref(item->features);
	memset(item, 0, sizeof(*item));
}

int nfd__doc_push_item(struct nfd_ctx *ctx, struct doc_result *res, struct doc_item *item)
{
	if ((res->n_items & (res->n_items - 1)) == 0) {
		size_t cap = res->n_items ? 2 * res->n_items : 1;
		struct doc_item *p = realloc(res->items, cap * sizeof(*p));

		if (!p)
			return nfd__oom(ctx);
		res->items = p;
	}
	res->items[res->n_items++] = *item;
	memset(item, 0, sizeof(*item));
	return 0;
}

static int add_item(struct doc_parser *dp, struct doc_item *item)
{
	return nfd__doc_push_item(dp->ctx, dp->res, item);
}

int nfd__doc_add_warning(struct doc_parser *dp, const char *fmt, ...) _printf_(2, 3);
int nfd__doc_add_warning(struct doc_parser *dp, const char *fmt, ...)
{
	struct doc_result *res = dp->res;
	char **p;
	va_list ap;
	char *w;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&w, fmt, ap);
	va_end(ap);
	if (n < 0)
		return nfd__oom(dp->ctx);
	p = realloc(res->warnings, (res->n_warnings + 1) * sizeof(*p));
	if (!p) {
		free(w);
		return nfd__oom(dp->ctx);
	}
	res->warnings = p;
	res->warnings[res->n_warnings++] = w;
	nfd_warn(dp->ctx, "%s", w);
	return 0;
}

/* One NodeFeature object: an element of "items", or the whole document. */
static int object_body(struct doc_parser *dp, struct doc_item *item, char **kind, char **api,
		       bool top, unsigned *sections)
{
	bool first = true;
	const char *key;
	int r;

	if ((r = jr_object_begin(&dp->jr)) < 0)
		return r;
	while ((r = jr_object_next(&dp->jr, &first, &key)) > 0) {
		if (streq(key, "kind"))
			r = dup_string(dp, "kind", kind);
		else if (streq(key, "apiVersion"))
			r = dup_string(dp, "apiVersion", api);
		else if (streq(key, "metadata"))
			r = metadata(dp, item);
		else if (streq(key, "spec"))
			r = spec(dp, item->features);
		else if (top && streq(key, "items"))
			return 1; /* the caller reads the list */
		else if (top && section_index(key) >= 0)
			r = features_key(dp, item->features, key, sections);
		else
			r = jr_skip(&dp->jr);
		if (r < 0)
			return r;
	}
	return r;
}

static int check_nodefeature(struct doc_parser *dp, const char *kind, const char *api,
			     const struct doc_item *item, const char *what)
{
	if (!kind || !streq(kind, "NodeFeature"))
		return jr_fail(&dp->jr, EBADMSG, "%s: expected kind NodeFeature, got %s%s%s%s%s%s",
			       what, kind ? "kind '" : "no kind", kind ? kind : "", kind ? "'" : "",
			       item->name ? " (name '" : "", item->name ? item->name : "",
			       item->name ? "')" : "");
	if (!api || strncmp(api, NODEFEATURE_GROUP, strlen(NODEFEATURE_GROUP)) != 0)
		return jr_fail(&dp->jr, EBADMSG,
			       "%s: NodeFeature needs apiVersion " NODEFEATURE_GROUP "v1alpha1",
			       what);
	return 0;
}

int nfd__doc_list_item(struct doc_parser *dp, size_t index)
{
	_cleanup_free_ char *kind = NULL, *api = NULL;
	struct doc_item item = {};
	unsigned sections = 0;
	int r;

	snprintf(dp->where_buf, sizeof(dp->where_buf), "items[%zu]: ", index);
	dp->where = dp->where_buf;
	if (jr_peek(&dp->jr) != '{') {
		char what[32];

		snprintf(what, sizeof(what), "items[%zu]", index);
		dp->where = "";
		return nfd__doc_type_error(dp, what, "an object");
	}
	r = nfd_features_new(dp->ctx, &item.features);
	if (r >= 0)
		r = object_body(dp, &item, &kind, &api, false, &sections);
	if (r >= 0) {
		char what[32];

		snprintf(what, sizeof(what), "items[%zu]", index);
		r = check_nodefeature(dp, kind, api, &item, what);
	}
	if (r >= 0)
		r = seal_item(dp, item.features);
	if (r >= 0 && (!item.node || !item.node[0]))
		/* nfd-master never selects it: it belongs to no node (the
		 * warning is written when the runs are put together) */
		r = nfd__doc_add_skipped(dp, &item, index);
	else if (r >= 0)
		r = add_item(dp, &item);
	item_release(&item);
	nfd__doc_release_pages(dp, false);
	return r;
}

void nfd__doc_parser_init(struct doc_parser *dp, struct nfd_ctx *ctx,
			  const struct doc_options *opts, const char *name, const char *buf,
			  size_t len)
{
	memset(dp, 0, sizeof(*dp));
	dp->ctx = ctx;
	dp->opts = opts;
	dp->where = "";
	strbuf_init(&dp->fname);
	strbuf_init(&dp->inst);
	jr_init(&dp->jr, ctx, name, buf, len);
}

void nfd__doc_parser_release(struct doc_parser *dp)
{
	jr_release(&dp->jr);
	strbuf_release(&dp->fname);
	strbuf_release(&dp->inst);
	free(dp->inst_ptrs);
}

static int document(struct doc_parser *dp)
{
	_cleanup_free_ char *kind = NULL, *api = NULL;
	struct doc_item item = {};
	bool first = false, has_items = false, empty;
	unsigned sections = 0;
	const char *key, *s;
	int r;

	if (jr_peek(&dp->jr) != '{') {
		if (dp->jr.error)
			return dp->jr.error;
		if (jr_peek(&dp->jr) == 0)
			return jr_fail(&dp->jr, EBADMSG,
				       "unexpected end of the input, expected '{'");
		return nfd__doc_type_error(dp, "document", "an object");
	}
	for (s = dp->jr.p + 1; s < dp->jr.end && strchr(" \t\r\n", *s) && *s; s++)
		;
	empty = s < dp->jr.end && *s == '}';
	r = nfd_features_new(dp->ctx, &item.features);
	if (r < 0)
		return r;
	r = object_body(dp, &item, &kind, &api, true, &sections);
	/* "items" stops the object walk; read the list, then the rest */
	while (r == 1) {
		if (has_items) {
			r = jr_fail(&dp->jr, EBADMSG, "duplicate object key \"items\"");
			break;
		}
		has_items = true;
		r = nfd__doc_list_items(dp);
		while (r >= 0 && (r = jr_object_next(&dp->jr, &first, &key)) > 0) {
			if (streq(key, "items"))
				break;
			if (streq(key, "kind"))
				r = dup_string(dp, "kind", &kind);
			else if (streq(key, "apiVersion"))
				r = dup_string(dp, "apiVersion", &api);
			else if (section_index(key) >= 0)
				r = features_key(dp, item.features, key, &sections);
			else
				r = jr_skip(&dp->jr);
		}
	}
	if (r >= 0)
		r = jr_finish(&dp->jr);
	if (r < 0)
		goto out;
	if (!kind) {
		dp->res->kind = DOC_FEATURES;
		if (!sections && !empty)
			r = nfd__error(dp->ctx, EBADMSG,
				       "%s: not a features document: expected \"flags\", "
				       "\"attributes\" or \"instances\", or a NodeFeature",
				       dp->jr.name);
	} else if (streq(kind, "NodeFeature")) {
		dp->res->kind = DOC_NODEFEATURE;
		r = check_nodefeature(dp, kind, api, &item, "document");
	} else if (streq(kind, "List") || streq(kind, "NodeFeatureList")) {
		dp->res->kind = DOC_LIST;
	} else {
		r = nfd__error(dp->ctx, EBADMSG,
			       "%s: unsupported kind '%s' (expected NodeFeature, NodeFeatureList "
			       "or List)",
			       dp->jr.name, kind);
	}
	if (r >= 0 && dp->res->kind != DOC_LIST) {
		if (has_items)
			r = nfd__error(dp->ctx, EBADMSG, "%s: \"items\" in a document of kind %s",
				       dp->jr.name, kind ? kind : "features (no kind)");
		else
			r = seal_item(dp, item.features);
		if (r >= 0 && dp->res->kind == DOC_NODEFEATURE && !item.node && item.name)
			item.node = strdup(item.name);
		if (r >= 0 && !item.node)
			item.node = strdup("");
		if (r >= 0 && !item.node)
			r = nfd__oom(dp->ctx);
		if (r >= 0)
			r = add_item(dp, &item);
	}
out:
	item_release(&item);
	return r;
}

void nfd__doc_result_release(struct doc_result *res)
{
	for (size_t i = 0; i < res->n_items; i++)
		item_release(&res->items[i]);
	free(res->items);
	for (size_t i = 0; i < res->n_warnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	memset(res, 0, sizeof(*res));
}

int nfd__doc_parse(struct nfd_ctx *ctx, const char *name, const char *buf, size_t len,
		   const struct doc_options *opts, struct doc_result *ret)
{
	static const struct doc_options none = {};
	struct doc_parser dp;
	struct doc_result res = {};
	int r;

	nfd__doc_parser_init(&dp, ctx, opts ? opts : &none, name, buf, len);
	dp.res = &res;
	r = document(&dp);
	nfd__doc_parser_release(&dp);
	if (r < 0) {
		nfd__doc_result_release(&res);
		return r;
	}
	*ret = res;
	return 0;
}
