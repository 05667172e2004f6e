/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HTTP over libcurl for the registry client.  Every request is bounded: a
 * total timeout (a stalled server ends with -ETIMEDOUT), a cap on the body
 * (-E2BIG) and on redirects (-EPROTO).  Redirects are followed here, not by
 * curl, so that the Authorization header is only ever sent to the origin it
 * was meant for, and https is never downgraded.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "libnfd/dl.h"
#include "libnfd/oci/oci-http.h"
#include "shared/root-open.h"
#include "shared/util.h"

#define CA_FILE_MAX	   (4u * 1024 * 1024)
#define CERTS_DIRS_DEFAULT "/etc/containers/certs.d:/etc/docker/certs.d"

NFD_DLSYM(curl_global_init);
NFD_DLSYM(curl_easy_init);
NFD_DLSYM(curl_easy_setopt);
NFD_DLSYM(curl_easy_perform);
NFD_DLSYM(curl_easy_getinfo);
NFD_DLSYM(curl_easy_reset);
NFD_DLSYM(curl_easy_cleanup);
NFD_DLSYM(curl_easy_strerror);
NFD_DLSYM(curl_free);
NFD_DLSYM(curl_slist_append);
NFD_DLSYM(curl_slist_free_all);
NFD_DLSYM(curl_url);
NFD_DLSYM(curl_url_cleanup);
NFD_DLSYM(curl_url_get);
NFD_DLSYM(curl_url_set);
NFD_DLSYM(curl_version_info);

/* Only the registry client needs libcurl; linking it would cost every user
 * of libnfd (and every `nfd export features`) about 5 ms at start-up for TLS
 * stacks it never touches. */
static int load_libcurl(const char **ret_msg)
{
	return NFD_DLOPEN(ret_msg, "curl", "OCI registry client", NFD_DLOPEN_RECOMMENDED,
			  "libcurl.so.4", NFD_DLSYM_ARG(curl_global_init),
			  NFD_DLSYM_ARG(curl_easy_init), NFD_DLSYM_ARG(curl_easy_setopt),
			  NFD_DLSYM_ARG(curl_easy_perform), NFD_DLSYM_ARG(curl_easy_getinfo),
			  NFD_DLSYM_ARG(curl_easy_reset), NFD_DLSYM_ARG(curl_easy_cleanup),
			  NFD_DLSYM_ARG(curl_easy_strerror), NFD_DLSYM_ARG(curl_free),
			  NFD_DLSYM_ARG(curl_slist_append), NFD_DLSYM_ARG(curl_slist_free_all),
			  NFD_DLSYM_ARG(curl_url), NFD_DLSYM_ARG(curl_url_cleanup),
			  NFD_DLSYM_ARG(curl_url_get), NFD_DLSYM_ARG(curl_url_set),
			  NFD_DLSYM_ARG(curl_version_info));
}

struct oci_http {
	struct nfd_ctx *ctx;
	CURL *curl;
	long timeout_ms;
	char *ca; /* the system bundle and the extra CA file, PEM */
	size_t ca_len;
	/* the caller's progress/cancel callback (nfd_oci_options.progress) */
	int (*progress)(void *userdata, unsigned long long done, unsigned long long total);
	void *userdata;
};

struct xfer {
	struct oci_http_resp *resp;
	struct strbuf body;
	size_t max;
	bool too_big;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result;
static const char *curl_load_msg;

static bool curl_ready(void);

static void curl_init(void)
{
	if (load_libcurl(&curl_load_msg) < 0) {
		curl_init_result = CURLE_FAILED_INIT;
		return;
	}
	curl_init_result = sym_curl_global_init(CURL_GLOBAL_DEFAULT);
}

void nfd__oci_http_resp_done(struct oci_http_resp *r)
{
	free(r->body);
	free(r->location);
	free(r->link);
	free(r->www_authenticate);
	free(r->url);
	memset(r, 0, sizeof(*r));
}

static void reset_headers(struct oci_http_resp *r)
{
	r->content_type[0] = r->digest[0] = r->oci_subject[0] = r->filters[0] = '\0';
	r->retry_after = -1;
	free(r->location);
	free(r->link);
	free(r->www_authenticate);
	r->location = r->link = r->www_authenticate = NULL;
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

static size_t header_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct xfer *x = userdata;
	struct oci_http_resp *r = x->resp;
	size_t n = size * nmemb, kn, vn;
	const char *colon, *v;

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue): forget the last one */
		reset_headers(r);
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon)
		return n;
	kn = (size_t)(colon - data);
	v = colon + 1;
	vn = n - kn - 1;
	while (vn > 0 && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn > 0 && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
		vn--;

#define IS(name) (kn == strlen(name) && strncasecmp(data, name, kn) == 0)
	if (IS("Content-Type")) {
		set_fixed(r->content_type, sizeof(r->content_type), v, vn, true);
	} else if (IS("Docker-Content-Digest")) {
		set_fixed(r->digest, sizeof(r->digest), v, vn, false);
	} else if (IS("OCI-Subject")) {
		set_fixed(r->oci_subject, sizeof(r->oci_subject), v, vn, false);
	} else if (IS("OCI-Filters-Applied")) {
		set_fixed(r->filters, sizeof(r->filters), v, vn, false);
	} else if (IS("Retry-After")) {
		char buf[16];

		/* only the delta-seconds form; an HTTP date counts as absent */
		set_fixed(buf, sizeof(buf), v, vn, false);
		r->retry_after = (buf[0] >= '0' && buf[0] <= '9') ? strtol(buf, NULL, 10) : -1;
	} else if (IS("Location")) {
		free(r->location);
		r->location = memdup_str(v, vn);
	} else if (IS("Link")) {
		free(r->link);
		r->link = memdup_str(v, vn);
	} else if (IS("WWW-Authenticate")) {
		struct strbuf sb = STRBUF_INIT;

		if (r->www_authenticate) {
			strbuf_puts(&sb, r->www_authenticate);
			strbuf_puts(&sb, ", ");
		}
		strbuf_append(&sb, v, vn);
		free(r->www_authenticate);
		r->www_authenticate = strbuf_steal(&sb);
	}
#undef IS
	return n;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct xfer *x = userdata;
	size_t n = size * nmemb;

	if (x->body.len + n > x->max) {
		x->too_big = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	strbuf_append(&x->body, data, n);
	return x->body.oom ? 0 : n;
}

char *nfd__oci_url_origin(const char *url)
{
	CURLU *u = curl_ready() ? sym_curl_url() : NULL;
	char *scheme = NULL, *host = NULL, *port = NULL, *out = NULL;

	if (!u)
		return NULL;
	if (sym_curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    sym_curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    sym_curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    sym_curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		if (asprintf(&out, "%s://%s:%s", scheme, host, port) < 0)
			out = NULL;
	}
	sym_curl_free(scheme);
	sym_curl_free(host);
	sym_curl_free(port);
	sym_curl_url_cleanup(u);
	return out;
}

char *nfd__oci_url_resolve(const char *base, const char *url)
{
	CURLU *u = curl_ready() ? sym_curl_url() : NULL;
	char *s = NULL, *out = NULL;

	if (!u)
		return NULL;
	if (sym_curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    sym_curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    sym_curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = strdup(s);
	sym_curl_free(s);
	sym_curl_url_cleanup(u);
	return out;
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

/* The system CA bundle: $SSL_CERT_FILE as OpenSSL and Go read it, else curl's. */
static const char *system_ca_file(void)
{
	const curl_version_info_data *vi = sym_curl_version_info(CURLVERSION_NOW);
	const char *f = secure_env("SSL_CERT_FILE");

	return f ? f : vi ? vi->cainfo : NULL;
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
 * The system CA bundle plus the registry's certs.d certificates and
 * ca_file, so both add trust instead of replacing it.  h->ca stays NULL
 * when there is nothing to add (curl then uses its defaults).
 */
static int load_ca(struct oci_http *h, const char *ca_file, const char *const *hosts)
{
	_cleanup_free_ char *extra = NULL;
	struct strbuf add = STRBUF_INIT, sb = STRBUF_INIT;
	const char *sys_file;
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
	sys_file = system_ca_file();
	if (sys_file) {
		_cleanup_free_ char *sys = NULL;
		size_t slen;

		if (read_regular_file(NULL, sys_file, CA_FILE_MAX, &sys, &slen) == 0) {
			strbuf_append(&sb, sys, slen);
			strbuf_putc(&sb, '\n');
		}
	}
	strbuf_append(&sb, strbuf_str(&add) ?: "", add.len);
	strbuf_release(&add);
	h->ca_len = sb.len;
	h->ca = strbuf_steal(&sb);
	return h->ca ? 0 : nfd__oom(h->ctx);
}

int nfd__oci_http_init(struct nfd_ctx *ctx)
{
	pthread_once(&curl_once, curl_init);
	if (curl_load_msg)
		return nfd__error(ctx, ENOTSUP, "the registry client needs libcurl: %s",
				  curl_load_msg);
	if (curl_init_result != CURLE_OK)
		return nfd__error(ctx, EIO, "libcurl initialisation failed: %s",
				  sym_curl_easy_strerror(curl_init_result));
	return 0;
}

static bool curl_ready(void)
{
	return nfd__oci_http_init(NULL) == 0;
}

int nfd__oci_http_new(struct nfd_ctx *ctx, const char *ca_file, const char *const *cert_hosts,
		      long timeout_ms, struct oci_http **ret)
{
	struct oci_http *h;
	int r;

	r = nfd__oci_http_init(ctx);
	if (r < 0)
		return r;
	h = calloc(1, sizeof(*h));
	if (!h)
		return nfd__oom(ctx);
	h->ctx = ctx;
	h->timeout_ms = timeout_ms > 0 ? timeout_ms : OCI_DEFAULT_TIMEOUT_MS;
	h->curl = sym_curl_easy_init();
	if (!h->curl) {
		free(h);
		return nfd__oom(ctx);
	}
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
	sym_curl_easy_cleanup(h->curl);
	free(h->ca);
	free(h);
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
		return ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return EHOSTUNREACH;
	case CURLE_OUT_OF_MEMORY:
		return ENOMEM;
	case CURLE_ABORTED_BY_CALLBACK:
		return ECANCELED;
	default:
		return EPROTO;
	}
}

static bool is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/*
 * Append "name: value" to hdrs; false when out of memory.  Our copy of the
 * line is wiped: it may hold a credential.
 */
static bool add_header(struct curl_slist **hdrs, const char *name, const char *value)
{
	_cleanup_free_ char *line = NULL;
	struct curl_slist *tmp;

	if (asprintf(&line, "%s: %s", name, value) < 0)
		return false;
	tmp = sym_curl_slist_append(*hdrs, line);
	explicit_bzero(line, strlen(line));
	if (!tmp)
		return false;
	*hdrs = tmp;
	return true;
}

void nfd__oci_http_set_progress(struct oci_http *h,
				int (*progress)(void *userdata, unsigned long long done,
						unsigned long long total),
				void *userdata)
{
	h->progress = progress;
	h->userdata = userdata;
}

static int xferinfo_cb(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct oci_http *h = p;
	unsigned long long done = (unsigned long long)(ulnow > 0 ? ulnow : dlnow);
	unsigned long long total = (unsigned long long)(ulnow > 0 ? ultotal : dltotal);

	return h->progress(h->userdata, done, total) != 0;
}

/* One exchange, no redirects. */
static int perform(struct oci_http *h, const struct oci_http_req *req, const char *url,
		   bool send_auth, struct oci_http_resp *resp)
{
	struct xfer x = {.resp = resp, .body = STRBUF_INIT, .max = req->max};
	struct curl_slist *hdrs = NULL, *tmp;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = h->curl;
	CURLcode cc;
	int r = 0;

	sym_curl_easy_reset(c);
	reset_headers(resp);
	sym_curl_easy_setopt(c, CURLOPT_URL, url);
	sym_curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	sym_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	sym_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	sym_curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	sym_curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	sym_curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	sym_curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms);
	sym_curl_easy_setopt(c, CURLOPT_USERAGENT, "libnfd/" PACKAGE_VERSION);
	sym_curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	sym_curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca) {
		struct curl_blob blob = {h->ca, h->ca_len, CURL_BLOB_NOCOPY};

		sym_curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
	} else if (secure_env("SSL_CERT_FILE")) {
		sym_curl_easy_setopt(c, CURLOPT_CAINFO, secure_env("SSL_CERT_FILE"));
	}
	if (secure_env("SSL_CERT_DIR"))
		sym_curl_easy_setopt(c, CURLOPT_CAPATH, secure_env("SSL_CERT_DIR"));
	sym_curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	sym_curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	sym_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	sym_curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	if (req->max < (size_t)LONG_MAX)
		sym_curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max);
	if (h->progress) {
		if (h->progress(h->userdata, 0, 0) != 0)
			return nfd__error(h->ctx, ECANCELED, "%s %s: cancelled", req->method, url);
		sym_curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		sym_curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
		sym_curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
	}

	if (streq(req->method, "HEAD")) {
		sym_curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (streq(req->method, "POST") || streq(req->method, "PUT")) {
		sym_curl_easy_setopt(c, CURLOPT_POST, 1L);
		sym_curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		sym_curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		if (streq(req->method, "PUT"))
			sym_curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	} else if (!streq(req->method, "GET")) {
		sym_curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	}

	/* Expect: 100-continue only adds a round trip for our small bodies */
	tmp = sym_curl_slist_append(hdrs, "Expect:");
	if (tmp)
		hdrs = tmp;
	if (req->accept)
		add_header(&hdrs, "Accept", req->accept);
	if (req->content_type) {
		add_header(&hdrs, "Content-Type", req->content_type);
	} else if ((tmp = sym_curl_slist_append(hdrs, "Content-Type:"))) {
		/* no body type: drop curl's form-encoded default for POST */
		hdrs = tmp;
	}
	if (send_auth && req->authorization &&
	    !add_header(&hdrs, "Authorization", req->authorization)) {
		r = nfd__oom(h->ctx);
		goto out;
	}
	sym_curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);

	cc = sym_curl_easy_perform(c);
	if (x.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		curl_off_t announced = -1;
		char words[200];

		/* the size the server announced, where it did and it is over */
		if (sym_curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) !=
			    CURLE_OK ||
		    announced < 0 || (unsigned long long)announced <= req->max)
			announced = 0;
		r = nfd__error(h->ctx, E2BIG, "%s %s: response %s", req->method, url,
			       format_too_big(words, sizeof(words), (unsigned long long)announced,
					      req->max,
					      req->kind ? req->kind : "registry responses"));
		goto out;
	}
	if (x.body.oom || cc == CURLE_OUT_OF_MEMORY) {
		r = nfd__oom(h->ctx);
		goto out;
	}
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		r = nfd__error(h->ctx, ECANCELED, "%s %s: cancelled", req->method, url);
		goto out;
	}
	if (cc != CURLE_OK) {
		r = nfd__error(h->ctx, curl_errno(cc), "%s %s: %s", req->method, url,
			       errbuf[0] ? errbuf : sym_curl_easy_strerror(cc));
		goto out;
	}
	sym_curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	free(resp->body);
	strbuf_puts(&x.body, "");
	resp->len = x.body.len;
	resp->body = strbuf_steal(&x.body);
	if (!resp->body)
		r = nfd__oom(h->ctx);
out:
	/* the Authorization line lives in the list too */
	for (tmp = hdrs; tmp; tmp = tmp->next)
		explicit_bzero(tmp->data, strlen(tmp->data));
	sym_curl_slist_free_all(hdrs);
	strbuf_release(&x.body);
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
