/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cpu source: cpu.cpuid, cpu.model, cpu.cstate, cpu.pstate, cpu.rdt,
 * cpu.security, cpu.sst, cpu.topology and cpu.coprocessor, named and valued
 * as NFD does (doc/semantics.md §10.3).
 *
 * "x86 mode" is an x86 build, or any build given a CPUID dump: a dump
 * describes an x86 CPU, so its flags, model and the CPUID halves of rdt, sst
 * and security are reported as NFD on amd64 would, whatever we run on.
 * Otherwise flags come from AT_HWCAP/AT_HWCAP2 with NFD's names per
 * architecture, and the amd64-only features are the empty sets NFD's stubs
 * emit.
 *
 * libcpuid is deliberately not used for cpu.model: cpu_identify() fails for
 * vendor strings it does not know (klauspost reports VendorUnknown), always
 * adds the extended model (klauspost only for base family 6 and 0xF), and
 * has no raw hypervisor string.  The unit tests use it as an independent
 * oracle for family and model instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if HAVE_GETAUXVAL
#include <sys/auxv.h>
#endif

#include "libnfd/discovery/cpuid.h"
#include "libnfd/discovery/source.h"
#include "shared/util.h"

#define CPUID_FEATURE "cpu.cpuid"
#define MODEL_FEATURE "cpu.model"

static int add_x86_cpuid(struct nfd_features *f, const struct nfd_x86_info *info)
{
	char buf[32];
	int r;

	r = nfd_features_declare(f, NFD_FEATURE_FLAG, CPUID_FEATURE);
	if (r < 0)
		return r;
	for (unsigned int id = 0; id < _NFD_X86_MAX; id++) {
		if (!nfd__x86_has(info, id))
			continue;
		r = nfd_features_add_flag(f, CPUID_FEATURE, nfd__x86_feature_name(id));
		if (r < 0)
			return r;
	}
	for (unsigned int level = 1; level <= info->x64_level; level++) {
		snprintf(buf, sizeof(buf), "X86_64_V%u", level);
		r = nfd_features_add_flag(f, CPUID_FEATURE, buf);
		if (r < 0)
			return r;
	}

	r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, CPUID_FEATURE);
	if (r < 0)
		return r;
	if (info->avx10_version > 0) {
		snprintf(buf, sizeof(buf), "%u", info->avx10_version);
		r = nfd_features_set_attribute(f, CPUID_FEATURE, "AVX10_VERSION", buf);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_model(struct nfd_features *f, const char *vendor, unsigned long family,
		     unsigned long id, const char *hypervisor)
{
	char buf[32];
	int r;

	r = nfd_features_set_attribute(f, MODEL_FEATURE, "vendor_id", vendor);
	if (r < 0)
		return r;
	snprintf(buf, sizeof(buf), "%lu", family);
	r = nfd_features_set_attribute(f, MODEL_FEATURE, "family", buf);
	if (r < 0)
		return r;
	snprintf(buf, sizeof(buf), "%lu", id);
	r = nfd_features_set_attribute(f, MODEL_FEATURE, "id", buf);
	if (r < 0)
		return r;
	if (hypervisor)
		r = nfd_features_set_attribute(f, MODEL_FEATURE, "hypervisor", hypervisor);
	return r;
}

static int discover_x86(struct nfd_ctx *ctx, const struct nfd_cpu_devices *devices,
			struct nfd_features *f)
{
	const struct nfd_cpuid *c = NULL;
	struct nfd_x86_info info;
	int r;

	r = nfd__cpuid_get(ctx, &c);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		/*
		 * Everything CPUID-derived is lost; the sysfs parts still count.  A
		 * dump the caller asked for is a configuration error, not a host
		 * quirk, so it is reported at error level.
		 */
		if (nfd__ctx_cpuid_dump(ctx))
			nfd_err(ctx, "cannot replay CPUID, leaving cpu.cpuid and cpu.model out: %s",
				nfd_ctx_last_error(ctx));
		else
			nfd_warn(ctx, "cannot read CPUID, leaving cpu.cpuid and cpu.model out: %s",
				 nfd_ctx_last_error(ctx));
		if (nfd__features_note_unreadable(f, "cpu.cpuid", "cannot read CPUID: %s",
						  nfd_ctx_last_error(ctx)) < 0 ||
		    nfd__features_note_unreadable(f, "cpu.model", "cannot read CPUID: %s",
						  nfd_ctx_last_error(ctx)) < 0)
			return -ENOMEM;
		c = NULL;
	} else {
		nfd__x86_detect(c, &info);
		r = add_x86_cpuid(f, &info);
		if (r < 0)
			return r;
		r = add_model(f, info.vendor, info.family, info.model, info.hypervisor);
		if (r < 0)
			return r;
	}

	r = nfd__cpu_cstate(ctx, f);
	if (r < 0)
		return r;
	r = nfd__cpu_pstate(ctx, f);
	if (r < 0)
		return r;
	r = nfd__cpu_rdt(ctx, c, f);
	if (r < 0)
		return r;
	r = nfd__cpu_security(ctx, true, c, c ? &info : NULL, f);
	if (r < 0)
		return r;
	return nfd__cpu_sst(ctx, c, devices, f);
}

#if !(defined(__x86_64__) || defined(__i386__))

/* The amd64-only features NFD still emits, as {} on other architectures. */
static int declare_empty(struct nfd_features *f, const char *const *features)
{
	for (; *features; features++) {
		int r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, *features);

		if (r < 0)
			return r;
	}
	return 0;
}

#if defined(__aarch64__)
#define HWCAP_ARCH NFD_HWCAP_ARM64
#elif defined(__arm__)
#define HWCAP_ARCH NFD_HWCAP_ARM
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HWCAP_ARCH NFD_HWCAP_PPC64LE
#elif defined(__s390x__)
#define HWCAP_ARCH NFD_HWCAP_S390X
#endif

/* AT_HWCAP/AT_HWCAP2 of the host: <proc>/self/auxv, which is ours on a live host. */
static int read_hwcaps(struct nfd_ctx *ctx, unsigned long *hwcap, unsigned long *hwcap2)
{
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_PROC, "self/auxv");
	int r;

	if (!path)
		return -ENOMEM;
	r = nfd__auxv_read(ctx, path, hwcap, hwcap2);
	if (r >= 0)
		return 0;
#if HAVE_GETAUXVAL
	/* /proc may be hidden from us; getauxval() describes the same process. */
	if (streq(nfd__ctx_path(ctx, NFD_PATH_PROC), "/proc")) {
		*hwcap = getauxval(AT_HWCAP);
		*hwcap2 = getauxval(AT_HWCAP2);
		return 0;
	}
#endif
	nfd__warn_unreadable(ctx, path, r);
	return r;
}

#if defined(__aarch64__)
/* arm64 cpu.model from MIDR_EL1, which the kernel exports per CPU. */
static int arm64_model(struct nfd_ctx *ctx, unsigned long hwcap, struct nfd_features *f)
{
	static const struct {
		unsigned int implementer;
		const char *name;
	} implementers[] = {
		{0x41, "ARM"},	  {0xc0, "Ampere"},  {0x42, "Broadcom"}, {0x43, "Cavium"},
		{0x44, "DEC"},	  {0x46, "Fujitsu"}, {0x49, "Infineon"}, {0x4d, "Motorola"},
		{0x4e, "NVIDIA"}, {0x50, "AMCC"},    {0x51, "Qualcomm"}, {0x56, "Marvell"},
		{0x69, "Intel"},
	};
	_cleanup_free_ char *path = NULL;
	const char *vendor = "VendorUnknown";
	unsigned long long midr = 0;
	char buf[64];

	/* klauspost reads MIDR only when HWCAP_CPUID says user space may. */
	if (hwcap & (1UL << 11)) {
		path = nfd__path(ctx, NFD_PATH_SYS,
				 "devices/system/cpu/cpu0/regs/identification/midr_el1");
		if (!path)
			return -ENOMEM;
		if (nfd__read_value(ctx, path, buf, sizeof(buf), NFD_READ_WARN) >= 0)
			midr = strtoull(buf, NULL, 16);
	}
	for (size_t i = 0; i < ARRAY_SIZE(implementers); i++)
		if (implementers[i].implementer == ((midr >> 24) & 0xff))
			vendor = implementers[i].name;
	return add_model(f, midr ? vendor : "VendorUnknown", (midr >> 16) & 0xff, midr & 0xffff,
			 "none");
}
#endif

#if defined(__s390x__)
/* The value after "key:" in the first line with that key, sanitised, or NULL. */
static char *proc_field(const char *buf, const char *key, bool substring)
{
	for (const char *line = buf; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		_cleanup_free_ char *l = memdup_str(line, len);
		char *colon;

		line = eol ? eol + 1 : NULL;
		if (!l || !(colon = strchr(l, ':')))
			continue;
		*colon = '\0';
		if (substring ? strstr(l, key) == NULL : !streq(strstrip(l), key))
			continue;
		return strdup(strstrip(colon + 1));
	}
	return NULL;
}

/* s390x: vendor_id/identification/machine from cpuinfo, hypervisor from sysinfo. */
static int s390x_model(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *cpuinfo_path = nfd__path(ctx, NFD_PATH_PROC, "cpuinfo");
	_cleanup_free_ char *sysinfo_path = nfd__path(ctx, NFD_PATH_PROC, "sysinfo");
	_cleanup_free_ char *cpuinfo = NULL, *sysinfo = NULL, *vendor = NULL, *family = NULL,
			    *machine = NULL, *hv = NULL;
	int r;

	if (!cpuinfo_path || !sysinfo_path)
		return -ENOMEM;
	r = nfd__host_read_file(ctx, cpuinfo_path, 4 * 1024 * 1024, &cpuinfo, NULL);
	if (r < 0)
		nfd__warn_unreadable(ctx, cpuinfo_path, r);
	else {
		vendor = proc_field(cpuinfo, "vendor_id", false);
		family = proc_field(cpuinfo, "identification", false);
		machine = proc_field(cpuinfo, "machine", false);
	}
	if (vendor)
		nfd__cpu_sanitize(vendor);
	r = nfd__host_read_file(ctx, sysinfo_path, 1024 * 1024, &sysinfo, NULL);
	if (r < 0)
		nfd__warn_unreadable(ctx, sysinfo_path, r);
	else {
		hv = proc_field(sysinfo, "Control Program", true);
		if (hv && hv[0])
			nfd__cpu_sanitize(hv);
		else {
			free(hv);
			hv = strdup("none");
		}
	}
	r = nfd_features_set_attribute(f, MODEL_FEATURE, "vendor_id",
				       vendor && vendor[0] ? vendor : "VendorUnknown");
	if (r >= 0)
		r = nfd_features_set_attribute(f, MODEL_FEATURE, "family",
					       family && family[0] ? family : "0");
	if (r >= 0)
		r = nfd_features_set_attribute(f, MODEL_FEATURE, "id",
					       machine && machine[0] ? machine : "0");
	if (r >= 0 && hv)
		r = nfd_features_set_attribute(f, MODEL_FEATURE, "hypervisor", hv);
	return r;
}
#endif

static int discover_other(struct nfd_ctx *ctx, struct nfd_features *f)
{
	static const char *const stubs[] = {"cpu.cstate", "cpu.pstate", "cpu.rdt", "cpu.sst", NULL};
	int r;

	r = nfd_features_declare(f, NFD_FEATURE_FLAG, CPUID_FEATURE);
	if (r < 0)
		return r;
#ifdef HWCAP_ARCH
	unsigned long hwcap = 0, hwcap2 = 0;

	r = read_hwcaps(ctx, &hwcap, &hwcap2);
	if (r == -ENOMEM)
		return r;
	if (r >= 0) {
		r = nfd__hwcap_add_flags(f, HWCAP_ARCH, hwcap, hwcap2);
		if (r < 0)
			return r;
	}
#endif
#if defined(__aarch64__)
	r = arm64_model(ctx, hwcap, f);
#elif defined(__s390x__)
	r = s390x_model(ctx, f);
#else
	/* klauspost's generic path: nothing known. */
	r = add_model(f, "VendorUnknown", 0, 0, "none");
#endif
	if (r < 0)
		return r;

	r = declare_empty(f, stubs);
	if (r < 0)
		return r;
	return nfd__cpu_security(ctx, false, NULL, NULL, f);
}
#endif

static int cpu_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_(nfd__cpu_devices_done) struct nfd_cpu_devices devices = {.n = -ENOENT};
	int r;

	r = nfd__cpu_devices_list(ctx, &devices);
	if (r < 0)
		return r;
#if defined(__x86_64__) || defined(__i386__)
	r = discover_x86(ctx, &devices, f);
#else
	r = nfd__ctx_cpuid_dump(ctx) ? discover_x86(ctx, &devices, f) : discover_other(ctx, f);
#endif
	if (r < 0)
		return r;
	r = nfd__cpu_topology(ctx, &devices, f);
	if (r < 0)
		return r;
	return nfd__cpu_coprocessor(ctx, f);
}

const struct nfd_source nfd__source_cpu = {
	.discover = cpu_discover,
};
