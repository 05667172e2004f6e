/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP client's parsers of what a server or a registry's headers send:
 * the response parser (the input whole, then in pieces of 1 and 7 bytes,
 * as a GET and as a HEAD answer: the same result every way), and the URL
 * code (the input's first line as a base, the second as a reference to
 * resolve, the third as a no_proxy list).
 */
#include <errno.h>

#include "fuzz/fuzz.h"
#include "libnfd/oci/http-internal.h"

static int parse(const uint8_t *data, size_t size, size_t step, bool head,
		 struct oci_http_resp *resp)
{
	struct http_parser p;
	size_t off = 0;
	int r = 0;

	nfd__http_parser_init(&p, resp, head, 4096);
	while (r == 0 && off < size) {
		size_t k = step && size - off > step ? step : size - off, used = 0;

		r = nfd__http_parser_feed(&p, (const char *)data + off, k, &used);
		if (used > k || (r == 0 && used != k))
			abort();
		off += used;
	}
	if (r == 0)
		r = nfd__http_parser_eof(&p);
	if (r < 0 && (!p.msg[0] || (r != -EPROTO && r != -E2BIG && r != -ENOMEM)))
		abort();
	nfd__http_parser_done(&p);
	return r;
}

static void responses(const uint8_t *data, size_t size)
{
	for (int head = 0; head < 2; head++) {
		struct oci_http_resp a = {0}, b = {0}, c = {0};
		int ra = parse(data, size, 0, head, &a);
		int rb = parse(data, size, 1, head, &b);
		int rc = parse(data, size, 7, head, &c);

		if (ra != rb || ra != rc)
			abort();
		if (ra > 0 &&
		    (a.status < 100 || a.status > 999 || a.len > 4096 || !a.body ||
		     a.len != b.len || memcmp(a.body, b.body, a.len) != 0 || (head && a.len != 0)))
			abort();
		nfd__oci_http_resp_done(&a);
		nfd__oci_http_resp_done(&b);
		nfd__oci_http_resp_done(&c);
	}
}

static void urls(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size), *base, *ref, *list, *save = NULL;
	char *res, *origin;
	struct http_url u;

	if (!s)
		return;
	base = strtok_r(s, "\n", &save);
	ref = base ? strtok_r(NULL, "\n", &save) : NULL;
	list = ref ? strtok_r(NULL, "\n", &save) : NULL;
	if (base && ref) {
		res = nfd__oci_url_resolve(base, ref);
		/* what resolves can be requested: it splits, and has an origin */
		if (res) {
			if (nfd__http_url_parse(res, &u) < 0)
				abort();
			if (list)
				(void)nfd__http_no_proxy_match(list, u.host, u.port);
			nfd__http_url_done(&u);
			origin = nfd__oci_url_origin(res);
			if (!origin)
				abort();
			free(origin);
			free(res);
		}
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	responses(data, size);
	urls(data, size);
	return 0;
}
