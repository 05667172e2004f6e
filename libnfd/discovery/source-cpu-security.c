/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu.rdt and cpu.security: CPUID bits combined with kernel module
 * parameters and the misc cgroup's capacity file, as NFD's rdt_linux_amd64.go,
 * security_amd64.go and security_s390x.go read them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/discovery/cpuid.h"
#include "libnfd/discovery/source.h"
#include "shared/util.h"

#define RDT	 "cpu.rdt"
#define SECURITY "cpu.security"

/*
 * A whole small file below the sys area, not trimmed: several NFD checks
 * compare the raw bytes ("Y\n", "1\n").  A missing file is normal (module
 * not loaded) and silent.  Returns the length or -errno.
 */
static int read_raw(struct nfd_ctx *ctx, const char *rel, char **ret)
{
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_SYS, rel);
	size_t len = 0;
	int r;

	if (!path)
		return -ENOMEM;
	r = nfd__host_read_file(ctx, path, 4096, ret, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			nfd__warn_unreadable(ctx, path, r);
		return r;
	}
	return (int)len;
}

/* A count as an attribute; none where v < 0 (not known). */
static int set_count(struct nfd_features *f, const char *feature, const char *name, long long v)
{
	char buf[32];

	if (v < 0)
		return 0;
	snprintf(buf, sizeof(buf), "%lld", v);
	return nfd_features_set_attribute(f, feature, name, buf);
}

/* ------------------------------------------------------------------- rdt */

/* <resctrl>/info/<level>/num_closids minus the default group, or -1. */
static long long num_closids(struct nfd_ctx *ctx, const char *level)
{
	_cleanup_free_ char *rel = NULL, *path = NULL;
	unsigned long long n;
	char buf[32];

	if (asprintf(&rel, "fs/resctrl/info/%s/num_closids", level) < 0)
		return -ENOMEM;
	path = nfd__path(ctx, NFD_PATH_SYS, rel);
	if (!path)
		return -ENOMEM;
	if (nfd__read_value(ctx, path, buf, sizeof(buf), NFD_READ_QUIET) < 0)
		return -1;
	if (parse_u64(buf, &n) < 0 || n == 0 || n > INT64_MAX)
		return -1;
	return (long long)n - 1;
}

int nfd__cpu_rdt(struct nfd_ctx *ctx, const struct nfd_cpuid *c, struct nfd_features *f)
{
	uint32_t ext[4], mon[4], l3mon[4], alloc[4];
	int r;

	r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, RDT);
	if (r < 0 || !c)
		return r;
	/* NFD reads these leaves without checking the max basic leaf. */
	nfd__cpuid_query(c, 0x7, 0, ext);
	nfd__cpuid_query(c, 0xf, 0, mon);
	nfd__cpuid_query(c, 0xf, 1, l3mon);
	nfd__cpuid_query(c, 0x10, 0, alloc);

	/* Monitoring: RDT-M and L3 monitoring, then occupancy and bandwidth. */
	if ((ext[NFD_EBX] & (1U << 12)) && (mon[NFD_EDX] & (1U << 1))) {
		r = nfd_features_set_attribute(f, RDT, "RDTMON", "true");
		if (r >= 0 && (l3mon[NFD_EDX] & 1))
			r = nfd_features_set_attribute(f, RDT, "RDTCMT", "true");
		if (r >= 0 && (l3mon[NFD_EDX] & 6) == 6)
			r = nfd_features_set_attribute(f, RDT, "RDTMBM", "true");
		if (r < 0)
			return r;
	}

	/* Allocation: RDT-A, then L3 CAT, L2 CAT and MBA. */
	if (!(ext[NFD_EBX] & (1U << 15)))
		return 0;
	if (alloc[NFD_EBX] & (1U << 1)) {
		long long n = num_closids(ctx, "L3");

		if (n == -ENOMEM)
			return -ENOMEM;
		r = nfd_features_set_attribute(f, RDT, "RDTL3CA", "true");
		if (r < 0)
			return r;
		r = set_count(f, RDT, "RDTL3CA_NUM_CLOSID", n);
		if (r < 0)
			return r;
	}
	if (alloc[NFD_EBX] & (1U << 2)) {
		r = nfd_features_set_attribute(f, RDT, "RDTL2CA", "true");
		if (r < 0)
			return r;
	}
	if (alloc[NFD_EBX] & (1U << 3))
		return nfd_features_set_attribute(f, RDT, "RDTMBA", "true");
	return 0;
}

/* -------------------------------------------------------------- security */

/*
 * The second space-separated field of the first line of the misc cgroup's
 * capacity file that starts with resource (a prefix match, as in NFD: "sev"
 * also matches a "sev_es" line that comes first).  -1 if there is none.
 */
static long long misc_capacity(struct nfd_ctx *ctx, const char *resource)
{
	static const char *const files[] = {"fs/cgroup/misc.capacity",
					    "fs/cgroup/misc/misc.capacity"};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *buf = NULL;
		int r;

		r = read_raw(ctx, files[i], &buf);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		/* The first file that can be read decides, found or not. */
		for (char *line = buf; line && *line;) {
			char *eol = strchr(line, '\n'), *sp, *end;
			long long v;

			if (eol)
				*eol = '\0';
			if (strstartswith(line, resource)) {
				sp = strchr(line, ' ');
				if (!sp)
					return -1;
				sp++;
				end = strchr(sp, ' ');
				if (end)
					*end = '\0';
				errno = 0;
				v = strtoll(sp, &end, 10);
				return errno == 0 && *sp && *end == '\0' ? v : -1;
			}
			line = eol ? eol + 1 : NULL;
		}
		return -1;
	}
	return -1;
}

/* Sum of the SGX EPC section sizes (leaf 0x12 subleaves 2..9, type 1). */
static uint64_t sgx_epc_size(const struct nfd_cpuid *c)
{
	uint64_t total = 0;

	for (uint32_t sub = 2; sub < 10; sub++) {
		uint32_t regs[4];

		nfd__cpuid_query(c, 0x12, sub, regs);
		if ((regs[NFD_EAX] & 0xf) == 0)
			break;
		if ((regs[NFD_EAX] & 0xf) == 1)
			total += (uint64_t)(regs[NFD_ECX] & 0xfffff000) +
				 ((uint64_t)(regs[NFD_EDX] & 0xfffff) << 32);
	}
	return total;
}

/* kvm_amd's sev/sev_es/sev_snp parameter starts with '1' or 'Y'. */
static int kvm_amd_param(struct nfd_ctx *ctx, const char *param)
{
	_cleanup_free_ char *rel = NULL, *buf = NULL;
	int r;

	if (asprintf(&rel, "module/kvm_amd/parameters/%s", param) < 0)
		return -ENOMEM;
	r = read_raw(ctx, rel, &buf);
	if (r == -ENOMEM)
		return r;
	return r > 0 && (buf[0] == '1' || buf[0] == 'Y');
}

/* True if the whole file is exactly want (NFD compares "Y\n" and "1\n"). */
static int file_equals(struct nfd_ctx *ctx, const char *rel, const char *want)
{
	_cleanup_free_ char *buf = NULL;
	int r;

	r = read_raw(ctx, rel, &buf);
	if (r == -ENOMEM)
		return r;
	return r >= 0 && streq(buf, want);
}

static int security_x86(struct nfd_ctx *ctx, const struct nfd_cpuid *c,
			const struct nfd_x86_info *info, struct nfd_features *f)
{
	static const struct {
		const char *param;
		const char *enabled;
		const char *count; /* misc cgroup resource and element, or NULL */
	} sev[] = {
		{"sev", "sev.enabled", "sev.asids"},
		{"sev_es", "sev.es.enabled", "sev.encrypted_state_ids"},
		{"sev_snp", "sev.snp.enabled", NULL},
	};
	int r;

	/* SGX counts as enabled when the BIOS reserved EPC memory. */
	if (c && info && nfd__x86_has(info, NFD_X86_SGX)) {
		uint64_t epc = sgx_epc_size(c);

		if (epc > 0) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%" PRIu64, epc);
			r = nfd_features_set_attribute(f, SECURITY, "sgx.enabled", "true");
			if (r >= 0)
				r = nfd_features_set_attribute(f, SECURITY, "sgx.epc", buf);
			if (r < 0)
				return r;
		}
	}

	r = file_equals(ctx, "module/kvm_intel/parameters/tdx", "Y\n");
	if (r < 0)
		return r;
	if (r > 0) {
		long long keys = misc_capacity(ctx, "tdx");

		if (keys == -ENOMEM)
			return -ENOMEM;
		r = nfd_features_set_attribute(f, SECURITY, "tdx.enabled", "true");
		if (r >= 0)
			r = set_count(f, SECURITY, "tdx.total_keys", keys);
		if (r < 0)
			return r;
	}
	if (info && nfd__x86_has(info, NFD_X86_TDX_GUEST)) {
		r = nfd_features_set_attribute(f, SECURITY, "tdx.protected", "true");
		if (r < 0)
			return r;
	}

	for (size_t i = 0; i < ARRAY_SIZE(sev); i++) {
		r = kvm_amd_param(ctx, sev[i].param);
		if (r <= 0) {
			if (r < 0)
				return r;
			continue;
		}
		r = nfd_features_set_attribute(f, SECURITY, sev[i].enabled, "true");
		if (r >= 0 && sev[i].count) {
			long long n = misc_capacity(ctx, sev[i].param);

			r = n == -ENOMEM ? -ENOMEM : set_count(f, SECURITY, sev[i].count, n);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int nfd__cpu_security(struct nfd_ctx *ctx, bool x86, const struct nfd_cpuid *c,
		      const struct nfd_x86_info *info, struct nfd_features *f)
{
	int r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, SECURITY);

	if (r < 0)
		return r;
	if (x86)
		return security_x86(ctx, c, info, f);
#if defined(__s390x__)
	/* IBM Secure Execution host support (kernel >= 5.12). */
	r = file_equals(ctx, "firmware/uv/prot_virt_host", "1\n");
	if (r > 0)
		r = nfd_features_set_attribute(f, SECURITY, "se.enabled", "true");
	return r < 0 ? r : 0;
#else
	return 0;
#endif
}
