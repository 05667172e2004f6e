/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Registry credentials and authentication challenges (oci-auth.c). */
#pragma once

#include "libnfd/oci/oci-internal.h"

/* One WWW-Authenticate challenge; Bearer is preferred over Basic. */
struct oci_challenge {
	char scheme[16]; /* "Bearer", "Basic" (case as sent) */
	char *realm;
	char *service;
	char *scope;
	char *error;
};

/* 0, or -EBADMSG for a header with no usable challenge, -ENOMEM. */
int nfd__oci_challenge_parse(const char *header, struct oci_challenge *ret);
void nfd__oci_challenge_done(struct oci_challenge *c);

/* Credentials: username + password, a ready bearer token, or an OAuth2
 * refresh token ("identitytoken" in a docker auth file). */
struct oci_cred {
	char *username;
	char *password;
	char *token;
	char *identity_token;
};
/* Frees and wipes the secrets. */
void nfd__oci_cred_done(struct oci_cred *c);

/*
 * Ask docker-credential-<helper> (from $PATH) for registry's credentials
 * (oci-credhelper.c).  0; -ENOENT when the helper has none (no message);
 * -ENOEXEC (not installed), -EACCES (it failed), -EBADMSG, -ETIMEDOUT,
 * -EPERM (setuid process), -ENOMEM.
 */
int nfd__oci_cred_helper_get(struct nfd_ctx *ctx, const char *helper, const char *registry,
			     struct oci_cred *ret);

/* malloc'ed base64 (no newlines) of buf; NULL on ENOMEM. */
char *nfd__oci_base64_encode(const void *buf, size_t len);
/* Decode strict base64 into a NUL-terminated buffer; -EINVAL or -ENOMEM. */
int nfd__oci_base64_decode(const char *s, char **ret, size_t *ret_len);

/*
 * Credentials for registry (host[:port] as written in the reference) and
 * repository from one docker/podman auth file.  -ENOENT: the file or an
 * entry for the registry does not exist; -EBADMSG: malformed file.
 */
int nfd__oci_auth_file_lookup(struct nfd_ctx *ctx, const char *path, const char *registry,
			      const char *repository, struct oci_cred *ret);
/*
 * auth_file if given, else the first of $REGISTRY_AUTH_FILE,
 * $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json or
 * ~/.docker/config.json that has an entry for the registry.
 */
int nfd__oci_auth_find(struct nfd_ctx *ctx, const char *auth_file, const char *registry,
		       const char *repository, struct oci_cred *ret);
