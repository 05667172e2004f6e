/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * struct nfd_ctx: where the host is, how to log, the last error, and the
 * dependency handles opened lazily by discovery and the registry client.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/util.h"
#include "libnfd/libnfd-internal.h"
#include "libnfd/ctx-private.h"

static const char *const path_names[_NFD_PATH_MAX] = {
	[NFD_PATH_SYS] = "sys",	  [NFD_PATH_PROC] = "proc", [NFD_PATH_ETC] = "etc",
	[NFD_PATH_BOOT] = "boot", [NFD_PATH_LIB] = "lib",   [NFD_PATH_USR] = "usr",
	[NFD_PATH_VAR] = "var",
};

NFD_EXPORT const char *nfd_version(void)
{
	return PACKAGE_VERSION;
}

static int set_all_paths(struct nfd_ctx *ctx, const char *base, bool prefix_style)
{
	char *paths[_NFD_PATH_MAX] = {NULL};

	for (int i = 0; i < _NFD_PATH_MAX; i++) {
		if (!prefix_style)
			paths[i] = path_join(base, path_names[i]);
		else if (asprintf(&paths[i], "%s%s", base, path_names[i]) < 0)
			paths[i] = NULL;
		if (!paths[i]) {
			for (int j = 0; j <= i; j++)
				free(paths[j]);
			return nfd__oom(ctx);
		}
	}
	for (int i = 0; i < _NFD_PATH_MAX; i++) {
		free(ctx->paths[i]);
		ctx->paths[i] = paths[i];
	}
	return 0;
}

NFD_EXPORT struct nfd_ctx *nfd_ctx_new(void)
{
	struct nfd_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx) {
		errno = ENOMEM;
		return NULL;
	}
	ctx->refcount = 1;
	ctx->root = strdup("/");
	ctx->work_budget = NFD_WORK_BUDGET_DEFAULT;
	nfd__log_init(ctx);
	if (!ctx->root || set_all_paths(ctx, "/", false) < 0) {
		nfd_ctx_unref(ctx);
		errno = ENOMEM;
		return NULL;
	}
	return ctx;
}

NFD_EXPORT struct nfd_ctx *nfd_ctx_ref(struct nfd_ctx *ctx)
{
	if (ctx)
		nfd__ref_inc(ctx);
	return ctx;
}

NFD_EXPORT struct nfd_ctx *nfd_ctx_unref(struct nfd_ctx *ctx)
{
	if (!ctx || nfd__ref_dec(ctx) > 0)
		return NULL;
	for (int i = 0; i < _NFD_CACHE_MAX; i++)
		if (ctx->cache[i].destroy)
			ctx->cache[i].destroy(ctx->cache[i].data);
	for (int i = 0; i < _NFD_PATH_MAX; i++)
		free(ctx->paths[i]);
	free(ctx->root);
	free(ctx->cpuid_dump);
	nfd__error_clear(ctx);
	free(ctx);
	return NULL;
}

static int check_absolute(struct nfd_ctx *ctx, const char *what, const char *path)
{
	if (!path || path[0] != '/')
		return nfd__error(ctx, EINVAL, "%s must be an absolute path: '%s'", what,
				  path ? path : "(null)");
	return 0;
}

NFD_EXPORT int nfd_ctx_set_root(struct nfd_ctx *ctx, const char *root)
{
	int r;

	assert_return(ctx, -EINVAL);
	r = check_absolute(ctx, "host root", root);
	if (r < 0)
		return r;
	char *copy = strdup(root);
	if (!copy)
		return nfd__oom(ctx);
	r = set_all_paths(ctx, root, false);
	if (r < 0) {
		free(copy);
		return r;
	}
	free(ctx->root);
	ctx->root = copy;
	return 0;
}

NFD_EXPORT const char *nfd_ctx_get_root(const struct nfd_ctx *ctx)
{
	return ctx ? ctx->root : NULL;
}

NFD_EXPORT int nfd_ctx_set_work_budget(struct nfd_ctx *ctx, uint64_t units)
{
	assert_return(ctx, -EINVAL);
	ctx->work_budget = units ? units : NFD_WORK_BUDGET_DEFAULT;
	return 0;
}

NFD_EXPORT uint64_t nfd_ctx_get_work_budget(const struct nfd_ctx *ctx)
{
	return ctx ? ctx->work_budget : 0;
}

NFD_EXPORT int nfd_ctx_set_host_prefix(struct nfd_ctx *ctx, const char *prefix)
{
	int r;

	assert_return(ctx, -EINVAL);
	r = check_absolute(ctx, "host prefix", prefix);
	if (r < 0)
		return r;
	return set_all_paths(ctx, prefix, true);
}

NFD_EXPORT int nfd_ctx_set_path(struct nfd_ctx *ctx, enum nfd_path which, const char *path)
{
	int r;

	assert_return(ctx, -EINVAL);
	if ((unsigned)which >= _NFD_PATH_MAX)
		return nfd__error(ctx, EINVAL, "unknown host area %u", (unsigned)which);
	r = check_absolute(ctx, path_names[which], path);
	if (r < 0)
		return r;
	char *copy = strdup(path);
	if (!copy)
		return nfd__oom(ctx);
	free(ctx->paths[which]);
	ctx->paths[which] = copy;
	return 0;
}

NFD_EXPORT const char *nfd_ctx_get_path(const struct nfd_ctx *ctx, enum nfd_path which)
{
	if (!ctx || (unsigned)which >= _NFD_PATH_MAX)
		return NULL;
	return ctx->paths[which];
}

NFD_EXPORT int nfd_ctx_set_cpuid_dump(struct nfd_ctx *ctx, const char *path)
{
	char *copy = NULL;

	assert_return(ctx, -EINVAL);
	if (path) {
		copy = strdup(path);
		if (!copy)
			return nfd__oom(ctx);
	}
	free(ctx->cpuid_dump);
	ctx->cpuid_dump = copy;
	/* a cached live or replayed CPUID table no longer applies */
	nfd__ctx_set_cache(ctx, NFD_CACHE_CPUID, NULL, NULL);
	return 0;
}

const char *nfd__ctx_path(const struct nfd_ctx *ctx, enum nfd_path which)
{
	return ctx->paths[which];
}

const char *nfd__ctx_cpuid_dump(const struct nfd_ctx *ctx)
{
	return ctx->cpuid_dump;
}

char *nfd__path(const struct nfd_ctx *ctx, enum nfd_path which, const char *rel)
{
	return path_join(ctx->paths[which], rel);
}

void *nfd__ctx_get_cache(const struct nfd_ctx *ctx, enum nfd_cache_slot slot)
{
	return ctx->cache[slot].data;
}

void nfd__ctx_set_cache(struct nfd_ctx *ctx, enum nfd_cache_slot slot, void *data,
			void (*destroy)(void *data))
{
	if (ctx->cache[slot].destroy)
		ctx->cache[slot].destroy(ctx->cache[slot].data);
	ctx->cache[slot].data = data;
	ctx->cache[slot].destroy = destroy;
}
