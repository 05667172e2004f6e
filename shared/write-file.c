/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See write-file.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shared/macro.h"
#include "shared/write-file.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new temporary file in dfd: its descriptor, its name in tmp. */
static int create_temporary(int dfd, const char *name, char tmp[static NAME_MAX + 1])
{
	static atomic_uint counter;

	for (int tries = 0;; tries++) {
		struct timespec ts;
		int fd;

		clock_gettime(CLOCK_REALTIME, &ts);
		/* pid, time and a counter: unique across processes and threads */
		if (snprintf(tmp, NAME_MAX + 1, WRITE_FILE_TMP_PREFIX "%.200s.%x%lx%x", name,
			     (unsigned)getpid(), (unsigned long)ts.tv_nsec,
			     atomic_fetch_add(&counter, 1)) > NAME_MAX)
			return -ENAMETOOLONG;
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST || tries == 16)
			return -errno;
	}
}

int write_file_replace(int dfd, const char *name, const struct iovec *iov, size_t n_iov,
		       unsigned mode, unsigned flags)
{
	char tmp[NAME_MAX + 1];
	int fd, r = 0;

	if (!*name || strchr(name, '/') || streq(name, ".") || streq(name, ".."))
		return -EINVAL;
	fd = create_temporary(dfd, name, tmp);
	if (fd < 0)
		return fd;
	for (size_t i = 0; i < n_iov && r == 0; i++)
		r = write_all(fd, iov[i].iov_base, iov[i].iov_len);
	if (r == 0 && fchmod(fd, (mode_t)mode) < 0)
		r = -errno;
	if (r == 0 && (flags & WRITE_FILE_SYNC) && fsync(fd) < 0)
		r = -errno;
	/* close() reports a delayed write error (NFS) */
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0)
		(void)unlinkat(dfd, tmp, 0);
	return r;
}
