/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Origins and addresses: the token realm check compares parsed, canonical
 * hosts.  One case per bypass found against string-prefix checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "libnfd/oci/oci-internal.h"

static void assert_canonical(const char *host, const char *want)
{
	char *got = NULL;

	assert_int_equal(nfd__oci_host_canonical(host, strlen(host), &got), 0);
	assert_string_equal(got, want);
	free(got);
}

static void test_canonical_hosts(void **state)
{
	char *got = NULL;

	(void)state;
	assert_canonical("LOCALHOST", "localhost");
	assert_canonical("localhost.", "localhost");
	assert_canonical("Registry.Example.COM.", "registry.example.com");
	assert_canonical("2130706433", "127.0.0.1");
	assert_canonical("0177.0.0.1", "127.0.0.1");
	assert_canonical("0x7f.1", "127.0.0.1");
	assert_canonical("0x7F000001", "127.0.0.1");
	assert_canonical("127.1", "127.0.0.1");
	assert_canonical("127.0.0.1.", "127.0.0.1");
	assert_canonical("0", "0.0.0.0");
	assert_canonical("[::1]", "[::1]");
	assert_canonical("[0:0:0:0:0:0:0:1]", "[::1]");
	assert_canonical("[FE80::1]", "[fe80::1]");
	assert_canonical("1e100.net", "1e100.net");
	/* no escapes, no userinfo, no empty labels, no numbers out of range */
	assert_int_equal(nfd__oci_host_canonical("ho%73t", 6, &got), -EINVAL);
	assert_int_equal(nfd__oci_host_canonical("a@b", 3, &got), -EINVAL);
	assert_int_equal(nfd__oci_host_canonical("a..b", 4, &got), -EINVAL);
	assert_int_equal(nfd__oci_host_canonical("256.0.0.1", 9, &got), -EINVAL);
	assert_int_equal(nfd__oci_host_canonical("1.2.3.4.5", 9, &got), -EINVAL);
	assert_int_equal(nfd__oci_host_canonical("[::1", 4, &got), -EINVAL);
	assert_int_equal(nfd__oci_host_canonical("[fe80::1%eth0]", 14, &got), -EINVAL);
	assert_null(got);
}

static void test_private_ranges(void **state)
{
	static const char *const private[] = {
		"localhost",
		"a.localhost",
		"127.0.0.1",
		"127.255.0.9",
		"0.0.0.0",
		"10.0.0.1",
		"172.16.0.1",
		"172.31.255.255",
		"192.168.1.1",
		"169.254.169.254",
		"100.64.0.1",
		"[::1]",
		"[::]",
		"[fc00::1]",
		"[fd12:3456::1]",
		"[fe80::1]",
		"[::ffff:127.0.0.1]",
		"[::ffff:10.1.2.3]",
	};
	static const char *const public[] = {
		"registry.example.com", "8.8.8.8",	 "172.15.255.255",    "172.32.0.1",
		"192.169.0.1",		"[2001:db8::1]", "[2606:4700::1111]", "[::ffff:8.8.8.8]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(private) / sizeof(*private); i++) {
		if (!nfd__oci_host_is_private(private[i]))
			fail_msg("%s is private", private[i]);
	}
	for (size_t i = 0; i < sizeof(public) / sizeof(*public); i++) {
		if (nfd__oci_host_is_private(public[i]))
			fail_msg("%s is public", public[i]);
	}
}

static void test_origin_parse(void **state)
{
	struct oci_origin a, b;

	(void)state;
	assert_int_equal(nfd__oci_origin_parse("HTTPS://Auth.Example.com./token?x=1", &a), 0);
	assert_true(a.https);
	assert_int_equal(a.port, 443);
	assert_string_equal(a.host, "auth.example.com");
	assert_int_equal(nfd__oci_origin_parse("https://auth.example.com:443", &b), 0);
	assert_true(nfd__oci_origin_equal(&a, &b));
	nfd__oci_origin_done(&b);
	assert_int_equal(nfd__oci_origin_parse("http://auth.example.com:443", &b), 0);
	assert_false(nfd__oci_origin_equal(&a, &b));
	nfd__oci_origin_done(&b);
	nfd__oci_origin_done(&a);
	assert_int_equal(nfd__oci_origin_parse("http://[::1]:5000/t", &a), 0);
	assert_string_equal(a.host, "[::1]");
	assert_int_equal(a.port, 5000);
	nfd__oci_origin_done(&a);

	assert_int_equal(nfd__oci_origin_parse("ftp://host/", &a), -EINVAL);
	assert_int_equal(nfd__oci_origin_parse("https://user@host/", &a), -EINVAL);
	assert_int_equal(nfd__oci_origin_parse("https://host:99999/", &a), -EINVAL);
	assert_int_equal(nfd__oci_origin_parse("https://host:80x/", &a), -EINVAL);
	assert_int_equal(nfd__oci_origin_parse("host/token", &a), -EINVAL);
}

/* The bypasses, registry on 127.0.0.1:5000 with plain HTTP allowed. */
static void test_realm_bypasses(void **state)
{
	const char *reg = "127.0.0.1:5000";

	(void)state;
	/* the registry's own host, any port: allowed */
	assert_true(nfd__oci_realm_allowed(reg, true, "http://127.0.0.1:5001/token"));
	/* another name or address for this machine is not the registry's host */
	assert_false(nfd__oci_realm_allowed(reg, true, "http://LOCALHOST:5001/token"));
	assert_false(nfd__oci_realm_allowed(reg, true, "http://localhost.:5001/token"));
	assert_false(nfd__oci_realm_allowed(reg, true, "http://0.0.0.0:5001/token"));
	assert_false(nfd__oci_realm_allowed(reg, true, "http://0:5001/token"));
	assert_false(nfd__oci_realm_allowed(reg, true, "http://[::1]:5001/token"));
	/* userinfo hides the real host: refused */
	assert_false(nfd__oci_realm_allowed(reg, true, "http://127.0.0.1@LOCALHOST:5001/"));
	assert_false(nfd__oci_realm_allowed(reg, true, "http://127.0.0.1:5000@evil.example/"));
	/* numeric spellings are 127.0.0.1 itself, so they are refused wherever
	 * the registry is not on 127.0.0.1 */
	assert_true(nfd__oci_realm_allowed(reg, true, "http://2130706433:5001/token"));
	assert_false(nfd__oci_realm_allowed("127.0.0.2:5000", true, "http://2130706433:5001/"));
	assert_false(
		nfd__oci_realm_allowed("registry.example.com", false, "https://2130706433/token"));
	assert_false(
		nfd__oci_realm_allowed("registry.example.com", false, "https://0177.0.0.1/token"));
	assert_false(nfd__oci_realm_allowed("registry.example.com", false, "https://0x7f.1/token"));
	assert_false(
		nfd__oci_realm_allowed("registry.example.com", false, "https://172.20.0.5/token"));
	assert_false(nfd__oci_realm_allowed("registry.example.com", false,
					    "https://169.254.169.254/latest"));
	assert_false(
		nfd__oci_realm_allowed("registry.example.com", false, "https://[fd00::1]/token"));
	/* a public IPv6 realm is not private any more */
	assert_true(nfd__oci_realm_allowed("registry.example.com", false,
					   "https://[2001:db8::1]/token"));
	assert_true(nfd__oci_realm_allowed("registry.example.com", false,
					   "https://auth.example.com/token"));
	/* plain http only when asked for */
	assert_false(nfd__oci_realm_allowed("registry.example.com", false,
					    "http://auth.example.com/token"));
	/* a registry on an IPv6 literal and its realm */
	assert_true(nfd__oci_realm_allowed("[::1]:5000", true, "http://[0::1]:5001/token"));
	assert_false(nfd__oci_realm_allowed(reg, true, NULL));
}

/* A realm with control characters reaches messages escaped. */
static void test_messages_escaped(void **state)
{
	struct nfd_ctx *ctx = nfd_ctx_new();

	(void)state;
	nfd__error(ctx, EACCES, "refusing token realm '%s'",
		   "http://x/\x1b[2J\x07\r\n\x7f\xc2\x9b");
	assert_string_equal(nfd_ctx_last_error(ctx),
			    "refusing token realm 'http://x/\\x1b[2J\\x07\\x0d\\x0a\\x7f\\u009b'");
	nfd_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_hosts),	 cmocka_unit_test(test_private_ranges),
		cmocka_unit_test(test_origin_parse),	 cmocka_unit_test(test_realm_bypasses),
		cmocka_unit_test(test_messages_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
