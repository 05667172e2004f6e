/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See root-open.h: confined opens and bounded, non-blocking reads. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shared/root-open.h"
#include "shared/util.h"

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
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size > max)
		return -E2BIG;
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	if (cap > max + 1)
		cap = max + 1;
	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap > max)
				return -E2BIG;
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
		if (len > max)
			return -E2BIG;
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
