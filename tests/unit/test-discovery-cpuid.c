/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CPUID provider (dump parsing, replay) and the x86 flag table: raw dumps
 * from tests/fixtures/cpuid/ and small in-memory ones go through the same
 * nfd__x86_detect() as the live CPU, and the exact NFD flag sets are checked.
 */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/skip-test.h"

#include "libnfd/discovery/cpuid.h"
#include "shared/util.h"

/* klauspost/cpuid v2's x86 FeatureID names (plus FRED and the PMU ids), as NFD prints them. */
static const char nfd_spelling[] =
	"ADX AESNI AMD3DNOW AMD3DNOWEXT AMXBF16 AMXFP16 AMXINT8 AMXFP8 AMXTILE AMXTF32 "
	"AMXCOMPLEX AMXTRANSPOSE APX_F AVX AVX10 AVX10_128 AVX10_256 AVX10_512 AVX2 "
	"AVX512BF16 AVX512BITALG AVX512BMM AVX512BW AVX512CD AVX512DQ AVX512ER AVX512F "
	"AVX512FP16 AVX512IFMA AVX512PF AVX512VBMI AVX512VBMI2 AVX512VL AVX512VNNI "
	"AVX512VP2INTERSECT AVX512VPOPCNTDQ AVXIFMA AVXNECONVERT AVXSLOW AVXVNNI "
	"AVXVNNIINT8 AVXVNNIINT16 BHI_CTRL BMI1 BMI2 CETIBT CETSS CLDEMOTE CLMUL CLZERO "
	"CMOV CMPCCXADD CMPSB_SCADBS_SHORT CMPXCHG8 CPBOOST CPPC CX16 EFER_LMSLE_UNS "
	"ENQCMD ERMS F16C FLUSH_L1D FMA3 FMA4 FP128 FP256 FSRM FXSR FXSROPT GFNI HLE "
	"HRESET HTT HWA HYBRID_CPU HYPERVISOR IA32_ARCH_CAP IA32_CORE_CAP IBPB "
	"IBPB_BRTYPE IBRS IBRS_PREFERRED IBRS_PROVIDES_SMP IBS IBSBRNTRGT IBSFETCHSAM "
	"IBSFFV IBSOPCNT IBSOPCNTEXT IBSOPSAM IBSRDWROPCNT IBSRIPINVALIDCHK "
	"IBS_FETCH_CTLX IBS_OPDATA4 IBS_OPFUSE IBS_PREVENTHOST IBS_ZEN4 IDPRED_CTRL "
	"INT_WBINVD INVLPGB KEYLOCKER KEYLOCKERW LAHF LAM LBRVIRT LZCNT MCAOVERFLOW "
	"MCDT_NO MCOMMIT MD_CLEAR MMX MMXEXT MOVBE MOVDIR64B MOVDIRI MOVSB_ZL MOVU MPX "
	"MSRIRC MSRLIST MSR_PAGEFLUSH NRIPS NX OSXSAVE PCONFIG POPCNT PPIN PREFETCHI "
	"PSFD RDPRU RDRAND RDSEED RDTSCP RRSBA_CTRL RTM RTM_ALWAYS_ABORT SBPB SERIALIZE "
	"SEV SEV_64BIT SEV_ALTERNATIVE SEV_DEBUGSWAP SEV_ES SEV_RESTRICTED SEV_SNP SGX "
	"SGXLC SGXPQC SHA SME SME_COHERENT SM3_X86 SM4_X86 SPEC_CTRL_SSBD SRBDS_CTRL "
	"SRSO_MSR_FIX SRSO_NO SRSO_USER_KERNEL_NO SSE SSE2 SSE3 SSE4 SSE42 SSE4A SSSE3 "
	"STIBP STIBP_ALWAYSON STOSB_SHORT SUCCOR SVM SVMDA SVMFBASID SVML SVMNP SVMPF "
	"SVMPFT SYSCALL SYSEE TBM TDX_GUEST TLB_FLUSH_NESTED TME TOPEXT TSA_L1_NO "
	"TSA_SQ_NO TSA_VERW_CLEAR TSCRATEMSR TSXLDTRK VAES VMCBCLEAN VMPL VMSA_REGPROT "
	"VMX VPCLMULQDQ VTE WAITPKG WBNOINVD WRMSRNS X87 XGETBV1 XOP XSAVE XSAVEC "
	"XSAVEOPT XSAVES FRED PMU_FIXEDCOUNTER_CYCLES PMU_FIXEDCOUNTER_REFCYCLES "
	"PMU_FIXEDCOUNTER_INSTRUCTIONS PMU_FIXEDCOUNTER_TOPDOWN_SLOTS";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The flags NFD would print (table flags plus X86_64_Vn), sorted, space-separated. */
static char *flag_string(const struct nfd_x86_info *info)
{
	const char *names[_NFD_X86_MAX + 4];
	char levels[4][16];
	size_t n = 0, len = 1;
	char *s;

	for (unsigned int id = 0; id < _NFD_X86_MAX; id++)
		if (nfd__x86_has(info, id))
			names[n++] = nfd__x86_feature_name(id);
	for (unsigned int l = 1; l <= info->x64_level; l++) {
		snprintf(levels[l - 1], sizeof(levels[0]), "X86_64_V%u", l);
		names[n++] = levels[l - 1];
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, names[i]);
	}
	return s;
}

/* A space-separated list, sorted (the expectations are written by topic). */
static char *sort_words(const char *list)
{
	char *copy = strdup(list), *save = NULL, *out;
	const char *words[512];
	size_t n = 0;

	assert_non_null(copy);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		assert_true(n < 512);
		words[n++] = w;
	}
	qsort(words, n, sizeof(words[0]), cmp_str);
	out = calloc(1, strlen(list) + 1);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, words[i]);
	}
	free(copy);
	return out;
}

static struct nfd_cpuid *parse(const char *text)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_cpuid *c = NULL;
	int r;

	assert_non_null(ctx);
	r = nfd__cpuid_parse(ctx, "test", text, &c);
	if (r < 0)
		fail_msg("parse failed: %s", nfd_ctx_last_error(ctx));
	nfd_ctx_unref(ctx);
	return c;
}

static char *read_fixture(const char *name)
{
	const char *top = getenv("NFD_TOP_SRCDIR");
	char path[4096];
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/tests/fixtures/cpuid/%s", top ? top : ".", name);
	assert_int_equal(read_file(path, 1 << 20, &buf, NULL), 0);
	return buf;
}

static void detect_text(const char *text, struct nfd_x86_info *info)
{
	struct nfd_cpuid *c = parse(text);

	nfd__x86_detect(c, info);
	nfd__cpuid_free(c);
}

static void detect_fixture(const char *name, struct nfd_x86_info *info)
{
	char *text = read_fixture(name);

	detect_text(text, info);
	free(text);
}

static void assert_flags(const struct nfd_x86_info *info, const char *want)
{
	char *got = flag_string(info);

	assert_string_equal(got, want);
	free(got);
}

/* ------------------------------------------------------------- the table */

static void test_names_match_nfd(void **state)
{
	char *copy = strdup(nfd_spelling), *save = NULL;
	size_t n = 0;
	regex_t re;

	(void)state;
	assert_int_equal(regcomp(&re, "^[A-Z0-9_]+$", REG_EXTENDED | REG_NOSUB), 0);
	for (const char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		unsigned int hits = 0;

		for (unsigned int id = 0; id < _NFD_X86_MAX; id++)
			if (streq(nfd__x86_feature_name(id), w))
				hits++;
		if (hits != 1)
			fail_msg("NFD name %s is in the table %u times", w, hits);
		n++;
	}
	/* Every table entry is a distinct NFD name, well-formed. */
	assert_int_equal(n, _NFD_X86_MAX);
	for (unsigned int id = 0; id < _NFD_X86_MAX; id++) {
		assert_non_null(nfd__x86_feature_name(id));
		assert_int_equal(regexec(&re, nfd__x86_feature_name(id), 0, NULL, 0), 0);
		for (unsigned int other = id + 1; other < _NFD_X86_MAX; other++)
			assert_string_not_equal(nfd__x86_feature_name(id),
						nfd__x86_feature_name(other));
	}
	assert_null(nfd__x86_feature_name(_NFD_X86_MAX));
	regfree(&re);
	free(copy);
}

/* ---------------------------------------------------------- dump parser */

static void test_parse_format(void **state)
{
	struct nfd_cpuid *c;
	uint32_t r[4];

	(void)state;
	c = parse("# comment\n"
		  "\n"
		  "   CPUID 00000001:0 = 000806f8 00400800 7ffefbff bfebfbff  # trailing\n"
		  "CPUID 0x7:1 = 0x1c30 0 0 0\r\n"
		  "XGETBV 0 = 000602e7 00000001\n"
		  "CPUID\t80000000:00000000 = 80000008 0 0 0");
	assert_true(nfd__cpuid_is_replay(c));
	nfd__cpuid_query(c, 1, 0, r);
	assert_int_equal(r[NFD_EAX], 0x000806f8);
	assert_int_equal(r[NFD_EBX], 0x00400800);
	assert_int_equal(r[NFD_ECX], 0x7ffefbff);
	assert_int_equal(r[NFD_EDX], 0xbfebfbff);
	nfd__cpuid_query(c, 7, 1, r);
	assert_int_equal(r[NFD_EAX], 0x1c30);
	nfd__cpuid_query(c, 0x80000000, 0, r);
	assert_int_equal(r[NFD_EAX], 0x80000008);
	/* Unlisted leaves and subleaves read as zeros. */
	nfd__cpuid_query(c, 7, 0, r);
	assert_true(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
	nfd__cpuid_query(c, 1, 1, r);
	assert_true(r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0);
	assert_true(nfd__cpuid_xcr0(c) == 0x1000602e7ULL);
	nfd__cpuid_free(c);

	c = parse("");
	nfd__cpuid_query(c, 0, 0, r);
	assert_int_equal(r[NFD_EAX], 0);
	assert_true(nfd__cpuid_xcr0(c) == 0);
	nfd__cpuid_free(c);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{"CPUID 1:0 = 1 2 3\n", "test:1:"},
		{"\n# x\nCPUID 1 = 1 2 3 4\n", "test:3:"},
		{"CPUID 1:0 = 1 2 3 4 5\n", "test:1:"},
		{"CPUID 1:0 = 1 2 3 123456789\n", "test:1:"},
		{"CPUID 1:0 = 1 2 3 zz\n", "test:1:"},
		{"CPUID 1:0 1 2 3 4\n", "test:1:"},
		{"cpuid 1:0 = 1 2 3 4\n", "test:1:"},
		{"XGETBV 1 = 0 0\n", "only XGETBV 0"},
		{"XGETBV 0 = 7 0\nXGETBV 0 = 7 0\n", "given twice"},
		{"CPUID 7:0 = 1 2 3 4\nCPUID 00000007:00 = 1 2 3 4\n", "given twice"},
		{"CPUIDX 1:0 = 1 2 3 4\n", "test:1:"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nfd_ctx *ctx = nfd_ctx_new();
		struct nfd_cpuid *c = NULL;

		assert_int_equal(nfd__cpuid_parse(ctx, "test", bad[i].text, &c), -EBADMSG);
		assert_null(c);
		if (!strstr(nfd_ctx_last_error(ctx), bad[i].msg))
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].text,
				 nfd_ctx_last_error(ctx), bad[i].msg);
		nfd_ctx_unref(ctx);
	}
}

/* The live CPU written as a dump and read back detects the same flags. */
static void test_dump_roundtrip(void **state)
{
	struct nfd_x86_info live, replay;
	struct nfd_cpuid *c;
	char *buf = NULL, *a, *b;
	size_t len = 0;
	FILE *f;
	int r;

	(void)state;
	r = nfd__cpuid_new_live(&c);
	if (r == -EOPNOTSUPP)
		nfd_test_skip("no CPUID on this machine");
	assert_int_equal(r, 0);
	assert_false(nfd__cpuid_is_replay(c));
	nfd__x86_detect(c, &live);
	nfd__cpuid_free(c);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(nfd__cpuid_dump_write(f), 0);
	fclose(f);
	detect_text(buf, &replay);
	free(buf);

	a = flag_string(&live);
	b = flag_string(&replay);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "SSE2"));
	assert_string_equal(live.vendor, replay.vendor);
	assert_int_equal(live.family, replay.family);
	assert_int_equal(live.model, replay.model);
	assert_string_equal(live.hypervisor, replay.hypervisor);
	free(a);
	free(b);
}

/* ------------------------------------------------------------ fixtures */

static void test_this_vm(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	detect_fixture("this-vm.dump", &i);
	/*
	 * Cross-checked against the VM's /proc/cpuinfo flags; NFD's list for a
	 * Zen 3 host is a subset (this host is a Zen 4 with AVX-512).
	 * No HTT: 0xB.0 EBX says one thread per core although EDX bit 28 is set.
	 */
	assert_flags(&i, "ADX AESNI AVX AVX2 AVX512BF16 AVX512BITALG AVX512BW AVX512CD "
			 "AVX512DQ AVX512F AVX512IFMA AVX512VBMI AVX512VBMI2 AVX512VL "
			 "AVX512VNNI AVX512VPOPCNTDQ BMI1 BMI2 CETSS CLMUL CLZERO CMOV "
			 "CMPXCHG8 CX16 ERMS F16C FMA3 FP256 FSRM FXSR FXSROPT GFNI "
			 "HYPERVISOR LAHF LZCNT MMX MMXEXT MOVBE MOVU NX OSXSAVE POPCNT PSFD "
			 "RDRAND RDSEED RDTSCP SHA SSE SSE2 SSE3 SSE4 SSE42 SSE4A SSSE3 "
			 "STIBP_ALWAYSON SYSCALL SYSEE TOPEXT TSA_L1_NO TSA_SQ_NO VAES "
			 "VPCLMULQDQ X86_64_V1 X86_64_V2 X86_64_V3 X86_64_V4 X87 XGETBV1 "
			 "XSAVE XSAVEC XSAVEOPT XSAVES");
	assert_string_equal(i.vendor, "AMD");
	assert_int_equal(i.family, 25);
	assert_int_equal(i.model, 17);
	assert_string_equal(i.hypervisor, "kvm");
	assert_int_equal(i.x64_level, 4);
	assert_int_equal(i.avx10_version, 0);
}

static const char spr_common[] =
	"ADX AESNI AVX AVX2 AVXVNNI BHI_CTRL BMI1 BMI2 CETIBT CETSS CLDEMOTE CLMUL CMOV "
	"CMPSB_SCADBS_SHORT CMPXCHG8 CX16 ENQCMD ERMS F16C FLUSH_L1D FMA3 FSRM FXSR FXSROPT "
	"GFNI HLE HTT IA32_ARCH_CAP IA32_CORE_CAP IBPB IDPRED_CTRL LAHF LZCNT MD_CLEAR MMX "
	"MOVBE MOVDIR64B MOVDIRI MOVSB_ZL NX OSXSAVE PCONFIG PMU_FIXEDCOUNTER_CYCLES "
	"PMU_FIXEDCOUNTER_INSTRUCTIONS PMU_FIXEDCOUNTER_REFCYCLES "
	"PMU_FIXEDCOUNTER_TOPDOWN_SLOTS POPCNT PSFD RDRAND RDSEED RDTSCP RRSBA_CTRL RTM "
	"SERIALIZE SGX SGXLC SHA SPEC_CTRL_SSBD SSE SSE2 SSE3 SSE4 SSE42 SSSE3 STIBP "
	"STOSB_SHORT SYSCALL SYSEE TME TSXLDTRK VAES VMX VPCLMULQDQ WAITPKG WBNOINVD";

static void test_spr_amx(void **state)
{
	/* The AVX-512/AMX group, including klauspost's AMXFP8 from leaf 7 ECX bit 3 (PKU). */
	static const char extra[] = "AMXBF16 AMXFP8 AMXINT8 AMXTILE AVX512BF16 AVX512BITALG "
				    "AVX512BW AVX512CD AVX512DQ AVX512F AVX512FP16 AVX512IFMA "
				    "AVX512VBMI AVX512VBMI2 AVX512VL AVX512VNNI AVX512VPOPCNTDQ "
				    "X86_64_V4";
	struct nfd_x86_info i;
	char want[4096], *sorted;

	(void)state;
	detect_fixture("spr-amx.dump", &i);
	snprintf(want, sizeof(want),
		 "%s %s X86_64_V1 X86_64_V2 X86_64_V3 X87 XGETBV1 XSAVE "
		 "XSAVEC XSAVEOPT XSAVES",
		 spr_common, extra);
	sorted = sort_words(want);
	assert_flags(&i, sorted);
	free(sorted);
	assert_string_equal(i.vendor, "Intel");
	assert_int_equal(i.family, 6);
	assert_int_equal(i.model, 143);
	assert_string_equal(i.hypervisor, "none");
	assert_int_equal(i.x64_level, 4);
}

static void test_spr_without_avx512_state(void **state)
{
	struct nfd_x86_info i;
	char want[4096], *sorted;

	(void)state;
	detect_fixture("spr-no-avx512-state.dump", &i);
	/* Same CPUID, but XCR0 lacks opmask/ZMM/tile state: AVX-512, AMX and V4 drop. */
	snprintf(want, sizeof(want),
		 "%s X86_64_V1 X86_64_V2 X86_64_V3 X87 XGETBV1 XSAVE XSAVEC "
		 "XSAVEOPT XSAVES",
		 spr_common);
	sorted = sort_words(want);
	assert_flags(&i, sorted);
	free(sorted);
	assert_int_equal(i.x64_level, 3);
	assert_false(nfd__x86_has(&i, NFD_X86_AVX512F));
	assert_false(nfd__x86_has(&i, NFD_X86_AMXTILE));
	assert_true(nfd__x86_has(&i, NFD_X86_AVX2));
}

/* With XCR0 lacking even the AVX (YMM) state, AVX and all that needs it go too. */
static void test_spr_without_avx_state(void **state)
{
	char *text = read_fixture("spr-amx.dump");
	char *x = strstr(text, "XGETBV 0 = 000602e7");
	struct nfd_x86_info i;

	(void)state;
	assert_non_null(x);
	memcpy(x, "XGETBV 0 = 00000003", strlen("XGETBV 0 = 00000003"));
	detect_text(text, &i);
	free(text);
	assert_false(nfd__x86_has(&i, NFD_X86_AVX));
	assert_false(nfd__x86_has(&i, NFD_X86_AVX2));
	assert_false(nfd__x86_has(&i, NFD_X86_AVXVNNI));
	assert_false(nfd__x86_has(&i, NFD_X86_AVX512F));
	/* FMA3 and BMI need no OS state in klauspost. */
	assert_true(nfd__x86_has(&i, NFD_X86_FMA3));
	assert_true(nfd__x86_has(&i, NFD_X86_BMI2));
	assert_int_equal(i.x64_level, 2);
}

/*
 * klauspost gates AMX with the AVX-512 XCR0 bits only, not TILECFG/TILEDATA
 * (XCR0[18:17]); NFD therefore reports AMX on a kernel without AMX state,
 * and so do we.
 */
static void test_spr_amx_without_tile_state(void **state)
{
	char *text = read_fixture("spr-amx.dump");
	char *x = strstr(text, "XGETBV 0 = 000602e7");
	struct nfd_x86_info i;

	(void)state;
	assert_non_null(x);
	memcpy(x, "XGETBV 0 = 000000e7", strlen("XGETBV 0 = 000000e7"));
	detect_text(text, &i);
	free(text);
	assert_true(nfd__x86_has(&i, NFD_X86_AVX512F));
	assert_true(nfd__x86_has(&i, NFD_X86_AMXTILE));
	assert_true(nfd__x86_has(&i, NFD_X86_AMXINT8));
}

static void test_zen4(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	detect_fixture("zen4-genoa.dump", &i);
	assert_flags(&i, "ADX AESNI AMXFP8 AVX AVX2 AVX512BF16 AVX512BITALG AVX512BW AVX512CD "
			 "AVX512DQ AVX512F AVX512IFMA AVX512VBMI AVX512VBMI2 AVX512VL "
			 "AVX512VNNI AVX512VPOPCNTDQ BMI1 BMI2 CETSS CLMUL CLZERO CMOV "
			 "CMPXCHG8 CPBOOST CPPC CX16 ERMS F16C FMA3 FP256 FSRM FXSR FXSROPT "
			 "GFNI HTT IBPB IBRS IBRS_PREFERRED IBRS_PROVIDES_SMP IBS IBSBRNTRGT "
			 "IBSFETCHSAM IBSFFV IBSOPCNT IBSOPCNTEXT IBSOPSAM IBSRDWROPCNT "
			 "IBSRIPINVALIDCHK IBS_FETCH_CTLX IBS_OPFUSE IBS_PREVENTHOST IBS_ZEN4 "
			 "INVLPGB LAHF LBRVIRT LZCNT MCAOVERFLOW MMX MMXEXT MOVBE MOVU MSRIRC "
			 "MSR_PAGEFLUSH NRIPS NX OSXSAVE POPCNT PPIN PSFD RDPRU RDRAND RDSEED "
			 "RDTSCP SEV SEV_64BIT SEV_ALTERNATIVE SEV_DEBUGSWAP SEV_ES "
			 "SEV_RESTRICTED SEV_SNP SHA SME SME_COHERENT SPEC_CTRL_SSBD SSE SSE2 "
			 "SSE3 SSE4 SSE42 SSE4A SSSE3 STIBP STIBP_ALWAYSON SUCCOR SVM SVMDA "
			 "SVMFBASID SVML SVMNP SVMPF SVMPFT SYSCALL SYSEE TOPEXT TSCRATEMSR "
			 "VAES VMCBCLEAN VMPL VMSA_REGPROT VPCLMULQDQ VTE WBNOINVD X86_64_V1 "
			 "X86_64_V2 X86_64_V3 X86_64_V4 X87 XGETBV1 XSAVE XSAVEC XSAVEOPT "
			 "XSAVES");
	assert_string_equal(i.vendor, "AMD");
	assert_int_equal(i.family, 25);
	assert_int_equal(i.model, 17);
	assert_string_equal(i.hypervisor, "none");
}

static void test_nehalem(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	detect_fixture("nehalem.dump", &i);
	assert_flags(&i, "CMOV CMPXCHG8 CX16 FXSR FXSROPT HTT LAHF MMX NX "
			 "PMU_FIXEDCOUNTER_CYCLES PMU_FIXEDCOUNTER_INSTRUCTIONS "
			 "PMU_FIXEDCOUNTER_REFCYCLES POPCNT RDTSCP SSE SSE2 SSE3 SSE4 SSE42 "
			 "SSSE3 SYSCALL SYSEE VMX X86_64_V1 X86_64_V2 X87");
	assert_int_equal(i.x64_level, 2);
	assert_int_equal(i.family, 6);
	assert_int_equal(i.model, 26);
}

/* A Core 2-like CPU without POPCNT/SSE4.2 is level 1 only. */
static void test_level1_only(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	detect_text("CPUID 0:0 = 0000000a 756e6547 6c65746e 49656e69\n"
		    "CPUID 1:0 = 0001067a 00010800 0008e3bd bfebfbff\n"
		    "CPUID 80000000:0 = 80000008 0 0 0\n"
		    "CPUID 80000001:0 = 0 0 00000001 20100800\n",
		    &i);
	assert_flags(&i, "CMOV CMPXCHG8 CX16 FXSR FXSROPT LAHF MMX NX SSE SSE2 SSE3 SSE4 "
			 "SSSE3 SYSCALL SYSEE VMX X86_64_V1 X87");
	/* No SYSCALL and no SYSEE: no level at all (klauspost's "oneOfLevel"). */
	detect_text("CPUID 0:0 = 00000001 756e6547 6c65746e 49656e69\n"
		    "CPUID 1:0 = 00000633 0 0 0780f3ff\n",
		    &i);
	assert_int_equal(i.x64_level, 0);
	assert_true(nfd__x86_has(&i, NFD_X86_SSE2));
}

/* ----------------------------------------------------- derivation rules */

#define INTEL_0(max) "CPUID 0:0 = " max " 756e6547 6c65746e 49656e69\n"
#define AMD_0(max)   "CPUID 0:0 = " max " 68747541 444d4163 69746e65\n"

static void test_avx10(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	detect_text(INTEL_0("24") "CPUID 1:0 = 000a06d1 0 1c000000 0\n"
				  "CPUID 7:1 = 0 0 0 00080000\n"
				  "CPUID 24:0 = 0 00070002 0 0\n"
				  "XGETBV 0 = 000000e7 0\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_AVX10));
	assert_true(nfd__x86_has(&i, NFD_X86_AVX10_128));
	assert_true(nfd__x86_has(&i, NFD_X86_AVX10_256));
	assert_true(nfd__x86_has(&i, NFD_X86_AVX10_512));
	assert_int_equal(i.avx10_version, 2);

	/* Leaf 0x24 beyond the max basic leaf: no sub-flags and no version. */
	detect_text(INTEL_0("23") "CPUID 1:0 = 000a06d1 0 1c000000 0\n"
				  "CPUID 7:1 = 0 0 0 00080000\n"
				  "CPUID 24:0 = 0 00070002 0 0\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_AVX10));
	assert_false(nfd__x86_has(&i, NFD_X86_AVX10_512));
	assert_int_equal(i.avx10_version, 0);
}

static void test_hypervisor_names(void **state)
{
	static const struct {
		const char *leaf;
		const char *want;
	} cases[] = {
		{"CPUID 40000000:0 = 40000001 4b4d564b 564b4d56 0000004d\n", "kvm"},
		{"CPUID 40000000:0 = 40000001 7263694d 666f736f 76482074\n", "msvm"},
		{"CPUID 40000000:0 = 40000001 54474354 43544743 47435447\n", "qemu"},
		{"CPUID 40000000:0 = 40000001 786f4256 786f4256 786f4256\n", "VBoxVBoxVBox"},
		{"CPUID 40000000:0 = 40000001 206c7270 65707968 20207672\n", "prl_hyperv_"},
		{"", "unknown"},
	};
	struct nfd_x86_info i;
	char text[512];

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		snprintf(text, sizeof(text), INTEL_0("1") "CPUID 1:0 = 0 0 80000000 0\n%s",
			 cases[k].leaf);
		detect_text(text, &i);
		assert_string_equal(i.hypervisor, cases[k].want);
	}
	/* Without the HYPERVISOR bit the leaf is not even looked at. */
	detect_text(INTEL_0("1") "CPUID 40000000:0 = 40000001 4b4d564b 564b4d56 0000004d\n", &i);
	assert_string_equal(i.hypervisor, "none");
}

static void test_vendors(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	/* Hygon: named, but the AMD-only leaves 0x8000001F/0x80000021 are ignored. */
	detect_text("CPUID 0:0 = 0000000d 6f677948 656e6975 6e65476e\n"
		    "CPUID 1:0 = 00900f02 0 0 0\n"
		    "CPUID 80000000:0 = 8000001f 0 0 0\n"
		    "CPUID 8000001f:0 = 0000000f 0 0 0\n",
		    &i);
	assert_string_equal(i.vendor, "Hygon");
	assert_int_equal(i.family, 0x18);
	assert_false(nfd__x86_has(&i, NFD_X86_SEV));
	assert_false(nfd__x86_has(&i, NFD_X86_TSA_L1_NO));

	detect_text("CPUID 0:0 = 00000001 69727943 64616574 736e4978\n", &i);
	assert_string_equal(i.vendor, "VendorUnknown");

	/* Max basic leaf 0: klauspost reports nothing, not even extended leaves. */
	detect_text("CPUID 0:0 = 0 756e6547 6c65746e 49656e69\n"
		    "CPUID 80000000:0 = 80000001 0 0 0\n"
		    "CPUID 80000001:0 = 0 0 1 00100800\n",
		    &i);
	assert_flags(&i, "");
	assert_int_equal(i.family, 0);
	assert_string_equal(i.vendor, "Intel");
}

static void test_quirks(void **state)
{
	struct nfd_x86_info i;

	(void)state;
	/* AVXSLOW: Sandy Bridge (family 6 model 42) with OS-enabled AVX. */
	detect_text(INTEL_0("d") "CPUID 1:0 = 000206a7 0 1c000000 0\nXGETBV 0 = 7 0\n", &i);
	assert_true(nfd__x86_has(&i, NFD_X86_AVX));
	assert_true(nfd__x86_has(&i, NFD_X86_AVXSLOW));

	/* TSA_*_NO implied on AMD before family 0x19, and for family 0x1A model 0x44. */
	detect_text(AMD_0("d") "CPUID 1:0 = 00830f10 0 0 0\n", &i);
	assert_true(nfd__x86_has(&i, NFD_X86_TSA_L1_NO));
	assert_true(nfd__x86_has(&i, NFD_X86_TSA_SQ_NO));
	detect_text(AMD_0("d") "CPUID 1:0 = 00b40f00 0 0 0\n", &i);
	assert_int_equal(i.family, 0x1a);
	assert_int_equal(i.model, 0x40);
	assert_true(nfd__x86_has(&i, NFD_X86_TSA_SQ_NO));
	detect_text(AMD_0("d") "CPUID 1:0 = 00b50f00 0 0 0\n", &i);
	assert_false(nfd__x86_has(&i, NFD_X86_TSA_SQ_NO));

	/* TDX guest by leaf 0x21, and by Hyper-V's isolation leaf. */
	detect_text(INTEL_0("21") "CPUID 1:0 = 0 0 0 0\n"
				  "CPUID 21:0 = 0 65746e49 20202020 5844546c\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_TDX_GUEST));
	detect_text(INTEL_0("20") "CPUID 1:0 = 0 0 0 0\nCPUID 4000000c:0 = 0 00000be3 0 0\n", &i);
	assert_true(nfd__x86_has(&i, NFD_X86_TDX_GUEST));
	detect_text(INTEL_0("1f") "CPUID 1:0 = 0 0 0 0\nCPUID 4000000c:0 = 0 00000be3 0 0\n", &i);
	assert_false(nfd__x86_has(&i, NFD_X86_TDX_GUEST));

	/* PMU: a set EBX bit hides that fixed counter. */
	detect_text(INTEL_0("a") "CPUID 1:0 = 0 0 0 0\nCPUID a:0 = 00000005 00000002 0 00000004\n",
		    &i);
	assert_flags(&i, "PMU_FIXEDCOUNTER_INSTRUCTIONS PMU_FIXEDCOUNTER_REFCYCLES "
			 "PMU_FIXEDCOUNTER_TOPDOWN_SLOTS");

	/* HTT on Intel before leaf 0xB: logical count / cores from leaf 4. */
	detect_text(INTEL_0("5") "CPUID 1:0 = 0 00080000 0 10000000\n"
				 "CPUID 4:0 = 0c000000 0 0 0\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_HTT));
	detect_text(INTEL_0("5") "CPUID 1:0 = 0 00040000 0 10000000\n"
				 "CPUID 4:0 = 0c000000 0 0 0\n",
		    &i);
	assert_false(nfd__x86_has(&i, NFD_X86_HTT));

	/* HTT on AMD Zen: 0xB.0 EBX is 0, threads come from 0x8000001E EBX[15:8] + 1. */
	detect_text(AMD_0("d") "CPUID 1:0 = 00800f12 0 0 10000000\n"
			       "CPUID 80000000:0 = 8000001e 0 0 0\n"
			       "CPUID 8000001e:0 = 0 00000100 0 0\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_HTT));
	detect_text(AMD_0("d") "CPUID 1:0 = 00800f12 0 0 10000000\n"
			       "CPUID 80000000:0 = 8000001e 0 0 0\n"
			       "CPUID 8000001e:0 = 0 00000000 0 0\n",
		    &i);
	assert_false(nfd__x86_has(&i, NFD_X86_HTT));
	/* ... and before family 0x17 AMD never gets HTT this way. */
	detect_text(AMD_0("d") "CPUID 1:0 = 00600f12 0 0 10000000\n"
			       "CPUID 80000000:0 = 8000001e 0 0 0\n"
			       "CPUID 8000001e:0 = 0 00000100 0 0\n",
		    &i);
	assert_false(nfd__x86_has(&i, NFD_X86_HTT));

	/* XOP/FMA4 need AVX; SVM sub-features need SVM; LZCNT also sets POPCNT. */
	detect_text(AMD_0("d") "CPUID 1:0 = 00600f12 0 0 0\n"
			       "CPUID 80000000:0 = 8000000a 0 0 0\n"
			       "CPUID 80000001:0 = 0 0 00010820 0\n"
			       "CPUID 8000000a:0 = 0 0 0 00000001\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_LZCNT));
	assert_true(nfd__x86_has(&i, NFD_X86_POPCNT));
	assert_false(nfd__x86_has(&i, NFD_X86_XOP));
	assert_false(nfd__x86_has(&i, NFD_X86_FMA4));
	assert_false(nfd__x86_has(&i, NFD_X86_SVMNP));

	/* KEYLOCKERW needs both bits of leaf 0x19 EBX. */
	detect_text(INTEL_0("19") "CPUID 1:0 = 0 0 0 0\n"
				  "CPUID 7:0 = 0 0 00800000 0\n"
				  "CPUID 19:0 = 0 00000005 0 0\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_KEYLOCKERW));
	detect_text(INTEL_0("19") "CPUID 1:0 = 0 0 0 0\n"
				  "CPUID 7:0 = 0 0 00800000 0\n"
				  "CPUID 19:0 = 0 00000001 0 0\n",
		    &i);
	assert_false(nfd__x86_has(&i, NFD_X86_KEYLOCKERW));
	/* SGXPQC: leaf 0x12 is read even past the max basic leaf, as klauspost does. */
	detect_text(INTEL_0("7") "CPUID 1:0 = 0 0 0 0\n"
				 "CPUID 7:0 = 0 00000004 0 0\n"
				 "CPUID 12:0 = 00001000 0 0 0\n",
		    &i);
	assert_true(nfd__x86_has(&i, NFD_X86_SGX));
	assert_true(nfd__x86_has(&i, NFD_X86_SGXPQC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_nfd),
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_dump_roundtrip),
		cmocka_unit_test(test_this_vm),
		cmocka_unit_test(test_spr_amx),
		cmocka_unit_test(test_spr_without_avx512_state),
		cmocka_unit_test(test_spr_without_avx_state),
		cmocka_unit_test(test_spr_amx_without_tile_state),
		cmocka_unit_test(test_zen4),
		cmocka_unit_test(test_nehalem),
		cmocka_unit_test(test_level1_only),
		cmocka_unit_test(test_avx10),
		cmocka_unit_test(test_hypervisor_names),
		cmocka_unit_test(test_vendors),
		cmocka_unit_test(test_quirks),
	};

	return nfd_test_result(cmocka_run_group_tests(tests, NULL, NULL));
}
