/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Features in and out of JSON: NFD's `nfd export features` document, a
 * NodeFeature object, or a list of one node's objects (read by nodes-json.c,
 * grouped by nodes.c).  Output is written by
 * hand so that it is byte-compatible with Go's encoding/json (key order,
 * indentation, HTML-safe escaping).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/json-writer.h"
#include "shared/util.h"
#include "libnfd/libnfd-internal.h"
#include "libnfd/features-private.h"
#include "libnfd/nodes-private.h"

#define FEATURES_JSON_MAX (64u << 20)

int nfd__strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * One node's features: an export document, a NodeFeature, or a list whose
 * objects all belong to one node.  A list of several nodes is refused: a
 * verdict always belongs to one node (doc/many-nodes.md).
 */
static int single_node(struct nfd_ctx *ctx, const char *name, struct nfd_nodes *nodes,
		       struct nfd_features **ret)
{
	int n = nfd_nodes_count(nodes);

	if (n > 1)
		return nfd__error(
			ctx, EBADMSG,
			"%s: the list holds %d nodes ('%s', '%s'%s) and features belong to "
			"one node: pick one (nfd: --node NAME; C: nfd_nodes_parse_file())",
			name, n, nfd_nodes_get_name(nodes, 0), nfd_nodes_get_name(nodes, 1),
			n > 2 ? ", ..." : "");
	if (n == 1) {
		*ret = nfd_features_ref(nfd_nodes_get_features(nodes, 0));
		return 0;
	}
	/* a list without (labelled) items: no features */
	if (nfd_features_new(ctx, ret) < 0)
		return -ENOMEM;
	return nfd_features_seal(*ret);
}

NFD_EXPORT int nfd_features_parse_json(struct nfd_ctx *ctx, const char *buf, size_t len,
				       struct nfd_features **ret)
{
	struct nfd_nodes *nodes = NULL;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(buf && ret, nfd__error(ctx, EINVAL, "no features buffer given"));
	if (len > FEATURES_JSON_MAX)
		return nfd__error_too_big(ctx, "<input>", len, FEATURES_JSON_MAX, "features");
	r = nfd__nodes_build(ctx, "<input>", buf, len, NULL, NULL, &nodes, NULL);
	if (r >= 0)
		r = single_node(ctx, "<input>", nodes, ret);
	nfd_nodes_unref(nodes);
	return r < 0 ? r : 0;
}

NFD_EXPORT int nfd_features_parse_file(struct nfd_ctx *ctx, const char *path,
				       struct nfd_features **ret)
{
	struct nfd_nodes *nodes = NULL;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(path && ret, nfd__error(ctx, EINVAL, "no features file given"));
	r = nfd__nodes_parse_path(ctx, path, FEATURES_JSON_MAX, NULL, &nodes, NULL);
	if (r >= 0)
		r = single_node(ctx, streq(path, "-") ? "<stdin>" : path, nodes, ret);
	nfd_nodes_unref(nodes);
	return r < 0 ? r : 0;
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
	if (w->compact)
		strbuf_putc(&w->sb, ':');
	else
		strbuf_append(&w->sb, ": ", 2);
}

static void w_close(struct writer *w, char c, int level, bool empty)
{
	if (!empty)
		w_newline(w, level);
	strbuf_putc(&w->sb, c);
}

/*
 * One element of a map, `,\n<indent>"key": "value"` (or `{}` for a flag),
 * in one step when neither string needs escaping: a discovery writes a few
 * thousand of them, and the calls per piece cost more than the copies.
 */
static void w_element(struct writer *w, const struct nfd_kv *kv, bool flag, int level, bool first)
{
	static const char spaces[] = "                                        "
				     "                                        ";
	size_t lk = strlen(kv->key), lv = flag ? 2 : strlen(kv->value);
	size_t indent = w->compact ? 0 : 4 * (size_t)level;
	size_t need = 1 + 1 + indent + lk + 2 + 2 + lv + 2;
	char *d;

	if (indent > sizeof(spaces) - 1 || !json_is_plain(kv->key, lk) ||
	    (!flag && !json_is_plain(kv->value, lv)) ||
	    /* 8 bytes more: the indent is copied in whole words */
	    (w->sb.len + need + 8 > w->sb.cap && !strbuf_reserve(&w->sb, need + 8)) || w->sb.oom) {
		w_key(w, kv->key, level, first);
		if (flag)
			strbuf_append(&w->sb, "{}", 2);
		else
			json_write_cstr(&w->sb, kv->value);
		return;
	}
	d = w->sb.buf + w->sb.len;
	if (!first)
		*d++ = ',';
	if (!w->compact) {
		*d++ = '\n';
		for (size_t k = 0; k < indent; k += 8)
			memcpy(d + k, spaces, 8);
		d += indent;
	}
	*d++ = '"';
	memcpy(d, kv->key, lk);
	d += lk;
	*d++ = '"';
	*d++ = ':';
	if (!w->compact)
		*d++ = ' ';
	if (flag) {
		*d++ = '{';
		*d++ = '}';
	} else {
		*d++ = '"';
		memcpy(d, kv->value, lv);
		d += lv;
		*d++ = '"';
	}
	*d = '\0';
	w->sb.len = (size_t)(d - w->sb.buf);
}

static void write_kvmap(struct writer *w, const struct kvmap *m, bool flags, int level)
{
	if (m->nil) {
		strbuf_puts(&w->sb, "null");
		return;
	}
	w_open(w, '{');
	for (size_t i = 0; i < m->n; i++)
		w_element(w, &m->items[i], flags, level + 1, i == 0);
	w_close(w, '}', level, m->n == 0);
}

/* About what the document takes, so that its buffer is allocated once (a
 * few thousand elements of ~42 bytes; a wrong guess costs a reallocation). */
static size_t size_guess(const struct nfd_features *f)
{
	size_t n = nfd__features_count(f), size = 4096;

	for (size_t i = 0; i < n; i++) {
		const struct feature *ft = nfd__features_at(f, i);

		size += 128 + 44 * (ft->flags.n + ft->attrs.n);
		for (size_t j = 0; j < ft->n_inst; j++)
			size += 128 + 64 * ft->inst[j].n;
	}
	return size;
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

NFD_EXPORT int nfd_features_to_json(const struct nfd_features *cf, unsigned int flags, char **ret)
{
	struct writer w = {STRBUF_INIT, (flags & NFD_JSON_COMPACT) != 0};
	_cleanup_(nfd_features_unrefp) struct nfd_features *f = NULL;
	size_t len;
	char *s;
	int r;

	assert_return(cf && ret, -EINVAL);
	r = nfd__features_normal(cf, &f);
	if (r < 0)
		return r;
	strbuf_reserve(&w.sb, size_guess(f));
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
