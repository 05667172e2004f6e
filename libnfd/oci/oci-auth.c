/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Registry credentials: WWW-Authenticate challenges, base64, and the
 * docker/podman auth files (auths entries; credential helpers are named but
 * never run — executing programs from a library is not ours to decide).
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libnfd/oci/oci-auth.h"
#include "shared/root-open.h"
#include "shared/util.h"

#define AUTH_FILE_MAX (1024 * 1024)

void nfd__oci_challenge_done(struct oci_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	free(c->error);
	memset(c, 0, sizeof(*c));
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A token or quoted-string value into a new string; *pp moves past it. */
static char *parse_value(const char **pp)
{
	const char *p = *pp;
	struct strbuf sb = STRBUF_INIT;

	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			strbuf_putc(&sb, *p);
		}
		if (*p != '"') {
			strbuf_release(&sb);
			return NULL;
		}
		p++;
	} else {
		const char *start = p;

		while (is_tchar(*p) || *p == '/' || *p == ':' || *p == '=')
			p++;
		strbuf_append(&sb, start, (size_t)(p - start));
	}
	*pp = p;
	strbuf_puts(&sb, ""); /* an empty value is still a string */
	return strbuf_steal(&sb);
}

int nfd__oci_challenge_parse(const char *header, struct oci_challenge *ret)
{
	struct oci_challenge best = {};
	const char *p = header;

	/* challenges and their parameters share the comma: a token followed
	 * by "=" is a parameter, a token followed by a space a new scheme */
	while (*p) {
		struct oci_challenge c = {};
		const char *start;
		size_t n;

		p = skip_ws(p);
		while (*p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		start = p;
		while (is_tchar(*p))
			p++;
		n = (size_t)(p - start);
		if (n == 0 || n >= sizeof(c.scheme))
			goto bad;
		memcpy(c.scheme, start, n);
		for (;;) {
			const char *k, *save;
			char *v;
			size_t kn;

			save = p;
			p = skip_ws(p);
			if (*p == ',')
				p = skip_ws(p + 1);
			k = p;
			while (is_tchar(*p))
				p++;
			kn = (size_t)(p - k);
			if (kn == 0 || *skip_ws(p) != '=') {
				/* not a parameter: the next challenge (or the end) */
				p = kn ? k : save;
				break;
			}
			p = skip_ws(skip_ws(p) + 1);
			v = parse_value(&p);
			if (!v) {
				nfd__oci_challenge_done(&c);
				goto bad;
			}
#define KEY(name) (kn == strlen(name) && strncasecmp(k, name, kn) == 0)
			if (KEY("realm"))
				free(c.realm), c.realm = v;
			else if (KEY("service"))
				free(c.service), c.service = v;
			else if (KEY("scope"))
				free(c.scope), c.scope = v;
			else if (KEY("error"))
				free(c.error), c.error = v;
			else
				free(v);
#undef KEY
		}
		/* Bearer beats Basic; otherwise the first one offered */
		if (!best.scheme[0] ||
		    (strcasecmp(c.scheme, "Bearer") == 0 && strcasecmp(best.scheme, "Bearer"))) {
			nfd__oci_challenge_done(&best);
			best = c;
		} else {
			nfd__oci_challenge_done(&c);
		}
	}
	if (!best.scheme[0])
		return -EBADMSG;
	*ret = best;
	return 0;
bad:
	nfd__oci_challenge_done(&best);
	return -EBADMSG;
}

void nfd__oci_cred_done(struct oci_cred *c)
{
	if (c->password)
		explicit_bzero(c->password, strlen(c->password));
	if (c->token)
		explicit_bzero(c->token, strlen(c->token));
	if (c->identity_token)
		explicit_bzero(c->identity_token, strlen(c->identity_token));
	free(c->username);
	free(c->password);
	free(c->token);
	free(c->identity_token);
	memset(c, 0, sizeof(*c));
}

static bool is_docker_hub(const char *host)
{
	return streq(host, "docker.io") || streq(host, "registry-1.docker.io") ||
	       streq(host, "index.docker.io");
}

/*
 * How specifically an auths key names registry/repository: 0 no match,
 * otherwise its length (a "host/namespace" key beats a "host" key).
 */
static size_t key_match(const char *key, const char *registry, const char *repository)
{
	char host[256];
	const char *k = key, *slash;
	size_t n;

	if (strstartswith(k, "https://"))
		k += 8;
	else if (strstartswith(k, "http://"))
		k += 7;
	slash = strchr(k, '/');
	n = slash ? (size_t)(slash - k) : strlen(k);
	if (n == 0 || n >= sizeof(host))
		return 0;
	memcpy(host, k, n);
	host[n] = '\0';
	if (!streq(host, registry) && !(is_docker_hub(host) && is_docker_hub(registry)))
		return 0;
	/* URL keys ("https://index.docker.io/v1/") name the whole host */
	if (!slash || k != key)
		return n;
	/* podman's "host/namespace" keys are repository prefixes */
	n = strlen(slash + 1);
	if (repository && strncmp(repository, slash + 1, n) == 0 &&
	    (repository[n] == '\0' || repository[n] == '/'))
		return strlen(k);
	return 0;
}

static int entry_cred(json_t *entry, struct oci_cred *ret)
{
	const char *auth = json_string_value(json_object_get(entry, "auth"));
	const char *user = json_string_value(json_object_get(entry, "username"));
	const char *pass = json_string_value(json_object_get(entry, "password"));
	const char *regtoken = json_string_value(json_object_get(entry, "registrytoken"));
	const char *idtoken = json_string_value(json_object_get(entry, "identitytoken"));
	struct oci_cred c = {};

	/* docker login stores "auth" beside an identity token: the token wins */
	if (idtoken && *idtoken) {
		c.identity_token = strdup(idtoken);
		if (!c.identity_token)
			return -ENOMEM;
		*ret = c;
		return 0;
	}
	if (auth && *auth) {
		_cleanup_free_ char *dec = NULL;
		size_t len;
		char *colon;
		int r = nfd__oci_base64_decode(auth, &dec, &len);

		if (r < 0)
			return r;
		colon = memchr(dec, ':', len);
		if (!colon || strlen(dec) != len) {
			explicit_bzero(dec, len);
			return -EINVAL;
		}
		*colon = '\0';
		c.username = strdup(dec);
		c.password = strdup(colon + 1);
		explicit_bzero(dec, len);
	} else if (user && pass) {
		c.username = strdup(user);
		c.password = strdup(pass);
	} else if (regtoken && *regtoken) {
		c.token = strdup(regtoken);
	} else {
		return -ENOENT;
	}
	if ((!c.username || !c.password) && !c.token) {
		nfd__oci_cred_done(&c);
		return -ENOMEM;
	}
	*ret = c;
	return 0;
}

int nfd__oci_auth_file_lookup(struct nfd_ctx *ctx, const char *path, const char *registry,
			      const char *repository, struct oci_cred *ret)
{
	_cleanup_free_ char *buf = NULL;
	json_t *root, *auths, *best = NULL, *helpers;
	const char *key, *helper = NULL;
	bool from_store = false;
	json_error_t jerr;
	size_t len, best_len = 0;
	json_t *entry;
	int r;

	/* non-blocking and regular only: a FIFO or /dev/zero would never end */
	r = read_regular_file(NULL, path, AUTH_FILE_MAX, &buf, &len);
	if (r == -ENOENT)
		return r;
	if (r == -EINVAL)
		return nfd__error(ctx, EINVAL, "auth file %s: not a regular file", path);
	if (r < 0)
		return nfd__error_read(ctx, r, path, "auth files");
	root = json_loadb(buf, len, 0, &jerr);
	explicit_bzero(buf, len);
	if (!json_is_object(root)) {
		json_decref(root);
		return nfd__error(ctx, EBADMSG, "auth file %s: invalid JSON at line %d", path,
				  jerr.line);
	}
	auths = json_object_get(root, "auths");
	json_object_foreach(auths, key, entry)
	{
		size_t m = key_match(key, registry, repository);

		if (m > best_len) {
			best_len = m;
			best = entry;
		}
	}
	helpers = json_object_get(root, "credHelpers");
	json_object_foreach(helpers, key, entry) if (key_match(key, registry, repository)) helper =
		json_string_value(entry);
	/* credsStore: the store for every registry (often a desktop's) */
	if (!helper && (helper = json_string_value(json_object_get(root, "credsStore"))))
		from_store = true;
	/* as docker: a helper for the registry, else the store, before auths */
	r = -ENOENT;
	if (helper) {
		r = nfd__oci_cred_helper_get(ctx, helper, registry, ret);
		/* a helper that is not installed: the auths entry if there is
		 * one; else an error for the registry's own helper, and no
		 * credentials for a store (a config copied from a desktop) */
		if (r == -ENOEXEC && !best && !from_store) {
			r = -EACCES;
		} else if (r == -ENOEXEC) {
			nfd_dbg(ctx, "%s; using the auths entry", nfd_ctx_last_error(ctx));
			r = -ENOENT;
		}
		if (r == -ENOENT) {
			nfd__error_clear(ctx);
		} else {
			json_decref(root);
			return r;
		}
	}
	if (best) {
		r = entry_cred(best, ret);
		if (r == -EINVAL)
			r = nfd__error(ctx, EBADMSG,
				       "auth file %s: the entry for %s has an invalid "
				       "\"auth\" value",
				       path, registry);
		else if (r == 0)
			nfd_dbg(ctx, "using credentials for %s from %s", registry, path);
	}
	json_decref(root);
	return r;
}

int nfd__oci_auth_find(struct nfd_ctx *ctx, const char *auth_file, const char *registry,
		       const char *repository, struct oci_cred *ret)
{
	char *paths[4] = {};
	const char *v;
	size_t n = 0;
	int r = -ENOENT;

	if (auth_file) {
		r = nfd__oci_auth_file_lookup(ctx, auth_file, registry, repository, ret);
		if (r == -ENOENT)
			nfd_dbg(ctx, "auth file %s has no credentials for %s", auth_file, registry);
		return r;
	}
	/* podman's order, then docker's */
	if ((v = secure_env("REGISTRY_AUTH_FILE")))
		paths[n++] = strdup(v);
	if ((v = secure_env("XDG_RUNTIME_DIR")))
		paths[n++] = path_join(v, "containers/auth.json");
	if ((v = secure_env("DOCKER_CONFIG"))) {
		paths[n++] = path_join(v, "config.json");
	} else {
		const char *home = secure_env("HOME");
		struct passwd *pw;

		if (!home && (pw = getpwuid(getuid())))
			home = pw->pw_dir;
		if (home && *home)
			paths[n++] = path_join(home, ".docker/config.json");
	}
	for (size_t i = 0; i < n; i++) {
		if (!paths[i]) {
			r = nfd__oom(ctx);
			break;
		}
		r = nfd__oci_auth_file_lookup(ctx, paths[i], registry, repository, ret);
		if (r != -ENOENT)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return r;
}
