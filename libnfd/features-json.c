/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Features in and out of JSON: NFD's `nfd export features` document, a
 * NodeFeature object, or a (NodeFeature)List of them.  Output is written by
 * hand so that it is byte-compatible with Go's encoding/json (key order,
 * indentation, HTML-safe escaping).
 */
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/json-writer.h"
#include "shared/util.h"
#include "libnfd/libnfd-internal.h"
#include "libnfd/features-private.h"

#define FEATURES_JSON_MAX (64u << 20)
#define NODEFEATURE_GROUP "nfd.k8s-sigs.io/"

struct parser {
	struct nfd_ctx *ctx;
	const char *name;
	struct nfd_features *f;
	char where[256]; /* element path for messages */
};

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static int type_error(struct parser *p, const char *path, const json_t *v, const char *want)
{
	return nfd__error(p->ctx, EBADMSG, "%s: %s: expected %s, got %s", p->name, path, want,
			  json_type_name(v));
}

/*
 * One feature's {"elements": ...}: checks its shape and declares it, nil when
 * "elements" is null or absent.  *ret is the elements to read, or NULL.
 */
static int feature_elements(struct parser *p, const char *section, const char *feature, json_t *fv,
			    enum nfd_feature_type type, json_t **ret)
{
	bool want_array = type == NFD_FEATURE_INSTANCE;
	char path[512];
	json_t *elems;

	*ret = NULL;
	snprintf(path, sizeof(path), "%s.\"%s\"", section, feature);
	if (feature[0] == '\0')
		return nfd__error(p->ctx, EBADMSG, "%s: %s: empty feature name", p->name, section);
	if (!json_is_object(fv))
		return type_error(p, path, fv, "an object");
	elems = json_object_get(fv, "elements");
	if (!elems || json_is_null(elems))
		return nfd__features_set_nil(p->f, type, feature);
	if (want_array ? !json_is_array(elems) : !json_is_object(elems)) {
		strncat(path, ".elements", sizeof(path) - strlen(path) - 1);
		return type_error(p, path, elems, want_array ? "an array" : "an object");
	}
	*ret = elems;
	return nfd_features_declare(p->f, type, feature);
}

/* flags / attributes: {"<feature>": {"elements": {...} | null}} */
static int parse_map_section(struct parser *p, const char *section, json_t *sec,
			     enum nfd_feature_type type)
{
	const char *feature;
	json_t *fv;
	char path[512];
	int r;

	if (json_is_null(sec))
		return 0;
	if (!json_is_object(sec))
		return type_error(p, section, sec, "an object");
	json_object_foreach(sec, feature, fv)
	{
		json_t *elems;
		const char *name;
		json_t *ev;

		r = feature_elements(p, section, feature, fv, type, &elems);
		if (r < 0)
			return r;
		if (!elems)
			continue;
		json_object_foreach(elems, name, ev)
		{
			if (type == NFD_FEATURE_FLAG) {
				if (!json_is_object(ev) && !json_is_null(ev)) {
					snprintf(path, sizeof(path), "%s.\"%s\".elements.\"%s\"",
						 section, feature, name);
					return type_error(p, path, ev, "an object ({})");
				}
				r = nfd_features_add_flag(p->f, feature, name);
			} else {
				if (!json_is_string(ev) && !json_is_null(ev)) {
					snprintf(path, sizeof(path), "%s.\"%s\".elements.\"%s\"",
						 section, feature, name);
					return type_error(p, path, ev, "a string");
				}
				r = nfd_features_set_attribute(
					p->f, feature, name,
					json_is_string(ev) ? json_string_value(ev) : "");
			}
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int parse_instance(struct parser *p, const char *feature, size_t index, json_t *inst)
{
	const char **attrs = NULL;
	json_t *av, *v;
	const char *k;
	char path[512];
	size_t n = 0;
	int r;

	snprintf(path, sizeof(path), "instances.\"%s\".elements[%zu]", feature, index);
	if (!json_is_object(inst))
		return type_error(p, path, inst, "an object");
	av = json_object_get(inst, "attributes");
	if (av && !json_is_null(av) && !json_is_object(av)) {
		strncat(path, ".attributes", sizeof(path) - strlen(path) - 1);
		return type_error(p, path, av, "an object");
	}
	if (av && json_is_object(av)) {
		attrs = calloc(2 * json_object_size(av) + 1, sizeof(*attrs));
		if (!attrs)
			return nfd__oom(p->ctx);
		json_object_foreach(av, k, v)
		{
			if (!json_is_string(v) && !json_is_null(v)) {
				free(attrs);
				snprintf(path, sizeof(path),
					 "instances.\"%s\".elements[%zu].attributes.\"%s\"",
					 feature, index, k);
				return type_error(p, path, v, "a string");
			}
			attrs[n++] = k;
			attrs[n++] = json_is_string(v) ? json_string_value(v) : "";
		}
	}
	r = nfd_features_add_instance(p->f, feature, attrs);
	free(attrs);
	return r < 0 ? r : 0;
}

static int parse_instance_section(struct parser *p, json_t *sec)
{
	const char *feature;
	json_t *fv;
	int r;

	if (json_is_null(sec))
		return 0;
	if (!json_is_object(sec))
		return type_error(p, "instances", sec, "an object");
	json_object_foreach(sec, feature, fv)
	{
		json_t *elems, *inst;
		size_t i;

		r = feature_elements(p, "instances", feature, fv, NFD_FEATURE_INSTANCE, &elems);
		if (r < 0)
			return r;
		if (!elems)
			continue;
		json_array_foreach(elems, i, inst)
		{
			r = parse_instance(p, feature, i, inst);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int parse_features_object(struct parser *p, json_t *obj, const char *what)
{
	json_t *flags, *attrs, *inst;
	int r;

	if (!json_is_object(obj))
		return type_error(p, what, obj, "an object");
	flags = json_object_get(obj, "flags");
	attrs = json_object_get(obj, "attributes");
	inst = json_object_get(obj, "instances");
	if (flags && (r = parse_map_section(p, "flags", flags, NFD_FEATURE_FLAG)) < 0)
		return r;
	if (attrs && (r = parse_map_section(p, "attributes", attrs, NFD_FEATURE_ATTRIBUTE)) < 0)
		return r;
	if (inst && (r = parse_instance_section(p, inst)) < 0)
		return r;
	return 0;
}

static int parse_nodefeature(struct parser *p, json_t *obj, const char *what)
{
	json_t *api = json_object_get(obj, "apiVersion");
	json_t *spec, *features;

	if (!api || !json_is_string(api) ||
	    !strstartswith(json_string_value(api), NODEFEATURE_GROUP))
		return nfd__error(p->ctx, EBADMSG,
				  "%s: %s: NodeFeature needs apiVersion " NODEFEATURE_GROUP
				  "v1alpha1",
				  p->name, what);
	spec = json_object_get(obj, "spec");
	if (!spec || json_is_null(spec))
		return 0;
	if (!json_is_object(spec))
		return type_error(p, "spec", spec, "an object");
	features = json_object_get(spec, "features");
	if (!features || json_is_null(features))
		return 0;
	return parse_features_object(p, features, "spec.features");
}

static int parse_document(struct parser *p, json_t *root)
{
	json_t *kind;

	if (!json_is_object(root))
		return type_error(p, "document", root, "an object");
	kind = json_object_get(root, "kind");
	if (!kind) {
		if (json_object_size(root) > 0 && !json_object_get(root, "flags") &&
		    !json_object_get(root, "attributes") && !json_object_get(root, "instances"))
			return nfd__error(p->ctx, EBADMSG,
					  "%s: not a features document: expected \"flags\", "
					  "\"attributes\" or \"instances\", or a NodeFeature",
					  p->name);
		return parse_features_object(p, root, "document");
	}
	if (!json_is_string(kind))
		return type_error(p, "kind", kind, "a string");
	if (streq(json_string_value(kind), "NodeFeature"))
		return parse_nodefeature(p, root, "document");
	if (streq(json_string_value(kind), "List") ||
	    streq(json_string_value(kind), "NodeFeatureList")) {
		json_t *items = json_object_get(root, "items"), *item;
		size_t i;

		if (!items || json_is_null(items))
			return 0;
		if (!json_is_array(items))
			return type_error(p, "items", items, "an array");
		json_array_foreach(items, i, item)
		{
			char what[64];
			json_t *k;
			int r;

			snprintf(what, sizeof(what), "items[%zu]", i);
			if (!json_is_object(item))
				return type_error(p, what, item, "an object");
			k = json_object_get(item, "kind");
			if (!k || !json_is_string(k) || !streq(json_string_value(k), "NodeFeature"))
				return nfd__error(p->ctx, EBADMSG,
						  "%s: %s: expected kind NodeFeature", p->name,
						  what);
			r = parse_nodefeature(p, item, what);
			if (r < 0)
				return r;
		}
		return 0;
	}
	return nfd__error(p->ctx, EBADMSG,
			  "%s: unsupported kind '%s' (expected NodeFeature, NodeFeatureList or "
			  "List)",
			  p->name, json_string_value(kind));
}

static int parse_named(struct nfd_ctx *ctx, const char *name, const char *buf, size_t len,
		       struct nfd_features **ret)
{
	struct parser p = {.ctx = ctx, .name = name};
	json_error_t jerr;
	json_t *root;
	int r;

	if (len > FEATURES_JSON_MAX)
		return nfd__error(ctx, E2BIG, "%s: %zu bytes is over the %u MiB limit", name, len,
				  FEATURES_JSON_MAX >> 20);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root)
		return nfd__error(ctx, EBADMSG, "%s:%d:%d: %s", name, jerr.line, jerr.column,
				  jerr.text);
	r = nfd_features_new(ctx, &p.f);
	if (r >= 0)
		r = parse_document(&p, root);
	if (r >= 0)
		r = nfd_features_seal(p.f);
	json_decref(root);
	if (r < 0) {
		nfd_features_unref(p.f);
		return r;
	}
	*ret = p.f;
	return 0;
}

NFD_EXPORT int nfd_features_parse_json(struct nfd_ctx *ctx, const char *buf, size_t len,
				       struct nfd_features **ret)
{
	assert_return(ctx, -EINVAL);
	assert_return(buf && ret, nfd__error(ctx, EINVAL, "no features buffer given"));
	return parse_named(ctx, "<input>", buf, len, ret);
}

NFD_EXPORT int nfd_features_parse_file(struct nfd_ctx *ctx, const char *path,
				       struct nfd_features **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(path && ret, nfd__error(ctx, EINVAL, "no features file given"));
	r = read_file(path, FEATURES_JSON_MAX, &buf, &len);
	if (r == -E2BIG)
		return nfd__error(ctx, E2BIG, "%s: over the %u MiB limit", path,
				  FEATURES_JSON_MAX >> 20);
	if (r < 0)
		return nfd__error(ctx, r, "%s: %s", path, strerror(-r));
	return parse_named(ctx, streq(path, "-") ? "<stdin>" : path, buf, len, ret);
}

/* ---------------------------------------------------------------- output */

struct writer {
	struct strbuf sb;
	bool compact;
};

static void w_open(struct writer *w, char c)
{
	strbuf_putc(&w->sb, c);
}

static void w_newline(struct writer *w, int level)
{
	if (!w->compact)
		json_write_indent(&w->sb, level);
}

static void w_key(struct writer *w, const char *key, int level, bool first)
{
	if (!first)
		strbuf_putc(&w->sb, ',');
	w_newline(w, level);
	json_write_cstr(&w->sb, key);
	strbuf_puts(&w->sb, w->compact ? ":" : ": ");
}

static void w_close(struct writer *w, char c, int level, bool empty)
{
	if (!empty)
		w_newline(w, level);
	strbuf_putc(&w->sb, c);
}

static void write_kvmap(struct writer *w, const struct kvmap *m, bool flags, int level)
{
	if (m->nil) {
		strbuf_puts(&w->sb, "null");
		return;
	}
	w_open(w, '{');
	for (size_t i = 0; i < m->n; i++) {
		w_key(w, m->items[i].key, level + 1, i == 0);
		if (flags)
			strbuf_puts(&w->sb, "{}");
		else
			json_write_cstr(&w->sb, m->items[i].value);
	}
	w_close(w, '}', level, m->n == 0);
}

static void write_section(struct writer *w, const struct nfd_features *f,
			  enum nfd_feature_type type)
{
	size_t n = nfd__features_count(f);
	bool first = true;

	w_open(w, '{');
	for (size_t i = 0; i < n; i++) {
		const struct feature *ft = nfd__features_at(f, i);

		if (!(ft->types & type))
			continue;
		w_key(w, ft->name, 2, first);
		first = false;
		w_open(w, '{');
		w_key(w, "elements", 3, true);
		if (type == NFD_FEATURE_FLAG) {
			write_kvmap(w, &ft->flags, true, 3);
		} else if (type == NFD_FEATURE_ATTRIBUTE) {
			write_kvmap(w, &ft->attrs, false, 3);
		} else if (ft->inst_nil) {
			strbuf_puts(&w->sb, "null");
		} else {
			w_open(w, '[');
			for (size_t j = 0; j < ft->n_inst; j++) {
				if (j)
					strbuf_putc(&w->sb, ',');
				w_newline(w, 4);
				w_open(w, '{');
				w_key(w, "attributes", 5, true);
				write_kvmap(w, &ft->inst[j], false, 5);
				w_close(w, '}', 4, false);
			}
			w_close(w, ']', 3, ft->n_inst == 0);
		}
		w_close(w, '}', 2, false);
	}
	w_close(w, '}', 1, first);
}

NFD_EXPORT int nfd_features_to_json(const struct nfd_features *f, unsigned int flags, char **ret)
{
	struct writer w = {STRBUF_INIT, (flags & NFD_JSON_COMPACT) != 0};
	size_t len;
	char *s;

	assert_return(f && ret, -EINVAL);
	if (nfd__features_count(f) == 0 && f->n > 0)
		return nfd__oom(f->ctx);
	w_open(&w, '{');
	w_key(&w, "flags", 1, true);
	write_section(&w, f, NFD_FEATURE_FLAG);
	w_key(&w, "attributes", 1, false);
	write_section(&w, f, NFD_FEATURE_ATTRIBUTE);
	w_key(&w, "instances", 1, false);
	write_section(&w, f, NFD_FEATURE_INSTANCE);
	w_close(&w, '}', 0, false);
	if (!(flags & NFD_JSON_NO_NEWLINE))
		strbuf_putc(&w.sb, '\n');
	len = w.sb.len;
	s = strbuf_steal(&w.sb);
	if (!s)
		return nfd__oom(f->ctx);
	if (len > INT32_MAX) {
		free(s);
		return nfd__error(f->ctx, E2BIG, "features JSON is over 2 GiB");
	}
	*ret = s;
	return (int)len;
}
