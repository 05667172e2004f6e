/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_OCI_H
#define NFD_OCI_H

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
	 * "registrytoken".  username/password or token win over any file.
	 * Credential helpers are not run. */
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
};

#define NFD_OCI_OPTIONS_VERSION 1
#define NFD_OCI_OPTIONS_INIT                                                                       \
	{                                                                                          \
		NFD_OCI_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, 0               \
	}

/**
 * nfd_oci_options_init:
 * @o: options to initialise
 * @version: NFD_OCI_OPTIONS_VERSION
 *
 * Returns: 0, -EINVAL (NULL @o or unknown @version).
 * Since: 1.0
 */
int nfd_oci_options_init(struct nfd_oci_options *o, unsigned int version);

/**
 * nfd_oci_has_registry:
 *
 * Returns: 1 when this build has the registry client (libcurl), else 0;
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
 * or artifact not found), -EACCES (authentication), -EPROTO (registry
 * protocol violation, TLS failure, truncated response, redirect loop, an
 * artifact without a spec layer), -EBADMSG (digest mismatch, malformed
 * manifest), -E2BIG (over a size limit), -ETIMEDOUT, -ECONNREFUSED or
 * -EHOSTUNREACH (network), -ENOTSUP (registry reference in a build without
 * the registry client), -ENOMEM.
 * Since: 1.0
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

#ifdef __cplusplus
}
#endif
#endif
