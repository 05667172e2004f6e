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
#include "shared/array.h"
#include "shared/root-open.h"
#include "shared/util.h"

static const char *const area_defaults[_NFD_PATH_MAX] = {
	[NFD_PATH_SYS] = "/sys",   [NFD_PATH_PROC] = "/proc", [NFD_PATH_ETC] = "/etc",
	[NFD_PATH_BOOT] = "/boot", [NFD_PATH_LIB] = "/lib",   [NFD_PATH_USR] = "/usr",
	[NFD_PATH_VAR] = "/var",
};

/* base is a leading part of path that ends at a '/' (or is all of it) */
static size_t under(const char *path, const char *base)
{
	size_t n = strlen(base);

	while (n > 1 && base[n - 1] == '/')
		n--;
	if (strncmp(path, base, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return 0;
	return n;
}

/* s == path_join(a, b), without building it: this runs on every read */
static bool is_join_of(const char *s, const char *a, const char *b)
{
	size_t la = strlen(a);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	if (strncmp(s, a, la) != 0)
		return false;
	s += la;
	if (*b == '\0')
		return *s == '\0';
	if (!(la == 1 && a[0] == '/') && la > 0 && *s++ != '/')
		return false;
	return streq(s, b);
}

/*
 * The directory that stands for "/" when path is read: the root set with
 * nfd_ctx_set_root() for a path below it, else the area (a /host-* prefix
 * or a path set with nfd_ctx_set_path()) the path is below, the longest
 * match winning.  NULL when nothing confines the path: the live host ("/"
 * and the default areas) and the files NFD reads unprefixed.
 */
static char *confining_dir(const struct nfd_ctx *ctx, const char *path)
{
	const char *root = nfd_ctx_get_root(ctx), *best = NULL;
	size_t best_len = 0, n;

	if (!streq(root, "/") && (n = under(path, root)) > 0) {
		best = root;
		best_len = n;
	}
	for (int i = 0; i < _NFD_PATH_MAX; i++) {
		const char *area = nfd__ctx_path(ctx, i);

		/* an area where the root puts it is the root's, not a root of its own */
		if (is_join_of(area, root, area_defaults[i]))
			continue;
		n = under(path, area);
		if (n > best_len) {
			best = area;
			best_len = n;
		}
	}
	return best ? memdup_str(best, best_len) : NULL;
}

int nfd__host_open(const struct nfd_ctx *ctx, const char *path, int flags)
{
	_cleanup_free_ char *base = confining_dir(ctx, path);
	int fd;

	if (!base) {
		fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		return fd < 0 ? -errno : fd;
	}
	return open_in_root_path(base, path + strlen(base), flags);
}

int nfd__host_read_file(const struct nfd_ctx *ctx, const char *path, size_t max, char **ret,
			size_t *ret_len)
{
	_cleanup_close_ int fd = -1;

	fd = nfd__host_open(ctx, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	return read_fd_bounded(fd, max, READ_REGULAR, ret, ret_len);
}

/* Why path could not be read, in words: the helpers' -E2BIG and -EINVAL
 * spelled out (never "Argument list too long"); words is the buffer. */
static const char *unreadable_why(char *words, size_t size, int err)
{
	if (abs(err) == E2BIG) {
		struct read_too_big big = read_last_too_big();

		return format_too_big(words, size, big.size, big.max, "this host file");
	}
	if (abs(err) == EINVAL)
		return "not a regular file (or invalid)";
	return strerror(abs(err));
}

void nfd__warn_unreadable(struct nfd_ctx *ctx, const char *path, int err)
{
	char words[160];

	nfd_warn(ctx, "cannot read '%s', ignoring: %s", path,
		 unreadable_why(words, sizeof(words), err));
}

int nfd__note_unreadable(struct nfd_features *f, const char *feature, const char *path, int err)
{
	char words[160];

	return nfd__features_note_unreadable(f, feature, "cannot read '%s': %s", path,
					     unreadable_why(words, sizeof(words), err));
}

/*
 * One open, one read, one close: a sysfs attribute is produced whole by its
 * first read, and a regular file reads short only at its end, so a short
 * read is the end (read_small_file() confirms it with a second read, which
 * costs a quarter of all syscalls of a discovery run).
 */
static int read_value_once(const struct nfd_ctx *ctx, int dirfd, const char *path, char *buf,
			   size_t size)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	ssize_t n;
	size_t len;

	if (size < 2)
		return -EINVAL;
	if (dirfd == AT_FDCWD)
		fd = nfd__host_open(ctx, path, O_RDONLY | O_NONBLOCK);
	else if ((fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0)
		fd = -errno;
	if (fd < 0)
		return fd;
	/* a FIFO or device in place of an attribute would block or never end */
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
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
		if (n > 0) {
			read_note_too_big(0, size - 1);
			return -E2BIG;
		}
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

	r = read_value_once(ctx, AT_FDCWD, path, buf, size);
	if (r < 0) {
		buf[0] = '\0';
		report_read_error(ctx, path, r, flags);
		return r;
	}
	return strip_leading(buf, r);
}

int nfd__open_dir(const struct nfd_ctx *ctx, const char *path)
{
	return nfd__host_open(ctx, path, O_PATH);
}

/* below a confining directory, a read through dirfd could follow a link out */
bool nfd__host_confined(const struct nfd_ctx *ctx, const char *path)
{
	_cleanup_free_ char *base = confining_dir(ctx, path);

	return base != NULL;
}

int nfd__read_value_in(struct nfd_ctx *ctx, int dirfd, const char *dir, const char *name, char *buf,
		       size_t size, enum nfd_read_flags flags)
{
	int r;

	if (dirfd < 0 || nfd__host_confined(ctx, dir))
		return nfd__read_value_at(ctx, dir, name, buf, size, flags);
	r = read_value_once(ctx, dirfd, name, buf, size);
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

/*
 * getdents64(2) straight into a buffer on the stack: opendir()/fdopendir()
 * would add an fstat and two fcntl calls per directory and a 32 KiB buffer
 * on the heap, for directories that hold a few hundred bytes of names.
 */
int nfd__list_dir(const struct nfd_ctx *ctx, const char *path, char ***ret)
{
	_cleanup_strv_free_ char **names = NULL;
	_cleanup_close_ int fd = -1;
	_Alignas(struct dirent64) char buf[8192];
	size_t n = 0, cap = 0;

	fd = nfd__host_open(ctx, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;

	for (;;) {
		ssize_t got = getdents64(fd, buf, sizeof(buf));

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (got == 0)
			break;
		for (size_t off = 0; off < (size_t)got;) {
			const struct dirent64 *de = (const struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (streq(de->d_name, ".") || streq(de->d_name, ".."))
				continue;
			if (ARRAY_RESERVE(names, cap, n + 2) < 0)
				return -ENOMEM;
			names[n] = strdup(de->d_name);
			if (!names[n])
				return -ENOMEM;
			names[++n] = NULL;
		}
	}

	if (!names) {
		names = calloc(1, sizeof(*names));
		if (!names)
			return -ENOMEM;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	*ret = TAKE_PTR(names);
	return (int)n;
}

int nfd__path_exists(const struct nfd_ctx *ctx, const char *path)
{
	int fd = nfd__host_open(ctx, path, O_PATH);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	/* ELOOP: a link that leads nowhere inside the root, as a dangling one */
	if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP || fd == -EXDEV)
		return 0;
	return fd;
}

int nfd__path_exists_in(const struct nfd_ctx *ctx, int dirfd, const char *dir, const char *name)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;

	if (dirfd < 0 || nfd__host_confined(ctx, dir)) {
		path = path_join(dir, name);
		return path ? nfd__path_exists(ctx, path) : -ENOMEM;
	}
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
	    streq(nfd__ctx_path(ctx, which), defaults[which]) || nfd__path_exists(ctx, p) != 0)
		return p;
	fallback = path_join(defaults[which], rel);
	if (!fallback) {
		free(p);
		return NULL;
	}
	if (nfd__path_exists(ctx, fallback) > 0) {
		free(p);
		return fallback;
	}
	free(fallback);
	return p;
}
