/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replacing a file through a temporary one (shared/write-file.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "shared/write-file.h"

static char dir[] = "/tmp/nfd-write-file.XXXXXX";

/* The entries of dir whose names start with a dot (or do not), "." and ".." aside. */
static int count_entries(bool hidden)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n += (de->d_name[0] == '.') == hidden;
	closedir(d);
	return n;
}

static void assert_file(int dfd, const char *name, const char *want, mode_t mode)
{
	char buf[256];
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, mode);
	close(fd);
}

/* The buffers are joined, the mode is the one asked for whatever the
 * umask, a second write replaces the first, and no temporary file stays. */
static void test_write_and_replace(void **state)
{
	struct iovec iov[] = {{(void *)"head ", 5}, {(void *)"", 0}, {(void *)"body", 4}};
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	mode_t old = umask(0077);

	(void)state;
	assert_int_equal(write_file_replace(dfd, "f", iov, 3, 0644, WRITE_FILE_SYNC), 0);
	assert_file(dfd, "f", "head body", 0644);
	assert_int_equal(write_file_replace(dfd, "f", iov + 2, 1, 0600, 0), 0);
	assert_file(dfd, "f", "body", 0600);
	assert_int_equal(count_entries(false), 1);
	assert_int_equal(count_entries(true), 0);
	umask(old);
	close(dfd);
}

/* Names that are not one path component are refused before anything is
 * created; a failed write leaves the old file and no temporary one. */
static void test_refused(void **state)
{
	struct iovec iov = {(void *)"x", 1};
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_int_equal(write_file_replace(dfd, "", &iov, 1, 0644, 0), -EINVAL);
	assert_int_equal(write_file_replace(dfd, "a/b", &iov, 1, 0644, 0), -EINVAL);
	assert_int_equal(write_file_replace(dfd, "..", &iov, 1, 0644, 0), -EINVAL);
	/* renaming a file over a directory fails: the directory stays */
	assert_int_equal(mkdirat(dfd, "d", 0755), 0);
	assert_int_equal(write_file_replace(dfd, "d", &iov, 1, 0644, 0), -EISDIR);
	assert_int_equal(count_entries(true), 0);
	assert_int_equal(unlinkat(dfd, "d", AT_REMOVEDIR), 0);
	assert_int_equal(write_file_replace(-1, "f", &iov, 1, 0644, 0), -EBADF);
	close(dfd);
}

/* A long name still gets a temporary name within NAME_MAX. */
static void test_long_name(void **state)
{
	char name[251];
	struct iovec iov = {(void *)"long", 4};
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(write_file_replace(dfd, name, &iov, 1, 0640, 0), 0);
	assert_file(dfd, name, "long", 0640);
	assert_int_equal(unlinkat(dfd, name, 0), 0);
	assert_int_equal(count_entries(true), 0);
	close(dfd);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_and_replace),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
