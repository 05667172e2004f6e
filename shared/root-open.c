/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See root-open.h: confined opens and bounded, non-blocking reads. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shared/root-open.h"
#include "shared/util.h"
#include "shared/write-file.h"

#ifndef RESOLVE_NO_MAGICLINKS
#define RESOLVE_NO_MAGICLINKS 0x02
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef SYS_openat2
#if defined(__NR_openat2)
#define SYS_openat2 __NR_openat2
#else
#define SYS_openat2 437 /* the same number on every architecture */
#endif
#endif

/* struct open_how of linux/openat2.h, spelled out for older headers */
struct root_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

static atomic_bool openat2_missing;
static atomic_bool force_fallback;

void root_open_force_fallback(bool force)
{
	atomic_store(&force_fallback, force);
}

/* -ENOSYS where the kernel (or a seccomp filter) has no openat2 */
static int try_openat2(int rootfd, const char *path, int flags)
{
	struct root_open_how how = {
		.flags = (uint64_t)(unsigned)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	if (atomic_load(&force_fallback) || atomic_load(&openat2_missing))
		return -ENOSYS;
	/* RESOLVE_IN_ROOT fails with EAGAIN when a rename raced the walk */
	for (int i = 0; i < 8; i++) {
		fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN && errno != EINTR)
			break;
	}
	/* old seccomp profiles answer EPERM for system calls they do not know */
	if (errno == ENOSYS || errno == EPERM || errno == E2BIG) {
		atomic_store(&openat2_missing, true);
		return -ENOSYS;
	}
	return -errno;
}

/*
 * The userspace walk.  dirs[0] is the root; dirs[1..depth] the directories
 * entered so far ("..": pop, never below the root).  todo holds what is left
 * to resolve; a symbolic link's target replaces its component (an absolute
 * one after a return to the root).
 */
#define WALK_MAX_DEPTH 256

struct walk {
	int dirs[WALK_MAX_DEPTH + 1];
	int depth;
};

static void walk_pop_to(struct walk *w, int depth)
{
	while (w->depth > depth)
		close(w->dirs[w->depth--]);
}

static int todo_prepend(char **todo, size_t *pos, const char *target)
{
	size_t rest = strlen(*todo + *pos), tl = strlen(target);
	char *n = malloc(tl + 1 + rest + 1);

	if (!n)
		return -ENOMEM;
	memcpy(n, target, tl);
	n[tl] = '/';
	memcpy(n + tl + 1, *todo + *pos, rest + 1);
	free(*todo);
	*todo = n;
	*pos = 0;
	return 0;
}

static int walk_open(int rootfd, const char *path, int flags)
{
	struct walk w = {.depth = 0};
	_cleanup_free_ char *todo = strdup(path);
	size_t pos = 0;
	int links = 0, r;

	if (!todo)
		return -ENOMEM;
	w.dirs[0] = rootfd;
	for (;;) {
		char name[NAME_MAX + 1];
		const char *c = todo + pos;
		size_t len;
		bool last;
		struct stat st;
		int fd;

		while (*c == '/')
			c++;
		len = strcspn(c, "/");
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			goto out;
		}
		memcpy(name, c, len);
		name[len] = '\0';
		pos = (size_t)(c - todo) + len;
		last = todo[pos + strspn(todo + pos, "/")] == '\0';
		if (len == 0 || streq(name, ".")) {
			if (!last)
				continue;
			/* the directory reached is the result */
			r = openat(w.dirs[w.depth], ".", flags | O_CLOEXEC | O_NOCTTY);
			r = r < 0 ? -errno : r;
			goto out;
		}
		if (streq(name, "..")) {
			if (w.depth > 0)
				walk_pop_to(&w, w.depth - 1);
			if (!last)
				continue;
			r = openat(w.dirs[w.depth], ".", flags | O_CLOEXEC | O_NOCTTY);
			r = r < 0 ? -errno : r;
			goto out;
		}
		fd = openat(w.dirs[w.depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			goto out;
		}
		if (fstat(fd, &st) < 0) {
			r = -errno;
			close(fd);
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);

			close(fd);
			if (n < 0) {
				r = -errno;
				goto out;
			}
			target[n] = '\0';
			if (++links > ROOT_OPEN_MAX_LINKS) {
				r = -ELOOP;
				goto out;
			}
			if ((flags & O_NOFOLLOW) && last) {
				r = -ELOOP;
				goto out;
			}
			if (target[0] == '/')
				walk_pop_to(&w, 0);
			r = todo_prepend(&todo, &pos, target);
			if (r < 0)
				goto out;
			continue;
		}
		if (last) {
			close(fd);
			/* O_NOFOLLOW: a link swapped in since the check is refused */
			r = openat(w.dirs[w.depth], name,
				   flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
			r = r < 0 ? -errno : r;
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			r = -ENOTDIR;
			goto out;
		}
		if (w.depth == WALK_MAX_DEPTH) {
			close(fd);
			r = -ENAMETOOLONG;
			goto out;
		}
		w.dirs[++w.depth] = fd;
	}
out:
	walk_pop_to(&w, 0);
	return r;
}

int open_in_root(int rootfd, const char *path, int flags)
{
	int r;

	if (!*path)
		return -ENOENT;
	/* openat2 refuses O_PATH with flags other than O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC */
	r = try_openat2(rootfd, path, flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY));
	if (r != -ENOSYS)
		return r;
	return walk_open(rootfd, path, flags);
}

int open_in_root_path(const char *root, const char *path, int flags)
{
	_cleanup_close_ int rootfd = -1;
	int fd;

	if (!root || streq(root, "/")) {
		fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		return fd < 0 ? -errno : fd;
	}
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	return open_in_root(rootfd, path, flags);
}

/* dir below rootfd as an O_PATH fd, its missing components created */
static int open_dir_creating(int rootfd, const char *dir)
{
	_cleanup_free_ char *prefix = strdup(dir);
	size_t pos = 0;

	if (!prefix)
		return -ENOMEM;
	if (!*dir) {
		int fd = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

		return fd < 0 ? -errno : fd;
	}
	for (;;) {
		size_t end = pos + strcspn(dir + pos, "/");
		bool last = dir[end] == '\0';
		int fd;

		prefix[end] = '\0';
		fd = open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
		if (fd == -ENOENT) {
			/* mkdirat() never follows a link in the last component: a
			 * dangling link stays (EEXIST) and fails the open below */
			_cleanup_close_ int parent = -1;
			const char *base = strrchr(prefix, '/');

			if (base) {
				*(char *)base = '\0';
				parent = open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
				*(char *)base = '/';
				if (parent < 0)
					return parent;
			}
			if (mkdirat(base ? parent : rootfd, base ? base + 1 : prefix, 0755) < 0 &&
			    errno != EEXIST)
				return -errno;
			fd = open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
		}
		if (fd < 0 || last)
			return fd;
		close(fd);
		prefix[end] = '/';
		pos = end + 1;
	}
}

int write_in_root(int rootfd, const char *dir, const char *name, const void *buf, size_t len,
		  unsigned mode)
{
	_cleanup_close_ int dfd = -1;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct stat st;

	if (!*name || strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EINVAL;
	dfd = open_dir_creating(rootfd, dir);
	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode))
			return -EINVAL;
	} else if (errno != ENOENT) {
		return -errno;
	}
	return write_file_replace(dfd, name, &iov, 1, mode, WRITE_FILE_SYNC);
}

static _Thread_local struct read_too_big last_too_big;

void read_note_too_big(unsigned long long size, unsigned long long max)
{
	last_too_big = (struct read_too_big){.size = size, .max = max};
}

struct read_too_big read_last_too_big(void)
{
	return last_too_big;
}

char *format_size(unsigned long long n, char *buf)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	unsigned long long unit = 1024;
	size_t u = 0;

	if (n < 1024) {
		snprintf(buf, FORMAT_SIZE_MAX, "%llu byte%s", n, n == 1 ? "" : "s");
		return buf;
	}
	while (u + 1 < sizeof(units) / sizeof(units[0]) && n >= unit * 1024) {
		unit *= 1024;
		u++;
	}
	if (n % unit == 0) {
		snprintf(buf, FORMAT_SIZE_MAX, "%llu %s", n / unit, units[u]);
		return buf;
	}
	/* tenths, rounded; a size that would look round ("4.0 MiB" for 4 MiB
	 * and a byte) is given in bytes */
	unsigned long long tenths = n / unit * 10 + (n % unit * 10 + unit / 2) / unit;

	if (tenths % 10 == 0)
		snprintf(buf, FORMAT_SIZE_MAX, "%llu bytes", n);
	else
		snprintf(buf, FORMAT_SIZE_MAX, "%llu.%llu %s", tenths / 10, tenths % 10, units[u]);
	return buf;
}

char *format_too_big(char *buf, size_t size, unsigned long long found, unsigned long long max,
		     const char *kind)
{
	char f[FORMAT_SIZE_MAX], m[FORMAT_SIZE_MAX];

	format_size(max, m);
	if (found > max)
		snprintf(buf, size, "%s is over the %s limit for %s (doc/limits.md)",
			 format_size(found, f), m, kind ? kind : "this kind of file");
	else
		snprintf(buf, size, "more than %s, over the %s limit for %s (doc/limits.md)", m, m,
			 kind ? kind : "this kind of file");
	return buf;
}

int read_fd_bounded(int fd, size_t max, unsigned flags, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if ((flags & READ_REGULAR) && !S_ISREG(st.st_mode))
		return -EINVAL;
	/* sysfs and procfs report size 4096 or 0 whatever the content: read on */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size > max) {
		read_note_too_big((unsigned long long)st.st_size, max);
		return -E2BIG;
	}
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	if (cap > max + 1)
		cap = max + 1;
	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap > max) {
				read_note_too_big(0, max);
				return -E2BIG;
			}
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *p = realloc(buf, ncap + 1);

			if (!p)
				return -ENOMEM;
			buf = p;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			read_note_too_big(0, max);
			return -E2BIG;
		}
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	if (ret_len)
		*ret_len = len;
	return 0;
}

int read_regular_file(const char *root, const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;

	fd = open_in_root_path(root, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	return read_fd_bounded(fd, max, READ_REGULAR, ret, ret_len);
}
