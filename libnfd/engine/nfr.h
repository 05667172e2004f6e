/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NodeFeatureRule and NodeFeatureGroup objects, evaluated as nfd-master does
 * (doc/nodefeaturerule.md): nfr-parse.c decodes them, nfr-eval.c runs them
 * over one node's features, nfr-labels.c holds Kubernetes' name, value and
 * quantity checks.
 */
#pragma once

#include "libnfd/engine/engine.h"
#include "nfd/rules.h"

#define NFD_FEATURE_LABEL_NS "feature.node.kubernetes.io"

struct nfd_taint {
	const char *key, *value, *effect;
};

/* The outputs of one rule, beside the matching part in spec->sets[].rules[]. */
struct nfd_nfr_rule {
	const struct nfd_template *labels_template; /* NULL: none */
	const char *labels_template_err;
	struct nfd_kv *labels; /* sorted, unique */
	size_t n_labels;
	struct nfd_kv *annotations;
	size_t n_annotations;
	struct nfd_kv *ers;
	size_t n_ers;
	struct nfd_taint *taints; /* in order */
	size_t n_taints;
};

/* One object: a NodeFeatureRule or a NodeFeatureGroup. */
struct nfd_nfr_obj {
	const char *name;
	bool group;
	struct nfd_nfr_rule *rules; /* parallel to the set's rules */
	struct nfd_pos pos;
};

/*
 * The objects of one or more documents.  spec->sets[i] holds the matching
 * part of objs[i] (rules with vars and varsTemplate); both are sorted as
 * nfd-master runs them: NodeFeatureRules by name, then NodeFeatureGroups
 * by name.
 */
struct nfd_rules {
	int refcount;
	struct nfd_spec *spec;
	struct nfd_nfr_obj *objs;
	size_t n_objs;
};

/* Decode buf into rules (whose spec, arena and name are set). */
int nfd__rules_decode(struct nfd_ctx *ctx, struct nfd_rules *rules, const char *buf, size_t len);

/* ------------------------------------------------------------ validation */

/*
 * Kubernetes' checks (apimachinery validation), each 0 or an error text
 * appended to err: IsQualifiedName, IsValidLabelValue, ParseQuantity.
 */
bool nfd__k8s_qualified_name(const char *s, struct strbuf *err);
bool nfd__k8s_label_value(const char *s, struct strbuf *err);
bool nfd__k8s_quantity(const char *s, struct strbuf *err);

enum nfd_out_kind {
	NFD_OUT_LABEL,
	NFD_OUT_ANNOTATION,
	NFD_OUT_ER,
	NFD_OUT_TAINT,
};

/*
 * NFD's validate.Label/Annotation/ExtendedResource/Taint
 * (pkg/apis/nfd/validate/validate.go): true when valid, else the reason in
 * err ("namespace is not allowed" exactly for ErrNSNotAllowed, so callers
 * can tell it apart).  value is the taint's effect for NFD_OUT_TAINT.
 */
bool nfd__validate_output(enum nfd_out_kind kind, const char *key, const char *value,
			  struct strbuf *err, bool *ret_ns_denied);

/* The key with "feature.node.kubernetes.io/" added when it has no '/'
 * (addNs); an arena string or key itself. */
const char *nfd__add_ns(struct arena *a, const char *key);

/*
 * Write spec (the sets with one of tags; NULL or empty: all) as a
 * NodeFeatureRule named nfr_name that labels a node label=true exactly when
 * validate-node would call it compatible (nfr-export.c).  The per-rule vars
 * are named var_prefix-s<set>-r<rule>.  0, -ENOENT (no set selected),
 * -ENOMEM.
 */
int nfd__spec_to_nfr(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *const *tags,
		     const char *nfr_name, const char *label, const char *var_prefix,
		     struct strbuf *sb);
