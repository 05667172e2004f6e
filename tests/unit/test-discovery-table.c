/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_discover() and nfd_source_names(): argument handling, source
 * selection, sealing; and a live self-consistency check of discovery on the
 * machine running the tests.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/utsname.h>

#include <cmocka.h>

#include "tests/unit/skip-test.h"

#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

static void test_source_names(void **state)
{
	static const char *const expected[] = {"cpu", "kernel",	 "local",  "memory", "network",
					       "pci", "storage", "system", "usb",    NULL};
	const char *const *names = nfd_source_names();

	for (size_t i = 0; expected[i]; i++) {
		assert_non_null(names[i]);
		assert_string_equal(names[i], expected[i]);
	}
	assert_null(names[sizeof(expected) / sizeof(expected[0]) - 1]);
}

static void test_bad_arguments(void **state)
{
	static const char *const bogus[] = {"memory", "gpu", NULL};
	struct nfd_features *f = (struct nfd_features *)0x1;

	assert_int_equal(nfd_discover(NULL, NULL, &f), -EINVAL);
	assert_int_equal(nfd_discover(ctx, NULL, NULL), -EINVAL);
	assert_int_equal(nfd_discover(ctx, bogus, &f), -EINVAL);
	/* the output is untouched and the message names the culprit */
	assert_ptr_equal(f, (struct nfd_features *)0x1);
	assert_non_null(strstr(nfd_ctx_last_error(ctx), "'gpu'"));
}

static void test_selection(void **state)
{
	static const char *const mem[] = {"memory", NULL};
	static const char *const none[] = {NULL};
	struct nfd_features *f;

	f = discover_root(ctx, fixture_root("nfd-hugepages"), mem);
	assert_string_equal(attr(f, "memory.hugepages", "hugepages-1Gi"), "2");
	/* only the requested source ran */
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, "system.name"), 0);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, "local.feature"), 0);
	/* sealed: no more changes */
	assert_int_equal(nfd_features_add_flag(f, "x.y", "z"), -EPERM);
	nfd_features_unref(f);

	f = discover_root(ctx, fixture_root("nfd-hugepages"), none);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, "memory.hugepages"), 0);
	nfd_features_unref(f);
}

/* All sources over an empty root: nothing fails, empty-but-discovered features are declared. */
static void test_empty_root(void **state)
{
	char *d = scratch_dir();
	struct log_capture log;
	struct nfd_features *f;

	capture_log(ctx, &log);
	f = discover_root(ctx, d, NULL);
	assert_int_equal(nfd_features_count_instances(f, "usb.device"), 0);
	assert_int_equal(nfd_features_count_instances(f, "memory.nv"), 0);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_ATTRIBUTE, "local.feature"), 1);
	assert_string_equal(attr(f, "memory.hugepages", "enabled"), "false");
	assert_string_equal(attr(f, "system.name", "nodename"), getenv("NODE_NAME") ?: "");
	/* where NFD fails the whole export, we leave the feature out with a warning */
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_INSTANCE, "pci.device"), 0);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_INSTANCE, "network.device"), 0);
	assert_int_equal(nfd_features_has_feature(f, NFD_FEATURE_INSTANCE, "storage.block"), 0);
	assert_non_null(strstr(log.buf, "leaving pci.device out"));
	assert_non_null(strstr(log.buf, "leaving network features out"));
	assert_non_null(strstr(log.buf, "leaving storage.block out"));
	nfd_features_unref(f);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	scratch_remove(d);
}

/* The same tree twice gives the same document: order never depends on the call. */
static void test_deterministic(void **state)
{
	static const char *const a[] = {"usb", "pci", "system", NULL};
	static const char *const b[] = {"system", "pci", "usb", "pci", NULL};
	struct nfd_features *f1 = discover_root(ctx, fixture_root("gpu-server"), a);
	struct nfd_features *f2 = discover_root(ctx, fixture_root("gpu-server"), b);
	char *j1 = NULL, *j2 = NULL;

	assert_true(nfd_features_to_json(f1, 0, &j1) > 0);
	assert_true(nfd_features_to_json(f2, 0, &j2) > 0);
	assert_string_equal(j1, j2);
	free(j1);
	free(j2);
	nfd_features_unref(f1);
	nfd_features_unref(f2);
}

static int count_entries(const char *path, const char *skip)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(path);

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !(skip && strcmp(de->d_name, skip) == 0))
			n++;
	closedir(d);
	return n;
}

/* Live: what discovery reports agrees with what the kernel says directly. */
static void test_live_consistency(void **state)
{
	static const char *const srcs[] = {"kernel", "network", "pci", "storage", NULL};
	struct utsname u;
	struct nfd_features *f;
	const char *full;
	int n;

	f = discover_root(ctx, "/", srcs);
	assert_int_equal(uname(&u), 0);
	full = attr(f, "kernel.version", "full");
	assert_non_null(full);
	/* NFD's sanitising only changes releases with odd characters */
	if (strspn(u.release,
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
	    strlen(u.release))
		assert_string_equal(full, u.release);

	n = count_entries("/sys/bus/pci/devices", NULL);
	if (n >= 0)
		assert_int_equal(nfd_features_count_instances(f, "pci.device"), n);
	n = count_entries("/sys/class/net", "bonding_masters");
	if (n >= 0)
		assert_int_equal(nfd_features_count_instances(f, "network.device") +
					 nfd_features_count_instances(f, "network.virtual"),
				 n);
	n = count_entries("/sys/block", NULL);
	if (n >= 0)
		assert_int_equal(nfd_features_count_instances(f, "storage.block"), n);
	nfd_features_unref(f);
}

/*
 * NFD's container layout (--host-prefix /host-): NFD's DaemonSet mounts only
 * /proc/swaps at /host-proc/swaps and reads osrelease from its own /proc.
 * With a prefix and no root, so do we; with a root, the root is all there is.
 */
static void test_host_prefix_layout(void **state)
{
	static const char *const srcs[] = {"kernel", "memory", NULL};
	char *d = scratch_dir(), prefix[4096], live[256] = "";
	struct nfd_features *f = NULL;
	FILE *fp = fopen("/proc/sys/kernel/osrelease", "r");

	if (!fp || !fgets(live, sizeof(live), fp)) {
		if (fp)
			fclose(fp);
		scratch_remove(d);
		nfd_test_skip("/proc/sys/kernel/osrelease is unreadable");
	}
	fclose(fp);
	live[strcspn(live, "\n")] = '\0';
	put_file(d, "host-proc/swaps", "Filename Type Size Used Priority\n/swap file 1 0 -2\n");
	put_file(d, "proc/swaps", "Filename Type Size Used Priority\n");

	snprintf(prefix, sizeof(prefix), "%s/host-", d);
	assert_int_equal(nfd_ctx_set_host_prefix(ctx, prefix), 0);
	assert_int_equal(nfd_discover(ctx, srcs, &f), 0);
	assert_string_equal(attr(f, "memory.swap", "enabled"), "true");
	if (strspn(live, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
	    strlen(live))
		assert_string_equal(attr(f, "kernel.version", "full"), live);
	else
		assert_non_null(attr(f, "kernel.version", "full"));
	nfd_features_unref(f);

	f = discover_root(ctx, d, srcs);
	assert_string_equal(attr(f, "memory.swap", "enabled"), "false");
	assert_null(attr(f, "kernel.version", "full"));
	nfd_features_unref(f);
	scratch_remove(d);
}

/* Contexts in different threads discover at the same time. */
struct thread_job {
	const char *root;
	char *json;
	int r;
};

static void *discover_thread(void *arg)
{
	struct thread_job *job = arg;
	struct nfd_ctx *c = nfd_ctx_new();
	struct nfd_features *f = NULL;
	static const char *const srcs[] = {"kernel", "memory", "network", "pci", "storage",
					   "system", "usb",    "local",	  NULL};

	nfd_ctx_set_log_fn(c, NULL, NULL);
	job->r = nfd_ctx_set_root(c, job->root);
	for (int i = 0; job->r >= 0 && i < 20; i++) {
		free(job->json);
		job->json = NULL;
		job->r = nfd_discover(c, srcs, &f);
		if (job->r >= 0)
			job->r = nfd_features_to_json(f, 0, &job->json);
		nfd_features_unref(f);
		f = NULL;
	}
	nfd_ctx_unref(c);
	return NULL;
}

static void test_threads(void **state)
{
	static const char *const roots[] = {"nfd-pci", "gpu-server", "sriov-nic", "this-vm"};
	struct thread_job jobs[8] = {0};
	pthread_t th[8];
	char paths[8][4096];

	for (size_t i = 0; i < 8; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s", fixture_root(roots[i % 4]));
		jobs[i].root = paths[i];
		assert_int_equal(pthread_create(&th[i], NULL, discover_thread, &jobs[i]), 0);
	}
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(jobs[i].r > 0);
	}
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(jobs[i].json, jobs[i + 4].json);
		free(jobs[i].json);
		free(jobs[i + 4].json);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_names),	   cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_selection),	   cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_deterministic),	   cmocka_unit_test(test_live_consistency),
		cmocka_unit_test(test_host_prefix_layout), cmocka_unit_test(test_threads),
	};

	return nfd_test_result(cmocka_run_group_tests(tests, ctx_setup, ctx_teardown));
}
