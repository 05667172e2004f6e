/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libblkid, opened on first use: the storage source loads it only once a
 * device node could be opened for probing, which in a container, as
 * non-root or on hosts with only empty loop devices is never.  Include this
 * after <blkid.h> in the one file that calls libblkid, and call
 * nfd__blkid_load() first: the blkid_* names below then go through the
 * loaded table.
 */
#pragma once

#include <blkid.h>

struct nfd_blkid_api {
	blkid_probe (*new_probe)(void);
	void (*free_probe)(blkid_probe pr);
	int (*probe_set_device)(blkid_probe pr, int fd, blkid_loff_t off, blkid_loff_t size);
	int (*probe_enable_superblocks)(blkid_probe pr, int enable);
	int (*probe_set_superblocks_flags)(blkid_probe pr, int flags);
	int (*probe_enable_partitions)(blkid_probe pr, int enable);
	int (*probe_set_partitions_flags)(blkid_probe pr, int flags);
	int (*do_safeprobe)(blkid_probe pr);
	int (*probe_lookup_value)(blkid_probe pr, const char *name, const char **data, size_t *len);
};

extern struct nfd_blkid_api nfd__blkid;

/*
 * Load libblkid once per process (thread-safe) and fill nfd__blkid.
 * Returns 0, or -ENOTSUP with a static message in *ret_msg (may be NULL).
 */
int nfd__blkid_load(const char **ret_msg);

#ifndef NFD_BLKID_DL_IMPLEMENTATION
#define blkid_new_probe			  nfd__blkid.new_probe
#define blkid_free_probe		  nfd__blkid.free_probe
#define blkid_probe_set_device		  nfd__blkid.probe_set_device
#define blkid_probe_enable_superblocks	  nfd__blkid.probe_enable_superblocks
#define blkid_probe_set_superblocks_flags nfd__blkid.probe_set_superblocks_flags
#define blkid_probe_enable_partitions	  nfd__blkid.probe_enable_partitions
#define blkid_probe_set_partitions_flags  nfd__blkid.probe_set_partitions_flags
#define blkid_do_safeprobe		  nfd__blkid.do_safeprobe
#define blkid_probe_lookup_value	  nfd__blkid.probe_lookup_value
#endif
