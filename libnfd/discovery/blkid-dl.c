/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See blkid-dl.h: libblkid is opened when the storage source first probes a device. */
#define NFD_BLKID_DL_IMPLEMENTATION
#include "libnfd/discovery/blkid-dl.h"
#include "libnfd/dl.h"

struct nfd_blkid_api nfd__blkid;

#define SYM(field)                                                                                 \
	{                                                                                          \
		"blkid_" #field, (void **)&nfd__blkid.field                                        \
	}
static const struct nfd_dl_sym syms[] = {
	SYM(new_probe),
	SYM(free_probe),
	SYM(probe_set_device),
	SYM(probe_enable_superblocks),
	SYM(probe_set_superblocks_flags),
	SYM(probe_enable_partitions),
	SYM(probe_set_partitions_flags),
	SYM(do_safeprobe),
	SYM(probe_lookup_value),
};

/* libblkid's SONAME, unchanged since util-linux took it over */
static struct nfd_dl_lib lib = {"libblkid.so.1", syms, sizeof(syms) / sizeof(syms[0])};

int nfd__blkid_load(const char **ret_msg)
{
	return nfd__dl_load(&lib, ret_msg);
}
