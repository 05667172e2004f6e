/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Image and layout references, digests, platforms, timestamps, artifact choice. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/oci/oci-internal.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define DIG "sha256:" D64

static void check_ref(const char *s, const char *registry, const char *host, const char *repo,
		      const char *tag, const char *digest)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_ref r;

	assert_int_equal(nfd__oci_ref_parse(ctx, s, &r), 0);
	assert_string_equal(r.registry, registry);
	assert_string_equal(r.host, host);
	assert_string_equal(r.repository, repo);
	if (tag)
		assert_string_equal(r.tag, tag);
	else
		assert_null(r.tag);
	if (digest)
		assert_string_equal(r.digest, digest);
	else
		assert_null(r.digest);
	nfd__oci_ref_done(&r);
	nfd_ctx_unref(ctx);
}

static void check_ref_invalid(const char *s, const char *msg)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_ref r = {};

	assert_int_equal(nfd__oci_ref_parse(ctx, s, &r), -EINVAL);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), msg));
	assert_null(r.repository);
	nfd_ctx_unref(ctx);
}

static void test_ref_parse(void **state)
{
	check_ref("127.0.0.1:5000/demo/app:v1", "127.0.0.1:5000", "127.0.0.1:5000", "demo/app",
		  "v1", NULL);
	check_ref("ghcr.io/org/img@" DIG, "ghcr.io", "ghcr.io", "org/img", NULL, DIG);
	/* oras: a digest wins, the tag before it is dropped */
	check_ref("quay.io/a/b:latest@" DIG, "quay.io", "quay.io", "a/b", NULL, DIG);
	/* docker.io is a name; requests go to registry-1.docker.io */
	check_ref("docker.io/library/ubuntu:22.04", "docker.io", "registry-1.docker.io",
		  "library/ubuntu", "22.04", NULL);
	/* NFD takes the first component as the host, always */
	check_ref("library/ubuntu:22.04", "library", "library", "ubuntu", "22.04", NULL);
	/* a bare name: Docker's reading (NFD rejects it) */
	check_ref("ubuntu:22.04", "docker.io", "registry-1.docker.io", "library/ubuntu", "22.04",
		  NULL);
	check_ref("localhost:5000/a__b/c-d.e:T_1.x-y", "localhost:5000", "localhost:5000",
		  "a__b/c-d.e", "T_1.x-y", NULL);
	check_ref("[::1]:5000/x:y", "[::1]:5000", "[::1]:5000", "x", "y", NULL);

	check_ref_invalid("127.0.0.1:5000/demo/app", "a tag or digest is required");
	check_ref_invalid("127.0.0.1:5000/Demo/app:v1", "invalid repository");
	check_ref_invalid("127.0.0.1:5000/demo//app:v1", "invalid repository");
	check_ref_invalid("127.0.0.1:5000/demo/app-:v1", "invalid repository");
	check_ref_invalid("127.0.0.1:5000/demo/app:-v1", "invalid tag");
	check_ref_invalid("127.0.0.1:5000/demo/app@sha256:abc", "invalid digest");
	check_ref_invalid("127.0.0.1:5000/demo/app@md5:" D64, "invalid digest");
	check_ref_invalid("bad host/demo/app:v1", "invalid registry");
	check_ref_invalid("host:port/demo/app:v1", "invalid registry");
	check_ref_invalid("", "empty");
}

static void check_layout(const char *s, const char *path, const char *tag, const char *digest)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_layout_ref r;

	assert_true(nfd__oci_ref_is_layout(s));
	assert_int_equal(nfd__oci_layout_ref_parse(ctx, s, &r), 0);
	assert_string_equal(r.path, path);
	if (tag)
		assert_string_equal(r.tag, tag);
	else
		assert_null(r.tag);
	if (digest)
		assert_string_equal(r.digest, digest);
	else
		assert_null(r.digest);
	nfd__oci_layout_ref_done(&r);
	nfd_ctx_unref(ctx);
}

static void test_layout_ref(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_layout_ref r;

	check_layout("oci:examples/oci-layout:v1", "examples/oci-layout", "v1", NULL);
	check_layout("oci-layout://dir", "dir", NULL, NULL);
	check_layout("oci:dir@" DIG, "dir", NULL, DIG);
	/* a ':' in the path stays when what follows is not a tag */
	check_layout("oci:/tmp/a:b/layout", "/tmp/a:b/layout", NULL, NULL);
	check_layout("oci:/tmp/a:b/layout:v2", "/tmp/a:b/layout", "v2", NULL);
	assert_false(nfd__oci_ref_is_layout("127.0.0.1:5000/oci:v1"));
	assert_int_equal(nfd__oci_layout_ref_parse(ctx, "oci::v1", &r), -EINVAL);
	nfd_ctx_unref(ctx);
}

static void test_digest(void **state)
{
	char d[OCI_DIGEST_MAX];
	char *tag;
	struct nfd_ctx *ctx = nfd_ctx_new();

	assert_true(nfd__oci_digest_valid(DIG));
	assert_false(nfd__oci_digest_valid("sha256:" D64 "0"));
	assert_false(nfd__oci_digest_valid(
		"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	assert_false(nfd__oci_digest_valid("sha512:" D64));
	assert_int_equal(nfd__oci_sha256_digest("{}", 2, d), 0);
	assert_string_equal(d, OCI_EMPTY_DIGEST);
	assert_int_equal(nfd__oci_verify_digest(ctx, "x", "{}", 2, OCI_EMPTY_DIGEST), 0);
	assert_int_equal(nfd__oci_verify_digest(ctx, "x", "{ }", 3, OCI_EMPTY_DIGEST), -EBADMSG);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "digest mismatch"));
	tag = nfd__oci_referrers_tag(DIG);
	assert_string_equal(tag, "sha256-" D64);
	assert_true(nfd__oci_tag_valid(tag));
	free(tag);
	nfd_ctx_unref(ctx);
}

static void check_platform(const char *s, const char *os, const char *arch, const char *variant,
			   const char *osv)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_platform p;

	assert_int_equal(nfd__oci_platform_parse(ctx, s, &p), 0);
	assert_string_equal(p.os, os);
	assert_string_equal(p.arch, arch);
	assert_string_equal(p.variant, variant);
	assert_string_equal(p.os_version, osv);
	nfd_ctx_unref(ctx);
}

static void test_platform_parse(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_platform p, host;

	check_platform("linux/amd64", "linux", "amd64", "", "");
	check_platform("linux/x86_64", "linux", "amd64", "", "");
	check_platform("Linux/AARCH64", "linux", "arm64", "", "");
	check_platform("linux/arm64/v8", "linux", "arm64", "", "");
	check_platform("linux/arm/7", "linux", "arm", "v7", "");
	check_platform("linux/armhf", "linux", "arm", "v7", "");
	check_platform("linux/i686", "linux", "386", "", "");
	check_platform("windows/amd64:10.0.17763.1234", "windows", "amd64", "", "10.0.17763.1234");
	/* one part: the arch is this host's, as NFD fills runtime.GOARCH */
	nfd__oci_platform_host(&host);
	assert_int_equal(nfd__oci_platform_parse(ctx, "linux", &p), 0);
	assert_string_equal(p.arch, host.arch);
	assert_string_equal(host.os, "linux");
	assert_null(strchr(host.arch, '_'));

	assert_int_equal(nfd__oci_platform_parse(ctx, "linux/amd64/v1/x", &p), -EINVAL);
	assert_int_equal(nfd__oci_platform_parse(ctx, "/amd64", &p), -EINVAL);
	assert_int_equal(nfd__oci_platform_parse(ctx, "linux/", &p), -EINVAL);
	assert_int_equal(nfd__oci_platform_parse(ctx, "", &p), -EINVAL);
	nfd_ctx_unref(ctx);
}

static void test_platform_match(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_platform want;
	json_t *j;

	assert_int_equal(nfd__oci_platform_parse(ctx, "linux/arm64", &want), 0);
	j = json_pack("{s:s, s:s, s:s}", "os", "linux", "architecture", "arm64", "variant", "v8");
	assert_true(nfd__oci_platform_match(&want, j));
	json_decref(j);
	j = json_pack("{s:s, s:s}", "os", "linux", "architecture", "aarch64");
	assert_true(nfd__oci_platform_match(&want, j));
	json_decref(j);
	j = json_pack("{s:s, s:s}", "os", "linux", "architecture", "amd64");
	assert_false(nfd__oci_platform_match(&want, j));
	json_decref(j);
	assert_false(nfd__oci_platform_match(&want, NULL));

	/* a wanted variant must be equal; an unwanted one is anything */
	assert_int_equal(nfd__oci_platform_parse(ctx, "linux/arm/v6", &want), 0);
	j = json_pack("{s:s, s:s, s:s}", "os", "linux", "architecture", "arm", "variant", "v7");
	assert_false(nfd__oci_platform_match(&want, j));
	json_decref(j);
	assert_int_equal(nfd__oci_platform_parse(ctx, "windows/amd64:10.0.1", &want), 0);
	j = json_pack("{s:s, s:s, s:s}", "os", "windows", "architecture", "amd64", "os.version",
		      "10.0.2");
	assert_false(nfd__oci_platform_match(&want, j));
	json_object_set_new(j, "os.version", json_string("10.0.1"));
	assert_true(nfd__oci_platform_match(&want, j));
	json_decref(j);
	nfd_ctx_unref(ctx);
}

static json_t *desc(const char *digest_char, const char *type, const char *created)
{
	char d[80];
	json_t *j;

	snprintf(d, sizeof(d), "sha256:%.64s", digest_char);
	j = json_pack("{s:s, s:s, s:i, s:s}", "mediaType", OCI_MEDIA_MANIFEST, "digest", d, "size",
		      10, "artifactType", type);
	if (created)
		json_object_set_new(j, "annotations",
				    json_pack("{s:s}", OCI_ANNOT_CREATED, created));
	return j;
}

static void test_choose(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	const char *nfd = NFD_SPEC_ARTIFACT_TYPE;
	json_t *a = json_array();
	char ones[65], twos[65], threes[65], fours[65];

	memset(ones, '1', 64), ones[64] = 0;
	memset(twos, '2', 64), twos[64] = 0;
	memset(threes, '3', 64), threes[64] = 0;
	memset(fours, '4', 64), fours[64] = 0;

	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), -ENOENT);
	json_array_append_new(a, desc(fours, "application/other", "2030-01-01T00:00:00Z"));
	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), -ENOENT);
	json_array_append_new(a, desc(threes, nfd, NULL));
	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), 1);
	json_array_append_new(a, desc(ones, nfd, "2025-01-01T00:00:00Z"));
	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), 2);
	json_array_append_new(a, desc(twos, nfd, "2024-12-31T23:00:00-02:00"));
	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), 3);
	/* a tie on time: the higher digest, wherever it is in the list */
	json_array_insert_new(a, 0, desc(fours, nfd, "2025-01-01T01:00:00+00:00"));
	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), 0);
	json_array_remove(a, 0);
	json_array_append_new(a, desc(ones, nfd, "garbage"));
	assert_int_equal(nfd__oci_choose_artifact(ctx, a, nfd), 3);
	json_decref(a);
	nfd_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_parse),      cmocka_unit_test(test_layout_ref),
		cmocka_unit_test(test_digest),	       cmocka_unit_test(test_platform_parse),
		cmocka_unit_test(test_platform_match), cmocka_unit_test(test_choose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
