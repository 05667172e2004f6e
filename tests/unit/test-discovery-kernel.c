/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel source over scratch roots: NFD's osrelease sanitising and
 * version split, the kconfig search order and value parsing, module lists
 * (built-in names keep their dashes; libkmod's modules.builtin.bin
 * fallback), selinux and kvm.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if HAVE_ZLIB
#include <zlib.h> /* the tests write gzip files with it */
#endif

#include <cmocka.h>

#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

static const char *const kernel_only[] = {"kernel", NULL};

static struct nfd_features *kernel_with_release(char *d, const char *osrelease)
{
	put_file(d, "proc/sys/kernel/osrelease", osrelease);
	return discover_root(ctx, d, kernel_only);
}

static void test_version(void **state)
{
	static const struct {
		const char *osrelease, *full, *major, *minor, *revision;
	} cases[] = {
		{"6.2.3\n", "6.2.3", "6", "2", "3"},
		{"6.8", "6.8", "6", "8", ""},
		{"6.0.10-100+123.x86_64~\n", "6.0.10-100_123.x86_64", "6", "0", "10"},
		{"6.1.0_rc1", "6.1.0_rc1", NULL, NULL, NULL},
		{"  5.15.0-91-generic  \n", "5.15.0-91-generic", "5", "15", "0"},
		{"--6.5.0-rc2.-", "6.5.0-rc2", "6", "5", "0"},
		{"6.2.3.4", "6.2.3.4", NULL, NULL, NULL},
		{"6", "6", "6", "", ""},
		{"v6.1", "v6.1", NULL, NULL, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *d = scratch_dir();
		struct nfd_features *f = kernel_with_release(d, cases[i].osrelease);
		const char *v;

		assert_string_equal(attr(f, "kernel.version", "full"), cases[i].full);
		v = attr(f, "kernel.version", "major");
		if (cases[i].major) {
			assert_non_null(v);
			assert_string_equal(v, cases[i].major);
			assert_string_equal(attr(f, "kernel.version", "minor"), cases[i].minor);
			assert_string_equal(attr(f, "kernel.version", "revision"),
					    cases[i].revision);
		} else {
			assert_null(v);
			assert_null(attr(f, "kernel.version", "minor"));
		}
		nfd_features_unref(f);
		scratch_remove(d);
	}
}

#if HAVE_ZLIB
static void put_gzip(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	gzFile gz;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	put_file(dir, rel, ""); /* parent directories */
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzputs(gz, content), (int)strlen(content));
	assert_int_equal(gzclose(gz), Z_OK);
}
#endif

static void test_kconfig(void **state)
{
	char *d = scratch_dir();
	struct nfd_features *f;

	/* later entries of the search list lose against earlier ones */
	put_file(d, "boot/config-6.1.0-test", "CONFIG_FROM=boot\n");
	put_file(d, "usr/lib/modules/6.1.0-test/config", "CONFIG_FROM=usrlib\n");
	f = kernel_with_release(d, "6.1.0-test\n");
	assert_string_equal(attr(f, "kernel.config", "FROM"), "usrlib");
	nfd_features_unref(f);

#if HAVE_ZLIB
	put_gzip(d, "proc/config.gz",
		 "#\n# Linux Kernel Configuration\n#\nCONFIG_FROM=proc\nCONFIG_NO_HZ=y\n"
		 "CONFIG_KVM=m\n# CONFIG_PREEMPT is not set\nCONFIG_LOCALVERSION=\"-test\"\n"
		 "CONFIG_DEFAULT_INIT=\"\"\nCONFIG_CMDLINE=\"a=\\\"b\\\" c\"\nCONFIG_EQ=a=b\n"
		 "CONFIG_BROKEN\n NOT_CONFIG_X=y\n");
	f = kernel_with_release(d, "6.1.0-test\n");
	assert_string_equal(attr(f, "kernel.config", "FROM"), "proc");
	/* y and m stay as they are; quotes are trimmed at both ends only */
	assert_string_equal(attr(f, "kernel.config", "NO_HZ"), "y");
	assert_string_equal(attr(f, "kernel.config", "KVM"), "m");
	assert_null(attr(f, "kernel.config", "PREEMPT"));
	assert_string_equal(attr(f, "kernel.config", "LOCALVERSION"), "-test");
	assert_string_equal(attr(f, "kernel.config", "DEFAULT_INIT"), "");
	assert_string_equal(attr(f, "kernel.config", "CMDLINE"), "a=\\\"b\\\" c");
	assert_string_equal(attr(f, "kernel.config", "EQ"), "a=b");
	assert_null(attr(f, "kernel.config", "BROKEN"));
	nfd_features_unref(f);
#endif

	/* no osrelease: only the entries without a release are tried */
	{
		char *e = scratch_dir();

		put_file(e, "boot/config-", "CONFIG_FROM=boot\n");
		put_file(e, "usr/src/linux/.config", "CONFIG_FROM=usrsrc\n");
		f = discover_root(ctx, e, kernel_only);
		assert_null(attr(f, "kernel.version", "full"));
		assert_string_equal(attr(f, "kernel.config", "FROM"), "usrsrc");
		nfd_features_unref(f);
		scratch_remove(e);
	}
	scratch_remove(d);
}

#if HAVE_ZLIB
/* content as gzip members of the given sizes, one after another (gzip -c a b > c) */
static void put_gzip_members(const char *dir, const char *rel, const char *content,
			     const size_t *sizes)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	put_file(dir, rel, "");
	for (size_t off = 0; *sizes; off += *sizes++) {
		gzFile gz = gzopen(path, "ab");

		assert_non_null(gz);
		assert_int_equal(gzwrite(gz, content + off, (unsigned)*sizes), (int)*sizes);
		assert_int_equal(gzclose(gz), Z_OK);
	}
}

/*
 * The buffer for /proc/config.gz is sized from the gzip trailer, which
 * gives the size of the last member only: a short hint (two members) and
 * a config larger than the first guess without one both read whole.
 */
static void test_kconfig_gzip_sizes(void **state)
{
	enum { N = 12000 };
	char *d = scratch_dir(), *text = malloc(N * 32), *p = text;
	struct nfd_features *f;
	size_t two[] = {0, 0, 0}, one[] = {0, 0};

	assert_non_null(text);
	for (int i = 0; i < N; i++)
		p += sprintf(p, "CONFIG_OPTION_%05d=%d\n", i, i);
	one[0] = (size_t)(p - text); /* about 300 KiB */
	two[0] = one[0] - 26 * 10;   /* the last ten lines in a member of their own */
	two[1] = 26 * 10;

	put_gzip_members(d, "proc/config.gz", text, two);
	f = kernel_with_release(d, "6.1.0-test\n");
	assert_string_equal(attr(f, "kernel.config", "OPTION_00000"), "0");
	assert_string_equal(attr(f, "kernel.config", "OPTION_11989"), "11989");
	assert_string_equal(attr(f, "kernel.config", "OPTION_11999"), "11999");
	nfd_features_unref(f);

	put_gzip_members(d, "proc/config.gz", text, one);
	f = kernel_with_release(d, "6.1.0-test\n");
	assert_string_equal(attr(f, "kernel.config", "OPTION_05000"), "5000");
	assert_string_equal(attr(f, "kernel.config", "OPTION_11999"), "11999");
	nfd_features_unref(f);
	free(text);
	scratch_remove(d);
}

/* bytes (with NULs) into dir/rel */
static void put_bytes(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	put_file(dir, rel, "");
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* the gzip file put_gzip() writes for content, in memory (*len bytes; free()) */
static unsigned char *gzip_bytes(const char *dir, const char *content, size_t *len)
{
	char path[4096];
	unsigned char *buf = malloc(1 << 20);
	FILE *f;

	assert_non_null(buf);
	put_gzip(dir, "tmp.gz", content);
	snprintf(path, sizeof(path), "%s/tmp.gz", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/*
 * /proc/config.gz is read as NFD's Go reader reads it: only a complete,
 * valid gzip file (one member or several) counts.  A file without gzip's
 * magic, cut inside a member or before its trailer, with bytes after the
 * last member, with a bad CRC, or that decompresses past the 16 MiB limit
 * does not read: a warning names it, and the next file of the search list
 * (here <boot>/config-<release>) gives kernel.config.
 */
static void expect_fallback(char *d, const char *why)
{
	struct log_capture log;
	struct nfd_features *f;

	capture_log(ctx, &log);
	f = kernel_with_release(d, "6.1.0-test\n");
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	assert_string_equal(attr(f, "kernel.config", "FROM_BOOT"), "y");
	assert_null(attr(f, "kernel.config", "FIRST"));
	if (!strstr(log.buf, "config.gz") || !strstr(log.buf, why))
		fail_msg("no warning that names config.gz and says '%s'; log:\n%s", why, log.buf);
	nfd_features_unref(f);
}

static void test_kconfig_gzip_odd(void **state)
{
	static const char text[] = "CONFIG_FIRST=y\nCONFIG_SECOND=m\nCONFIG_THIRD=\"x\"\n";
	static const char *const bad_gzip = "not a complete, valid gzip file";
	char *d = scratch_dir();
	unsigned char *gz, *big;
	size_t len, blen, zlen;
	struct nfd_features *f;
	z_stream zs = {0};

	put_file(d, "boot/config-6.1.0-test", "CONFIG_FROM_BOOT=y\n");
	gz = gzip_bytes(d, text, &len);

	/* intact: read, and the search stops there */
	put_bytes(d, "proc/config.gz", gz, len);
	f = kernel_with_release(d, "6.1.0-test\n");
	assert_string_equal(attr(f, "kernel.config", "THIRD"), "x");
	assert_null(attr(f, "kernel.config", "FROM_BOOT"));
	nfd_features_unref(f);

	memcpy(gz + len, "garbage\n", 8);
	put_bytes(d, "proc/config.gz", gz, len + 8);
	expect_fallback(d, bad_gzip);
	put_bytes(d, "proc/config.gz", gz, len + 1);
	expect_fallback(d, bad_gzip);

	put_bytes(d, "proc/config.gz", text, strlen(text));
	expect_fallback(d, bad_gzip);
	put_bytes(d, "proc/config.gz", "", 0);
	expect_fallback(d, bad_gzip);

	put_bytes(d, "proc/config.gz", gz, len - 8); /* no trailer */
	expect_fallback(d, bad_gzip);
	put_bytes(d, "proc/config.gz", gz, len / 2);
	expect_fallback(d, bad_gzip);

	gz[len - 8] ^= 1; /* the CRC */
	put_bytes(d, "proc/config.gz", gz, len);
	expect_fallback(d, bad_gzip);
	free(gz);

	/* 17 MiB of zeros in a few KiB, with a trailer that claims 100 bytes */
	blen = 17u << 20;
	big = calloc(1, blen);
	gz = malloc(1 << 20);
	assert_non_null(big);
	assert_non_null(gz);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = big, zs.avail_in = (uInt)blen;
	zs.next_out = gz, zs.avail_out = 1 << 20;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	zlen = zs.total_out;
	deflateEnd(&zs);
	memcpy(gz + zlen - 4, "\x64\0\0\0", 4);
	put_bytes(d, "proc/config.gz", gz, zlen);
	expect_fallback(d, "over the 16 MiB limit");
	free(gz);
	free(big);
	scratch_remove(d);
}

#endif

static void test_modules(void **state)
{
	char *d = scratch_dir();
	struct nfd_features *f;

	put_file(d, "proc/modules",
		 "nvidia_uvm 1437696 4 - Live 0x0000000000000000 (POE)\n\n"
		 "kvm 1036288 1 kvm_intel, Live 0xffffffffc0000000\n");
	f = kernel_with_release(d, "6.1.0-test");
	assert_int_equal(nfd_features_has_flag(f, "kernel.loadedmodule", "nvidia_uvm"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.loadedmodule", "kvm"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.loadedmodule", "kvm_intel,"), 0);
	/* no modules.builtin (nor .bin): enabledmodule is absent, as in NFD */
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_FLAG, "kernel.enabledmodule"), 0);
	nfd_features_unref(f);

	put_file(d, "lib/modules/6.1.0-test/modules.builtin",
		 "kernel/drivers/md/dm-mod.ko\n  kernel/fs/ext4/ext4.ko  \n"
		 "kernel/not-a-module.txt\n");
	f = kernel_with_release(d, "6.1.0-test");
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "dm-mod"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "ext4"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "kvm"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "not-a-module.txt"), 0);
	assert_int_equal(nfd_features_has_flag(f, "kernel.loadedmodule", "dm-mod"), 0);
	nfd_features_unref(f);
	scratch_remove(d);
}

/* Only modules.builtin.bin (made by depmod): libkmod lists it, with depmod's names. */
static void test_modules_builtin_bin(void **state)
{
	struct nfd_features *f = discover_root(ctx, fixture_root("kmod-builtin-bin"), kernel_only);

	assert_int_equal(nfd_features_has_flag(f, "kernel.loadedmodule", "nvme_core"), 1);
#if HAVE_LIBKMOD
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "dm_mod"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "ext4"), 1);
	assert_int_equal(nfd_features_has_flag(f, "kernel.enabledmodule", "nvme"), 1);
#else
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_FLAG, "kernel.enabledmodule"), 0);
#endif
	nfd_features_unref(f);
}

static void test_selinux_kvm(void **state)
{
	char *d = scratch_dir();
	struct nfd_features *f;

	/* no <sys>/fs at all: selinux unknown, so absent */
	f = kernel_with_release(d, "6.1.0");
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, "kernel.selinux"), 0);
	assert_string_equal(attr(f, "kernel.kvm", "enabled"), "false");
	nfd_features_unref(f);

	put_file(d, "sys/fs/selinux/enforce", "0");
	put_file(d, "sys/devices/virtual/misc/kvm/dev", "10:232\n");
	f = kernel_with_release(d, "6.1.0");
	assert_string_equal(attr(f, "kernel.selinux", "enabled"), "false");
	assert_string_equal(attr(f, "kernel.kvm", "enabled"), "true");
	nfd_features_unref(f);

	put_file(d, "sys/fs/selinux/enforce", "1");
	f = kernel_with_release(d, "6.1.0");
	assert_string_equal(attr(f, "kernel.selinux", "enabled"), "true");
	nfd_features_unref(f);
	scratch_remove(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_kconfig),
#if HAVE_ZLIB
		cmocka_unit_test(test_kconfig_gzip_sizes),
		cmocka_unit_test(test_kconfig_gzip_odd),
#endif
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_modules_builtin_bin),
		cmocka_unit_test(test_selinux_kvm),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
