/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One HTTP connection: TCP (every address getaddrinfo() gives, a
 * non-blocking connect each), an optional http:// proxy (CONNECT tunnel for
 * https), and TLS over OpenSSL's libssl, opened on first use like every
 * optional library (libnfd/dl.h).  Every wait is a poll() bounded by the
 * request's one deadline, in slices short enough to call the progress
 * callback, so a caller can cancel a stalled request.  getaddrinfo() is the
 * one blocking step: a slow resolver is bounded by its own timeouts, not by
 * ours (doc/http.md).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libnfd/dl.h"
#include "libnfd/oci/http-internal.h"
#include "libnfd/oci/oci-auth.h"
#include "shared/util.h"

#ifdef OPENSSL_SHLIB_VERSION
#define LIBSSL_SONAME "libssl.so." NFD_DL_STR(OPENSSL_SHLIB_VERSION)
#else
#define LIBSSL_SONAME "libssl.so." SHLIB_VERSION_NUMBER
#endif

#define POLL_SLICE_MS 200 /* how often a waiting request calls progress */

NFD_DLSYM(TLS_client_method);
NFD_DLSYM(SSL_CTX_new);
NFD_DLSYM(SSL_CTX_free);
NFD_DLSYM(SSL_CTX_ctrl);
NFD_DLSYM(SSL_CTX_set_verify);
NFD_DLSYM(SSL_CTX_get_cert_store);
NFD_DLSYM(SSL_CTX_load_verify_locations);
NFD_DLSYM(SSL_CTX_set_default_verify_paths);
NFD_DLSYM(SSL_new);
NFD_DLSYM(SSL_free);
NFD_DLSYM(SSL_ctrl);
NFD_DLSYM(SSL_set_fd);
NFD_DLSYM(SSL_set1_host);
NFD_DLSYM(SSL_get0_param);
NFD_DLSYM(SSL_connect);
NFD_DLSYM(SSL_read);
NFD_DLSYM(SSL_write);
NFD_DLSYM(SSL_get_error);
NFD_DLSYM(SSL_get_verify_result);
/* libcrypto's, found through libssl's dependencies */
NFD_DLSYM(X509_VERIFY_PARAM_set1_ip_asc);
NFD_DLSYM(X509_verify_cert_error_string);
NFD_DLSYM(X509_STORE_add_cert);
NFD_DLSYM(X509_free);
NFD_DLSYM(PEM_read_bio_X509);
NFD_DLSYM(BIO_new_mem_buf);
NFD_DLSYM(BIO_free);
NFD_DLSYM(ERR_get_error);
NFD_DLSYM(ERR_peek_error);
NFD_DLSYM(ERR_clear_error);
NFD_DLSYM(ERR_error_string_n);

static int load_libssl(const char **ret_msg)
{
	return NFD_DLOPEN(
		ret_msg, "ssl", "OCI registry client over https", NFD_DLOPEN_RECOMMENDED,
		LIBSSL_SONAME, NFD_DLSYM_ARG(TLS_client_method), NFD_DLSYM_ARG(SSL_CTX_new),
		NFD_DLSYM_ARG(SSL_CTX_free), NFD_DLSYM_ARG(SSL_CTX_ctrl),
		NFD_DLSYM_ARG(SSL_CTX_set_verify), NFD_DLSYM_ARG(SSL_CTX_get_cert_store),
		NFD_DLSYM_ARG(SSL_CTX_load_verify_locations),
		NFD_DLSYM_ARG(SSL_CTX_set_default_verify_paths), NFD_DLSYM_ARG(SSL_new),
		NFD_DLSYM_ARG(SSL_free), NFD_DLSYM_ARG(SSL_ctrl), NFD_DLSYM_ARG(SSL_set_fd),
		NFD_DLSYM_ARG(SSL_set1_host), NFD_DLSYM_ARG(SSL_get0_param),
		NFD_DLSYM_ARG(SSL_connect), NFD_DLSYM_ARG(SSL_read), NFD_DLSYM_ARG(SSL_write),
		NFD_DLSYM_ARG(SSL_get_error), NFD_DLSYM_ARG(SSL_get_verify_result),
		NFD_DLSYM_ARG(X509_VERIFY_PARAM_set1_ip_asc),
		NFD_DLSYM_ARG(X509_verify_cert_error_string), NFD_DLSYM_ARG(X509_STORE_add_cert),
		NFD_DLSYM_ARG(X509_free), NFD_DLSYM_ARG(PEM_read_bio_X509),
		NFD_DLSYM_ARG(BIO_new_mem_buf), NFD_DLSYM_ARG(BIO_free),
		NFD_DLSYM_ARG(ERR_get_error), NFD_DLSYM_ARG(ERR_peek_error),
		NFD_DLSYM_ARG(ERR_clear_error), NFD_DLSYM_ARG(ERR_error_string_n));
}

struct http_tls {
	SSL_CTX *ctx;
};

struct http_conn {
	struct http_io_opts o;
	int fd;
	SSL *ssl;
	unsigned long long done, total; /* the last progress reported */
};

int64_t nfd__http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* OpenSSL's first queued error as text, the queue cleared. */
static const char *ssl_err(char *buf, size_t size)
{
	unsigned long e = sym_ERR_get_error();

	if (e)
		sym_ERR_error_string_n(e, buf, size);
	else
		snprintf(buf, size, "%s", errno ? strerror(errno) : "connection closed");
	sym_ERR_clear_error();
	return buf;
}

int nfd__http_tls_new(struct nfd_ctx *ctx, const char *extra, size_t extra_len,
		      struct http_tls **ret)
{
	const char *msg = NULL, *file = secure_env("SSL_CERT_FILE"),
		   *dir = secure_env("SSL_CERT_DIR");
	struct http_tls *t;
	char buf[256];
	int r = 0;

	if (load_libssl(&msg) < 0)
		return nfd__error(ctx, ENOTSUP, "https needs OpenSSL's libssl: %s", msg);
	t = calloc(1, sizeof(*t));
	if (!t)
		return nfd__oom(ctx);
	t->ctx = sym_SSL_CTX_new(sym_TLS_client_method());
	if (!t->ctx) {
		free(t);
		return nfd__error(ctx, ENOMEM, "TLS: %s", ssl_err(buf, sizeof(buf)));
	}
	sym_SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	sym_SSL_CTX_ctrl(t->ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
	if (file || dir) {
		/* the environment replaces the system's trust, as OpenSSL's own tools do */
		if (sym_SSL_CTX_load_verify_locations(t->ctx, file, dir) != 1)
			r = nfd__error(ctx, EPROTO,
				       "TLS: cannot load the CA certificates of "
				       "$SSL_CERT_FILE/$SSL_CERT_DIR (%s%s%s): %s",
				       file ?: "", file && dir ? ", " : "", dir ?: "",
				       ssl_err(buf, sizeof(buf)));
	} else if (sym_SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		sym_ERR_clear_error();
	}
	if (r == 0 && extra && extra_len > 0) {
		BIO *bio = sym_BIO_new_mem_buf(extra, (int)MIN(extra_len, (size_t)INT_MAX));
		X509_STORE *store = sym_SSL_CTX_get_cert_store(t->ctx);
		X509 *x;
		int n = 0;

		if (!bio) {
			r = nfd__oom(ctx);
		} else {
			while ((x = sym_PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
				/* a certificate already there is not an error */
				sym_X509_STORE_add_cert(store, x);
				sym_X509_free(x);
				n++;
			}
			sym_BIO_free(bio);
			sym_ERR_clear_error();
			if (n == 0)
				r = nfd__error(ctx, EINVAL,
					       "TLS: no PEM certificate in the CA file or certs.d");
		}
	}
	if (r < 0) {
		nfd__http_tls_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

void nfd__http_tls_free(struct http_tls *t)
{
	if (!t)
		return;
	sym_SSL_CTX_free(t->ctx);
	free(t);
}

int nfd__http_conn_progress(struct http_conn *c, unsigned long long done, unsigned long long total)
{
	c->done = done;
	c->total = total;
	if (c->o.progress && c->o.progress(c->o.userdata, done, total) != 0)
		return nfd__error(c->o.ctx, ECANCELED, "%s: cancelled", c->o.what);
	return 0;
}

/* Wait for events on the socket, within the deadline; 0 or -ETIMEDOUT, -ECANCELED. */
static int wait_fd(struct http_conn *c, short events)
{
	for (;;) {
		int64_t left = c->o.deadline_ms - nfd__http_now_ms();
		struct pollfd pfd = {.fd = c->fd, .events = events};
		int n, r;

		if (left <= 0)
			return nfd__error(c->o.ctx, ETIMEDOUT, "%s: timed out after %ld ms",
					  c->o.what, c->o.timeout_ms);
		r = nfd__http_conn_progress(c, c->done, c->total);
		if (r < 0)
			return r;
		n = poll(&pfd, 1, (int)MIN(left, (int64_t)POLL_SLICE_MS));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return nfd__error(c->o.ctx, errno, "%s: poll: %s", c->o.what,
					  strerror(errno));
	}
}

static int connect_errno(int e)
{
	return e == ENETUNREACH || e == EHOSTUNREACH || e == EADDRNOTAVAIL ? EHOSTUNREACH
									   : ECONNREFUSED;
}

/* Connect c->fd to host:port, every address in turn. */
static int tcp_connect(struct http_conn *c, const char *host, unsigned port, const char *what)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char portstr[8];
	int gai, last = ECONNREFUSED, r = 0;

	snprintf(portstr, sizeof(portstr), "%u", port);
	gai = getaddrinfo(host, portstr, &hints, &res);
	if (gai != 0)
		return nfd__error(c->o.ctx, EHOSTUNREACH, "%s: could not resolve %s '%s': %s",
				  c->o.what, what, host,
				  gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		socklen_t len = sizeof(last);
		int err = 0;

		if (fd < 0) {
			last = errno;
			continue;
		}
		c->fd = fd;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			if (errno != EINPROGRESS) {
				err = errno;
			} else {
				r = wait_fd(c, POLLOUT);
				if (r < 0)
					break;
				if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
					err = errno;
			}
		}
		if (err == 0) {
			int one = 1;

			/* no Nagle: a request (or the TLS Finished and the request)
			 * in small writes must not wait for the server's delayed ACK */
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			freeaddrinfo(res);
			return 0;
		}
		last = err;
		close(fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	if (r < 0) {
		close(c->fd);
		c->fd = -1;
		return r;
	}
	return nfd__error(c->o.ctx, connect_errno(last),
			  "%s: could not connect to %s %s port %u: %s", c->o.what, what, host, port,
			  strerror(last));
}

/* Run one SSL call with SIGPIPE blocked: a peer's reset must not kill us. */
#define WITH_NO_SIGPIPE(call)                                                                      \
	({                                                                                         \
		sigset_t set_, old_, pend_;                                                        \
		bool pending_;                                                                     \
		sigemptyset(&set_);                                                                \
		sigaddset(&set_, SIGPIPE);                                                         \
		pthread_sigmask(SIG_BLOCK, &set_, &old_);                                          \
		sigpending(&pend_);                                                                \
		pending_ = sigismember(&pend_, SIGPIPE);                                           \
		int r_ = (call);                                                                   \
		if (!pending_) {                                                                   \
			struct timespec zero_ = {0, 0};                                            \
			sigpending(&pend_);                                                        \
			if (sigismember(&pend_, SIGPIPE))                                          \
				sigtimedwait(&set_, NULL, &zero_);                                 \
		}                                                                                  \
		pthread_sigmask(SIG_SETMASK, &old_, NULL);                                         \
		r_;                                                                                \
	})

/* After a failed SSL call: wait and retry (1), or an error. */
static int ssl_retry(struct http_conn *c, int k, const char *step)
{
	int e = sym_SSL_get_error(c->ssl, k), r;
	char buf[256];

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		r = wait_fd(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
		return r < 0 ? r : 1;
	}
	return nfd__error(c->o.ctx, EPROTO, "%s: TLS %s failed: %s", c->o.what, step,
			  ssl_err(buf, sizeof(buf)));
}

static int tls_start(struct http_conn *c, struct http_tls *t, const struct http_url *u)
{
	bool ip = u->ipv6 || strspn(u->host, "0123456789.") == strlen(u->host);
	char buf[256];
	int k, r;

	c->ssl = sym_SSL_new(t->ctx);
	if (!c->ssl)
		return nfd__error(c->o.ctx, ENOMEM, "%s: TLS: %s", c->o.what,
				  ssl_err(buf, sizeof(buf)));
	sym_SSL_set_fd(c->ssl, c->fd);
	/* the name the certificate must carry; SNI only for names */
	if (ip) {
		r = sym_X509_VERIFY_PARAM_set1_ip_asc(sym_SSL_get0_param(c->ssl), u->host);
	} else {
		r = sym_SSL_set1_host(c->ssl, u->host);
		if (r == 1)
			r = (int)sym_SSL_ctrl(c->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME,
					      TLSEXT_NAMETYPE_host_name, u->host);
	}
	if (r != 1)
		return nfd__error(c->o.ctx, EPROTO, "%s: TLS: cannot verify host '%s': %s",
				  c->o.what, u->host, ssl_err(buf, sizeof(buf)));
	for (;;) {
		sym_ERR_clear_error();
		errno = 0;
		k = WITH_NO_SIGPIPE(sym_SSL_connect(c->ssl));
		if (k == 1)
			return 0;
		if (sym_SSL_get_error(c->ssl, k) == SSL_ERROR_SSL) {
			long v = sym_SSL_get_verify_result(c->ssl);

			if (v != X509_V_OK) {
				sym_ERR_clear_error();
				return nfd__error(c->o.ctx, EPROTO,
						  "%s: server certificate verification failed: %s",
						  c->o.what, sym_X509_verify_cert_error_string(v));
			}
		}
		r = ssl_retry(c, k, "handshake");
		if (r < 0)
			return r;
	}
}

int nfd__http_conn_write(struct http_conn *c, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t k;

		if (c->ssl) {
			int r;

			sym_ERR_clear_error();
			errno = 0;
			k = WITH_NO_SIGPIPE(sym_SSL_write(c->ssl, p, (int)MIN(n, (size_t)INT_MAX)));
			if (k <= 0) {
				r = ssl_retry(c, (int)k, "write");
				if (r < 0)
					return r;
				continue;
			}
		} else {
			k = send(c->fd, p, n, MSG_NOSIGNAL);
			if (k < 0) {
				int r;

				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK)
					return nfd__error(c->o.ctx, EPROTO, "%s: send failed: %s",
							  c->o.what, strerror(errno));
				r = wait_fd(c, POLLOUT);
				if (r < 0)
					return r;
				continue;
			}
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

ssize_t nfd__http_conn_read(struct http_conn *c, void *buf, size_t n)
{
	for (;;) {
		ssize_t k;
		int r;

		if (c->ssl) {
			int e;

			sym_ERR_clear_error();
			errno = 0;
			k = WITH_NO_SIGPIPE(
				sym_SSL_read(c->ssl, buf, (int)MIN(n, (size_t)INT_MAX)));
			if (k > 0)
				return k;
			e = sym_SSL_get_error(c->ssl, (int)k);
			/* the end of the stream, clean or not: the parser judges */
			if (e == SSL_ERROR_ZERO_RETURN ||
			    (e == SSL_ERROR_SYSCALL && sym_ERR_peek_error() == 0))
				return 0;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
			/* closed without close_notify (OpenSSL 3 reports it so) */
			if (e == SSL_ERROR_SSL && ERR_GET_REASON(sym_ERR_peek_error()) ==
							  SSL_R_UNEXPECTED_EOF_WHILE_READING) {
				sym_ERR_clear_error();
				return 0;
			}
#endif
			r = ssl_retry(c, (int)k, "read");
			if (r < 0)
				return r;
			continue;
		}
		k = recv(c->fd, buf, n, 0);
		if (k >= 0)
			return k;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return nfd__error(c->o.ctx, EPROTO, "%s: receive failed: %s", c->o.what,
					  strerror(errno));
		r = wait_fd(c, POLLIN);
		if (r < 0)
			return r;
	}
}

/* Percent-decode the userinfo of a proxy URL into "Basic base64(user:pass)". */
static char *proxy_basic(const char *userinfo)
{
	_cleanup_free_ char *plain = malloc(strlen(userinfo) + 1), *b64 = NULL;
	size_t n = 0;
	char *out = NULL;

	if (!plain)
		return NULL;
	for (const char *s = userinfo; *s; s++) {
		unsigned v;

		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1 && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			plain[n++] = (char)v;
			s += 2;
		} else {
			plain[n++] = *s;
		}
	}
	if (!memchr(plain, ':', n))
		plain[n++] = ':';
	b64 = nfd__oci_base64_encode(plain, n);
	explicit_bzero(plain, n);
	if (b64 && asprintf(&out, "Basic %s", b64) < 0)
		out = NULL;
	if (b64)
		explicit_bzero(b64, strlen(b64));
	return out;
}

/* CONNECT host:port through the proxy c is connected to. */
static int tunnel(struct http_conn *c, const struct http_url *u, const char *auth)
{
	_cleanup_free_ char *hp = nfd__http_url_hostport(u, true);
	struct oci_http_resp resp = {0};
	struct http_parser p;
	struct strbuf req = STRBUF_INIT;
	int r;

	if (!hp)
		return nfd__oom(c->o.ctx);
	strbuf_appendf(&req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: libnfd/%s\r\n", hp, hp,
		       PACKAGE_VERSION);
	if (auth)
		strbuf_appendf(&req, "Proxy-Authorization: %s\r\n", auth);
	strbuf_puts(&req, "\r\n");
	if (req.oom) {
		strbuf_release(&req);
		return nfd__oom(c->o.ctx);
	}
	r = nfd__http_conn_write(c, req.buf, req.len);
	explicit_bzero(req.buf, req.len);
	strbuf_release(&req);
	if (r < 0)
		return r;
	/* byte by byte: what follows the proxy's answer is the server's TLS */
	nfd__http_parser_init(&p, &resp, true, 0);
	for (r = 0; r == 0;) {
		char ch;
		size_t used;
		ssize_t k = nfd__http_conn_read(c, &ch, 1);

		if (k < 0) {
			r = (int)k;
			break;
		}
		r = k == 0 ? nfd__http_parser_eof(&p) : nfd__http_parser_feed(&p, &ch, 1, &used);
		if (r < 0)
			r = nfd__error(c->o.ctx, -r, "%s: proxy: %s", c->o.what, p.msg);
	}
	nfd__http_parser_done(&p);
	if (r > 0 && (resp.status < 200 || resp.status > 299))
		r = nfd__error(c->o.ctx, ECONNREFUSED,
			       "%s: the proxy refused the tunnel to %s: HTTP %ld%s", c->o.what, hp,
			       resp.status,
			       resp.status == 407 ? " (proxy authentication required)" : "");
	nfd__oci_http_resp_done(&resp);
	return r < 0 ? r : 0;
}

int nfd__http_conn_open(const struct http_io_opts *o, const struct http_url *u, const char *proxy,
			struct http_tls *tls, struct http_conn **ret, bool *ret_absolute,
			char **ret_proxy_auth)
{
	_cleanup_free_ char *auth = NULL, *purl_s = NULL;
	struct http_url pu = {0};
	struct http_conn *c;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return nfd__oom(o->ctx);
	c->o = *o;
	c->fd = -1;
	if (proxy) {
		/* "host:port" means http:// as in curl; only http:// proxies */
		if (!strstr(proxy, "://") && asprintf(&purl_s, "http://%s", proxy) < 0)
			purl_s = NULL, r = nfd__oom(o->ctx);
		else if (!purl_s && !(purl_s = strdup(proxy)))
			r = nfd__oom(o->ctx);
		else if (!strstartswith(purl_s, "http://") || nfd__http_url_parse(purl_s, &pu) < 0)
			r = nfd__error(o->ctx, EINVAL,
				       "%s: unsupported proxy URL in the environment "
				       "(only http://[user:password@]host[:port])",
				       o->what);
		else
			r = 0;
		if (r < 0)
			goto fail;
		if (!pu.port_given)
			pu.port = 1080; /* curl's default proxy port */
		if (pu.userinfo && !(auth = proxy_basic(pu.userinfo))) {
			r = nfd__oom(o->ctx);
			goto fail;
		}
		nfd_dbg(o->ctx, "%s: through the proxy %s:%u", o->what, pu.host, pu.port);
		r = tcp_connect(c, pu.host, pu.port, "proxy");
	} else {
		r = tcp_connect(c, u->host, u->port, "host");
	}
	if (r < 0)
		goto fail;
	if (u->https) {
		if (proxy) {
			r = tunnel(c, u, auth);
			if (r < 0)
				goto fail;
		}
		r = tls_start(c, tls, u);
		if (r < 0)
			goto fail;
	}
	*ret_absolute = proxy && !u->https;
	*ret_proxy_auth = *ret_absolute ? TAKE_PTR(auth) : NULL;
	r = 0;
	*ret = TAKE_PTR(c);
fail:
	/* the Basic value is a credential */
	if (auth)
		explicit_bzero(auth, strlen(auth));
	nfd__http_url_done(&pu);
	nfd__http_conn_close(c);
	return r;
}

void nfd__http_conn_close(struct http_conn *c)
{
	if (!c)
		return;
	if (c->ssl)
		sym_SSL_free(c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}
