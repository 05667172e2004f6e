/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_discover(): run the requested discovery sources over the context's
 * host root and seal what they found.  Unlike `nfd export features` in NFD,
 * which aborts on the first source error, a source that cannot run is left
 * out with a warning and the others still report.
 */
#include <errno.h>
#include <string.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/discovery/cpuid.h"
#include "libnfd/discovery/source.h"
#include "libnfd/sources.h"

/* The registry's sources, bound to their implementations, in its order. */
#define SOURCE_ENTRY(name) &nfd__source_##name,
static const struct nfd_source *const source_table[] = {NFD_SOURCES(SOURCE_ENTRY)};

NFD_EXPORT int nfd_discover(struct nfd_ctx *ctx, const char *const *sources,
			    struct nfd_features **ret)
{
	_cleanup_(nfd_features_unrefp) struct nfd_features *f = NULL;
	bool wanted[ARRAY_SIZE(source_table)] = {false};
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(ret, -EINVAL);

	if (sources) {
		for (size_t i = 0; sources[i]; i++) {
			int idx = nfd__source_index(sources[i]);

			if (idx < 0)
				return nfd__error(ctx, EINVAL,
						  "unknown discovery source '%s' (known: %s)",
						  sources[i], NFD_SOURCE_LIST);
			wanted[idx] = true;
		}
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(wanted); i++)
			wanted[i] = true;
	}

	/*
	 * A CPUID dump is the caller's configuration, not a host quirk: one that
	 * cannot be replayed fails the call instead of costing cpu.cpuid.
	 */
	if (wanted[0] && nfd__ctx_cpuid_dump(ctx)) {
		const struct nfd_cpuid *c;

		r = nfd__cpuid_get(ctx, &c);
		if (r < 0)
			return r;
	}

	r = nfd_features_new(ctx, &f);
	if (r < 0)
		return r;

	/* Always in the registry's order, so the result does not depend on the caller's. */
	for (size_t i = 0; i < ARRAY_SIZE(source_table); i++) {
		const char *name = nfd_source_names()[i];

		if (!wanted[i])
			continue;
		nfd_dbg(ctx, "running discovery source '%s'", name);
		r = source_table[i]->discover(ctx, f);
		if (r == -ENOMEM)
			return nfd__oom(ctx);
		if (r < 0) {
			nfd_warn(ctx, "discovery source '%s' failed, leaving it out: %s", name,
				 strerror(-r));
			if (nfd__features_note_unreadable(f, name,
							  "discovery source '%s' failed: %s", name,
							  strerror(-r)) < 0)
				return nfd__oom(ctx);
		}
	}

	r = nfd_features_seal(f);
	if (r < 0)
		return r;

	*ret = TAKE_PTR(f);
	return 0;
}

NFD_EXPORT int nfd_discover_for_spec(struct nfd_ctx *ctx, const struct nfd_spec *spec,
				     struct nfd_features **ret)
{
	_cleanup_(nfd_iter_freep) struct nfd_iter *it = NULL;
	const char *names[ARRAY_SIZE(source_table) + 1];
	const char *name;
	size_t n = 0;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(spec, -EINVAL);
	assert_return(ret, -EINVAL);
	r = nfd_spec_iter_sources(spec, &it);
	if (r < 0)
		return nfd__oom(ctx);
	/* the spec's sources are registry names, each once */
	while (n < ARRAY_SIZE(source_table) && nfd_iter_next(it, &name, NULL) > 0)
		names[n++] = name;
	names[n] = NULL;
	return nfd_discover(ctx, names, ret);
}
