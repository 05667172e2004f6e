/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container-start policy: defaults, one setter per configuration key,
 * and the "key = value" file nfd-oci-hook(8) reads.  The keys and their
 * meaning are listed in doc/nfd-oci-hook.8.scd.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/oci/hook-internal.h"
#include "shared/util.h"

#define CONFIG_MAX (64u * 1024)

static void strv_free(char **v)
{
	for (char **s = v; s && *s; s++)
		free(*s);
	free(v);
}

/* "a, b,c" -> {"a", "b", "c", NULL}; "" -> NULL (the empty list). */
static int split_list(const char *value, char ***ret)
{
	_cleanup_free_ char *copy = strdup(value);
	char **v = NULL, *save = NULL;
	size_t n = 0;

	if (!copy)
		return -ENOMEM;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char **nv;

		t = strstrip(t);
		if (!*t)
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv || !(nv[n] = strdup(t))) {
			v = nv ?: v;
			if (nv)
				nv[n] = NULL;
			strv_free(v);
			return -ENOMEM;
		}
		v = nv;
		v[++n] = NULL;
	}
	*ret = v;
	return 0;
}

NFD_EXPORT int nfd_hook_policy_new(struct nfd_ctx *ctx, struct nfd_hook_policy **ret)
{
	struct nfd_hook_policy *p;

	assert_return(ctx && ret, -EINVAL);
	p = calloc(1, sizeof(*p));
	if (!p)
		return nfd__oom(ctx);
	p->refcount = 1;
	p->ctx = nfd_ctx_ref(ctx);
	p->cache_max_bytes = 64ull * 1024 * 1024;
	p->fetch_timeout_ms = 3000;
	p->tag_ttl = 300;
	p->no_artifact_ttl = 300;
	p->discovery_ttl = 300;
	p->cache_dir = strdup(HOOK_DEFAULT_CACHE_DIR);
	p->spec_dir = strdup(HOOK_DEFAULT_SPEC_DIR);
	if (!p->cache_dir || !p->spec_dir) {
		nfd_hook_policy_unref(p);
		return nfd__oom(ctx);
	}
	*ret = p;
	return 0;
}

NFD_EXPORT struct nfd_hook_policy *nfd_hook_policy_ref(struct nfd_hook_policy *p)
{
	if (p)
		nfd__ref_inc(p);
	return p;
}

NFD_EXPORT struct nfd_hook_policy *nfd_hook_policy_unref(struct nfd_hook_policy *p)
{
	if (!p || nfd__ref_dec(p) > 0)
		return NULL;
	strv_free(p->tags);
	strv_free(p->plain_http);
	free(p->auth_file);
	free(p->ca_file);
	free(p->cache_dir);
	free(p->spec_dir);
	nfd_ctx_unref(p->ctx);
	free(p);
	return NULL;
}

NFD_EXPORT long nfd_hook_policy_get_fetch_timeout(const struct nfd_hook_policy *p)
{
	assert_return(p, -EINVAL);
	return p->fetch_timeout_ms;
}

NFD_EXPORT int nfd_hook_policy_get_answer(const struct nfd_hook_policy *p, int outcome)
{
	bool deny;

	assert_return(p, -EINVAL);
	switch (outcome) {
	case NFD_HOOK_COMPATIBLE:
		deny = false;
		break;
	case NFD_HOOK_INCOMPATIBLE:
		deny = !p->warn;
		break;
	case NFD_HOOK_NO_IMAGE:
		deny = p->deny_no_image;
		break;
	case NFD_HOOK_NO_ARTIFACT:
		deny = p->deny_no_artifact;
		break;
	case NFD_HOOK_FETCH_ERROR:
		deny = p->deny_registry;
		break;
	default:
		return -EINVAL;
	}
	return deny ? NFD_HOOK_DENY : NFD_HOOK_ALLOW;
}

static int parse_bool(const char *v, bool *ret)
{
	if (streq(v, "true") || streq(v, "yes") || streq(v, "1"))
		*ret = true;
	else if (streq(v, "false") || streq(v, "no") || streq(v, "0"))
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

/* "allow" -> false, "deny" -> true */
static int parse_answer(const char *v, bool *ret_deny)
{
	if (streq(v, "allow"))
		*ret_deny = false;
	else if (streq(v, "deny"))
		*ret_deny = true;
	else
		return -EINVAL;
	return 0;
}

/* A number with an optional unit suffix; units[] maps suffixes to factors. */
struct unit {
	const char *suffix;
	unsigned long long factor;
};

static int parse_scaled(const char *v, const struct unit *units, size_t n_units,
			unsigned long long max, unsigned long long *ret)
{
	char *end;
	unsigned long long x;

	if (!*v || *v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno)
		return -EINVAL;
	for (size_t i = 0; i < n_units; i++)
		if (streq(end, units[i].suffix)) {
			if (x > max / units[i].factor)
				return -ERANGE;
			*ret = x * units[i].factor;
			return 0;
		}
	return -EINVAL;
}

static int parse_seconds(const char *v, long *ret)
{
	static const struct unit units[] = {{"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}};
	unsigned long long x;
	int r = parse_scaled(v, units, ARRAY_SIZE(units), LONG_MAX, &x);

	if (r == 0)
		*ret = (long)x;
	return r;
}

static int parse_millis(const char *v, long *ret)
{
	static const struct unit units[] = {{"ms", 1}, {"", 1000}, {"s", 1000}};
	unsigned long long x;
	int r = parse_scaled(v, units, ARRAY_SIZE(units), 600000, &x);

	if (r == 0 && x == 0)
		r = -EINVAL;
	if (r == 0)
		*ret = (long)x;
	return r;
}

static int parse_size(const char *v, uint64_t *ret)
{
	static const struct unit units[] = {
		{"", 1}, {"K", 1024}, {"M", 1024 * 1024}, {"G", 1024 * 1024 * 1024}};
	unsigned long long x;
	int r = parse_scaled(v, units, ARRAY_SIZE(units), ULLONG_MAX, &x);

	if (r == 0)
		*ret = x;
	return r;
}

static int set_string(char **field, const char *v)
{
	char *s = *v ? strdup(v) : NULL;

	if (*v && !s)
		return -ENOMEM;
	free(*field);
	*field = s;
	return 0;
}

static int set_list(char ***field, const char *v)
{
	char **list = NULL;
	int r = split_list(v, &list);

	if (r < 0)
		return r;
	strv_free(*field);
	*field = list;
	return 0;
}

NFD_EXPORT int nfd_hook_policy_set(struct nfd_hook_policy *p, const char *key, const char *value)
{
	int r = -EINVAL;

	assert_return(p && key && value, -EINVAL);
	if (streq(key, "mode")) {
		if (streq(value, "enforce") || streq(value, "warn")) {
			p->warn = streq(value, "warn");
			r = 0;
		}
	} else if (streq(key, "on-no-image"))
		r = parse_answer(value, &p->deny_no_image);
	else if (streq(key, "on-no-artifact"))
		r = parse_answer(value, &p->deny_no_artifact);
	else if (streq(key, "on-registry-error"))
		r = parse_answer(value, &p->deny_registry);
	else if (streq(key, "allow-oci-layouts"))
		r = parse_bool(value, &p->allow_layouts);
	else if (streq(key, "tags"))
		r = set_list(&p->tags, value);
	else if (streq(key, "plain-http"))
		r = set_list(&p->plain_http, value);
	else if (streq(key, "auth-file"))
		r = set_string(&p->auth_file, value);
	else if (streq(key, "ca-file"))
		r = set_string(&p->ca_file, value);
	else if (streq(key, "cache-dir") || streq(key, "spec-dir")) {
		char **field = key[0] == 'c' ? &p->cache_dir : &p->spec_dir;

		if (value[0] == '/')
			r = set_string(field, value);
	} else if (streq(key, "cache-max-size"))
		r = parse_size(value, &p->cache_max_bytes);
	else if (streq(key, "fetch-timeout"))
		r = parse_millis(value, &p->fetch_timeout_ms);
	else if (streq(key, "tag-ttl"))
		r = parse_seconds(value, &p->tag_ttl);
	else if (streq(key, "no-artifact-ttl"))
		r = parse_seconds(value, &p->no_artifact_ttl);
	else if (streq(key, "discovery-ttl"))
		r = parse_seconds(value, &p->discovery_ttl);
	else
		return nfd__error(p->ctx, EINVAL, "unknown policy key '%s'", key);
	if (r == -ENOMEM)
		return nfd__oom(p->ctx);
	if (r < 0)
		return nfd__error(p->ctx, EINVAL, "policy key '%s': invalid value '%s'", key,
				  value);
	return 0;
}

NFD_EXPORT int nfd_hook_policy_load(struct nfd_hook_policy *p, const char *path)
{
	_cleanup_free_ char *buf = NULL;
	char *line, *next;
	size_t len;
	int r, lineno = 0;

	assert_return(p && path, -EINVAL);
	r = read_file(path, CONFIG_MAX, &buf, &len);
	if (r < 0)
		return nfd__error_read(p->ctx, r, path, "hook policy files");
	if (strlen(buf) != len)
		return nfd__error(p->ctx, EINVAL, "%s: contains a NUL byte", path);
	for (line = buf; line; line = next) {
		char *eq, *key, msg[256];

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = strstrip(line);
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return nfd__error(p->ctx, EINVAL, "%s:%d: expected 'key = value'", path,
					  lineno);
		*eq = '\0';
		key = strstrip(line);
		r = nfd_hook_policy_set(p, key, strstrip(eq + 1));
		if (r < 0) {
			snprintf(msg, sizeof(msg), "%s", nfd_ctx_last_error(p->ctx));
			return nfd__error(p->ctx, -r, "%s:%d: %s", path, lineno, msg);
		}
	}
	return 0;
}
