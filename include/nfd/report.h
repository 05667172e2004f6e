/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_REPORT_H
#define NFD_REPORT_H

#include <stddef.h>
#include <nfd/common.h>
#include <nfd/ctx.h>
#include <nfd/features.h>
#include <nfd/spec.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_report - the result of evaluating a spec against features
 *
 * Compatibility sets -> rules -> rows (one per expression or matchName, as
 * NFD's validate-node reports them), each row with the node's actual value.
 * Immutable and shareable.  The set, rule and row handles are borrowed from
 * the report.
 */
struct nfd_report;
struct nfd_report_set;
struct nfd_report_rule;
struct nfd_report_row;

/**
 * nfd_evaluate:
 * @ctx: a context (for the error message)
 * @spec: a parsed spec
 * @features: the node's features
 * @tags: NULL-terminated tags; when non-empty, only sets whose tag is listed
 *        are evaluated (NFD's --tags).  NULL or empty: all sets.
 * @ret: the report (one reference)
 *
 * Follows NFD's validate-node: every rule of every selected set is evaluated
 * (no fail-fast) and rule.matched carries over between rules and sets.
 *
 * Returns: 0 (compatible or not), -EINVAL, -EBADMSG (an expression error
 * such as a non-integer node value for Gt, as NFD reports it), -ENOMEM.
 * Since: 1.0
 */
int nfd_evaluate(struct nfd_ctx *ctx, const struct nfd_spec *spec,
		 const struct nfd_features *features, const char *const *tags,
		 struct nfd_report **ret) NFD_WARN_UNUSED;

/**
 * nfd_report_ref:
 * @r: a report, or NULL
 *
 * Returns: @r, with one more reference.
 * Since: 1.0
 */
struct nfd_report *nfd_report_ref(struct nfd_report *r);

/**
 * nfd_report_unref:
 * @r: a report, or NULL
 *
 * Drop one reference; the report is freed when the last one goes.
 *
 * Returns: NULL.
 * Since: 1.0
 */
struct nfd_report *nfd_report_unref(struct nfd_report *r);

/**
 * nfd_report_is_compatible:
 * @r: a report
 *
 * Returns: 1 when at least one evaluated set has all its rules matching,
 * 0 when none does, -EINVAL.
 * Since: 1.0
 */
int nfd_report_is_compatible(const struct nfd_report *r);

/**
 * nfd_report_best_set:
 * @r: a report
 *
 * Returns: the index of the compatible set with the highest weight (the
 * first of equals), -ENOENT when no set is compatible, -EINVAL.
 * Since: 1.0
 */
int nfd_report_best_set(const struct nfd_report *r);

/**
 * nfd_report_count_sets:
 * @r: a report
 *
 * Returns: the number of evaluated sets (after tag filtering), -EINVAL.
 * Since: 1.0
 */
int nfd_report_count_sets(const struct nfd_report *r);

/**
 * nfd_report_get_set:
 * @r: a report
 * @index: 0 ... nfd_report_count_sets() - 1
 *
 * Returns: evaluated set @index, borrowed from @r; NULL when out of range or
 * @r is NULL.
 * Since: 1.0
 */
const struct nfd_report_set *nfd_report_get_set(const struct nfd_report *r, size_t index);

/**
 * nfd_report_set_get_tag:
 * @s: a set of a report
 *
 * Returns: the set's tag, borrowed ("" when none); NULL if @s is NULL.
 * Since: 1.0
 */
const char *nfd_report_set_get_tag(const struct nfd_report_set *s);

/**
 * nfd_report_set_get_description:
 * @s: a set of a report
 *
 * Returns: the set's description, borrowed ("" when none); NULL if @s
 * is NULL.
 * Since: 1.0
 */
const char *nfd_report_set_get_description(const struct nfd_report_set *s);

/**
 * nfd_report_set_get_weight:
 * @s: a set of a report
 *
 * Returns: the set's weight (0 when none or @s is NULL).
 * Since: 1.0
 */
int nfd_report_set_get_weight(const struct nfd_report_set *s);

/**
 * nfd_report_set_get_spec_index:
 * @s: a set of a report
 *
 * Returns: the set's index among the spec's sets (sets skipped by tags
 * count), -EINVAL.
 * Since: 1.0
 */
int nfd_report_set_get_spec_index(const struct nfd_report_set *s);

/**
 * nfd_report_set_is_compatible:
 * @s: a set of a report
 *
 * Returns: 1 when every rule of the set matched, 0 otherwise, -EINVAL.
 * Since: 1.0
 */
int nfd_report_set_is_compatible(const struct nfd_report_set *s);

/**
 * nfd_report_set_count_rules:
 * @s: a set of a report
 *
 * Returns: the number of rules (>= 0), -EINVAL.
 * Since: 1.0
 */
int nfd_report_set_count_rules(const struct nfd_report_set *s);

/**
 * nfd_report_set_get_rule:
 * @s: a set of a report
 * @index: 0 ... nfd_report_set_count_rules() - 1
 *
 * Returns: rule @index, borrowed from the report; NULL when out of range or
 * @s is NULL.
 * Since: 1.0
 */
const struct nfd_report_rule *nfd_report_set_get_rule(const struct nfd_report_set *s, size_t index);

/**
 * nfd_report_rule_get_name:
 * @rule: a rule of a report set
 *
 * Returns: the rule's name, borrowed ("" when none); NULL if @rule is NULL.
 * Since: 1.0
 */
const char *nfd_report_rule_get_name(const struct nfd_report_rule *rule);

/**
 * nfd_report_rule_is_match:
 * @rule: a rule of a report set
 *
 * Returns: 1 when the rule matched, 0 otherwise, -EINVAL.
 * Since: 1.0
 */
int nfd_report_rule_is_match(const struct nfd_report_rule *rule);

/**
 * nfd_report_rule_count_rows:
 * @rule: a rule of a report set
 *
 * Returns: the number of rows: the matchFeatures rows first, then those of
 * each matchAny element in order (see nfd_report_row_get_any_index());
 * -EINVAL.
 * Since: 1.0
 */
int nfd_report_rule_count_rows(const struct nfd_report_rule *rule);

/**
 * nfd_report_rule_get_row:
 * @rule: a rule of a report set
 * @index: 0 ... nfd_report_rule_count_rows() - 1
 *
 * Returns: row @index, borrowed from the report; NULL when out of range or
 * @rule is NULL.
 * Since: 1.0
 */
const struct nfd_report_row *nfd_report_rule_get_row(const struct nfd_report_rule *rule,
						     size_t index);

/**
 * nfd_report_row_get_feature:
 * @row: a row of a report rule
 *
 * Returns: the feature as written in the rule, borrowed; NULL if @row is
 * NULL.
 * Since: 1.0
 */
const char *nfd_report_row_get_feature(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_name:
 * @row: a row of a report rule
 *
 * Returns: the element name, "" for a matchName row, borrowed; NULL if @row
 * is NULL.
 * Since: 1.0
 */
const char *nfd_report_row_get_name(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_op:
 * @row: a row of a report rule
 *
 * Returns: the operator ("In", "Exists", ...), borrowed; NULL if @row is
 * NULL.
 * Since: 1.0
 */
const char *nfd_report_row_get_op(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_type:
 * @row: a row of a report rule
 *
 * Returns: the value type ("version") or "" when none, borrowed; NULL if
 * @row is NULL.
 * Since: 1.0
 */
const char *nfd_report_row_get_type(const struct nfd_report_row *row);

/**
 * nfd_report_row_count_values:
 * @row: a row of a report rule
 *
 * Returns: the number of values of the expression (>= 0), -EINVAL.
 * Since: 1.0
 */
int nfd_report_row_count_values(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_value:
 * @row: a row of a report rule
 * @index: 0 ... nfd_report_row_count_values() - 1
 *
 * Returns: value @index, borrowed; NULL when out of range or @row is NULL.
 * Since: 1.0
 */
const char *nfd_report_row_get_value(const struct nfd_report_row *row, size_t index);

/**
 * nfd_report_row_get_expression:
 * @row: a row of a report rule
 *
 * Returns: NFD's string form of the expression
 * ({op: "In", value: ["a"]}), borrowed; NULL if @row is NULL.
 * Since: 1.0
 */
const char *nfd_report_row_get_expression(const struct nfd_report_row *row);

/**
 * nfd_report_row_is_match_name:
 * @row: a row of a report rule
 *
 * Returns: 1 for a matchName row, 0 for a matchExpression row, -EINVAL.
 * Since: 1.0
 */
int nfd_report_row_is_match_name(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_any_index:
 * @row: a row of a report rule
 *
 * Returns: -1 for a matchFeatures row, i for a row of matchAny[i], -EINVAL.
 * Since: 1.0
 */
int nfd_report_row_get_any_index(const struct nfd_report_row *row);

/**
 * nfd_report_row_is_match:
 * @row: a row of a report rule
 *
 * Returns: 1 when NFD reports the row OK, 0 for FAIL, -EINVAL.
 * Since: 1.0
 */
int nfd_report_row_is_match(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_node_value:
 * @row: a row of a report rule
 *
 * Returns: what the node has for this row, for explanations: the attribute's
 * value, "present" for a flag, the instances' values joined by ", " (each
 * distinct value once), or the feature's element names for a matchName row;
 * NULL when the node has no such element or feature.  Borrowed.
 * Since: 1.0
 */
const char *nfd_report_row_get_node_value(const struct nfd_report_row *row);

/**
 * nfd_report_row_count_node_values:
 * @row: a row of a report rule
 *
 * What the node has for this row, one item per distinct value: the
 * items nfd_report_row_get_node_value() joins with ", " (a value may itself
 * contain ", ", so split nothing; read the items).
 *
 * Returns: the number of items (0 when the node has no such element or
 * feature), -EINVAL.
 * Since: 1.1
 */
int nfd_report_row_count_node_values(const struct nfd_report_row *row);

/**
 * nfd_report_row_get_node_value_item:
 * @row: a row of a report rule
 * @index: an item, from 0 to nfd_report_row_count_node_values() - 1
 *
 * Returns: item @index of what the node has (an attribute's value,
 * "present" for a flag, one distinct instance value, or one element name for
 * a matchName row), in the order nfd_report_row_get_node_value() joins
 * them; borrowed from the report.  NULL when out of range.
 * Since: 1.1
 */
const char *nfd_report_row_get_node_value_item(const struct nfd_report_row *row, size_t index);

/**
 * enum nfd_report_format - output formats
 * @NFD_REPORT_JSON: byte-identical to `nfd compat validate-node --output-json`
 *                   (compact, no trailing newline)
 * @NFD_REPORT_TEXT: NFD's tables plus, for each FAIL row, the node's value,
 *                   and a final verdict line
 */
enum nfd_report_format {
	NFD_REPORT_JSON = 0,
	NFD_REPORT_TEXT = 1,
	_NFD_REPORT_FORMAT_PAD = 0x7fffffff, /* keeps the enum int-sized (C99) */
};

/** Output options for nfd_report_to_string(). */
enum nfd_report_flags {
	NFD_REPORT_COLOR = 1,	 /* ANSI colours as NFD prints them */
	NFD_REPORT_NFD_ONLY = 2, /* text: exactly NFD's output, no explanations or verdict */
	_NFD_REPORT_FLAGS_PAD = 0x7fffffff, /* keeps the enum int-sized (C99) */
};

/**
 * nfd_report_to_string:
 * @r: a report
 * @format: enum nfd_report_format
 * @flags: enum nfd_report_flags bits
 * @ret: the NUL-terminated output, the caller's to free(3)
 *
 * Returns: its length (>= 0), -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_report_to_string(const struct nfd_report *r, enum nfd_report_format format,
			 unsigned int flags, char **ret) NFD_WARN_UNUSED;

/**
 * nfd_report_to_text:
 * @report: a report
 * @flags: NFD_REPORT_COLOR, NFD_REPORT_NFD_ONLY
 * @width: the terminal's width in columns: each table is narrowed to fit
 *         it (its widest columns first, none below 12 columns or its
 *         header), and a cell that no longer fits is wrapped onto more
 *         lines within its column; 0: as nfd_report_to_string() with
 *         %NFD_REPORT_TEXT (NFD's tables, however wide)
 * @ret: the text, NUL-terminated; the caller's (free(3)); untouched on
 *       failure
 *
 * The text report for a terminal.  A table already narrower than @width is
 * byte-identical to nfd_report_to_string()'s.
 *
 * Returns: the length of @ret in bytes, -EINVAL, -ENOMEM, -E2BIG.
 * Since: 1.1
 */
int nfd_report_to_text(const struct nfd_report *report, unsigned int flags, unsigned int width,
		       char **ret) NFD_WARN_UNUSED;

static inline void nfd_report_unrefp(struct nfd_report **p)
{
	if (p)
		nfd_report_unref(*p);
}

#ifdef __cplusplus
}
#endif
#endif
