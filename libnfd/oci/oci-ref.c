/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Image references (as oras-go v2.6.1's registry.ParseReference, which NFD
 * uses), OCI layout references, digests and the referrers tag schema.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/oci/oci-internal.h"
#include "shared/util.h"

static bool is_alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/*
 * One path component of a repository:
 * [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
 */
static bool component_valid(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_alnum_lower(s[0]))
		return false;
	while (i < n) {
		while (i < n && is_alnum_lower(s[i]))
			i++;
		if (i == n)
			return true;
		/* a separator, then at least one alnum */
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < n && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i == n || !is_alnum_lower(s[i]))
			return false;
	}
	return true;
}

bool nfd__oci_repository_valid(const char *s)
{
	if (!s || !*s || strlen(s) > 255)
		return false;
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);

		if (!component_valid(s, n))
			return false;
		if (!slash)
			return true;
		s = slash + 1;
	}
}

static bool is_word(char c)
{
	return isascii((unsigned char)c) && (isalnum((unsigned char)c) || c == '_');
}

/* ^[\w][\w.-]{0,127}$ */
bool nfd__oci_tag_valid(const char *s)
{
	size_t n;

	if (!s || !is_word(s[0]))
		return false;
	n = strlen(s);
	if (n > 128)
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_word(s[i]) && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

bool nfd__oci_digest_valid(const char *s)
{
	if (!s || !strstartswith(s, "sha256:") || strlen(s) != 7 + 64)
		return false;
	for (const char *p = s + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* A host[:port] as Go's url.Parse would accept in "dummy://<host>". */
static bool registry_valid(const char *s)
{
	const char *colon;

	if (!*s)
		return false;
	if (s[0] == '[') { /* IPv6 literal */
		const char *end = strchr(s, ']');

		if (!end || end == s + 1)
			return false;
		for (const char *p = s + 1; p < end; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return false;
		colon = end[1] ? end + 1 : NULL;
		if (colon && *colon != ':')
			return false;
	} else {
		colon = strchr(s, ':');
		for (const char *p = s; *p && p != colon; p++)
			if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
				return false;
		if (colon == s)
			return false;
	}
	if (colon) {
		if (!colon[1] || strlen(colon + 1) > 5)
			return false;
		for (const char *p = colon + 1; *p; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	return true;
}

void nfd__oci_ref_done(struct oci_ref *r)
{
	free(r->registry);
	free(r->host);
	free(r->repository);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

int nfd__oci_ref_parse(struct nfd_ctx *ctx, const char *s, struct oci_ref *ret)
{
	struct oci_ref r = {};
	_cleanup_free_ char *copy = NULL;
	char *slash, *rest, *at, *colon;
	int err;

	if (!s || !*s)
		return nfd__error(ctx, EINVAL, "empty image reference");
	copy = strdup(s);
	if (!copy)
		return nfd__oom(ctx);

	slash = strchr(copy, '/');
	if (!slash) {
		/*
		 * NFD rejects a bare name ("missing registry or repository").
		 * We read it as Docker does, docker.io/library/NAME, which is
		 * what a user typing "ubuntu:22.04" means.
		 */
		_cleanup_free_ char *full = NULL;

		if (asprintf(&full, "docker.io/library/%s", s) < 0)
			return nfd__oom(ctx);
		nfd_info(ctx, "image reference '%s' has no registry; using '%s'", s, full);
		return nfd__oci_ref_parse(ctx, full, ret);
	}
	*slash = '\0';
	rest = slash + 1;

	at = strchr(rest, '@');
	if (at) {
		/* oras: a digest wins; a tag before it is dropped */
		*at = '\0';
		colon = strchr(rest, ':');
		if (colon)
			*colon = '\0';
		if (!nfd__oci_digest_valid(at + 1)) {
			err = nfd__error(ctx, EINVAL,
					 "image reference '%s': invalid digest '%s' (only sha256 "
					 "is supported)",
					 s, at + 1);
			goto fail;
		}
		r.digest = strdup(at + 1);
		if (!r.digest)
			goto oom;
	} else {
		colon = strchr(rest, ':');
		if (colon) {
			*colon = '\0';
			if (!nfd__oci_tag_valid(colon + 1)) {
				err = nfd__error(ctx, EINVAL,
						 "image reference '%s': invalid tag '%s'", s,
						 colon + 1);
				goto fail;
			}
			r.tag = strdup(colon + 1);
			if (!r.tag)
				goto oom;
		}
	}

	if (!registry_valid(copy)) {
		err = nfd__error(ctx, EINVAL, "image reference '%s': invalid registry '%s'", s,
				 copy);
		goto fail;
	}
	if (!nfd__oci_repository_valid(rest)) {
		err = nfd__error(ctx, EINVAL,
				 "image reference '%s': invalid repository '%s' (lowercase "
				 "letters, digits and separators)",
				 s, rest);
		goto fail;
	}
	if (!r.tag && !r.digest) {
		err = nfd__error(ctx, EINVAL, "image reference '%s': a tag or digest is required",
				 s);
		goto fail;
	}
	r.registry = strdup(copy);
	/* docker.io is a name, not a host (oras-go's Reference.Host()) */
	r.host = strdup(streq(copy, "docker.io") ? "registry-1.docker.io" : copy);
	r.repository = strdup(rest);
	if (!r.registry || !r.host || !r.repository)
		goto oom;
	*ret = r;
	return 0;
oom:
	err = nfd__oom(ctx);
fail:
	nfd__oci_ref_done(&r);
	return err;
}

bool nfd__oci_ref_is_layout(const char *s)
{
	return s && (strstartswith(s, "oci:") || strstartswith(s, "oci-layout://") ||
		     strstartswith(s, "oci-layout:"));
}

void nfd__oci_layout_ref_done(struct oci_layout_ref *r)
{
	free(r->path);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

int nfd__oci_layout_ref_parse(struct nfd_ctx *ctx, const char *s, struct oci_layout_ref *ret)
{
	struct oci_layout_ref r = {};
	_cleanup_free_ char *copy = NULL;
	const char *body;
	char *at, *colon;

	if (strstartswith(s, "oci-layout://"))
		body = s + strlen("oci-layout://");
	else if (strstartswith(s, "oci-layout:"))
		body = s + strlen("oci-layout:");
	else if (strstartswith(s, "oci:"))
		body = s + strlen("oci:");
	else
		return nfd__error(ctx, EINVAL, "'%s' is not an OCI layout reference", s);

	copy = strdup(body);
	if (!copy)
		return nfd__oom(ctx);

	/* "@sha256:..." wins; otherwise the last ":" starts a tag only when
	 * what follows is a valid tag, so paths with ':' stay usable */
	at = strrchr(copy, '@');
	if (at && nfd__oci_digest_valid(at + 1)) {
		*at = '\0';
		r.digest = strdup(at + 1);
		if (!r.digest)
			goto oom;
	} else {
		colon = strrchr(copy, ':');
		if (colon && nfd__oci_tag_valid(colon + 1) && !strchr(colon + 1, '/')) {
			*colon = '\0';
			r.tag = strdup(colon + 1);
			if (!r.tag)
				goto oom;
		}
	}
	if (!*copy) {
		nfd__oci_layout_ref_done(&r);
		return nfd__error(ctx, EINVAL, "OCI layout reference '%s' has no path", s);
	}
	r.path = TAKE_PTR(copy);
	*ret = r;
	return 0;
oom:
	nfd__oci_layout_ref_done(&r);
	return nfd__oom(ctx);
}

NFD_EXPORT int nfd_oci_digest(const void *data, size_t len, char **ret)
{
	char digest[OCI_DIGEST_MAX];
	char *s;
	int r;

	assert_return(ret && (data || len == 0), -EINVAL);
	r = nfd__oci_sha256_digest(data ? data : "", len, digest);
	if (r < 0)
		return r;
	s = strdup(digest);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

int nfd__oci_verify_digest(struct nfd_ctx *ctx, const char *what, const void *buf, size_t len,
			   const char *digest)
{
	char got[OCI_DIGEST_MAX];
	int r;

	if (!nfd__oci_digest_valid(digest))
		return nfd__error(ctx, EBADMSG, "%s: unsupported digest '%s'", what, digest);
	r = nfd__oci_sha256_digest(buf, len, got);
	if (r < 0)
		return nfd__error(ctx, -r, "%s: cannot compute sha256", what);
	if (!streq(got, digest))
		return nfd__error(ctx, EBADMSG, "%s: digest mismatch: expected %s, got %s", what,
				  digest, got);
	return 0;
}

char *nfd__oci_referrers_tag(const char *digest)
{
	char *tag = strdup(digest);
	char *colon;

	if (!tag)
		return NULL;
	colon = strchr(tag, ':');
	if (colon)
		*colon = '-';
	return tag;
}
