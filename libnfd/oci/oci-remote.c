/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A registry (OCI distribution API) as a store: manifests, blobs, the
 * referrers API with pagination, monolithic blob upload, manifest push, and
 * authentication (Basic, or Bearer through the token endpoint the
 * WWW-Authenticate challenge names).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "libnfd/oci/oci-auth.h"
#include "libnfd/oci/oci-http.h"
#include "shared/util.h"

#define TOKEN_RESPONSE_MAX (128 * 1024)
#define ERROR_BODY_MAX	   (64 * 1024)
#define MAX_RETRIES	   2

static const char manifest_accept[] =
	OCI_MEDIA_MANIFEST ", " OCI_MEDIA_INDEX ", " DOCKER_MEDIA_MANIFEST ", " DOCKER_MEDIA_LIST;

struct remote_store {
	struct oci_store base;
	struct oci_ref ref;
	struct oci_http *http;
	char *origin;	  /* "https://host[:port]", the prefix of our URLs */
	char *origin_key; /* the same with the port always given, to compare */
	struct oci_cred cred;
	char *authorization; /* cached "Basic ..." or "Bearer ..." */
	long timeout_ms;
	bool push;
	bool plain_http;
};

static struct remote_store *RS(struct oci_store *s)
{
	return (struct remote_store *)s;
}

/* {"errors":[{"code","message"}]} into "CODE: message" for messages. */
static void registry_error(const struct oci_http_resp *resp, char *buf, size_t size,
			   bool *name_unknown)
{
	json_t *j = json_loadb(resp->body ?: "", resp->len, 0, NULL);
	json_t *e = json_array_get(json_object_get(j, "errors"), 0);
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));

	if (name_unknown)
		*name_unknown = code && streq(code, "NAME_UNKNOWN");
	if (code)
		snprintf(buf, size, ": %s%s%s", code, msg ? ": " : "", msg ?: "");
	else
		buf[0] = '\0';
	json_decref(j);
}

static int status_error(struct remote_store *rs, const char *method, const char *what,
			const struct oci_http_resp *resp)
{
	char detail[256];
	int err;

	registry_error(resp, detail, sizeof(detail), NULL);
	switch (resp->status) {
	case 401:
	case 403:
		err = EACCES;
		break;
	case 404:
		err = ENOENT;
		break;
	default:
		err = EPROTO;
	}
	return nfd__error(rs->base.ctx, err, "%s %s/%s: HTTP %ld%s", method, rs->base.name, what,
			  resp->status, detail);
}

static bool realm_allowed(struct remote_store *rs, const char *realm)
{
	return nfd__oci_realm_allowed(rs->ref.host, rs->plain_http, realm);
}

static char *basic_header(const struct oci_cred *c)
{
	_cleanup_free_ char *plain = NULL, *b64 = NULL;
	char *out = NULL;

	if (asprintf(&plain, "%s:%s", c->username, c->password) < 0)
		return NULL;
	b64 = nfd__oci_base64_encode(plain, strlen(plain));
	explicit_bzero(plain, strlen(plain));
	if (b64 && asprintf(&out, "Basic %s", b64) < 0)
		out = NULL;
	if (b64)
		explicit_bzero(b64, strlen(b64));
	return out;
}

/*
 * Get a bearer token from the challenge's realm.  With an identity token
 * (an OAuth2 refresh token from `docker login`, as ACR issues) the OAuth2
 * flow: POST grant_type=refresh_token.  Otherwise the distribution token
 * flow: GET realm?service=&scope=, with Basic credentials when we have
 * them, anonymous when not.
 */
static int fetch_token(struct remote_store *rs, const struct oci_challenge *ch, char **ret)
{
	struct nfd_ctx *ctx = rs->base.ctx;
	const char *refresh = rs->cred.identity_token;
	struct oci_http_resp resp = {};
	_cleanup_free_ char *url = NULL, *basic = NULL, *service = NULL, *scope = NULL,
			    *ours = NULL, *ours_esc = NULL, *form = NULL, *refresh_esc = NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *tok, *how;
	json_t *j = NULL;
	int r;

	if (!ch->realm || !realm_allowed(rs, ch->realm))
		return nfd__error(ctx, EACCES,
				  "%s: refusing token realm '%s' (must be https, or "
				  "on the registry's own host)",
				  rs->base.name, ch->realm ?: "");
	if (asprintf(&ours, "repository:%s:%s", rs->ref.repository,
		     rs->push ? "pull,push" : "pull") < 0)
		return nfd__oom(ctx);
	ours_esc = nfd__oci_url_escape(ours);
	service = nfd__oci_url_escape(ch->service ?: "");
	scope = ch->scope ? nfd__oci_url_escape(ch->scope) : NULL;
	if (!ours_esc || !service)
		return nfd__oom(ctx);

	if (refresh) {
		/* OAuth2 scopes are space-separated in one parameter */
		refresh_esc = nfd__oci_url_escape(refresh);
		strbuf_appendf(&sb,
			       "grant_type=refresh_token&client_id=libnfd&service=%s"
			       "&scope=%s",
			       service, ours_esc);
		if (scope && !streq(ch->scope, ours))
			strbuf_appendf(&sb, "%%20%s", scope);
		strbuf_appendf(&sb, "&refresh_token=%s", refresh_esc ?: "");
		form = strbuf_steal(&sb);
		url = strdup(ch->realm);
		if (!form || !url || !refresh_esc)
			return nfd__oom(ctx);
		how = "the identity token";
	} else {
		strbuf_puts(&sb, ch->realm);
		strbuf_putc(&sb, strchr(ch->realm, '?') ? '&' : '?');
		if (ch->service)
			strbuf_appendf(&sb, "service=%s&", service);
		strbuf_appendf(&sb, "scope=%s", ours_esc);
		if (scope && !streq(ch->scope, ours))
			strbuf_appendf(&sb, "&scope=%s", scope);
		url = strbuf_steal(&sb);
		if (!url)
			return nfd__oom(ctx);
		if (rs->cred.username && rs->cred.password) {
			basic = basic_header(&rs->cred);
			if (!basic)
				return nfd__oom(ctx);
		}
		how = basic ? "the credentials" : "anonymous access";
	}
	nfd_dbg(ctx, "%s: requesting a token from %s (%s)", rs->base.name, ch->realm, how);
	r = nfd__oci_http_do(
		rs->http,
		&(struct oci_http_req){.method = form ? "POST" : "GET",
				       .url = url,
				       .content_type =
					       form ? "application/x-www-form-urlencoded" : NULL,
				       .body = form,
				       .body_len = form ? strlen(form) : 0,
				       .authorization = basic,
				       .max = TOKEN_RESPONSE_MAX,
				       .kind = "token responses",
				       .follow = !form},
		&resp);
	if (basic)
		explicit_bzero(basic, strlen(basic));
	if (form)
		explicit_bzero(form, strlen(form));
	if (refresh_esc)
		explicit_bzero(refresh_esc, strlen(refresh_esc));
	if (r < 0)
		goto out;
	if (resp.status == 400 || resp.status == 401 || resp.status == 403) {
		r = nfd__error(ctx, EACCES, "%s: the token server %s refused %s (HTTP %ld)",
			       rs->base.name, ch->realm, how, resp.status);
		goto out;
	}
	if (resp.status != 200) {
		r = nfd__error(ctx, EPROTO, "%s: token server %s answered HTTP %ld", rs->base.name,
			       ch->realm, resp.status);
		goto out;
	}
	j = json_loadb(resp.body, resp.len, 0, NULL);
	tok = json_string_value(json_object_get(j, "access_token"));
	if (!tok || !*tok)
		tok = json_string_value(json_object_get(j, "token"));
	if (!tok || !*tok) {
		r = nfd__error(ctx, EPROTO, "%s: token server %s sent no token", rs->base.name,
			       ch->realm);
		goto out;
	}
	*ret = strdup(tok);
	r = *ret ? 0 : nfd__oom(ctx);
out:
	if (resp.body)
		explicit_bzero(resp.body, resp.len);
	json_decref(j);
	nfd__oci_http_resp_done(&resp);
	return r;
}

/* After a 401: work out the Authorization to retry with. */
static int authenticate(struct remote_store *rs, const struct oci_http_resp *resp)
{
	struct nfd_ctx *ctx = rs->base.ctx;
	struct oci_challenge ch = {};
	char *auth = NULL;
	int r;

	if (!resp->www_authenticate || nfd__oci_challenge_parse(resp->www_authenticate, &ch) < 0)
		return nfd__error(ctx, EACCES,
				  "%s: authentication required (HTTP 401 without a "
				  "usable WWW-Authenticate challenge)",
				  rs->base.name);
	if (strcasecmp(ch.scheme, "Basic") == 0) {
		if (!rs->cred.username || !rs->cred.password) {
			r = nfd__error(ctx, EACCES,
				       "%s: the registry wants a username and password%s",
				       rs->base.name,
				       rs->cred.token || rs->cred.identity_token
					       ? " (a token "
						 "cannot be used for basic authentication)"
					       : "");
			goto out;
		}
		nfd_dbg(ctx, "%s: basic authentication", rs->base.name);
		auth = basic_header(&rs->cred);
	} else if (strcasecmp(ch.scheme, "Bearer") == 0) {
		_cleanup_free_ char *token = NULL;

		if (rs->cred.token) {
			nfd_dbg(ctx, "%s: bearer authentication with the given token",
				rs->base.name);
			token = strdup(rs->cred.token);
		} else {
			r = fetch_token(rs, &ch, &token);
			if (r < 0)
				goto out;
		}
		if (token && asprintf(&auth, "Bearer %s", token) < 0)
			auth = NULL;
		if (token)
			explicit_bzero(token, strlen(token));
	} else {
		r = nfd__error(ctx, EACCES, "%s: unsupported authentication scheme '%s'",
			       rs->base.name, ch.scheme);
		goto out;
	}
	if (!auth) {
		r = nfd__oom(ctx);
		goto out;
	}
	if (rs->authorization)
		explicit_bzero(rs->authorization, strlen(rs->authorization));
	free(rs->authorization);
	rs->authorization = auth;
	r = 0;
out:
	nfd__oci_challenge_done(&ch);
	return r;
}

static bool transient(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

/*
 * Wait before retrying a transient failure: Retry-After when the registry
 * sent one (capped), else 250 ms doubling.  Bounded by MAX_RETRIES, and
 * never longer than a third of the request timeout, so a registry that
 * keeps answering 503 still ends the call in bounded time.
 */
static void backoff(struct remote_store *rs, const struct oci_http_resp *resp, int retry)
{
	long ms = 250L << retry;
	struct timespec ts;

	if (resp->retry_after >= 0)
		ms = MIN(resp->retry_after, 3L) * 1000;
	ms = MIN(ms, rs->timeout_ms / 3);
	nfd_dbg(rs->base.ctx, "%s: HTTP %ld, retrying in %ld ms", rs->base.name, resp->status, ms);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A registry request with authentication: one retry after a 401, and
 * (GET and HEAD only) up to MAX_RETRIES after 429 or 502-504. */
static int request(struct remote_store *rs, struct oci_http_req *req, struct oci_http_resp *resp)
{
	bool idempotent = streq(req->method, "GET") || streq(req->method, "HEAD");
	int r, retries = 0;

	req->auth_origin = rs->origin;
	for (int attempt = 0;;) {
		req->authorization = rs->authorization;
		r = nfd__oci_http_do(rs->http, req, resp);
		if (r < 0)
			return r;
		if (idempotent && transient(resp->status) && retries < MAX_RETRIES) {
			backoff(rs, resp, retries++);
			continue;
		}
		if (resp->status != 401)
			return 0;
		if (attempt++ > 0) {
			if (!rs->cred.username && !rs->cred.token && !rs->cred.identity_token)
				return nfd__error(rs->base.ctx, EACCES,
						  "%s: authentication required and no credentials "
						  "for %s (--registry-username, "
						  "--registry-token-stdin or an auth file)",
						  rs->base.name, rs->ref.registry);
			return nfd__error(rs->base.ctx, EACCES,
					  "%s: authentication failed: the "
					  "registry refused the %s (HTTP 401)",
					  rs->base.name, rs->cred.token ? "token" : "credentials");
		}
		r = authenticate(rs, resp);
		if (r < 0)
			return r;
	}
}

static char *url_for(struct remote_store *rs, const char *kind, const char *ref)
{
	char *u = NULL;

	if (asprintf(&u, "%s/v2/%s/%s/%s", rs->origin, rs->ref.repository, kind, ref) < 0)
		return NULL;
	return u;
}

/* Check a downloaded body against the digest asked for and the header. */
static int check_body(struct remote_store *rs, const char *what, const struct oci_http_resp *resp,
		      const char *want, struct oci_blob *b)
{
	int r = nfd__oci_sha256_digest(resp->body, resp->len, b->digest);

	if (r < 0)
		return nfd__error(rs->base.ctx, EIO, "cannot compute sha256");
	if (want && nfd__oci_digest_valid(want) && !streq(want, b->digest))
		return nfd__error(rs->base.ctx, EBADMSG,
				  "%s/%s: digest mismatch: expected %s, got %s", rs->base.name,
				  what, want, b->digest);
	if (resp->digest[0] && nfd__oci_digest_valid(resp->digest) &&
	    !streq(resp->digest, b->digest))
		return nfd__error(rs->base.ctx, EBADMSG,
				  "%s/%s: Docker-Content-Digest %s does "
				  "not match the content (%s)",
				  rs->base.name, what, resp->digest, b->digest);
	return 0;
}

static int remote_get(struct oci_store *s, const char *kind, const char *ref, size_t max,
		      struct oci_blob *ret)
{
	struct remote_store *rs = RS(s);
	_cleanup_free_ char *url = url_for(rs, kind, ref);
	_cleanup_free_ char *what = NULL;
	struct oci_http_resp resp = {};
	struct oci_blob b = {};
	bool manifest = streq(kind, "manifests");
	int r;

	if (!url || asprintf(&what, "%s/%s", kind, ref) < 0)
		return nfd__oom(s->ctx);
	r = request(rs,
		    &(struct oci_http_req){.method = "GET",
					   .url = url,
					   .accept = manifest ? manifest_accept : NULL,
					   .max = max,
					   .kind = manifest ? "manifests"
							    : "blobs (a spec: --max-spec-size)",
					   .follow = true},
		    &resp);
	if (r < 0)
		goto out;
	if (resp.status != 200) {
		r = status_error(rs, "GET", what, &resp);
		goto out;
	}
	r = check_body(rs, what, &resp, nfd__oci_digest_valid(ref) ? ref : NULL, &b);
	if (r < 0)
		goto out;
	if (manifest)
		snprintf(b.media_type, sizeof(b.media_type), "%s", resp.content_type);
	b.data = TAKE_PTR(resp.body);
	b.len = resp.len;
	*ret = b;
out:
	nfd__oci_http_resp_done(&resp);
	return r;
}

static int remote_get_manifest(struct oci_store *s, const char *ref, struct oci_blob *ret)
{
	return remote_get(s, "manifests", ref, OCI_MAX_MANIFEST_SIZE, ret);
}

static int remote_get_blob(struct oci_store *s, const char *digest, size_t max,
			   struct oci_blob *ret)
{
	return remote_get(s, "blobs", digest, max, ret);
}

/* The "next" URL of a Link header, or NULL. */
static char *link_next(const char *link)
{
	const char *lt = strchr(link ?: "", '<'), *gt;

	if (!lt || !(gt = strchr(lt, '>')) ||
	    (!strstr(gt, "rel=\"next\"") && !strstr(gt, "rel=next")))
		return NULL;
	return memdup_str(lt + 1, (size_t)(gt - lt - 1));
}

static int remote_referrers(struct oci_store *s, const char *digest, const char *artifact_type,
			    json_t **ret, bool *ret_complete)
{
	struct remote_store *rs = RS(s);
	struct nfd_ctx *ctx = s->ctx;
	_cleanup_free_ char *url = NULL, *at = nfd__oci_url_escape(artifact_type);
	json_t *all = json_array();
	int r = 0;

	if (!at || !all ||
	    asprintf(&url, "%s/v2/%s/referrers/%s?artifactType=%s", rs->origin, rs->ref.repository,
		     digest, at) < 0) {
		json_decref(all);
		return nfd__oom(ctx);
	}
	for (int page = 0; url; page++) {
		struct oci_http_resp resp = {};
		_cleanup_free_ char *origin = NULL;
		json_t *j = NULL;
		bool name_unknown = false;
		char detail[256];
		size_t i;
		json_t *d;

		if (page >= OCI_MAX_REFERRER_PAGES) {
			r = nfd__error(ctx, EPROTO, "%s: more than %d pages of referrers", s->name,
				       OCI_MAX_REFERRER_PAGES);
			break;
		}
		r = request(rs,
			    &(struct oci_http_req){.method = "GET",
						   .url = url,
						   .accept = OCI_MEDIA_INDEX,
						   .max = OCI_MAX_MANIFEST_SIZE,
						   .kind = "referrers indexes",
						   .follow = true},
			    &resp);
		if (r < 0) {
			nfd__oci_http_resp_done(&resp);
			break;
		}
		if (page == 0 &&
		    (resp.status == 404 ||
		     (resp.status == 200 && !streq(resp.content_type, OCI_MEDIA_INDEX)))) {
			registry_error(&resp, detail, sizeof(detail), &name_unknown);
			nfd__oci_http_resp_done(&resp);
			if (name_unknown) {
				r = nfd__error(ctx, ENOENT, "%s: repository not found%s", s->name,
					       detail);
				break;
			}
			json_decref(all);
			return -EOPNOTSUPP;
		}
		if (resp.status != 200) {
			r = status_error(rs, "GET", "referrers", &resp);
			nfd__oci_http_resp_done(&resp);
			break;
		}
		j = json_loadb(resp.body, resp.len, 0, NULL);
		if (!json_is_array(json_object_get(j, "manifests"))) {
			r = nfd__error(ctx, EBADMSG, "%s: referrers response is not an image index",
				       s->name);
			json_decref(j);
			nfd__oci_http_resp_done(&resp);
			break;
		}
		/* without OCI-Filters-Applied the server did not filter: we do */
		if (!strstr(resp.filters, "artifactType"))
			nfd_dbg(ctx, "%s: referrers not filtered by the server", s->name);
		json_array_foreach(json_object_get(j, "manifests"), i, d)
		{
			const char *t = json_string_value(json_object_get(d, "artifactType"));

			if (!t || !streq(t, artifact_type))
				continue;
			if (json_array_size(all) >= OCI_MAX_REFERRERS) {
				r = nfd__error(ctx, E2BIG, "%s: more than %d referrers", s->name,
					       OCI_MAX_REFERRERS);
				break;
			}
			if (json_array_append(all, d) < 0)
				r = nfd__oom(ctx);
		}
		json_decref(j);
		free(url);
		url = NULL;
		if (r == 0 && resp.link) {
			_cleanup_free_ char *next = link_next(resp.link);

			url = next ? nfd__oci_url_resolve(resp.url, next) : NULL;
			origin = url ? nfd__oci_url_origin(url) : NULL;
			if (next && (!origin || !streq(rs->origin_key, origin))) {
				r = nfd__error(ctx, EPROTO,
					       "%s: referrers Link to another origin "
					       "refused: %s",
					       s->name, next);
				free(url);
				url = NULL;
			}
		}
		nfd__oci_http_resp_done(&resp);
		if (r < 0)
			break;
	}
	if (r < 0) {
		json_decref(all);
		return r;
	}
	*ret = all;
	*ret_complete = true;
	return 0;
}

static int remote_put_blob(struct oci_store *s, const char *digest, const void *buf, size_t len)
{
	struct remote_store *rs = RS(s);
	struct nfd_ctx *ctx = s->ctx;
	_cleanup_free_ char *url = url_for(rs, "blobs", digest);
	_cleanup_free_ char *upload = NULL, *put = NULL, *origin = NULL;
	struct oci_http_resp resp = {};
	int r;

	if (!url)
		return nfd__oom(ctx);
	r = request(rs,
		    &(struct oci_http_req){.method = "HEAD", .url = url, .max = 0, .follow = true},
		    &resp);
	if (r < 0)
		goto out;
	if (resp.status == 200) {
		nfd_dbg(ctx, "%s: blob %s exists", s->name, digest);
		goto out;
	}
	free(url);
	url = NULL;
	if (asprintf(&url, "%s/v2/%s/blobs/uploads/", rs->origin, rs->ref.repository) < 0) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = request(rs, &(struct oci_http_req){.method = "POST", .url = url, .max = ERROR_BODY_MAX},
		    &resp);
	if (r < 0)
		goto out;
	if (resp.status != 202 || !resp.location) {
		r = resp.status == 202
			    ? nfd__error(ctx, EPROTO, "%s: upload without a Location", s->name)
			    : status_error(rs, "POST", "blobs/uploads/", &resp);
		goto out;
	}
	upload = nfd__oci_url_resolve(url, resp.location);
	origin = upload ? nfd__oci_url_origin(upload) : NULL;
	/* the credentials go with the PUT: only to the registry itself */
	if (!origin || !streq(rs->origin_key, origin)) {
		r = nfd__error(ctx, EPROTO, "%s: refusing upload location on another origin: %s",
			       s->name, resp.location);
		goto out;
	}
	if (asprintf(&put, "%s%cdigest=%s", upload, strchr(upload, '?') ? '&' : '?', digest) < 0) {
		r = nfd__oom(ctx);
		goto out;
	}
	r = request(rs,
		    &(struct oci_http_req){.method = "PUT",
					   .url = put,
					   .content_type = "application/octet-stream",
					   .body = buf,
					   .body_len = len,
					   .max = ERROR_BODY_MAX},
		    &resp);
	if (r < 0)
		goto out;
	if (resp.status != 201 && resp.status != 204)
		r = status_error(rs, "PUT", "blobs/uploads/", &resp);
	else
		nfd_dbg(ctx, "%s: pushed blob %s (%zu bytes)", s->name, digest, len);
out:
	nfd__oci_http_resp_done(&resp);
	return r;
}

static int remote_put_manifest(struct oci_store *s, const char *ref, const char *media_type,
			       const void *buf, size_t len, bool *ret_indexed)
{
	struct remote_store *rs = RS(s);
	_cleanup_free_ char *url = url_for(rs, "manifests", ref);
	_cleanup_free_ char *what = NULL;
	struct oci_http_resp resp = {};
	int r;

	if (!url || asprintf(&what, "manifests/%s", ref) < 0)
		return nfd__oom(s->ctx);
	r = request(rs,
		    &(struct oci_http_req){.method = "PUT",
					   .url = url,
					   .content_type = media_type,
					   .body = buf,
					   .body_len = len,
					   .max = ERROR_BODY_MAX},
		    &resp);
	if (r < 0)
		goto out;
	if (resp.status != 201 && resp.status != 200) {
		r = status_error(rs, "PUT", what, &resp);
		goto out;
	}
	/* OCI-Subject: the registry keeps the referrers list itself */
	*ret_indexed = resp.oci_subject[0] != '\0';
out:
	nfd__oci_http_resp_done(&resp);
	return r;
}

static int remote_delete_manifest(struct oci_store *s, const char *digest)
{
	struct remote_store *rs = RS(s);
	_cleanup_free_ char *url = url_for(rs, "manifests", digest);
	struct oci_http_resp resp = {};
	int r;

	if (!url)
		return nfd__oom(s->ctx);
	r = request(rs,
		    &(struct oci_http_req){.method = "DELETE", .url = url, .max = ERROR_BODY_MAX},
		    &resp);
	if (r == 0 && resp.status == 405)
		r = nfd__error(s->ctx, ENOTSUP,
			       "DELETE %s/%s: the registry does not allow deletes (HTTP 405; "
			       "docker-registry: REGISTRY_STORAGE_DELETE_ENABLED=true)",
			       s->name, digest);
	else if (r == 0 && resp.status != 202 && resp.status != 200)
		r = status_error(rs, "DELETE", digest, &resp);
	nfd__oci_http_resp_done(&resp);
	return r;
}

static void remote_free(struct oci_store *s)
{
	struct remote_store *rs = RS(s);

	nfd__oci_http_free(rs->http);
	nfd__oci_ref_done(&rs->ref);
	nfd__oci_cred_done(&rs->cred);
	if (rs->authorization)
		explicit_bzero(rs->authorization, strlen(rs->authorization));
	free(rs->authorization);
	free(rs->origin);
	free(rs->origin_key);
	free(s->name);
	free(rs);
}

static const struct oci_store_ops remote_ops = {
	.get_manifest = remote_get_manifest,
	.get_blob = remote_get_blob,
	.referrers = remote_referrers,
	.put_blob = remote_put_blob,
	.put_manifest = remote_put_manifest,
	.delete_manifest = remote_delete_manifest,
	.free = remote_free,
};

static int set_credentials(struct remote_store *rs, const struct nfd_oci_options *o)
{
	struct nfd_ctx *ctx = rs->base.ctx;
	int r;

	/* as NFD: username and password only together; then a token */
	if (o->username && *o->username && o->password && *o->password) {
		rs->cred.username = strdup(o->username);
		rs->cred.password = strdup(o->password);
		if (!rs->cred.username || !rs->cred.password)
			return nfd__oom(ctx);
		return 0;
	}
	if (o->token && *o->token) {
		rs->cred.token = strdup(o->token);
		return rs->cred.token ? 0 : nfd__oom(ctx);
	}
	r = nfd__oci_auth_find(ctx, o->auth_file, rs->ref.registry, rs->ref.repository, &rs->cred);
	if (r == -ENOENT) {
		nfd__error_clear(ctx);
		nfd_dbg(ctx, "no credentials for %s: anonymous", rs->ref.registry);
		return 0;
	}
	return r;
}

int nfd__oci_remote_open(struct nfd_ctx *ctx, const char *image_ref,
			 const struct nfd_oci_options *o, bool push, struct oci_store **ret)
{
	struct remote_store *rs = calloc(1, sizeof(*rs));
	int r;

	if (!rs)
		return nfd__oom(ctx);
	rs->base.ops = &remote_ops;
	rs->base.ctx = ctx;
	rs->push = push;
	rs->plain_http = o->plain_http;
	rs->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : OCI_DEFAULT_TIMEOUT_MS;
	r = nfd__oci_ref_parse(ctx, image_ref, &rs->ref);
	if (r < 0)
		goto fail;
	rs->base.ref = rs->ref.digest ? rs->ref.digest : rs->ref.tag;
	r = nfd__oci_http_init(ctx);
	if (r < 0)
		goto fail;
	/* asprintf() leaves its pointer undefined on failure: reset each on its own */
	if (asprintf(&rs->base.name, "%s/%s", rs->ref.registry, rs->ref.repository) < 0) {
		rs->base.name = NULL;
		r = nfd__oom(ctx);
		goto fail;
	}
	if (asprintf(&rs->origin, "%s://%s", o->plain_http ? "http" : "https", rs->ref.host) < 0) {
		rs->origin = NULL;
		r = nfd__oom(ctx);
		goto fail;
	}
	rs->origin_key = nfd__oci_url_origin(rs->origin);
	if (!rs->origin_key) {
		r = nfd__error(ctx, EINVAL, "'%s': invalid registry host", image_ref);
		goto fail;
	}
	r = set_credentials(rs, o);
	if (r < 0)
		goto fail;
	{
		/* podman names the directory as the reference does, docker by host */
		const char *hosts[] = {rs->ref.registry,
				       streq(rs->ref.registry, rs->ref.host) ? NULL : rs->ref.host,
				       NULL};

		r = nfd__oci_http_new(ctx, o->ca_file, hosts, o->timeout_ms, &rs->http);
	}
	if (r < 0)
		goto fail;
	nfd__oci_http_set_progress(rs->http, o->progress, o->userdata);
	*ret = &rs->base;
	return 0;
fail:
	remote_free(&rs->base);
	return r;
}
