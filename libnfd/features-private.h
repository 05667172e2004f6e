/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The feature model's layout, shared by features.c and features-json.c. */
#pragma once

#include "libnfd/libnfd-internal.h"
#include "shared/arena.h"

/*
 * name -> value (value NULL for flags); sorted and unique when sorted.  The
 * strings belong to the nfd_features object (its arena), not to the map.
 */
struct kvmap {
	struct nfd_kv *items;
	size_t n;
	size_t cap;
	bool sorted;
	bool nil; /* NFD's "elements": null */
};

struct feature {
	char *name;
	unsigned int types; /* enum nfd_feature_type bits */
	struct kvmap flags;
	struct kvmap attrs;
	struct kvmap *inst;
	size_t n_inst;
	size_t cap_inst;
	bool inst_nil;
};

struct nfd_features {
	int refcount;
	struct nfd_ctx *ctx;
	struct feature **features;
	size_t n;
	size_t cap;
	bool sorted;
	bool sealed;
	struct arena strings; /* every element name and value (features.c) */
	/* while building: features by name hash (open addressing), so that
	 * adding n features costs O(n), not O(n^2) */
	struct feature **hash;
	size_t hash_cap;
	/* the first element name found twice in one map when it was sorted
	 * (the parser rejects duplicate keys within one object) */
	const char *dup_feature, *dup_key;
	/* features discovery could not read, and why (features-notes.c) */
	struct unreadable_note *unreadable;
};

struct unreadable_note {
	struct unreadable_note *next;
	const char *feature; /* "kernel.loadedmodule" */
	const char *reason;  /* "cannot read '/proc/modules': not a regular file" */
};

/* features.c's lookups, for features-read.c: the feature named name (by
 * hash while building, by search once sorted) or NULL; the element key of
 * map m or NULL; whether type is one of the three feature types. */
struct feature *nfd__features_find(const struct nfd_features *f, const char *name);
const struct nfd_kv *nfd__kvmap_find(const struct kvmap *m, const char *key);
bool nfd__feature_type_valid(enum nfd_feature_type type);

/* Features in name order; f must be normal (nfd__features_normal()). */
size_t nfd__features_count(const struct nfd_features *f);
const struct feature *nfd__features_at(const struct nfd_features *f, size_t i);

/* Merge from into f the way nfd-master merges NodeFeature objects: flags
 * unioned, attributes overwritten, instances appended (nfd_features_merge()
 * replaces instances instead).  0 or -errno. */
int nfd__features_merge_append(struct nfd_features *f, const struct nfd_features *from);
/* Declare feature of type; -EEXIST when it already has elements of that type. */
int nfd__features_declare_new(struct nfd_features *f, enum nfd_feature_type type,
			      const char *feature);
/* For readers that add many elements to one feature (nodes-json.c): the
 * feature of type named feature, created when missing (0 or -errno); then
 * append a flag (value ignored) or an attribute, key and
 * value given with their lengths (no NUL inside), exactly as
 * nfd_features_add_flag() / nfd_features_set_attribute() would.  0 or
 * -ENOMEM. */
int nfd__features_get(struct nfd_features *f, enum nfd_feature_type type, const char *feature,
		      struct feature **ret);
int nfd__features_append(struct nfd_features *f, struct feature *ft, enum nfd_feature_type type,
			 const char *key, size_t klen, const char *value, size_t vlen);
