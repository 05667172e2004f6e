/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every read of discovery stays inside the root.  The test builds a host
 * tree whose files are links that try every way out (absolute, "../" runs,
 * a directory link, a chain, a loop) towards a marker file beside the
 * root, plus FIFOs and a socket where files are expected.  Discovery must
 * never show the marker's content, must not block, and absolute links that
 * stay inside the root must still resolve inside it.  Both resolvers run:
 * openat2(RESOLVE_IN_ROOT) and the userspace walk.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cmocka.h>

#include "shared/root-open.h"
#include "shared/util.h"
#include "tests/unit/discover-test-util.h"

#define MARKER "MARKER_OUTSIDE_THE_ROOT"

struct tree {
	char *top; /* scratch directory */
	char root[1024];
	char outside[1024];
};

static void link_at(const char *root, const char *rel, const char *target)
{
	char path[4096];

	put_file(root, rel, "");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
}

static void fifo_at(const char *root, const char *rel)
{
	char path[4096];

	put_file(root, rel, "");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
}

static void socket_at(const char *root, const char *rel)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char path[4096];
	int fd;

	put_file(root, rel, "");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(unlink(path), 0);
	assert_true(strlen(path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd); /* the socket file stays */
}

#define LOCAL_D "etc/kubernetes/node-feature-discovery/features.d"
#define PCIDEVS "sys/bus/pci/devices"

static void build_tree(struct tree *t)
{
	char target[8192];
	const char *up = "../../../../../../../../../../../../../../..";

	t->top = scratch_dir();
	snprintf(t->root, sizeof(t->root), "%s/root", t->top);
	snprintf(t->outside, sizeof(t->outside), "%s/outside", t->top);
	assert_int_equal(mkdir(t->root, 0755), 0);
	assert_int_equal(mkdir(t->outside, 0755), 0);

	/* outside the root: what must never be read */
	put_file(t->outside, "marker", MARKER "=1\n");
	put_file(t->outside, "os-release", "ID=" MARKER "\n");
	put_file(t->outside, "modules", "markermod 16384 0 - Live 0x0\n");
	put_file(t->outside, "pcidev/vendor",
		 "0x"
		 "dead\n");
	put_file(t->outside, "pcidev/device",
		 "0x"
		 "beef\n");
	put_file(t->outside, "pcidev/class", "0x030000\n");
	put_file(t->outside, "pcidev/subsystem_vendor",
		 "0x"
		 "dead\n");
	put_file(t->outside, "pcidev/subsystem_device",
		 "0x"
		 "beef\n");
	put_file(t->outside, "dir/marker", MARKER "_DIR=1\n");

	/* local features: an escape of every kind, and in-root links that work */
	snprintf(target, sizeof(target), "%s/marker", t->outside);
	link_at(t->root, LOCAL_D "/abs", target);
	snprintf(target, sizeof(target), "%s/%s/marker", up, t->outside + 1);
	link_at(t->root, LOCAL_D "/rel", target);
	snprintf(target, sizeof(target), "../../../../../%s/marker", t->outside + 1);
	link_at(t->root, LOCAL_D "/shallow", target);
	snprintf(target, sizeof(target), "%s/dir", t->outside);
	link_at(t->root, "escape-dir", target);
	link_at(t->root, LOCAL_D "/via-dir", "/escape-dir/marker");
	link_at(t->root, LOCAL_D "/chain1", "chain2");
	snprintf(target, sizeof(target), "%s/marker", t->outside);
	link_at(t->root, LOCAL_D "/chain2", target);
	link_at(t->root, LOCAL_D "/loop", "loop");
	link_at(t->root, LOCAL_D "/zero", "/dev/zero");
	snprintf(target, sizeof(target), "%s/dev/zero", up);
	link_at(t->root, LOCAL_D "/zero-rel", target);
	link_at(t->root, LOCAL_D "/proc-self", "/proc/self/root/etc/hostname");
	fifo_at(t->root, LOCAL_D "/fifo");
	socket_at(t->root, LOCAL_D "/sock");
	put_file(t->root, "etc/in-root-features", "inroot.abs=ok\n");
	link_at(t->root, LOCAL_D "/inroot", "/etc/in-root-features");
	put_file(t->root, LOCAL_D "/plain", "plain.file=ok\n");

	/* os-release: an absolute link resolves to the root's own file */
	put_file(t->root, "usr/lib/os-release", "ID=inroot\nVERSION_ID=12\n");
	link_at(t->root, "etc/os-release", "/usr/lib/os-release");

	/* proc/modules out of the root; a FIFO where a sysfs attribute is */
	snprintf(target, sizeof(target), "%s/modules", t->outside);
	link_at(t->root, "proc/modules", target);
	put_file(t->root, "proc/sys/kernel/osrelease", "6.1.0-test\n");

	/* PCI devices: absolute and ../ links out, one good device, one FIFO attribute */
	snprintf(target, sizeof(target), "%s/pcidev", t->outside);
	link_at(t->root, PCIDEVS "/0000:00:01.0", target);
	snprintf(target, sizeof(target), "%s/%s/pcidev", up, t->outside + 1);
	link_at(t->root, PCIDEVS "/0000:00:02.0", target);
	put_file(t->root, "sys/devices/pci0000:00/0000:00:03.0/vendor", "0x8086\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:03.0/device", "0x1234\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:03.0/class", "0x020000\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:03.0/subsystem_vendor", "0x8086\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:03.0/subsystem_device", "0x0001\n");
	link_at(t->root, PCIDEVS "/0000:00:03.0", "../../../devices/pci0000:00/0000:00:03.0");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:04.0/vendor", "0x8086\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:04.0/device", "0x5678\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:04.0/subsystem_vendor", "0x8086\n");
	put_file(t->root, "sys/devices/pci0000:00/0000:00:04.0/subsystem_device", "0x0002\n");
	fifo_at(t->root, "sys/devices/pci0000:00/0000:00:04.0/class");
	link_at(t->root, PCIDEVS "/0000:00:04.0", "/sys/devices/pci0000:00/0000:00:04.0");
}

static char *discover_json(const char *root, struct log_capture *log)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f = NULL;
	char *json = NULL;

	assert_non_null(ctx);
	memset(log, 0, sizeof(*log));
	capture_log(ctx, log);
	assert_int_equal(nfd_ctx_set_root(ctx, root), 0);
	assert_int_equal(nfd_discover(ctx, NULL, &f), 0);
	assert_true(nfd_features_to_json(f, NFD_JSON_COMPACT, &json) > 0);
	nfd_features_unref(f);
	nfd_ctx_unref(ctx);
	return json;
}

static void check_confined(bool fallback)
{
	struct log_capture log;
	struct tree t;
	char *json;

	build_tree(&t);
	root_open_force_fallback(fallback);
	json = discover_json(t.root, &log);
	root_open_force_fallback(false);

	/* nothing from outside, in the features or in the log */
	assert_null(strstr(json, MARKER));
	assert_null(strstr(json, "markermod"));
	assert_null(strstr(json, "dead"));
	assert_null(strstr(json, "beef"));
	assert_null(strstr(log.buf, MARKER));
	/* absolute links inside the root resolve inside it */
	assert_non_null(strstr(json, "\"inroot.abs\":\"ok\""));
	assert_non_null(strstr(json, "\"plain.file\":\"ok\""));
	assert_non_null(strstr(json, "\"ID\":\"inroot\""));
	assert_non_null(strstr(json, "\"device\":\"1234\""));
	/* the device whose class is a FIFO is skipped, not waited for */
	assert_null(strstr(json, "\"device\":\"5678\""));
	free(json);
	scratch_remove(t.top);
}

static void test_discovery_openat2(void **state)
{
	(void)state;
	check_confined(false);
}

static void test_discovery_fallback(void **state)
{
	(void)state;
	check_confined(true);
}

/* The resolver itself, both ways: what opens and what does not. */
static void check_open_in_root(bool fallback)
{
	struct tree t;
	char buf[256];
	int rootfd, fd;
	ssize_t n;

	build_tree(&t);
	root_open_force_fallback(fallback);
	rootfd = open(t.root, O_PATH | O_DIRECTORY);
	assert_true(rootfd >= 0);

	fd = open_in_root(rootfd, "etc/os-release", O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "ID=inroot"));
	close(fd);

	assert_int_equal(open_in_root(rootfd, LOCAL_D "/abs", O_RDONLY), -ENOENT);
	assert_int_equal(open_in_root(rootfd, LOCAL_D "/rel", O_RDONLY), -ENOENT);
	assert_int_equal(open_in_root(rootfd, LOCAL_D "/via-dir", O_RDONLY), -ENOENT);
	assert_int_equal(open_in_root(rootfd, LOCAL_D "/loop", O_RDONLY), -ELOOP);
	assert_int_equal(open_in_root(rootfd, "../../../../outside/marker", O_RDONLY), -ENOENT);
	fd = open_in_root(rootfd, "/../../" LOCAL_D "/../../../../../etc/in-root-features",
			  O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	/* a FIFO opens without blocking (O_NONBLOCK) and is then refused by the reader */
	fd = open_in_root(rootfd, LOCAL_D "/fifo", O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	{
		char *data = NULL;

		assert_int_equal(read_fd_bounded(fd, 1024, READ_REGULAR, &data, NULL), -EINVAL);
		assert_null(data);
	}
	close(fd);

	close(rootfd);
	root_open_force_fallback(false);
	scratch_remove(t.top);
}

static void test_open_in_root_openat2(void **state)
{
	(void)state;
	check_open_in_root(false);
}

static void test_open_in_root_fallback(void **state)
{
	(void)state;
	check_open_in_root(true);
}

/* The size cap and the regular-file rule of the reader. */
static void test_read_regular(void **state)
{
	char *d = scratch_dir(), path[4096], *data = NULL;
	size_t len = 0;

	(void)state;
	put_file(d, "small", "0123456789");
	snprintf(path, sizeof(path), "%s/small", d);
	assert_int_equal(read_regular_file(NULL, path, 10, &data, &len), 0);
	assert_int_equal(len, 10);
	free(data);
	data = NULL;
	assert_int_equal(read_regular_file(NULL, path, 9, &data, &len), -E2BIG);
	assert_null(data);
	assert_int_equal(read_regular_file(NULL, "/dev/zero", 1 << 20, &data, &len), -EINVAL);
	assert_int_equal(read_regular_file(NULL, d, 1 << 20, &data, &len), -EISDIR);
	/* inside a root, by path */
	assert_int_equal(read_regular_file(d, "/small", 100, &data, &len), 0);
	free(data);
	scratch_remove(d);
}

/* An oversized read names its size and cap (doc/limits.md). */
static void test_too_big_words(void **state)
{
	char *d = scratch_dir(), path[4096], buf[200], *data = NULL;
	char sz[FORMAT_SIZE_MAX];
	size_t len = 0;
	struct read_too_big big;

	(void)state;
	assert_string_equal(format_size(0, sz), "0 bytes");
	assert_string_equal(format_size(1, sz), "1 byte");
	assert_string_equal(format_size(1023, sz), "1023 bytes");
	assert_string_equal(format_size(1024, sz), "1 KiB");
	assert_string_equal(format_size(70 * 1024, sz), "70 KiB");
	assert_string_equal(format_size(5452595, sz), "5.2 MiB");
	assert_string_equal(format_size(4u << 20, sz), "4 MiB");
	/* just over a round size: never "4.0 MiB" */
	assert_string_equal(format_size((4u << 20) + 1, sz), "4194305 bytes");
	assert_string_equal(format_size(3ull << 30, sz), "3 GiB");
	assert_string_equal(format_too_big(buf, sizeof(buf), 5452595, 4u << 20, "specs"),
			    "5.2 MiB is over the 4 MiB limit for specs (doc/limits.md)");
	assert_string_equal(format_too_big(buf, sizeof(buf), 0, 64, NULL),
			    "more than 64 bytes, over the 64 bytes limit for this kind of file "
			    "(doc/limits.md)");
	/* the record of the last -E2BIG: a regular file's size; a stream's unknown */
	put_file(d, "ten", "0123456789");
	snprintf(path, sizeof(path), "%s/ten", d);
	assert_int_equal(read_regular_file(NULL, path, 9, &data, &len), -E2BIG);
	big = read_last_too_big();
	assert_int_equal(big.size, 10);
	assert_int_equal(big.max, 9);
	assert_int_equal(read_small_file(path, buf, 5), -E2BIG);
	big = read_last_too_big();
	assert_int_equal(big.size, 0);
	assert_int_equal(big.max, 4);
	scratch_remove(d);
}

/* Writes inside a root: links resolved inside it, non-regular targets refused. */
static void check_write_in_root(bool fallback)
{
	char *d = scratch_dir(), *out = scratch_dir(), p[4096], *data = NULL;
	int rootfd;
	size_t len;

	root_open_force_fallback(fallback);
	rootfd = open(d, O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(rootfd >= 0);
	/* a new file, its directories created */
	assert_int_equal(write_in_root(rootfd, "blobs/sha256", "x", "new", 3, 0644), 0);
	snprintf(p, sizeof(p), "%s/blobs/sha256/x", d);
	assert_int_equal(read_regular_file(NULL, p, 100, &data, &len), 0);
	assert_string_equal(data, "new");
	free(data);
	/* replaced whole */
	assert_int_equal(write_in_root(rootfd, "blobs/sha256", "x", "newer", 5, 0644), 0);
	assert_int_equal(read_regular_file(NULL, p, 100, &data, &len), 0);
	assert_string_equal(data, "newer");
	free(data);
	/* a directory linked to the outside: resolved inside the root */
	snprintf(p, sizeof(p), "%s/up", d);
	assert_int_equal(symlink(out, p), 0);
	assert_int_equal(write_in_root(rootfd, "up", "y", "y", 1, 0644), -ENOENT);
	snprintf(p, sizeof(p), "%s/rel", d);
	assert_int_equal(symlink("../../../../../../../..", p), 0);
	assert_int_equal(write_in_root(rootfd, "rel/blobs/sha256", "z", "z", 1, 0644), 0);
	snprintf(p, sizeof(p), "%s/blobs/sha256/z", d);
	assert_int_equal(access(p, F_OK), 0);
	/* a link as the target, even to a file inside: refused, kept */
	snprintf(p, sizeof(p), "%s/index.json", d);
	assert_int_equal(symlink("blobs/sha256/x", p), 0);
	assert_int_equal(write_in_root(rootfd, "", "index.json", "i", 1, 0644), -EINVAL);
	snprintf(p, sizeof(p), "%s/dangling", d);
	snprintf(p + 2048, 2048, "%s/planted", out);
	assert_int_equal(symlink(p + 2048, p), 0);
	assert_int_equal(write_in_root(rootfd, "", "dangling", "i", 1, 0644), -EINVAL);
	assert_int_equal(access(p + 2048, F_OK), -1);
	assert_int_equal(write_in_root(rootfd, "", "../escape", "i", 1, 0644), -EINVAL);
	/* the outside directory stays empty */
	snprintf(p, sizeof(p), "%s/y", out);
	assert_int_equal(access(p, F_OK), -1);
	close(rootfd);
	root_open_force_fallback(false);
	scratch_remove(d);
	scratch_remove(out);
}

static void test_write_in_root_openat2(void **state)
{
	(void)state;
	check_write_in_root(false);
}

static void test_write_in_root_fallback(void **state)
{
	(void)state;
	check_write_in_root(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discovery_openat2),
		cmocka_unit_test(test_discovery_fallback),
		cmocka_unit_test(test_open_in_root_openat2),
		cmocka_unit_test(test_open_in_root_fallback),
		cmocka_unit_test(test_read_regular),
		cmocka_unit_test(test_too_big_words),
		cmocka_unit_test(test_write_in_root_openat2),
		cmocka_unit_test(test_write_in_root_fallback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
