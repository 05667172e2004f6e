/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CPUID dump parser (nfd__cpuid_parse()), and for a dump that parses
 * what the cpu source derives from it: klauspost/cpuid's flags and model,
 * RDT, SST and the x86 security features (sysfs parts read from an empty
 * root, so only the CPUID side varies).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "libnfd/discovery/cpuid.h"

static struct nfd_ctx *ctx;

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char root[4096];

	ctx = fuzz_ctx_new();
	snprintf(root, sizeof(root), "%s/nfd-fuzz-root-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root) || nfd_ctx_set_root(ctx, root) < 0)
		abort();
	rmdir(root); /* a root that does not exist reads as an empty one */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfd_cpuid *c = NULL;
	struct nfd_features *f = NULL;
	struct nfd_cpu_devices devices = {.n = -ENOENT};
	struct nfd_x86_info info;
	uint32_t regs[4];
	char *s;

	if (!ctx)
		setup();
	s = fuzz_strndup(data, size);
	if (nfd__cpuid_parse(ctx, "fuzz.dump", s, &c) < 0)
		goto out;
	if (!nfd__cpuid_is_replay(c))
		abort();
	nfd__cpuid_query(c, 0, 0, regs);
	(void)nfd__cpuid_xcr0(c);
	nfd__x86_detect(c, &info);
	if (!info.vendor || info.x64_level > 4)
		abort();
	for (unsigned int id = 0; id < _NFD_X86_MAX; id++)
		if (nfd__x86_has(&info, id) && !nfd__x86_feature_name(id))
			abort();
	if (nfd_features_new(ctx, &f) < 0)
		abort();
	(void)nfd__cpu_rdt(ctx, c, f);
	if (nfd__cpu_devices_list(ctx, &devices) == 0)
		(void)nfd__cpu_sst(ctx, c, &devices, f);
	nfd__cpu_devices_done(&devices);
	(void)nfd__cpu_security(ctx, true, c, &info, f);
	nfd_features_unref(f);
out:
	nfd__cpuid_free(c);
	free(s);
	return 0;
}
