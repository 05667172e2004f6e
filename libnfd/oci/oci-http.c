/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnfd's own HTTP/1.1 client for the registry code (doc/http.md): one
 * connection per request (http-conn.c), the response parsed by
 * http-parse.c.  Every request is bounded: one deadline for connecting,
 * TLS, sending and receiving (-ETIMEDOUT), a cap on the headers and the
 * body (-E2BIG) and on redirects (-EPROTO).  Redirects are followed here so
 * that the Authorization header is only ever sent to the origin it was
 * meant for, and https is never downgraded.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "libnfd/oci/http-internal.h"
#include "libnfd/oci/oci-http.h"
#include "shared/root-open.h"
#include "shared/util.h"

#define CA_FILE_MAX	   (4u * 1024 * 1024)
#define CERTS_DIRS_DEFAULT "/etc/containers/certs.d:/etc/docker/certs.d"

struct oci_http {
	struct nfd_ctx *ctx;
	long timeout_ms;
	char *ca; /* the extra CA certificates (certs.d, ca_file), PEM, or NULL */
	size_t ca_len;
	struct http_tls *tls; /* made on the first https request */
	/* the caller's progress/cancel callback (nfd_oci_options.progress) */
	int (*progress)(void *userdata, unsigned long long done, unsigned long long total);
	void *userdata;
};

void nfd__oci_http_resp_done(struct oci_http_resp *r)
{
	free(r->body);
	free(r->location);
	free(r->link);
	free(r->www_authenticate);
	free(r->url);
	memset(r, 0, sizeof(*r));
}

static int crt_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && streq(e->d_name + n - 4, ".crt") && e->d_name[0] != '.';
}

/*
 * The CA certificates podman and docker take for one registry:
 * every <dir>/<host[:port]>/NAME.crt for each certs.d directory.  Sorted, so the
 * result does not depend on directory order.  Returns how many were read.
 */
static int append_certs_d(struct oci_http *h, const char *const *hosts, struct strbuf *sb)
{
	const char *dirs = secure_env("NFD_REGISTRY_CERTS_DIRS");
	_cleanup_free_ char *copy = strdup(dirs ? dirs : CERTS_DIRS_DEFAULT);
	char *save = NULL;
	int found = 0;

	if (!copy)
		return -ENOMEM;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		for (size_t k = 0; hosts && hosts[k]; k++) {
			_cleanup_free_ char *path = path_join(dir, hosts[k]);
			struct dirent **list = NULL;
			int n;

			if (!path)
				return -ENOMEM;
			n = scandir(path, &list, crt_file, alphasort);
			for (int i = 0; i < n; i++) {
				_cleanup_free_ char *f = path_join(path, list[i]->d_name);
				_cleanup_free_ char *pem = NULL;
				size_t len;

				if (f && read_regular_file(NULL, f, CA_FILE_MAX, &pem, &len) == 0) {
					nfd_dbg(h->ctx, "trusting the CA certificates in %s", f);
					strbuf_append(sb, pem, len);
					strbuf_putc(sb, '\n');
					found++;
				}
				free(list[i]);
			}
			free(list);
		}
	}
	return found;
}

/*
 * The registry's certs.d certificates and ca_file: both add trust to the
 * system's (http-conn.c).  h->ca stays NULL when there is nothing to add.
 */
static int load_ca(struct oci_http *h, const char *ca_file, const char *const *hosts)
{
	_cleanup_free_ char *extra = NULL;
	struct strbuf add = STRBUF_INIT;
	size_t len;
	int r;

	r = append_certs_d(h, hosts, &add);
	if (r < 0) {
		strbuf_release(&add);
		return nfd__oom(h->ctx);
	}
	if (ca_file) {
		r = read_regular_file(NULL, ca_file, CA_FILE_MAX, &extra, &len);
		if (r < 0) {
			strbuf_release(&add);
			if (r == -EINVAL)
				return nfd__error(h->ctx, EINVAL, "CA file %s: not a regular file",
						  ca_file);
			return nfd__error_read(h->ctx, r, ca_file, "CA files");
		}
		strbuf_append(&add, extra, len);
	}
	if (add.len == 0) {
		strbuf_release(&add);
		return 0;
	}
	h->ca_len = add.len;
	h->ca = strbuf_steal(&add);
	return h->ca ? 0 : nfd__oom(h->ctx);
}

/* Nothing to load for plain http: libssl is opened by the first https request. */
int nfd__oci_http_init(struct nfd_ctx *ctx)
{
	(void)ctx;
	return 0;
}

int nfd__oci_http_new(struct nfd_ctx *ctx, const char *ca_file, const char *const *cert_hosts,
		      long timeout_ms, struct oci_http **ret)
{
	struct oci_http *h;
	int r;

	h = calloc(1, sizeof(*h));
	if (!h)
		return nfd__oom(ctx);
	h->ctx = ctx;
	h->timeout_ms = timeout_ms > 0 ? timeout_ms : OCI_DEFAULT_TIMEOUT_MS;
	r = load_ca(h, ca_file, cert_hosts);
	if (r < 0) {
		nfd__oci_http_free(h);
		return r;
	}
	*ret = h;
	return 0;
}

void nfd__oci_http_free(struct oci_http *h)
{
	if (!h)
		return;
	nfd__http_tls_free(h->tls);
	free(h->ca);
	free(h);
}

static bool is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

void nfd__oci_http_set_progress(struct oci_http *h,
				int (*progress)(void *userdata, unsigned long long done,
						unsigned long long total),
				void *userdata)
{
	h->progress = progress;
	h->userdata = userdata;
}

/* A request header value: no line breaks (no header injection). */
static bool header_ok(const char *v)
{
	return !v || !v[strcspn(v, "\r\n")];
}

static int build_request(const struct oci_http_req *req, const struct http_url *u, const char *url,
			 bool absolute, bool send_auth, const char *proxy_auth, struct strbuf *sb)
{
	_cleanup_free_ char *host = nfd__http_url_hostport(u, false);
	bool has_body =
		req->body_len > 0 || streq(req->method, "POST") || streq(req->method, "PUT");

	if (!host)
		return -ENOMEM;
	if (absolute) /* through an http proxy: the absolute form, no fragment */
		strbuf_appendf(sb, "%s %s://%s%s HTTP/1.1\r\n", req->method,
			       u->https ? "https" : "http", host, u->target);
	else
		strbuf_appendf(sb, "%s %s HTTP/1.1\r\n", req->method, u->target);
	(void)url;
	strbuf_appendf(sb, "Host: %s\r\nUser-Agent: libnfd/%s\r\nConnection: close\r\n", host,
		       PACKAGE_VERSION);
	if (req->accept)
		strbuf_appendf(sb, "Accept: %s\r\n", req->accept);
	if (req->content_type)
		strbuf_appendf(sb, "Content-Type: %s\r\n", req->content_type);
	if (send_auth && req->authorization)
		strbuf_appendf(sb, "Authorization: %s\r\n", req->authorization);
	if (proxy_auth)
		strbuf_appendf(sb, "Proxy-Authorization: %s\r\n", proxy_auth);
	if (has_body)
		strbuf_appendf(sb, "Content-Length: %zu\r\n", req->body_len);
	strbuf_puts(sb, "\r\n");
	return sb->oom ? -ENOMEM : 0;
}

/* Send the request on c and parse the answer into resp. */
static int exchange(struct oci_http *h, struct http_conn *c, const struct oci_http_req *req,
		    const char *url, const struct strbuf *head, struct oci_http_resp *resp)
{
	struct http_parser p;
	char buf[16384];
	int r;

	r = nfd__http_conn_write(c, head->buf, head->len);
	if (r == 0 && req->body_len > 0) {
		r = nfd__http_conn_write(c, req->body, req->body_len);
		if (r == 0)
			r = nfd__http_conn_progress(c, req->body_len, req->body_len);
	}
	if (r < 0)
		return r;
	nfd__http_parser_init(&p, resp, streq(req->method, "HEAD"), req->max);
	for (r = 0; r == 0;) {
		ssize_t k = nfd__http_conn_read(c, buf, sizeof(buf));
		size_t used;

		if (k < 0) {
			r = (int)k;
			break;
		}
		r = k == 0 ? nfd__http_parser_eof(&p)
			   : nfd__http_parser_feed(&p, buf, (size_t)k, &used);
		if (r == -E2BIG && p.body_over) {
			/* the size the server announced, where it did and it is over */
			unsigned long long announced =
				p.has_length && p.length > req->max ? p.length : 0;
			char words[200];

			r = nfd__error(
				h->ctx, E2BIG, "%s %s: response %s", req->method, url,
				format_too_big(words, sizeof(words), announced, req->max,
					       req->kind ? req->kind : "registry responses"));
			break;
		}
		if (r < 0) {
			r = r == -ENOMEM
				    ? nfd__oom(h->ctx)
				    : nfd__error(h->ctx, -r, "%s %s: %s", req->method, url, p.msg);
			break;
		}
		if (r == 0)
			r = nfd__http_conn_progress(c, nfd__http_parser_received(&p), p.length);
	}
	nfd__http_parser_done(&p);
	return r < 0 ? r : 0;
}

/* One exchange, no redirects. */
static int perform(struct oci_http *h, const struct oci_http_req *req, const char *url,
		   bool send_auth, struct oci_http_resp *resp)
{
	_cleanup_free_ char *what = NULL, *proxy = NULL, *proxy_auth = NULL;
	struct strbuf head = STRBUF_INIT;
	struct http_conn *c = NULL;
	struct http_url u;
	bool absolute = false;
	int r;

	if (nfd__http_url_parse(url, &u) < 0)
		return nfd__error(h->ctx, EPROTO, "%s %s: invalid URL", req->method, url);
	if (asprintf(&what, "%s %s", req->method, url) < 0) {
		what = NULL;
		r = nfd__oom(h->ctx);
		goto out;
	}
	if (h->progress && h->progress(h->userdata, 0, 0) != 0) {
		r = nfd__error(h->ctx, ECANCELED, "%s: cancelled", what);
		goto out;
	}
	if (!header_ok(req->accept) || !header_ok(req->content_type) ||
	    !header_ok(req->authorization)) {
		r = nfd__error(h->ctx, EINVAL, "%s: line break in a request header", what);
		goto out;
	}
	r = nfd__http_proxy_for(&u, &proxy);
	if (r < 0) {
		r = nfd__oom(h->ctx);
		goto out;
	}
	if (u.https && !h->tls) {
		r = nfd__http_tls_new(h->ctx, h->ca, h->ca_len, &h->tls);
		if (r < 0)
			goto out;
	}
	{
		struct http_io_opts o = {
			.ctx = h->ctx,
			.what = what,
			.deadline_ms = nfd__http_now_ms() + h->timeout_ms,
			.timeout_ms = h->timeout_ms,
			.progress = h->progress,
			.userdata = h->userdata,
		};

		r = nfd__http_conn_open(&o, &u, proxy, h->tls, &c, &absolute, &proxy_auth);
	}
	if (r < 0)
		goto out;
	r = build_request(req, &u, url, absolute, send_auth, proxy_auth, &head);
	if (r < 0) {
		r = nfd__oom(h->ctx);
		goto out;
	}
	r = exchange(h, c, req, url, &head, resp);
out:
	/* the request and the proxy's Basic value may hold credentials */
	if (head.buf)
		explicit_bzero(head.buf, head.len);
	strbuf_release(&head);
	if (proxy_auth)
		explicit_bzero(proxy_auth, strlen(proxy_auth));
	nfd__http_conn_close(c);
	nfd__http_url_done(&u);
	return r;
}

int nfd__oci_http_do(struct oci_http *h, const struct oci_http_req *req, struct oci_http_resp *resp)
{
	_cleanup_free_ char *url = strdup(req->url);
	_cleanup_free_ char *auth_origin = NULL;
	int r;

	if (!url)
		return nfd__oom(h->ctx);
	auth_origin = nfd__oci_url_origin(req->auth_origin ? req->auth_origin : req->url);
	if (!auth_origin)
		return nfd__error(h->ctx, EINVAL, "invalid URL '%s'", req->url);

	for (int hops = 0;; hops++) {
		_cleanup_free_ char *origin = nfd__oci_url_origin(url);
		char *next;

		if (!origin)
			return nfd__error(h->ctx, EPROTO, "invalid URL '%s'", url);
		r = perform(h, req, url, streq(origin, auth_origin), resp);
		if (r < 0)
			return r;
		if (!req->follow || !is_redirect(resp->status))
			break;
		if (hops >= OCI_MAX_REDIRECTS)
			return nfd__error(h->ctx, EPROTO, "%s %s: more than %d redirects",
					  req->method, req->url, OCI_MAX_REDIRECTS);
		if (!resp->location)
			return nfd__error(h->ctx, EPROTO, "%s %s: redirect without a Location",
					  req->method, url);
		next = nfd__oci_url_resolve(url, resp->location);
		if (!next || !(strstartswith(next, "http://") || strstartswith(next, "https://"))) {
			free(next);
			return nfd__error(h->ctx, EPROTO, "%s %s: bad redirect to '%s'",
					  req->method, url, resp->location);
		}
		if (strstartswith(url, "https://") && strstartswith(next, "http://")) {
			free(next);
			return nfd__error(h->ctx, EPROTO,
					  "%s %s: refusing redirect from https to "
					  "http",
					  req->method, url);
		}
		nfd_dbg(h->ctx, "%s %s: redirected to %s", req->method, url, next);
		free(url);
		url = next;
	}
	free(resp->url);
	resp->url = TAKE_PTR(url);
	return 0;
}
