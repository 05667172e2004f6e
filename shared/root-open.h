/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening and reading files that an untrusted party laid out: a host root
 * (--root, a /host-* prefix), an OCI image layout, an auth or CA file.
 *
 * open_in_root() resolves a path as if the given directory were "/": "..",
 * absolute symlinks and relative symlinks all stay inside it (an absolute
 * link <root>/etc/os-release -> /usr/lib/os-release opens
 * <root>/usr/lib/os-release).  It uses openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) where the kernel has it (Linux >= 5.6) and walks
 * the path itself otherwise, one component at a time with O_NOFOLLOW,
 * resolving at most ROOT_OPEN_MAX_LINKS symbolic links.
 *
 * read_fd_bounded() and the READ_REGULAR flag are the other half: a reader
 * that opens with O_NONBLOCK, refuses anything but a regular file (a FIFO,
 * socket or device would block or never end) and stops at a size cap.
 * doc/limits.md lists the cap of each kind of file.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define ROOT_OPEN_MAX_LINKS 40 /* as the kernel's MAXSYMLINKS */

/*
 * Open path below the directory rootfd as if rootfd were "/" (a leading '/'
 * in path is allowed).  flags are open(2) flags; O_CLOEXEC and O_NOCTTY are
 * always added.  Returns an fd or -errno (-ELOOP after too many links,
 * -ENOENT where a link leads to nothing inside the root, -EXDEV where a
 * magic link of /proc would be followed).
 */
int open_in_root(int rootfd, const char *path, int flags);

/*
 * The same with the root given as a path; a NULL root or "/" opens path
 * plainly (the whole file system is the root).
 */
int open_in_root_path(const char *root, const char *path, int flags);

/* Tests only: true forces the userspace walk even where openat2 exists. */
void root_open_force_fallback(bool force);

enum read_flags {
	READ_REGULAR = 1 << 0, /* refuse what is not a regular file (-EINVAL) */
};

/*
 * Read what is left of fd, at most max bytes, into a NUL-terminated buffer
 * (the caller frees *ret).  With READ_REGULAR, fd must be a regular file.
 * Returns 0, -EISDIR, -EINVAL (not a regular file), -E2BIG (more than max
 * bytes) or -errno from read(2).
 */
int read_fd_bounded(int fd, size_t max, unsigned flags, char **ret, size_t *ret_len);

/*
 * Open path (below root, see open_in_root_path(); root may be NULL) with
 * O_NONBLOCK and read it as read_fd_bounded() does, with READ_REGULAR.
 */
int read_regular_file(const char *root, const char *path, size_t max, char **ret, size_t *ret_len);
