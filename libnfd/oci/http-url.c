/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * URLs for the HTTP client: splitting an absolute http(s) URL, origins,
 * and RFC 3986 section 5 resolution of a reference (Location, Link)
 * against the URL it came from.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libnfd/oci/http-internal.h"
#include "shared/util.h"

/* The five components of a URI reference; a NULL pointer is an absent one. */
struct uri_parts {
	const char *scheme, *authority, *path, *query, *fragment;
	size_t scheme_n, authority_n, path_n, query_n, fragment_n;
};

static bool bad_char(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
	       c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
}

/* RFC 3986 appendix B, without a regular expression; false on a bad byte. */
static bool split_uri(const char *s, struct uri_parts *p)
{
	const char *q = s;

	memset(p, 0, sizeof(*p));
	for (const char *c = s; *c; c++)
		if (bad_char((unsigned char)*c) && *c != '%' && *c != '#' && *c != '[' && *c != ']')
			return false;
	if (isalpha((unsigned char)*q)) {
		const char *c = q + 1;

		while (isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.')
			c++;
		if (*c == ':') {
			p->scheme = q;
			p->scheme_n = (size_t)(c - q);
			q = c + 1;
		}
	}
	if (q[0] == '/' && q[1] == '/') {
		q += 2;
		p->authority = q;
		p->authority_n = strcspn(q, "/?#");
		q += p->authority_n;
	}
	p->path = q;
	p->path_n = strcspn(q, "?#");
	q += p->path_n;
	if (*q == '?') {
		p->query = ++q;
		p->query_n = strcspn(q, "#");
		q += p->query_n;
	}
	if (*q == '#') {
		p->fragment = ++q;
		p->fragment_n = strlen(q);
	}
	return true;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void nfd__http_url_done(struct http_url *u)
{
	free(u->userinfo);
	free(u->host);
	free(u->target);
	memset(u, 0, sizeof(*u));
}

/* host[:port] of an authority, IPv6 literals in brackets. */
static int parse_hostport(const char *a, size_t n, struct http_url *u)
{
	const char *port = NULL, *end = a + n;
	size_t hn;

	if (n > 0 && a[0] == '[') {
		const char *close = memchr(a, ']', n);
		char buf[INET6_ADDRSTRLEN + 1];
		struct in6_addr in6;

		if (!close)
			return -EINVAL;
		hn = (size_t)(close - a - 1);
		if (hn == 0 || hn >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, a + 1, hn);
		buf[hn] = '\0';
		if (inet_pton(AF_INET6, buf, &in6) != 1)
			return -EINVAL;
		u->ipv6 = true;
		u->host = memdup_str(a + 1, hn);
		if (close + 1 < end) {
			if (close[1] != ':')
				return -EINVAL;
			port = close + 2;
		}
	} else {
		const char *colon = memchr(a, ':', n);

		hn = colon ? (size_t)(colon - a) : n;
		if (hn == 0)
			return -EINVAL;
		for (size_t i = 0; i < hn; i++)
			if (!isalnum((unsigned char)a[i]) && a[i] != '-' && a[i] != '.' &&
			    a[i] != '_')
				return -EINVAL;
		u->host = memdup_str(a, hn);
		if (colon)
			port = colon + 1;
	}
	if (!u->host)
		return -ENOMEM;
	lower(u->host);
	u->port = u->https ? 443 : 80;
	if (port && port < end) {
		unsigned long v = 0;

		for (const char *c = port; c < end; c++) {
			if (!isdigit((unsigned char)*c) || c - port >= 5)
				return -EINVAL;
			v = v * 10 + (unsigned long)(*c - '0');
		}
		if (v == 0 || v > 65535)
			return -EINVAL;
		u->port = (unsigned)v;
		u->port_given = true;
	}
	return 0;
}

int nfd__http_url_parse(const char *url, struct http_url *ret)
{
	struct http_url u = {0};
	struct uri_parts p;
	const char *auth, *at;
	size_t auth_n;
	int r;

	if (strlen(url) > HTTP_URL_MAX || !split_uri(url, &p) || !p.scheme || !p.authority)
		return -EINVAL;
	if (p.scheme_n == 5 && strncasecmp(p.scheme, "https", 5) == 0)
		u.https = true;
	else if (!(p.scheme_n == 4 && strncasecmp(p.scheme, "http", 4) == 0))
		return -EINVAL;
	auth = p.authority;
	auth_n = p.authority_n;
	at = memrchr(auth, '@', auth_n);
	if (at) {
		u.userinfo = memdup_str(auth, (size_t)(at - auth));
		auth_n -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	r = parse_hostport(auth, auth_n, &u);
	if (r == 0) {
		struct strbuf sb = STRBUF_INIT;

		if (p.path_n == 0)
			strbuf_putc(&sb, '/');
		strbuf_append(&sb, p.path, p.path_n);
		if (p.query) {
			strbuf_putc(&sb, '?');
			strbuf_append(&sb, p.query, p.query_n);
		}
		u.target = strbuf_steal(&sb);
		if (!u.target || (at && !u.userinfo))
			r = -ENOMEM;
		else if (strchr(u.target, '[') || strchr(u.target, ']'))
			r = -EINVAL;
	}
	if (r < 0) {
		nfd__http_url_done(&u);
		return r;
	}
	*ret = u;
	return 0;
}

char *nfd__http_url_hostport(const struct http_url *u, bool always_port)
{
	const char *l = u->ipv6 ? "[" : "", *r = u->ipv6 ? "]" : "";
	char *out;
	int n;

	if (always_port || u->port != (u->https ? 443u : 80u))
		n = asprintf(&out, "%s%s%s:%u", l, u->host, r, u->port);
	else
		n = asprintf(&out, "%s%s%s", l, u->host, r);
	return n < 0 ? NULL : out;
}

char *nfd__oci_url_origin(const char *url)
{
	struct http_url u;
	_cleanup_free_ char *hp = NULL;
	char *out = NULL;

	if (nfd__http_url_parse(url, &u) < 0)
		return NULL;
	hp = nfd__http_url_hostport(&u, true);
	if (hp && asprintf(&out, "%s://%s", u.https ? "https" : "http", hp) < 0)
		out = NULL;
	nfd__http_url_done(&u);
	return out;
}

/* drop the last segment of the output and its '/' */
static char *pop_segment(char *path, char *out)
{
	while (out > path && *--out != '/')
		;
	return out;
}

/* RFC 3986 5.2.4: remove_dot_segments, in place (the output never passes the input). */
static void remove_dot_segments(char *path)
{
	char *in = path, *out = path;

	while (*in) {
		if (strncmp(in, "../", 3) == 0) {
			in += 3;
		} else if (strncmp(in, "./", 2) == 0 || strncmp(in, "/./", 3) == 0) {
			in += 2;
		} else if (streq(in, "/.")) {
			*++in = '/';
		} else if (strncmp(in, "/../", 4) == 0) {
			in += 3;
			out = pop_segment(path, out);
		} else if (streq(in, "/..")) {
			in += 2;
			*in = '/';
			out = pop_segment(path, out);
		} else if (streq(in, ".") || streq(in, "..")) {
			in += strlen(in);
		} else {
			/* the first segment, with its leading '/' */
			do
				*out++ = *in++;
			while (*in && *in != '/');
		}
	}
	*out = '\0';
}

static void put(struct strbuf *sb, const char *s, size_t n)
{
	strbuf_append(sb, s, n);
}

char *nfd__oci_url_resolve(const char *base, const char *url)
{
	struct uri_parts b, r;
	struct strbuf path = STRBUF_INIT, out = STRBUF_INIT;
	const char *auth, *query;
	size_t auth_n, query_n;
	struct http_url check;
	char *res, *p;

	if (strlen(base) > HTTP_URL_MAX || strlen(url) > HTTP_URL_MAX || !split_uri(base, &b) ||
	    !b.scheme || !b.authority || !split_uri(url, &r))
		return NULL;
	if (r.scheme) {
		/* absolute: taken as it is, dot segments removed */
		strbuf_append(&out, r.scheme, r.scheme_n);
		strbuf_puts(&out, ":");
		if (!r.authority) {
			strbuf_release(&out);
			return NULL;
		}
		b = r;
	} else {
		strbuf_append(&out, b.scheme, b.scheme_n);
		strbuf_puts(&out, ":");
	}
	if (r.scheme || r.authority) {
		auth = r.authority, auth_n = r.authority_n;
		put(&path, r.path, r.path_n);
		query = r.query, query_n = r.query_n;
	} else {
		auth = b.authority, auth_n = b.authority_n;
		if (r.path_n == 0) {
			put(&path, b.path, b.path_n);
			query = r.query ? r.query : b.query;
			query_n = r.query ? r.query_n : b.query_n;
		} else {
			if (r.path[0] != '/') {
				/* merge: the base's path up to its last '/' */
				const char *slash =
					b.path_n ? memrchr(b.path, '/', b.path_n) : NULL;

				if (slash)
					put(&path, b.path, (size_t)(slash - b.path) + 1);
				else
					strbuf_putc(&path, '/');
			}
			put(&path, r.path, r.path_n);
			query = r.query, query_n = r.query_n;
		}
	}
	strbuf_puts(&path, "");
	p = strbuf_steal(&path);
	if (!p) {
		strbuf_release(&out);
		return NULL;
	}
	remove_dot_segments(p);
	strbuf_puts(&out, "//");
	put(&out, auth, auth_n);
	strbuf_puts(&out, p[0] ? "" : "/");
	strbuf_puts(&out, p);
	free(p);
	if (query) {
		strbuf_putc(&out, '?');
		put(&out, query, query_n);
	}
	res = strbuf_steal(&out);
	if (!res)
		return NULL;
	/* the scheme in lower case, and only what we can request */
	for (p = res; *p != ':'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (nfd__http_url_parse(res, &check) < 0) {
		free(res);
		return NULL;
	}
	nfd__http_url_done(&check);
	return res;
}

char *nfd__oci_url_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			strbuf_putc(&sb, (char)c);
		else
			strbuf_appendf(&sb, "%%%02X", c);
	}
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}
