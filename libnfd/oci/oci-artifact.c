/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What is attached to an image: listing its compatibility artifacts and
 * removing one (NFD's planned remove-spec), keeping the sha256-<hex>
 * tag-schema index in step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/oci/oci-internal.h"
#include "shared/rfc3339.h"

static const char *desc_created(json_t *d)
{
	return json_string_value(
		json_object_get(json_object_get(d, "annotations"), OCI_ANNOT_CREATED));
}

/* Newest first; missing or malformed dates last; ties by the higher digest. */
static int cmp_newest(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	const char *ca = json_string_value(json_object_get(a, "created"));
	const char *cb = json_string_value(json_object_get(b, "created"));
	int64_t sa = INT64_MIN, sb = INT64_MIN;
	long na = 0, nb = 0;

	if (ca && parse_rfc3339(ca, &sa, &na) < 0)
		sa = INT64_MIN;
	if (cb && parse_rfc3339(cb, &sb, &nb) < 0)
		sb = INT64_MIN;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	if (na != nb)
		return na > nb ? -1 : 1;
	return -strcmp(json_string_value(json_object_get(a, "digest")) ?: "",
		       json_string_value(json_object_get(b, "digest")) ?: "");
}

/* One listing entry for referrer descriptor d of subject. */
static int list_entry(struct oci_store *s, json_t *d, const char *subject, json_t **ret)
{
	struct nfd_ctx *ctx = s->ctx;
	const char *digest = json_string_value(json_object_get(d, "digest"));
	const char *created = desc_created(d);
	struct oci_blob m = {};
	json_t *mj = NULL, *size = json_null(), *e;
	size_t i;
	json_t *l;
	int r;

	if (!digest || !nfd__oci_digest_valid(digest))
		return nfd__error(ctx, EBADMSG, "%s: referrer of %s without a valid digest",
				  s->name, subject);
	r = s->ops->get_manifest(s, digest, &m);
	if (r < 0)
		return r;
	r = nfd__oci_json_parse(ctx, digest, &m, &mj);
	if (r < 0)
		goto out;
	if (!created)
		created = json_string_value(
			json_object_get(json_object_get(mj, "annotations"), OCI_ANNOT_CREATED));
	json_array_foreach(json_object_get(mj, "layers"), i, l)
	{
		const char *mt = json_string_value(json_object_get(l, "mediaType"));

		if (mt && streq(mt, NFD_SPEC_MEDIA_TYPE) &&
		    json_is_integer(json_object_get(l, "size"))) {
			size = json_object_get(l, "size");
			break;
		}
	}
	e = json_pack("{s:s, s:s?, s:O, s:s, s:b}", "digest", digest, "created", created, "size",
		      size, "subject", subject, "chosen", 0);
	if (!e) {
		r = nfd__oom(ctx);
		goto out;
	}
	*ret = e;
	r = 0;
out:
	json_decref(mj);
	nfd__oci_blob_done(&m);
	return r;
}

/* Append the compatibility referrers of subject to out; the index of the
 * one fetch would choose among them in *ret_chosen (or -1). */
static int list_subject(struct oci_store *s, const char *subject, json_t *out, int *ret_chosen)
{
	json_t *refs = NULL, *d;
	size_t i;
	int r, k;

	r = nfd__oci_list_referrers(s, subject, NFD_SPEC_ARTIFACT_TYPE, &refs);
	if (r < 0)
		return r;
	k = nfd__oci_choose_artifact(s->ctx, refs, NFD_SPEC_ARTIFACT_TYPE);
	*ret_chosen = -1;
	json_array_foreach(refs, i, d)
	{
		const char *at = json_string_value(json_object_get(d, "artifactType"));
		json_t *e = NULL;

		if (!at || !streq(at, NFD_SPEC_ARTIFACT_TYPE))
			continue;
		r = list_entry(s, d, subject, &e);
		if (r < 0)
			goto out;
		if ((int)i == k) {
			json_object_set_new(e, "chosen", json_true());
			*ret_chosen = (int)json_array_size(out);
		}
		if (json_array_append_new(out, e) < 0) {
			r = nfd__oom(s->ctx);
			goto out;
		}
	}
	r = 0;
out:
	json_decref(refs);
	return r;
}

NFD_EXPORT int nfd_oci_list_artifacts(struct nfd_ctx *ctx, const char *image_ref,
				      const struct nfd_oci_options *o, char **ret_json)
{
	struct nfd_oci_options opts;
	struct oci_store *s = NULL;
	json_t *sdesc = NULL, *idesc = NULL, *list = NULL, *sorted = NULL;
	char image[OCI_DIGEST_MAX], index[OCI_DIGEST_MAX];
	json_t **v = NULL;
	size_t n;
	char *out;
	int r, chosen = -1, chosen_index = -1;

	assert_return(ctx, -EINVAL);
	assert_return(image_ref, -EINVAL);
	assert_return(ret_json, -EINVAL);
	r = nfd__oci_options_get(ctx, o, &opts);
	if (r < 0)
		return r;
	r = nfd__oci_check_cancel(ctx, &opts);
	if (r < 0)
		return r;
	r = nfd__oci_store_open(ctx, image_ref, &opts, false, &s);
	if (r < 0)
		return r;
	r = nfd__oci_resolve(s, opts.platform, opts.platform != NULL, image, &sdesc, index, &idesc);
	if (r < 0)
		goto out;
	list = json_array();
	if (!list) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = list_subject(s, image, list, &chosen);
	if (r >= 0 && index[0] && !streq(index, image)) {
		r = nfd__oci_check_cancel(ctx, &opts);
		if (r >= 0)
			r = list_subject(s, index, list, &chosen_index);
		/* fetch reads the index's referrers only when the image has none */
		if (r >= 0 && chosen >= 0 && chosen_index >= 0)
			json_object_set_new(json_array_get(list, (size_t)chosen_index), "chosen",
					    json_false());
	}
	if (r < 0)
		goto out;

	n = json_array_size(list);
	v = calloc(n ? n : 1, sizeof(*v));
	sorted = json_array();
	if (!v || !sorted) {
		r = nfd__oom(ctx);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(list, i);
	qsort(v, n, sizeof(*v), cmp_newest);
	for (size_t i = 0; i < n; i++)
		if (json_array_append(sorted, v[i]) < 0) {
			r = nfd__oom(ctx);
			goto out;
		}
	out = json_dumps(sorted, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!out) {
		r = nfd__oom(ctx);
		goto out;
	}
	*ret_json = out;
	r = (int)n;
out:
	free(v);
	json_decref(sorted);
	json_decref(list);
	json_decref(sdesc);
	json_decref(idesc);
	nfd__oci_store_free(s);
	return r;
}

/* Take digest out of the sha256-<hex> index of subject, if it is listed. */
static int untag_schema(struct oci_store *s, const char *subject, const char *digest)
{
	struct nfd_ctx *ctx = s->ctx;
	_cleanup_free_ char *tag = NULL;
	struct oci_blob old = {};
	json_t *index = NULL, *manifests;
	bool found = false;
	size_t i;
	json_t *e;
	int r;

	r = nfd__oci_read_tag_index(s, subject, &tag, &old);
	if (r <= 0)
		return r;
	r = nfd__oci_json_parse(ctx, tag, &old, &index);
	if (r < 0 || !json_is_array(json_object_get(index, "manifests"))) {
		/* not an index: not ours to change */
		nfd__error_clear(ctx);
		r = 0;
		goto out;
	}
	manifests = json_object_get(index, "manifests");
	for (i = json_array_size(manifests); i-- > 0;) {
		e = json_array_get(manifests, i);
		if (streq(json_string_value(json_object_get(e, "digest")) ?: "", digest)) {
			json_array_remove(manifests, i);
			found = true;
		}
	}
	if (!found) {
		r = 0;
		goto out;
	}
	if (json_array_size(manifests) == 0) {
		/* deleting the index by digest removes its tag too */
		r = s->ops->delete_manifest(s, old.digest);
		if (r >= 0)
			nfd_dbg(ctx, "%s: referrers index %s deleted (empty)", s->name, tag);
		goto out;
	}
	r = nfd__oci_write_tag_index(s, tag, index, &old);
out:
	json_decref(index);
	nfd__oci_blob_done(&old);
	return r;
}

NFD_EXPORT int nfd_oci_remove_artifact(struct nfd_ctx *ctx, const char *image_ref,
				       const char *digest, const struct nfd_oci_options *o,
				       char **ret_digest)
{
	struct nfd_oci_options opts;
	struct oci_store *s = NULL;
	char image[OCI_DIGEST_MAX], index[OCI_DIGEST_MAX], subject[OCI_DIGEST_MAX];
	char artifact[OCI_DIGEST_MAX];
	char *copy = NULL;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(image_ref, -EINVAL);
	r = nfd__oci_options_get(ctx, o, &opts);
	if (r < 0)
		return r;
	if (digest && !nfd__oci_digest_valid(digest))
		return nfd__error(ctx, EINVAL, "'%s' is not a sha256 digest", digest);
	if (nfd__oci_ref_is_layout(image_ref))
		return nfd__error(ctx, ENOTSUP,
				  "'%s': removing artifacts from an OCI layout is not "
				  "supported; remove it from the registry copy",
				  image_ref);
	r = nfd__oci_check_cancel(ctx, &opts);
	if (r < 0)
		return r;
	r = nfd__oci_store_open(ctx, image_ref, &opts, true, &s);
	if (r < 0)
		return r;
	if (!s->ops->delete_manifest) {
		r = nfd__error(ctx, ENOTSUP, "%s: this store cannot delete manifests", s->name);
		goto out;
	}
	r = nfd__oci_find_artifact(s, &opts, digest, image, index, subject, artifact);
	if (r < 0)
		goto out;
	if (ret_digest && !(copy = strdup(artifact))) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = s->ops->delete_manifest(s, artifact);
	if (r < 0)
		goto out;
	nfd_info(ctx, "%s: compatibility artifact %s removed", s->name, artifact);
	r = untag_schema(s, subject, artifact);
	if (r < 0)
		goto out;
	if (ret_digest)
		*ret_digest = TAKE_PTR(copy);
	r = 0;
out:
	free(copy);
	nfd__oci_store_free(s);
	return r;
}
