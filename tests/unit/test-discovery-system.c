/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system source (os-release parsing and VERSION_ID split as NFD's
 * regular expressions, dmiid, NODE_NAME) and the memory source's hugepage
 * names and NUMA/nv handling over scratch roots.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

static const char *const system_only[] = {"system", NULL};
static const char *const memory_only[] = {"memory", NULL};

static void test_osrelease(void **state)
{
	char *d = scratch_dir();
	struct nfd_features *f;

	put_file(d, "etc/os-release",
		 "NAME=\"Red Hat Enterprise Linux\"\r\n"
		 "ID='rhel'\n"
		 "# a comment=not a key\n"
		 "EMPTY=\n"
		 "QUOTES_ONLY=\"\"\n"
		 "EQ=a=b\n"
		 "bad key=x\n"
		 "  INDENTED=x\n"
		 "VERSION_ID=\"9.3\"\n");
	setenv("NODE_NAME", "node-7", 1);
	f = discover_root(ctx, d, system_only);
	unsetenv("NODE_NAME");
	assert_string_equal(attr(f, "system.osrelease", "NAME"), "Red Hat Enterprise Linux");
	assert_string_equal(attr(f, "system.osrelease", "ID"), "rhel");
	assert_null(attr(f, "system.osrelease", "EMPTY"));
	assert_string_equal(attr(f, "system.osrelease", "QUOTES_ONLY"), "");
	assert_string_equal(attr(f, "system.osrelease", "EQ"), "a=b");
	assert_null(attr(f, "system.osrelease", "bad key"));
	assert_null(attr(f, "system.osrelease", "INDENTED"));
	assert_string_equal(attr(f, "system.osrelease", "VERSION_ID.major"), "9");
	assert_string_equal(attr(f, "system.osrelease", "VERSION_ID.minor"), "3");
	assert_string_equal(attr(f, "system.name", "nodename"), "node-7");
	/* no DMI directory: the feature is absent */
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, "system.dmiid"), 0);
	nfd_features_unref(f);
	scratch_remove(d);
}

static void test_version_id(void **state)
{
	static const struct {
		const char *id, *major, *minor;
	} cases[] = {
		{"12", "12", NULL},	 {"24.04", "24", "04"},	    {"7.9.2009", "7", "9"},
		{"1.2a", "1", NULL},	 {"1.", "1", NULL},	    {"1a", NULL, NULL},
		{"rolling", NULL, NULL}, {"2023.1.x", "2023", "1"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *d = scratch_dir(), line[64];
		struct nfd_features *f;
		const char *v;

		snprintf(line, sizeof(line), "VERSION_ID=%s\n", cases[i].id);
		put_file(d, "etc/os-release", line);
		f = discover_root(ctx, d, system_only);
		v = attr(f, "system.osrelease", "VERSION_ID.major");
		if (cases[i].major)
			assert_string_equal(v, cases[i].major);
		else
			assert_null(v);
		v = attr(f, "system.osrelease", "VERSION_ID.minor");
		if (cases[i].minor)
			assert_string_equal(v, cases[i].minor);
		else
			assert_null(v);
		nfd_features_unref(f);
		scratch_remove(d);
	}
}

static void test_hugepage_names(void **state)
{
	static const struct {
		const char *dir, *name;
	} cases[] = {
		{"hugepages-64kB", "hugepages-64Ki"},
		{"hugepages-2048kB", "hugepages-2Mi"},
		{"hugepages-32768kB", "hugepages-32Mi"},
		{"hugepages-1048576kB", "hugepages-1Gi"},
		{"hugepages-16777216kB", "hugepages-16Gi"},
		{"hugepages-1536kB", "hugepages-1536Ki"},
	};
	char *d = scratch_dir(), rel[256];
	struct nfd_features *f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(rel, sizeof(rel), "sys/kernel/mm/hugepages/%s/nr_hugepages", cases[i].dir);
		put_file(d, rel, "0\n");
	}
	put_file(d, "sys/kernel/mm/hugepages/not-a-size/nr_hugepages", "5\n");
	put_file(d, "sys/bus/nd/devices/region0/devtype", "nd_region\n");
	put_file(d, "sys/bus/nd/devices/namespace0.0/devtype", "nd_namespace_io\n");
	put_file(d, "sys/bus/nd/devices/namespace0.0/mode", "fsdax\n");
	f = discover_root(ctx, d, memory_only);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_string_equal(attr(f, "memory.hugepages", cases[i].name), "0");
	assert_string_equal(attr(f, "memory.hugepages", "enabled"), "false");
	/* memory.nv: sorted by name, only the files that exist */
	assert_int_equal(nfd_features_count_instances(f, "memory.nv"), 2);
	assert_string_equal(inst_attr(f, "memory.nv", 0, "name"), "namespace0.0");
	assert_string_equal(inst_attr(f, "memory.nv", 0, "mode"), "fsdax");
	assert_string_equal(inst_attr(f, "memory.nv", 1, "devtype"), "nd_region");
	assert_null(inst_attr(f, "memory.nv", 1, "mode"));
	nfd_features_unref(f);
	scratch_remove(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_osrelease),
		cmocka_unit_test(test_version_id),
		cmocka_unit_test(test_hugepage_names),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
