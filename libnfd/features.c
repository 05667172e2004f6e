/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The feature model: "domain.feature" -> flags / attributes / instances,
 * exactly NFD's.  Elements are appended while an object is built and sorted
 * (with duplicates resolved, last write wins) lazily or when it is sealed;
 * a sealed object is never written again, so readers on several threads need
 * no locking.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/features-private.h"
#include "shared/array.h"

/* The element names and values live in f->strings: only the array is freed. */
static void kvmap_free(struct kvmap *m)
{
	free(m->items);
	memset(m, 0, sizeof(*m));
}

/* Append key (lk bytes) and value (lv bytes; NULL for a flag) to m. */
static int kvmap_append_n(struct nfd_features *f, struct kvmap *m, const char *key, size_t lk,
			  const char *value, size_t lv)
{
	size_t size = lk + 1 + (value ? lv + 1 : 0);
	char *k;

	if (m->n + 1 > m->cap && ARRAY_RESERVE(m->items, m->cap, m->n + 1) < 0)
		return -ENOMEM;
	/* the key and, after its NUL, the value: in the object's arena, as a
	 * discovery adds a few thousand of them (kernel.config alone ~1750
	 * names and values) and a malloc() each cost as much as the rest of the
	 * feature model together */
	k = arena_alloc_bytes(&f->strings, size);
	if (!k)
		return -ENOMEM;
	memcpy(k, key, lk);
	k[lk] = '\0';
	if (value) {
		memcpy(k + lk + 1, value, lv);
		k[lk + 1 + lv] = '\0';
	}
	/* appending after the last key keeps a sorted map sorted */
	if (m->sorted && m->n > 0 && strcmp(m->items[m->n - 1].key, k) >= 0)
		m->sorted = false;
	m->items[m->n].key = k;
	m->items[m->n].value = value ? k + lk + 1 : NULL;
	m->n++;
	m->nil = false;
	return 0;
}

static int kvmap_append(struct nfd_features *f, struct kvmap *m, const char *key, const char *value)
{
	return kvmap_append_n(f, m, key, strlen(key), value, value ? strlen(value) : 0);
}

struct sort_ent {
	const char *key;
	uint32_t pos;	 /* in the map, before sorting */
	unsigned char c; /* radix_sort(): the key's byte at the current depth */
	bool same_next;	 /* the next entry, once sorted, has the same key */
};

/* Below this many entries a range is sorted by insertion. */
#define RADIX_MIN 16

/* x's key against y's, both equal in their first depth bytes: <0, 0, >0 as strcmp() */
static int ent_cmp_from(const struct sort_ent *x, const struct sort_ent *y, size_t depth)
{
	const unsigned char *p = (const unsigned char *)x->key + depth;
	const unsigned char *q = (const unsigned char *)y->key + depth;

	while (*p && *p == *q)
		p++, q++;
	return (int)*p - (int)*q;
}

/* Stable insertion sort of a[0..n), whose keys agree in their first depth bytes. */
static void insertion_sort(struct sort_ent *a, size_t n, size_t depth)
{
	for (size_t i = 1; i < n; i++) {
		struct sort_ent e = a[i];
		size_t j = i;
		int c = 1;

		/* move past strictly greater keys only: equal ones keep their order */
		while (j > 0 && (c = ent_cmp_from(&a[j - 1], &e, depth)) > 0) {
			a[j] = a[j - 1];
			j--;
		}
		if (j > 0 && c == 0)
			a[j - 1].same_next = true;
		a[j] = e;
	}
}

/* A sorted range is final: where it belongs (home), if it is not there yet. */
static void settle(struct sort_ent *cur, struct sort_ent *other, size_t n, bool home_is_cur)
{
	if (!home_is_cur)
		memcpy(other, cur, n * sizeof(*cur));
}

/*
 * Stable most-significant-byte radix sort of the n entries at cur, whose keys
 * agree in their first depth bytes; other has room for n.  The sorted result
 * ends at cur when home_is_cur, else at other: each level scatters from one
 * buffer into the other, and only the finished ranges are copied home.
 * A thousand kernel.config entries are sorted per discovery; a merge sort
 * spent ~30 instructions per step on them, this a few per byte that tells
 * keys apart.  The largest bucket is sorted by the loop, the others by
 * recursion, so that the recursion is at most log2(n) deep whatever the keys.
 */
static void radix_sort(struct sort_ent *cur, struct sort_ent *other, size_t n, size_t depth,
		       bool home_is_cur)
{
	while (n >= RADIX_MIN) {
		size_t count[256], start[256];
		unsigned lo = 255, hi = 0, big = 0;
		struct sort_ent *t;

		/* the range of bytes at depth first: keys often share a prefix
		 * (CONFIG_NETFILTER_XT_...), a byte that costs one pass */
		for (size_t i = 0; i < n; i++) {
			unsigned c = (unsigned char)cur[i].key[depth];

			cur[i].c = (unsigned char)c;
			lo = c < lo ? c : lo;
			hi = c > hi ? c : hi;
		}
		if (lo == hi) {
			if (lo == 0) {
				/* every key ends here: all equal, in the order added */
				for (size_t i = 0; i + 1 < n; i++)
					cur[i].same_next = true;
				settle(cur, other, n, home_is_cur);
				return;
			}
			depth++; /* one byte shared by all: look at the next */
			continue;
		}
		memset(count + lo, 0, (hi - lo + 1) * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[cur[i].c]++;
		for (size_t b = lo, at = 0; b <= hi; b++) {
			start[b] = at;
			at += count[b];
		}
		for (size_t i = 0; i < n; i++)
			other[start[cur[i].c]++] = cur[i];
		/* the entries are in other now; start[b] is the end of bucket b */
		t = cur, cur = other, other = t;
		home_is_cur = !home_is_cur;
		/* bucket 0 (keys that end here) is equal keys, in the order added */
		if (lo == 0) {
			for (size_t i = 0; i + 1 < count[0]; i++)
				cur[i].same_next = true;
			settle(cur, other, count[0], home_is_cur);
		}
		for (unsigned b = MAX(lo, 1u); b <= hi; b++)
			if (big == 0 || count[b] > count[big])
				big = b;
		for (unsigned b = MAX(lo, 1u); b <= hi; b++) {
			size_t at = start[b] - count[b];

			if (b == big || count[b] == 0)
				continue;
			if (count[b] == 1)
				settle(cur + at, other + at, 1, home_is_cur);
			else
				radix_sort(cur + at, other + at, count[b], depth + 1, home_is_cur);
		}
		cur += start[big] - count[big];
		other += start[big] - count[big];
		n = count[big];
		depth++;
	}
	insertion_sort(cur, n, depth);
	settle(cur, other, n, home_is_cur);
}

/* Sort by key; of equal keys keep the one added last (the first such key is
 * remembered in *dup when dup is not NULL and *dup is still NULL). */
static int kvmap_normalize(struct kvmap *m, const char **dup)
{
	struct sort_ent *ents;
	struct nfd_kv *out;
	size_t n = 0;

	if (m->sorted)
		return 0;
	if (m->n > UINT32_MAX)
		return -ENOMEM;
	ents = malloc(2 * m->n * sizeof(*ents) + 1);
	out = malloc(m->n * sizeof(*out) + 1);
	if (!ents || !out) {
		free(ents);
		free(out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->n; i++)
		ents[i] = (struct sort_ent){.key = m->items[i].key, .pos = (uint32_t)i};
	radix_sort(ents, ents + m->n, m->n, 0, true);
	for (size_t i = 0; i < m->n; i++) {
		/* of equal keys the last added wins (the others' strings stay in f) */
		if (ents[i].same_next) {
			if (dup && !*dup)
				*dup = ents[i].key;
			continue;
		}
		out[n++] = m->items[ents[i].pos];
	}
	free(ents);
	free(m->items);
	m->items = out;
	m->n = n;
	m->cap = m->n;
	m->sorted = true;
	return 0;
}

/* Lookup works on both states, without changing the map: a binary search
 * once sorted, else the last one added wins, as after sorting. */
const struct nfd_kv *nfd__kvmap_find(const struct kvmap *m, const char *key)
{
	ssize_t i;

	if (!m->sorted) {
		for (size_t k = m->n; k-- > 0;)
			if (streq(m->items[k].key, key))
				return &m->items[k];
		return NULL;
	}
	i = SORTED_SEARCH_BY(m->items, m->n, key, key);
	return i >= 0 ? &m->items[i] : NULL;
}

static void feature_free(struct feature *ft)
{
	if (!ft)
		return;
	kvmap_free(&ft->flags);
	kvmap_free(&ft->attrs);
	for (size_t i = 0; i < ft->n_inst; i++)
		kvmap_free(&ft->inst[i]);
	free(ft->inst);
	free(ft->name);
	free(ft);
}

static int feature_cmp(const void *a, const void *b)
{
	const struct feature *x = *(const struct feature *const *)a;
	const struct feature *y = *(const struct feature *const *)b;

	return strcmp(x->name, y->name);
}

NFD_EXPORT int nfd_features_new(struct nfd_ctx *ctx, struct nfd_features **ret)
{
	struct nfd_features *f;

	assert_return(ctx, -EINVAL);
	assert_return(ret, -EINVAL);
	f = calloc(1, sizeof(*f));
	if (!f)
		return nfd__oom(ctx);
	f->refcount = 1;
	f->ctx = nfd_ctx_ref(ctx);
	f->sorted = true;
	*ret = f;
	return 0;
}

NFD_EXPORT struct nfd_features *nfd_features_ref(struct nfd_features *f)
{
	if (f)
		nfd__ref_inc(f);
	return f;
}

NFD_EXPORT struct nfd_features *nfd_features_unref(struct nfd_features *f)
{
	if (!f || nfd__ref_dec(f) > 0)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		feature_free(f->features[i]);
	free(f->features);
	free(f->hash);
	arena_release(&f->strings);
	nfd_ctx_unref(f->ctx);
	free(f);
	return NULL;
}

struct nfd_ctx *nfd__features_ctx(const struct nfd_features *f)
{
	return f->ctx;
}

static int name_cmp(const void *name, const void *elem)
{
	return strcmp(name, (*(const struct feature *const *)elem)->name);
}

static size_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	/* names that differ in one digit must not share low bits: finish with
	 * a 64-bit mixer (murmur3's fmix64) */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return (size_t)h;
}

/* The slot of name in the build-time hash: its feature or an empty slot. */
static struct feature **hash_slot(const struct nfd_features *f, const char *name)
{
	size_t mask = f->hash_cap - 1, i = name_hash(name) & mask;

	while (f->hash[i] && !streq(f->hash[i]->name, name))
		i = (i + 1) & mask;
	return &f->hash[i];
}

static int hash_add(struct nfd_features *f, struct feature *ft)
{
	if (2 * (f->n + 1) > f->hash_cap) {
		size_t cap = f->hash_cap ? 2 * f->hash_cap : 16;
		struct feature **old = f->hash;
		size_t old_cap = f->hash_cap;

		f->hash = calloc(cap, sizeof(*f->hash));
		if (!f->hash) {
			f->hash = old;
			return -ENOMEM;
		}
		f->hash_cap = cap;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i])
				*hash_slot(f, old[i]->name) = old[i];
		free(old);
	}
	*hash_slot(f, ft->name) = ft;
	return 0;
}

/* Lookup works on both states: through the hash while building (the list is
 * unsorted), binary search once sorted. */
struct feature *nfd__features_find(const struct nfd_features *f, const char *name)
{
	if (!f->sorted) {
		if (f->hash)
			return *hash_slot(f, name);
		for (size_t i = f->n; i-- > 0;)
			if (streq(f->features[i]->name, name))
				return f->features[i];
		return NULL;
	}
	ssize_t i = sorted_search(name, f->features, f->n, sizeof(*f->features), name_cmp);

	return i >= 0 ? f->features[i] : NULL;
}

bool nfd__feature_type_valid(enum nfd_feature_type type)
{
	return type == NFD_FEATURE_FLAG || type == NFD_FEATURE_ATTRIBUTE ||
	       type == NFD_FEATURE_INSTANCE;
}

static int check_writable(struct nfd_features *f, const char *feature)
{
	if (f->sealed)
		return nfd__error(f->ctx, EPERM, "features are sealed and cannot change");
	if (feature[0] == '\0')
		return nfd__error(f->ctx, EINVAL, "empty feature name");
	return 0;
}

/* Find or create a feature and mark it as having elements of type. */
static int get_feature(struct nfd_features *f, const char *name, enum nfd_feature_type type,
		       struct feature **ret)
{
	struct feature *ft = nfd__features_find(f, name);

	if (!ft) {
		if (ARRAY_RESERVE(f->features, f->cap, f->n + 1) < 0)
			return nfd__oom(f->ctx);
		ft = calloc(1, sizeof(*ft));
		if (!ft || !(ft->name = strdup(name))) {
			free(ft);
			return nfd__oom(f->ctx);
		}
		ft->flags.sorted = ft->attrs.sorted = true;
		if (hash_add(f, ft) < 0) {
			free(ft->name);
			free(ft);
			return nfd__oom(f->ctx);
		}
		if (f->n > 0 && strcmp(f->features[f->n - 1]->name, name) > 0)
			f->sorted = false;
		f->features[f->n++] = ft;
	}
	ft->types |= type;
	*ret = ft;
	return 0;
}

NFD_EXPORT int nfd_features_declare(struct nfd_features *f, enum nfd_feature_type type,
				    const char *feature)
{
	struct feature *ft;
	int r;

	assert_return(f && feature, -EINVAL);
	if (!nfd__feature_type_valid(type))
		return nfd__error(f->ctx, EINVAL, "invalid feature type %d", (int)type);
	r = check_writable(f, feature);
	if (r < 0)
		return r;
	return get_feature(f, feature, type, &ft);
}

int nfd__features_set_nil(struct nfd_features *f, enum nfd_feature_type type, const char *feature)
{
	struct feature *ft;
	int r = nfd_features_declare(f, type, feature);

	if (r < 0)
		return r;
	ft = nfd__features_find(f, feature);
	switch (type) {
	case NFD_FEATURE_FLAG:
		kvmap_free(&ft->flags);
		ft->flags.sorted = true;
		ft->flags.nil = true;
		break;
	case NFD_FEATURE_ATTRIBUTE:
		kvmap_free(&ft->attrs);
		ft->attrs.sorted = true;
		ft->attrs.nil = true;
		break;
	default:
		for (size_t i = 0; i < ft->n_inst; i++)
			kvmap_free(&ft->inst[i]);
		ft->n_inst = 0;
		ft->inst_nil = true;
		break;
	}
	return 0;
}

NFD_EXPORT int nfd_features_add_flag(struct nfd_features *f, const char *feature, const char *name)
{
	struct feature *ft;
	int r;

	assert_return(f && feature && name, -EINVAL);
	r = check_writable(f, feature);
	if (r < 0)
		return r;
	r = get_feature(f, feature, NFD_FEATURE_FLAG, &ft);
	if (r < 0)
		return r;
	if (kvmap_append(f, &ft->flags, name, NULL) < 0)
		return nfd__oom(f->ctx);
	return 0;
}

NFD_EXPORT int nfd_features_set_attribute(struct nfd_features *f, const char *feature,
					  const char *name, const char *value)
{
	struct feature *ft;
	int r;

	assert_return(f && feature && name && value, -EINVAL);
	r = check_writable(f, feature);
	if (r < 0)
		return r;
	r = get_feature(f, feature, NFD_FEATURE_ATTRIBUTE, &ft);
	if (r < 0)
		return r;
	if (kvmap_append(f, &ft->attrs, name, value) < 0)
		return nfd__oom(f->ctx);
	return 0;
}

int nfd__features_get(struct nfd_features *f, enum nfd_feature_type type, const char *feature,
		      struct feature **ret)
{
	int r = check_writable(f, feature);

	return r < 0 ? r : get_feature(f, feature, type, ret);
}

int nfd__features_append(struct nfd_features *f, struct feature *ft, enum nfd_feature_type type,
			 const char *key, size_t klen, const char *value, size_t vlen)
{
	struct kvmap *m = type == NFD_FEATURE_FLAG ? &ft->flags : &ft->attrs;

	if (kvmap_append_n(f, m, key, klen, type == NFD_FEATURE_FLAG ? NULL : value, vlen) < 0)
		return nfd__oom(f->ctx);
	return 0;
}

static int append_instance(struct nfd_features *f, struct feature *ft, struct kvmap **ret)
{
	if (ARRAY_RESERVE(ft->inst, ft->cap_inst, ft->n_inst + 1) < 0)
		return nfd__oom(f->ctx);
	if (ft->n_inst >= INT32_MAX)
		return nfd__error(f->ctx, E2BIG, "too many instances of '%s'", ft->name);
	*ret = &ft->inst[ft->n_inst];
	memset(*ret, 0, sizeof(**ret));
	(*ret)->sorted = true;
	ft->n_inst++;
	ft->inst_nil = false;
	return 0;
}

NFD_EXPORT int nfd_features_add_instance(struct nfd_features *f, const char *feature,
					 const char *const *attrs)
{
	struct feature *ft;
	struct kvmap *m;
	int r;

	assert_return(f && feature, -EINVAL);
	r = check_writable(f, feature);
	if (r < 0)
		return r;
	for (size_t i = 0; attrs && attrs[i]; i += 2)
		if (!attrs[i + 1])
			return nfd__error(f->ctx, EINVAL,
					  "instance attribute '%s' of '%s' has no value", attrs[i],
					  feature);
	r = get_feature(f, feature, NFD_FEATURE_INSTANCE, &ft);
	if (r < 0)
		return r;
	r = append_instance(f, ft, &m);
	if (r < 0)
		return r;
	for (size_t i = 0; attrs && attrs[i]; i += 2)
		if (kvmap_append(f, m, attrs[i], attrs[i + 1]) < 0)
			return nfd__oom(f->ctx);
	return (int)(ft->n_inst - 1);
}

static int feature_normalize(struct nfd_features *f, struct feature *ft)
{
	const char *dup = NULL;

	if (kvmap_normalize(&ft->flags, &dup) < 0 || kvmap_normalize(&ft->attrs, &dup) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < ft->n_inst; i++)
		if (kvmap_normalize(&ft->inst[i], &dup) < 0)
			return -ENOMEM;
	if (dup && !f->dup_key) {
		f->dup_feature = ft->name;
		f->dup_key = dup;
	}
	return 0;
}

/* Sort everything (at seal time: readers never do). */
static int normalize(struct nfd_features *f)
{
	if (f->sealed)
		return 0;
	for (size_t i = 0; i < f->n; i++)
		if (feature_normalize(f, f->features[i]) < 0)
			return nfd__oom(f->ctx);
	if (!f->sorted) {
		qsort(f->features, f->n, sizeof(*f->features), feature_cmp);
		f->sorted = true;
	}
	return 0;
}

NFD_EXPORT int nfd_features_seal(struct nfd_features *f)
{
	int r;

	assert_return(f, -EINVAL);
	if (f->sealed)
		return 0;
	r = normalize(f);
	if (r < 0)
		return r;
	f->sealed = true;
	free(f->hash);
	f->hash = NULL;
	f->hash_cap = 0;
	return 0;
}

static int merge(struct nfd_features *f, const struct nfd_features *from, bool append_instances)
{
	int r;

	if (f->sealed)
		return nfd__error(f->ctx, EPERM, "features are sealed and cannot change");
	for (size_t i = 0; i < from->n; i++) {
		const struct feature *src = from->features[i];
		struct feature *dst = NULL;

		for (unsigned t = NFD_FEATURE_FLAG; t <= NFD_FEATURE_INSTANCE; t <<= 1) {
			if (!(src->types & t))
				continue;
			r = get_feature(f, src->name, t, &dst);
			if (r < 0)
				return r;
		}
		if (src->types & NFD_FEATURE_FLAG) {
			if (src->flags.nil && dst->flags.n == 0)
				dst->flags.nil = true;
			for (size_t j = 0; j < src->flags.n; j++)
				if (kvmap_append(f, &dst->flags, src->flags.items[j].key, NULL) < 0)
					return nfd__oom(f->ctx);
		}
		if (src->types & NFD_FEATURE_ATTRIBUTE) {
			if (src->attrs.nil && dst->attrs.n == 0)
				dst->attrs.nil = true;
			for (size_t j = 0; j < src->attrs.n; j++)
				if (kvmap_append(f, &dst->attrs, src->attrs.items[j].key,
						 src->attrs.items[j].value) < 0)
					return nfd__oom(f->ctx);
		}
		if (src->types & NFD_FEATURE_INSTANCE) {
			if (append_instances) {
				/* nil (NFD's "elements": null) adds nothing */
				if (src->inst_nil) {
					if (dst->n_inst == 0)
						dst->inst_nil = true;
					continue;
				}
				dst->inst_nil = false;
			} else {
				for (size_t j = 0; j < dst->n_inst; j++)
					kvmap_free(&dst->inst[j]);
				dst->n_inst = 0;
				dst->inst_nil = src->inst_nil;
			}
			for (size_t j = 0; j < src->n_inst; j++) {
				struct kvmap *m;
				r = append_instance(f, dst, &m);
				if (r < 0)
					return r;
				for (size_t k = 0; k < src->inst[j].n; k++)
					if (kvmap_append(f, m, src->inst[j].items[k].key,
							 src->inst[j].items[k].value) < 0)
						return nfd__oom(f->ctx);
			}
		}
	}
	return 0;
}

NFD_EXPORT int nfd_features_merge(struct nfd_features *f, const struct nfd_features *from)
{
	assert_return(f && from, -EINVAL);
	return merge(f, from, false);
}

int nfd__features_merge_append(struct nfd_features *f, const struct nfd_features *from)
{
	return merge(f, from, true);
}

int nfd__features_declare_new(struct nfd_features *f, enum nfd_feature_type type,
			      const char *feature)
{
	struct feature *ft;
	int r = check_writable(f, feature);

	if (r < 0)
		return r;
	ft = nfd__features_find(f, feature);
	if (ft && (ft->types & type))
		return -EEXIST;
	return get_feature(f, feature, type, &ft);
}

/* Sorted, each name once: what readers that hand out arrays need. */
bool nfd__features_is_sealed(const struct nfd_features *f)
{
	return f->sealed;
}

static bool is_normal(const struct nfd_features *f)
{
	if (f->sealed)
		return true;
	if (!f->sorted)
		return false;
	for (size_t i = 0; i < f->n; i++) {
		const struct feature *ft = f->features[i];

		if (!ft->flags.sorted || !ft->attrs.sorted)
			return false;
		for (size_t k = 0; k < ft->n_inst; k++)
			if (!ft->inst[k].sorted)
				return false;
	}
	return true;
}

int nfd__features_normal(const struct nfd_features *f, struct nfd_features **ret)
{
	struct nfd_features *copy;
	int r;

	if (is_normal(f)) {
		*ret = nfd_features_ref((struct nfd_features *)f);
		return 0;
	}
	/* an unsealed object may be read from several threads at once, so
	 * it is not sorted in place: a sealed copy is */
	r = nfd_features_new(f->ctx, &copy);
	if (r < 0)
		return r;
	r = merge(copy, f, false);
	if (r >= 0)
		r = nfd_features_seal(copy);
	if (r < 0) {
		nfd_features_unref(copy);
		return r;
	}
	*ret = copy;
	return 0;
}
