/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTTP/1.1 response parser (RFC 9112): a status line, header fields,
 * then a body delimited by Content-Length, by chunked transfer coding or by
 * the end of the connection.  Strict and bounded: every line, the header
 * section, the number of fields and the body have a limit (doc/limits.md);
 * what does not parse is -EPROTO, what is too large -E2BIG.  Interim 1xx
 * responses (100 Continue) are skipped.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libnfd/oci/http-internal.h"
#include "shared/util.h"

enum {
	ST_STATUS,
	ST_HEADERS,
	ST_BODY,       /* Content-Length */
	ST_CHUNK_SIZE, /* the chunk-size line */
	ST_CHUNK_DATA,
	ST_CHUNK_END, /* the CRLF after a chunk's data */
	ST_TRAILERS,
	ST_UNTIL_CLOSE,
	ST_DONE,
};

static void reset_headers(struct oci_http_resp *r)
{
	r->status = 0;
	r->content_type[0] = r->digest[0] = r->oci_subject[0] = r->filters[0] = '\0';
	r->retry_after = -1;
	free(r->location);
	free(r->link);
	free(r->www_authenticate);
	r->location = r->link = r->www_authenticate = NULL;
}

void nfd__http_parser_init(struct http_parser *p, struct oci_http_resp *resp, bool no_body,
			   size_t max)
{
	memset(p, 0, sizeof(*p));
	p->resp = resp;
	p->no_body = no_body;
	p->max = max;
	strbuf_init(&p->line);
	strbuf_init(&p->body);
	reset_headers(resp);
}

void nfd__http_parser_done(struct http_parser *p)
{
	strbuf_release(&p->line);
	strbuf_release(&p->body);
}

static int fail(struct http_parser *p, int err, const char *fmt, ...) _printf_(3, 4);
static int fail(struct http_parser *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	return -err;
}

/* The body is over the cap: the caller words it with the cap's kind. */
static int body_over(struct http_parser *p)
{
	p->body_over = true;
	return fail(p, E2BIG, "response larger than %zu bytes", p->max);
}

static void set_fixed(char *dst, size_t size, const char *v, size_t n, bool strip_params)
{
	if (strip_params) {
		const char *semi = memchr(v, ';', n);

		if (semi)
			n = (size_t)(semi - v);
		while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
	}
	if (n >= size)
		n = size - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* A decimal without sign or spaces, at most 18 digits; false otherwise. */
static bool parse_dec(const char *s, size_t n, unsigned long long *ret)
{
	unsigned long long v = 0;

	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	*ret = v;
	return true;
}

static bool is_tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int header(struct http_parser *p, const char *s, size_t n)
{
	struct oci_http_resp *r = p->resp;
	const char *colon = memchr(s, ':', n), *v;
	size_t kn, vn;

	if (++p->n_headers > HTTP_N_HEADERS)
		return fail(
			p, E2BIG,
			"the response has more than %u header fields, the limit (doc/limits.md)",
			HTTP_N_HEADERS);
	if (n > 0 && (s[0] == ' ' || s[0] == '\t'))
		return fail(p, EPROTO, "malformed response: folded header line");
	if (!colon || colon == s)
		return fail(p, EPROTO, "malformed response: header line without a name");
	kn = (size_t)(colon - s);
	for (size_t i = 0; i < kn; i++)
		if (!is_tchar((unsigned char)s[i]))
			return fail(p, EPROTO, "malformed response: bad header name");
	v = colon + 1;
	vn = n - kn - 1;
	while (vn > 0 && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;

#define IS(name) (kn == strlen(name) && strncasecmp(s, name, kn) == 0)
	if (IS("Content-Length")) {
		unsigned long long len;

		if (!parse_dec(v, vn, &len))
			return fail(p, EPROTO, "malformed response: bad Content-Length");
		if (p->has_length && len != p->length)
			return fail(p, EPROTO, "malformed response: conflicting Content-Length");
		p->has_length = true;
		p->length = len;
	} else if (IS("Transfer-Encoding")) {
		if (!(vn == 7 && strncasecmp(v, "chunked", 7) == 0))
			return fail(p, EPROTO, "unsupported Transfer-Encoding '%.*s'",
				    (int)MIN(vn, 40u), v);
		p->chunked = true;
	} else if (IS("Content-Type")) {
		set_fixed(r->content_type, sizeof(r->content_type), v, vn, true);
	} else if (IS("Docker-Content-Digest")) {
		set_fixed(r->digest, sizeof(r->digest), v, vn, false);
	} else if (IS("OCI-Subject")) {
		set_fixed(r->oci_subject, sizeof(r->oci_subject), v, vn, false);
	} else if (IS("OCI-Filters-Applied")) {
		set_fixed(r->filters, sizeof(r->filters), v, vn, false);
	} else if (IS("Retry-After")) {
		unsigned long long secs;

		/* only the delta-seconds form; an HTTP date counts as absent */
		r->retry_after = parse_dec(v, MIN(vn, 9u), &secs) ? (long)secs : -1;
	} else if (IS("Location")) {
		free(r->location);
		r->location = memdup_str(v, vn);
		if (!r->location)
			return fail(p, ENOMEM, "out of memory");
	} else if (IS("Link")) {
		free(r->link);
		r->link = memdup_str(v, vn);
		if (!r->link)
			return fail(p, ENOMEM, "out of memory");
	} else if (IS("WWW-Authenticate")) {
		struct strbuf sb = STRBUF_INIT;

		if (r->www_authenticate) {
			strbuf_puts(&sb, r->www_authenticate);
			strbuf_puts(&sb, ", ");
		}
		strbuf_append(&sb, v, vn);
		free(r->www_authenticate);
		r->www_authenticate = strbuf_steal(&sb);
		if (!r->www_authenticate)
			return fail(p, ENOMEM, "out of memory");
	}
#undef IS
	return 0;
}

static int status_line(struct http_parser *p, const char *s, size_t n)
{
	unsigned long long code;

	/* HTTP/1.x SP 3DIGIT [SP reason] */
	if (n < 12 || strncmp(s, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)s[7]) ||
	    s[8] != ' ' || !parse_dec(s + 9, 3, &code) || (n > 12 && s[12] != ' ') || code < 100)
		return fail(p, EPROTO, "malformed response: bad status line '%.*s'",
			    (int)MIN(n, 40u), s);
	p->resp->status = (long)code;
	p->state = ST_HEADERS;
	return 0;
}

/* The end of the header section: what follows it. */
static int headers_end(struct http_parser *p)
{
	long st = p->resp->status;

	if (st >= 100 && st < 200) {
		if (st == 101)
			return fail(p, EPROTO, "unexpected 101 Switching Protocols");
		/* an interim response: the real one follows */
		reset_headers(p->resp);
		p->state = ST_STATUS;
		p->chunked = p->has_length = false;
		p->length = 0;
		p->n_headers = 0;
		return 0;
	}
	if (p->no_body || st == 204 || st == 304) {
		p->state = ST_DONE;
		return 0;
	}
	if (p->chunked) {
		p->has_length = false;
		p->length = 0;
		p->state = ST_CHUNK_SIZE;
	} else if (p->has_length) {
		if (p->length > p->max)
			return body_over(p);
		p->remaining = p->length;
		p->state = p->length ? ST_BODY : ST_DONE;
	} else {
		p->state = ST_UNTIL_CLOSE;
	}
	return 0;
}

static int chunk_size(struct http_parser *p, const char *s, size_t n)
{
	unsigned long long v = 0;
	size_t i = 0;

	for (; i < n && isxdigit((unsigned char)s[i]); i++) {
		if (i >= 15)
			return fail(p, EPROTO, "malformed response: chunk size too long");
		v = v * 16 +
		    (unsigned long long)(isdigit((unsigned char)s[i])
						 ? s[i] - '0'
						 : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	/* chunk extensions (";name=value") are ignored */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == 0 || (i < n && s[i] != ';'))
		return fail(p, EPROTO, "malformed response: bad chunk size line");
	if (v > p->max - MIN(p->body.len, p->max) || p->body.len + v > p->max)
		return body_over(p);
	p->remaining = v;
	p->state = v ? ST_CHUNK_DATA : ST_TRAILERS;
	return 0;
}

/* A complete line (CRLF or LF removed) in the current state. */
static int line(struct http_parser *p, const char *s, size_t n)
{
	if (memchr(s, '\0', n) || memchr(s, '\r', n))
		return fail(p, EPROTO, "malformed response: control character in a line");
	switch (p->state) {
	case ST_STATUS:
		return status_line(p, s, n);
	case ST_HEADERS:
		return n == 0 ? headers_end(p) : header(p, s, n);
	case ST_CHUNK_SIZE:
		return chunk_size(p, s, n);
	case ST_CHUNK_END:
		if (n != 0)
			return fail(p, EPROTO,
				    "malformed response: chunk data longer than its size");
		p->state = ST_CHUNK_SIZE;
		return 0;
	case ST_TRAILERS:
		/* trailer fields are read and dropped */
		if (n == 0)
			p->state = ST_DONE;
		return 0;
	}
	return fail(p, EPROTO, "parser state %d", p->state);
}

static bool in_headers(int state)
{
	return state == ST_STATUS || state == ST_HEADERS || state == ST_TRAILERS;
}

/* Take bytes up to and including a '\n'; a complete line goes to line(). */
static int take_line(struct http_parser *p, const char *data, size_t n, size_t *used)
{
	const char *nl = memchr(data, '\n', n);
	size_t k = nl ? (size_t)(nl - data) + 1 : n;
	size_t len;
	int r;

	if (in_headers(p->state)) {
		p->section += k;
		if (p->section > HTTP_HEADERS_MAX)
			return fail(
				p, E2BIG,
				"response header section is over the %u KiB limit (doc/limits.md)",
				HTTP_HEADERS_MAX / 1024);
	}
	if (p->line.len + k > HTTP_LINE_MAX + 2)
		return fail(p, E2BIG, "response line is over the %u KiB limit (doc/limits.md)",
			    HTTP_LINE_MAX / 1024);
	strbuf_append(&p->line, data, k);
	if (p->line.oom)
		return fail(p, ENOMEM, "out of memory");
	*used = k;
	if (!nl)
		return 0;
	len = p->line.len - 1;
	if (len > 0 && p->line.buf[len - 1] == '\r')
		len--;
	r = line(p, p->line.buf, len);
	strbuf_truncate(&p->line, 0);
	return r;
}

static int body(struct http_parser *p, const char *data, size_t n, size_t *used)
{
	size_t k = n;

	if (p->state != ST_UNTIL_CLOSE && k > p->remaining)
		k = (size_t)p->remaining;
	if (p->body.len + k > p->max)
		return body_over(p);
	strbuf_append(&p->body, data, k);
	if (p->body.oom)
		return fail(p, ENOMEM, "out of memory");
	*used = k;
	if (p->state == ST_UNTIL_CLOSE)
		return 0;
	p->remaining -= k;
	if (p->remaining == 0)
		p->state = p->state == ST_BODY ? ST_DONE : ST_CHUNK_END;
	return 0;
}

static int finish(struct http_parser *p)
{
	struct oci_http_resp *r = p->resp;

	strbuf_puts(&p->body, "");
	if (p->body.oom)
		return fail(p, ENOMEM, "out of memory");
	free(r->body);
	r->len = p->body.len;
	r->body = strbuf_steal(&p->body);
	p->state = ST_DONE;
	return 1;
}

int nfd__http_parser_feed(struct http_parser *p, const char *data, size_t n, size_t *used)
{
	size_t off = 0;

	while (off < n && p->state != ST_DONE) {
		size_t k = 0;
		int r;

		if (p->state == ST_BODY || p->state == ST_CHUNK_DATA || p->state == ST_UNTIL_CLOSE)
			r = body(p, data + off, n - off, &k);
		else
			r = take_line(p, data + off, n - off, &k);
		if (r < 0)
			return r;
		off += k;
	}
	*used = off;
	if (p->state == ST_DONE)
		return finish(p);
	return 0;
}

int nfd__http_parser_eof(struct http_parser *p)
{
	switch (p->state) {
	case ST_DONE:
		return 1;
	case ST_UNTIL_CLOSE:
		return finish(p);
	case ST_STATUS:
		if (p->line.len == 0 && p->section == 0)
			return fail(p, EPROTO, "empty reply from server");
		return fail(p, EPROTO, "connection closed in the response headers");
	case ST_HEADERS:
		return fail(p, EPROTO, "connection closed in the response headers");
	case ST_BODY:
		return fail(p, EPROTO, "transfer closed with %llu bytes remaining to read",
			    p->remaining);
	default:
		return fail(p, EPROTO, "transfer closed in the middle of a chunked body");
	}
}
