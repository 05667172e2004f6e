/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Manifests, indexes and descriptors, and the store-independent steps of a
 * fetch: resolving a reference to the platform manifest, listing referrers
 * (API, then the sha256-<hex> tag schema) and choosing the artifact.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shared/root-open.h"
#include "libnfd/oci/oci-internal.h"
#include "shared/rfc3339.h"
#include "shared/util.h"

void nfd__oci_blob_done(struct oci_blob *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

bool nfd__oci_media_is_index(const char *mt)
{
	return mt && (streq(mt, OCI_MEDIA_INDEX) || streq(mt, DOCKER_MEDIA_LIST));
}

bool nfd__oci_media_is_manifest(const char *mt)
{
	return mt && (streq(mt, OCI_MEDIA_MANIFEST) || streq(mt, DOCKER_MEDIA_MANIFEST));
}

int nfd__oci_json_parse(struct nfd_ctx *ctx, const char *what, const struct oci_blob *b,
			json_t **ret)
{
	json_error_t jerr;
	json_t *j;

	j = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j && nfd__jansson_unavailable())
		return nfd__error(ctx, ENOTSUP, "%s: cannot read JSON: %s", what,
				  nfd__jansson_unavailable());
	if (!j)
		return nfd__error(ctx, EBADMSG, "%s: invalid JSON at line %d column %d: %s", what,
				  jerr.line, jerr.column, jerr.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return nfd__error(ctx, EBADMSG, "%s: not a JSON object", what);
	}
	*ret = j;
	return 0;
}

int nfd__oci_desc_from_json(struct nfd_ctx *ctx, const char *what, json_t *j, struct oci_desc *ret)
{
	struct oci_desc d = {};
	json_t *size;

	if (!json_is_object(j))
		return nfd__error(ctx, EBADMSG, "%s: descriptor is not an object", what);
	d.media_type = json_string_value(json_object_get(j, "mediaType"));
	d.digest = json_string_value(json_object_get(j, "digest"));
	size = json_object_get(j, "size");
	d.artifact_type = json_string_value(json_object_get(j, "artifactType"));
	d.annotations = json_object_get(j, "annotations");
	if (!json_is_object(d.annotations))
		d.annotations = NULL;
	if (!d.digest || !nfd__oci_digest_valid(d.digest))
		return nfd__error(ctx, EBADMSG, "%s: descriptor has no valid sha256 digest", what);
	if (!json_is_integer(size) || json_integer_value(size) < 0)
		return nfd__error(ctx, EBADMSG, "%s: descriptor %s has no valid size", what,
				  d.digest);
	d.size = json_integer_value(size);
	*ret = d;
	return 0;
}

static const char *desc_created(json_t *desc)
{
	json_t *a = json_object_get(desc, "annotations");
	const char *c = json_string_value(json_object_get(a, OCI_ANNOT_CREATED));

	/* NFD's documentation spells the key "oci.opencontainers..." */
	if (!c)
		c = json_string_value(json_object_get(a, "oci.opencontainers.image.created"));
	return c;
}

int nfd__oci_choose_artifact(struct nfd_ctx *ctx, json_t *descs, const char *artifact_type)
{
	int best = -ENOENT;
	int64_t best_sec = INT64_MIN;
	long best_nsec = 0;
	const char *best_digest = NULL;
	size_t i, count = 0;
	json_t *d;

	json_array_foreach(descs, i, d)
	{
		const char *at = json_string_value(json_object_get(d, "artifactType"));
		const char *digest = json_string_value(json_object_get(d, "digest"));
		int64_t sec = INT64_MIN;
		long nsec = 0;
		const char *created;

		if (!at || !streq(at, artifact_type) || !nfd__oci_digest_valid(digest))
			continue;
		count++;
		created = desc_created(d);
		if (created && parse_rfc3339(created, &sec, &nsec) < 0) {
			nfd_info(ctx, "artifact %s: unparsable %s '%s'; counted as oldest", digest,
				 OCI_ANNOT_CREATED, created);
			sec = INT64_MIN;
			nsec = 0;
		}
		if (best < 0 || sec > best_sec || (sec == best_sec && nsec > best_nsec) ||
		    (sec == best_sec && nsec == best_nsec && strcmp(digest, best_digest) > 0)) {
			best = (int)i;
			best_sec = sec;
			best_nsec = nsec;
			best_digest = digest;
		}
	}
	if (best >= 0 && count > 1) {
		const char *created = desc_created(json_array_get(descs, (size_t)best));

		nfd_info(ctx, "%zu compatibility artifacts; using %s (created %s)", count,
			 best_digest, created ? created : "unknown");
	}
	return best;
}

int nfd__oci_list_referrers(struct oci_store *s, const char *digest, const char *artifact_type,
			    json_t **ret)
{
	struct nfd_ctx *ctx = s->ctx;
	json_t *list = NULL, *index = NULL;
	struct oci_blob b = {};
	_cleanup_free_ char *tag = NULL;
	bool complete = false;
	int r;

	r = s->ops->referrers(s, digest, artifact_type, &list, &complete);
	if (r == -EOPNOTSUPP) {
		nfd_dbg(ctx, "%s: no referrers API; using the tag schema", s->name);
		list = json_array();
		if (!list)
			return nfd__oom(ctx);
	} else if (r < 0) {
		return r;
	}
	if (complete) {
		*ret = list;
		return 0;
	}

	tag = nfd__oci_referrers_tag(digest);
	if (!tag) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = s->ops->get_manifest(s, tag, &b);
	if (r == -ENOENT) {
		nfd__error_clear(ctx);
		r = 0;
		*ret = TAKE_PTR(list);
		goto out;
	}
	if (r < 0)
		goto out;
	r = nfd__oci_json_parse(ctx, tag, &b, &index);
	if (r < 0 || !json_is_array(json_object_get(index, "manifests"))) {
		/* the spec: a tag that is not an index means no referrers */
		nfd_info(ctx, "%s: referrers tag %s is not an image index; ignored", s->name, tag);
		nfd__error_clear(ctx);
		r = 0;
		*ret = TAKE_PTR(list);
		goto out;
	}
	{
		size_t i;
		json_t *d;

		json_array_foreach(json_object_get(index, "manifests"), i, d)
		{
			const char *dg = json_string_value(json_object_get(d, "digest"));
			bool dup = false;
			size_t k;
			json_t *e;

			if (i >= OCI_MAX_REFERRERS)
				break;
			json_array_foreach(
				list, k,
				e) if (dg &&
				       streq(dg, json_string_value(json_object_get(e, "digest"))
							 ?: "")) dup = true;
			if (!dup && json_array_append(list, d) < 0) {
				r = nfd__oom(ctx);
				goto out;
			}
		}
	}
	*ret = TAKE_PTR(list);
	r = 0;
out:
	json_decref(list);
	json_decref(index);
	nfd__oci_blob_done(&b);
	return r;
}

static json_t *desc_new(const char *media_type, const char *digest, size_t size)
{
	return json_pack("{s:s, s:s, s:I}", "mediaType", media_type, "digest", digest, "size",
			 (json_int_t)size);
}

/* The config of a single-platform manifest, for checking an explicit platform. */
static int check_manifest_platform(struct oci_store *s, json_t *manifest,
				   const struct oci_platform *want)
{
	struct nfd_ctx *ctx = s->ctx;
	struct oci_desc cfg;
	struct oci_blob b = {};
	json_t *config = NULL;
	char pbuf[160];
	int r;

	r = nfd__oci_desc_from_json(ctx, "manifest config", json_object_get(manifest, "config"),
				    &cfg);
	if (r < 0)
		return r;
	if (!cfg.media_type || (!streq(cfg.media_type, OCI_MEDIA_CONFIG) &&
				!streq(cfg.media_type, DOCKER_MEDIA_CONFIG)))
		return nfd__error(ctx, ENOENT,
				  "%s: the image is not a container image (config %s); cannot "
				  "check platform %s",
				  s->name, cfg.media_type ?: "untyped",
				  nfd__oci_platform_str(want, pbuf, sizeof(pbuf)));
	r = s->ops->get_blob(s, cfg.digest, OCI_MAX_MANIFEST_SIZE, &b);
	if (r < 0)
		return r;
	r = nfd__oci_json_parse(ctx, "image config", &b, &config);
	nfd__oci_blob_done(&b);
	if (r < 0)
		return r;
	if (!nfd__oci_platform_match(want, config))
		r = nfd__error(ctx, ENOENT, "%s: the image's platform does not match %s", s->name,
			       nfd__oci_platform_str(want, pbuf, sizeof(pbuf)));
	json_decref(config);
	return r;
}

int nfd__oci_resolve(struct oci_store *s, const char *platform, bool explicit_platform,
		     char subject_digest[OCI_DIGEST_MAX], json_t **ret_subject_desc,
		     char index_digest[OCI_DIGEST_MAX], json_t **ret_index_desc)
{
	struct nfd_ctx *ctx = s->ctx;
	struct oci_platform want;
	struct oci_blob top = {}, sub = {};
	json_t *topj = NULL, *subj = NULL, *chosen = NULL;
	json_t *sdesc = NULL, *idesc = NULL;
	const char *mt;
	char pbuf[160];
	int r;

	if (platform)
		r = nfd__oci_platform_parse(ctx, platform, &want);
	else
		nfd__oci_platform_host(&want), r = 0;
	if (r < 0)
		return r;

	r = s->ops->get_manifest(s, s->ref, &top);
	if (r < 0)
		goto out;
	r = nfd__oci_json_parse(ctx, s->name, &top, &topj);
	if (r < 0)
		goto out;
	mt = top.media_type[0] ? top.media_type
			       : json_string_value(json_object_get(topj, "mediaType"));
	if (!mt && json_is_array(json_object_get(topj, "manifests")))
		mt = OCI_MEDIA_INDEX;
	if (!mt && json_is_array(json_object_get(topj, "layers")))
		mt = OCI_MEDIA_MANIFEST;

	if (nfd__oci_media_is_manifest(mt)) {
		if (explicit_platform) {
			r = check_manifest_platform(s, topj, &want);
			if (r < 0)
				goto out;
		}
		sdesc = desc_new(mt, top.digest, top.len);
		if (!sdesc) {
			r = nfd__oom(ctx);
			goto out;
		}
		memcpy(subject_digest, top.digest, OCI_DIGEST_MAX);
		index_digest[0] = '\0';
		*ret_subject_desc = TAKE_PTR(sdesc);
		*ret_index_desc = NULL;
		r = 0;
		goto out;
	}
	if (!nfd__oci_media_is_index(mt)) {
		r = nfd__error(ctx, EPROTO, "%s: unsupported manifest type '%s'", s->name,
			       mt ?: "(none)");
		goto out;
	}

	{
		size_t i;
		json_t *e;

		json_array_foreach(json_object_get(topj, "manifests"), i, e)
		{
			if (nfd__oci_platform_match(&want, json_object_get(e, "platform"))) {
				chosen = e;
				break;
			}
		}
	}
	if (!chosen) {
		r = nfd__error(ctx, ENOENT, "%s: no manifest for platform %s in the image index",
			       s->name, nfd__oci_platform_str(&want, pbuf, sizeof(pbuf)));
		goto out;
	}
	{
		struct oci_desc d;

		r = nfd__oci_desc_from_json(ctx, s->name, chosen, &d);
		if (r < 0)
			goto out;
		if (d.size > (json_int_t)OCI_MAX_MANIFEST_SIZE) {
			char words[200];

			r = nfd__error(
				ctx, E2BIG, "%s: platform manifest %s: %s", s->name, d.digest,
				format_too_big(words, sizeof(words), (unsigned long long)d.size,
					       OCI_MAX_MANIFEST_SIZE, "manifests"));
			goto out;
		}
		/* fetch it: proves it exists and gives the verified size and type */
		r = s->ops->get_manifest(s, d.digest, &sub);
		if (r < 0)
			goto out;
		r = nfd__oci_json_parse(ctx, d.digest, &sub, &subj);
		if (r < 0)
			goto out;
		nfd_dbg(ctx, "%s: platform %s is %s", s->name,
			nfd__oci_platform_str(&want, pbuf, sizeof(pbuf)), d.digest);
		sdesc = desc_new(sub.media_type[0] ? sub.media_type : d.media_type ?: OCI_MEDIA_MANIFEST,
				 d.digest, sub.len);
		idesc = desc_new(mt, top.digest, top.len);
		if (!sdesc || !idesc) {
			r = nfd__oom(ctx);
			goto out;
		}
		snprintf(subject_digest, OCI_DIGEST_MAX, "%s", d.digest);
		memcpy(index_digest, top.digest, OCI_DIGEST_MAX);
		*ret_subject_desc = TAKE_PTR(sdesc);
		*ret_index_desc = TAKE_PTR(idesc);
	}
	r = 0;
out:
	json_decref(sdesc);
	json_decref(idesc);
	json_decref(topj);
	json_decref(subj);
	nfd__oci_blob_done(&top);
	nfd__oci_blob_done(&sub);
	return r;
}
