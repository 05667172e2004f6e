/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between the NodeFeature document reader (nodes-json.c), the nodes object
 * (nodes.c) and the single-node features parser (features-json.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "libnfd/libnfd-internal.h"

enum doc_kind {
	DOC_FEATURES,	 /* an `nfd export features` document */
	DOC_NODEFEATURE, /* one NodeFeature object */
	DOC_LIST,	 /* a List or NodeFeatureList */
};

/* One NodeFeature object (or the export document) as read. */
struct doc_item {
	char *node; /* the node-name label; NULL: none */
	char *name, *namespace;
	struct nfd_features *features; /* sealed */
};

struct doc_result {
	enum doc_kind kind;
	struct doc_item *items;
	size_t n_items;
	char **warnings;
	size_t n_warnings;
};

/* A feature some spec references: all its elements, or only these names
 * (attribute and flag names, instance attribute names). */
struct keep_feature {
	const char *name;
	bool all;
	const char **elems; /* sorted, unique */
	size_t n_elems;
	uint64_t len_mask; /* bit (length % 64) set for every element */
};

struct doc_options {
	/* sorted by name, the features to keep, or NULL for all */
	const struct keep_feature *keep;
	size_t n_keep;
	/* the start of a file mapping whose read pages may be dropped, or NULL */
	const char *map_base;
	/* threads reading a long list; 0: one per online CPU, 1: this one */
	unsigned int threads;
	/* the shortest run of a list given to a thread; 0: 4 MiB */
	size_t split_min;
};

/* Read a features document, a NodeFeature or a list of them.  Items
 * without a node-name label are warned about and left out. */
int nfd__doc_parse(struct nfd_ctx *ctx, const char *name, const char *buf, size_t len,
		   const struct doc_options *opts, struct doc_result *ret);
void nfd__doc_result_release(struct doc_result *res);

/* The node-name label nfd-master groups NodeFeature objects by. */
#define NFD_NODE_NAME_LABEL "nfd.node.kubernetes.io/node-name"

/* Group and merge a document's objects into nodes; *ret_kind (when not NULL)
 * says what the document was.  map_base: see struct doc_options. */
int nfd__nodes_build(struct nfd_ctx *ctx, const char *name, const char *buf, size_t len,
		     const struct nfd_nodes_options *opts, const char *map_base,
		     struct nfd_nodes **ret, enum doc_kind *ret_kind);
/* nfd_nodes_parse_file() with a size limit of max bytes. */
int nfd__nodes_parse_path(struct nfd_ctx *ctx, const char *path, size_t max,
			  const struct nfd_nodes_options *opts, struct nfd_nodes **ret,
			  enum doc_kind *ret_kind);
struct nfd_ctx *nfd__nodes_ctx(const struct nfd_nodes *nodes);

/* Call fn for every (feature, element name) a spec's evaluation can look at;
 * element NULL when it may look at every element of the feature (matchName,
 * an empty matchExpressions, a rule with a template).  0 or fn's error.
 * (engine/evaluate-nodes.c) */
int nfd__spec_each_need(const struct nfd_spec *spec,
			int (*fn)(void *data, const char *feature, const char *element),
			void *data);
/* strcmp() for qsort() over an array of strings. */
int nfd__strcmp_ptr(const void *a, const void *b);
