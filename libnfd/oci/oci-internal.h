/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private declarations of the OCI code: references, platforms, digests,
 * manifests and the "store" abstraction that lets the fetch and attach logic
 * run unchanged over a registry (oci-registry.c, oci-remote.c) and an OCI
 * layout on disk (oci-layout.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libnfd/jansson-dl.h"

#include "libnfd/libnfd-internal.h"

#define OCI_MEDIA_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define OCI_MEDIA_INDEX	      "application/vnd.oci.image.index.v1+json"
#define OCI_MEDIA_EMPTY	      "application/vnd.oci.empty.v1+json"
#define OCI_MEDIA_CONFIG      "application/vnd.oci.image.config.v1+json"
#define DOCKER_MEDIA_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define DOCKER_MEDIA_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define DOCKER_MEDIA_CONFIG   "application/vnd.docker.container.image.v1+json"
#define OCI_ANNOT_CREATED     "org.opencontainers.image.created"
#define OCI_ANNOT_REF_NAME    "org.opencontainers.image.ref.name"
/* sha256 of "{}", the OCI empty descriptor */
#define OCI_EMPTY_DIGEST "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

/* Manifests and indexes are capped like oras-go caps them. */
#define OCI_MAX_MANIFEST_SIZE	  (4u * 1024 * 1024)
#define OCI_DEFAULT_MAX_SPEC_SIZE (4u * 1024 * 1024)
#define OCI_DEFAULT_TIMEOUT_MS	  30000L
/* Bounds on what a registry or layout can make us walk. */
#define OCI_MAX_REFERRER_PAGES 64
#define OCI_MAX_REFERRERS      4096
#define OCI_MAX_REDIRECTS      5

/* "sha256:" + 64 hex + NUL */
#define OCI_DIGEST_MAX 72

/* ----------------------------------------------------------- references */

/* A registry reference, parsed as oras-go's registry.ParseReference. */
struct oci_ref {
	char *registry; /* as written: "docker.io", "127.0.0.1:5000" */
	char *host;	/* where requests go: "registry-1.docker.io" for docker.io */
	char *repository;
	char *tag;    /* NULL when absent or overridden by a digest */
	char *digest; /* NULL when absent */
};

/* A layout reference: "oci:PATH[:TAG|@DIGEST]" or "oci-layout://PATH[...]". */
struct oci_layout_ref {
	char *path;
	char *tag;
	char *digest;
};

/* 1 when s names an OCI layout ("oci:" or "oci-layout://"), else 0. */
bool nfd__oci_ref_is_layout(const char *s);
int nfd__oci_ref_parse(struct nfd_ctx *ctx, const char *s, struct oci_ref *ret);
void nfd__oci_ref_done(struct oci_ref *r);
int nfd__oci_layout_ref_parse(struct nfd_ctx *ctx, const char *s, struct oci_layout_ref *ret);
void nfd__oci_layout_ref_done(struct oci_layout_ref *r);

bool nfd__oci_tag_valid(const char *s);
bool nfd__oci_repository_valid(const char *s);
/* Only sha256 digests are accepted: "sha256:" and 64 lowercase hex digits. */
bool nfd__oci_digest_valid(const char *s);

/* --------------------------------------------------------------- digests */

/* "sha256:<hex>" of buf into out (OCI_DIGEST_MAX bytes); 0 or -ENOMEM/-EIO. */
int nfd__oci_sha256_digest(const void *buf, size_t len, char out[OCI_DIGEST_MAX]);
/* 0 when buf hashes to digest; -EBADMSG (with a message) otherwise. */
int nfd__oci_verify_digest(struct nfd_ctx *ctx, const char *what, const void *buf, size_t len,
			   const char *digest);
/* The referrers tag schema's tag for a digest: "sha256-<hex>"; malloc'ed. */
char *nfd__oci_referrers_tag(const char *digest);

/* -------------------------------------------------------------- platform */

struct oci_platform {
	char os[32];
	char arch[32];
	char variant[16];
	char os_version[64];
};

/* Parse "os[/arch[/variant]][:os_version]" and normalise the names. */
int nfd__oci_platform_parse(struct nfd_ctx *ctx, const char *s, struct oci_platform *ret);
/* This host's platform (uname), normalised to OCI names. */
void nfd__oci_platform_host(struct oci_platform *ret);
/* Map architecture and variant to OCI's names in place (x86_64 -> amd64 ...). */
void nfd__oci_platform_normalize(struct oci_platform *p);
/* Does the platform object (an index entry's "platform", a config) match? */
bool nfd__oci_platform_match(const struct oci_platform *want, json_t *platform);
/* "linux/amd64[/v8][:ver]" into buf for messages. */
const char *nfd__oci_platform_str(const struct oci_platform *p, char *buf, size_t size);

/* ------------------------------------------------------------- manifests */

/* A downloaded manifest or blob. */
struct oci_blob {
	char *data; /* NUL-terminated for convenience */
	size_t len;
	char media_type[128];
	char digest[OCI_DIGEST_MAX];
};
void nfd__oci_blob_done(struct oci_blob *b);

bool nfd__oci_media_is_index(const char *mt);
bool nfd__oci_media_is_manifest(const char *mt);
/* Parse a manifest/index body; the media type comes from the body's
 * "mediaType" when the transport gave none.  -EBADMSG on bad JSON. */
int nfd__oci_json_parse(struct nfd_ctx *ctx, const char *what, const struct oci_blob *b,
			json_t **ret);
/* A descriptor object's fields, borrowed from the JSON; -EBADMSG if invalid. */
struct oci_desc {
	const char *media_type;
	const char *digest;
	json_int_t size;
	const char *artifact_type;
	json_t *annotations; /* object or NULL */
};
int nfd__oci_desc_from_json(struct nfd_ctx *ctx, const char *what, json_t *j, struct oci_desc *ret);

/*
 * Choose the artifact among referrer descriptors (a JSON array): keep those
 * of artifact_type, take the newest org.opencontainers.image.created (RFC
 * 3339; missing or malformed counts as oldest), ties broken by the highest
 * digest so the choice never depends on list order.  Returns the index into
 * the array, or -ENOENT when none has the type.
 */
int nfd__oci_choose_artifact(struct nfd_ctx *ctx, json_t *descs, const char *artifact_type);

/* ----------------------------------------------------------------- store */

struct oci_store;

struct oci_store_ops {
	/* Manifest by tag or digest, verified against the digest when known,
	 * at most OCI_MAX_MANIFEST_SIZE.  -ENOENT when absent. */
	int (*get_manifest)(struct oci_store *s, const char *ref, struct oci_blob *ret);
	/* Blob by digest, at most max bytes, digest-verified. */
	int (*get_blob)(struct oci_store *s, const char *digest, size_t max, struct oci_blob *ret);
	/*
	 * Referrers of digest: a JSON array of descriptors (new reference).
	 * *ret_complete is true when the answer is authoritative (the referrers
	 * API); false means the caller also consults the sha256-<hex> tag.
	 * -EOPNOTSUPP: no API, use the tag schema only.
	 */
	int (*referrers)(struct oci_store *s, const char *digest, const char *artifact_type,
			 json_t **ret, bool *ret_complete);
	int (*put_blob)(struct oci_store *s, const char *digest, const void *buf, size_t len);
	/* ref is a tag or the manifest's digest.  *ret_indexed: the store
	 * maintains the referrers of a manifest with a subject itself. */
	int (*put_manifest)(struct oci_store *s, const char *ref, const char *media_type,
			    const void *buf, size_t len, bool *ret_indexed);
	/* Remove a manifest by digest (garbage of the tag schema); may be NULL. */
	int (*delete_manifest)(struct oci_store *s, const char *digest);
	void (*free)(struct oci_store *s);
};

struct oci_store {
	const struct oci_store_ops *ops;
	struct nfd_ctx *ctx;
	char *name;	 /* for messages: "127.0.0.1:5000/demo/app", a layout path */
	const char *ref; /* the tag or digest the user named */
};

/*
 * The caller's options as a full current-version struct in *ret: NULL gives
 * the defaults, version 1 its fields (the rest zero).  -EINVAL with a
 * message for an unknown version.
 */
int nfd__oci_options_get(struct nfd_ctx *ctx, const struct nfd_oci_options *o,
			 struct nfd_oci_options *ret);
/* 0, or -ECANCELED (with a message) when o->progress asks to stop. */
int nfd__oci_check_cancel(struct nfd_ctx *ctx, const struct nfd_oci_options *o);

/* Open the store for image_ref; *ret_ref points into it (tag or digest). */
int nfd__oci_store_open(struct nfd_ctx *ctx, const char *image_ref, const struct nfd_oci_options *o,
			bool push, struct oci_store **ret);
void nfd__oci_store_free(struct oci_store *s);

int nfd__oci_layout_open(struct nfd_ctx *ctx, const char *image_ref, bool push,
			 struct oci_store **ret);
/* -ENOTSUP in a build without the registry client (libssl). */
int nfd__oci_remote_open(struct nfd_ctx *ctx, const char *image_ref,
			 const struct nfd_oci_options *o, bool push, struct oci_store **ret);

/*
 * Resolve the store's reference to the subject: the platform manifest when
 * the reference names an index (also returned, digest in index_digest, else
 * "").  platform NULL: this host's.
 */
int nfd__oci_resolve(struct oci_store *s, const char *platform, bool explicit_platform,
		     char subject_digest[OCI_DIGEST_MAX], json_t **ret_subject_desc,
		     char index_digest[OCI_DIGEST_MAX], json_t **ret_index_desc);

/*
 * Resolve the store's reference and find a compatibility artifact: want
 * (a digest) or the newest, among the referrers of the platform manifest,
 * then of the index.  Fills the resolved image and index digests (index ""
 * when none), the subject the artifact refers to and its digest.
 * -ENODATA (NFD_OCI_ENOARTIFACT) with a message when there is none.
 */
int nfd__oci_find_artifact(struct oci_store *s, const struct nfd_oci_options *o, const char *want,
			   char image[OCI_DIGEST_MAX], char index[OCI_DIGEST_MAX],
			   char subject[OCI_DIGEST_MAX], char artifact[OCI_DIGEST_MAX]);

/* Referrers of digest with the artifact type: API or tag schema, merged. */
int nfd__oci_list_referrers(struct oci_store *s, const char *digest, const char *artifact_type,
			    json_t **ret);

/*
 * Read the referrers tag schema's index of subject (oci-attach.c).
 * @s: the store
 * @subject: the subject's digest
 * @ret_tag: (out) its "sha256-<hex>" tag, malloc'ed, the caller frees it;
 *	set on 0 and 1
 * @ret: (out) the index as read, when there is one (nfd__oci_blob_done())
 * @return: 1 when the index exists, 0 when there is none yet (a missing
 *	tag is no error: the context's error is cleared), -errno otherwise
 */
int nfd__oci_read_tag_index(struct oci_store *s, const char *subject, char **ret_tag,
			    struct oci_blob *ret);
/*
 * Write index back as the tag's referrers index (oci-attach.c), then
 * delete old (the index read before, NULL for none) when its digest
 * differs; a failed delete is only logged.
 * @s: the store
 * @tag: the "sha256-<hex>" tag
 * @index: the index to write (borrowed)
 * @old: the index it replaces, or NULL
 * @return: 0 or -errno (message set)
 */
int nfd__oci_write_tag_index(struct oci_store *s, const char *tag, json_t *index,
			     const struct oci_blob *old);

/* ------------------------------------------------- origins (oci-origin.c) */

/* scheme, canonical host and port of a URL: what must match exactly */
struct oci_origin {
	bool https;
	char *host; /* lower case, no trailing dot; IPv4 dotted quad; "[v6]" as inet_ntop */
	unsigned port;
};

/*
 * Parse an http(s) URL's origin.  Refuses (-EINVAL) other schemes, any
 * userinfo ("user@host"), escapes and characters no host name has, and bad
 * ports.  Every IPv4 spelling ("2130706433", "0177.0.0.1", "0x7f.1")
 * becomes its dotted quad.  Free with nfd__oci_origin_done().
 */
int nfd__oci_origin_parse(const char *url, struct oci_origin *ret);
void nfd__oci_origin_done(struct oci_origin *o);
bool nfd__oci_origin_equal(const struct oci_origin *a, const struct oci_origin *b);
/* The canonical form of host[0..len) as above (malloc'ed); -EINVAL, -ENOMEM. */
int nfd__oci_host_canonical(const char *host, size_t len, char **ret);
/*
 * True for a canonical host that is this machine or a private network:
 * localhost, 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
 * 192.168/16, 224/3, and for IPv6 ::, ::1, fc00::/7, fe80::/10, fec0::/10,
 * multicast, and IPv4-mapped forms of the above.
 */
bool nfd__oci_host_is_private(const char *canonical_host);
/* The token realm rule of oci-remote.c (registry_host as "host[:port]"). */
bool nfd__oci_realm_allowed(const char *registry_host, bool plain_http, const char *realm);
