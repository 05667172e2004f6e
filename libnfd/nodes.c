/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Many nodes: a NodeFeature list grouped by node and merged the way
 * nfd-master merges it (pkg/nfd-master/nfd-master.go, getAndMergeNodeFeatures;
 * doc/many-nodes.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared/array.h"
#include "shared/macro.h"
#include "shared/util.h"
#include "libnfd/features-private.h"
#include "libnfd/nodes-private.h"

#define NODES_MAX_DEFAULT (768u << 20)
/* files up to this size are mapped with their pages (MAP_POPULATE) */
#define POPULATE_MAX (4u << 20)

struct node {
	char *name;
	struct nfd_features *features;
};

struct nfd_nodes {
	int refcount;
	struct nfd_ctx *ctx;
	struct node *nodes;
	size_t n;
	char **warnings;
	size_t n_warnings;
	bool is_list; /* read from a List or NodeFeatureList */
};

NFD_EXPORT int nfd_nodes_options_init(struct nfd_nodes_options *opts, unsigned int version)
{
	/* the size of each version's struct: a caller built against an
	 * older header has a smaller one */
	static const size_t size[] = {
		[1] = offsetof(struct nfd_nodes_options, threads),
		[2] = sizeof(struct nfd_nodes_options),
	};

	if (!opts || version < 1 || version > NFD_NODES_OPTIONS_VERSION)
		return -EINVAL;
	memset(opts, 0, size[version]);
	opts->version = version;
	return 0;
}

NFD_EXPORT struct nfd_nodes *nfd_nodes_ref(struct nfd_nodes *nodes)
{
	if (nodes)
		nfd__ref_inc(nodes);
	return nodes;
}

NFD_EXPORT struct nfd_nodes *nfd_nodes_unref(struct nfd_nodes *nodes)
{
	if (!nodes || nfd__ref_dec(nodes) > 0)
		return NULL;
	for (size_t i = 0; i < nodes->n; i++) {
		free(nodes->nodes[i].name);
		nfd_features_unref(nodes->nodes[i].features);
	}
	free(nodes->nodes);
	for (size_t i = 0; i < nodes->n_warnings; i++)
		free(nodes->warnings[i]);
	free(nodes->warnings);
	nfd_ctx_unref(nodes->ctx);
	free(nodes);
	return NULL;
}

struct sort_item {
	const struct doc_item *item;
	size_t index;
	bool in_nfd_ns;
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* by node; then nfd-master's order: its own namespace first, name, namespace */
static int item_cmp(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->item->node, y->item->node);

	if (c)
		return c;
	if (x->in_nfd_ns != y->in_nfd_ns)
		return x->in_nfd_ns ? -1 : 1;
	c = strcmp(or_empty(x->item->name), or_empty(y->item->name));
	if (c)
		return c;
	c = strcmp(or_empty(x->item->namespace), or_empty(y->item->namespace));
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int warn(struct nfd_nodes *nodes, char *w)
{
	char **p;

	if (!w)
		return nfd__oom(nodes->ctx);
	p = realloc(nodes->warnings, (nodes->n_warnings + 1) * sizeof(*p));
	if (!p) {
		free(w);
		return nfd__oom(nodes->ctx);
	}
	nodes->warnings = p;
	nodes->warnings[nodes->n_warnings++] = w;
	nfd_warn(nodes->ctx, "%s", w);
	return 0;
}

/* items [lo, hi) of s are one node's objects, in merge order */
static int merge_node(struct nfd_nodes *nodes, const struct sort_item *s, size_t lo, size_t hi)
{
	struct node *n = &nodes->nodes[nodes->n];
	struct nfd_features *f;
	int r;

	for (size_t i = lo + 1; i < hi; i++) {
		const struct doc_item *a = s[i - 1].item, *b = s[i].item;
		char *w = NULL;

		if (!streq(or_empty(a->name), or_empty(b->name)) ||
		    !streq(or_empty(a->namespace), or_empty(b->namespace)))
			continue;
		/* a cluster cannot hold this: two lists concatenated? */
		if (asprintf(&w,
			     "node '%s': NodeFeature %s/%s appears twice (items merged in "
			     "list order)",
			     b->node, or_empty(b->namespace), or_empty(b->name)) < 0)
			w = NULL;
		if ((r = warn(nodes, w)) < 0)
			return r;
	}
	if (hi - lo == 1) {
		f = nfd_features_ref(s[lo].item->features);
	} else {
		r = nfd_features_new(nodes->ctx, &f);
		if (r < 0)
			return r;
		for (size_t i = lo; i < hi && r >= 0; i++)
			r = nfd__features_merge_append(f, s[i].item->features);
		if (r >= 0)
			r = nfd_features_seal(f);
		if (r < 0) {
			nfd_features_unref(f);
			return r;
		}
	}
	n->name = strdup(s[lo].item->node);
	n->features = f;
	nodes->n++;
	return n->name ? 0 : nfd__oom(nodes->ctx);
}

static int group(struct nfd_nodes *nodes, struct doc_result *res, const char *nfd_ns)
{
	struct sort_item *s;
	size_t lo = 0;
	int r = 0;

	s = calloc(res->n_items + 1, sizeof(*s));
	nodes->nodes = calloc(res->n_items + 1, sizeof(*nodes->nodes));
	if (!s || !nodes->nodes) {
		free(s);
		return nfd__oom(nodes->ctx);
	}
	for (size_t i = 0; i < res->n_items; i++)
		s[i] = (struct sort_item){&res->items[i], i,
					  streq(or_empty(res->items[i].namespace), nfd_ns)};
	if (array_sort(s, res->n_items, sizeof(*s), item_cmp) < 0) {
		free(s);
		return nfd__oom(nodes->ctx);
	}
	for (size_t i = 1; i <= res->n_items && r >= 0; i++) {
		if (i < res->n_items && streq(s[i].item->node, s[lo].item->node))
			continue;
		r = merge_node(nodes, s, lo, i);
		lo = i;
	}
	free(s);
	return r;
}

struct need {
	const char *feature, *element; /* element NULL: all */
};

struct needs {
	struct need *v;
	size_t n, cap;
};

static int add_need(void *data, const char *feature, const char *element)
{
	struct needs *nd = data;

	if (nd->n == nd->cap) {
		size_t cap = nd->cap ? 2 * nd->cap : 64;
		struct need *p = realloc(nd->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		nd->v = p;
		nd->cap = cap;
	}
	nd->v[nd->n++] = (struct need){feature, element};
	return 0;
}

/* a spec's terms share the strings of one feature and element
 * (spec-index.c): most comparisons are settled by the pointers */
static bool same_str(const char *a, const char *b)
{
	return a == b || streq(a, b);
}

/* by feature, "all" (NULL) first, then by element */
static int need_cmp(const void *a, const void *b)
{
	const struct need *x = a, *y = b;
	int c = x->feature == y->feature ? 0 : strcmp(x->feature, y->feature);

	if (c || x->element == y->element)
		return c;
	if (!x->element || !y->element)
		return x->element ? 1 : -1;
	return strcmp(x->element, y->element);
}

static void keep_free(struct keep_feature *keep, size_t n)
{
	for (size_t i = 0; keep && i < n; i++)
		free(keep[i].elems);
	free(keep);
}

/* What the specs can look at, per feature, sorted (doc/many-nodes.md). */
static int keep_list(const struct nfd_spec *const *specs, struct keep_feature **ret, size_t *ret_n)
{
	struct needs nd = {};
	struct keep_feature *keep;
	size_t n = 0;

	for (size_t i = 0; specs[i]; i++)
		if (nfd__spec_each_need(specs[i], add_need, &nd) < 0) {
			free(nd.v);
			return -ENOMEM;
		}
	keep = calloc(nd.n + 1, sizeof(*keep));
	if (!keep || array_sort(nd.v, nd.n, sizeof(*nd.v), need_cmp) < 0) {
		free(keep);
		free(nd.v);
		return -ENOMEM;
	}
	for (size_t i = 0, j; i < nd.n; i = j) {
		struct keep_feature *k = &keep[n++];

		for (j = i; j < nd.n && same_str(nd.v[j].feature, nd.v[i].feature); j++)
			;
		k->name = nd.v[i].feature;
		k->all = nd.v[i].element == NULL;
		if (k->all)
			continue;
		k->elems = malloc((j - i) * sizeof(*k->elems));
		if (!k->elems) {
			keep_free(keep, n);
			free(nd.v);
			return -ENOMEM;
		}
		for (size_t e = i; e < j; e++)
			if (k->n_elems == 0 ||
			    !same_str(k->elems[k->n_elems - 1], nd.v[e].element)) {
				k->elems[k->n_elems++] = nd.v[e].element;
				k->len_mask |= 1ull << (strlen(nd.v[e].element) & 63);
			}
	}
	free(nd.v);
	*ret = keep;
	*ret_n = n;
	return 0;
}

int nfd__nodes_build(struct nfd_ctx *ctx, const char *name, const char *buf, size_t len,
		     const struct nfd_nodes_options *opts, const char *map_base,
		     struct nfd_nodes **ret, enum doc_kind *ret_kind)
{
	struct doc_options dopts = {
		.map_base = map_base,
		.threads = opts && opts->version >= 2 ? opts->threads : 0,
	};
	struct keep_feature *keep = NULL;
	struct doc_result res = {};
	struct nfd_nodes *nodes;
	int r;

	if (opts && opts->only_for_specs) {
		if (keep_list(opts->only_for_specs, &keep, &dopts.n_keep) < 0)
			return nfd__oom(ctx);
		dopts.keep = keep;
	}
	r = nfd__doc_parse(ctx, name, buf, len, &dopts, &res);
	keep_free(keep, dopts.n_keep);
	if (r < 0)
		return r;
	nodes = calloc(1, sizeof(*nodes));
	if (!nodes) {
		nfd__doc_result_release(&res);
		return nfd__oom(ctx);
	}
	nodes->refcount = 1;
	nodes->ctx = nfd_ctx_ref(ctx);
	/* the reader's warnings first, in document order */
	nodes->warnings = TAKE_PTR(res.warnings);
	nodes->n_warnings = res.n_warnings;
	res.n_warnings = 0;
	r = group(nodes, &res,
		  opts && opts->nfd_namespace ? opts->nfd_namespace : NFD_NODES_DEFAULT_NAMESPACE);
	nodes->is_list = res.kind == DOC_LIST;
	if (r >= 0 && ret_kind)
		*ret_kind = res.kind;
	nfd__doc_result_release(&res);
	if (r < 0) {
		nfd_nodes_unref(nodes);
		return r;
	}
	*ret = nodes;
	return (int)MIN(nodes->n, (size_t)INT32_MAX);
}

static size_t max_bytes(const struct nfd_nodes_options *opts)
{
	return opts && opts->max_bytes ? opts->max_bytes : NODES_MAX_DEFAULT;
}

static int check_opts(struct nfd_ctx *ctx, const struct nfd_nodes_options *opts)
{
	if (opts && (opts->version < 1 || opts->version > NFD_NODES_OPTIONS_VERSION))
		return nfd__error(ctx, EINVAL, "nfd_nodes_options version %u is not known",
				  opts->version);
	return 0;
}

NFD_EXPORT int nfd_nodes_parse_json(struct nfd_ctx *ctx, const char *buf, size_t len,
				    const struct nfd_nodes_options *opts, struct nfd_nodes **ret)
{
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(buf && ret, nfd__error(ctx, EINVAL, "no features buffer given"));
	if ((r = check_opts(ctx, opts)) < 0)
		return r;
	if (len > max_bytes(opts))
		return nfd__error_too_big(ctx, "<input>", len, max_bytes(opts),
					  "features (a list of nodes)");
	return nfd__nodes_build(ctx, "<input>", buf, len, opts, NULL, ret, NULL);
}

int nfd__nodes_parse_path(struct nfd_ctx *ctx, const char *path, size_t max,
			  const struct nfd_nodes_options *opts, struct nfd_nodes **ret,
			  enum doc_kind *ret_kind)
{
	_cleanup_free_ char *buf = NULL;
	/* nfd_features_parse_file() reads one node, under a smaller cap */
	const char *kind = max == max_bytes(opts) ? "features (a list of nodes)" : "features";
	struct stat st;
	size_t len;
	void *map;
	int fd, r;

	if (!streq(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return nfd__error(ctx, errno, "%s: %s", path, strerror(errno));
		if (fstat(fd, &st) < 0) {
			r = -errno;
			close(fd);
			return nfd__error(ctx, -r, "%s: %s", path, strerror(-r));
		}
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			return nfd__error(ctx, EISDIR, "%s: %s", path, strerror(EISDIR));
		}
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
			close(fd);
			return nfd__error_too_big(ctx, path, (unsigned long long)st.st_size, max,
						  kind);
		}
		/* a regular file is mapped: its pages are handed back as the
		 * reader passes them, so a large list never sits in memory */
		if (S_ISREG(st.st_mode) && st.st_size > 0) {
			/* a file the reader does not page (one node's features)
			 * is mapped whole in one call, not a fault per 64 KiB */
			map = mmap(NULL, (size_t)st.st_size, PROT_READ,
				   MAP_PRIVATE | (st.st_size <= POPULATE_MAX ? MAP_POPULATE : 0),
				   fd, 0);
			close(fd);
			if (map == MAP_FAILED)
				return nfd__error(ctx, errno, "%s: %s", path, strerror(errno));
			(void)madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
			r = nfd__nodes_build(ctx, path, map, (size_t)st.st_size, opts, map, ret,
					     ret_kind);
			munmap(map, (size_t)st.st_size);
			return r;
		}
		close(fd);
	}
	r = read_file(path, max, &buf, &len);
	if (r < 0)
		return nfd__error_read(ctx, r, path, kind);
	return nfd__nodes_build(ctx, streq(path, "-") ? "<stdin>" : path, buf, len, opts, NULL, ret,
				ret_kind);
}

NFD_EXPORT int nfd_nodes_parse_file(struct nfd_ctx *ctx, const char *path,
				    const struct nfd_nodes_options *opts, struct nfd_nodes **ret)
{
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(path && ret, nfd__error(ctx, EINVAL, "no features file given"));
	if ((r = check_opts(ctx, opts)) < 0)
		return r;
	return nfd__nodes_parse_path(ctx, path, max_bytes(opts), opts, ret, NULL);
}

NFD_EXPORT int nfd_nodes_count(const struct nfd_nodes *nodes)
{
	assert_return(nodes, -EINVAL);
	return (int)MIN(nodes->n, (size_t)INT32_MAX);
}

NFD_EXPORT const char *nfd_nodes_get_name(const struct nfd_nodes *nodes, size_t index)
{
	if (!nodes || index >= nodes->n)
		return NULL;
	return nodes->nodes[index].name;
}

NFD_EXPORT struct nfd_features *nfd_nodes_get_features(const struct nfd_nodes *nodes, size_t index)
{
	if (!nodes || index >= nodes->n)
		return NULL;
	return nodes->nodes[index].features;
}

NFD_EXPORT int nfd_nodes_find(const struct nfd_nodes *nodes, const char *name)
{
	size_t lo = 0, hi;

	assert_return(nodes && name, -EINVAL);
	hi = nodes->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, nodes->nodes[mid].name);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -ENOENT;
}

NFD_EXPORT int nfd_nodes_is_list(const struct nfd_nodes *nodes)
{
	assert_return(nodes, -EINVAL);
	return nodes->is_list;
}

NFD_EXPORT int nfd_nodes_count_warnings(const struct nfd_nodes *nodes)
{
	assert_return(nodes, -EINVAL);
	return (int)MIN(nodes->n_warnings, (size_t)INT32_MAX);
}

NFD_EXPORT const char *nfd_nodes_get_warning(const struct nfd_nodes *nodes, size_t index)
{
	if (!nodes || index >= nodes->n_warnings)
		return NULL;
	return nodes->warnings[index];
}

struct nfd_ctx *nfd__nodes_ctx(const struct nfd_nodes *nodes)
{
	return nodes->ctx;
}
