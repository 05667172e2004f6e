/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_FEATURES_H
#define NFD_FEATURES_H

#include <stddef.h>
#include <nfd/common.h>
#include <nfd/ctx.h>
#include <nfd/iter.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_features - a node's features, in NFD's model
 *
 * Features are named "domain.feature" (cpu.cpuid, kernel.version, pci.device)
 * and hold elements of one or more types: flags (names), attributes
 * (name -> string) and instances (an ordered list of attribute maps).
 *
 * A features object is built (nfd_features_new() and the add/set calls) and
 * then sealed; a sealed object is immutable and may be shared between
 * threads.  Objects from nfd_discover() and nfd_features_parse_*() come
 * sealed.
 */
struct nfd_features;

/**
 * enum nfd_feature_type - element types, usable as a bit mask
 */
enum nfd_feature_type {
	NFD_FEATURE_FLAG = 1,
	NFD_FEATURE_ATTRIBUTE = 2,
	NFD_FEATURE_INSTANCE = 4,
	_NFD_FEATURE_TYPE_PAD = 0x7fffffff, /* keeps the enum int-sized (C99) */
};

/**
 * nfd_features_new:
 * @ctx: a context
 * @ret: the new, empty, unsealed features object (one reference)
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_new(struct nfd_ctx *ctx, struct nfd_features **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_ref:
 * @f: a features object, or NULL
 *
 * Returns: @f with one more reference.
 * Since: 1.0
 */
struct nfd_features *nfd_features_ref(struct nfd_features *f);

/**
 * nfd_features_unref:
 * @f: a features object, or NULL
 *
 * Returns: NULL.
 * Since: 1.0
 */
struct nfd_features *nfd_features_unref(struct nfd_features *f);

/**
 * nfd_features_declare:
 * @f: an unsealed features object
 * @type: one element type
 * @feature: the feature name
 *
 * Make @feature exist with no elements of @type (NFD prints such a feature
 * as "elements": {} or []), so a spec can tell "discovered, empty" from
 * "not discovered".  Adding elements declares the feature implicitly.
 *
 * Returns: 0, -EINVAL, -EPERM (sealed), -ENOMEM.
 * Since: 1.0
 */
int nfd_features_declare(struct nfd_features *f, enum nfd_feature_type type,
			 const char *feature) NFD_WARN_UNUSED;

/**
 * nfd_features_add_flag:
 * @f: an unsealed features object
 * @feature: the feature name, e.g. "cpu.cpuid"
 * @name: the flag, e.g. "AVX2"
 *
 * Returns: 0 (also when the flag was already there), -EINVAL, -EPERM,
 * -ENOMEM.
 * Since: 1.0
 */
int nfd_features_add_flag(struct nfd_features *f, const char *feature,
			  const char *name) NFD_WARN_UNUSED;

/**
 * nfd_features_set_attribute:
 * @f: an unsealed features object
 * @feature: the feature name, e.g. "kernel.version"
 * @name: the attribute, e.g. "major"
 * @value: its value; replaces an earlier one
 *
 * Returns: 0, -EINVAL, -EPERM, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_set_attribute(struct nfd_features *f, const char *feature, const char *name,
			       const char *value) NFD_WARN_UNUSED;

/**
 * nfd_features_add_instance:
 * @f: an unsealed features object
 * @feature: the feature name, e.g. "pci.device"
 * @attrs: NULL-terminated array of alternating names and values
 *         ({"vendor", "10de", "class", "0302", NULL}); may be NULL for an
 *         instance without attributes
 *
 * Append one instance.  A name given twice keeps its last value.
 *
 * Returns: the new instance's index (>= 0), -EINVAL, -EPERM, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_add_instance(struct nfd_features *f, const char *feature,
			      const char *const *attrs) NFD_WARN_UNUSED;

/**
 * nfd_features_merge:
 * @f: an unsealed features object
 * @from: another features object
 *
 * Copy every feature of @from into @f.  Flags are united, attributes of @from
 * replace those of @f, instances of @from replace a feature's instance list.
 *
 * Returns: 0, -EINVAL, -EPERM, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_merge(struct nfd_features *f, const struct nfd_features *from) NFD_WARN_UNUSED;

/**
 * nfd_features_seal:
 * @f: a features object
 *
 * Make @f immutable (and shareable between threads).  Sealing twice is fine.
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_seal(struct nfd_features *f) NFD_WARN_UNUSED;

/**
 * nfd_features_has_feature:
 * @f: a features object
 * @type: one element type
 * @feature: the feature name (compared exactly)
 *
 * Returns: 1 when @feature exists with elements of @type (even none), 0 when
 * not, -EINVAL.
 * Since: 1.0
 */
int nfd_features_has_feature(const struct nfd_features *f, enum nfd_feature_type type,
			     const char *feature);

/**
 * nfd_features_has_flag:
 * @f: a features object
 * @feature: the feature name
 * @name: the flag
 *
 * Returns: 1, 0, -EINVAL.
 * Since: 1.0
 */
int nfd_features_has_flag(const struct nfd_features *f, const char *feature, const char *name);

/**
 * nfd_features_get_attribute:
 * @f: a features object
 * @feature: the feature name
 * @name: the attribute
 * @ret: its value, borrowed from @f
 *
 * Returns: 0, -ENOENT (no such feature or attribute), -EINVAL.
 * Since: 1.0
 */
int nfd_features_get_attribute(const struct nfd_features *f, const char *feature, const char *name,
			       const char **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_count_instances:
 * @f: a features object
 * @feature: the feature name
 *
 * Returns: the number of instances (>= 0), -ENOENT, -EINVAL.
 * Since: 1.0
 */
int nfd_features_count_instances(const struct nfd_features *f, const char *feature);

/**
 * nfd_features_get_instance_attribute:
 * @f: a features object
 * @feature: the feature name
 * @index: the instance, from 0
 * @name: the attribute
 * @ret: its value, borrowed from @f
 *
 * Returns: 0, -ENOENT, -ERANGE (@index too large), -EINVAL.
 * Since: 1.0
 */
int nfd_features_get_instance_attribute(const struct nfd_features *f, const char *feature,
					size_t index, const char *name,
					const char **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_iter_features:
 * @f: a features object
 * @type: one element type
 * @ret: an iterator over feature names (sorted; values are NULL)
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_iter_features(const struct nfd_features *f, enum nfd_feature_type type,
			       struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_iter_flags:
 * @f: a features object
 * @feature: the feature name
 * @ret: an iterator over the flags (sorted; values are NULL)
 *
 * Returns: 0, -ENOENT, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_iter_flags(const struct nfd_features *f, const char *feature,
			    struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_iter_attributes:
 * @f: a features object
 * @feature: the feature name
 * @ret: an iterator over (name, value), sorted by name
 *
 * Returns: 0, -ENOENT, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_iter_attributes(const struct nfd_features *f, const char *feature,
				 struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_iter_instance:
 * @f: a features object
 * @feature: the feature name
 * @index: the instance, from 0
 * @ret: an iterator over the instance's (name, value), sorted by name
 *
 * Returns: 0, -ENOENT, -ERANGE, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_iter_instance(const struct nfd_features *f, const char *feature, size_t index,
			       struct nfd_iter **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_parse_json:
 * @ctx: a context (for the error message)
 * @buf: a JSON document, not necessarily NUL-terminated
 * @len: its length in bytes
 * @ret: the parsed, sealed features (one reference)
 *
 * Accepts the `nfd export features` document ({"flags", "attributes",
 * "instances"}), a NodeFeature object (apiVersion nfd.k8s-sigs.io/v1alpha1,
 * kind NodeFeature, features in spec.features), and a List or
 * NodeFeatureList of NodeFeature objects, whose features are merged in list
 * order.
 *
 * Returns: 0, -EINVAL, -EBADMSG (malformed, with line:column in the message),
 * -E2BIG (over 64 MiB), -ENOMEM.
 * Since: 1.0
 */
int nfd_features_parse_json(struct nfd_ctx *ctx, const char *buf, size_t len,
			    struct nfd_features **ret) NFD_WARN_UNUSED;

/**
 * nfd_features_parse_file:
 * @ctx: a context
 * @path: a file as accepted by nfd_features_parse_json(), or "-" for stdin
 * @ret: the parsed, sealed features (one reference)
 *
 * Returns: as nfd_features_parse_json(), plus -ENOENT/-EACCES/-EIO for the
 * file; the message starts with @path.
 * Since: 1.0
 */
int nfd_features_parse_file(struct nfd_ctx *ctx, const char *path,
			    struct nfd_features **ret) NFD_WARN_UNUSED;

/**
 * enum nfd_json_flags - output options for nfd_features_to_json()
 */
enum nfd_json_flags {
	NFD_JSON_COMPACT = 1,	    /* one line instead of NFD's 4-space indent */
	NFD_JSON_NO_NEWLINE = 2,    /* no trailing newline */
	_NFD_JSON_PAD = 0x7fffffff, /* keeps the enum int-sized (C99) */
};

/**
 * nfd_features_to_json:
 * @f: a features object
 * @flags: enum nfd_json_flags bits, 0 for what `nfd export features` prints
 * @ret: a NUL-terminated JSON document, the caller's to free(3)
 *
 * Serialises NFD's export shape: keys sorted, Go's escaping, 4-space indent.
 *
 * Returns: the length of *@ret (>= 0), -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_features_to_json(const struct nfd_features *f, unsigned int flags,
			 char **ret) NFD_WARN_UNUSED;

/**
 * nfd_source_names:
 *
 * Returns: the NULL-terminated list of discovery sources in the order they
 * run ("cpu", "kernel", "local", "memory", "network", "pci", "storage",
 * "system", "usb"); static storage.
 * Since: 1.0
 */
const char *const *nfd_source_names(void);

/**
 * nfd_discover:
 * @ctx: a context (its root and paths say where the host is)
 * @sources: NULL-terminated source names, or NULL for all
 * @ret: the discovered, sealed features (one reference)
 *
 * A file or device that cannot be read costs only its element, with a
 * warning through the log hook; a whole source that cannot run is left out
 * with a warning.  A CPUID dump set with nfd_ctx_set_cpuid_dump() that
 * cannot be read or parsed is an error of the call (when the cpu source
 * runs), with the dump's name in the message.
 *
 * Returns: 0, -EINVAL (unknown source name; a dump that is not a regular
 * file), -ENOENT and other -errno (an unreadable dump), -EBADMSG (a
 * malformed dump), -E2BIG (a dump over its size limit), -ENOMEM.
 * Since: 1.0
 */
int nfd_discover(struct nfd_ctx *ctx, const char *const *sources,
		 struct nfd_features **ret) NFD_WARN_UNUSED;

static inline void nfd_features_unrefp(struct nfd_features **p)
{
	if (p)
		nfd_features_unref(*p);
}

#ifdef __cplusplus
}
#endif
#endif
