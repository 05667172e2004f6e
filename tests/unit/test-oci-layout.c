/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI layouts: the committed example (oras style), a regclient-style layout
 * written here, resolution by tag/digest/platform, digest and size checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libnfd/oci/oci-internal.h"

static char *example(void)
{
	const char *top = getenv("NFD_TOP_SRCDIR");
	char *s;

	assert_true(asprintf(&s, "oci:%s/examples/oci-layout", top ? top : ".") > 0);
	return s;
}

static char *fetch(struct nfd_ctx *ctx, const char *ref, const char *platform, size_t max, int *ret)
{
	struct nfd_oci_options o = NFD_OCI_OPTIONS_INIT;
	char *buf = NULL;
	size_t len = 0;

	o.platform = platform;
	o.max_spec_size = max;
	*ret = nfd_oci_fetch_spec_data(ctx, ref, &o, &buf, &len);
	if (*ret == 0)
		assert_int_equal(strlen(buf), len);
	return buf;
}

static void test_example(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	_cleanup_free_ char *base = example(), *ref = NULL, *buf = NULL;
	struct oci_store *s;
	char subject[OCI_DIGEST_MAX], index[OCI_DIGEST_MAX];
	json_t *sdesc = NULL, *idesc = NULL, *refs = NULL;
	int r;

	assert_true(asprintf(&ref, "%s:v1", base) > 0);
	assert_int_equal(nfd__oci_store_open(ctx, ref, NULL, false, &s), 0);
	assert_int_equal(nfd__oci_resolve(s, "linux/arm64", true, subject, &sdesc, index, &idesc),
			 0);
	assert_true(nfd__oci_digest_valid(subject));
	assert_true(nfd__oci_digest_valid(index));
	assert_string_equal(json_string_value(json_object_get(idesc, "mediaType")),
			    OCI_MEDIA_INDEX);
	/* the spec is attached to the index (oras style, untagged in index.json) */
	assert_int_equal(nfd__oci_list_referrers(s, subject, NFD_SPEC_ARTIFACT_TYPE, &refs), 0);
	assert_int_equal(json_array_size(refs), 0);
	json_decref(refs);
	assert_int_equal(nfd__oci_list_referrers(s, index, NFD_SPEC_ARTIFACT_TYPE, &refs), 0);
	assert_int_equal(json_array_size(refs), 1);
	assert_int_equal(nfd__oci_choose_artifact(ctx, refs, NFD_SPEC_ARTIFACT_TYPE), 0);
	json_decref(refs);
	json_decref(sdesc);
	json_decref(idesc);
	assert_int_equal(nfd__oci_resolve(s, "linux/s390x", true, subject, &sdesc, index, &idesc),
			 -ENOENT);
	nfd__oci_store_free(s);

	buf = fetch(ctx, ref, "linux/amd64", 0, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(buf, "version: v1alpha1"));
	/* no tag: the only tagged entry */
	free(buf);
	buf = fetch(ctx, base, "linux/arm64/v8", 0, &r);
	assert_int_equal(r, 0);
	free(buf);
	buf = fetch(ctx, ref, NULL, 16, &r);
	assert_int_equal(r, -E2BIG);
	assert_null(buf);
	buf = fetch(ctx, "oci:/nonexistent/layout:v1", NULL, 0, &r);
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "not an OCI layout"));
	free(ref);
	assert_true(asprintf(&ref, "%s:nosuchtag", base) > 0);
	buf = fetch(ctx, ref, NULL, 0, &r);
	assert_int_equal(r, -ENOENT);
	nfd_ctx_unref(ctx);
}

/* A layout written by hand: blobs in dir, returns the digest in d. */
static void put(const char *dir, const char *content, char d[OCI_DIGEST_MAX])
{
	char path[4096];
	FILE *f;

	assert_int_equal(nfd__oci_sha256_digest(content, strlen(content), d), 0);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, d + 7);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char *make_regclient_layout(char cfg[OCI_DIGEST_MAX], char man[OCI_DIGEST_MAX],
				   char spec[OCI_DIGEST_MAX])
{
	const char *tmp = getenv("TMPDIR");
	char *dir, path[4096], art[OCI_DIGEST_MAX], idx[OCI_DIGEST_MAX], empty[OCI_DIGEST_MAX];
	char buf[4096];
	const char *spec_text = "version: v1alpha1\ncompatibilities: []\n# regclient\n";
	FILE *f;

	assert_true(asprintf(&dir, "%s/test-oci-layout.XXXXXX", tmp && *tmp ? tmp : "/tmp") > 0);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/blobs", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/blobs/sha256", dir);
	assert_int_equal(mkdir(path, 0755), 0);

	put(dir, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", cfg);
	snprintf(buf, sizeof(buf),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
		 "\"digest\":\"%s\",\"size\":37},\"layers\":[]}",
		 OCI_MEDIA_MANIFEST, OCI_MEDIA_CONFIG, cfg);
	put(dir, buf, man);
	put(dir, "{}", empty);
	put(dir, spec_text, spec);
	snprintf(buf, sizeof(buf),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":\"%s\","
		 "\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":2},"
		 "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}],"
		 "\"subject\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":1}}",
		 OCI_MEDIA_MANIFEST, NFD_SPEC_ARTIFACT_TYPE, OCI_MEDIA_EMPTY, empty,
		 NFD_SPEC_MEDIA_TYPE, spec, strlen(spec_text), OCI_MEDIA_MANIFEST, man);
	put(dir, buf, art);
	snprintf(buf, sizeof(buf),
		 "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[{\"mediaType\":\"%s\","
		 "\"digest\":\"%s\",\"size\":10,\"artifactType\":\"%s\"}]}",
		 OCI_MEDIA_INDEX, OCI_MEDIA_MANIFEST, art, NFD_SPEC_ARTIFACT_TYPE);
	put(dir, buf, idx);

	snprintf(path, sizeof(path), "%s/oci-layout", dir);
	f = fopen(path, "w");
	fputs("{\"imageLayoutVersion\":\"1.0.0\"}", f);
	fclose(f);
	/* the artifact is reachable only through the sha256-<hex> index */
	snprintf(path, sizeof(path), "%s/index.json", dir);
	f = fopen(path, "w");
	fprintf(f,
		"{\"schemaVersion\":2,\"manifests\":["
		"{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":1,\"annotations\":"
		"{\"%s\":\"latest\"}},"
		"{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":1,\"annotations\":"
		"{\"%s\":\"sha256-%s\"}}]}",
		OCI_MEDIA_MANIFEST, man, OCI_ANNOT_REF_NAME, OCI_MEDIA_INDEX, idx,
		OCI_ANNOT_REF_NAME, man + 7);
	fclose(f);
	return dir;
}

static void rm_layout(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_regclient(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	char cfg[OCI_DIGEST_MAX], man[OCI_DIGEST_MAX], spec[OCI_DIGEST_MAX], path[4200];
	char *dir = make_regclient_layout(cfg, man, spec);
	_cleanup_free_ char *ref = NULL, *buf = NULL;
	FILE *f;
	int r;

	/* several tagged entries: a tag is needed */
	assert_true(asprintf(&ref, "oci-layout://%s", dir) > 0);
	buf = fetch(ctx, ref, NULL, 0, &r);
	assert_int_equal(r, -EINVAL);
	free(ref);

	assert_true(asprintf(&ref, "oci-layout://%s:latest", dir) > 0);
	buf = fetch(ctx, ref, "linux/x86_64", 0, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(buf, "# regclient"));
	free(buf);
	/* a single manifest is checked against an explicit platform */
	buf = fetch(ctx, ref, "linux/arm64", 0, &r);
	assert_int_equal(r, -ENOENT);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "does not match"));
	free(ref);
	assert_true(asprintf(&ref, "oci:%s@%s", dir, man) > 0);
	buf = fetch(ctx, ref, NULL, 0, &r);
	assert_int_equal(r, 0);
	free(buf);

	/* a corrupted blob is refused */
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, spec + 7);
	f = fopen(path, "a");
	fputs("# tampered\n", f);
	fclose(f);
	buf = fetch(ctx, ref, NULL, 0, &r);
	assert_int_equal(r, -EBADMSG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "digest mismatch"));
	assert_null(buf);

	rm_layout(dir);
	free(dir);
	nfd_ctx_unref(ctx);
}

static void test_attach(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	const char *tmp = getenv("TMPDIR"), *top = getenv("NFD_TOP_SRCDIR");
	const char *spec = "version: v1alpha1\ncompatibilities: []\n# attached\n";
	_cleanup_free_ char *dir = NULL, *cmd = NULL, *ref = NULL, *digest = NULL, *buf = NULL;
	char path[4200];
	struct stat st1, st2;
	int r;

	assert_true(asprintf(&dir, "%s/test-oci-attach.XXXXXX", tmp && *tmp ? tmp : "/tmp") > 0);
	assert_non_null(mkdtemp(dir));
	/* u+w: under distcheck the source tree is read-only */
	assert_true(asprintf(&cmd, "cp -r '%s/examples/oci-layout/.' '%s' && chmod -R u+w '%s'",
			     top ? top : ".", dir, dir) > 0);
	assert_int_equal(system(cmd), 0);
	assert_true(asprintf(&ref, "oci:%s:v1", dir) > 0);
	snprintf(path, sizeof(path), "%s/index.json", dir);
	assert_int_equal(stat(path, &st1), 0);

	/* an invalid spec: refused before anything is written */
	assert_int_equal(nfd_oci_attach_spec(ctx, ref, "compatibilities: [", 18, NULL, &digest),
			 -EBADMSG);
	assert_null(digest);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);

	assert_int_equal(nfd_oci_attach_spec(ctx, ref, spec, strlen(spec), NULL, &digest), 0);
	assert_true(nfd__oci_digest_valid(digest));
	buf = fetch(ctx, ref, NULL, 0, &r);
	assert_int_equal(r, 0);
	assert_string_equal(buf, spec);
	rm_layout(dir);
	nfd_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_regclient),
		cmocka_unit_test(test_attach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
