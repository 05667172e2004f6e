/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replacing a file so that readers see the old or the new contents, never
 * a part: the one temporary-file-and-rename writer that the OCI layout, the
 * hook's spec cache and `nfd compat publish` share.
 */
#pragma once

#include <stddef.h>
#include <sys/uio.h>

/* Prefix of the temporary files; a crash can leave one behind. */
#define WRITE_FILE_TMP_PREFIX ".tmp."

enum write_file_flags {
	/* fsync() before the rename: the new contents survive a power loss.
	 * A cache may skip it; what it loses is fetched again. */
	WRITE_FILE_SYNC = 1 << 0,
};

/*
 * Write the n_iov buffers of iov as the file name in the directory dfd:
 * into a new temporary file there (O_CREAT | O_EXCL | O_NOFOLLOW, named
 * WRITE_FILE_TMP_PREFIX + name + a unique tail), given mode with fchmod()
 * (so the umask does not matter), then renamed over name.  name is one
 * path component.  The caller checks what name may replace (write_in_root()
 * refuses anything but a regular file).  Returns 0, or -errno; on failure
 * the temporary file is removed and name is untouched.
 */
int write_file_replace(int dfd, const char *name, const struct iovec *iov, size_t n_iov,
		       unsigned mode, unsigned flags);
