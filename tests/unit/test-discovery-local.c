/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The local source: NFD's feature-file format (directives, expiry, per-file
 * deletion, file order, hidden and oversized files) and the RFC 3339 parser
 * behind expiry-time.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "libnfd/discovery/source.h"
#include "tests/unit/discover-test-util.h"
#include "tests/unit/fixture.h"

#define FD "etc/kubernetes/node-feature-discovery/features.d/"

static const char *const local_only[] = {"local", NULL};

/* NFD's own fixture: 7 features, 8 labels (shared/nfd-testdata/README.md). */
static void test_nfd_fixture(void **state)
{
	static const char *const features[] = {
		"featureKeyRandomComment", "my-feature",      "foo", "featureKey2", "featureKey3",
		"featureKeyUnparsable",	   "featureKeyValid",
	};
	static const char *const gone[] = {"featureKeyExpired", "featureKey", "featureKey4",
					   "featureKeyValid2", "hiddenFeatureKey"};
	struct log_capture log;
	struct nfd_features *f;

	capture_log(ctx, &log);
	f = discover_root(ctx, fixture_root("nfd-local"), local_only);
	for (size_t i = 0; i < sizeof(features) / sizeof(*features); i++)
		assert_non_null(attr(f, "local.feature", features[i]));
	for (size_t i = 0; i < sizeof(gone) / sizeof(*gone); i++) {
		assert_null(attr(f, "local.feature", gone[i]));
		assert_null(attr(f, "local.label", gone[i]));
	}
	assert_string_equal(attr(f, "local.feature", "foo"), "baz");
	assert_null(attr(f, "local.label", "foo"));
	assert_string_equal(attr(f, "local.label", "label-only"), "value");
	assert_null(attr(f, "local.feature", "label-only"));
	/* the oversized file and the bad expiry are reported */
	assert_non_null(strstr(log.buf, "big_file', ignoring: "));
	assert_non_null(
		strstr(log.buf, " is over the 64 KiB limit for this host file (doc/limits.md)"));
	assert_non_null(strstr(log.buf, "cannot parse '# +expiry-time=2080-07-28T11:22:33X'"));
	nfd_features_unref(f);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
}

static void test_format(void **state)
{
	char *d = scratch_dir(), past[64], future[64], big[65537 + 16];
	struct nfd_features *f;
	time_t now = time(NULL);
	struct tm tm;

	strftime(past, sizeof(past), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&(time_t){now - 60}, &tm));
	strftime(future, sizeof(future), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime_r(&(time_t){now + 3600}, &tm));

	put_file(d, FD "10-a",
		 "  plain  \n"
		 "eq=a=b\n"
		 "vendor.io/ns-label=x\n"
		 "-dash\n"
		 "empty=\n"
		 "# +unknown-directive\n"
		 "override=first\n"
		 "# +no-feature=ignored-value\n"
		 "labelonly=1\n"
		 "kept=1\n");
	{
		char buf[512];

		snprintf(buf, sizeof(buf),
			 "# +expiry-time=%s\nexpired=1\n# +expiry-time=%s\nfresh=1\n"
			 "override=second\n"
			 /* deletion acts on this file's earlier lines only */
			 "# +no-label\nkept=2\n",
			 past, future);
		put_file(d, FD "20-b", buf);
	}
	put_file(d, FD ".hidden", "hidden=1\n");
	put_file(d, FD "subdir/nested", "nested=1\n");
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "big=1\n#", 7);
	big[65537] = '\0';
	put_file(d, FD "30-big", big);
	/* exactly 64 KiB is still read */
	big[65536] = '\0';
	memcpy(big, "max=1\n#", 7);
	put_file(d, FD "31-max", big);

	f = discover_root(ctx, d, local_only);
	assert_string_equal(attr(f, "local.feature", "plain"), "true");
	assert_string_equal(attr(f, "local.feature", "eq"), "a=b");
	assert_string_equal(attr(f, "local.label", "vendor.io/ns-label"), "x");
	/* NFD gives a leading '-' no meaning: it is part of the name */
	assert_string_equal(attr(f, "local.feature", "-dash"), "true");
	assert_string_equal(attr(f, "local.feature", "empty"), "");
	assert_string_equal(attr(f, "local.feature", "override"), "second");
	assert_null(attr(f, "local.feature", "labelonly"));
	assert_string_equal(attr(f, "local.label", "labelonly"), "1");
	assert_null(attr(f, "local.feature", "expired"));
	assert_string_equal(attr(f, "local.feature", "fresh"), "1");
	/* file b removed "kept" from its own labels; file a's label survives the merge */
	assert_string_equal(attr(f, "local.feature", "kept"), "2");
	assert_string_equal(attr(f, "local.label", "kept"), "1");
	assert_null(attr(f, "local.feature", "hidden"));
	assert_null(attr(f, "local.feature", "nested"));
	assert_null(attr(f, "local.feature", "big"));
	assert_string_equal(attr(f, "local.feature", "max"), "1");
	nfd_features_unref(f);
	scratch_remove(d);
}

/* A symlink to a regular file counts (NFD stats, following links); a dangling one warns. */
static void test_links(void **state)
{
	char *d = scratch_dir(), path[4096];
	struct log_capture log;
	struct nfd_features *f;

	put_file(d, "real/file", "linked=yes\n");
	put_file(d, FD "00-placeholder", "a=1\n");
	snprintf(path, sizeof(path), "%s/" FD "link", d);
	assert_int_equal(symlink("../../../../real/file", path), 0);
	snprintf(path, sizeof(path), "%s/" FD "dangling", d);
	assert_int_equal(symlink("/nonexistent/file", path), 0);

	capture_log(ctx, &log);
	f = discover_root(ctx, d, local_only);
	assert_string_equal(attr(f, "local.feature", "linked"), "yes");
	assert_string_equal(attr(f, "local.feature", "a"), "1");
	assert_non_null(strstr(log.buf, "dangling', ignoring"));
	nfd_features_unref(f);
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	scratch_remove(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfd_fixture),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_links),
	};

	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
}
