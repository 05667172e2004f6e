/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading the feature model (features.c builds it): the public lookups and
 * iterators, and the views the engine and the writers use.  A sealed object
 * is only read, so these need no locking; an unsealed one is read through its
 * normal form (nfd__features_normal()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/features-private.h"
#include "shared/array.h"

/* ------------------------------------------------------------------ reads */

static int lookup(const struct nfd_features *f, const char *feature, enum nfd_feature_type type,
		  const struct feature **ret)
{
	const struct feature *ft = nfd__features_find(f, feature);

	if (!ft || !(ft->types & type))
		return -ENOENT;
	*ret = ft;
	return 0;
}

NFD_EXPORT int nfd_features_has_feature(const struct nfd_features *f, enum nfd_feature_type type,
					const char *feature)
{
	const struct feature *ft;

	assert_return(f && feature && nfd__feature_type_valid(type), -EINVAL);
	return lookup(f, feature, type, &ft) == 0;
}

NFD_EXPORT int nfd_features_has_flag(const struct nfd_features *f, const char *feature,
				     const char *name)
{
	const struct feature *ft;

	assert_return(f && feature && name, -EINVAL);
	if (lookup(f, feature, NFD_FEATURE_FLAG, &ft) < 0)
		return 0;
	return nfd__kvmap_find(&ft->flags, name) != NULL;
}

NFD_EXPORT int nfd_features_get_attribute(const struct nfd_features *f, const char *feature,
					  const char *name, const char **ret)
{
	const struct feature *ft;
	const struct nfd_kv *kv;
	int r;

	assert_return(f && feature && name && ret, -EINVAL);
	r = lookup(f, feature, NFD_FEATURE_ATTRIBUTE, &ft);
	if (r < 0)
		return r;
	kv = nfd__kvmap_find(&ft->attrs, name);
	if (!kv)
		return -ENOENT;
	*ret = kv->value;
	return 0;
}

NFD_EXPORT int nfd_features_count_instances(const struct nfd_features *f, const char *feature)
{
	const struct feature *ft;
	int r;

	assert_return(f && feature, -EINVAL);
	r = lookup(f, feature, NFD_FEATURE_INSTANCE, &ft);
	if (r < 0)
		return r;
	return (int)ft->n_inst;
}

NFD_EXPORT int nfd_features_get_instance_attribute(const struct nfd_features *f,
						   const char *feature, size_t index,
						   const char *name, const char **ret)
{
	const struct feature *ft;
	const struct nfd_kv *kv;
	int r;

	assert_return(f && feature && name && ret, -EINVAL);
	r = lookup(f, feature, NFD_FEATURE_INSTANCE, &ft);
	if (r < 0)
		return r;
	if (index >= ft->n_inst)
		return -ERANGE;
	kv = nfd__kvmap_find(&ft->inst[index], name);
	if (!kv)
		return -ENOENT;
	*ret = kv->value;
	return 0;
}

static int kv_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nfd_kv *)a)->key, ((const struct nfd_kv *)b)->key);
}

static void release_features(void *owner)
{
	nfd_features_unref(owner);
}

/* An iterator over a map of nf (normal); it takes over the reference to nf. */
static int iter_kvmap(struct nfd_features *nf, const struct kvmap *m, struct nfd_iter **ret)
{
	struct nfd_ctx *ctx = nf->ctx;
	int r = nfd__iter_new(m->items, m->n, NULL, nf, release_features, ret);

	return r < 0 ? nfd__oom(ctx) : 0;
}

/* The map of type (flags, attributes or instance index) of feature, in nf,
 * the normal form of f; the caller owns the reference to *ret_nf. */
static int normal_map(const struct nfd_features *f, const char *feature, enum nfd_feature_type type,
		      size_t index, struct nfd_features **ret_nf, const struct kvmap **ret)
{
	struct nfd_features *nf;
	const struct feature *ft;
	int r;

	r = lookup(f, feature, type, &ft);
	if (r < 0)
		return r;
	if (type == NFD_FEATURE_INSTANCE && index >= ft->n_inst)
		return -ERANGE;
	r = nfd__features_normal(f, &nf);
	if (r < 0)
		return r;
	ft = nfd__features_find(nf, feature);
	*ret = type == NFD_FEATURE_FLAG	       ? &ft->flags
	       : type == NFD_FEATURE_ATTRIBUTE ? &ft->attrs
					       : &ft->inst[index];
	*ret_nf = nf;
	return 0;
}

NFD_EXPORT int nfd_features_iter_features(const struct nfd_features *f, enum nfd_feature_type type,
					  struct nfd_iter **ret)
{
	struct nfd_kv *items;
	size_t n = 0;
	int r;

	assert_return(f && ret && nfd__feature_type_valid(type), -EINVAL);
	items = malloc(f->n * sizeof(*items) + 1);
	if (!items)
		return nfd__oom(f->ctx);
	for (size_t i = 0; i < f->n; i++)
		if (f->features[i]->types & type)
			items[n++] = (struct nfd_kv){f->features[i]->name, NULL};
	/* names are unique; in order unless the object is still being built */
	if (!f->sorted)
		qsort(items, n, sizeof(*items), kv_key_cmp);
	r = nfd__iter_new(items, n, items, nfd_features_ref((struct nfd_features *)f),
			  release_features, ret);
	return r < 0 ? nfd__oom(f->ctx) : 0;
}

NFD_EXPORT int nfd_features_iter_flags(const struct nfd_features *f, const char *feature,
				       struct nfd_iter **ret)
{
	struct nfd_features *nf;
	const struct kvmap *m;
	int r;

	assert_return(f && feature && ret, -EINVAL);
	r = normal_map(f, feature, NFD_FEATURE_FLAG, 0, &nf, &m);
	if (r < 0)
		return r;
	return iter_kvmap(nf, m, ret);
}

NFD_EXPORT int nfd_features_iter_attributes(const struct nfd_features *f, const char *feature,
					    struct nfd_iter **ret)
{
	struct nfd_features *nf;
	const struct kvmap *m;
	int r;

	assert_return(f && feature && ret, -EINVAL);
	r = normal_map(f, feature, NFD_FEATURE_ATTRIBUTE, 0, &nf, &m);
	if (r < 0)
		return r;
	return iter_kvmap(nf, m, ret);
}

NFD_EXPORT int nfd_features_iter_instance(const struct nfd_features *f, const char *feature,
					  size_t index, struct nfd_iter **ret)
{
	struct nfd_features *nf;
	const struct kvmap *m;
	int r;

	assert_return(f && feature && ret, -EINVAL);
	r = normal_map(f, feature, NFD_FEATURE_INSTANCE, index, &nf, &m);
	if (r < 0)
		return r;
	return iter_kvmap(nf, m, ret);
}

/* -------------------------------------------------------- internal views */

static void view_of(const struct kvmap *m, struct nfd__kvmap_view *ret)
{
	ret->items = m->items;
	ret->n = m->n;
	ret->is_nil = m->nil;
}

int nfd__features_flags(const struct nfd_features *f, const char *feature,
			struct nfd__kvmap_view *ret)
{
	const struct feature *ft;
	int r = lookup(f, feature, NFD_FEATURE_FLAG, &ft);

	if (r < 0)
		return r;
	view_of(&ft->flags, ret);
	return 0;
}

int nfd__features_attributes(const struct nfd_features *f, const char *feature,
			     struct nfd__kvmap_view *ret)
{
	const struct feature *ft;
	int r = lookup(f, feature, NFD_FEATURE_ATTRIBUTE, &ft);

	if (r < 0)
		return r;
	view_of(&ft->attrs, ret);
	return 0;
}

int nfd__features_instances(const struct nfd_features *f, const char *feature, size_t *ret_n,
			    bool *ret_is_nil)
{
	const struct feature *ft;
	int r = lookup(f, feature, NFD_FEATURE_INSTANCE, &ft);

	if (r < 0)
		return r;
	*ret_n = ft->n_inst;
	if (ret_is_nil)
		*ret_is_nil = ft->inst_nil;
	return 0;
}

int nfd__features_instance(const struct nfd_features *f, const char *feature, size_t index,
			   struct nfd__kvmap_view *ret)
{
	const struct feature *ft;
	int r = lookup(f, feature, NFD_FEATURE_INSTANCE, &ft);

	if (r < 0)
		return r;
	if (index >= ft->n_inst)
		return -ERANGE;
	view_of(&ft->inst[index], ret);
	return 0;
}

size_t nfd__features_count(const struct nfd_features *f)
{
	return f->n;
}

const struct feature *nfd__features_at(const struct nfd_features *f, size_t i)
{
	return f->features[i];
}
