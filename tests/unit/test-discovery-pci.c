/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pci source: NFD's fixture gives exactly NFD's 10 devices with the
 * broken one skipped (not the whole scan, not the process: libpci's exiting
 * error hook is replaced); the libpci and plain-sysfs paths agree on every
 * fixture; a device missing a subsystem file is skipped as in NFD.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "libnfd/discovery/source.h"
#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

static const char *const pci_only[] = {"pci", NULL};

static void test_nfd_rootfs(void **state)
{
	static const char *const expect[][3] = {
		/* vendor, device, class in BDF order */
		{"8086", "2021", "0880"}, {"8086", "a1ed", "ff00"}, {"8086", "a1d2", "0106"},
		{"8086", "a1b1", "1180"}, {"8086", "a1ba", "0780"}, {"8086", "a193", "0604"},
		{"8086", "a1a4", "0c80"}, {"1a03", "2000", "0300"}, {"8086", "37c8", "0b40"},
		{"8086", "37d2", "0200"},
	};
	struct log_capture log;
	struct nfd_features *f;

	capture_log(ctx, &log);
	f = discover_root(ctx, fixture_root("nfd-pci"), pci_only);
	assert_int_equal(nfd_features_count_instances(f, "pci.device"), 10);
	for (size_t i = 0; i < 10; i++) {
		assert_string_equal(inst_attr(f, "pci.device", i, "vendor"), expect[i][0]);
		assert_string_equal(inst_attr(f, "pci.device", i, "device"), expect[i][1]);
		assert_string_equal(inst_attr(f, "pci.device", i, "class"), expect[i][2]);
	}
	assert_string_equal(inst_attr(f, "pci.device", 8, "sriov_totalvfs"), "16");
	assert_string_equal(inst_attr(f, "pci.device", 8, "iommu_group/type"), "identity");
	assert_string_equal(inst_attr(f, "pci.device", 8, "iommu/intel-iommu/version"), "1:0");
	assert_null(inst_attr(f, "pci.device", 0, "sriov_totalvfs"));
	/* exactly one warning, for the broken device */
	assert_int_equal(log.warnings, 1);
	assert_non_null(strstr(log.buf, "0000:00:1f.2"));
	nfd_features_unref(f);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
}

static char *json_of(const char *root, bool use_libpci)
{
	struct nfd_features *f = NULL;
	char *j = NULL;

	assert_int_equal(nfd_ctx_set_root(ctx, root), 0);
	assert_int_equal(nfd_features_new(ctx, &f), 0);
	assert_int_equal(nfd__pci_discover(ctx, f, use_libpci), 0);
	assert_true(nfd_features_to_json(f, NFD_JSON_COMPACT, &j) > 0);
	nfd_features_unref(f);
	return j;
}

static void test_libpci_matches_sysfs(void **state)
{
	static const char *const roots[] = {"nfd-pci", "this-vm", "gpu-server", "sriov-nic",
					    "arm64-host"};

	for (size_t i = 0; i < sizeof(roots) / sizeof(*roots); i++) {
		char *a = json_of(fixture_root(roots[i]), true);
		char *b = json_of(fixture_root(roots[i]), false);

		assert_string_equal(a, b);
		assert_non_null(strstr(a, "\"pci.device\""));
		free(a);
		free(b);
	}
}

/*
 * libpci fills missing subsystem ids from config space or with zeros; NFD
 * skips such a device.  So must we, on both paths.
 */
static void test_missing_subsystem(void **state)
{
	char *d = scratch_copy("nfd-pci"), path[4096];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:04.0/subsystem_vendor", d);
	assert_int_equal(unlink(path), 0);
	for (int lib = 0; lib <= 1; lib++) {
		char *j = json_of(d, lib);

		assert_null(strstr(j, "\"2021\""));
		assert_non_null(strstr(j, "\"a1ed\""));
		free(j);
	}
	scratch_remove(d);
}

/* A root without bus/pci after one with it: the cached libpci handle follows the root. */
static void test_root_change(void **state)
{
	char *d = scratch_dir();
	struct nfd_features *f;

	f = discover_root(ctx, fixture_root("gpu-server"), pci_only);
	assert_int_equal(nfd_features_count_instances(f, "pci.device"), 8);
	nfd_features_unref(f);
	f = discover_root(ctx, d, pci_only);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_INSTANCE, "pci.device"), 0);
	nfd_features_unref(f);
	f = discover_root(ctx, fixture_root("nfd-pci"), pci_only);
	assert_int_equal(nfd_features_count_instances(f, "pci.device"), 10);
	nfd_features_unref(f);
	scratch_remove(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfd_rootfs),
		cmocka_unit_test(test_libpci_matches_sysfs),
		cmocka_unit_test(test_missing_subsystem),
		cmocka_unit_test(test_root_change),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
