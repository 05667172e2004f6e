/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Partial failure: in a copy of a fixture tree, a file becomes unreadable (a
 * directory where a file is expected, or a dangling symlink: chmod does not
 * stop root).  Only that element may go, with a warning naming the path;
 * everything else must come out exactly as from the intact tree.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

enum breakage { AS_DIRECTORY, AS_DANGLING_LINK };

/*
 * rel is the path discovery reads (through sysfs-style links), so the file
 * it reaches is replaced both in the git tree, where the links are links, and
 * in a copy made by a tool that follows links (cp -L, tar -h).
 */
static void break_file(const char *root, const char *rel, enum breakage how)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(unlink(path), 0);
	if (how == AS_DIRECTORY)
		assert_int_equal(mkdir(path, 0755), 0);
	else
		assert_int_equal(symlink("/nonexistent/nfd-test", path), 0);
}

static void to_json(const struct nfd_features *f, char **ret)
{
	assert_true(nfd_features_to_json(f, 0, ret) > 0);
}

/*
 * Discover the intact fixture and a broken copy; expect the broken run to
 * equal the intact one after the listed edits were applied to the intact
 * features, and a warning that names the broken path.
 */
struct case_def {
	const char *fixture, *rel, *sources;
	const char *warn; /* what the warning must name (the path as discovery saw it) */
	enum breakage how;
	void (*check)(const struct nfd_features *intact, const struct nfd_features *broken);
};

static void run_case(const struct case_def *c)
{
	const char *srcs[2] = {c->sources, NULL};
	char *d = scratch_copy(c->fixture);
	struct nfd_features *intact, *broken;
	struct log_capture log;

	intact = discover_root(ctx, d, srcs);
	break_file(d, c->rel, c->how);
	capture_log(ctx, &log);
	broken = discover_root(ctx, d, srcs);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	if (!strstr(log.buf, c->warn))
		fail_msg("no warning names %s; log:\n%s", c->warn, log.buf);
	assert_true(log.warnings >= 1);
	c->check(intact, broken);
	nfd_features_unref(intact);
	nfd_features_unref(broken);
	scratch_remove(d);
}

/* Remove the first occurrence of what from s (which must contain it). */
static void drop_once(char *s, const char *what)
{
	char *p = strstr(s, what);
	size_t n = strlen(what);

	if (!p)
		fail_msg("'%s' not found", what);
	memmove(p, p + n, strlen(p + n) + 1);
}

/* The documents differ by exactly the dropped text. */
static void expect_same_except(const struct nfd_features *a, const struct nfd_features *b,
			       const char *drop_a)
{
	char *ja = NULL, *jb = NULL;

	to_json(a, &ja);
	to_json(b, &jb);
	drop_once(ja, drop_a);
	assert_string_equal(ja, jb);
	free(ja);
	free(jb);
}

static void check_mtu(const struct nfd_features *a, const struct nfd_features *b)
{
	/* eth0 loses mtu only */
	assert_string_equal(inst_attr(a, "network.device", 0, "mtu"), "1400");
	assert_null(inst_attr(b, "network.device", 0, "mtu"));
	assert_string_equal(inst_attr(b, "network.device", 0, "operstate"), "up");
	expect_same_except(a, b, "\n                        \"mtu\": \"1400\",");
}

static void test_net_mtu(void **state)
{
	const struct case_def c = {"this-vm",	     "sys/class/net/eth0/mtu",
				   "network",	     "sys/class/net/eth0/mtu', ignoring",
				   AS_DANGLING_LINK, check_mtu};
	run_case(&c);
}

static void check_pci_vendor(const struct nfd_features *a, const struct nfd_features *b)
{
	/* the device goes (NFD skips it), the five others stay */
	assert_int_equal(nfd_features_count_instances(a, "pci.device"), 6);
	assert_int_equal(nfd_features_count_instances(b, "pci.device"), 5);
	assert_string_equal(inst_attr(b, "pci.device", 2, "device"), "1041");
}

static void test_pci_vendor(void **state)
{
	const struct case_def c = {"this-vm",	 "sys/bus/pci/devices/0000:00:02.0/vendor",
				   "pci",	 "0000:00:02.0",
				   AS_DIRECTORY, check_pci_vendor};
	run_case(&c);
}

static void check_pci_subsystem(const struct nfd_features *a, const struct nfd_features *b)
{
	assert_int_equal(nfd_features_count_instances(b, "pci.device"), 5);
}

static void test_pci_subsystem(void **state)
{
	const struct case_def c = {"this-vm",
				   "sys/bus/pci/devices/0000:00:05.0/subsystem_device",
				   "pci",
				   "0000:00:05.0/subsystem_device', ignoring",
				   AS_DANGLING_LINK,
				   check_pci_subsystem};
	run_case(&c);
}

static void check_rotational(const struct nfd_features *a, const struct nfd_features *b)
{
	size_t vda = 8;

	assert_string_equal(inst_attr(b, "storage.block", vda, "name"), "vda");
	assert_null(inst_attr(b, "storage.block", vda, "rotational"));
	assert_string_equal(inst_attr(b, "storage.block", vda, "zoned"), "none");
	expect_same_except(a, b, "\n                        \"rotational\": \"1\",");
}

static void test_storage_rotational(void **state)
{
	const struct case_def c = {"this-vm",	 "sys/block/vda/queue/rotational",
				   "storage",	 "sys/block/vda/queue/rotational', ignoring",
				   AS_DIRECTORY, check_rotational};
	run_case(&c);
}

static void check_osrelease(const struct nfd_features *a, const struct nfd_features *b)
{
	assert_int_equal(nfd_features_has_feature(b, NFD_FEATURE_ATTRIBUTE, "system.osrelease"), 0);
	assert_int_equal(nfd_features_has_feature(b, NFD_FEATURE_ATTRIBUTE, "system.dmiid"), 1);
	assert_string_equal(attr(b, "system.dmiid", "sys_vendor"), "Supermicro");
}

static void test_osrelease(void **state)
{
	const struct case_def c = {"gpu-server", "etc/os-release",
				   "system",	 "etc/os-release', ignoring",
				   AS_DIRECTORY, check_osrelease};
	run_case(&c);
}

static void check_hugepages(const struct nfd_features *a, const struct nfd_features *b)
{
	/* NFD keeps the size with an empty count */
	assert_string_equal(attr(b, "memory.hugepages", "hugepages-2Mi"), "");
	assert_string_equal(attr(b, "memory.hugepages", "hugepages-1Gi"), "8");
	assert_string_equal(attr(b, "memory.hugepages", "enabled"), "true");
	assert_string_equal(attr(b, "memory.numa", "node_count"), "2");
}

static void test_hugepages(void **state)
{
	const struct case_def c = {
		"gpu-server",	  "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
		"memory",	  "hugepages-2048kB/nr_hugepages', ignoring",
		AS_DANGLING_LINK, check_hugepages};
	run_case(&c);
}

static void check_modules(const struct nfd_features *a, const struct nfd_features *b)
{
	/* loaded modules unknown: both flag sets lose them, builtins stay */
	assert_int_equal(nfd_features_has_feature(b, NFD_FEATURE_FLAG, "kernel.loadedmodule"), 0);
	assert_int_equal(nfd_features_has_flag(b, "kernel.enabledmodule", "nvidia"), 0);
	assert_int_equal(nfd_features_has_flag(b, "kernel.enabledmodule", "dm-mod"), 1);
	assert_string_equal(attr(b, "kernel.version", "major"), "5");
	assert_string_equal(attr(b, "kernel.config", "NUMA"), "y");
}

static void test_proc_modules(void **state)
{
	const struct case_def c = {"gpu-server", "proc/modules",
				   "kernel",	 "proc/modules', ignoring",
				   AS_DIRECTORY, check_modules};
	run_case(&c);
}

static void check_usb(const struct nfd_features *a, const struct nfd_features *b)
{
	/* the webcam's two interfaces lose their vendor, the root hub is intact */
	assert_int_equal(nfd_features_count_instances(b, "usb.device"), 3);
	assert_null(inst_attr(b, "usb.device", 0, "vendor"));
	assert_string_equal(inst_attr(b, "usb.device", 0, "class"), "0e");
	assert_string_equal(inst_attr(b, "usb.device", 2, "vendor"), "1d6b");
}

static void test_usb(void **state)
{
	const struct case_def c = {"gpu-server",
				   "sys/bus/usb/devices/1-4/idVendor",
				   "usb",
				   "devices/1-4/idVendor', ignoring",
				   AS_DANGLING_LINK,
				   check_usb};
	run_case(&c);
}

/* The text report of spec_yaml evaluated on f. */
static char *explain(const struct nfd_features *f, const char *spec_yaml)
{
	struct nfd_spec *spec = NULL;
	struct nfd_report *report = NULL;
	char *txt = NULL;

	assert_int_equal(nfd_spec_parse(ctx, spec_yaml, strlen(spec_yaml), "spec", &spec), 0);
	assert_int_equal(nfd_evaluate(ctx, spec, f, NULL, &report), 0);
	assert_true(nfd_report_to_string(report, NFD_REPORT_TEXT, 0, &txt) > 0);
	nfd_report_unref(report);
	nfd_spec_unref(spec);
	return txt;
}

static void expect_line(const char *txt, const char *line)
{
	if (!strstr(txt, line)) {
		fprintf(stderr, "%s", txt);
		fail_msg("no line '%s' in the report above", line);
	}
}

/*
 * A feature that discovery could not read is not "not present": the
 * explanation says why it is missing (doc/semantics.md §9.4).
 */
static void test_explain_unreadable(void **state)
{
	static const char spec[] = "version: v1alpha1\n"
				   "compatibilities:\n"
				   "- rules:\n"
				   "  - name: modules\n"
				   "    matchFeatures:\n"
				   "    - feature: kernel.loadedmodule\n"
				   "      matchExpressions:\n"
				   "        nosuch: {op: Exists}\n"
				   "  - name: gpu\n"
				   "    matchFeatures:\n"
				   "    - feature: pci.device\n"
				   "      matchExpressions:\n"
				   "        vendor: {op: In, value: [\"abcd\"]}\n";
	const char *srcs[] = {"kernel", "pci", NULL};
	char *d = scratch_copy("gpu-server"), *txt, path[4096], want[4096 + 128];
	struct nfd_features *f;

	/* intact: the node lacks the module and the vendor */
	f = discover_root(ctx, d, srcs);
	txt = explain(f, spec);
	expect_line(txt, "  kernel.loadedmodule.nosuch {op: \"Exists\"}: not present\n");
	expect_line(txt, "  pci.device.vendor {op: \"In\", value: [\"abcd\"]}: node has: ");
	free(txt);
	nfd_features_unref(f);

	/* /proc/modules a directory, sys/bus/pci/devices a file */
	break_file(d, "proc/modules", AS_DIRECTORY);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices", d);
	assert_int_equal(run_cmd("rm -rf '%s' && : >'%s'", path, path), 0);
	f = discover_root(ctx, d, srcs);
	txt = explain(f, spec);
	snprintf(want, sizeof(want),
		 "  kernel.loadedmodule.nosuch {op: \"Exists\"}: kernel.loadedmodule could not be "
		 "read: cannot read '%s/proc/modules': Is a directory\n",
		 d);
	expect_line(txt, want);
	snprintf(want, sizeof(want),
		 "  pci.device.vendor {op: \"In\", value: [\"abcd\"]}: pci.device could not be "
		 "read: cannot read '%s/sys/bus/pci/devices': Not a directory\n",
		 d);
	expect_line(txt, want);
	assert_null(strstr(txt, "not present"));
	free(txt);

	/* the notes are discovery's: the same features through JSON have none */
	{
		struct nfd_features *g = NULL;
		char *json = NULL;

		assert_true(nfd_features_to_json(f, 0, &json) > 0);
		assert_int_equal(nfd_features_parse_json(ctx, json, strlen(json), &g), 0);
		txt = explain(g, spec);
		expect_line(txt, "  kernel.loadedmodule.nosuch {op: \"Exists\"}: not present\n");
		free(txt);
		free(json);
		nfd_features_unref(g);
	}
	nfd_features_unref(f);
	scratch_remove(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net_mtu),
		cmocka_unit_test(test_pci_vendor),
		cmocka_unit_test(test_pci_subsystem),
		cmocka_unit_test(test_storage_rotational),
		cmocka_unit_test(test_osrelease),
		cmocka_unit_test(test_hugepages),
		cmocka_unit_test(test_proc_modules),
		cmocka_unit_test(test_usb),
		cmocka_unit_test(test_explain_unreadable),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
