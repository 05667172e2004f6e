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

/*
 * Write len bytes of buf as the file dir/name below rootfd, confined as
 * open_in_root() confines reads: dir ("" for the root itself) is resolved
 * inside the root (a link to an outside directory leads inside it, or
 * nowhere), its missing components are created (mode 0755).  The data goes
 * to a new temporary file in that directory (O_CREAT | O_EXCL | O_NOFOLLOW),
 * is fsync'ed, given mode and renamed over name, so readers see the old or
 * the new file, never a part.  An existing name that is not a regular file
 * (a symbolic link, FIFO, directory) is refused, never written through or
 * replaced.  Returns 0, -EINVAL (name exists and is not a regular file),
 * -ENOTDIR, or -errno of the system calls.
 */
int write_in_root(int rootfd, const char *dir, const char *name, const void *buf, size_t len,
		  unsigned mode);

/* Tests only: true forces the userspace walk even where openat2 exists. */
void root_open_force_fallback(bool force);

enum read_flags {
	READ_REGULAR = 1 << 0, /* refuse what is not a regular file (-EINVAL) */
};

/*
 * Read what is left of fd, at most max bytes, into a NUL-terminated buffer
 * (the caller frees *ret).  With READ_REGULAR, fd must be a regular file.
 * Returns 0, -EISDIR, -EINVAL (not a regular file), -E2BIG (more than max
 * bytes; see read_last_too_big()) or -errno from read(2).
 */
int read_fd_bounded(int fd, size_t max, unsigned flags, char **ret, size_t *ret_len);

/*
 * Open path (below root, see open_in_root_path(); root may be NULL) with
 * O_NONBLOCK and read it as read_fd_bounded() does, with READ_REGULAR.
 */
int read_regular_file(const char *root, const char *path, size_t max, char **ret, size_t *ret_len);

/*
 * Every -E2BIG of the readers here (read_fd_bounded(), read_regular_file(),
 * read_file(), read_small_file()) leaves, like errno, the size it found and
 * the cap it was over in a record of the calling thread, so that the message
 * that reports it can name both without each caller passing them on.  size is
 * 0 where the size is not known (a stream that went on past the cap).
 */
struct read_too_big {
	unsigned long long size;
	unsigned long long max;
};

void read_note_too_big(unsigned long long size, unsigned long long max);
struct read_too_big read_last_too_big(void);

/*
 * "5.2 MiB", "64 KiB", "300 bytes" (exact units without a decimal, a size
 * that would print as a round number while it is not, in bytes).  Returns
 * buf, of at least FORMAT_SIZE_MAX bytes.
 */
#define FORMAT_SIZE_MAX 48
char *format_size(unsigned long long n, char *buf);

/*
 * The words of an oversized input, without the file's name:
 * "5.2 MiB is over the 4 MiB limit for specs (doc/limits.md)", or with an
 * unknown size (0) "more than 4 MiB, over the 4 MiB limit for ...".  kind
 * names the kind of file in the plural; NULL says "for this kind of file".
 * Returns buf (truncated to size bytes).
 */
char *format_too_big(char *buf, size_t size, unsigned long long found, unsigned long long max,
		     const char *kind);
