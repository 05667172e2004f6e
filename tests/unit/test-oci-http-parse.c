/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP/1.1 response parser without a socket: bytes in, in one piece
 * and byte by byte, the response or the exact error out.  Framing
 * (Content-Length, chunked, until close), interim responses, the headers
 * the registry client reads, and every limit of doc/limits.md.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libnfd/oci/http-internal.h"

/*
 * Parse s, whole (step 0) or in pieces of step bytes; eof: the connection
 * closes after it.  Returns the parser's final result; resp is filled.
 */
static int parse(const char *s, size_t n, size_t step, bool head, size_t max, bool eof,
		 struct oci_http_resp *resp, char *msg)
{
	struct http_parser p;
	size_t off = 0;
	int r = 0;

	nfd__http_parser_init(&p, resp, head, max);
	while (r == 0 && off < n) {
		size_t k = step ? (n - off < step ? n - off : step) : n - off, used = 0;

		r = nfd__http_parser_feed(&p, s + off, k, &used);
		assert_true(used <= k);
		if (r == 0)
			assert_int_equal(used, k);
		off += used;
	}
	if (r == 0 && eof)
		r = nfd__http_parser_eof(&p);
	if (msg)
		strcpy(msg, p.msg);
	nfd__http_parser_done(&p);
	return r;
}

/* Parse s every way (whole, in 1, 3 and 7-byte pieces): the same result each time. */
static int parse_all(const char *s, bool head, size_t max, bool eof, struct oci_http_resp *resp,
		     char *msg)
{
	static const size_t steps[] = {1, 3, 7, 0};
	int first = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int r;

		nfd__oci_http_resp_done(resp);
		r = parse(s, strlen(s), steps[i], head, max, eof, resp, msg);
		if (i > 0)
			assert_int_equal(r, first);
		first = r;
	}
	return first;
}

static void test_content_length(void **state)
{
	struct oci_http_resp resp = {0};
	const char *s = "HTTP/1.1 200 OK\r\n"
			"Content-Type: application/vnd.oci.image.index.v1+json; charset=utf-8\r\n"
			"content-length: 2\r\n"
			"Docker-Content-Digest: sha256:abc\r\n"
			"OCI-Subject: sha256:def\r\n"
			"OCI-Filters-Applied:   artifactType  \r\n"
			"Link: </v2/x?n=1>; rel=\"next\"\r\n"
			"Retry-After: 7\r\n"
			"\r\n"
			"{}";

	(void)state;
	assert_int_equal(parse_all(s, false, 100, false, &resp, NULL), 1);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.len, 2);
	assert_string_equal(resp.body, "{}");
	assert_string_equal(resp.content_type, "application/vnd.oci.image.index.v1+json");
	assert_string_equal(resp.digest, "sha256:abc");
	assert_string_equal(resp.oci_subject, "sha256:def");
	assert_string_equal(resp.filters, "artifactType");
	assert_string_equal(resp.link, "</v2/x?n=1>; rel=\"next\"");
	assert_int_equal(resp.retry_after, 7);
	assert_null(resp.location);
	nfd__oci_http_resp_done(&resp);
}

static void test_chunked(void **state)
{
	struct oci_http_resp resp = {0};
	const char *s = "HTTP/1.1 200 OK\r\n"
			"Transfer-Encoding: chunked\r\n"
			"\r\n"
			"4;name=value\r\nWiki\r\n"
			"A\r\npedia is a\r\n"
			"0\r\n"
			"X-Trailer: dropped\r\n"
			"\r\n";

	(void)state;
	assert_int_equal(parse_all(s, false, 100, false, &resp, NULL), 1);
	assert_string_equal(resp.body, "Wikipedia is a");
	assert_int_equal(resp.len, 14);
	nfd__oci_http_resp_done(&resp);
}

/* bytes after a complete response are not consumed */
static void test_rest_left(void **state)
{
	struct oci_http_resp resp = {0};
	struct http_parser p;
	const char *s = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxGARBAGE";
	size_t used = 0;

	(void)state;
	nfd__http_parser_init(&p, &resp, false, 100);
	assert_int_equal(nfd__http_parser_feed(&p, s, strlen(s), &used), 1);
	assert_int_equal(used, strlen(s) - 7);
	assert_string_equal(resp.body, "x");
	nfd__http_parser_done(&p);
	nfd__oci_http_resp_done(&resp);
}

static void test_until_close(void **state)
{
	struct oci_http_resp resp = {0};

	(void)state;
	assert_int_equal(
		parse_all("HTTP/1.0 200 OK\r\n\r\nall of it", false, 100, true, &resp, NULL), 1);
	assert_string_equal(resp.body, "all of it");
	/* no close yet: more is wanted */
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\n\r\npart", false, 100, false, &resp, NULL),
			 0);
	nfd__oci_http_resp_done(&resp);
}

static void test_interim_and_joined(void **state)
{
	struct oci_http_resp resp = {0};
	const char *s = "HTTP/1.1 100 Continue\r\n"
			"Location: /interim\r\n"
			"\r\n"
			"HTTP/1.1 401 Unauthorized\r\n"
			"WWW-Authenticate: Bearer realm=\"https://auth/token\"\r\n"
			"Www-Authenticate: Basic realm=\"x\"\r\n"
			"Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
			"Content-Length: 0\r\n"
			"\r\n";

	(void)state;
	assert_int_equal(parse_all(s, false, 100, false, &resp, NULL), 1);
	assert_int_equal(resp.status, 401);
	assert_null(resp.location);
	assert_string_equal(resp.www_authenticate,
			    "Bearer realm=\"https://auth/token\", Basic realm=\"x\"");
	assert_int_equal(resp.retry_after, -1);
	assert_string_equal(resp.body, "");
	nfd__oci_http_resp_done(&resp);
}

static void test_no_body(void **state)
{
	struct oci_http_resp resp = {0};

	(void)state;
	/* HEAD: the Content-Length is the GET's, no body follows */
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n"
				   "Docker-Content-Digest: sha256:1\r\n\r\n",
				   true, 100, false, &resp, NULL),
			 1);
	assert_string_equal(resp.digest, "sha256:1");
	assert_int_equal(resp.len, 0);
	assert_int_equal(
		parse_all("HTTP/1.1 204 No Content\r\n\r\n", false, 100, false, &resp, NULL), 1);
	assert_int_equal(resp.status, 204);
	assert_int_equal(parse_all("HTTP/1.1 307 Temporary Redirect\r\nLocation: /v2/y\r\n"
				   "Content-Length: 0\r\n\r\n",
				   false, 100, false, &resp, NULL),
			 1);
	assert_string_equal(resp.location, "/v2/y");
	/* bare LF line ends are accepted */
	assert_int_equal(parse_all("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false, 100, false,
				   &resp, NULL),
			 1);
	assert_string_equal(resp.body, "ok");
	nfd__oci_http_resp_done(&resp);
}

static void assert_fails(const char *s, bool eof, int err, const char *msg_part)
{
	struct oci_http_resp resp = {0};
	char msg[160];

	assert_int_equal(parse_all(s, false, 16, eof, &resp, msg), err);
	if (!strstr(msg, msg_part))
		fail_msg("'%s': message '%s' lacks '%s'", s, msg, msg_part);
	nfd__oci_http_resp_done(&resp);
}

static void test_malformed(void **state)
{
	(void)state;
	assert_fails("HTTP/2 200 OK\r\n\r\n", false, -EPROTO, "bad status line");
	assert_fails("HTTP/1.1 20 OK\r\n\r\n", false, -EPROTO, "bad status line");
	assert_fails("HTTP/1.1 2000 OK\r\n\r\n", false, -EPROTO, "bad status line");
	assert_fails("HTTP/1.1 099 Low\r\n\r\n", false, -EPROTO, "bad status line");
	assert_fails("SSH-2.0-OpenSSH\r\n", false, -EPROTO, "bad status line");
	assert_fails("HTTP/1.1 101 Switching\r\n\r\n", false, -EPROTO, "101");
	assert_fails("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", false, -EPROTO, "without a name");
	assert_fails("HTTP/1.1 200 OK\r\n: empty\r\n\r\n", false, -EPROTO, "without a name");
	assert_fails("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", false, -EPROTO, "bad header name");
	assert_fails("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", false, -EPROTO, "folded");
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", false, -EPROTO,
		     "bad Content-Length");
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, -EPROTO,
		     "bad Content-Length");
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false,
		     -EPROTO, "conflicting Content-Length");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false, -EPROTO,
		     "unsupported Transfer-Encoding");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, -EPROTO,
		     "bad chunk size");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", false,
		     -EPROTO, "longer than its size");
	assert_fails("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", false, -EPROTO, "control character");
}

static void test_truncated(void **state)
{
	(void)state;
	assert_fails("", true, -EPROTO, "empty reply");
	assert_fails("HTTP/1.1 200", true, -EPROTO, "closed in the response headers");
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n", true, -EPROTO,
		     "closed in the response headers");
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true, -EPROTO,
		     "transfer closed with 7 bytes remaining");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", true, -EPROTO,
		     "chunked");
}

static void test_limits(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* the body: 16 bytes here */
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n", false, -E2BIG,
		     "response larger than 16 bytes");
	assert_fails("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999\r\n\r\n", false, -E2BIG,
		     "response larger than 16 bytes");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "8\r\n12345678\r\n9\r\n",
		     false, -E2BIG, "response larger than 16 bytes");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "fffffffffffffff\r\n",
		     false, -E2BIG, "response larger than 16 bytes");
	assert_fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "ffffffffffffffff\r\n",
		     false, -EPROTO, "chunk size too long");
	assert_fails("HTTP/1.1 200 OK\r\n\r\n12345678901234567", false, -E2BIG,
		     "response larger than 16 bytes");

	/* one line over the line limit */
	strbuf_puts(&sb, "HTTP/1.1 200 OK\r\nX: ");
	for (unsigned i = 0; i < HTTP_LINE_MAX; i++)
		strbuf_putc(&sb, 'a');
	strbuf_puts(&sb, "\r\n\r\n");
	assert_fails(strbuf_str(&sb), false, -E2BIG,
		     "line is over the 8 KiB limit (doc/limits.md)");
	strbuf_truncate(&sb, 0);

	/* many lines, each short: the header section's limit */
	strbuf_puts(&sb, "HTTP/1.1 200 OK\r\n");
	for (unsigned i = 0; i < 80; i++) {
		strbuf_puts(&sb, "X: ");
		for (unsigned j = 0; j < 1000; j++)
			strbuf_putc(&sb, 'a');
		strbuf_puts(&sb, "\r\n");
	}
	strbuf_puts(&sb, "\r\n");
	assert_fails(strbuf_str(&sb), false, -E2BIG,
		     "header section is over the 64 KiB limit (doc/limits.md)");
	strbuf_truncate(&sb, 0);

	/* many tiny fields */
	strbuf_puts(&sb, "HTTP/1.1 200 OK\r\n");
	for (unsigned i = 0; i <= HTTP_N_HEADERS; i++)
		strbuf_puts(&sb, "X: y\r\n");
	strbuf_puts(&sb, "\r\n");
	assert_fails(strbuf_str(&sb), false, -E2BIG, "more than 100 header fields");
	strbuf_release(&sb);

	/* endless interim responses are bounded by the same section limit */
	for (unsigned i = 0; i < 5000; i++)
		strbuf_puts(&sb, "HTTP/1.1 100 Continue\r\n\r\n");
	assert_fails(strbuf_str(&sb), false, -E2BIG, "header section is over the");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_rest_left),
		cmocka_unit_test(test_until_close),
		cmocka_unit_test(test_interim_and_joined),
		cmocka_unit_test(test_no_body),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
