/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_SPEC_H
#define NFD_SPEC_H

#include <stddef.h>
#include <nfd/common.h>
#include <nfd/ctx.h>
#include <nfd/iter.h>
#include <nfd/features.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_spec - a parsed image compatibility spec (NFD v1alpha1)
 *
 * Validated, with regular expressions compiled; immutable and shareable
 * between threads.
 */
struct nfd_spec;

/* Media and artifact types of the spec in OCI registries. */
#define NFD_SPEC_ARTIFACT_TYPE "application/vnd.nfd.image-compatibility.v1alpha1"
#define NFD_SPEC_MEDIA_TYPE    "application/vnd.nfd.image-compatibility.spec.v1alpha1+yaml"

/**
 * nfd_spec_parse:
 * @ctx: a context (for the error message)
 * @buf: the spec, YAML or JSON, not necessarily NUL-terminated
 * @len: its length in bytes
 * @name: a name for messages (a file name), or NULL for "<input>"
 * @ret: the parsed spec (one reference)
 *
 * Scalars are decoded as NFD's YAML 1.1 decoder does; where an unquoted
 * scalar is rewritten (0200 -> 128, 6.10 -> 6.1, y -> true) a warning is
 * recorded (nfd_spec_count_warnings()) and logged at LOG_WARNING.
 *
 * Decoding follows NFD: field names match case-insensitively, unknown
 * fields are ignored, a value of the wrong shape is an error.  YAML aliases
 * are refused, nesting is limited to 64 levels.  Expressions NFD rejects only
 * when they meet a node value are kept (see nfd_spec_count_problems()).
 *
 * Returns: 0, -EINVAL, -EBADMSG (malformed or invalid, with
 * name:line:column in the message), -ENOTSUP (a version other than
 * v1alpha1), -E2BIG (over 4 MiB), -ENOMEM.
 * Since: 1.0
 */
int nfd_spec_parse(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name,
		   struct nfd_spec **ret) NFD_WARN_UNUSED;

/**
 * nfd_spec_parse_file:
 * @ctx: a context
 * @path: a spec file, or "-" for stdin
 * @ret: the parsed spec (one reference)
 *
 * Returns: as nfd_spec_parse(), plus -ENOENT/-EACCES/-EIO for the file.
 * Since: 1.0
 */
int nfd_spec_parse_file(struct nfd_ctx *ctx, const char *path,
			struct nfd_spec **ret) NFD_WARN_UNUSED;

/**
 * nfd_spec_ref:
 * @spec: a spec, or NULL
 *
 * Returns: @spec with one more reference.
 * Since: 1.0
 */
struct nfd_spec *nfd_spec_ref(struct nfd_spec *spec);

/**
 * nfd_spec_unref:
 * @spec: a spec, or NULL
 *
 * Returns: NULL.
 * Since: 1.0
 */
struct nfd_spec *nfd_spec_unref(struct nfd_spec *spec);

/**
 * nfd_spec_get_version:
 * @spec: a spec
 *
 * Returns: the spec's "version" field, borrowed (never NULL for a valid spec).
 * Since: 1.0
 */
const char *nfd_spec_get_version(const struct nfd_spec *spec);

/**
 * nfd_spec_count_sets:
 * @spec: a spec
 *
 * Returns: the number of compatibility sets, or -EINVAL.
 * Since: 1.0
 */
int nfd_spec_count_sets(const struct nfd_spec *spec);

/**
 * nfd_spec_set_get_tag:
 * @spec: a spec
 * @index: 0 ... nfd_spec_count_sets() - 1
 *
 * Returns: the tag of set @index, borrowed ("" when unset); NULL when out of range.
 * Since: 1.0
 */
const char *nfd_spec_set_get_tag(const struct nfd_spec *spec, size_t index);

/**
 * nfd_spec_set_get_description:
 * @spec: a spec
 * @index: 0 ... nfd_spec_count_sets() - 1
 *
 * Returns: the description of set @index, borrowed ("" when unset); NULL when out of range.
 * Since: 1.0
 */
const char *nfd_spec_set_get_description(const struct nfd_spec *spec, size_t index);

/**
 * nfd_spec_set_get_weight:
 * @spec: a spec
 * @index: 0 ... nfd_spec_count_sets() - 1
 *
 * Returns: the weight of set @index (0 when unset); 0 when out of range.
 * Since: 1.0
 */
int nfd_spec_set_get_weight(const struct nfd_spec *spec, size_t index);

/**
 * nfd_spec_count_warnings:
 * @spec: a spec
 *
 * Returns: the number of lint warnings recorded while parsing (>= 0), -EINVAL.
 * Since: 1.0
 */
int nfd_spec_count_warnings(const struct nfd_spec *spec);

/**
 * nfd_spec_get_warning:
 * @spec: a spec
 * @index: 0 ... nfd_spec_count_warnings() - 1
 *
 * Returns: warning @index ("name:line:column: message"), borrowed; NULL when out of range.
 * Since: 1.0
 */
const char *nfd_spec_get_warning(const struct nfd_spec *spec, size_t index);

/**
 * nfd_spec_count_problems:
 * @spec: a spec
 *
 * Problems are what NFD reports only when an expression meets a node value
 * (an unknown op, a wrong number of values, a pattern that does not compile,
 * a bound that is not a number or version, a varsTemplate that does not
 * parse) and what kubectl-nfd's validation
 * rejects (a feature name that is not domain.feature, a rule without a
 * name).  The spec still parses, so evaluation stays NFD's: nfd_evaluate()
 * fails with -EBADMSG only when such an expression meets a value.
 * `nfd compat validate-spec` treats problems as errors.
 *
 * Returns: the number of problems (>= 0), -EINVAL.
 * Since: 1.0
 */
int nfd_spec_count_problems(const struct nfd_spec *spec);

/**
 * nfd_spec_get_problem:
 * @spec: a spec
 * @index: 0 ... nfd_spec_count_problems() - 1
 *
 * Returns: problem @index ("name:line:column: message"), borrowed; NULL when out of range.
 * Since: 1.0
 */
const char *nfd_spec_get_problem(const struct nfd_spec *spec, size_t index);

/**
 * nfd_spec_iter_sources:
 * @spec: a spec
 * @ret: an iterator over the discovery source names ("cpu", "pci", ...) its
 *       rules reference, sorted, each once (values are NULL)
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_spec_iter_sources(const struct nfd_spec *spec, struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_discover_for_spec:
 * @ctx: a context
 * @spec: a spec
 * @ret: the features of the sources @spec references (one reference)
 *
 * Lazy discovery: like nfd_discover() restricted to nfd_spec_iter_sources().
 *
 * Returns: as nfd_discover().
 * Since: 1.0
 */
int nfd_discover_for_spec(struct nfd_ctx *ctx, const struct nfd_spec *spec,
			  struct nfd_features **ret) NFD_WARN_UNUSED;

static inline void nfd_spec_unrefp(struct nfd_spec **p)
{
	if (p)
		nfd_spec_unref(*p);
}

#ifdef __cplusplus
}
#endif
#endif
