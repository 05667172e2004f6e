/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OCI code's parsers of untrusted text, all fed the same input: image
 * and layout references, platforms, WWW-Authenticate challenges, base64,
 * RFC 3339 times, a docker/podman auth file, and a manifest or index as a
 * registry or layout would serve it (descriptors, platform matching, the
 * choice among referrers).
 */
#include <stdio.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "libnfd/oci/oci-auth.h"
#include "libnfd/oci/oci-internal.h"
#include "shared/rfc3339.h"

static struct nfd_ctx *ctx;
static char auth_path[4096];
static int auth_fd = -1;

static void strings(const char *s)
{
	struct oci_ref ref;
	struct oci_layout_ref lref;
	struct oci_platform plat;
	struct oci_challenge ch;
	char *dec = NULL, buf[256];
	size_t dec_len;
	int64_t sec;
	long nsec;

	if (nfd__oci_ref_parse(ctx, s, &ref) >= 0) {
		if (!ref.registry || !ref.host || !ref.repository || (!ref.tag && !ref.digest))
			abort();
		nfd__oci_ref_done(&ref);
	}
	if (nfd__oci_ref_is_layout(s) && nfd__oci_layout_ref_parse(ctx, s, &lref) >= 0) {
		if (!lref.path || !*lref.path)
			abort();
		nfd__oci_layout_ref_done(&lref);
	}
	if (nfd__oci_platform_parse(ctx, s, &plat) >= 0)
		(void)nfd__oci_platform_str(&plat, buf, sizeof(buf));
	if (nfd__oci_challenge_parse(s, &ch) >= 0)
		nfd__oci_challenge_done(&ch);
	if (nfd__oci_base64_decode(s, &dec, &dec_len) >= 0) {
		if (strlen(dec) > dec_len)
			abort(); /* NUL-terminated at dec_len */
		free(dec);
	}
	(void)parse_rfc3339(s, &sec, &nsec);
	(void)nfd__oci_tag_valid(s);
	(void)nfd__oci_repository_valid(s);
	if (nfd__oci_digest_valid(s))
		free(nfd__oci_referrers_tag(s));
}

static void auth_file(const uint8_t *data, size_t size)
{
	static const char *const regs[][2] = {
		{"docker.io", "library/ubuntu"},
		{"127.0.0.1:5000", "demo/app"},
		{"ghcr.io", "org/team/image"},
	};

	if (auth_fd < 0) {
		const char *tmp = getenv("TMPDIR");

		snprintf(auth_path, sizeof(auth_path), "%s/nfd-fuzz-auth-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		auth_fd = mkstemp(auth_path);
		if (auth_fd < 0)
			abort();
		unlink(auth_path); /* read through /proc/self/fd */
		snprintf(auth_path, sizeof(auth_path), "/proc/self/fd/%d", auth_fd);
	}
	if (ftruncate(auth_fd, 0) < 0 || pwrite(auth_fd, data, size, 0) != (ssize_t)size)
		abort();
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		struct oci_cred c = {};

		if (nfd__oci_auth_file_lookup(ctx, auth_path, regs[i][0], regs[i][1], &c) >= 0) {
			if (!c.token && !c.identity_token && (!c.username || !c.password))
				abort();
			nfd__oci_cred_done(&c);
		}
	}
}

static void descriptors(json_t *arr, const char *what)
{
	struct oci_platform want = {};
	struct oci_desc d;
	size_t i;
	json_t *e;

	if (nfd__oci_platform_parse(ctx, "linux/arm64/v8", &want) < 0)
		abort();
	json_array_foreach(arr, i, e)
	{
		(void)nfd__oci_desc_from_json(ctx, what, e, &d);
		(void)nfd__oci_platform_match(&want, json_object_get(e, "platform"));
	}
	(void)nfd__oci_choose_artifact(ctx, arr, NFD_SPEC_ARTIFACT_TYPE);
}

static void manifest(const uint8_t *data, size_t size)
{
	struct oci_blob b = {};
	struct oci_desc d;
	json_t *j = NULL;
	char digest[OCI_DIGEST_MAX];

	b.data = fuzz_strndup(data, size);
	b.len = size;
	if (nfd__oci_sha256_digest(data, size, digest) < 0)
		abort();
	if (nfd__oci_verify_digest(ctx, "manifest", data, size, digest) < 0)
		abort();
	if (nfd__oci_json_parse(ctx, "manifest", &b, &j) >= 0) {
		const char *mt = json_string_value(json_object_get(j, "mediaType"));

		(void)nfd__oci_media_is_index(mt);
		(void)nfd__oci_media_is_manifest(mt);
		descriptors(json_object_get(j, "manifests"), "index entry");
		descriptors(json_object_get(j, "layers"), "layer");
		(void)nfd__oci_desc_from_json(ctx, "config", json_object_get(j, "config"), &d);
		(void)nfd__oci_desc_from_json(ctx, "subject", json_object_get(j, "subject"), &d);
		json_decref(j);
	}
	nfd__oci_blob_done(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (!ctx)
		ctx = fuzz_ctx_new();
	s = fuzz_strndup(data, size);
	strings(s);
	free(s);
	auth_file(data, size);
	manifest(data, size);
	return 0;
}
