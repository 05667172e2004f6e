/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu.cpuid on arm64, arm, ppc64le and s390x: NFD's own names for the
 * AT_HWCAP/AT_HWCAP2 bits (not the kernel's), and an auxv reader so a
 * fixture's <proc>/self/auxv can stand in for getauxval().  Compiled on every
 * architecture so the tables are tested on whatever builds them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/discovery/cpuid.h"
#include "libnfd/discovery/source.h"
#include "shared/util.h"

#define AUXV_MAX_BYTES 65536
#define AT_NULL_       0
#define AT_HWCAP_      16
#define AT_HWCAP2_     26

/* arm64: arch/arm64/include/uapi/asm/hwcap.h order. */
static const char *const arm64_hwcap[] = {
	"FP",	   "ASIMD", "EVTSTRM", "AES",	"PMULL",    "SHA1",   "SHA2", "CRC32",
	"ATOMICS", "FPHP",  "ASIMDHP", "CPUID", "ASIMDRDM", "JSCVT",  "FCMA", "LRCPC",
	"DCPOP",   "SHA3",  "SM3",     "SM4",	"ASIMDDP",  "SHA512", "SVE",  "ASIMDFHM",
	"DIT",	   "USCAT", "ILRCPC",  "FLAGM", "SSBS",	    "SB",     "PACA", "PACG",
};
static const char *const arm64_hwcap2[] = {
	"DCPODP",    "SVE2",	  "SVEAES",  "SVEPMULL",  "SVEBITPERM", "SVESHA3",  "SVESM4",
	"FLAGM2",    "FRINT",	  "SVEI8MM", "SVEF32MM",  "SVEF64MM",	"SVEBF16",  "I8MM",
	"BF16",	     "DGH",	  "RNG",     "BTI",	  "MTE",	"ECV",	    "AFP",
	"RPRES",     "MTE3",	  "SME",     "SMEI16I64", "SMEF64F64",	"SMEI8I32", "SMEF16F32",
	"SMEB16F32", "SMEF32F32", "SMEFA64", "WFXT",	  "EBF16",	"SVEEBF16",
};

/* 32-bit arm: arch/arm/include/uapi/asm/hwcap.h order. */
static const char *const arm_hwcap[] = {
	"SWP",	 "HALF",   "THUMB",  "26BIT",	"FASTMUL", "FPA",     "VFP",	  "EDSP",
	"JAVA",	 "IWMMXT", "CRUNCH", "THUMBEE", "NEON",	   "VFPv3",   "VFPv3D16", "TLS",
	"VFPv4", "IDIVA",  "IDIVT",  "VFPD32",	"LPAE",	   "EVTSTRM",
};
static const char *const arm_hwcap2[] = {"AES", "PMULL", "SHA1", "SHA2", "CRC32"};

/* ppc64le: indexed by bit number; the kernel allocates these from bit 31 down. */
static const char *const ppc_hwcap[32] = {
	[31] = "PPC32",	    [30] = "PPC64",  [29] = "PPC601", [28] = "ALTIVEC",	 [27] = "FPU",
	[26] = "MMU",	    [25] = "4xxMAC", [24] = "UCACHE", [23] = "SPE",	 [22] = "EFPFLOAT",
	[21] = "EFPDOUBLE", [20] = "NOTB",   [19] = "POWER4", [18] = "POWER5",	 [17] = "POWER5+",
	[16] = "CELLBE",    [15] = "BOOKE",  [14] = "SMT",    [13] = "IC_SNOOP", [12] = "ARCH_2_05",
	[11] = "PA6T",	    [10] = "DFP",    [9] = "POWER6X", [8] = "ARCH_2_06", [7] = "VSX",
	[6] = "ARCHPMU",    [1] = "TRUE_LE", [0] = "PPCLE",
};
static const char *const ppc_hwcap2[32] = {
	[31] = "ARCH_2_07",	 [30] = "HTM",	    [29] = "DSCR",    [28] = "EBB",
	[27] = "ISEL",		 [26] = "TAR",	    [25] = "VCRYPTO", [24] = "HTM-NOSC",
	[23] = "ARCH_3_00",	 [22] = "IEEE128",  [21] = "DARN",    [20] = "SCV",
	[19] = "HTM-NO-SUSPEND", [18] = "ARCH_3_1", [17] = "MMA",
};

/* s390x: arch/s390/include/asm/elf.h order (NFD calls HPAGE "EDAT"). */
static const char *const s390x_hwcap[] = {
	"ESAN3",  "ZARCH",    "STFLE", "MSA",  "LDISP", "EIMM",	  "DFP", "EDAT",
	"ETF3EH", "HIGHGPRS", "TE",    "VX",   "VXD",	"VXE",	  "GS",	 "VXE2",
	"VXP",	  "SORT",     "DFLT",  "VXP2", "NNPA",	"PCIMIO", "SIE",
};

#define TABLE(t)                                                                                   \
	{                                                                                          \
		t, ARRAY_SIZE(t)                                                                   \
	}

static const struct {
	const char *const *names;
	size_t n;
} tables[][2] = {
	[NFD_HWCAP_ARM64] = {TABLE(arm64_hwcap), TABLE(arm64_hwcap2)},
	[NFD_HWCAP_ARM] = {TABLE(arm_hwcap), TABLE(arm_hwcap2)},
	[NFD_HWCAP_PPC64LE] = {TABLE(ppc_hwcap), TABLE(ppc_hwcap2)},
	[NFD_HWCAP_S390X] = {TABLE(s390x_hwcap), {NULL, 0}},
};

const char *nfd__hwcap_name(enum nfd_hwcap_arch arch, int which, unsigned int bit)
{
	if ((unsigned int)arch >= ARRAY_SIZE(tables) || which < 1 || which > 2)
		return NULL;
	if (bit >= tables[arch][which - 1].n)
		return NULL;
	return tables[arch][which - 1].names[bit];
}

int nfd__hwcap_add_flags(struct nfd_features *f, enum nfd_hwcap_arch arch, unsigned long hwcap,
			 unsigned long hwcap2)
{
	const unsigned long words[2] = {hwcap, hwcap2};

	for (int which = 1; which <= 2; which++)
		for (unsigned int bit = 0; bit < 8 * sizeof(unsigned long); bit++) {
			const char *name;
			int r;

			if (!(words[which - 1] & (1UL << bit)))
				continue;
			name = nfd__hwcap_name(arch, which, bit);
			if (!name)
				continue;
			r = nfd_features_add_flag(f, "cpu.cpuid", name);
			if (r < 0)
				return r;
		}
	return 0;
}

int nfd__auxv_read(const struct nfd_ctx *ctx, const char *path, unsigned long *ret_hwcap,
		   unsigned long *ret_hwcap2)
{
	_cleanup_free_ char *buf = NULL;
	unsigned long hwcap = 0, hwcap2 = 0;
	size_t len = 0;
	int r;

	r = nfd__host_read_file(ctx, path, AUXV_MAX_BYTES, &buf, &len);
	if (r < 0)
		return r;
	if (len % (2 * sizeof(unsigned long)) != 0)
		return -EBADMSG;
	for (size_t off = 0; off < len; off += 2 * sizeof(unsigned long)) {
		unsigned long entry[2];

		memcpy(entry, buf + off, sizeof(entry));
		if (entry[0] == AT_NULL_)
			break;
		if (entry[0] == AT_HWCAP_)
			hwcap = entry[1];
		else if (entry[0] == AT_HWCAP2_)
			hwcap2 = entry[1];
	}
	*ret_hwcap = hwcap;
	*ret_hwcap2 = hwcap2;
	return 0;
}
