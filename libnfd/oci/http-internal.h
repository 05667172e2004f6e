/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parts of libnfd's HTTP/1.1 client (doc/http.md) below oci-http.h:
 * URLs and proxy selection (http-url.c, http-proxy.c), the response parser
 * (http-parse.c) and the connection: TCP, TLS over libssl, CONNECT tunnels
 * (http-conn.c).  The parser and the URL code touch no socket, so the unit
 * tests feed them bytes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libnfd/oci/oci-http.h"
#include "shared/strbuf.h"

/* Limits on what a server may send (doc/limits.md). */
#define HTTP_LINE_MAX	 (8u * 1024)  /* one status, header or chunk-size line */
#define HTTP_HEADERS_MAX (64u * 1024) /* the whole header section */
#define HTTP_N_HEADERS	 100u	      /* header fields in one response */
#define HTTP_URL_MAX	 (8u * 1024)  /* a URL we request or resolve */

/* An absolute http or https URL, split. */
struct http_url {
	bool https;
	char *userinfo; /* as written (percent-encoded), or NULL */
	char *host;	/* lower case, an IPv6 literal without its brackets */
	bool ipv6;	/* host is an IPv6 literal */
	unsigned port;	/* the one written, or the scheme's */
	bool port_given;
	char *target; /* path and query ("/" when empty), no fragment */
};

/*
 * Split an absolute http:// or https:// URL.  Control characters, spaces,
 * a bad port or an empty host give -EINVAL; -ENOMEM.
 * @param url  the URL
 * @param ret  filled on success; release with nfd__http_url_done()
 * @return 0 or a negative errno
 */
int nfd__http_url_parse(const char *url, struct http_url *ret);
void nfd__http_url_done(struct http_url *u);
/* "host" or "[v6]", with ":port" unless it is the scheme's; new string or NULL. */
char *nfd__http_url_hostport(const struct http_url *u, bool always_port);

/*
 * The proxy for a request to u from the environment, as curl reads it:
 * http_proxy (lower case only) for http, https_proxy/HTTPS_PROXY for https,
 * else all_proxy/ALL_PROXY; none when no_proxy/NO_PROXY matches.
 * @param u    the request's URL
 * @param ret  the proxy URL, a new string owned by the caller, or NULL for a
 *	       direct connection
 * @return 0, -ENOMEM
 */
int nfd__http_proxy_for(const struct http_url *u, char **ret);
/*
 * Whether host:port is excluded by a no_proxy list: comma or space
 * separated names (a name matches itself and its subdomains; a leading
 * dot is ignored), "*" for all, IP addresses, CIDR ranges, an optional
 * ":port" on a name or "[v6]:port".
 */
bool nfd__http_no_proxy_match(const char *list, const char *host, unsigned port);

/* The response parser: bytes in, struct oci_http_resp out. */
struct http_parser {
	struct oci_http_resp *resp;
	bool no_body; /* a HEAD request or a CONNECT: headers only */
	size_t max;   /* largest body accepted */
	int state;
	struct strbuf line; /* the line being read */
	size_t section;	    /* bytes of the header section so far */
	unsigned n_headers;
	bool chunked, has_length;
	unsigned long long remaining; /* of the body or the chunk */
	unsigned long long length;    /* Content-Length, 0 if none */
	struct strbuf body;
	bool body_over; /* the -E2BIG was the body over max */
	char msg[160];	/* why, after an error */
};

/*
 * Start parsing one response.  resp is reset (its headers cleared) and, once
 * complete, receives the status, the headers and the body.
 */
void nfd__http_parser_init(struct http_parser *p, struct oci_http_resp *resp, bool no_body,
			   size_t max);
void nfd__http_parser_done(struct http_parser *p);
/*
 * Feed n bytes of the response.
 * @param used  set to the bytes consumed (less than n only once complete)
 * @return 1 when the response is complete, 0 when more is wanted,
 *	   -EPROTO (malformed), -E2BIG (over a limit), -ENOMEM; p->msg says why
 */
int nfd__http_parser_feed(struct http_parser *p, const char *data, size_t n, size_t *used);
/* The server closed the connection: 1 if that completes the response, else -EPROTO. */
int nfd__http_parser_eof(struct http_parser *p);
/* The body bytes so far. */
static inline size_t nfd__http_parser_received(const struct http_parser *p)
{
	return p->body.len;
}

/* One connection (http-conn.c), bounded by one deadline. */
struct http_conn;
struct http_tls; /* an SSL_CTX with the trust of one struct oci_http */

struct http_io_opts {
	struct nfd_ctx *ctx;
	const char *what;    /* "GET https://..." for messages */
	int64_t deadline_ms; /* CLOCK_MONOTONIC, see nfd__http_now_ms() */
	long timeout_ms;     /* the budget, for messages */
	int (*progress)(void *userdata, unsigned long long done, unsigned long long total);
	void *userdata;
};
int64_t nfd__http_now_ms(void);

/*
 * The TLS context: peer and host name always verified, TLS >= 1.2; trust
 * is $SSL_CERT_FILE/$SSL_CERT_DIR or else OpenSSL's default paths, plus the
 * PEM certificates in extra (NULL: none).  Opens libssl on first use.
 * @param ret  the new context, owned by the caller (nfd__http_tls_free())
 * @return 0, -ENOTSUP (no libssl), -EINVAL (unreadable extra PEM), -ENOMEM
 */
int nfd__http_tls_new(struct nfd_ctx *ctx, const char *extra, size_t extra_len,
		      struct http_tls **ret);
void nfd__http_tls_free(struct http_tls *t);

/*
 * Connect to u (directly, through an http:// proxy, with CONNECT for
 * https) and start TLS for https.
 * @param proxy      the proxy URL or NULL
 * @param tls        needed for https
 * @param ret        the connection, owned by the caller (nfd__http_conn_close())
 * @param ret_absolute  set when requests must use the absolute form (http
 *		     through a proxy)
 * @param ret_proxy_auth  a new "Basic ..." for the proxy, or NULL
 */
int nfd__http_conn_open(const struct http_io_opts *o, const struct http_url *u, const char *proxy,
			struct http_tls *tls, struct http_conn **ret, bool *ret_absolute,
			char **ret_proxy_auth);
void nfd__http_conn_close(struct http_conn *c);
/* Send all n bytes; 0 or a negative errno with the message set. */
int nfd__http_conn_write(struct http_conn *c, const void *buf, size_t n);
/* Read up to n bytes: the count, 0 at the end of the stream, or a negative errno. */
ssize_t nfd__http_conn_read(struct http_conn *c, void *buf, size_t n);
/* Report progress (and honour cancellation): 0 or -ECANCELED with the message set. */
int nfd__http_conn_progress(struct http_conn *c, unsigned long long done, unsigned long long total);
