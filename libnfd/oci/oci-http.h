/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnfd's own small HTTP/1.1 client for the registry code (oci-http.c,
 * http-*.c; doc/http.md): bounded in time and size, TLS over OpenSSL's
 * libssl, proxies from the environment, redirects followed by hand so
 * credentials never cross origins.
 */
#pragma once

#include "libnfd/oci/oci-internal.h"

struct oci_http;

struct oci_http_req {
	const char *method; /* "GET", "HEAD", "POST", "PUT", "DELETE" */
	const char *url;
	const char *accept;	  /* or NULL */
	const char *content_type; /* of the body, or NULL */
	/* a full "Authorization" value ("Bearer x"), sent only to auth_origin */
	const char *authorization;
	const char *auth_origin; /* "http://host:port"; NULL: the url's origin */
	const void *body;
	size_t body_len;
	size_t max; /* largest response body accepted */
	/* what max bounds, in the plural ("manifests"), for the message of a
	 * larger body; NULL: "registry responses" */
	const char *kind;
	bool follow; /* follow redirects (GET and HEAD) */
};

struct oci_http_resp {
	long status;
	char *body; /* NUL-terminated */
	size_t len;
	char content_type[128]; /* without parameters */
	char digest[80];	/* Docker-Content-Digest */
	char oci_subject[80];	/* OCI-Subject */
	char filters[128];	/* OCI-Filters-Applied */
	long retry_after;	/* Retry-After in seconds, -1 when absent */
	char *location;
	char *link;
	char *www_authenticate; /* all challenges, joined with ", " */
	char *url;		/* after redirects */
};
void nfd__oci_http_resp_done(struct oci_http_resp *r);

/*
 * ca_file: extra PEM certificates; cert_hosts: NULL-terminated registry
 * names whose certs.d directories ($NFD_REGISTRY_CERTS_DIRS, default
 * /etc/containers/certs.d:/etc/docker/certs.d, each <dir>/<name>/NAME.crt) add
 * trust too; timeout_ms bounds each request.
 */
/* Nothing to prepare today (libssl is opened by the first https request); 0. */
int nfd__oci_http_init(struct nfd_ctx *ctx);
int nfd__oci_http_new(struct nfd_ctx *ctx, const char *ca_file, const char *const *cert_hosts,
		      long timeout_ms, struct oci_http **ret);
void nfd__oci_http_free(struct oci_http *h);
/* Call progress before each request and while data moves; a non-zero
 * return aborts the request with -ECANCELED.  NULL: none. */
void nfd__oci_http_set_progress(struct oci_http *h,
				int (*progress)(void *userdata, unsigned long long done,
						unsigned long long total),
				void *userdata);

/*
 * Perform one request (and its redirects).  Any HTTP status is a success
 * here; transport failures give -ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH,
 * -EPROTO (TLS, truncated or malformed response, redirect loop), -E2BIG
 * (body over req->max), with the message set.
 */
int nfd__oci_http_do(struct oci_http *h, const struct oci_http_req *req,
		     struct oci_http_resp *resp);

/* "scheme://host[:port]" of url into a new string, or NULL. */
char *nfd__oci_url_origin(const char *url);
/* url resolved against base (for Location and Link); NULL if invalid. */
char *nfd__oci_url_resolve(const char *base, const char *url);
/* Percent-encode a query value; NULL on ENOMEM. */
char *nfd__oci_url_escape(const char *s);
