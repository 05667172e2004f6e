/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Discovery sources: one per NFD feature source, named in the registry
 * (libnfd/sources.h) and bound to it in discover.c, plus the small file helpers they share
 * (source-util.c).
 *
 * Contract for a source's discover():
 *  - it reads the host only through nfd__path(ctx, NFD_PATH_x, ...), so the
 *    context's root, host prefix or per-area paths redirect all of it;
 *  - it adds NFD-named features ("<source>.<feature>") into f, which is
 *    unsealed and shared by all sources of one nfd_discover() call; it never
 *    removes or replaces what another source added;
 *  - an unreadable file or device costs only its element or instance, with a
 *    nfd_warn(); a missing directory that NFD treats as a source error leaves
 *    that feature out, with a warning (NFD would fail the whole export);
 *  - a feature that was discovered but has no elements is declared
 *    (nfd_features_declare) so the JSON shows "elements": {} or [];
 *  - it returns 0, or a negative errno only when it cannot go on at all
 *    (-ENOMEM, which aborts nfd_discover()); any other negative value is
 *    logged by nfd_discover() and the remaining sources still run.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/sources.h"

struct nfd_source {
	int (*discover)(struct nfd_ctx *ctx, struct nfd_features *f);
};

/* nfd__source_<name> for each name of the registry (libnfd/sources.h), defined
 * in libnfd/discovery/source-<name>.c. */
#define NFD_SOURCE_DECLARE_(name) extern const struct nfd_source nfd__source_##name;
NFD_SOURCES(NFD_SOURCE_DECLARE_)
#undef NFD_SOURCE_DECLARE_

/* ------------------------------------------------ helpers (source-util.c) */

/*
 * How nfd__read_value() reports a failed read.  Sysfs attributes that NFD
 * reads "if present" are routinely missing (ENOENT) or refuse to be read
 * (speed of a link that is down: EINVAL); those must not flood the log.
 */
enum nfd_read_flags {
	NFD_READ_WARN = 0,     /* warn on every error */
	NFD_READ_OPTIONAL = 1, /* ENOENT is silent (debug only) */
	NFD_READ_QUIET = 2,    /* every error is silent (debug only) */
};

/*
 * Read a small sysfs/procfs file, strip leading and trailing whitespace.
 * Returns the value's length (>= 0) or -errno.  A failure other than those
 * silenced by flags is logged as "cannot read '<path>', ignoring: <error>".
 */
int nfd__read_value(struct nfd_ctx *ctx, const char *path, char *buf, size_t size,
		    enum nfd_read_flags flags);
/* Same for "dir/name". */
int nfd__read_value_at(struct nfd_ctx *ctx, const char *dir, const char *name, char *buf,
		       size_t size, enum nfd_read_flags flags);

/*
 * For several reads below one directory: open it once (O_PATH; returns the
 * fd or -errno, as open(2) would fail), then read "dir/name" through the fd
 * with nfd__read_value_in() (dir only names the file in messages, which are
 * those of nfd__read_value_at(); a dirfd < 0, a directory that did not open,
 * reads by path).  A short lookup from an open directory
 * spares sysfs the walk of the whole path, symlinks included, on every read:
 * about 5 us of a sysfs open's 10.
 */
int nfd__open_dir(const struct nfd_ctx *ctx, const char *path);
int nfd__read_value_in(struct nfd_ctx *ctx, int dirfd, const char *dir, const char *name, char *buf,
		       size_t size, enum nfd_read_flags flags);

/*
 * The entries of a directory except "." and "..", sorted bytewise like Go's
 * os.ReadDir.  *ret is a NULL-terminated array; free it with strv_free().
 * Returns the number of entries (>= 0) or -errno from opendir/readdir.
 */
int nfd__list_dir(const struct nfd_ctx *ctx, const char *path, char ***ret);
void strv_free(char **v);
static inline void strv_freep(char ***v)
{
	strv_free(*v);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

/*
 * True if path exists (following symlinks, inside the root: see
 * nfd__host_open()); -errno on other errors.
 */
int nfd__path_exists(const struct nfd_ctx *ctx, const char *path);
/* Same for "dir/name", through the directory dirfd opened by nfd__open_dir(). */
int nfd__path_exists_in(const struct nfd_ctx *ctx, int dirfd, const char *dir, const char *name);

/*
 * Every read of the host goes through these two.  nfd__host_open() opens a
 * path made with nfd__path() as if the context's root were "/": symbolic
 * links and ".." never leave the root (an absolute link resolves inside
 * it).  With a host prefix or per-area paths but no root, each area is its
 * own root; the live host (root "/", default areas) and the files NFD
 * reads unprefixed are opened plainly.  flags are open(2) flags.  Returns
 * an fd or -errno.
 *
 * nfd__host_read_file() reads a whole file so opened (non-blocking), which
 * must be a regular file (-EINVAL for a FIFO, socket or device) of at most
 * max bytes (-E2BIG).  The caps per kind of file are listed in
 * doc/limits.md.
 */
int nfd__host_open(const struct nfd_ctx *ctx, const char *path, int flags);
/* True when nfd__host_open() confines path to a root or area. */
bool nfd__host_confined(const struct nfd_ctx *ctx, const char *path);
int nfd__host_read_file(const struct nfd_ctx *ctx, const char *path, size_t max, char **ret,
			size_t *ret_len);

/* "cannot read '%s', ignoring: %s" — the one warning for a lost element. */
void nfd__warn_unreadable(struct nfd_ctx *ctx, const char *path, int err);

/*
 * Note on f that feature (or a whole source: "kernel") is missing because
 * path could not be read (err: a negative errno), for the explanations of
 * a report: "<feature> could not be read: cannot read '<path>': <why>".
 * The warning is the caller's.  Returns 0 or -ENOMEM.
 */
int nfd__note_unreadable(struct nfd_features *f, const char *feature, const char *path, int err);

/*
 * What libblkid finds on a block device node (or image file); "" where it
 * finds nothing.  Returns 0 (also when nothing was recognised), -errno when
 * the node cannot be opened, -EOPNOTSUPP without libblkid.
 */
struct nfd_blkid_info {
	char fstype[64];
	char uuid[64];
	char label[256];
	char pttype[64];
	char ptuuid[64];
};
int nfd__blkid_probe(const char *node, struct nfd_blkid_info *ret);

/*
 * NFD reads a few files without its host prefix: /proc/sys/kernel/osrelease,
 * /proc/modules, /proc/config.gz, /lib/modules/<rel>/build/.config and the
 * features.d directory.  libnfd reads them through the areas, so a root
 * describes a whole host.  In NFD's container layout (a host prefix or
 * per-area paths, but no root: nfd_ctx_get_root() is "/") an area holds
 * only what NFD's DaemonSet mounts there (e.g. /host-proc/swaps), so a file
 * missing from its area is then read where NFD reads it, in this process's
 * own /proc, /etc or /lib.
 *
 * Returns the path to read (malloc'ed; the area's one unless only the
 * unprefixed one exists), or NULL on ENOMEM.
 */
char *nfd__path_nfd_unprefixed(const struct nfd_ctx *ctx, enum nfd_path which, const char *rel);
