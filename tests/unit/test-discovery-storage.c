/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The storage source: NFD's sysfs attributes from a fixture, no libblkid
 * probing when the root is not the live system, and libblkid's extras on a
 * real ext4 image (made with mke2fs when it is installed).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/skip-test.h"

#include "libnfd/discovery/source.h"
#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

static void test_fixture(void **state)
{
	static const char *const storage_only[] = {"storage", NULL};
	struct nfd_features *f = discover_root(ctx, fixture_root("sriov-nic"), storage_only);

	assert_int_equal(nfd_features_count_instances(f, "storage.block"), 3);
	assert_string_equal(inst_attr(f, "storage.block", 0, "name"), "dm-0");
	assert_string_equal(inst_attr(f, "storage.block", 2, "name"), "sdb");
	assert_string_equal(inst_attr(f, "storage.block", 2, "rotational"), "1");
	/* a fixture root never gets libblkid's attributes (it would probe this host's /dev) */
	for (size_t i = 0; i < 3; i++)
		assert_null(inst_attr(f, "storage.block", i, "fstype"));
	nfd_features_unref(f);
}

static void test_blkid_image(void **state)
{
#if HAVE_LIBBLKID
	char *d = scratch_dir(), img[4096];
	struct nfd_blkid_info info;

	snprintf(img, sizeof(img), "%s/ext4.img", d);
	if (run_cmd("command -v mke2fs >/dev/null 2>&1") != 0) {
		scratch_remove(d);
		nfd_test_skip("mke2fs is not installed");
	}
	assert_int_equal(run_cmd("mke2fs -q -F -t ext4 -L nfd-test "
				 "-U 2f0c5e0d-5a1c-4c38-9e8f-8c3b7e5d6a01 '%s' 4M >/dev/null 2>&1",
				 img),
			 0);
	assert_int_equal(nfd__blkid_probe(img, &info), 0);
	assert_string_equal(info.fstype, "ext4");
	assert_string_equal(info.label, "nfd-test");
	assert_string_equal(info.uuid, "2f0c5e0d-5a1c-4c38-9e8f-8c3b7e5d6a01");
	assert_string_equal(info.pttype, "");

	/* nothing recognisable: success with empty fields */
	assert_int_equal(run_cmd("head -c 65536 /dev/zero > '%s'", img), 0);
	assert_int_equal(nfd__blkid_probe(img, &info), 0);
	assert_string_equal(info.fstype, "");

	snprintf(img, sizeof(img), "%s/missing.img", d);
	assert_int_equal(nfd__blkid_probe(img, &info), -ENOENT);
	scratch_remove(d);
#else
	struct nfd_blkid_info info;

	assert_int_equal(nfd__blkid_probe("/dev/null", &info), -EOPNOTSUPP);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_blkid_image),
	};

	return nfd_test_result(cmocka_run_group_tests(tests, ctx_setup, ctx_teardown));
}
