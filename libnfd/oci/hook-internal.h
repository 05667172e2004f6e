/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private declarations of the container-start check (runtime-hook.c): the
 * policy object (hook-policy.c) and the digest-keyed on-disk cache
 * (spec-cache.c).  What they do is written in doc/oci-hook.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "libnfd/oci/oci-internal.h"

#define HOOK_DEFAULT_CACHE_DIR "/var/cache/nfd/oci-hook"
#define HOOK_DEFAULT_SPEC_DIR  "/etc/nfd/specs"
/* The largest state, config.json and cached spec the check reads. */
#define HOOK_MAX_STATE	(1u * 1024 * 1024)
#define HOOK_MAX_CONFIG (4u * 1024 * 1024)

struct nfd_hook_policy {
	int refcount;
	struct nfd_ctx *ctx;
	bool warn;	       /* mode = warn */
	bool deny_no_image;    /* on-no-image = deny */
	bool deny_no_artifact; /* on-no-artifact = deny */
	bool deny_registry;    /* on-registry-error = deny */
	bool allow_layouts;    /* allow-oci-layouts = true */
	char **tags;	       /* NULL-terminated or NULL: every set */
	char **plain_http;     /* registries (host[:port]) reached over HTTP */
	char *auth_file;
	char *ca_file;
	char *cache_dir;
	char *spec_dir;
	uint64_t cache_max_bytes;
	long fetch_timeout_ms;
	long tag_ttl;	      /* seconds */
	long no_artifact_ttl; /* seconds */
	long discovery_ttl;   /* seconds */
};

/* ----------------------------------------------------------------- cache */

enum cache_kind {
	CACHE_SPEC,    /* a spec's bytes */
	CACHE_NONE,    /* the image has no artifact */
	CACHE_TAG,     /* a tag's manifest digest */
	CACHE_NODE,    /* this node's features JSON */
	CACHE_VERDICT, /* "0\n" or "1\n", then the message */
};

struct cache_entry {
	enum cache_kind kind;
	int64_t time; /* when it was written, seconds since the epoch */
	char *data;   /* NUL-terminated */
	size_t len;
};

/*
 * Look up the entry for key (messages go to ctx's log) (any text: it is hashed into the file name).
 * -ENOENT on a miss or an unusable cache directory, other -errno for a
 * corrupt entry (which is removed).  The hit's mtime is refreshed (LRU).
 */
int nfd__cache_get(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *key,
		   struct cache_entry *ret);
/*
 * Store an entry atomically (temporary file + rename) and evict the least
 * recently used entries beyond cache-max-size.  Errors are logged and
 * returned; a check never fails because the cache could not be written.
 */
int nfd__cache_put(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *key,
		   enum cache_kind kind, const char *data, size_t len);
void nfd__cache_entry_done(struct cache_entry *e);
/* Seconds since the epoch (CLOCK_REALTIME). */
int64_t nfd__cache_now(void);

/* ------------------------------------------------------------ image refs */

/*
 * The registry options for a reference (plain HTTP when its registry is
 * listed, auth file, CA, timeout).  o borrows from p.
 */
void nfd__hook_oci_options(const struct nfd_hook_policy *p, const char *registry,
			   struct nfd_oci_options *o);
/*
 * Resolve an image reference to "name@sha256:..." (a tag through the cache
 * or the registry) and fetch or look up its spec (refresh: fetch even when
 * cached).  *ret_spec is NULL when the image has no artifact.  Returns 0, or -errno of the fetch
 * (message in the ctx); *ret_name is the digest reference, the caller's to free.
 */
int nfd__hook_get_spec(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *image,
		       bool refresh, char **ret_name, char **ret_spec, size_t *ret_len);
/* Append what identifies this node's discovery: boot id and root. */
void nfd__hook_node_key(struct nfd_ctx *ctx, struct strbuf *key);
/* This node's features for the spec's sources, through the cache. */
int nfd__hook_node_features(struct nfd_ctx *ctx, const struct nfd_hook_policy *p,
			    const struct nfd_spec *spec, struct nfd_features **ret);
