/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct nfd_spec: parsing entry points, reference counting, accessors. */
#include <string.h>

#include "shared/util.h"
#include "libnfd/engine/spec-private.h"

NFD_EXPORT int nfd_spec_parse(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name,
			      struct nfd_spec **ret)
{
	struct nfd_spec *spec;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(buf || len == 0, -EINVAL);
	assert_return(ret, -EINVAL);
	if (!name)
		name = "<input>";
	if (len > NFD_SPEC_MAX_SIZE)
		return nfd__error_too_big(ctx, name, len, NFD_SPEC_MAX_SIZE, "specs");
	spec = calloc(1, sizeof(*spec));
	if (!spec)
		return nfd__oom(ctx);
	spec->refcount = 1;
	spec->name = arena_strdup(&spec->arena, name);
	if (!spec->name) {
		free(spec);
		return nfd__oom(ctx);
	}
	r = nfd__spec_decode(ctx, spec, buf ? buf : "", len);
	if (r < 0) {
		nfd__spec_release(spec);
		free(spec);
		return r;
	}
	*ret = spec;
	return 0;
}

int nfd__spec_read_file(struct nfd_ctx *ctx, const char *path, const char *what, char **ret,
			size_t *ret_len)
{
	int r = read_file(path, NFD_SPEC_MAX_SIZE, ret, ret_len);

	return r < 0 ? nfd__error_read(ctx, r, path, what) : 0;
}

int nfd__parse_file(struct nfd_ctx *ctx, const char *path, const char *what,
		    nfd__parse_buf_fn parse, void *ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(path, -EINVAL);
	assert_return(ret, -EINVAL);
	r = nfd__spec_read_file(ctx, path, what, &buf, &len);
	if (r < 0)
		return r;
	return parse(ctx, buf, len, streq(path, "-") ? "<stdin>" : path, ret);
}

static int parse_spec(struct nfd_ctx *ctx, const char *buf, size_t len, const char *name, void *ret)
{
	return nfd_spec_parse(ctx, buf, len, name, ret);
}

NFD_EXPORT int nfd_spec_parse_file(struct nfd_ctx *ctx, const char *path, struct nfd_spec **ret)
{
	return nfd__parse_file(ctx, path, "specs", parse_spec, ret);
}

NFD_EXPORT struct nfd_spec *nfd_spec_ref(struct nfd_spec *spec)
{
	if (spec)
		nfd__ref_inc(spec);
	return spec;
}

NFD_EXPORT struct nfd_spec *nfd_spec_unref(struct nfd_spec *spec)
{
	if (spec && nfd__ref_dec(spec) == 0) {
		nfd__spec_release(spec);
		free(spec);
	}
	return NULL;
}

NFD_EXPORT const char *nfd_spec_get_version(const struct nfd_spec *spec)
{
	assert_return(spec, NULL);
	return spec->version;
}

NFD_EXPORT int nfd_spec_count_sets(const struct nfd_spec *spec)
{
	assert_return(spec, -EINVAL);
	return (int)spec->n_sets;
}

static const struct nfd_set *get_set(const struct nfd_spec *spec, size_t index)
{
	return spec && index < spec->n_sets ? &spec->sets[index] : NULL;
}

NFD_EXPORT const char *nfd_spec_set_get_tag(const struct nfd_spec *spec, size_t index)
{
	const struct nfd_set *s = get_set(spec, index);

	return s ? s->tag : NULL;
}

NFD_EXPORT const char *nfd_spec_set_get_description(const struct nfd_spec *spec, size_t index)
{
	const struct nfd_set *s = get_set(spec, index);

	return s ? s->description : NULL;
}

NFD_EXPORT int nfd_spec_set_get_weight(const struct nfd_spec *spec, size_t index)
{
	const struct nfd_set *s = get_set(spec, index);

	return s ? s->weight : 0;
}

NFD_EXPORT int nfd_spec_count_warnings(const struct nfd_spec *spec)
{
	assert_return(spec, -EINVAL);
	return (int)spec->n_warnings;
}

NFD_EXPORT const char *nfd_spec_get_warning(const struct nfd_spec *spec, size_t index)
{
	assert_return(spec, NULL);
	return index < spec->n_warnings ? spec->warnings[index] : NULL;
}

NFD_EXPORT int nfd_spec_count_problems(const struct nfd_spec *spec)
{
	assert_return(spec, -EINVAL);
	return (int)spec->n_problems;
}

NFD_EXPORT const char *nfd_spec_get_problem(const struct nfd_spec *spec, size_t index)
{
	assert_return(spec, NULL);
	return index < spec->n_problems ? spec->problems[index] : NULL;
}

static void release_spec(void *spec)
{
	nfd_spec_unref(spec);
}

NFD_EXPORT int nfd_spec_iter_sources(const struct nfd_spec *spec, struct nfd_iter **ret)
{
	struct nfd_kv *items;

	assert_return(spec, -EINVAL);
	assert_return(ret, -EINVAL);
	items = calloc(spec->n_sources + 1, sizeof(*items));
	if (!items)
		return -ENOMEM;
	for (size_t i = 0; i < spec->n_sources; i++)
		items[i].key = spec->sources[i];
	/* The names are static (nfd_source_names()), but hold the spec anyway
	 * so the iterator's contract does not depend on that. */
	return nfd__iter_new(items, spec->n_sources, items, nfd_spec_ref((struct nfd_spec *)spec),
			     release_spec, ret);
}
