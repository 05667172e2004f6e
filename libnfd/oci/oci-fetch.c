/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public OCI entry points: options, and fetching the compatibility spec
 * of an image from a registry or an OCI layout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/oci/oci-internal.h"

NFD_EXPORT int nfd_oci_options_init(struct nfd_oci_options *o, unsigned int version)
{
	assert_return(o, -EINVAL);
	assert_return(version == NFD_OCI_OPTIONS_VERSION, -EINVAL);
	memset(o, 0, sizeof(*o));
	o->version = version;
	return 0;
}

NFD_EXPORT int nfd_oci_has_registry(void)
{
	return HAVE_LIBCURL ? 1 : 0;
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
		if ((size_t)ret->size > max)
			return nfd__error(ctx, E2BIG,
					  "artifact %s: spec layer is %lld bytes, over the limit "
					  "of %zu",
					  artifact, (long long)ret->size, max);
		return 0;
	}
	return nfd__error(ctx, EPROTO,
			  "artifact %s has no layer of media type %s (layers[0] is %s)", artifact,
			  NFD_SPEC_MEDIA_TYPE, first_mt ?: "untyped");
}

static int fetch_artifact(struct oci_store *s, const char *digest, size_t max, char **ret_buf,
			  size_t *ret_len)
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
	*ret_len = spec.len;
	*ret_buf = TAKE_PTR(spec.data);
	r = 0;
out:
	json_decref(mj);
	nfd__oci_blob_done(&m);
	nfd__oci_blob_done(&spec);
	return r;
}

NFD_EXPORT int nfd_oci_fetch_spec_data(struct nfd_ctx *ctx, const char *image_ref,
				       const struct nfd_oci_options *o, char **ret_buf,
				       size_t *ret_len)
{
	struct nfd_oci_options defaults = NFD_OCI_OPTIONS_INIT;
	struct oci_store *s = NULL;
	json_t *sdesc = NULL, *idesc = NULL, *refs = NULL;
	char subject[OCI_DIGEST_MAX], index[OCI_DIGEST_MAX];
	const char *which;
	size_t max;
	int r, k;

	assert_return(ctx, -EINVAL);
	assert_return(image_ref, -EINVAL);
	assert_return(ret_buf && ret_len, -EINVAL);
	if (!o)
		o = &defaults;
	if (o->version != NFD_OCI_OPTIONS_VERSION)
		return nfd__error(ctx, EINVAL, "unknown nfd_oci_options version %u", o->version);
	max = o->max_spec_size ? o->max_spec_size : OCI_DEFAULT_MAX_SPEC_SIZE;

	r = nfd__oci_store_open(ctx, image_ref, o, false, &s);
	if (r < 0)
		return r;
	r = nfd__oci_resolve(s, o->platform, o->platform != NULL, subject, &sdesc, index, &idesc);
	if (r < 0)
		goto out;

	/* the platform manifest first (oras attach --platform), then the index */
	which = subject;
	r = nfd__oci_list_referrers(s, subject, NFD_SPEC_ARTIFACT_TYPE, &refs);
	if (r < 0)
		goto out;
	k = nfd__oci_choose_artifact(ctx, refs, NFD_SPEC_ARTIFACT_TYPE);
	if (k < 0 && index[0]) {
		json_decref(refs);
		refs = NULL;
		which = index;
		r = nfd__oci_list_referrers(s, index, NFD_SPEC_ARTIFACT_TYPE, &refs);
		if (r < 0)
			goto out;
		k = nfd__oci_choose_artifact(ctx, refs, NFD_SPEC_ARTIFACT_TYPE);
	}
	if (k < 0) {
		r = nfd__error(ctx, ENOENT,
			       "%s: compatibility artifact not found (no referrer of "
			       "type %s for %s%s%s)",
			       s->name, NFD_SPEC_ARTIFACT_TYPE, subject,
			       index[0] ? " or its index " : "", index);
		goto out;
	}
	{
		const char *digest = json_string_value(
			json_object_get(json_array_get(refs, (size_t)k), "digest"));

		nfd_info(ctx, "%s: compatibility artifact %s (referrer of %s%s)", s->name, digest,
			 which == index ? "the index " : "", which);
		r = fetch_artifact(s, digest, max, ret_buf, ret_len);
	}
out:
	json_decref(refs);
	json_decref(sdesc);
	json_decref(idesc);
	nfd__oci_store_free(s);
	return r;
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

#if !HAVE_LIBCURL
int nfd__oci_remote_open(struct nfd_ctx *ctx, const char *image_ref,
			 const struct nfd_oci_options *o, bool push, struct oci_store **ret)
{
	return nfd__error(ctx, ENOTSUP,
			  "'%s': this libnfd was built without the registry "
			  "client (libcurl); only OCI layouts (oci:PATH) are available",
			  image_ref);
}
#endif
