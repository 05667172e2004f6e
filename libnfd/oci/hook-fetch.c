/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the container-start check reads through its cache: a tag's manifest
 * digest, the spec attached to a digest (or the fact that there is none),
 * and this node's features.  The network is touched only when the cache
 * cannot answer; a stale entry answers when the registry cannot.  See
 * doc/oci-hook.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/oci/hook-internal.h"
#include "shared/strbuf.h"
#include "shared/util.h"

void nfd__hook_oci_options(const struct nfd_hook_policy *p, const char *registry,
			   struct nfd_oci_options *o)
{
	nfd_oci_options_init(o, NFD_OCI_OPTIONS_VERSION);
	o->auth_file = p->auth_file;
	o->ca_file = p->ca_file;
	o->timeout_ms = p->fetch_timeout_ms;
	for (char **s = p->plain_http; registry && s && *s; s++)
		if (streq(*s, registry) || streq(*s, "*"))
			o->plain_http = 1;
}

/* An image reference split into "name" (registry/repository or oci:PATH),
 * tag and digest, with the registry for the options. */
struct hook_ref {
	char *name;
	char *tag;
	char *digest;
	char *registry; /* NULL for a layout */
};

static void hook_ref_done(struct hook_ref *h)
{
	free(h->name);
	free(h->tag);
	free(h->digest);
	free(h->registry);
}

static int hook_ref_parse(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *image,
			  struct hook_ref *ret)
{
	struct hook_ref h = {};
	int r;

	if (nfd__oci_ref_is_layout(image)) {
		struct oci_layout_ref l = {};

		if (!p->allow_layouts)
			return nfd__error(ctx, EPERM,
					  "'%s': OCI layouts are not allowed by the policy "
					  "(allow-oci-layouts)",
					  image);
		r = nfd__oci_layout_ref_parse(ctx, image, &l);
		if (r < 0)
			return r;
		if (asprintf(&h.name, "oci:%s", l.path) < 0)
			h.name = NULL;
		h.tag = TAKE_PTR(l.tag);
		h.digest = TAKE_PTR(l.digest);
		nfd__oci_layout_ref_done(&l);
	} else {
		struct oci_ref o = {};

		r = nfd__oci_ref_parse(ctx, image, &o);
		if (r < 0)
			return r;
		if (asprintf(&h.name, "%s/%s", o.registry, o.repository) < 0)
			h.name = NULL;
		h.tag = TAKE_PTR(o.tag);
		h.digest = TAKE_PTR(o.digest);
		h.registry = TAKE_PTR(o.registry);
		nfd__oci_ref_done(&o);
	}
	if (!h.name) {
		hook_ref_done(&h);
		return nfd__oom(ctx);
	}
	*ret = h;
	return 0;
}

/* Ask the registry (or layout) which manifest the tag names now. */
static int resolve_tag(struct nfd_ctx *ctx, const struct nfd_hook_policy *p,
		       const struct hook_ref *h, char digest[OCI_DIGEST_MAX])
{
	_cleanup_free_ char *ref = NULL;
	struct nfd_oci_options o;
	struct oci_store *s = NULL;
	struct oci_blob m = {};
	int r;

	if (asprintf(&ref, "%s:%s", h->name, h->tag) < 0)
		return nfd__oom(ctx);
	nfd__hook_oci_options(p, h->registry, &o);
	r = nfd__oci_store_open(ctx, ref, &o, false, &s);
	if (r < 0)
		return r;
	r = s->ops->get_manifest(s, s->ref, &m);
	if (r == 0)
		memcpy(digest, m.digest, OCI_DIGEST_MAX);
	nfd__oci_blob_done(&m);
	nfd__oci_store_free(s);
	return r;
}

/* The manifest digest of the reference: given, cached (fresh), resolved,
 * or cached (stale) when the registry cannot answer. */
static int ref_digest(struct nfd_ctx *ctx, const struct nfd_hook_policy *p,
		      const struct hook_ref *h, bool refresh, char digest[OCI_DIGEST_MAX])
{
	_cleanup_free_ char *key = NULL;
	struct cache_entry e = {};
	bool have;
	int r;

	if (h->digest) {
		snprintf(digest, OCI_DIGEST_MAX, "%s", h->digest);
		return 0;
	}
	if (asprintf(&key, "tag\n%s:%s", h->name, h->tag) < 0)
		return nfd__oom(ctx);
	have = nfd__cache_get(ctx, p, key, &e) == 0 && e.kind == CACHE_TAG &&
	       nfd__oci_digest_valid(e.data);
	if (have && !refresh && nfd__cache_now() - e.time < p->tag_ttl) {
		snprintf(digest, OCI_DIGEST_MAX, "%s", e.data);
		nfd__cache_entry_done(&e);
		return 0;
	}
	r = resolve_tag(ctx, p, h, digest);
	if (r == 0)
		nfd__cache_put(ctx, p, key, CACHE_TAG, digest, strlen(digest));
	else if (have && r != -ENOENT) {
		nfd_warn(ctx, "%s:%s: %s; using the digest cached %" PRId64 " s ago", h->name,
			 h->tag, nfd_ctx_last_error(ctx), nfd__cache_now() - e.time);
		snprintf(digest, OCI_DIGEST_MAX, "%s", e.data);
		r = 0;
	}
	nfd__cache_entry_done(&e);
	return r;
}

int nfd__hook_get_spec(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *image,
		       bool refresh, char **ret_name, char **ret_spec, size_t *ret_len)
{
	_cleanup_free_ char *name = NULL, *key = NULL;
	struct nfd_oci_artifact *a = NULL;
	struct hook_ref h = {};
	struct cache_entry e = {};
	struct nfd_oci_options o;
	char digest[OCI_DIGEST_MAX];
	bool have = false;
	size_t len = 0;
	int r;

	r = hook_ref_parse(ctx, p, image, &h);
	if (r < 0)
		return r;
	r = ref_digest(ctx, p, &h, refresh, digest);
	if (r < 0)
		goto out;
	if (asprintf(&name, "%s@%s", h.name, digest) < 0 || asprintf(&key, "spec\n%s", name) < 0) {
		r = nfd__oom(ctx);
		goto out;
	}
	if (nfd__cache_get(ctx, p, key, &e) == 0 &&
	    (e.kind == CACHE_SPEC || e.kind == CACHE_NONE)) {
		have = true;
		/* with refresh, the entry only answers when the registry cannot */
		if (!refresh &&
		    (e.kind == CACHE_SPEC ||
		     (e.kind == CACHE_NONE && nfd__cache_now() - e.time < p->no_artifact_ttl)))
			goto answer;
	}

	/* a miss, or "no artifact" that is old enough to ask again */
	nfd__hook_oci_options(p, h.registry, &o);
	r = nfd_oci_fetch(ctx, name, &o, &a);
	if (r == 0) {
		const char *data = nfd_oci_artifact_get_data(a, &len);

		nfd__cache_put(ctx, p, key, CACHE_SPEC, data, len);
		*ret_spec = memdup_str(data, len);
		if (!*ret_spec) {
			r = nfd__oom(ctx);
			goto out;
		}
		*ret_len = len;
	} else if (r == -NFD_OCI_ENOARTIFACT) {
		/* the image exists and nothing is attached to it: the policy's
		 * on-no-artifact answer, remembered for no-artifact-ttl */
		nfd_info(ctx, "%s", nfd_ctx_last_error(ctx));
		nfd__cache_put(ctx, p, key, CACHE_NONE, "", 0);
		*ret_spec = NULL;
		*ret_len = 0;
	} else if (have) {
		nfd_warn(ctx, "%s: %s; using what was cached %" PRId64 " s ago", name,
			 nfd_ctx_last_error(ctx), nfd__cache_now() - e.time);
		goto answer;
	} else
		goto out; /* -ENOENT (image gone) included: a fetch error */
	*ret_name = TAKE_PTR(name);
	r = 0;
	goto out;
answer:
	*ret_spec = e.kind == CACHE_SPEC ? TAKE_PTR(e.data) : NULL;
	*ret_len = e.kind == CACHE_SPEC ? e.len : 0;
	*ret_name = TAKE_PTR(name);
	r = 0;
out:
	nfd_oci_artifact_unref(a);
	nfd__cache_entry_done(&e);
	hook_ref_done(&h);
	return r;
}

void nfd__hook_node_key(struct nfd_ctx *ctx, struct strbuf *key)
{
	char boot_id[64] = "";

	/* a reboot can change everything (kernel, modules, devices) */
	read_small_file("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	strbuf_appendf(key, "%s\n%s\n", boot_id, nfd_ctx_get_root(ctx));
}

int nfd__hook_node_features(struct nfd_ctx *ctx, const struct nfd_hook_policy *p,
			    const struct nfd_spec *spec, struct nfd_features **ret)
{
	_cleanup_strbuf_ struct strbuf key = STRBUF_INIT;
	_cleanup_free_ char *json = NULL;
	struct nfd_iter *it = NULL;
	struct cache_entry e = {};
	struct nfd_features *f = NULL;
	const char *src;
	int r;

	strbuf_puts(&key, "node\n");
	nfd__hook_node_key(ctx, &key);
	r = nfd_spec_iter_sources(spec, &it);
	if (r < 0)
		return r;
	while (nfd_iter_next(it, &src, NULL) > 0)
		strbuf_appendf(&key, "%s,", src);
	nfd_iter_free(it);
	if (!strbuf_str(&key))
		return nfd__oom(ctx);

	if (nfd__cache_get(ctx, p, strbuf_str(&key), &e) == 0) {
		if (e.kind == CACHE_NODE && nfd__cache_now() - e.time < p->discovery_ttl &&
		    nfd_features_parse_json(ctx, e.data, e.len, &f) == 0) {
			nfd__cache_entry_done(&e);
			*ret = f;
			return 0;
		}
		nfd__cache_entry_done(&e);
	}
	r = nfd_discover_for_spec(ctx, spec, &f);
	if (r < 0)
		return r;
	r = nfd_features_to_json(f, NFD_JSON_COMPACT, &json);
	if (r >= 0)
		nfd__cache_put(ctx, p, strbuf_str(&key), CACHE_NODE, json, (size_t)r);
	*ret = f;
	return 0;
}
