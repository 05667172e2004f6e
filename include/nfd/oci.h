/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_OCI_H
#define NFD_OCI_H

#include <errno.h>
#include <stddef.h>
#include <nfd/common.h>
#include <nfd/ctx.h>
#include <nfd/spec.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_oci_options - how to reach a registry
 *
 * A versioned options struct: initialise it with NFD_OCI_OPTIONS_INIT or
 * nfd_oci_options_init(), then set the fields you need.  Fields are only
 * ever appended.  Strings are borrowed for the duration of the call.
 */
struct nfd_oci_options {
	unsigned int version;
	/* "os[/arch[/variant]][:os_version]"; NULL: this host's platform */
	const char *platform;
	/* 1: talk HTTP, not HTTPS (NFD's --plain-http) */
	int plain_http;
	/* user and password, used together or not at all: answer a Basic
	 * challenge, or get a token from a Bearer challenge's realm; or NULL */
	const char *username;
	const char *password;
	/* a ready bearer access token (NFD's --registry-token-stdin), sent as
	 * is; it cannot answer a Basic challenge; or NULL */
	const char *token;
	/* a docker/podman auth file, the only one read when set; NULL: the
	 * first with an entry for the registry of $REGISTRY_AUTH_FILE,
	 * $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json
	 * (else ~/.docker/config.json); entries with "auth", "username" and
	 * "password", "identitytoken" (OAuth2 refresh token) or
	 * "registrytoken"; or a credential helper named by the file's
	 * credHelpers (for the registry) or credsStore, run as docker does
	 * (docker-credential-NAME get, from $PATH; not in setuid processes).
	 * username/password or token win over any file. */
	const char *auth_file;
	/* CA certificates (PEM) trusted for TLS in addition to the system's
	 * ($SSL_CERT_FILE and $SSL_CERT_DIR replace the system's, as in
	 * OpenSSL and Go) and the registry's certs.d certificates
	 * (/etc/containers/certs.d/HOST[:PORT]/ *.crt, then /etc/docker/certs.d;
	 * $NFD_REGISTRY_CERTS_DIRS replaces that list), or NULL */
	const char *ca_file;
	/* limit for each HTTP request in milliseconds (a stalled registry
	 * fails with -ETIMEDOUT); 0: 30000 */
	long timeout_ms;
	/* largest spec accepted, in bytes; 0: 4 MiB (manifests and indexes
	 * are always limited to 4 MiB) */
	size_t max_spec_size;

	/* Version 2 (LIBNFD_1.1) appends: */

	/* fetch this artifact manifest ("sha256:...", one of the image's
	 * referrers) instead of the newest; or NULL.  Used by nfd_oci_fetch()
	 * and nfd_oci_fetch_spec*(); ignored by attach. */
	const char *artifact_digest;
	/* called before each request and while data moves (@done and @total
	 * bytes of the current transfer, @total 0 when unknown); a non-zero
	 * return cancels the call, which then fails with -ECANCELED.  Called
	 * on the calling thread.  NULL: none. */
	int (*progress)(void *userdata, unsigned long long done, unsigned long long total);
	/* passed to @progress */
	void *userdata;
};

#define NFD_OCI_OPTIONS_VERSION 2
#define NFD_OCI_OPTIONS_INIT                                                                       \
	{                                                                                          \
		NFD_OCI_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL,  \
			NULL                                                                       \
	}

/**
 * nfd_oci_options_init:
 * @o: options to initialise
 * @version: NFD_OCI_OPTIONS_VERSION (1 is accepted too and initialises only
 *           version 1's fields)
 *
 * Returns: 0, -EINVAL (NULL @o or unknown @version).
 * Since: 1.0 (version 2: 1.1)
 */
int nfd_oci_options_init(struct nfd_oci_options *o, unsigned int version);

/**
 * nfd_oci_digest:
 * @data: bytes to hash (may be NULL when @len is 0)
 * @len: their length
 * @ret: "sha256:<64 lower-case hex digits>", the caller's string (free(3))
 *
 * The OCI content digest of @data, e.g. to compare a spec file with
 * nfd_oci_artifact_get_spec_digest().  @ret is left untouched on failure.
 *
 * Returns: 0, -EINVAL, -ENOTSUP (libcrypto could not be loaded), -EIO,
 * -ENOMEM.
 * Since: 1.1
 */
int nfd_oci_digest(const void *data, size_t len, char **ret) NFD_WARN_UNUSED;

/**
 * nfd_oci_has_registry:
 *
 * Returns: 1 when this build has the registry client (built with libssl), else 0;
 * OCI layouts work either way.
 * Since: 1.0
 */
int nfd_oci_has_registry(void);

/**
 * nfd_oci_fetch_spec_data:
 * @ctx: a context
 * @image_ref: "registry/repo[:tag][@digest]", or an OCI layout as
 *             "oci:PATH[:TAG|@DIGEST]" or "oci-layout://PATH[:TAG|@DIGEST]"
 * @o: options, or NULL for the defaults
 * @ret_buf: the spec's bytes (NUL-terminated for convenience), the caller's
 *           to free(3)
 * @ret_len: their length
 *
 * Resolve the image (selecting the platform manifest from an index), find
 * the compatibility artifacts referring to the platform manifest, and when
 * there are none those referring to the index (referrers API, else the
 * sha256-<hex> tag schema; in a layout, manifests whose subject matches and
 * the sha256-<hex> tagged index), take the newest by
 * org.opencontainers.image.created (ties: the highest digest), and download
 * its first layer of media type NFD_SPEC_MEDIA_TYPE, checking its size and
 * sha256 digest.  Every manifest read is digest-checked too.  The artifact
 * chosen is logged at LOG_INFO.
 *
 * References: as NFD (oras-go) parses them, the first component is the
 * registry host, a tag or digest is required and a digest wins over a tag;
 * "docker.io" is reached at registry-1.docker.io; a name without any "/"
 * is read as docker.io/library/NAME (NFD rejects it).
 *
 * Returns: 0; -EINVAL (bad reference or options), -ENOENT (image, platform
 * or artifact not found; nfd_oci_fetch() tells "no artifact" apart), -EACCES (authentication),
 * -EPROTO (registry protocol violation, TLS failure, truncated response, redirect loop, an artifact
 * without a spec layer), -EBADMSG (digest mismatch, malformed manifest), -E2BIG (over a size
 * limit), -ETIMEDOUT, -ECONNREFUSED or -EHOSTUNREACH (network), -ENOTSUP (registry reference in a
 * build without the registry client), -ECANCELED (@o->progress asked to stop), -ENOMEM. Since: 1.0
 */
int nfd_oci_fetch_spec_data(struct nfd_ctx *ctx, const char *image_ref,
			    const struct nfd_oci_options *o, char **ret_buf,
			    size_t *ret_len) NFD_WARN_UNUSED;

/**
 * nfd_oci_fetch_spec:
 * @ctx: a context
 * @image_ref: as nfd_oci_fetch_spec_data()
 * @o: options, or NULL
 * @ret: the parsed spec (one reference)
 *
 * nfd_oci_fetch_spec_data() followed by nfd_spec_parse().
 *
 * Returns: as those two.
 * Since: 1.0
 */
int nfd_oci_fetch_spec(struct nfd_ctx *ctx, const char *image_ref, const struct nfd_oci_options *o,
		       struct nfd_spec **ret) NFD_WARN_UNUSED;

/**
 * nfd_oci_attach_spec:
 * @ctx: a context
 * @image_ref: the image to attach to (registry or OCI layout)
 * @buf: the spec (validated with nfd_spec_parse() before anything is pushed)
 * @len: its length
 * @o: options, or NULL
 * @ret_digest: (optional) the artifact manifest's digest ("sha256:..."),
 *              the caller's to free(3)
 *
 * Push the spec as a referrer artifact of @image_ref (config and layer blobs,
 * then a manifest with subject = the image manifest, or with @o->platform
 * that platform's manifest, and org.opencontainers.image.created = now).
 * Where the registry does not confirm the subject (no OCI-Subject header),
 * the sha256-<hex> tag-schema index is updated too (read, add, write, then
 * the old index is deleted).  Into an OCI layout the blobs are written and
 * the manifest is listed in index.json without a tag (as oras does);
 * concurrent attaches to one layout are serialised.
 *
 * Returns: 0, or the errors of nfd_oci_fetch_spec_data().
 * Since: 1.0
 */
int nfd_oci_attach_spec(struct nfd_ctx *ctx, const char *image_ref, const char *buf, size_t len,
			const struct nfd_oci_options *o, char **ret_digest) NFD_WARN_UNUSED;

/**
 * struct nfd_oci_artifact - a fetched compatibility artifact
 *
 * Opaque, refcounted and immutable: what nfd_oci_fetch() found, with the
 * digests a caller needs for caching and audit.
 */
struct nfd_oci_artifact;

/**
 * NFD_OCI_ENOARTIFACT:
 *
 * The error nfd_oci_fetch() returns (negated) when the image exists but no
 * compatibility artifact is attached to it: ENODATA, distinct from ENOENT
 * (image, tag or platform not found).
 */
#define NFD_OCI_ENOARTIFACT ENODATA

/**
 * nfd_oci_fetch:
 * @ctx: a context
 * @image_ref: as nfd_oci_fetch_spec_data()
 * @o: options, or NULL
 * @ret: the artifact (one reference, release with nfd_oci_artifact_unref())
 *
 * What nfd_oci_fetch_spec_data() does, keeping the resolved digests, and
 * telling "no artifact attached" apart from "image not found".
 *
 * Returns: 0; -ENODATA (NFD_OCI_ENOARTIFACT: the image exists and has no
 * compatibility artifact, or none with @o->artifact_digest); -ENOENT (image,
 * tag or platform not found); otherwise the errors of
 * nfd_oci_fetch_spec_data().
 * Since: 1.1
 */
int nfd_oci_fetch(struct nfd_ctx *ctx, const char *image_ref, const struct nfd_oci_options *o,
		  struct nfd_oci_artifact **ret) NFD_WARN_UNUSED;

/**
 * nfd_oci_artifact_ref:
 * @a: an artifact, or NULL
 *
 * Returns: @a, with one more reference.
 * Since: 1.1
 */
struct nfd_oci_artifact *nfd_oci_artifact_ref(struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_unref:
 * @a: an artifact, or NULL
 *
 * Drop one reference; the last frees it.
 *
 * Returns: NULL.
 * Since: 1.1
 */
struct nfd_oci_artifact *nfd_oci_artifact_unref(struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_image_digest:
 * @a: an artifact
 *
 * Returns: the digest of the image manifest the reference resolved to (the
 * platform's manifest when the reference names an index), borrowed from
 * @a; NULL for NULL @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_image_digest(const struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_index_digest:
 * @a: an artifact
 *
 * Returns: the digest of the image index the reference named, or NULL when
 * it named a single manifest (or @a is NULL); borrowed from @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_index_digest(const struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_subject_digest:
 * @a: an artifact
 *
 * Returns: the digest the artifact refers to (the image manifest, or the
 * index when only the index has one), borrowed from @a; NULL for NULL @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_subject_digest(const struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_digest:
 * @a: an artifact
 *
 * Returns: the digest of the artifact manifest chosen, borrowed from @a;
 * NULL for NULL @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_digest(const struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_spec_digest:
 * @a: an artifact
 *
 * Returns: the digest of the spec layer (the bytes of
 * nfd_oci_artifact_get_data()), borrowed from @a; NULL for NULL @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_spec_digest(const struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_created:
 * @a: an artifact
 *
 * Returns: the artifact's org.opencontainers.image.created annotation, or
 * NULL when it has none (or @a is NULL); borrowed from @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_created(const struct nfd_oci_artifact *a);

/**
 * nfd_oci_artifact_get_data:
 * @a: an artifact
 * @ret_len: (optional) the spec's length
 *
 * Returns: the spec's bytes (NUL-terminated), borrowed from @a; NULL for
 * NULL @a.
 * Since: 1.1
 */
const char *nfd_oci_artifact_get_data(const struct nfd_oci_artifact *a, size_t *ret_len);

/**
 * nfd_oci_list_artifacts:
 * @ctx: a context
 * @image_ref: as nfd_oci_fetch_spec_data()
 * @o: options, or NULL
 * @ret_json: a JSON array, the caller's to free(3): one object per
 *            compatibility artifact referring to the image (its platform
 *            manifest, then its index), newest first, with "digest",
 *            "created" (or null), "size" (the spec layer's bytes, or null
 *            when the artifact has no spec layer), "subject" (the digest it
 *            refers to) and "chosen" (true for the one nfd_oci_fetch()
 *            would take)
 *
 * Returns: the number of artifacts (0 is not an error), -ENOENT (image not
 * found) or the errors of nfd_oci_fetch_spec_data().
 * Since: 1.1
 */
int nfd_oci_list_artifacts(struct nfd_ctx *ctx, const char *image_ref,
			   const struct nfd_oci_options *o, char **ret_json) NFD_WARN_UNUSED;

/**
 * nfd_oci_remove_artifact:
 * @ctx: a context
 * @image_ref: a registry reference (OCI layouts: -ENOTSUP)
 * @digest: the artifact manifest to remove, or NULL for the one
 *          nfd_oci_fetch() would take
 * @o: options, or NULL
 * @ret_digest: (optional) the digest removed, the caller's to free(3)
 *
 * Delete a compatibility artifact of the image (NFD's planned remove-spec):
 * the artifact manifest is deleted, and where the image's referrers are kept
 * in the sha256-<hex> tag-schema index the entry is taken out of it (the
 * index is rewritten, or deleted when it becomes empty).  The registry must
 * allow deletes.  Blobs are left to the registry's garbage collection.
 *
 * Returns: 0; -ENODATA (no such compatibility artifact), -ENOTSUP (an OCI
 * layout, or a registry that refuses deletes), or the errors of
 * nfd_oci_fetch_spec_data().
 * Since: 1.1
 */
int nfd_oci_remove_artifact(struct nfd_ctx *ctx, const char *image_ref, const char *digest,
			    const struct nfd_oci_options *o, char **ret_digest) NFD_WARN_UNUSED;

#ifdef __cplusplus
}
#endif
#endif
