/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cpu source through nfd_discover(): fixture sysfs trees
 * (tests/fixtures/roots/cpu-*) with replayed CPUID dumps, partial failure,
 * the live host (cross-checked against /proc/cpuinfo and, when built with
 * it, libcpuid), and the hwcap/auxv tables used on other architectures.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/skip-test.h"
#if HAVE_LIBCPUID
#include <libcpuid.h>
#endif

#include "libnfd/discovery/cpuid.h"
#include "shared/util.h"

static char warnings[8192];

static _printf_(6, 0) void log_collect(void *userdata, int priority, const char *file, int line,
				       const char *fn, const char *format, va_list args)
{
	size_t len = strlen(warnings);

	(void)userdata;
	(void)file;
	(void)line;
	(void)fn;
	if (priority > LOG_WARNING || len + 2 >= sizeof(warnings))
		return;
	vsnprintf(warnings + len, sizeof(warnings) - len - 1, format, args);
	strcat(warnings, "\n");
}

static const char *srcdir(void)
{
	const char *top = getenv("NFD_TOP_SRCDIR");

	return top ? top : ".";
}

/* Discover the cpu source with an optional root and dump (relative to the fixtures). */
static struct nfd_features *discover_cpu(const char *root, const char *dump)
{
	const char *const sources[] = {"cpu", NULL};
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f = NULL;
	char path[4096];

	assert_non_null(ctx);
	warnings[0] = '\0';
	nfd_ctx_set_log_fn(ctx, log_collect, NULL);
	nfd_ctx_set_log_priority(ctx, LOG_WARNING);
	if (root) {
		if (getenv("NFD_FIXTURE_ROOTS"))
			snprintf(path, sizeof(path), "%s/%s", getenv("NFD_FIXTURE_ROOTS"), root);
		else
			snprintf(path, sizeof(path), "%s/tests/fixtures/roots/%s", srcdir(), root);
		assert_int_equal(nfd_ctx_set_root(ctx, path), 0);
	}
	if (dump) {
		if (dump[0] == '/')
			snprintf(path, sizeof(path), "%s", dump);
		else
			snprintf(path, sizeof(path), "%s/tests/fixtures/cpuid/%s", srcdir(), dump);
		assert_int_equal(nfd_ctx_set_cpuid_dump(ctx, path), 0);
	}
	assert_int_equal(nfd_discover(ctx, sources, &f), 0);
	nfd_ctx_unref(ctx);
	return f;
}

/* All attributes of a feature as "k=v k=v" (sorted), or "(absent)". */
static char *attrs(const struct nfd_features *f, const char *feature)
{
	struct nfd_iter *it = NULL;
	const char *k, *v;
	char *out = calloc(1, 4096);

	assert_non_null(out);
	if (nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, feature) != 1) {
		strcpy(out, "(absent)");
		return out;
	}
	assert_int_equal(nfd_features_iter_attributes(f, feature, &it), 0);
	while (nfd_iter_next(it, &k, &v) > 0) {
		if (out[0])
			strcat(out, " ");
		strcat(out, k);
		strcat(out, "=");
		strcat(out, v);
	}
	nfd_iter_free(it);
	return out;
}

#define assert_attrs(f, feature, want)                                                             \
	do {                                                                                       \
		char *_got = attrs(f, feature);                                                    \
		assert_string_equal(_got, want);                                                   \
		free(_got);                                                                        \
	} while (0)

/* ------------------------------------------------------ fixture roots */

static void test_intel_root(void **state)
{
	struct nfd_features *f;

	(void)state;
	f = discover_cpu("cpu-intel", "spr-amx.dump");
	assert_attrs(f, "cpu.model", "family=6 hypervisor=none id=143 vendor_id=Intel");
	assert_attrs(f, "cpu.cstate", "enabled=true");
	/* policy1 has no CPUs and is ignored, so the others agree on "performance". */
	assert_attrs(f, "cpu.pstate", "scaling_governor=performance status=active turbo=true");
	assert_attrs(f, "cpu.topology", "hardware_multithreading=true socket_count=2");
	/* cpu2's 2100 MHz base is above leaf 0x16's nominal 2000 MHz. */
	assert_attrs(f, "cpu.sst", "bf.enabled=true");
	assert_attrs(f, "cpu.rdt",
		     "RDTCMT=true RDTL3CA=true RDTL3CA_NUM_CLOSID=15 RDTMBA=true "
		     "RDTMBM=true RDTMON=true");
	assert_attrs(f, "cpu.security",
		     "sgx.enabled=true sgx.epc=4257218560 tdx.enabled=true "
		     "tdx.total_keys=31");
	assert_attrs(f, "cpu.cpuid", "");
	assert_attrs(f, "cpu.coprocessor", "");
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "AMXTILE"), 1);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "X86_64_V4"), 1);
	assert_string_equal(warnings, "");
	nfd_features_unref(f);
}

static void test_amd_root(void **state)
{
	struct nfd_features *f;

	(void)state;
	f = discover_cpu("cpu-amd", "zen4-genoa.dump");
	assert_attrs(f, "cpu.model", "family=25 hypervisor=none id=17 vendor_id=AMD");
	/* acpi_idle, no intel_pstate, no base_frequency: the empty sets NFD emits. */
	assert_attrs(f, "cpu.cstate", "");
	assert_attrs(f, "cpu.pstate", "");
	assert_attrs(f, "cpu.sst", "");
	assert_attrs(f, "cpu.topology", "hardware_multithreading=false socket_count=2");
	assert_attrs(f, "cpu.rdt", "RDTCMT=true RDTL3CA=true RDTMBM=true RDTMON=true");
	/* cgroup v1 misc path; sev_snp is "N". */
	assert_attrs(f, "cpu.security",
		     "sev.asids=509 sev.enabled=true "
		     "sev.encrypted_state_ids=10 sev.es.enabled=true");
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "SEV_SNP"), 1);
	assert_string_equal(warnings, "");
	nfd_features_unref(f);
}

static void test_partial_root(void **state)
{
	struct nfd_features *f;

	(void)state;
	f = discover_cpu("cpu-partial", "nehalem.dump");
	/* max_cstate is not a number: NFD leaves cpu.cstate out. */
	assert_attrs(f, "cpu.cstate", "(absent)");
	/* passive: status and turbo only. */
	assert_attrs(f, "cpu.pstate", "status=passive turbo=false");
	/* cpu1 has no physical_package_id: the whole set is {}. */
	assert_attrs(f, "cpu.topology", "");
	assert_attrs(f, "cpu.sst", "");
	assert_attrs(f, "cpu.rdt", "");
	assert_attrs(f, "cpu.security", "");
	assert_attrs(f, "cpu.model", "family=6 hypervisor=none id=26 vendor_id=Intel");
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "X86_64_V2"), 1);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "X86_64_V3"), 0);
	assert_non_null(strstr(warnings, "max_cstate"));
	assert_non_null(strstr(warnings, "cpu1/topology/physical_package_id"));
	assert_non_null(strstr(warnings, "base_frequency"));
	nfd_features_unref(f);
}

/* No sysfs at all: cstate is absent (NFD's error), the rest are empty sets. */
static void test_empty_root(void **state)
{
	struct nfd_features *f;

	(void)state;
	f = discover_cpu("does-not-exist", "spr-amx.dump");
	assert_attrs(f, "cpu.cstate", "(absent)");
	assert_attrs(f, "cpu.pstate", "");
	assert_attrs(f, "cpu.topology", "");
	assert_attrs(f, "cpu.sst", "");
	/* The CPUID halves still report. */
	assert_attrs(f, "cpu.rdt", "RDTCMT=true RDTL3CA=true RDTMBA=true RDTMBM=true RDTMON=true");
	assert_attrs(f, "cpu.security", "sgx.enabled=true sgx.epc=4257218560");
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "AVX512F"), 1);
	nfd_features_unref(f);
}

/* A dump that cannot be read fails the discovery: it is the caller's setting. */
static void test_bad_dump(void **state)
{
	const char *const sources[] = {"cpu", NULL};
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f = NULL;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fixtures/cpuid/no-such.dump", srcdir());
	assert_int_equal(nfd_ctx_set_cpuid_dump(ctx, path), 0);
	assert_int_equal(nfd_discover(ctx, sources, &f), -ENOENT);
	assert_null(f);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "no-such.dump"));
	/* a device is no dump: refused, not read forever */
	assert_int_equal(nfd_ctx_set_cpuid_dump(ctx, "/dev/zero"), 0);
	assert_int_equal(nfd_discover(ctx, sources, &f), -EINVAL);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "not a regular file"));
	/* without the cpu source the dump is not needed */
	{
		const char *const mem[] = {"memory", NULL};

		assert_int_equal(nfd_discover(ctx, mem, &f), 0);
		nfd_features_unref(f);
	}
	nfd_ctx_unref(ctx);
}

/* Changing the dump on one context replays the new one (the provider is cached). */
static void test_dump_switch(void **state)
{
	const char *const sources[] = {"cpu", NULL};
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f = NULL;
	char path[4096];

	(void)state;
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	snprintf(path, sizeof(path), "%s/tests/fixtures/cpuid/spr-amx.dump", srcdir());
	assert_int_equal(nfd_ctx_set_cpuid_dump(ctx, path), 0);
	assert_int_equal(nfd_discover(ctx, sources, &f), 0);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "AMXTILE"), 1);
	nfd_features_unref(f);
	/* Twice with the same dump: same answer from the cached provider. */
	assert_int_equal(nfd_discover(ctx, sources, &f), 0);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "AMXTILE"), 1);
	nfd_features_unref(f);

	snprintf(path, sizeof(path), "%s/tests/fixtures/cpuid/nehalem.dump", srcdir());
	assert_int_equal(nfd_ctx_set_cpuid_dump(ctx, path), 0);
	assert_int_equal(nfd_discover(ctx, sources, &f), 0);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "AMXTILE"), 0);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "SSE42"), 1);
	nfd_features_unref(f);
	nfd_ctx_unref(ctx);
}

/* ------------------------------------------------------------- live */

/* The value of "key" in /proc/cpuinfo's first block, or NULL. */
static char *cpuinfo_value(const char *buf, const char *key)
{
	for (const char *line = buf; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char *l = memdup_str(line, len), *colon;

		line = eol ? eol + 1 : NULL;
		assert_non_null(l);
		colon = strchr(l, ':');
		if (colon) {
			*colon = '\0';
			if (streq(strstrip(l), key)) {
				char *v = strdup(strstrip(colon + 1));

				free(l);
				return v;
			}
		}
		free(l);
	}
	return NULL;
}

static void test_live(void **state)
{
	/* /proc/cpuinfo flag => NFD flag; the kernel only lists what it enabled. */
	static const char *const map[][2] = {
		{"fpu", "X87"},
		{"cx8", "CMPXCHG8"},
		{"cmov", "CMOV"},
		{"mmx", "MMX"},
		{"fxsr", "FXSR"},
		{"sse", "SSE"},
		{"sse2", "SSE2"},
		{"pni", "SSE3"},
		{"ssse3", "SSSE3"},
		{"sse4_1", "SSE4"},
		{"sse4_2", "SSE42"},
		{"cx16", "CX16"},
		{"popcnt", "POPCNT"},
		{"movbe", "MOVBE"},
		{"aes", "AESNI"},
		{"pclmulqdq", "CLMUL"},
		{"avx", "AVX"},
		{"avx2", "AVX2"},
		{"fma", "FMA3"},
		{"f16c", "F16C"},
		{"bmi1", "BMI1"},
		{"bmi2", "BMI2"},
		{"abm", "LZCNT"},
		{"lahf_lm", "LAHF"},
		{"rdrand", "RDRAND"},
		{"rdseed", "RDSEED"},
		{"adx", "ADX"},
		{"sha_ni", "SHA"},
		{"avx512f", "AVX512F"},
		{"avx512dq", "AVX512DQ"},
		{"avx512bw", "AVX512BW"},
		{"avx512vl", "AVX512VL"},
		{"avx512cd", "AVX512CD"},
		{"gfni", "GFNI"},
		{"vaes", "VAES"},
		{"vpclmulqdq", "VPCLMULQDQ"},
		{"erms", "ERMS"},
		{"fsrm", "FSRM"},
		{"xsave", "XSAVE"},
		{"xsaveopt", "XSAVEOPT"},
		{"xsavec", "XSAVEC"},
		{"xsaves", "XSAVES"},
		{"hypervisor", "HYPERVISOR"},
		{"nx", "NX"},
		{"rdtscp", "RDTSCP"},
		{"syscall", "SYSCALL"},
		{"sse4a", "SSE4A"},
		{"clzero", "CLZERO"},
	};
	struct nfd_features *f;
	char *cpuinfo = NULL, *vendor = NULL, *family = NULL, *flags = NULL, *padded = NULL;
	const char *v = NULL;

	(void)state;
#if !(defined(__x86_64__) || defined(__i386__))
	nfd_test_skip("not an x86 machine");
#endif
	if (read_file("/proc/cpuinfo", 8 << 20, &cpuinfo, NULL) < 0)
		nfd_test_skip("/proc/cpuinfo is unreadable");
	f = discover_cpu(NULL, NULL);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "SSE2"), 1);
	assert_int_equal(nfd_features_has_flag(f, "cpu.cpuid", "X86_64_V1"), 1);

	/*
	 * Valgrind executes CPUID on a synthetic CPU of its own, so the kernel's
	 * view of the real one cannot match; libcpuid (below) sees the same CPUID.
	 */
	if (getenv("LD_PRELOAD") && strstr(getenv("LD_PRELOAD"), "vgpreload"))
		goto oracle;

	vendor = cpuinfo_value(cpuinfo, "vendor_id");
	family = cpuinfo_value(cpuinfo, "cpu family");
	flags = cpuinfo_value(cpuinfo, "flags");
	assert_non_null(vendor);
	assert_non_null(family);
	assert_non_null(flags);
	assert_int_equal(nfd_features_get_attribute(f, "cpu.model", "vendor_id", &v), 0);
	if (streq(vendor, "GenuineIntel"))
		assert_string_equal(v, "Intel");
	else if (streq(vendor, "AuthenticAMD"))
		assert_string_equal(v, "AMD");
	else if (streq(vendor, "HygonGenuine"))
		assert_string_equal(v, "Hygon");
	assert_int_equal(nfd_features_get_attribute(f, "cpu.model", "family", &v), 0);
	assert_string_equal(v, family);
	assert_int_equal(nfd_features_get_attribute(f, "cpu.model", "hypervisor", &v), 0);
	if (asprintf(&padded, " %s ", flags) < 0)
		fail();
	if (strstr(padded, " hypervisor "))
		assert_string_not_equal(v, "none");
	else
		assert_string_equal(v, "none");
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		char word[64];

		snprintf(word, sizeof(word), " %s ", map[i][0]);
		if (strstr(padded, word) && nfd_features_has_flag(f, "cpu.cpuid", map[i][1]) != 1)
			fail_msg("/proc/cpuinfo has %s but cpu.cpuid lacks %s", map[i][0],
				 map[i][1]);
	}

oracle:
#if HAVE_LIBCPUID
	/* libcpuid as an independent oracle for family and model (ext_family/ext_model). */
	{
		struct cpu_raw_data_t raw;
		struct cpu_id_t id;
		char buf[32];

		if (cpuid_get_raw_data(&raw) == 0 && cpu_identify(&raw, &id) == 0) {
			snprintf(buf, sizeof(buf), "%d", id.ext_family);
			assert_int_equal(nfd_features_get_attribute(f, "cpu.model", "family", &v),
					 0);
			assert_string_equal(v, buf);
			snprintf(buf, sizeof(buf), "%d", id.ext_model);
			assert_int_equal(nfd_features_get_attribute(f, "cpu.model", "id", &v), 0);
			assert_string_equal(v, buf);
		}
	}
#endif
	free(padded);
	free(vendor);
	free(family);
	free(flags);
	free(cpuinfo);
	nfd_features_unref(f);
}

/* ----------------------------------------------------- other arches */

static void test_hwcap_tables(void **state)
{
	static const struct {
		enum nfd_hwcap_arch arch;
		int which;
		unsigned int count;
		unsigned int bit;
		const char *name;
	} cases[] = {
		{NFD_HWCAP_ARM64, 1, 32, 0, "FP"},
		{NFD_HWCAP_ARM64, 1, 32, 11, "CPUID"},
		{NFD_HWCAP_ARM64, 1, 32, 31, "PACG"},
		{NFD_HWCAP_ARM64, 2, 34, 1, "SVE2"},
		{NFD_HWCAP_ARM64, 2, 34, 33, "SVEEBF16"},
		{NFD_HWCAP_ARM, 1, 22, 12, "NEON"},
		{NFD_HWCAP_ARM, 2, 5, 4, "CRC32"},
		{NFD_HWCAP_PPC64LE, 1, 28, 31, "PPC32"},
		{NFD_HWCAP_PPC64LE, 1, 28, 6, "ARCHPMU"},
		{NFD_HWCAP_PPC64LE, 1, 28, 0, "PPCLE"},
		{NFD_HWCAP_PPC64LE, 2, 15, 17, "MMA"},
		{NFD_HWCAP_PPC64LE, 2, 15, 24, "HTM-NOSC"},
		{NFD_HWCAP_S390X, 1, 23, 7, "EDAT"},
		{NFD_HWCAP_S390X, 1, 23, 22, "SIE"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int n = 0;

		assert_string_equal(nfd__hwcap_name(cases[i].arch, cases[i].which, cases[i].bit),
				    cases[i].name);
		/* Count the named bits and check no name repeats within one word. */
		for (unsigned int b = 0; b < 64; b++) {
			const char *x = nfd__hwcap_name(cases[i].arch, cases[i].which, b);

			if (!x)
				continue;
			n++;
			for (unsigned int o = b + 1; o < 64; o++) {
				const char *y = nfd__hwcap_name(cases[i].arch, cases[i].which, o);

				assert_true(!y || !streq(x, y));
			}
		}
		assert_int_equal(n, cases[i].count);
	}
	assert_null(nfd__hwcap_name(NFD_HWCAP_PPC64LE, 1, 2));
	assert_null(nfd__hwcap_name(NFD_HWCAP_S390X, 2, 0));
	assert_null(nfd__hwcap_name(NFD_HWCAP_ARM64, 3, 0));
}

static void test_auxv(void **state)
{
	const unsigned long good[] = {6, 4096, 16, 0x5, 26, 0x2, 0, 0, 16, 0xffff};
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	unsigned long hwcap = 1, hwcap2 = 1;
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f;
	struct nfd_iter *it;
	const char *k, *v;
	char got[256] = "";
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/nfd-auxv-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, good, sizeof(good)), (ssize_t)sizeof(good));
	close(fd);
	/* Entries after AT_NULL are not read. */
	assert_int_equal(nfd__auxv_read(ctx, path, &hwcap, &hwcap2), 0);
	assert_int_equal(hwcap, 0x5);
	assert_int_equal(hwcap2, 0x2);

	assert_int_equal(nfd_features_new(ctx, &f), 0);
	assert_int_equal(nfd__hwcap_add_flags(f, NFD_HWCAP_ARM64, hwcap, hwcap2 | (1UL << 40)), 0);
	assert_int_equal(nfd_features_iter_flags(f, "cpu.cpuid", &it), 0);
	while (nfd_iter_next(it, &k, &v) > 0) {
		strcat(got, k);
		strcat(got, " ");
	}
	nfd_iter_free(it);
	assert_string_equal(got, "EVTSTRM FP SVE2 ");
	nfd_features_unref(f);
	nfd_ctx_unref(ctx);

	/* Not a whole number of (type, value) pairs. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, good, 3), 3);
	close(fd);
	ctx = nfd_ctx_new();
	assert_int_equal(nfd__auxv_read(ctx, path, &hwcap, &hwcap2), -EBADMSG);
	unlink(path);
	assert_int_equal(nfd__auxv_read(ctx, path, &hwcap, &hwcap2), -ENOENT);
	nfd_ctx_unref(ctx);
}

static void test_sanitize(void **state)
{
	char a[] = "IBM/S390", b[] = "a  b//c", c[] = "", d[] = "ok-1_2.3", e[] = "  x";

	(void)state;
	nfd__cpu_sanitize(a);
	nfd__cpu_sanitize(b);
	nfd__cpu_sanitize(c);
	nfd__cpu_sanitize(d);
	nfd__cpu_sanitize(e);
	assert_string_equal(a, "IBM_S390");
	assert_string_equal(b, "a_b_c");
	assert_string_equal(c, "");
	assert_string_equal(d, "ok-1_2.3");
	assert_string_equal(e, "_x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_root),   cmocka_unit_test(test_amd_root),
		cmocka_unit_test(test_partial_root), cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_bad_dump),     cmocka_unit_test(test_dump_switch),
		cmocka_unit_test(test_live),	     cmocka_unit_test(test_hwcap_tables),
		cmocka_unit_test(test_auxv),	     cmocka_unit_test(test_sanitize),
	};

	return nfd_test_result(cmocka_run_group_tests(tests, NULL, NULL));
}
