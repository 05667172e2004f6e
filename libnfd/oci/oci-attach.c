/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attaching a spec to an image as a referrer artifact (what `oras attach
 * --artifact-type application/vnd.nfd.image-compatibility.v1alpha1` does),
 * into a registry or an OCI layout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libnfd/oci/oci-internal.h"

/* The subject: the named manifest or index, or with a platform its entry. */
static int attach_subject(struct oci_store *s, const char *platform, json_t **ret)
{
	char subject[OCI_DIGEST_MAX], index[OCI_DIGEST_MAX];
	struct oci_blob b = {};
	json_t *j = NULL, *idesc = NULL;
	const char *mt;
	int r;

	if (platform) {
		r = nfd__oci_resolve(s, platform, true, subject, ret, index, &idesc);
		json_decref(idesc);
		return r;
	}
	r = s->ops->get_manifest(s, s->ref, &b);
	if (r < 0)
		return r;
	r = nfd__oci_json_parse(s->ctx, s->name, &b, &j);
	if (r < 0)
		goto out;
	mt = b.media_type[0] ? b.media_type : json_string_value(json_object_get(j, "mediaType"));
	if (!nfd__oci_media_is_manifest(mt) && !nfd__oci_media_is_index(mt)) {
		r = nfd__error(s->ctx, EPROTO, "%s: cannot attach to a '%s'", s->name,
			       mt ?: "manifest without media type");
		goto out;
	}
	*ret = json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", b.digest, "size",
			 (json_int_t)b.len);
	r = *ret ? 0 : nfd__oom(s->ctx);
out:
	json_decref(j);
	nfd__oci_blob_done(&b);
	return r;
}

static void now_rfc3339(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* nanoseconds so that two attaches in one second still order */
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

int nfd__oci_read_tag_index(struct oci_store *s, const char *subject, char **ret_tag,
			    struct oci_blob *ret)
{
	_cleanup_free_ char *tag = nfd__oci_referrers_tag(subject);
	int r;

	if (!tag)
		return nfd__oom(s->ctx);
	r = s->ops->get_manifest(s, tag, ret);
	if (r == -ENOENT) {
		nfd__error_clear(s->ctx);
		*ret_tag = TAKE_PTR(tag);
		return 0;
	}
	if (r < 0)
		return r;
	*ret_tag = TAKE_PTR(tag);
	return 1;
}

int nfd__oci_write_tag_index(struct oci_store *s, const char *tag, json_t *index,
			     const struct oci_blob *old)
{
	struct nfd_ctx *ctx = s->ctx;
	_cleanup_free_ char *out = json_dumps(index, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char digest[OCI_DIGEST_MAX];
	bool indexed;
	int r;

	if (!out)
		return nfd__oom(ctx);
	r = nfd__oci_sha256_digest(out, strlen(out), digest);
	if (r < 0)
		return r;
	r = s->ops->put_manifest(s, tag, OCI_MEDIA_INDEX, out, strlen(out), &indexed);
	if (r < 0)
		return r;
	nfd_dbg(ctx, "%s: referrers index %s is now %s", s->name, tag, digest);
	/* the old index is garbage now; failing to delete it is harmless */
	if (old && s->ops->delete_manifest && !streq(old->digest, digest) &&
	    s->ops->delete_manifest(s, old->digest) < 0) {
		nfd_dbg(ctx, "%s: could not delete the old referrers index %s: %s", s->name,
			old->digest, nfd_ctx_last_error(ctx));
		nfd__error_clear(ctx);
	}
	return 0;
}

/* Read-modify-write of the sha256-<hex> referrers index. */
static int update_tag_schema(struct oci_store *s, const char *subject, json_t *entry)
{
	struct nfd_ctx *ctx = s->ctx;
	_cleanup_free_ char *tag = NULL;
	struct oci_blob old = {};
	json_t *index = NULL, *manifests;
	const char *digest = json_string_value(json_object_get(entry, "digest"));
	bool had_old = false;
	size_t i;
	json_t *e;
	int r;

	r = nfd__oci_read_tag_index(s, subject, &tag, &old);
	if (r == 0) {
		index = json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType",
				  OCI_MEDIA_INDEX, "manifests");
		if (!index)
			return nfd__oom(ctx);
	} else if (r < 0) {
		return r;
	} else {
		had_old = true;
		r = nfd__oci_json_parse(ctx, tag, &old, &index);
		if (r < 0)
			goto out;
		if (!json_is_array(json_object_get(index, "manifests"))) {
			r = nfd__error(ctx, EPROTO,
				       "%s: tag %s exists and is not an image index; "
				       "not overwriting it",
				       s->name, tag);
			goto out;
		}
	}
	manifests = json_object_get(index, "manifests");
	json_array_foreach(
		manifests, i,
		e) if (streq(json_string_value(json_object_get(e, "digest")) ?: "", digest))
	{
		nfd_dbg(ctx, "%s: %s already listed in %s", s->name, digest, tag);
		r = 0;
		goto out;
	}
	if (json_array_size(manifests) >= OCI_MAX_REFERRERS) {
		r = nfd__error(ctx, E2BIG, "%s: referrers index %s is full", s->name, tag);
		goto out;
	}
	if (json_array_append(manifests, entry) < 0) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = nfd__oci_write_tag_index(s, tag, index, had_old ? &old : NULL);
out:
	json_decref(index);
	nfd__oci_blob_done(&old);
	return r;
}

static int attach(struct oci_store *s, const char *platform, const char *buf, size_t len,
		  char **ret_digest)
{
	struct nfd_ctx *ctx = s->ctx;
	json_t *subject = NULL, *manifest = NULL, *entry = NULL;
	_cleanup_free_ char *mbuf = NULL;
	char layer_digest[OCI_DIGEST_MAX], mdigest[OCI_DIGEST_MAX], created[48];
	const char *sdigest;
	bool indexed = false;
	int r;

	r = attach_subject(s, platform, &subject);
	if (r < 0)
		return r;
	sdigest = json_string_value(json_object_get(subject, "digest"));

	r = nfd__oci_sha256_digest(buf, len, layer_digest);
	if (r < 0)
		goto out;
	r = s->ops->put_blob(s, OCI_EMPTY_DIGEST, "{}", 2);
	if (r < 0)
		goto out;
	r = s->ops->put_blob(s, layer_digest, buf, len);
	if (r < 0)
		goto out;

	now_rfc3339(created, sizeof(created));
	manifest =
		json_pack("{s:i, s:s, s:s, s:{s:s, s:s, s:i, s:s}, s:[{s:s, s:s, s:I}], "
			  "s:O, s:{s:s}}",
			  "schemaVersion", 2, "mediaType", OCI_MEDIA_MANIFEST, "artifactType",
			  NFD_SPEC_ARTIFACT_TYPE, "config", "mediaType", OCI_MEDIA_EMPTY, "digest",
			  OCI_EMPTY_DIGEST, "size", 2, "data", "e30=", "layers", "mediaType",
			  NFD_SPEC_MEDIA_TYPE, "digest", layer_digest, "size", (json_int_t)len,
			  "subject", subject, "annotations", OCI_ANNOT_CREATED, created);
	if (!manifest) {
		r = nfd__oom(ctx);
		goto out;
	}
	mbuf = json_dumps(manifest, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!mbuf) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = nfd__oci_sha256_digest(mbuf, strlen(mbuf), mdigest);
	if (r < 0)
		goto out;
	r = s->ops->put_manifest(s, mdigest, OCI_MEDIA_MANIFEST, mbuf, strlen(mbuf), &indexed);
	if (r < 0)
		goto out;
	nfd_info(ctx, "%s: attached %s to %s", s->name, mdigest, sdigest);

	if (!indexed) {
		entry = json_pack("{s:s, s:s, s:I, s:s, s:{s:s}}", "mediaType", OCI_MEDIA_MANIFEST,
				  "digest", mdigest, "size", (json_int_t)strlen(mbuf),
				  "artifactType", NFD_SPEC_ARTIFACT_TYPE, "annotations",
				  OCI_ANNOT_CREATED, created);
		if (!entry) {
			r = nfd__oom(ctx);
			goto out;
		}
		r = update_tag_schema(s, sdigest, entry);
		if (r < 0)
			goto out;
	}
	if (ret_digest) {
		*ret_digest = strdup(mdigest);
		if (!*ret_digest) {
			r = nfd__oom(ctx);
			goto out;
		}
	}
	r = 0;
out:
	json_decref(subject);
	json_decref(manifest);
	json_decref(entry);
	return r;
}

NFD_EXPORT int nfd_oci_attach_spec(struct nfd_ctx *ctx, const char *image_ref, const char *buf,
				   size_t len, const struct nfd_oci_options *o, char **ret_digest)
{
	struct nfd_oci_options opts;
	struct nfd_spec *spec = NULL;
	struct oci_store *s = NULL;
	size_t max;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(image_ref, -EINVAL);
	assert_return(buf || len == 0, -EINVAL);
	r = nfd__oci_options_get(ctx, o, &opts);
	if (r < 0)
		return r;
	o = &opts;
	r = nfd__oci_check_cancel(ctx, o);
	if (r < 0)
		return r;
	max = o->max_spec_size ? o->max_spec_size : OCI_DEFAULT_MAX_SPEC_SIZE;
	if (len > max)
		return nfd__error_too_big(ctx, "spec", len, max, "spec blobs (--max-spec-size)");

	/* never push something validate-node would reject */
	r = nfd_spec_parse(ctx, buf, len, NULL, &spec);
	if (r < 0)
		return r;
	nfd_spec_unref(spec);

	r = nfd__oci_store_open(ctx, image_ref, o, true, &s);
	if (r < 0)
		return r;
	r = attach(s, o->platform, buf, len, ret_digest);
	nfd__oci_store_free(s);
	return r;
}
