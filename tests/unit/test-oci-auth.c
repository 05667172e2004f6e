/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* WWW-Authenticate challenges, base64 and docker/podman auth files. */
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

#include "libnfd/oci/oci-auth.h"

static void test_challenge(void **state)
{
	struct oci_challenge c;

	assert_int_equal(nfd__oci_challenge_parse("Bearer realm=\"https://auth.docker.io/token\","
						  "service=\"registry.docker.io\","
						  "scope=\"repository:library/ubuntu:pull\"",
						  &c),
			 0);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/ubuntu:pull");
	assert_null(c.error);
	nfd__oci_challenge_done(&c);

	/* distribution's insufficient_scope, spaces after commas */
	assert_int_equal(
		nfd__oci_challenge_parse("Bearer realm=\"http://127.0.0.1:5060/token\", "
					 "service=\"test\", scope=\"repository:a/b:pull\", "
					 "error=\"insufficient_scope\"",
					 &c),
		0);
	assert_string_equal(c.error, "insufficient_scope");
	assert_string_equal(c.scope, "repository:a/b:pull");
	nfd__oci_challenge_done(&c);

	assert_int_equal(nfd__oci_challenge_parse("Basic realm=\"basic-realm\"", &c), 0);
	assert_string_equal(c.scheme, "Basic");
	assert_string_equal(c.realm, "basic-realm");
	nfd__oci_challenge_done(&c);

	/* several challenges in one header: Bearer preferred; token values,
	 * escapes, unknown parameters */
	assert_int_equal(
		nfd__oci_challenge_parse("Basic realm=\"x\", Bearer realm=\"https://t/\\\"q\","
					 "service=svc, foo=bar",
					 &c),
		0);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.realm, "https://t/\"q");
	assert_string_equal(c.service, "svc");
	nfd__oci_challenge_done(&c);

	assert_int_equal(nfd__oci_challenge_parse("", &c), -EBADMSG);
	assert_int_equal(nfd__oci_challenge_parse("Bearer realm=\"unterminated", &c), -EBADMSG);
}

static void test_base64(void **state)
{
	char *enc, *dec;
	size_t len;

	enc = nfd__oci_base64_encode("user:pa:ss", 10);
	assert_string_equal(enc, "dXNlcjpwYTpzcw==");
	assert_int_equal(nfd__oci_base64_decode(enc, &dec, &len), 0);
	assert_int_equal(len, 10);
	assert_string_equal(dec, "user:pa:ss");
	free(enc);
	free(dec);
	assert_int_equal(nfd__oci_base64_decode("YQ==", &dec, &len), 0);
	assert_int_equal(len, 1);
	free(dec);
	assert_int_equal(nfd__oci_base64_decode("abc", &dec, &len), -EINVAL);
	assert_int_equal(nfd__oci_base64_decode("a!c=", &dec, &len), -EINVAL);
}

static char *write_tmp(const char *content)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	int fd;

	assert_true(asprintf(&path, "%s/test-oci-auth.XXXXXX", tmp && *tmp ? tmp : "/tmp") > 0);
	fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

static void test_auth_file(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_cred c = {};
	char *path = write_tmp(
		"{\"auths\": {"
		"\"127.0.0.1:5000\": {\"auth\": \"dXNlcjpwYTpzcw==\"},"
		"\"https://index.docker.io/v1/\": {\"auth\": \"aHViOmh1YnB3\"},"
		"\"quay.io\": {\"username\": \"q\", \"password\": \"qp\"},"
		"\"quay.io/team\": {\"username\": \"t\", \"password\": \"tp\"},"
		"\"tok.example\": {\"registrytoken\": \"abc\"},"
		"\"id.example\": {\"auth\": \"PHRva2VuPjo=\", \"identitytoken\": \"refresh\"},"
		"\"bad.example\": {\"auth\": \"bm9jb2xvbg==\"}},"
		"\"credHelpers\": {\"gcr.io\": \"gcloud\"}, \"credsStore\": \"desktop\"}");

	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "127.0.0.1:5000", "a/b", &c), 0);
	assert_string_equal(c.username, "user");
	assert_string_equal(c.password, "pa:ss");
	nfd__oci_cred_done(&c);
	/* Docker Hub's URL key serves docker.io and registry-1.docker.io */
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "docker.io", "library/x", &c), 0);
	assert_string_equal(c.username, "hub");
	assert_string_equal(c.password, "hubpw");
	nfd__oci_cred_done(&c);
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "registry-1.docker.io", "x/y", &c),
			 0);
	nfd__oci_cred_done(&c);
	/* podman namespace keys: the more specific wins, and only its repos */
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "quay.io", "team/app", &c), 0);
	assert_string_equal(c.username, "t");
	nfd__oci_cred_done(&c);
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "quay.io", "teamx/app", &c), 0);
	assert_string_equal(c.username, "q");
	nfd__oci_cred_done(&c);
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "tok.example", "a", &c), 0);
	assert_null(c.username);
	assert_string_equal(c.token, "abc");
	nfd__oci_cred_done(&c);
	/* no port match (the credsStore helper is not installed: no
	 * credentials); the registry's own helper not installed and no auths
	 * entry is an error (as in docker); an identity token (OAuth2) */
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "127.0.0.1:5001", "a", &c), -ENOENT);
	{
		/* the machine may have docker-credential-gcloud: hide it */
		char *old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

		setenv("PATH", "/nonexistent", 1);
		assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "gcr.io", "a", &c), -EACCES);
		assert_non_null(strstr(nfd_ctx_last_error(ctx), "not found in $PATH"));
		if (old_path)
			setenv("PATH", old_path, 1);
		free(old_path);
	}
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "id.example", "a", &c), 0);
	assert_null(c.username);
	assert_null(c.token);
	assert_string_equal(c.identity_token, "refresh");
	nfd__oci_cred_done(&c);
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "bad.example", "a", &c), -EBADMSG);
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, "/nonexistent/auth.json", "x", "a", &c),
			 -ENOENT);
	unlink(path);
	free(path);

	path = write_tmp("{\"auths\": [");
	assert_int_equal(nfd__oci_auth_file_lookup(ctx, path, "x", "a", &c), -EBADMSG);
	unlink(path);
	free(path);
	nfd_ctx_unref(ctx);
}

static void test_auth_find_order(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct oci_cred c = {};
	char *first = write_tmp("{\"auths\": {\"other.example\": {\"auth\": \"YTpi\"}}}");
	char *second = write_tmp("{\"auths\": {\"r.example\": {\"auth\": \"Yzpk\"}}}");
	const char *tmp = getenv("TMPDIR");
	char *dir, *xdgfile;

	/* REGISTRY_AUTH_FILE without an entry: go on to XDG_RUNTIME_DIR */
	assert_true(asprintf(&dir, "%s/test-oci-auth-xdg.XXXXXX", tmp && *tmp ? tmp : "/tmp") > 0);
	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&xdgfile, "%s/containers", dir) > 0);
	assert_int_equal(mkdir(xdgfile, 0700), 0);
	free(xdgfile);
	assert_true(asprintf(&xdgfile, "%s/containers/auth.json", dir) > 0);
	assert_int_equal(rename(second, xdgfile), 0);
	setenv("REGISTRY_AUTH_FILE", first, 1);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	setenv("HOME", "/nonexistent", 1);
	unsetenv("DOCKER_CONFIG");
	assert_int_equal(nfd__oci_auth_find(ctx, NULL, "r.example", "a", &c), 0);
	assert_string_equal(c.username, "c");
	assert_string_equal(c.password, "d");
	nfd__oci_cred_done(&c);
	assert_int_equal(nfd__oci_auth_find(ctx, NULL, "other.example", "a", &c), 0);
	assert_string_equal(c.username, "a");
	nfd__oci_cred_done(&c);
	/* an explicit file is the only one read */
	assert_int_equal(nfd__oci_auth_find(ctx, first, "r.example", "a", &c), -ENOENT);
	assert_int_equal(nfd__oci_auth_find(ctx, NULL, "none.example", "a", &c), -ENOENT);
	unlink(xdgfile);
	unlink(first);
	free(xdgfile);
	free(first);
	free(second);
	assert_true(asprintf(&xdgfile, "%s/containers", dir) > 0);
	rmdir(xdgfile);
	free(xdgfile);
	rmdir(dir);
	free(dir);
	nfd_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_auth_file),
		cmocka_unit_test(test_auth_find_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
