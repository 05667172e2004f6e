/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public OCI entry points: options, and fetching the compatibility spec
 * of an image from a registry or an OCI layout.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/root-open.h"
#include "libnfd/oci/oci-internal.h"

/* The size of each options version, for callers built against older ones. */
static size_t options_size(unsigned int version)
{
	switch (version) {
	case 1:
		return offsetof(struct nfd_oci_options, artifact_digest);
	case 2:
		return sizeof(struct nfd_oci_options);
	default:
		return 0;
	}
}

NFD_EXPORT int nfd_oci_options_init(struct nfd_oci_options *o, unsigned int version)
{
	size_t size = options_size(version);

	assert_return(o, -EINVAL);
	assert_return(size > 0, -EINVAL);
	/* a version 1 caller's struct is only that big */
	memset(o, 0, size);
	o->version = version;
	return 0;
}

int nfd__oci_options_get(struct nfd_ctx *ctx, const struct nfd_oci_options *o,
			 struct nfd_oci_options *ret)
{
	size_t size;

	memset(ret, 0, sizeof(*ret));
	ret->version = NFD_OCI_OPTIONS_VERSION;
	if (!o)
		return 0;
	size = options_size(o->version);
	if (!size)
		return nfd__error(ctx, EINVAL, "unknown nfd_oci_options version %u", o->version);
	memcpy(ret, o, size);
	ret->version = NFD_OCI_OPTIONS_VERSION;
	return 0;
}

int nfd__oci_check_cancel(struct nfd_ctx *ctx, const struct nfd_oci_options *o)
{
	if (o->progress && o->progress(o->userdata, 0, 0) != 0)
		return nfd__error(ctx, ECANCELED, "cancelled");
	return 0;
}

NFD_EXPORT int nfd_oci_has_registry(void)
{
	return HAVE_LIBSSL ? 1 : 0;
}

int nfd__oci_store_open(struct nfd_ctx *ctx, const char *image_ref, const struct nfd_oci_options *o,
			bool push, struct oci_store **ret)
{
	if (nfd__oci_ref_is_layout(image_ref))
		return nfd__oci_layout_open(ctx, image_ref, push, ret);
	return nfd__oci_remote_open(ctx, image_ref, o, push, ret);
}

void nfd__oci_store_free(struct oci_store *s)
{
	if (s)
		s->ops->free(s);
}

/* Pick the spec layer of an artifact manifest and check its descriptor. */
static int spec_layer(struct nfd_ctx *ctx, const char *artifact, json_t *manifest, size_t max,
		      struct oci_desc *ret)
{
	json_t *layers = json_object_get(manifest, "layers");
	const char *at = json_string_value(json_object_get(manifest, "artifactType"));
	const char *first_mt = NULL;
	size_t i;
	json_t *l;
	int r;

	if (at && !streq(at, NFD_SPEC_ARTIFACT_TYPE))
		/* the referrers entry said otherwise; the manifest is the truth */
		return nfd__error(ctx, EPROTO, "artifact %s has artifactType '%s', not '%s'",
				  artifact, at, NFD_SPEC_ARTIFACT_TYPE);
	if (!json_is_array(layers) || json_array_size(layers) == 0)
		return nfd__error(ctx, EBADMSG, "artifact %s has no layers", artifact);

	/*
	 * NFD takes layers[0] whatever its type.  We take the first layer of
	 * the spec media type and refuse an artifact without one: a layer of
	 * another type (a tarball, a signature) is not a spec, and feeding it
	 * to the YAML parser would only produce a confusing error.
	 */
	json_array_foreach(layers, i, l)
	{
		const char *mt = json_string_value(json_object_get(l, "mediaType"));

		if (i == 0)
			first_mt = mt;
		if (!mt || !streq(mt, NFD_SPEC_MEDIA_TYPE))
			continue;
		r = nfd__oci_desc_from_json(ctx, artifact, l, ret);
		if (r < 0)
			return r;
		if (i > 0)
			nfd_info(ctx, "artifact %s: using layer %zu, the first of type %s",
				 artifact, i, NFD_SPEC_MEDIA_TYPE);
		if ((size_t)ret->size > max) {
			char words[200];

			return nfd__error(ctx, E2BIG, "artifact %s: spec layer: %s", artifact,
					  format_too_big(words, sizeof(words),
							 (unsigned long long)ret->size, max,
							 "spec blobs (--max-spec-size)"));
		}
		return 0;
	}
	return nfd__error(ctx, EPROTO,
			  "artifact %s has no layer of media type %s (layers[0] is %s)", artifact,
			  NFD_SPEC_MEDIA_TYPE, first_mt ?: "untyped");
}

static int fetch_artifact(struct oci_store *s, const char *digest, size_t max, char **ret_buf,
			  size_t *ret_len, char ret_spec_digest[OCI_DIGEST_MAX], char **ret_created)
{
	struct nfd_ctx *ctx = s->ctx;
	struct oci_blob m = {}, spec = {};
	json_t *mj = NULL;
	struct oci_desc layer;
	int r;

	r = s->ops->get_manifest(s, digest, &m);
	if (r < 0)
		goto out;
	r = nfd__oci_json_parse(ctx, digest, &m, &mj);
	if (r < 0)
		goto out;
	r = spec_layer(ctx, digest, mj, max, &layer);
	if (r < 0)
		goto out;
	r = s->ops->get_blob(s, layer.digest, max, &spec);
	if (r < 0)
		goto out;
	if ((json_int_t)spec.len != layer.size) {
		r = nfd__error(ctx, EBADMSG, "spec layer %s: %zu bytes, the manifest says %lld",
			       layer.digest, spec.len, (long long)layer.size);
		goto out;
	}
	{
		const char *created = json_string_value(
			json_object_get(json_object_get(mj, "annotations"), OCI_ANNOT_CREATED));

		*ret_created = NULL;
		if (created && !(*ret_created = strdup(created))) {
			r = nfd__oom(ctx);
			goto out;
		}
	}
	snprintf(ret_spec_digest, OCI_DIGEST_MAX, "%s", layer.digest);
	*ret_len = spec.len;
	*ret_buf = TAKE_PTR(spec.data);
	r = 0;
out:
	json_decref(mj);
	nfd__oci_blob_done(&m);
	nfd__oci_blob_done(&spec);
	return r;
}

struct nfd_oci_artifact {
	int refcount;
	char image_digest[OCI_DIGEST_MAX];
	char index_digest[OCI_DIGEST_MAX];
	char subject_digest[OCI_DIGEST_MAX];
	char digest[OCI_DIGEST_MAX];
	char spec_digest[OCI_DIGEST_MAX];
	char *created;
	char *data;
	size_t len;
};

/* Index of the descriptor with this digest and the artifact type, or -1. */
static int find_digest(json_t *descs, const char *digest)
{
	size_t i;
	json_t *d;

	json_array_foreach(descs, i, d)
	{
		const char *at = json_string_value(json_object_get(d, "artifactType"));

		if (streq(json_string_value(json_object_get(d, "digest")) ?: "", digest) &&
		    (!at || streq(at, NFD_SPEC_ARTIFACT_TYPE)))
			return (int)i;
	}
	return -1;
}

int nfd__oci_find_artifact(struct oci_store *s, const struct nfd_oci_options *o, const char *want,
			   char image[OCI_DIGEST_MAX], char index[OCI_DIGEST_MAX],
			   char subject[OCI_DIGEST_MAX], char artifact[OCI_DIGEST_MAX])
{
	struct nfd_ctx *ctx = s->ctx;
	json_t *sdesc = NULL, *idesc = NULL, *refs = NULL;
	const char *which;
	int r, k;

	r = nfd__oci_resolve(s, o->platform, o->platform != NULL, image, &sdesc, index, &idesc);
	if (r < 0)
		goto out;

	/* the platform manifest first (oras attach --platform), then the index */
	which = image;
	r = nfd__oci_list_referrers(s, image, NFD_SPEC_ARTIFACT_TYPE, &refs);
	if (r < 0)
		goto out;
	k = want ? find_digest(refs, want)
		 : nfd__oci_choose_artifact(ctx, refs, NFD_SPEC_ARTIFACT_TYPE);
	if (k < 0 && index[0]) {
		json_decref(refs);
		refs = NULL;
		which = index;
		r = nfd__oci_check_cancel(ctx, o);
		if (r >= 0)
			r = nfd__oci_list_referrers(s, index, NFD_SPEC_ARTIFACT_TYPE, &refs);
		if (r < 0)
			goto out;
		k = want ? find_digest(refs, want)
			 : nfd__oci_choose_artifact(ctx, refs, NFD_SPEC_ARTIFACT_TYPE);
	}
	if (k < 0 && want) {
		r = nfd__error(ctx, NFD_OCI_ENOARTIFACT,
			       "%s: %s is not a compatibility artifact of %s%s%s", s->name, want,
			       image, index[0] ? " or its index " : "", index);
		goto out;
	}
	if (k < 0) {
		r = nfd__error(ctx, NFD_OCI_ENOARTIFACT,
			       "%s: no compatibility artifact attached (no referrer of "
			       "type %s for %s%s%s)",
			       s->name, NFD_SPEC_ARTIFACT_TYPE, image,
			       index[0] ? " or its index " : "", index);
		goto out;
	}
	snprintf(subject, OCI_DIGEST_MAX, "%s", which);
	snprintf(artifact, OCI_DIGEST_MAX, "%s",
		 json_string_value(json_object_get(json_array_get(refs, (size_t)k), "digest"))
			 ?: "");
	r = 0;
out:
	json_decref(refs);
	json_decref(sdesc);
	json_decref(idesc);
	return r;
}

NFD_EXPORT int nfd_oci_fetch(struct nfd_ctx *ctx, const char *image_ref,
			     const struct nfd_oci_options *o, struct nfd_oci_artifact **ret)
{
	struct nfd_oci_options opts;
	struct oci_store *s = NULL;
	struct nfd_oci_artifact *a = NULL;
	size_t max;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(image_ref, -EINVAL);
	assert_return(ret, -EINVAL);
	r = nfd__oci_options_get(ctx, o, &opts);
	if (r < 0)
		return r;
	if (opts.artifact_digest && !nfd__oci_digest_valid(opts.artifact_digest))
		return nfd__error(ctx, EINVAL, "'%s' is not a sha256 digest", opts.artifact_digest);
	max = opts.max_spec_size ? opts.max_spec_size : OCI_DEFAULT_MAX_SPEC_SIZE;
	r = nfd__oci_check_cancel(ctx, &opts);
	if (r < 0)
		return r;
	a = calloc(1, sizeof(*a));
	if (!a)
		return nfd__oom(ctx);
	a->refcount = 1;

	r = nfd__oci_store_open(ctx, image_ref, &opts, false, &s);
	if (r < 0)
		goto out;
	r = nfd__oci_find_artifact(s, &opts, opts.artifact_digest, a->image_digest, a->index_digest,
				   a->subject_digest, a->digest);
	if (r < 0)
		goto out;
	nfd_info(ctx, "%s: compatibility artifact %s (referrer of %s%s)", s->name, a->digest,
		 streq(a->subject_digest, a->index_digest) ? "the index " : "", a->subject_digest);
	r = nfd__oci_check_cancel(ctx, &opts);
	if (r < 0)
		goto out;
	r = fetch_artifact(s, a->digest, max, &a->data, &a->len, a->spec_digest, &a->created);
	if (r < 0)
		goto out;
	*ret = TAKE_PTR(a);
out:
	nfd_oci_artifact_unref(a);
	nfd__oci_store_free(s);
	return r;
}

NFD_EXPORT struct nfd_oci_artifact *nfd_oci_artifact_ref(struct nfd_oci_artifact *a)
{
	if (a)
		nfd__ref_inc(a);
	return a;
}

NFD_EXPORT struct nfd_oci_artifact *nfd_oci_artifact_unref(struct nfd_oci_artifact *a)
{
	if (!a || nfd__ref_dec(a) > 0)
		return NULL;
	free(a->created);
	free(a->data);
	free(a);
	return NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_image_digest(const struct nfd_oci_artifact *a)
{
	return a ? a->image_digest : NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_index_digest(const struct nfd_oci_artifact *a)
{
	return a && a->index_digest[0] ? a->index_digest : NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_subject_digest(const struct nfd_oci_artifact *a)
{
	return a ? a->subject_digest : NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_digest(const struct nfd_oci_artifact *a)
{
	return a ? a->digest : NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_spec_digest(const struct nfd_oci_artifact *a)
{
	return a ? a->spec_digest : NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_created(const struct nfd_oci_artifact *a)
{
	return a ? a->created : NULL;
}

NFD_EXPORT const char *nfd_oci_artifact_get_data(const struct nfd_oci_artifact *a, size_t *ret_len)
{
	if (!a)
		return NULL;
	if (ret_len)
		*ret_len = a->len;
	return a->data;
}

NFD_EXPORT int nfd_oci_fetch_spec_data(struct nfd_ctx *ctx, const char *image_ref,
				       const struct nfd_oci_options *o, char **ret_buf,
				       size_t *ret_len)
{
	struct nfd_oci_artifact *a = NULL;
	int r;

	assert_return(ret_buf && ret_len, -EINVAL);
	r = nfd_oci_fetch(ctx, image_ref, o, &a);
	/* LIBNFD_1.0 said -ENOENT for a missing artifact; keep that */
	if (r == -NFD_OCI_ENOARTIFACT)
		return -ENOENT;
	if (r < 0)
		return r;
	*ret_len = a->len;
	*ret_buf = TAKE_PTR(a->data);
	nfd_oci_artifact_unref(a);
	return 0;
}

NFD_EXPORT int nfd_oci_fetch_spec(struct nfd_ctx *ctx, const char *image_ref,
				  const struct nfd_oci_options *o, struct nfd_spec **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	assert_return(ret, -EINVAL);
	r = nfd_oci_fetch_spec_data(ctx, image_ref, o, &buf, &len);
	if (r < 0)
		return r;
	return nfd_spec_parse(ctx, buf, len, image_ref, ret);
}

#if !HAVE_LIBSSL
int nfd__oci_remote_open(struct nfd_ctx *ctx, const char *image_ref,
			 const struct nfd_oci_options *o, bool push, struct oci_store **ret)
{
	return nfd__error(ctx, ENOTSUP,
			  "'%s': this libnfd was built without the registry "
			  "client (libssl); only OCI layouts (oci:PATH) are available",
			  image_ref);
}
#endif
