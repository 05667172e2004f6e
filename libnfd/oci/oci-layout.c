/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI image layouts on disk as a store.  Referrers are found both ways tools
 * write them: oras (every manifest listed in index.json, referrers found by
 * their "subject") and regclient (a sha256-<hex> tagged index, which the
 * generic code in oci-manifest.c reads through get_manifest()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libnfd/oci/oci-internal.h"
#include "shared/root-open.h"
#include "shared/util.h"

struct layout_store {
	struct oci_store base;
	struct oci_layout_ref ref;
	json_t *index; /* index.json */
	int lock_fd;   /* the layout directory, flock()ed while attaching */
};

#define LOCK_WAIT_MS 10000

static struct layout_store *LS(struct oci_store *s)
{
	return (struct layout_store *)s;
}

static char *blob_path(struct layout_store *l, const char *digest)
{
	char *p = NULL;

	/* digest is validated as sha256:<64 hex>: no path tricks possible */
	if (asprintf(&p, "%s/blobs/sha256/%s", l->ref.path, digest + 7) < 0)
		return NULL;
	return p;
}

static int read_blob(struct layout_store *l, const char *digest, size_t max, const char *kind,
		     struct oci_blob *ret)
{
	struct nfd_ctx *ctx = l->base.ctx;
	_cleanup_free_ char *path = NULL;
	struct oci_blob b = {};
	int r;

	if (!nfd__oci_digest_valid(digest))
		return nfd__error(ctx, EINVAL, "%s: unsupported digest '%s'", l->base.name, digest);
	path = blob_path(l, digest);
	if (!path)
		return nfd__oom(ctx);
	/* inside the layout only (links too), a regular file, bounded */
	r = read_regular_file(l->ref.path, path + strlen(l->ref.path), max, &b.data, &b.len);
	if (r == -EINVAL)
		return nfd__error(ctx, EINVAL, "%s: blob %s is not a regular file", l->base.name,
				  digest);
	if (r == -E2BIG) {
		struct read_too_big big = read_last_too_big();
		char words[200];

		return nfd__error(ctx, E2BIG, "%s: blob %s: %s", l->base.name, digest,
				  format_too_big(words, sizeof(words), big.size, max, kind));
	}
	if (r == -ENOENT)
		return nfd__error(ctx, ENOENT, "%s: blob %s not found", l->base.name, digest);
	if (r < 0)
		return nfd__error(ctx, -r, "%s: %s: %s", l->base.name, path, strerror(-r));
	r = nfd__oci_verify_digest(ctx, path, b.data, b.len, digest);
	if (r < 0) {
		nfd__oci_blob_done(&b);
		return r;
	}
	snprintf(b.digest, sizeof(b.digest), "%s", digest);
	*ret = b;
	return 0;
}

static json_t *find_entry(struct layout_store *l, const char *key, const char *value)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(l->index, "manifests"), i, e)
	{
		const char *v;

		if (streq(key, "digest"))
			v = json_string_value(json_object_get(e, "digest"));
		else
			v = json_string_value(json_object_get(json_object_get(e, "annotations"),
							      OCI_ANNOT_REF_NAME));
		if (v && streq(v, value))
			return e;
	}
	return NULL;
}

/* No tag or digest: the only tagged entry, or the only entry (skopeo's rule). */
static json_t *default_entry(struct layout_store *l)
{
	json_t *m = json_object_get(l->index, "manifests"), *found = NULL, *e;
	size_t i, tagged = 0;

	json_array_foreach(m, i, e)
	{
		if (json_object_get(json_object_get(e, "annotations"), OCI_ANNOT_REF_NAME)) {
			tagged++;
			found = e;
		}
	}
	if (tagged == 1)
		return found;
	if (tagged == 0 && json_array_size(m) == 1)
		return json_array_get(m, 0);
	return NULL;
}

static int layout_get_manifest(struct oci_store *s, const char *ref, struct oci_blob *ret)
{
	struct layout_store *l = LS(s);
	struct oci_blob b = {};
	json_t *entry = NULL;
	const char *digest, *mt;
	int r;

	if (!ref) {
		entry = default_entry(l);
		if (!entry)
			return nfd__error(s->ctx, EINVAL,
					  "%s: name a tag or digest (oci:PATH:TAG); index.json has "
					  "%zu entries",
					  s->name,
					  json_array_size(json_object_get(l->index, "manifests")));
	} else if (nfd__oci_digest_valid(ref)) {
		entry = find_entry(l, "digest", ref);
	} else {
		entry = find_entry(l, "ref.name", ref);
		if (!entry)
			return nfd__error(s->ctx, ENOENT,
					  "%s: no manifest tagged '%s' in index.json", s->name,
					  ref);
	}
	digest = entry ? json_string_value(json_object_get(entry, "digest")) : ref;
	if (!digest || !nfd__oci_digest_valid(digest))
		return nfd__error(s->ctx, EBADMSG, "%s: index.json entry without a valid digest",
				  s->name);
	r = read_blob(l, digest, OCI_MAX_MANIFEST_SIZE, "manifests", &b);
	if (r < 0)
		return r;
	mt = entry ? json_string_value(json_object_get(entry, "mediaType")) : NULL;
	if (!mt) {
		/* an unlisted blob: its own mediaType field is all there is */
		json_t *j = json_loadb(b.data, b.len, 0, NULL);

		mt = json_string_value(json_object_get(j, "mediaType"));
		snprintf(b.media_type, sizeof(b.media_type), "%s", mt ?: "");
		json_decref(j);
	} else {
		snprintf(b.media_type, sizeof(b.media_type), "%s", mt);
	}
	*ret = b;
	return 0;
}

static int layout_get_blob(struct oci_store *s, const char *digest, size_t max,
			   struct oci_blob *ret)
{
	return read_blob(LS(s), digest, max, "spec blobs (--max-spec-size)", ret);
}

/* oras style: every manifest reachable from index.json whose subject matches. */
static int scan(struct layout_store *l, json_t *manifests, const char *digest, int depth,
		json_t *out, size_t *budget)
{
	struct nfd_ctx *ctx = l->base.ctx;
	size_t i;
	json_t *e;

	json_array_foreach(manifests, i, e)
	{
		const char *mt = json_string_value(json_object_get(e, "mediaType"));
		const char *d = json_string_value(json_object_get(e, "digest"));
		struct oci_blob b = {};
		json_t *j = NULL, *subject;
		size_t blen;
		int r;

		if (!d || !nfd__oci_digest_valid(d) ||
		    (!nfd__oci_media_is_manifest(mt) && !nfd__oci_media_is_index(mt)))
			continue;
		if (*budget == 0)
			return nfd__error(ctx, E2BIG,
					  "%s: too many manifests to scan for referrers",
					  l->base.name);
		(*budget)--;
		r = read_blob(l, d, OCI_MAX_MANIFEST_SIZE, "manifests", &b);
		if (r == -ENOENT) {
			/* the layout spec allows missing blobs */
			nfd__error_clear(ctx);
			continue;
		}
		if (r < 0)
			return r;
		blen = b.len;
		r = nfd__oci_json_parse(ctx, d, &b, &j);
		nfd__oci_blob_done(&b);
		if (r < 0)
			return r;
		subject = json_object_get(j, "subject");
		if (streq(json_string_value(json_object_get(subject, "digest")) ?: "", digest)) {
			const char *at = json_string_value(json_object_get(j, "artifactType"));
			json_t *desc, *annotations = json_object_get(j, "annotations");

			if (!at)
				at = json_string_value(
					json_object_get(json_object_get(j, "config"), "mediaType"));
			desc = json_pack("{s:s, s:s, s:I, s:s*}", "mediaType", mt, "digest", d,
					 "size", (json_int_t)blen, "artifactType", at);
			if (!desc ||
			    (json_is_object(annotations) &&
			     json_object_set(desc, "annotations", annotations) < 0) ||
			    json_array_append_new(out, desc) < 0) {
				json_decref(j);
				return nfd__oom(ctx);
			}
		}
		if (nfd__oci_media_is_index(mt) && depth < 4) {
			r = scan(l, json_object_get(j, "manifests"), digest, depth + 1, out,
				 budget);
			if (r < 0) {
				json_decref(j);
				return r;
			}
		}
		json_decref(j);
	}
	return 0;
}

static int layout_referrers(struct oci_store *s, const char *digest, const char *artifact_type,
			    json_t **ret, bool *ret_complete)
{
	struct layout_store *l = LS(s);
	size_t budget = OCI_MAX_REFERRERS;
	json_t *out = json_array();
	int r;

	if (!out)
		return nfd__oom(s->ctx);
	r = scan(l, json_object_get(l->index, "manifests"), digest, 0, out, &budget);
	if (r < 0) {
		json_decref(out);
		return r;
	}
	*ret = out;
	/* regclient writes the referrers only into the sha256-<hex> index */
	*ret_complete = false;
	return 0;
}

/*
 * Write dir/name of the layout, confined to it (doc/limits.md): a link in
 * the layout (blobs/sha256 to an outside directory, index.json to an outside
 * file) is never written through; a new file is renamed into place.
 */
static int write_in_layout(struct layout_store *l, const char *dir, const char *name,
			   const void *buf, size_t len)
{
	struct nfd_ctx *ctx = l->base.ctx;
	_cleanup_close_ int rootfd = -1;
	int r;

	rootfd = open(l->ref.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return nfd__error(ctx, errno, "%s: %s", l->ref.path, strerror(errno));
	r = write_in_root(rootfd, dir, name, buf, len, 0644);
	if (r == -EINVAL)
		return nfd__error(
			ctx, EINVAL,
			"%s: %s%s%s is not a regular file (a link?); refusing to write it",
			l->ref.path, dir, *dir ? "/" : "", name);
	if (r == -ENOENT || r == -ENOTDIR || r == -ELOOP)
		return nfd__error(ctx, -r,
				  "%s: %s is not a directory inside the layout (a link out of it?)",
				  l->ref.path, dir);
	if (r < 0)
		return nfd__error(ctx, -r, "%s: writing %s%s%s: %s", l->ref.path, dir,
				  *dir ? "/" : "", name, strerror(-r));
	return 0;
}

static int layout_put_blob(struct oci_store *s, const char *digest, const void *buf, size_t len)
{
	struct layout_store *l = LS(s);
	struct oci_blob b = {};
	int r;

	if (!nfd__oci_digest_valid(digest))
		return nfd__error(s->ctx, EINVAL, "%s: unsupported digest '%s'", l->base.name,
				  digest);
	r = read_blob(l, digest, len, "blobs of the size their descriptor gives", &b);
	if (r == 0) {
		nfd__oci_blob_done(&b);
		return 0; /* content-addressed: already there and verified */
	}
	nfd__error_clear(s->ctx);
	/* blob_path() and nfd__oci_digest_valid(): "sha256:<64 hex>" */
	return write_in_layout(l, "blobs/sha256", digest + strlen("sha256:"), buf, len);
}

static int write_index(struct layout_store *l)
{
	_cleanup_free_ char *out = NULL;

	out = json_dumps(l->index, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	if (!out)
		return nfd__oom(l->base.ctx);
	return write_in_layout(l, "", "index.json", out, strlen(out));
}

static int layout_put_manifest(struct oci_store *s, const char *ref, const char *media_type,
			       const void *buf, size_t len, bool *ret_indexed)
{
	struct layout_store *l = LS(s);
	json_t *manifests = json_object_get(l->index, "manifests");
	json_t *desc, *j;
	char digest[OCI_DIGEST_MAX];
	const char *at;
	int r;

	r = nfd__oci_sha256_digest(buf, len, digest);
	if (r < 0)
		return nfd__error(s->ctx, -r, "cannot compute sha256");
	r = layout_put_blob(s, digest, buf, len);
	if (r < 0)
		return r;

	j = json_loadb(buf, len, 0, NULL);
	at = json_string_value(json_object_get(j, "artifactType"));
	desc = json_pack("{s:s, s:s, s:I, s:s*}", "mediaType", media_type, "digest", digest, "size",
			 (json_int_t)len, "artifactType", at);
	json_decref(j);
	if (!desc)
		return nfd__oom(s->ctx);

	if (nfd__oci_digest_valid(ref)) {
		/* oras: tagged by digest, i.e. listed without a ref.name */
		if (find_entry(l, "digest", ref)) {
			json_decref(desc);
			*ret_indexed = true;
			return 0;
		}
	} else {
		size_t i;
		json_t *e;

		json_array_foreach(manifests, i, e)
		{
			const char *name = json_string_value(json_object_get(
				json_object_get(e, "annotations"), OCI_ANNOT_REF_NAME));

			if (name && streq(name, ref)) {
				json_array_remove(manifests, i);
				break;
			}
		}
		if (json_object_set_new(desc, "annotations",
					json_pack("{s:s}", OCI_ANNOT_REF_NAME, ref)) < 0) {
			json_decref(desc);
			return nfd__oom(s->ctx);
		}
	}
	if (json_array_append_new(manifests, desc) < 0)
		return nfd__oom(s->ctx);
	r = write_index(l);
	if (r < 0)
		return r;
	*ret_indexed = true;
	return 0;
}

static void layout_free(struct oci_store *s)
{
	struct layout_store *l = LS(s);

	json_decref(l->index);
	if (l->lock_fd >= 0)
		close(l->lock_fd); /* releases the flock */
	nfd__oci_layout_ref_done(&l->ref);
	free(s->name);
	free(l);
}

static const struct oci_store_ops layout_ops = {
	.get_manifest = layout_get_manifest,
	.get_blob = layout_get_blob,
	.referrers = layout_referrers,
	.put_blob = layout_put_blob,
	.put_manifest = layout_put_manifest,
	.delete_manifest = NULL,
	.free = layout_free,
};

/*
 * Attaching is a read-modify-write of index.json.  Two attaches at once
 * would lose one entry, so they are serialised with flock() on the layout
 * directory: its inode, unlike index.json's, survives the atomic rename.
 * Bounded wait, so a stuck holder cannot hang us.
 */
static int lock_layout(struct layout_store *l)
{
	struct nfd_ctx *ctx = l->base.ctx;

	l->lock_fd = open(l->ref.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->lock_fd < 0)
		return errno == ENOENT
			       ? nfd__error(ctx, ENOENT,
					    "%s: not an OCI layout (no such "
					    "directory)",
					    l->ref.path)
			       : nfd__error(ctx, errno, "%s: %s", l->ref.path, strerror(errno));
	for (int waited = 0; flock(l->lock_fd, LOCK_EX | LOCK_NB) < 0; waited += 50) {
		struct timespec ts = {0, 50 * 1000000L};

		if (errno != EWOULDBLOCK && errno != EINTR)
			return nfd__error(ctx, errno, "%s: flock: %s", l->ref.path,
					  strerror(errno));
		if (waited >= LOCK_WAIT_MS)
			return nfd__error(ctx, ETIMEDOUT,
					  "%s: another process keeps the layout "
					  "locked",
					  l->ref.path);
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int load_json_file(struct nfd_ctx *ctx, const char *dir, const char *name, json_t **ret)
{
	_cleanup_free_ char *path = path_join(dir, name);
	_cleanup_free_ char *buf = NULL;
	struct oci_blob b = {};
	size_t len;
	int r;

	if (!path)
		return nfd__oom(ctx);
	r = read_regular_file(dir, name, OCI_MAX_MANIFEST_SIZE, &buf, &len);
	if (r == -ENOENT)
		return nfd__error(ctx, ENOENT, "%s: not an OCI layout (no %s)", dir, name);
	if (r < 0)
		return nfd__error_read(ctx, r, path, "index.json and oci-layout");
	b.data = buf;
	b.len = len;
	return nfd__oci_json_parse(ctx, path, &b, ret);
}

int nfd__oci_layout_open(struct nfd_ctx *ctx, const char *image_ref, bool push,
			 struct oci_store **ret)
{
	struct layout_store *l;
	json_t *marker = NULL;
	const char *version;
	int r;

	l = calloc(1, sizeof(*l));
	if (!l)
		return nfd__oom(ctx);
	l->base.ops = &layout_ops;
	l->base.ctx = ctx;
	l->lock_fd = -1;
	r = nfd__oci_layout_ref_parse(ctx, image_ref, &l->ref);
	if (r < 0)
		goto fail;
	if (push) {
		r = lock_layout(l);
		if (r < 0)
			goto fail;
	}
	l->base.name = strdup(l->ref.path);
	if (!l->base.name) {
		r = nfd__oom(ctx);
		goto fail;
	}
	l->base.ref = l->ref.digest ? l->ref.digest : l->ref.tag;

	r = load_json_file(ctx, l->ref.path, "oci-layout", &marker);
	if (r < 0)
		goto fail;
	version = json_string_value(json_object_get(marker, "imageLayoutVersion"));
	if (!version || !strstartswith(version, "1.")) {
		r = nfd__error(ctx, EPROTO, "%s: unsupported imageLayoutVersion '%s'", l->ref.path,
			       version ?: "(none)");
		goto fail;
	}
	r = load_json_file(ctx, l->ref.path, "index.json", &l->index);
	if (r < 0)
		goto fail;
	if (!json_is_array(json_object_get(l->index, "manifests"))) {
		r = nfd__error(ctx, EBADMSG, "%s: index.json has no manifests array", l->ref.path);
		goto fail;
	}
	json_decref(marker);
	*ret = &l->base;
	return 0;
fail:
	json_decref(marker);
	layout_free(&l->base);
	return r;
}
