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

/* The public list, in the order nfd_discover() runs them. */
static const char *const source_names[] = {
	"cpu", "kernel", "local", "memory", "network", "pci", "storage", "system", "usb", NULL,
};

/*
 * The sources implemented so far.  A name in source_names without an entry
 * here is skipped with a debug message, so the list and the API stay stable
 * while sources land one by one.
 */
static const struct nfd_source *const source_table[] = {
	&nfd__source_cpu,     &nfd__source_kernel,
	&nfd__source_local,   &nfd__source_memory,
	&nfd__source_network, &nfd__source_pci,
	&nfd__source_storage, &nfd__source_system,
	&nfd__source_usb,     NULL,
};

NFD_EXPORT const char *const *nfd_source_names(void)
{
	return source_names;
}

static int source_index(const char *name)
{
	for (size_t i = 0; source_names[i]; i++)
		if (streq(source_names[i], name))
			return (int)i;
	return -1;
}

static const struct nfd_source *source_lookup(const char *name)
{
	for (size_t i = 0; source_table[i]; i++)
		if (streq(source_table[i]->name, name))
			return source_table[i];
	return NULL;
}

NFD_EXPORT int nfd_discover(struct nfd_ctx *ctx, const char *const *sources,
			    struct nfd_features **ret)
{
	_cleanup_(nfd_features_unrefp) struct nfd_features *f = NULL;
	bool wanted[ARRAY_SIZE(source_names)] = {false};
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(ret, -EINVAL);

	if (sources) {
		for (size_t i = 0; sources[i]; i++) {
			int idx = source_index(sources[i]);

			if (idx < 0)
				return nfd__error(ctx, EINVAL,
						  "unknown discovery source '%s' (known: cpu, "
						  "kernel, local, memory, network, pci, storage, "
						  "system, usb)",
						  sources[i]);
			wanted[idx] = true;
		}
	} else {
		for (size_t i = 0; source_names[i]; i++)
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

	/* Always in source_names order, so the result does not depend on the caller's. */
	for (size_t i = 0; source_names[i]; i++) {
		const struct nfd_source *s;

		if (!wanted[i])
			continue;
		s = source_lookup(source_names[i]);
		if (!s) {
			nfd_dbg(ctx, "discovery source '%s' is not built in, skipping",
				source_names[i]);
			continue;
		}
		nfd_dbg(ctx, "running discovery source '%s'", s->name);
		r = s->discover(ctx, f);
		if (r == -ENOMEM)
			return nfd__oom(ctx);
		if (r < 0)
			nfd_warn(ctx, "discovery source '%s' failed, leaving it out: %s", s->name,
				 strerror(-r));
	}

	r = nfd_features_seal(f);
	if (r < 0)
		return r;

	*ret = TAKE_PTR(f);
	return 0;
}
