/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_NODES_H
#define NFD_NODES_H

#include <stddef.h>
#include <nfd/ctx.h>
#include <nfd/features.h>
#include <nfd/spec.h>
#include <nfd/report.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_nodes - the nodes of a NodeFeature list, each with its features
 *
 * Made from what `kubectl get nodefeatures -A -o json` prints (a `List` or
 * `NodeFeatureList` of NodeFeature objects), a single NodeFeature object or an
 * `nfd export features` document.  List items are grouped by their label
 * nfd.node.kubernetes.io/node-name and the objects of one node are merged as
 * nfd-master merges them (doc/many-nodes.md): objects in the NFD namespace
 * first, then by name, then by namespace; later objects win (flags are
 * unioned, attribute elements overwritten, instances appended).  Items without
 * the label (or with an empty one) belong to no node: they are skipped with a
 * warning (nfd_nodes_get_warning()).  Items of another kind are an error.
 *
 * A single NodeFeature object is one node named by its label (else by its
 * metadata.name); an export document is one node named "".
 *
 * Nodes are sorted by name (byte order).  The object and the features it
 * holds are immutable and may be shared between threads.
 */
struct nfd_nodes;

#define NFD_NODES_OPTIONS_VERSION 2
/* nfd-master's default namespace, whose objects merge first */
#define NFD_NODES_DEFAULT_NAMESPACE "node-feature-discovery"

/**
 * struct nfd_nodes_options - how to read a NodeFeature list
 *
 * A versioned options struct: initialise it with nfd_nodes_options_init(),
 * then set the fields you need.  Fields are only ever appended.  Everything
 * is borrowed for the duration of the call.
 */
struct nfd_nodes_options {
	unsigned int version;
	/* the namespace nfd-master runs in: its objects merge first; NULL:
	 * NFD_NODES_DEFAULT_NAMESPACE */
	const char *nfd_namespace;
	/* NULL-terminated specs: keep only the features their rules
	 * reference (evaluation against these specs gives the same reports,
	 * with less memory); NULL keeps every feature */
	const struct nfd_spec *const *only_for_specs;
	/* largest input accepted, in bytes; 0: 768 MiB */
	size_t max_bytes;
	/* (version 2, since 1.1) threads that read a long list (one of some
	 * megabytes); 0: one per online CPU (at most 16), 1: the calling
	 * thread only.  The result does not depend on it. */
	unsigned int threads;
};

/**
 * nfd_nodes_options_init:
 * @opts: options to set to their defaults (version included)
 * @version: NFD_NODES_OPTIONS_VERSION of the header the caller was built
 *           with; only that version's fields are written, so a caller built
 *           against an older header (a smaller struct) is never overrun
 *
 * Returns: 0, -EINVAL (NULL @opts or unknown @version).
 * Since: 1.1
 */
int nfd_nodes_options_init(struct nfd_nodes_options *opts, unsigned int version) NFD_WARN_UNUSED;

/**
 * nfd_nodes_parse_json:
 * @ctx: a context (for the error message and warnings)
 * @buf: the JSON text (need not be NUL-terminated)
 * @len: its length in bytes
 * @opts: options, or NULL for the defaults
 * @ret: the nodes (one reference)
 *
 * A malformed or truncated document, an item of another kind, or a value
 * of the wrong type fails the whole call: no partial list is returned.
 *
 * Returns: the number of nodes (>= 0), -EINVAL, -EBADMSG (malformed input;
 * the message names the item), -E2BIG (over opts->max_bytes), -ENOMEM.
 * Since: 1.1
 */
int nfd_nodes_parse_json(struct nfd_ctx *ctx, const char *buf, size_t len,
			 const struct nfd_nodes_options *opts,
			 struct nfd_nodes **ret) NFD_WARN_UNUSED;

/**
 * nfd_nodes_parse_file:
 * @ctx: a context
 * @path: a file, or "-" for standard input
 * @opts: options, or NULL for the defaults
 * @ret: the nodes (one reference)
 *
 * Like nfd_nodes_parse_json() on the file's content.
 *
 * Returns: the number of nodes (>= 0), or what nfd_nodes_parse_json() and
 * open(2)/read(2) return.
 * Since: 1.1
 */
int nfd_nodes_parse_file(struct nfd_ctx *ctx, const char *path,
			 const struct nfd_nodes_options *opts,
			 struct nfd_nodes **ret) NFD_WARN_UNUSED;

/**
 * nfd_nodes_ref:
 * @nodes: the nodes, or NULL
 * Returns: @nodes with one more reference. Since: 1.1
 */
struct nfd_nodes *nfd_nodes_ref(struct nfd_nodes *nodes);

/**
 * nfd_nodes_unref:
 * @nodes: the nodes, or NULL
 * Returns: NULL. Since: 1.1
 */
struct nfd_nodes *nfd_nodes_unref(struct nfd_nodes *nodes);

/**
 * nfd_nodes_count:
 * @nodes: the nodes
 * Returns: the number of nodes (>= 0), -EINVAL.
 * Since: 1.1
 */
int nfd_nodes_count(const struct nfd_nodes *nodes);

/**
 * nfd_nodes_get_name:
 * @nodes: the nodes
 * @index: a node, from 0 to nfd_nodes_count() - 1
 * Returns: the name of node @index (nodes are sorted by name), borrowed
 * from @nodes; NULL when out of range.
 * Since: 1.1
 */
const char *nfd_nodes_get_name(const struct nfd_nodes *nodes, size_t index);

/**
 * nfd_nodes_get_features:
 * @nodes: the nodes
 * @index: a node, from 0 to nfd_nodes_count() - 1
 * Returns: the merged, sealed features of node @index, borrowed from @nodes
 * (take a reference with nfd_features_ref() to keep them longer); NULL when
 * out of range.
 * Since: 1.1
 */
struct nfd_features *nfd_nodes_get_features(const struct nfd_nodes *nodes, size_t index);

/**
 * nfd_nodes_find:
 * @nodes: nodes
 * @name: a node name
 *
 * Returns: the index of the node called @name, -ENOENT, -EINVAL.
 * Since: 1.1
 */
int nfd_nodes_find(const struct nfd_nodes *nodes, const char *name);

/**
 * nfd_nodes_is_list:
 * @nodes: the nodes
 *
 * Tells a list (`List` or `NodeFeatureList`, even of one node or none) from a
 * single NodeFeature object or an `nfd export features` document, which a
 * command may want to treat as "the node" rather than "these nodes".
 *
 * Returns: 1 for a list, 0 otherwise, -EINVAL.
 * Since: 1.1
 */
int nfd_nodes_is_list(const struct nfd_nodes *nodes);

/**
 * nfd_nodes_count_warnings:
 * @nodes: the nodes
 *
 * Warnings are the items that were skipped (no node-name label, an empty
 * one); they were also logged at LOG_WARNING.
 *
 * Returns: the number of warnings (>= 0), -EINVAL.
 * Since: 1.1
 */
int nfd_nodes_count_warnings(const struct nfd_nodes *nodes);

/**
 * nfd_nodes_get_warning:
 * @nodes: the nodes
 * @index: a warning, from 0 to nfd_nodes_count_warnings() - 1
 * Returns: warning @index, borrowed from @nodes; NULL when out of range.
 * Since: 1.1
 */
const char *nfd_nodes_get_warning(const struct nfd_nodes *nodes, size_t index);

/**
 * nfd_evaluate_nodes:
 * @ctx: a context (for the error message; used by the calling thread only)
 * @spec: a parsed spec
 * @nodes: the nodes
 * @tags: as for nfd_evaluate()
 * @threads: worker threads to use; 0: one per online CPU (at most 64)
 * @ret: an array of nfd_nodes_count(@nodes) reports, in node order (report i
 *       belongs to node i); the caller releases it with
 *       nfd_reports_free()
 *
 * Evaluates @spec against every node, exactly as nfd_evaluate() would
 * for each.  When any node's evaluation fails, the whole call fails (no
 * partial array) and the message names the node.  Safe to call from several
 * threads at once, each with its own @ctx.
 *
 * Threads that cannot be started leave their share to the others (the calling
 * thread always works).
 *
 * Returns: the number of reports (>= 0), -EINVAL, -EBADMSG (as
 * nfd_evaluate()), -ENOMEM.
 * Since: 1.1
 */
int nfd_evaluate_nodes(struct nfd_ctx *ctx, const struct nfd_spec *spec,
		       const struct nfd_nodes *nodes, const char *const *tags, unsigned int threads,
		       struct nfd_report ***ret) NFD_WARN_UNUSED;

/**
 * nfd_reports_free:
 * @reports: an array from nfd_evaluate_nodes(), or NULL
 * @n: its length
 *
 * Drops the reference on each report and frees the array.
 * Since: 1.1
 */
void nfd_reports_free(struct nfd_report **reports, size_t n);

#ifdef __cplusplus
}
#endif

#endif
