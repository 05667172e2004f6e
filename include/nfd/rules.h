/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_RULES_H
#define NFD_RULES_H

#include <stddef.h>
#include <nfd/common.h>
#include <nfd/ctx.h>
#include <nfd/iter.h>
#include <nfd/features.h>
#include <nfd/spec.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_rules - parsed NodeFeatureRule and NodeFeatureGroup objects
 *
 * Immutable and shareable between threads once parsed.  Evaluated as
 * nfd-master does: NodeFeatureRules in name order, their rules in order,
 * one rule.matched set per node across all of them.
 */
struct nfd_rules;

/**
 * struct nfd_rules_result - what the rules give one node
 *
 * Labels (after NodeFeature labels, prefixing and validation), annotations,
 * extended resources, taints, vars, the NodeFeatureGroups that select the
 * node, and the messages nfd-master would log for skipped rules and dropped
 * outputs.  Immutable and shareable.
 */
struct nfd_rules_result;

/**
 * nfd_rules_parse:
 * @ctx: a context (for the error message)
 * @buf: YAML or JSON: one or more documents ("---"), each a NodeFeatureRule,
 *       a NodeFeatureGroup, or a List of them; not necessarily NUL-terminated
 * @len: its length in bytes
 * @name: a name for messages (a file name), or NULL for "<input>"
 * @ret: the parsed objects (one reference)
 *
 * Decoding follows NFD's (field names case-insensitive, unknown fields
 * ignored).  What kubectl-nfd's validate reports (an empty rule name, an
 * invalid label, taint, annotation or extended resource, a template that does
 * not parse, a feature name not <domain>.<feature>) does not fail the parse:
 * see nfd_rules_iter_problems().
 *
 * Returns: 0, -EINVAL, -EBADMSG (malformed, not a NodeFeatureRule or
 * NodeFeatureGroup, with name:line:column in the message), -E2BIG (over
 * 4 MiB), -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_parse(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name,
		    struct nfd_rules **ret) NFD_WARN_UNUSED;

/**
 * nfd_rules_parse_file:
 * @ctx: a context
 * @path: a file, or "-" for stdin
 * @ret: the parsed objects (one reference)
 *
 * Returns: as nfd_rules_parse(), plus -ENOENT/-EACCES/-EIO for the file.
 * Since: 1.1
 */
int nfd_rules_parse_file(struct nfd_ctx *ctx, const char *path,
			 struct nfd_rules **ret) NFD_WARN_UNUSED;

/**
 * nfd_rules_ref:
 * @rules: parsed rules, or NULL
 *
 * Returns: @rules, with one more reference.
 * Since: 1.1
 */
struct nfd_rules *nfd_rules_ref(struct nfd_rules *rules);

/**
 * nfd_rules_unref:
 * @rules: parsed rules, or NULL
 *
 * Returns: NULL.
 * Since: 1.1
 */
struct nfd_rules *nfd_rules_unref(struct nfd_rules *rules);

/**
 * nfd_rules_count_objects:
 * @rules: parsed rules
 *
 * Returns: the number of NodeFeatureRule and NodeFeatureGroup objects, or
 * -EINVAL.
 * Since: 1.1
 */
int nfd_rules_count_objects(const struct nfd_rules *rules);

/**
 * nfd_rules_iter_problems:
 * @rules: parsed rules
 * @ret: an iterator (the caller's, free with nfd_iter_free()); keys are
 *       messages "name:line:column: text", values NULL
 *
 * What kubectl-nfd's validate would report, in document order.
 *
 * Returns: the number of problems, -EINVAL or -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_iter_problems(const struct nfd_rules *rules, struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_rules_iter_warnings:
 * @rules: parsed rules
 * @ret: an iterator (the caller's, free with nfd_iter_free()); keys are
 *       messages "name:line:column: text", values NULL
 *
 * What NFD accepts without a word but is likely a mistake: a key repeated in
 * a mapping ("duplicate key \"a\" (first at r.yaml:9:7); the last one is
 * used, as NFD's decoder does", doc/semantics.md), in document order
 * mapping by mapping.  Warnings never fail a parse or a validation.
 *
 * Returns: the number of warnings, -EINVAL or -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_iter_warnings(const struct nfd_rules *rules, struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * enum nfd_rules_flags - nfd-master settings for nfd_rules_evaluate()
 * @NFD_RULES_ENABLE_TAINTS: apply taints (nfd-master's -enable-taints;
 *     without it taints are dropped, as by default)
 * @NFD_RULES_DISABLE_AUTO_PREFIX: the DisableAutoPrefix feature gate:
 *     unprefixed names stay unprefixed (and are accepted as labels)
 */
enum nfd_rules_flags {
	NFD_RULES_ENABLE_TAINTS = 1 << 0,
	NFD_RULES_DISABLE_AUTO_PREFIX = 1 << 1,
};

#define NFD_RULES_OPTIONS_VERSION 1

/**
 * struct nfd_rules_options - the node's labels and nfd-master's settings
 * @version: NFD_RULES_OPTIONS_VERSION
 * @flags: enum nfd_rules_flags
 * @node_labels: the merged NodeFeature labels of the node (spec.labels), as
 *     key, value, key, value, ..., NULL; NULL for none.  Rule labels
 *     override them.
 * @deny_label_ns: nfd-master's -deny-label-ns: NULL-terminated namespaces,
 *     "*.x" denying every namespace ending in ".x"; NULL for none
 * @extra_label_ns: nfd-master's -extra-label-ns: NULL-terminated namespaces
 *     allowed despite a denial; NULL for none
 */
struct nfd_rules_options {
	unsigned int version;
	unsigned int flags;
	const char *const *node_labels;
	const char *const *deny_label_ns;
	const char *const *extra_label_ns;
};

/**
 * nfd_rules_evaluate:
 * @ctx: a context (for the error message and the messages' log)
 * @rules: parsed rules
 * @features: the node's (merged) features
 * @opts: settings, or NULL for nfd-master's defaults
 * @ret: the result (one reference)
 *
 * A rule that fails (a bad expression or template) is skipped, adds nothing
 * and is reported as a message; so is every dropped label, annotation,
 * extended resource or taint.  Each message is also logged at LOG_INFO.
 *
 * Returns: 0, -EINVAL (bad arguments or options version), -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_evaluate(struct nfd_ctx *ctx, const struct nfd_rules *rules,
		       const struct nfd_features *features, const struct nfd_rules_options *opts,
		       struct nfd_rules_result **ret) NFD_WARN_UNUSED;

/**
 * nfd_rules_result_ref:
 * @res: a result, or NULL
 *
 * Returns: @res, with one more reference.
 * Since: 1.1
 */
struct nfd_rules_result *nfd_rules_result_ref(struct nfd_rules_result *res);

/**
 * nfd_rules_result_unref:
 * @res: a result, or NULL
 *
 * Returns: NULL.
 * Since: 1.1
 */
struct nfd_rules_result *nfd_rules_result_unref(struct nfd_rules_result *res);

/**
 * enum nfd_rules_output - the parts of a result
 * @NFD_RULES_LABELS: node labels, name -> value, sorted by name
 * @NFD_RULES_ANNOTATIONS: node annotations, sorted
 * @NFD_RULES_EXTENDED_RESOURCES: name -> quantity, sorted
 * @NFD_RULES_TAINTS: key -> "value:effect", in rule order
 * @NFD_RULES_VARS: the vars of the rules that ran, later rules winning, sorted
 * @NFD_RULES_GROUPS: NodeFeatureGroups that select the node, name -> NULL
 * @NFD_RULES_MESSAGES: what nfd-master would log: "rule", "label",
 *     "annotation", "extendedResource" or "taint" -> the message, in order
 */
enum nfd_rules_output {
	NFD_RULES_LABELS,
	NFD_RULES_ANNOTATIONS,
	NFD_RULES_EXTENDED_RESOURCES,
	NFD_RULES_TAINTS,
	NFD_RULES_VARS,
	NFD_RULES_GROUPS,
	NFD_RULES_MESSAGES,
};

/**
 * nfd_rules_result_iter:
 * @res: a result
 * @what: which part
 * @ret: an iterator (the caller's, free with nfd_iter_free()); keys and
 *       values borrowed from @res, which the iterator keeps alive
 *
 * Returns: the number of items, -EINVAL or -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_result_iter(const struct nfd_rules_result *res, enum nfd_rules_output what,
			  struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_rules_result_to_json:
 * @res: a result
 * @ret: the caller's string (free(3)): {"labels": {...}, "annotations":
 *       {...}, "extendedResources": {...}, "taints": [{"key", "value",
 *       "effect"}], "vars": {...}, "groups": [...], "messages": [...]},
 *       indented by 2, keys sorted, newline-terminated
 *
 * Returns: 0, -EINVAL or -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_result_to_json(const struct nfd_rules_result *res, char **ret) NFD_WARN_UNUSED;

/**
 * enum nfd_rules_check_flags - how nfd_rules_check_label() checks
 * @NFD_RULES_CHECK_SYNTAX_ONLY: only Kubernetes' syntax (a qualified name,
 *     a valid label value), as nfd-worker checks the labels it publishes;
 *     without it, nfd-master's rules apply too (a prefixed key in a namespace
 *     nfd-master allows by default)
 */
enum nfd_rules_check_flags {
	NFD_RULES_CHECK_SYNTAX_ONLY = 1u << 0,
};

/**
 * nfd_rules_check_label:
 * @ctx: a context, for the reason (nfd_ctx_last_error(), e.g. `invalid
 *       value "not ok!": a valid label must be ...`)
 * @key: the label name, with its prefix ("feature.node.kubernetes.io/x")
 * @value: the label value
 * @flags: enum nfd_rules_check_flags, or 0
 *
 * Checks a node label as nfd-master checks a NodeFeatureRule's labels
 * (NFD's pkg/apis/nfd/validate/validate.go, with the default namespace
 * options), or with %NFD_RULES_CHECK_SYNTAX_ONLY only as Kubernetes does.
 * Nothing is allocated for the caller.
 *
 * Returns: 0 when valid; -EINVAL (invalid name or value), -EPERM (a
 * namespace nfd-master does not allow), with the reason in @ctx; -ENOMEM.
 * Since: 1.1
 */
int nfd_rules_check_label(struct nfd_ctx *ctx, const char *key, const char *value,
			  unsigned int flags) NFD_WARN_UNUSED;

/**
 * nfd_spec_to_rule:
 * @ctx: a context (for the error message)
 * @spec: a parsed compatibility spec
 * @tags: NULL-terminated tags: only the compatibility sets with one of them;
 *        NULL or empty: every set
 * @nfr_name: metadata.name of the NodeFeatureRule
 * @label: the label to set ("NAME" or "prefix/NAME"), borrowed
 * @var_prefix: prefix of the per-rule vars the rule sets
 *        (@var_prefix-s<set>-r<rule>)
 * @ret: the NodeFeatureRule as YAML, newline-terminated; the caller's
 *       string (free(3))
 *
 * Writes a NodeFeatureRule that labels a node `@label=true` exactly when
 * nfd_evaluate() would call that node compatible with one of the selected
 * sets (doc/nodefeaturerule.md says what it cannot express).  @ret is left
 * untouched on failure.
 *
 * Returns: 0, -EINVAL, -ENOENT (no set has one of @tags), -ENOMEM.
 * Since: 1.1
 */
int nfd_spec_to_rule(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *const *tags,
		     const char *nfr_name, const char *label, const char *var_prefix,
		     char **ret) NFD_WARN_UNUSED;

static inline void nfd_rules_unrefp(struct nfd_rules **p)
{
	if (p)
		nfd_rules_unref(*p);
}

static inline void nfd_rules_result_unrefp(struct nfd_rules_result **p)
{
	if (p)
		nfd_rules_result_unref(*p);
}

#ifdef __cplusplus
}
#endif
#endif
