/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pci source: NFD's fixture gives exactly NFD's 10 devices with the
 * broken one skipped (not the whole scan); libpci, an independent reader of
 * the same sysfs files, sees the same identities on every fixture and on
 * this host; a device missing a subsystem file is skipped as in NFD.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#if HAVE_LIBPCI
#include <pci/pci.h>
#endif

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

static char *json_of(const char *root)
{
	struct nfd_features *f = discover_root(ctx, root, pci_only);
	char *j = NULL;

	assert_true(nfd_features_to_json(f, NFD_JSON_COMPACT, &j) > 0);
	nfd_features_unref(f);
	return j;
}

#if HAVE_LIBPCI
/* libpci's error hook must not return; its default exits the process. */
static jmp_buf libpci_failed;

static __attribute__((noreturn)) void libpci_error(char *msg, ...)
{
	(void)msg;
	longjmp(libpci_failed, 1);
}

static void libpci_quiet(char *msg, ...)
{
	(void)msg;
}

static bool has_file(const char *dir, const char *name)
{
	char path[4096];

	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) < sizeof(path));
	return access(path, R_OK) == 0;
}

/* libpci's reading of the device named by its BDF, appended to out as
 * ",vvvv:dddd:cccc" */
static void libpci_ident(struct pci_access *pa, const char *bdf, char *out, size_t size)
{
	struct pci_dev *volatile d = NULL;
	unsigned dom, bus, dev, fn;
	size_t len = strlen(out);

	assert_int_equal(sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn), 4);
	if (setjmp(libpci_failed) != 0)
		fail_msg("libpci cannot read %s", bdf);
	d = pci_get_dev(pa, (int)dom, (int)bus, (int)dev, (int)fn);
	pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS);
	assert_true((size_t)snprintf(out + len, size - len, ",%04x:%04x:%04x", d->vendor_id,
				     d->device_id, d->device_class) < size - len);
	pci_free_dev(d);
}

/*
 * The identity libpci reads for each device under root that has NFD's five
 * mandatory files, ",vvvv:dddd:cccc" in BDF order, as the pci source must
 * report it; the devices without them are counted in *skipped.  Returns
 * false where root has no bus/pci.
 */
static bool libpci_idents(const char *root, char *out, size_t size, int *skipped)
{
	static const char *const mandatory[] = {"class", "vendor", "device", "subsystem_vendor",
						"subsystem_device"};
	char bus[4096], devices[4096], dir[4096];
	struct dirent **names = NULL;
	struct pci_access *pa;
	int n;

	assert_true((size_t)snprintf(bus, sizeof(bus), "%s/sys/bus/pci", root) < sizeof(bus));
	assert_true((size_t)snprintf(devices, sizeof(devices), "%s/devices", bus) <
		    sizeof(devices));
	out[0] = '\0';
	*skipped = 0;
	n = scandir(devices, &names, NULL, alphasort);
	if (n < 0)
		return false;
	pa = pci_alloc();
	assert_non_null(pa);
	pa->error = libpci_error;
	pa->warning = libpci_quiet;
	pa->debug = libpci_quiet;
	/* not AUTO, which could fall back to /proc/bus/pci or port I/O */
	pa->method = PCI_ACCESS_SYS_BUS_PCI;
	assert_int_equal(pci_set_param(pa, (char *)"sysfs.path", bus), 0);
	if (setjmp(libpci_failed) != 0)
		fail_msg("libpci cannot use %s", bus);
	pci_init(pa);
	for (int i = 0; i < n; i++) {
		bool complete = names[i]->d_name[0] != '.';

		assert_true((size_t)snprintf(dir, sizeof(dir), "%s/%s", devices, names[i]->d_name) <
			    sizeof(dir));
		for (size_t k = 0; complete && k < sizeof(mandatory) / sizeof(*mandatory); k++)
			complete = has_file(dir, mandatory[k]);
		if (complete)
			libpci_ident(pa, names[i]->d_name, out, size);
		else if (names[i]->d_name[0] != '.')
			(*skipped)++;
		free(names[i]);
	}
	free(names);
	pci_cleanup(pa);
	return true;
}

/* The same list from the pci source's instances. */
static void nfd_idents(struct nfd_features *f, char *out, size_t size)
{
	size_t n = nfd_features_count_instances(f, "pci.device"), len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(out + len, size - len, ",%s:%s:%s",
					inst_attr(f, "pci.device", i, "vendor"),
					inst_attr(f, "pci.device", i, "device"),
					inst_attr(f, "pci.device", i, "class"));
		assert_true(len < size);
	}
}

static void check_against_libpci(const char *root, bool must_exist)
{
	static char want[16384], got[16384];
	struct log_capture log;
	struct nfd_features *f;
	int skipped;

	if (!libpci_idents(root, want, sizeof(want), &skipped)) {
		if (must_exist)
			fail_msg("%s has no bus/pci", root);
		return;
	}
	capture_log(ctx, &log);
	f = discover_root(ctx, root, pci_only);
	nfd_idents(f, got, sizeof(got));
	assert_string_equal(got, want);
	/* a device without its five files is skipped with one warning each */
	assert_int_equal(log.warnings, skipped);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	nfd_features_unref(f);
}

static void test_libpci_agrees(void **state)
{
	static const char *const roots[] = {"nfd-pci", "this-vm", "gpu-server", "sriov-nic",
					    "arm64-host"};

	for (size_t i = 0; i < sizeof(roots) / sizeof(*roots); i++)
		check_against_libpci(fixture_root(roots[i]), true);
	/* and this machine, where it has PCI devices */
	check_against_libpci("/", false);
}
#else
static void test_libpci_agrees(void **state)
{
	skip();
}
#endif

/*
 * libpci would fill missing subsystem ids from config space or with zeros;
 * NFD skips such a device, and so does the pci source.
 */
static void test_missing_subsystem(void **state)
{
	char *d = scratch_copy("nfd-pci"), path[4096], *j;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:04.0/subsystem_vendor", d);
	assert_int_equal(unlink(path), 0);
	j = json_of(d);
	assert_null(strstr(j, "\"2021\""));
	assert_non_null(strstr(j, "\"a1ed\""));
	free(j);
	scratch_remove(d);
}

/* A root without bus/pci after one with it, and back: each discovery reads its own root. */
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
		cmocka_unit_test(test_libpci_agrees),
		cmocka_unit_test(test_missing_subsystem),
		cmocka_unit_test(test_root_change),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
