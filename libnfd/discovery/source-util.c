/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * File helpers shared by the discovery sources: bounded reads of sysfs-style
 * values with one warning policy, and sorted directory listings (NFD lists
 * directories with Go's os.ReadDir, which sorts names bytewise).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libnfd/discovery/source.h"
#include "shared/util.h"

void nfd__warn_unreadable(struct nfd_ctx *ctx, const char *path, int err)
{
	nfd_warn(ctx, "cannot read '%s', ignoring: %s", path, strerror(abs(err)));
}

/*
 * One open, one read, one close: a sysfs attribute is produced whole by its
 * first read, and a regular file reads short only at its end, so a short
 * read is the end (read_small_file() confirms it with a second read, which
 * costs a quarter of all syscalls of a discovery run).
 */
static int read_value_once(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	ssize_t n;
	size_t len;

	if (size < 2)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	len = (size_t)n;
	if (len == size - 1) {
		char c;

		/* full buffer: the value may go on */
		do
			n = read(fd, &c, 1);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			return -E2BIG;
	}
	while (len > 0 && isspace((unsigned char)buf[len - 1]))
		len--;
	buf[len] = '\0';
	return (int)len;
}

static void report_read_error(struct nfd_ctx *ctx, const char *path, int r,
			      enum nfd_read_flags flags)
{
	if (flags & NFD_READ_QUIET || (flags & NFD_READ_OPTIONAL && r == -ENOENT))
		nfd_dbg(ctx, "cannot read '%s': %s", path, strerror(-r));
	else
		nfd__warn_unreadable(ctx, path, r);
}

/* the end is stripped; sysfs values never want leading blanks either */
static int strip_leading(char *buf, int len)
{
	size_t skip = strspn(buf, " \t\n\r\f\v");

	if (skip > 0) {
		len -= (int)skip;
		memmove(buf, buf + skip, (size_t)len + 1);
	}
	return len;
}

int nfd__read_value(struct nfd_ctx *ctx, const char *path, char *buf, size_t size,
		    enum nfd_read_flags flags)
{
	int r;

	r = read_value_once(AT_FDCWD, path, buf, size);
	if (r < 0) {
		buf[0] = '\0';
		report_read_error(ctx, path, r, flags);
		return r;
	}
	return strip_leading(buf, r);
}

int nfd__open_dir(const char *path)
{
	int fd = open(path, O_PATH | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int nfd__read_value_in(struct nfd_ctx *ctx, int dirfd, const char *dir, const char *name, char *buf,
		       size_t size, enum nfd_read_flags flags)
{
	int r;

	if (dirfd < 0)
		return nfd__read_value_at(ctx, dir, name, buf, size, flags);
	r = read_value_once(dirfd, name, buf, size);
	if (r < 0) {
		_cleanup_free_ char *path = path_join(dir, name);

		buf[0] = '\0';
		if (!path)
			return -ENOMEM;
		report_read_error(ctx, path, r, flags);
		return r;
	}
	return strip_leading(buf, r);
}

int nfd__read_value_at(struct nfd_ctx *ctx, const char *dir, const char *name, char *buf,
		       size_t size, enum nfd_read_flags flags)
{
	_cleanup_free_ char *path = path_join(dir, name);

	if (!path) {
		buf[0] = '\0';
		return -ENOMEM;
	}
	return nfd__read_value(ctx, path, buf, size, flags);
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nfd__list_dir(const char *path, char ***ret)
{
	_cleanup_strv_free_ char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;
	int r = 0;

	d = opendir(path);
	if (!d)
		return -errno;

	for (;;) {
		struct dirent *de;

		errno = 0;
		de = readdir(d);
		if (!de) {
			r = -errno;
			break;
		}
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (n + 2 > cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nv = realloc(names, ncap * sizeof(*nv));

			if (!nv) {
				r = -ENOMEM;
				break;
			}
			names = nv;
			cap = ncap;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			r = -ENOMEM;
			break;
		}
		names[++n] = NULL;
	}
	closedir(d);
	if (r < 0)
		return r;

	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names)
			return -ENOMEM;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	*ret = TAKE_PTR(names);
	return (int)n;
}

int nfd__path_exists(const char *path)
{
	return nfd__path_exists_in(AT_FDCWD, path);
}

int nfd__path_exists_in(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, 0) == 0)
		return 1;
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return -errno;
}

char *nfd__path_nfd_unprefixed(const struct nfd_ctx *ctx, enum nfd_path which, const char *rel)
{
	static const char *const defaults[_NFD_PATH_MAX] = {
		[NFD_PATH_SYS] = "/sys",   [NFD_PATH_PROC] = "/proc", [NFD_PATH_ETC] = "/etc",
		[NFD_PATH_BOOT] = "/boot", [NFD_PATH_LIB] = "/lib",   [NFD_PATH_USR] = "/usr",
		[NFD_PATH_VAR] = "/var",
	};
	const char *root = nfd_ctx_get_root(ctx);
	char *p, *fallback;

	p = nfd__path(ctx, which, rel);
	if (!p || (unsigned)which >= _NFD_PATH_MAX || !root || !streq(root, "/") ||
	    streq(nfd__ctx_path(ctx, which), defaults[which]) || nfd__path_exists(p) != 0)
		return p;
	fallback = path_join(defaults[which], rel);
	if (!fallback) {
		free(p);
		return NULL;
	}
	if (nfd__path_exists(fallback) > 0) {
		free(p);
		return fallback;
	}
	free(fallback);
	return p;
}
