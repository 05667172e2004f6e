/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cpu source's internals: a CPUID provider (the live instruction or a
 * replayed dump, behind one interface so the flag logic cannot tell them
 * apart), the x86 flag table with klauspost/cpuid v2's derivations, and the
 * hwcap name tables for other architectures.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libnfd/libnfd-internal.h"

/* ---------------------------------------------------------- provider */

enum { NFD_EAX, NFD_EBX, NFD_ECX, NFD_EDX };

struct nfd_cpuid;

/*
 * The context's CPUID provider: the dump set with nfd_ctx_set_cpuid_dump()
 * or, without one, the CPU this runs on.  Cached in the context (and
 * re-read when the dump path changes); borrowed, valid until the context is
 * freed or the dump path changes.
 * Returns 0, -ENOENT/-EACCES/... for an unreadable dump, -EBADMSG (message
 * with file:line) for a malformed one, -EOPNOTSUPP on a non-x86 build
 * without a dump, -ENOMEM.
 */
int nfd__cpuid_get(struct nfd_ctx *ctx, const struct nfd_cpuid **ret);

/* Parse a dump from memory (name is used in error messages). */
int nfd__cpuid_parse(struct nfd_ctx *ctx, const char *name, const char *buf,
		     struct nfd_cpuid **ret);
/* The live provider; -EOPNOTSUPP where there is no CPUID instruction. */
int nfd__cpuid_new_live(struct nfd_cpuid **ret);
void nfd__cpuid_free(struct nfd_cpuid *c);

/* CPUID(leaf, subleaf) into regs[NFD_EAX..NFD_EDX]; unknown replayed leaves are 0. */
void nfd__cpuid_query(const struct nfd_cpuid *c, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
/* XGETBV(0), i.e. XCR0; 0 when the OS has not enabled XSAVE (OSXSAVE clear). */
uint64_t nfd__cpuid_xcr0(const struct nfd_cpuid *c);
bool nfd__cpuid_is_replay(const struct nfd_cpuid *c);

/*
 * Write the live CPU's dump (every leaf and subleaf the flag logic reads, in
 * the replay format).  Returns 0, -EOPNOTSUPP (not x86), -EIO.
 */
int nfd__cpuid_dump_write(FILE *f);

/* ------------------------------------------------------------ x86 flags */

/* klauspost/cpuid v2 FeatureID names that NFD can emit on x86-64. */
enum nfd_x86_feature {
#define NFD_X86_FEATURE(id) NFD_X86_##id,
#include "libnfd/discovery/cpuid-features.h"
#undef NFD_X86_FEATURE
	_NFD_X86_MAX,
};

struct nfd_x86_info {
	uint64_t set[(_NFD_X86_MAX + 63) / 64];
	const char *vendor; /* klauspost Vendor.String(): "Intel", "VendorUnknown", ... */
	unsigned int family;
	unsigned int model;
	char hypervisor[64];	    /* NFD's cpu.model hypervisor value */
	unsigned int x64_level;	    /* 0..4 */
	unsigned int avx10_version; /* 0: no AVX10_VERSION attribute */
};

/* Derive everything NFD reports from CPUID, as klauspost/cpuid v2 does. */
void nfd__x86_detect(const struct nfd_cpuid *c, struct nfd_x86_info *ret);

static inline bool nfd__x86_has(const struct nfd_x86_info *i, enum nfd_x86_feature f)
{
	return i->set[f / 64] & (UINT64_C(1) << (f % 64));
}

/* The flag's NFD name; NULL for an out-of-range id. */
const char *nfd__x86_feature_name(unsigned int id);

/* ---------------------------------------------------------- other arches */

enum nfd_hwcap_arch {
	NFD_HWCAP_ARM64,
	NFD_HWCAP_ARM,
	NFD_HWCAP_PPC64LE,
	NFD_HWCAP_S390X,
};

/*
 * NFD's flag name for bit `bit` of AT_HWCAP (which 1) or AT_HWCAP2 (which
 * 2) on arch; NULL where NFD has none.
 */
const char *nfd__hwcap_name(enum nfd_hwcap_arch arch, int which, unsigned int bit);

/*
 * Read AT_HWCAP and AT_HWCAP2 from an auxv file (native word size).
 * Missing entries read as 0.  Returns 0 or -errno (-EBADMSG: not auxv).
 */
int nfd__auxv_read(const struct nfd_ctx *ctx, const char *path, unsigned long *ret_hwcap,
		   unsigned long *ret_hwcap2);

/* Add the hwcap flags of arch to cpu.cpuid. */
int nfd__hwcap_add_flags(struct nfd_features *f, enum nfd_hwcap_arch arch, unsigned long hwcap,
			 unsigned long hwcap2);

/* "[^-A-Za-z0-9_.]+" -> "_" in place (NFD's label-value sanitising). */
void nfd__cpu_sanitize(char *s);

/* ------------------------------------------------- cpu sub-features */

/*
 * <sys>/bus/cpu/devices, listed once per cpu source run for the two
 * sub-features that walk it (topology and sst): path is its path, names
 * and n what nfd__list_dir() gave (n: the count or -errno; names NULL
 * then).  nfd__cpu_devices_list() returns 0 or -ENOMEM; free the contents
 * with nfd__cpu_devices_done().
 */
struct nfd_cpu_devices {
	char *path;
	char **names;
	int n;
};
int nfd__cpu_devices_list(struct nfd_ctx *ctx, struct nfd_cpu_devices *ret);
void nfd__cpu_devices_done(struct nfd_cpu_devices *d);

/* Each adds one cpu.* feature to f; an unreadable input costs only its element. */
int nfd__cpu_cstate(struct nfd_ctx *ctx, struct nfd_features *f);
int nfd__cpu_pstate(struct nfd_ctx *ctx, struct nfd_features *f);
int nfd__cpu_topology(struct nfd_ctx *ctx, const struct nfd_cpu_devices *d, struct nfd_features *f);
int nfd__cpu_coprocessor(struct nfd_ctx *ctx, struct nfd_features *f);
/* These read CPUID too; c may be NULL where there is no CPUID (then {}). */
int nfd__cpu_sst(struct nfd_ctx *ctx, const struct nfd_cpuid *c, const struct nfd_cpu_devices *d,
		 struct nfd_features *f);
int nfd__cpu_rdt(struct nfd_ctx *ctx, const struct nfd_cpuid *c, struct nfd_features *f);
/*
 * x86: SGX/TDX/SEV (c and info may be NULL when CPUID failed: then only the
 * sysfs parts); otherwise s390x Secure Execution, or {}.
 */
int nfd__cpu_security(struct nfd_ctx *ctx, bool x86, const struct nfd_cpuid *c,
		      const struct nfd_x86_info *info, struct nfd_features *f);
