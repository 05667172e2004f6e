/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NFD's x86 cpu.cpuid flags from raw CPUID, rebuilt from klauspost/cpuid v2
 * (which NFD uses): the same bits, the same order of dependent checks, the
 * same OS-support (XCR0) and vendor gates, and its quirks (FXSROPT whenever
 * SSE, LZCNT also sets POPCNT, leaf 0x12 read without a range check, ...),
 * so a spec written against NFD's labels matches here too.  libcpuid is no
 * help for this: it knows about 60 of these names, gates several by vendor
 * differently and never looks at XCR0.
 */
#include <ctype.h>
#include <string.h>

#include "libnfd/discovery/cpuid.h"

#define ID(x) NFD_X86_##x
#define NONE  (-1)

static const char *const feature_names[] = {
#define NFD_X86_FEATURE(id) [NFD_X86_##id] = #id,
#include "libnfd/discovery/cpuid-features.h"
#undef NFD_X86_FEATURE
};

const char *nfd__x86_feature_name(unsigned int id)
{
	return id < ARRAY_SIZE(feature_names) ? feature_names[id] : NULL;
}

/* ------------------------------------------------------------- vendors */

enum vendor_kind { V_OTHER, V_INTEL, V_AMD };

/* klauspost's vendorMapping, with Vendor.String() of each. */
static const struct {
	const char *cpuid;
	const char *name;
	enum vendor_kind kind;
} vendors[] = {
	{"AMDisbetter!", "AMD", V_AMD},		{"AuthenticAMD", "AMD", V_AMD},
	{"CentaurHauls", "VIA", V_OTHER},	{"GenuineIntel", "Intel", V_INTEL},
	{"TransmetaCPU", "Transmeta", V_OTHER}, {"GenuineTMx86", "Transmeta", V_OTHER},
	{"Geode by NSC", "NSC", V_OTHER},	{"VIA VIA VIA ", "VIA", V_OTHER},
	{"KVMKVMKVM", "KVM", V_OTHER},		{"Linux KVM Hv", "KVM", V_OTHER},
	{"TCGTCGTCGTCG", "QEMU", V_OTHER},	{"Microsoft Hv", "MSVM", V_OTHER},
	{"VMwareVMware", "VMware", V_OTHER},	{"XenVMMXenVMM", "XenHVM", V_OTHER},
	{"bhyve bhyve ", "Bhyve", V_OTHER},	{"HygonGenuine", "Hygon", V_OTHER},
	{"Vortex86 SoC", "SiS", V_OTHER},	{"SiS SiS SiS ", "SiS", V_OTHER},
	{"RiseRiseRise", "SiS", V_OTHER},	{"Genuine  RDC", "RDC", V_OTHER},
	{"QNXQVMBSQG", "QNX", V_OTHER},		{"ACRNACRNACRN", "ACRN", V_OTHER},
	{"SRESRESRESRE", "SRE", V_OTHER},	{"Apple VZ", "Apple", V_OTHER},
};

/* Registers as little-endian bytes, cut at the first NUL (klauspost valAsString). */
static void regs_string(char out[13], uint32_t a, uint32_t b, uint32_t c)
{
	const uint32_t v[3] = {a, b, c};

	for (int i = 0; i < 12; i++)
		out[i] = (char)(v[i / 4] >> (8 * (i % 4)));
	out[12] = '\0';
}

static int vendor_lookup(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(vendors); i++)
		if (streq(vendors[i].cpuid, s))
			return (int)i;
	return -1;
}

void nfd__cpu_sanitize(char *s)
{
	char *w = s;
	bool in_run = false;

	for (const char *p = s; *p; p++) {
		if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.') {
			*w++ = *p;
			in_run = false;
		} else if (!in_run) {
			*w++ = '_';
			in_run = true;
		}
	}
	*w = '\0';
}

/* --------------------------------------------------------- the flag table */

enum gate {
	G_RANGE,     /* the leaf is within the max basic/extended leaf */
	G_OS_AVX,    /* and XCR0 enables SSE and AVX state */
	G_OS_AVX512, /* and XSAVE+OSXSAVE, XCR0 enables SSE, AVX, opmask and ZMM state */
	G_AMD,	     /* and the vendor is AuthenticAMD (not Hygon) */
	G_LEAF7,     /* read whenever leaf 7 is, without a range check of its own */
};

struct flag_bit {
	uint32_t leaf;
	uint8_t subleaf;
	uint8_t reg;
	uint8_t gate;
	int16_t id;
	int16_t requires; /* a flag that must already be set, or NONE */
	uint32_t mask;	  /* every bit of it must be set */
};

#define B(l, s, r, bit, f)                                                                         \
	{                                                                                          \
		l, s, NFD_##r, G_RANGE, ID(f), NONE, 1U << (bit)                                   \
	}
#define BG(l, s, r, bit, f, g)                                                                     \
	{                                                                                          \
		l, s, NFD_##r, g, ID(f), NONE, 1U << (bit)                                         \
	}
#define BR(l, s, r, bit, f, req)                                                                   \
	{                                                                                          \
		l, s, NFD_##r, G_RANGE, ID(f), ID(req), 1U << (bit)                                \
	}
#define M(l, s, r, m, f, g, req)                                                                   \
	{                                                                                          \
		l, s, NFD_##r, g, f, req, m                                                        \
	}

/*
 * In klauspost's order: a row with `requires` comes after every row that can
 * set the required flag.
 */
static const struct flag_bit flag_bits[] = {
	/* leaf 1 EDX */
	B(1, 0, EDX, 0, X87),
	B(1, 0, EDX, 8, CMPXCHG8),
	B(1, 0, EDX, 11, SYSEE),
	B(1, 0, EDX, 15, CMOV),
	B(1, 0, EDX, 23, MMX),
	B(1, 0, EDX, 24, FXSR),
	B(1, 0, EDX, 25, FXSROPT),
	B(1, 0, EDX, 25, SSE),
	B(1, 0, EDX, 26, SSE2),
	/* leaf 1 ECX */
	B(1, 0, ECX, 0, SSE3),
	B(1, 0, ECX, 5, VMX),
	B(1, 0, ECX, 9, SSSE3),
	B(1, 0, ECX, 19, SSE4),
	B(1, 0, ECX, 20, SSE42),
	B(1, 0, ECX, 25, AESNI),
	B(1, 0, ECX, 1, CLMUL),
	B(1, 0, ECX, 22, MOVBE),
	B(1, 0, ECX, 23, POPCNT),
	B(1, 0, ECX, 30, RDRAND),
	B(1, 0, ECX, 31, HYPERVISOR),
	B(1, 0, ECX, 29, F16C),
	B(1, 0, ECX, 13, CX16),
	B(1, 0, ECX, 26, XSAVE),
	B(1, 0, ECX, 27, OSXSAVE),
	M(1, 0, ECX, 1U << 26 | 1U << 27 | 1U << 28, ID(AVX), G_OS_AVX, NONE),
	/* FMA3 works on SSE registers too, so only the OSXSAVE bit is required. */
	M(1, 0, ECX, 1U << 12 | 1U << 27, ID(FMA3), G_RANGE, NONE),

	/* leaf 7.0 EBX */
	BR(7, 0, EBX, 5, AVX2, AVX),
	B(7, 0, EBX, 3, BMI1),
	BR(7, 0, EBX, 8, BMI2, BMI1),
	B(7, 0, EBX, 2, SGX),
	B(7, 0, EBX, 4, HLE),
	B(7, 0, EBX, 9, ERMS),
	B(7, 0, EBX, 11, RTM),
	B(7, 0, EBX, 14, MPX),
	B(7, 0, EBX, 18, RDSEED),
	B(7, 0, EBX, 19, ADX),
	B(7, 0, EBX, 29, SHA),
	/* leaf 7.0 ECX */
	B(7, 0, ECX, 5, WAITPKG),
	B(7, 0, ECX, 7, CETSS),
	B(7, 0, ECX, 8, GFNI),
	B(7, 0, ECX, 9, VAES),
	B(7, 0, ECX, 10, VPCLMULQDQ),
	B(7, 0, ECX, 13, TME),
	B(7, 0, ECX, 25, CLDEMOTE),
	B(7, 0, ECX, 23, KEYLOCKER),
	B(7, 0, ECX, 27, MOVDIRI),
	B(7, 0, ECX, 28, MOVDIR64B),
	B(7, 0, ECX, 29, ENQCMD),
	B(7, 0, ECX, 30, SGXLC),
	/* leaf 7.0 EDX */
	B(7, 0, EDX, 4, FSRM),
	B(7, 0, EDX, 9, SRBDS_CTRL),
	B(7, 0, EDX, 10, MD_CLEAR),
	B(7, 0, EDX, 11, RTM_ALWAYS_ABORT),
	B(7, 0, EDX, 14, SERIALIZE),
	B(7, 0, EDX, 15, HYBRID_CPU),
	B(7, 0, EDX, 16, TSXLDTRK),
	B(7, 0, EDX, 18, PCONFIG),
	B(7, 0, EDX, 20, CETIBT),
	B(7, 0, EDX, 26, IBPB),
	B(7, 0, EDX, 27, STIBP),
	B(7, 0, EDX, 28, FLUSH_L1D),
	B(7, 0, EDX, 29, IA32_ARCH_CAP),
	B(7, 0, EDX, 30, IA32_CORE_CAP),
	B(7, 0, EDX, 31, SPEC_CTRL_SSBD),
	/* leaf 7.1 EAX */
	BR(7, 1, EAX, 4, AVXVNNI, AVX),
	B(7, 1, EAX, 1, SM3_X86),
	B(7, 1, EAX, 2, SM4_X86),
	B(7, 1, EAX, 7, CMPCCXADD),
	B(7, 1, EAX, 10, MOVSB_ZL),
	B(7, 1, EAX, 11, STOSB_SHORT),
	B(7, 1, EAX, 12, CMPSB_SCADBS_SHORT),
	B(7, 1, EAX, 17, FRED),
	B(7, 1, EAX, 22, HRESET),
	B(7, 1, EAX, 23, AVXIFMA),
	B(7, 1, EAX, 26, LAM),
	/* leaf 7.1 EDX */
	B(7, 1, EDX, 4, AVXVNNIINT8),
	B(7, 1, EDX, 5, AVXNECONVERT),
	B(7, 1, EDX, 6, AMXTRANSPOSE),
	B(7, 1, EDX, 7, AMXTF32),
	B(7, 1, EDX, 8, AMXCOMPLEX),
	B(7, 1, EDX, 10, AVXVNNIINT16),
	B(7, 1, EDX, 14, PREFETCHI),
	B(7, 1, EDX, 19, AVX10),
	B(7, 1, EDX, 21, APX_F),
	/* The AVX-512 group (AMX and a few non-vector bits included, as in klauspost). */
	BG(7, 0, EBX, 16, AVX512F, G_OS_AVX512),
	BG(7, 0, EBX, 17, AVX512DQ, G_OS_AVX512),
	BG(7, 0, EBX, 21, AVX512IFMA, G_OS_AVX512),
	BG(7, 0, EBX, 26, AVX512PF, G_OS_AVX512),
	BG(7, 0, EBX, 27, AVX512ER, G_OS_AVX512),
	BG(7, 0, EBX, 28, AVX512CD, G_OS_AVX512),
	BG(7, 0, EBX, 30, AVX512BW, G_OS_AVX512),
	BG(7, 0, EBX, 31, AVX512VL, G_OS_AVX512),
	BG(7, 0, ECX, 1, AVX512VBMI, G_OS_AVX512),
	BG(7, 0, ECX, 3, AMXFP8, G_OS_AVX512),
	BG(7, 0, ECX, 6, AVX512VBMI2, G_OS_AVX512),
	BG(7, 0, ECX, 11, AVX512VNNI, G_OS_AVX512),
	BG(7, 0, ECX, 12, AVX512BITALG, G_OS_AVX512),
	BG(7, 0, ECX, 14, AVX512VPOPCNTDQ, G_OS_AVX512),
	BG(7, 0, EDX, 8, AVX512VP2INTERSECT, G_OS_AVX512),
	BG(7, 0, EDX, 22, AMXBF16, G_OS_AVX512),
	BG(7, 0, EDX, 23, AVX512FP16, G_OS_AVX512),
	BG(7, 0, EDX, 24, AMXTILE, G_OS_AVX512),
	BG(7, 0, EDX, 25, AMXINT8, G_OS_AVX512),
	BG(7, 1, EAX, 5, AVX512BF16, G_OS_AVX512),
	BG(7, 1, EAX, 19, WRMSRNS, G_OS_AVX512),
	BG(7, 1, EAX, 21, AMXFP16, G_OS_AVX512),
	BG(7, 1, EAX, 27, MSRLIST, G_OS_AVX512),
	/* leaf 7.2 EDX */
	B(7, 2, EDX, 0, PSFD),
	B(7, 2, EDX, 1, IDPRED_CTRL),
	B(7, 2, EDX, 2, RRSBA_CTRL),
	B(7, 2, EDX, 4, BHI_CTRL),
	B(7, 2, EDX, 5, MCDT_NO),
	/* SGX capabilities: klauspost reads leaf 0x12 without checking the max leaf. */
	M(0x12, 0, EAX, 1U << 12, ID(SGXPQC), G_LEAF7, ID(SGX)),
	M(0x19, 0, EBX, 1U << 0 | 1U << 2, ID(KEYLOCKERW), G_RANGE, ID(KEYLOCKER)),
	BR(0x24, 0, EBX, 16, AVX10_128, AVX10),
	BR(0x24, 0, EBX, 17, AVX10_256, AVX10),
	BR(0x24, 0, EBX, 18, AVX10_512, AVX10),

	/* leaf 0xD.1 EAX: XSAVE extensions */
	BR(0xd, 1, EAX, 0, XSAVEOPT, XSAVE),
	BR(0xd, 1, EAX, 1, XSAVEC, XSAVE),
	BR(0xd, 1, EAX, 2, XGETBV1, XSAVE),
	BR(0xd, 1, EAX, 3, XSAVES, XSAVE),

	/* 0x80000001 ECX */
	B(0x80000001, 0, ECX, 5, LZCNT),
	B(0x80000001, 0, ECX, 5, POPCNT),
	B(0x80000001, 0, ECX, 0, LAHF),
	B(0x80000001, 0, ECX, 2, SVM),
	B(0x80000001, 0, ECX, 6, SSE4A),
	B(0x80000001, 0, ECX, 10, IBS),
	B(0x80000001, 0, ECX, 22, TOPEXT),
	/* XOP and FMA4 use the VEX scheme, so they need OS AVX support. */
	BR(0x80000001, 0, ECX, 11, XOP, AVX),
	BR(0x80000001, 0, ECX, 16, FMA4, AVX),
	/* 0x80000001 EDX */
	B(0x80000001, 0, EDX, 11, SYSCALL),
	B(0x80000001, 0, EDX, 20, NX),
	B(0x80000001, 0, EDX, 22, MMXEXT),
	B(0x80000001, 0, EDX, 23, MMX),
	B(0x80000001, 0, EDX, 24, FXSR),
	B(0x80000001, 0, EDX, 25, FXSROPT),
	B(0x80000001, 0, EDX, 27, RDTSCP),
	B(0x80000001, 0, EDX, 30, AMD3DNOWEXT),
	B(0x80000001, 0, EDX, 31, AMD3DNOW),
	/* 0x80000007: RAS and power management */
	B(0x80000007, 0, EBX, 0, MCAOVERFLOW),
	B(0x80000007, 0, EBX, 1, SUCCOR),
	B(0x80000007, 0, EBX, 2, HWA),
	B(0x80000007, 0, EDX, 9, CPBOOST),
	/* 0x80000008 EBX */
	B(0x80000008, 0, EBX, 28, PSFD),
	B(0x80000008, 0, EBX, 27, CPPC),
	B(0x80000008, 0, EBX, 24, SPEC_CTRL_SSBD),
	B(0x80000008, 0, EBX, 23, PPIN),
	B(0x80000008, 0, EBX, 21, TLB_FLUSH_NESTED),
	B(0x80000008, 0, EBX, 20, EFER_LMSLE_UNS),
	B(0x80000008, 0, EBX, 19, IBRS_PROVIDES_SMP),
	B(0x80000008, 0, EBX, 18, IBRS_PREFERRED),
	B(0x80000008, 0, EBX, 17, STIBP_ALWAYSON),
	B(0x80000008, 0, EBX, 15, STIBP),
	B(0x80000008, 0, EBX, 14, IBRS),
	B(0x80000008, 0, EBX, 13, INT_WBINVD),
	B(0x80000008, 0, EBX, 12, IBPB),
	B(0x80000008, 0, EBX, 9, WBNOINVD),
	B(0x80000008, 0, EBX, 8, MCOMMIT),
	B(0x80000008, 0, EBX, 4, RDPRU),
	B(0x80000008, 0, EBX, 3, INVLPGB),
	B(0x80000008, 0, EBX, 1, MSRIRC),
	B(0x80000008, 0, EBX, 0, CLZERO),
	/* 0x8000000A EDX: SVM features */
	BR(0x8000000a, 0, EDX, 0, SVMNP, SVM),
	BR(0x8000000a, 0, EDX, 1, LBRVIRT, SVM),
	BR(0x8000000a, 0, EDX, 2, SVML, SVM),
	BR(0x8000000a, 0, EDX, 3, NRIPS, SVM),
	BR(0x8000000a, 0, EDX, 4, TSCRATEMSR, SVM),
	BR(0x8000000a, 0, EDX, 5, VMCBCLEAN, SVM),
	BR(0x8000000a, 0, EDX, 6, SVMFBASID, SVM),
	BR(0x8000000a, 0, EDX, 7, SVMDA, SVM),
	BR(0x8000000a, 0, EDX, 10, SVMPF, SVM),
	BR(0x8000000a, 0, EDX, 12, SVMPFT, SVM),
	/* 0x8000001A EAX: performance optimisation identifiers */
	B(0x8000001a, 0, EAX, 0, FP128),
	B(0x8000001a, 0, EAX, 1, MOVU),
	B(0x8000001a, 0, EAX, 2, FP256),
	/* 0x8000001B EAX: IBS features */
	BR(0x8000001b, 0, EAX, 0, IBSFFV, IBS),
	BR(0x8000001b, 0, EAX, 1, IBSFETCHSAM, IBS),
	BR(0x8000001b, 0, EAX, 2, IBSOPSAM, IBS),
	BR(0x8000001b, 0, EAX, 3, IBSRDWROPCNT, IBS),
	BR(0x8000001b, 0, EAX, 4, IBSOPCNT, IBS),
	BR(0x8000001b, 0, EAX, 5, IBSBRNTRGT, IBS),
	BR(0x8000001b, 0, EAX, 6, IBSOPCNTEXT, IBS),
	BR(0x8000001b, 0, EAX, 7, IBSRIPINVALIDCHK, IBS),
	BR(0x8000001b, 0, EAX, 8, IBS_OPFUSE, IBS),
	BR(0x8000001b, 0, EAX, 9, IBS_FETCH_CTLX, IBS),
	BR(0x8000001b, 0, EAX, 10, IBS_OPDATA4, IBS),
	BR(0x8000001b, 0, EAX, 11, IBS_ZEN4, IBS),
	/* 0x8000001F EAX: memory encryption, AMD only */
	BG(0x8000001f, 0, EAX, 0, SME, G_AMD),
	BG(0x8000001f, 0, EAX, 1, SEV, G_AMD),
	BG(0x8000001f, 0, EAX, 2, MSR_PAGEFLUSH, G_AMD),
	BG(0x8000001f, 0, EAX, 3, SEV_ES, G_AMD),
	BG(0x8000001f, 0, EAX, 4, SEV_SNP, G_AMD),
	BG(0x8000001f, 0, EAX, 5, VMPL, G_AMD),
	BG(0x8000001f, 0, EAX, 10, SME_COHERENT, G_AMD),
	BG(0x8000001f, 0, EAX, 11, SEV_64BIT, G_AMD),
	BG(0x8000001f, 0, EAX, 12, SEV_RESTRICTED, G_AMD),
	BG(0x8000001f, 0, EAX, 13, SEV_ALTERNATIVE, G_AMD),
	BG(0x8000001f, 0, EAX, 14, SEV_DEBUGSWAP, G_AMD),
	BG(0x8000001f, 0, EAX, 15, IBS_PREVENTHOST, G_AMD),
	BG(0x8000001f, 0, EAX, 16, VTE, G_AMD),
	BG(0x8000001f, 0, EAX, 24, VMSA_REGPROT, G_AMD),
	/* 0x80000021: extended features 2, AMD only */
	BG(0x80000021, 0, EAX, 31, SRSO_MSR_FIX, G_AMD),
	BG(0x80000021, 0, EAX, 30, SRSO_USER_KERNEL_NO, G_AMD),
	BG(0x80000021, 0, EAX, 29, SRSO_NO, G_AMD),
	BG(0x80000021, 0, EAX, 28, IBPB_BRTYPE, G_AMD),
	BG(0x80000021, 0, EAX, 27, SBPB, G_AMD),
	BG(0x80000021, 0, EAX, 23, AVX512BMM, G_AMD),
	BG(0x80000021, 0, ECX, 1, TSA_L1_NO, G_AMD),
	BG(0x80000021, 0, ECX, 2, TSA_SQ_NO, G_AMD),
	BG(0x80000021, 0, EAX, 5, TSA_VERW_CLEAR, G_AMD),
};

/* -------------------------------------------------------------- detect */

/*
 * Each live CPUID is a VM exit under a hypervisor (microseconds), and the
 * table reads the same few leaves over and over: remember them.
 */
#define MEMO_SIZE 64

struct memo {
	uint32_t leaf;
	uint32_t subleaf;
	uint32_t regs[4];
};

struct detect {
	const struct nfd_cpuid *c;
	struct memo memo[MEMO_SIZE];
	size_t n_memo;
	struct nfd_x86_info *info;
	uint32_t max_basic;
	uint32_t max_ext;
	enum vendor_kind vendor;
	uint32_t leaf1_ecx;
	uint64_t xcr0;
};

static void set_flag(struct nfd_x86_info *i, int f)
{
	i->set[f / 64] |= UINT64_C(1) << (f % 64);
}

static bool has(const struct detect *d, int f)
{
	return nfd__x86_has(d->info, (enum nfd_x86_feature)f);
}

static void query(struct detect *d, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	for (size_t i = 0; i < d->n_memo; i++)
		if (d->memo[i].leaf == leaf && d->memo[i].subleaf == subleaf) {
			memcpy(regs, d->memo[i].regs, sizeof(d->memo[i].regs));
			return;
		}
	nfd__cpuid_query(d->c, leaf, subleaf, regs);
	if (d->n_memo < MEMO_SIZE) {
		d->memo[d->n_memo] = (struct memo){.leaf = leaf, .subleaf = subleaf};
		memcpy(d->memo[d->n_memo].regs, regs, sizeof(d->memo[0].regs));
		d->n_memo++;
	}
}

static uint32_t reg(struct detect *d, uint32_t leaf, uint32_t subleaf, int r)
{
	uint32_t regs[4];

	query(d, leaf, subleaf, regs);
	return regs[r];
}

static bool in_range(const struct detect *d, uint32_t leaf)
{
	return leaf >= 0x80000000 ? leaf <= d->max_ext : leaf <= d->max_basic;
}

static bool gate_open(const struct detect *d, const struct flag_bit *b)
{
	const uint32_t xsave = 1U << 26 | 1U << 27;

	switch ((enum gate)b->gate) {
	case G_RANGE:
		return in_range(d, b->leaf);
	case G_OS_AVX:
		return in_range(d, b->leaf) && (d->xcr0 & 0x6) == 0x6;
	case G_OS_AVX512:
		/* XCR0[7:5] opmask/ZMM state and XCR0[2:1] SSE/AVX state. */
		return in_range(d, b->leaf) && (d->leaf1_ecx & xsave) == xsave &&
		       ((d->xcr0 >> 5) & 7) == 7 && ((d->xcr0 >> 1) & 3) == 3;
	case G_AMD:
		return in_range(d, b->leaf) && d->vendor == V_AMD;
	case G_LEAF7:
		return d->max_basic >= 7;
	}
	return false;
}

/* klauspost threadsPerCore(): only meaningful for Intel and AMD. */
static unsigned int threads_per_core(struct detect *d)
{
	uint32_t regs[4];

	if (d->max_basic < 4 || d->vendor == V_OTHER)
		return 1;
	if (d->max_basic < 0xb) {
		uint32_t logical;

		if (d->vendor != V_INTEL)
			return 1;
		query(d, 1, 0, regs);
		if (!(regs[NFD_EDX] & (1U << 28)))
			return 1;
		logical = (regs[NFD_EBX] >> 16) & 0xff;
		if (logical <= 1)
			return 1;
		return logical / ((reg(d, 4, 0, NFD_EAX) >> 26) + 1);
	}
	query(d, 0xb, 0, regs);
	if ((regs[NFD_EBX] & 0xffff) != 0)
		return regs[NFD_EBX] & 0xffff;
	/* Zen 2 and later leave 0xB.0 EBX zero; 0x8000001E EBX[15:8] is threads - 1. */
	if (d->vendor == V_AMD && (reg(d, 1, 0, NFD_EDX) & (1U << 28)) && d->info->family >= 23) {
		if (d->max_ext >= 0x8000001e)
			return ((reg(d, 0x8000001e, 0, NFD_EBX) >> 8) & 0xff) + 1;
		return 2;
	}
	return 1;
}

static void detect_family_model(struct detect *d)
{
	uint32_t eax, family, model;
	bool ext_model;

	if (d->max_basic < 1)
		return;
	eax = reg(d, 1, 0, NFD_EAX);
	family = (eax >> 8) & 0xf;
	/* The extended model counts only for base family 6 (Intel) and 0xF. */
	ext_model = family == 0x6;
	if (family == 0xf) {
		family += (eax >> 20) & 0xff;
		ext_model = true;
	}
	model = (eax >> 4) & 0xf;
	if (ext_model)
		model += (eax >> 12) & 0xf0;
	d->info->family = family;
	d->info->model = model;
}

static void detect_hypervisor(struct detect *d)
{
	uint32_t regs[4];
	char s[13];
	int v;

	if (!has(d, ID(HYPERVISOR))) {
		strcpy(d->info->hypervisor, "none");
		return;
	}
	query(d, 0x40000000, 0, regs);
	regs_string(s, regs[NFD_EBX], regs[NFD_ECX], regs[NFD_EDX]);
	v = vendor_lookup(s);
	if (v >= 0) {
		size_t i;

		for (i = 0; vendors[v].name[i]; i++)
			d->info->hypervisor[i] = (char)tolower((unsigned char)vendors[v].name[i]);
		d->info->hypervisor[i] = '\0';
		return;
	}
	nfd__cpu_sanitize(s);
	strcpy(d->info->hypervisor, s[0] ? s : "unknown");
}

/* Leaf 0xA fixed counters; klauspost sets these outside support(). */
static void detect_pmu(struct detect *d)
{
	uint32_t regs[4], version, nfixed = 0;

	if (d->max_basic < 0xa)
		return;
	query(d, 0xa, 0, regs);
	version = regs[NFD_EAX] & 0xff;
	if (version == 0)
		return;
	if (version > 1)
		nfixed = regs[NFD_EDX] & 0x1f;
	if (regs[NFD_EBX] == 0) {
		if (nfixed == 3 || nfixed == 4) {
			set_flag(d->info, ID(PMU_FIXEDCOUNTER_INSTRUCTIONS));
			set_flag(d->info, ID(PMU_FIXEDCOUNTER_CYCLES));
			set_flag(d->info, ID(PMU_FIXEDCOUNTER_REFCYCLES));
		}
		if (nfixed == 4)
			set_flag(d->info, ID(PMU_FIXEDCOUNTER_TOPDOWN_SLOTS));
		return;
	}
	/* A set EBX bit means the event is *not* available. */
	if (!(regs[NFD_EBX] & 1))
		set_flag(d->info, ID(PMU_FIXEDCOUNTER_INSTRUCTIONS));
	if (!(regs[NFD_EBX] & 2))
		set_flag(d->info, ID(PMU_FIXEDCOUNTER_CYCLES));
	if (!(regs[NFD_EBX] & 4))
		set_flag(d->info, ID(PMU_FIXEDCOUNTER_REFCYCLES));
	if (!(regs[NFD_EBX] & 8))
		set_flag(d->info, ID(PMU_FIXEDCOUNTER_TOPDOWN_SLOTS));
}

static void detect_special(struct detect *d)
{
	struct nfd_x86_info *i = d->info;
	uint32_t regs[4];

	if ((d->vendor == V_INTEL || d->vendor == V_AMD) && (reg(d, 1, 0, NFD_EDX) & (1U << 28)) &&
	    d->max_basic >= 4 && threads_per_core(d) > 1)
		set_flag(i, ID(HTT));

	/* 256-bit AVX split into two 128-bit halves: Intel before Haswell, AMD before Zen 2. */
	if (has(d, ID(AVX)) &&
	    ((d->vendor == V_INTEL && i->family == 6 && i->model < 60) ||
	     (d->vendor == V_AMD && (i->family < 23 || (i->family == 23 && i->model < 49)))))
		set_flag(i, ID(AVXSLOW));

	/* AMD before family 19h is not affected by TSA but does not say so. */
	if (d->vendor == V_AMD) {
		bool not_vuln = i->family < 0x19 ||
				(i->family == 0x1a &&
				 (i->model <= 0x4f || (i->model >= 0x60 && i->model <= 0x7f)));

		if (not_vuln) {
			set_flag(i, ID(TSA_L1_NO));
			set_flag(i, ID(TSA_SQ_NO));
		}
	}

	/* Hyper-V hides TDX but reports isolation type 0xBE3 in leaf 0x4000000C. */
	if (d->max_basic >= 0x20 && reg(d, 0x4000000c, 0, NFD_EBX) == 0xbe3)
		set_flag(i, ID(TDX_GUEST));
	if (d->max_basic >= 0x21) {
		char s[13];

		query(d, 0x21, 0, regs);
		regs_string(s, regs[NFD_EBX], regs[NFD_EDX], regs[NFD_ECX]);
		if (streq(s, "IntelTDX    "))
			set_flag(i, ID(TDX_GUEST));
	}
}

static bool has_all(const struct detect *d, const int *ids, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!has(d, ids[k]))
			return false;
	return true;
}

/* The x86-64 psABI microarchitecture level, as klauspost X64Level(). */
static unsigned int x64_level(const struct detect *d)
{
	static const int v1[] = {ID(CMOV), ID(CMPXCHG8), ID(X87), ID(FXSR),
				 ID(MMX),  ID(SSE),	 ID(SSE2)};
	static const int v2[] = {ID(CX16), ID(LAHF),  ID(POPCNT), ID(SSE3),
				 ID(SSE4), ID(SSE42), ID(SSSE3)};
	static const int v3[] = {ID(AVX),  ID(AVX2),  ID(BMI1),	 ID(BMI2),   ID(F16C),
				 ID(FMA3), ID(LZCNT), ID(MOVBE), ID(OSXSAVE)};
	static const int v4[] = {ID(AVX512F), ID(AVX512BW), ID(AVX512CD), ID(AVX512DQ),
				 ID(AVX512VL)};
	unsigned int level = 0;

	if (!has(d, ID(SYSEE)) && !has(d, ID(SYSCALL)))
		return 0;
	if (has_all(d, v1, ARRAY_SIZE(v1))) {
		level = 1;
		if (has_all(d, v2, ARRAY_SIZE(v2))) {
			level = 2;
			if (has_all(d, v3, ARRAY_SIZE(v3))) {
				level = 3;
				if (has_all(d, v4, ARRAY_SIZE(v4)))
					level = 4;
			}
		}
	}
	return level;
}

void nfd__x86_detect(const struct nfd_cpuid *c, struct nfd_x86_info *ret)
{
	struct detect d = {.c = c, .info = ret};
	uint32_t regs[4];
	char vendor[13];
	int v;

	memset(ret, 0, sizeof(*ret));
	query(&d, 0, 0, regs);
	d.max_basic = regs[NFD_EAX];
	regs_string(vendor, regs[NFD_EBX], regs[NFD_EDX], regs[NFD_ECX]);
	v = vendor_lookup(vendor);
	ret->vendor = v >= 0 ? vendors[v].name : "VendorUnknown";
	d.vendor = v >= 0 ? vendors[v].kind : V_OTHER;
	d.max_ext = reg(&d, 0x80000000, 0, NFD_EAX);
	detect_family_model(&d);

	/* Without leaf 1 klauspost reports no flags at all, extended leaves included. */
	if (d.max_basic >= 1) {
		d.leaf1_ecx = reg(&d, 1, 0, NFD_ECX);
		/* klauspost only executes XGETBV after checking XSAVE and OSXSAVE. */
		if ((d.leaf1_ecx & (1U << 26 | 1U << 27)) == (1U << 26 | 1U << 27))
			d.xcr0 = nfd__cpuid_xcr0(c);

		for (size_t k = 0; k < ARRAY_SIZE(flag_bits); k++) {
			const struct flag_bit *b = &flag_bits[k];

			if (b->requires != NONE && !has(&d, b->requires))
				continue;
			if (!gate_open(&d, b))
				continue;
			if ((reg(&d, b->leaf, b->subleaf, b->reg) & b->mask) == b->mask)
				set_flag(ret, b->id);
		}
		detect_special(&d);
	}
	detect_pmu(&d);
	detect_hypervisor(&d);
	ret->x64_level = x64_level(&d);

	if (d.max_basic >= 0x24 && has(&d, ID(AVX10)))
		ret->avx10_version = reg(&d, 0x24, 0, NFD_EBX) & 0xff;
}
