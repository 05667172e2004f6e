/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_HOOK_H
#define NFD_HOOK_H

#include <stddef.h>
#include <nfd/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * SECTION: hook
 *
 * The check nfd-oci-hook(8) makes when a container is created, for a
 * runtime that links it in-process: given the OCI state (and optionally the
 * bundle's config.json), find the image, get its compatibility spec (from an
 * on-disk cache keyed by manifest digest, else the registry), evaluate it
 * against this node (discovery cached on disk too) and answer allow or deny
 * with a one- or two-line message.  The policy (enforce or warn, what to do
 * without an artifact or a registry, tags, credentials, cache) is an object
 * built from the configuration file described in nfd-oci-hook(8).
 */

struct nfd_hook_policy;

/**
 * nfd_hook_policy_new:
 * @ctx: a context (the policy keeps a reference for its messages)
 * @ret: a policy with the documented defaults (one reference)
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.1
 */
int nfd_hook_policy_new(struct nfd_ctx *ctx, struct nfd_hook_policy **ret) NFD_WARN_UNUSED;

/**
 * nfd_hook_policy_ref:
 * @p: a policy, or NULL
 * Returns: @p with one more reference (NULL-safe).
 * Since: 1.1
 */
struct nfd_hook_policy *nfd_hook_policy_ref(struct nfd_hook_policy *p);

/**
 * nfd_hook_policy_unref:
 * @p: a policy, or NULL
 * Returns: NULL; frees @p with its last reference (NULL-safe).
 * Since: 1.1
 */
struct nfd_hook_policy *nfd_hook_policy_unref(struct nfd_hook_policy *p);

/**
 * nfd_hook_policy_set:
 * @p: a policy
 * @key: a configuration key ("mode", "on-no-artifact", "cache-dir", ...;
 *       the list is in nfd-oci-hook(8))
 * @value: its value as written in the file
 *
 * Returns: 0, -EINVAL (unknown key or bad value; message in the ctx),
 * -ENOMEM.  @p is unchanged on failure.
 * Since: 1.1
 */
int nfd_hook_policy_set(struct nfd_hook_policy *p, const char *key,
			const char *value) NFD_WARN_UNUSED;

/**
 * nfd_hook_policy_load:
 * @p: a policy
 * @path: a configuration file: "key = value" lines, '#' comments
 *
 * Apply every line of @path with nfd_hook_policy_set().  At most 64 KiB.
 *
 * Returns: 0, -ENOENT (no such file), -EINVAL (a bad line: the message
 * names the file and line), -E2BIG, other -errno from reading.  Lines
 * before a bad one stay applied.
 * Since: 1.1
 */
int nfd_hook_policy_load(struct nfd_hook_policy *p, const char *path);

/**
 * enum nfd_hook_outcome - what the check found
 * @NFD_HOOK_COMPATIBLE: the node satisfies the image's spec
 * @NFD_HOOK_INCOMPATIBLE: it does not
 * @NFD_HOOK_NO_IMAGE: no annotation names the image (or a spec file)
 * @NFD_HOOK_NO_ARTIFACT: the image has no compatibility artifact
 * @NFD_HOOK_FETCH_ERROR: the registry could not be reached or answered
 *                        with an error, and no cache entry could answer
 */
enum nfd_hook_outcome {
	NFD_HOOK_COMPATIBLE = 0,
	NFD_HOOK_INCOMPATIBLE = 1,
	NFD_HOOK_NO_IMAGE = 2,
	NFD_HOOK_NO_ARTIFACT = 3,
	NFD_HOOK_FETCH_ERROR = 4,
};

/** The answers of nfd_hook_check(). */
#define NFD_HOOK_ALLOW 0
#define NFD_HOOK_DENY  1

/**
 * nfd_hook_policy_get_fetch_timeout:
 * @p: a policy
 *
 * Returns: the registry budget (fetch-timeout) in milliseconds: each
 * registry request of a check is limited to it; a caller that wants a hard
 * bound on a whole check can stop waiting after it (nfd-oci-hook adds one
 * second) and answer as for NFD_HOOK_FETCH_ERROR.  -EINVAL for NULL.
 * Since: 1.1
 */
long nfd_hook_policy_get_fetch_timeout(const struct nfd_hook_policy *p);

/**
 * nfd_hook_policy_get_answer:
 * @p: a policy
 * @outcome: an enum nfd_hook_outcome
 *
 * Returns: what the policy answers for @outcome: NFD_HOOK_ALLOW or
 * NFD_HOOK_DENY; -EINVAL for NULL or an unknown outcome.
 * Since: 1.1
 */
int nfd_hook_policy_get_answer(const struct nfd_hook_policy *p, int outcome);

/**
 * nfd_hook_check:
 * @ctx: a context
 * @p: the policy
 * @state: the OCI state JSON the runtime gives hooks (untrusted: its
 *         annotations come from users)
 * @state_len: its length (at most 1 MiB)
 * @config: the bundle's config.json, or NULL to read
 *          "<bundle>/config.json" (at most 4 MiB)
 * @config_len: its length
 * @ret_outcome: (optional) an enum nfd_hook_outcome
 * @ret_message: (optional) one or two lines for the user and the log:
 *               the image, the best set, the failing rules with this
 *               node's values, or why nothing was checked; the caller's
 *               to free(3)
 *
 * The answer follows the policy: an incompatible node is denied in
 * enforce mode and allowed (with the same message) in warn mode; the other
 * outcomes get the policy's answer for them.  The network is touched only
 * when the cache cannot answer.
 *
 * Returns: NFD_HOOK_ALLOW, NFD_HOOK_DENY, or -errno when the check itself
 * failed (invalid state or config JSON, a spec that does not parse,
 * discovery failure; outputs untouched, message in the ctx).
 * Since: 1.1
 */
int nfd_hook_check(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *state,
		   size_t state_len, const char *config, size_t config_len, int *ret_outcome,
		   char **ret_message) NFD_WARN_UNUSED;

/**
 * nfd_hook_prefetch:
 * @ctx: a context
 * @p: the policy (cache, registry settings)
 * @image_ref: an image reference (a tag is resolved to its digest)
 * @ret_digest: (optional) the manifest digest the cache entry is keyed by,
 *              the caller's to free(3)
 *
 * Fill the policy's cache for @image_ref as nfd_hook_check() would on a
 * miss: the tag's digest, the spec (or the fact that there is none), and
 * this node's discovery for the spec's sources.
 *
 * Returns: 1 when a spec was cached, 0 when the image has no artifact
 * (nfd_oci_fetch()'s -ENODATA, recorded too), or the other errors of
 * nfd_oci_fetch() (-ENOENT: the image is not there).
 * Since: 1.1
 */
int nfd_hook_prefetch(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *image_ref,
		      char **ret_digest) NFD_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
