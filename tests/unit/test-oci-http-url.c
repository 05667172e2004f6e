/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP client's URL code without a socket: RFC 3986 resolution (the
 * examples of its section 5.4), origins, splitting, and the proxy choice
 * from the environment with no_proxy matching (doc/http.md).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/oci/http-internal.h"

static void assert_resolves(const char *base, const char *ref, const char *want)
{
	char *got = nfd__oci_url_resolve(base, ref);

	if (!want) {
		if (got)
			fail_msg("'%s' against '%s': want NULL, got '%s'", ref, base, got);
		return;
	}
	if (!got)
		fail_msg("'%s' against '%s': want '%s', got NULL", ref, base, want);
	assert_string_equal(got, want);
	free(got);
}

/* RFC 3986 section 5.4, fragments dropped (they are never sent) */
static void test_rfc3986_examples(void **state)
{
	const char *b = "http://a/b/c/d;p?q";
	static const char *const cases[][2] = {
		{"g", "http://a/b/c/g"},
		{"./g", "http://a/b/c/g"},
		{"g/", "http://a/b/c/g/"},
		{"/g", "http://a/g"},
		{"//g", "http://g/"},
		{"?y", "http://a/b/c/d;p?y"},
		{"g?y", "http://a/b/c/g?y"},
		{"#s", "http://a/b/c/d;p?q"},
		{"g#s", "http://a/b/c/g"},
		{"g?y#s", "http://a/b/c/g?y"},
		{";x", "http://a/b/c/;x"},
		{"g;x", "http://a/b/c/g;x"},
		{"", "http://a/b/c/d;p?q"},
		{".", "http://a/b/c/"},
		{"./", "http://a/b/c/"},
		{"..", "http://a/b/"},
		{"../", "http://a/b/"},
		{"../g", "http://a/b/g"},
		{"../..", "http://a/"},
		{"../../", "http://a/"},
		{"../../g", "http://a/g"},
		{"../../../g", "http://a/g"},
		{"../../../../g", "http://a/g"},
		{"/./g", "http://a/g"},
		{"/../g", "http://a/g"},
		{"g.", "http://a/b/c/g."},
		{".g", "http://a/b/c/.g"},
		{"g..", "http://a/b/c/g.."},
		{"..g", "http://a/b/c/..g"},
		{"./../g", "http://a/b/g"},
		{"./g/.", "http://a/b/c/g/"},
		{"g/./h", "http://a/b/c/g/h"},
		{"g/../h", "http://a/b/c/h"},
		{"g;x=1/./y", "http://a/b/c/g;x=1/y"},
		{"g;x=1/../y", "http://a/b/c/y"},
		{"g?y/./x", "http://a/b/c/g?y/./x"},
		{"g?y/../x", "http://a/b/c/g?y/../x"},
		{"HTTPS://b/./c/../d", "https://b/d"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_resolves(b, cases[i][0], cases[i][1]);
}

static void test_resolve_registry(void **state)
{
	(void)state;
	/* Link and Location values as registries send them */
	assert_resolves("https://reg:5000/v2/demo/app/tags/list",
			"/v2/demo/app/tags/list?n=1&last=a",
			"https://reg:5000/v2/demo/app/tags/list?n=1&last=a");
	assert_resolves("http://127.0.0.1:5000/v2/r/blobs/uploads/",
			"/v2/r/blobs/uploads/0b9c?_state=x%3D",
			"http://127.0.0.1:5000/v2/r/blobs/uploads/0b9c?_state=x%3D");
	assert_resolves("https://reg/v2/x", "https://cdn.example.com/blob?sig=1",
			"https://cdn.example.com/blob?sig=1");
	assert_resolves("https://[::1]:5000/v2/x", "/y", "https://[::1]:5000/y");
	assert_resolves("http://a/b", "//[::1]:8080/z", "http://[::1]:8080/z");
	/* what we cannot or must not request */
	assert_resolves("https://reg/v2/x", "ftp://reg/x", NULL);
	assert_resolves("https://reg/v2/x", "file:///etc/passwd", NULL);
	assert_resolves("https://reg/v2/x", "http:g", NULL);
	assert_resolves("https://reg/v2/x", "/a b", NULL);
	assert_resolves("https://reg/v2/x", "/a\r\nX-Injected: 1", NULL);
	assert_resolves("https://reg/v2/x", "//[zz]/", NULL);
	assert_resolves("https://reg/v2/x", "//reg:99999/", NULL);
	assert_resolves("not a url", "/x", NULL);
	assert_resolves("/relative", "/x", NULL);
}

static void assert_origin(const char *url, const char *want)
{
	char *got = nfd__oci_url_origin(url);

	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_origin(void **state)
{
	(void)state;
	assert_origin("https://Registry.Example.COM/v2/", "https://registry.example.com:443");
	assert_origin("HTTP://127.0.0.1", "http://127.0.0.1:80");
	assert_origin("http://127.0.0.1:5000/x?y#z", "http://127.0.0.1:5000");
	assert_origin("https://[::1]:5000/v2/", "https://[::1]:5000");
	assert_origin("https://[::FFFF:127.0.0.1]/", "https://[::ffff:127.0.0.1]:443");
	assert_origin("https://user:pw@reg:5000/", "https://reg:5000");
	assert_origin("ftp://reg/", NULL);
	assert_origin("https://", NULL);
	assert_origin("https://:5000/", NULL);
	assert_origin("https://reg:0/", NULL);
	assert_origin("https://reg:65536/", NULL);
	assert_origin("https://reg:5x/", NULL);
	assert_origin("https://[::1/", NULL);
	assert_origin("https://[::1]x/", NULL);
	assert_origin("https://re g/", NULL);
	assert_origin("https://reg/\x01", NULL);
}

static void test_parse(void **state)
{
	struct http_url u;
	char *hp;

	(void)state;
	assert_int_equal(nfd__http_url_parse("https://u:p%40@Reg:5000/v2/a?b=c#frag", &u), 0);
	assert_true(u.https);
	assert_string_equal(u.host, "reg");
	assert_string_equal(u.userinfo, "u:p%40");
	assert_int_equal(u.port, 5000);
	assert_true(u.port_given);
	assert_string_equal(u.target, "/v2/a?b=c");
	hp = nfd__http_url_hostport(&u, false);
	assert_string_equal(hp, "reg:5000");
	free(hp);
	nfd__http_url_done(&u);

	assert_int_equal(nfd__http_url_parse("http://[fe80::1]", &u), 0);
	assert_true(u.ipv6);
	assert_int_equal(u.port, 80);
	assert_string_equal(u.target, "/");
	hp = nfd__http_url_hostport(&u, false);
	assert_string_equal(hp, "[fe80::1]");
	free(hp);
	hp = nfd__http_url_hostport(&u, true);
	assert_string_equal(hp, "[fe80::1]:80");
	free(hp);
	nfd__http_url_done(&u);
	assert_int_equal(nfd__http_url_parse("http://h/a]b", &u), -EINVAL);
}

static void test_escape(void **state)
{
	char *s = nfd__oci_url_escape("repository:a/b:pull,push ~x");

	(void)state;
	assert_string_equal(s, "repository%3Aa%2Fb%3Apull%2Cpush%20~x");
	free(s);
}

static void test_no_proxy(void **state)
{
	(void)state;
	assert_true(nfd__http_no_proxy_match("*", "anything", 443));
	assert_true(nfd__http_no_proxy_match("example.com", "example.com", 443));
	assert_true(nfd__http_no_proxy_match("example.com", "reg.example.com", 443));
	assert_true(nfd__http_no_proxy_match(".example.com", "reg.example.com", 443));
	assert_true(nfd__http_no_proxy_match(".example.com", "example.com", 443));
	assert_true(nfd__http_no_proxy_match("Example.COM", "reg.example.com", 443));
	assert_false(nfd__http_no_proxy_match("example.com", "badexample.com", 443));
	assert_false(nfd__http_no_proxy_match("reg.example.com", "example.com", 443));
	assert_true(nfd__http_no_proxy_match("a.org, b.org,c.org", "c.org", 80));
	assert_true(nfd__http_no_proxy_match("a.org b.org", "b.org", 80));
	assert_false(nfd__http_no_proxy_match("a.org,b.org", "d.org", 80));
	assert_true(nfd__http_no_proxy_match("127.0.0.1", "127.0.0.1", 5000));
	assert_false(nfd__http_no_proxy_match("127.0.0.1", "127.0.0.2", 5000));
	assert_true(nfd__http_no_proxy_match("10.0.0.0/8", "10.1.2.3", 443));
	assert_false(nfd__http_no_proxy_match("10.0.0.0/8", "11.0.0.1", 443));
	assert_true(nfd__http_no_proxy_match("192.168.1.0/25", "192.168.1.127", 443));
	assert_false(nfd__http_no_proxy_match("192.168.1.0/25", "192.168.1.128", 443));
	assert_false(nfd__http_no_proxy_match("10.0.0.0/8", "ten.example", 443));
	assert_true(nfd__http_no_proxy_match("::1", "::1", 443));
	assert_true(nfd__http_no_proxy_match("[::1]", "::1", 443));
	assert_true(nfd__http_no_proxy_match("fd00::/8", "fd12::5", 443));
	assert_true(nfd__http_no_proxy_match("[::1]:5000", "::1", 5000));
	assert_false(nfd__http_no_proxy_match("[::1]:5000", "::1", 5001));
	assert_true(nfd__http_no_proxy_match("localhost:5000", "localhost", 5000));
	assert_false(nfd__http_no_proxy_match("localhost:5000", "localhost", 5001));
	assert_false(nfd__http_no_proxy_match("", "localhost", 80));
	assert_false(nfd__http_no_proxy_match(",,", "localhost", 80));
}

static void assert_proxy(const char *url, const char *want)
{
	struct http_url u;
	char *got = NULL;

	assert_int_equal(nfd__http_url_parse(url, &u), 0);
	assert_int_equal(nfd__http_proxy_for(&u, &got), 0);
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	free(got);
	nfd__http_url_done(&u);
}

static void test_proxy_env(void **state)
{
	static const char *const vars[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
					   "all_proxy",	 "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

	(void)state;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	assert_proxy("http://reg/", NULL);
	/* HTTP_PROXY is never read: a CGI request's "Proxy:" header sets it */
	setenv("HTTP_PROXY", "http://evil:1", 1);
	assert_proxy("http://reg/", NULL);
	setenv("http_proxy", "http://p:3128", 1);
	assert_proxy("http://reg/", "http://p:3128");
	assert_proxy("https://reg/", NULL);
	setenv("HTTPS_PROXY", "http://P2:3128", 1);
	assert_proxy("https://reg/", "http://P2:3128");
	setenv("https_proxy", "http://p3:3128", 1);
	assert_proxy("https://reg/", "http://p3:3128");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	setenv("ALL_PROXY", "http://all:1", 1);
	assert_proxy("https://reg/", "http://all:1");
	setenv("all_proxy", "http://all2:1", 1);
	assert_proxy("https://reg/", "http://all2:1");
	setenv("NO_PROXY", "reg", 1);
	assert_proxy("https://reg/", NULL);
	assert_proxy("http://other/", "http://p:3128");
	setenv("no_proxy", "other", 1);
	assert_proxy("http://other/", NULL);
	assert_proxy("https://reg/", "http://all2:1");
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3986_examples), cmocka_unit_test(test_resolve_registry),
		cmocka_unit_test(test_origin),		 cmocka_unit_test(test_parse),
		cmocka_unit_test(test_escape),		 cmocka_unit_test(test_no_proxy),
		cmocka_unit_test(test_proxy_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
