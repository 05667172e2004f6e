/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See kmod-dl.h: libkmod is opened when the kernel source first needs it. */
#define NFD_KMOD_DL_IMPLEMENTATION
#include "libnfd/discovery/kmod-dl.h"
#include "libnfd/dl.h"

struct nfd_kmod_api nfd__kmod;

static const struct nfd_dl_sym syms[] = {
	{"kmod_new", (void **)&nfd__kmod.new_},
	{"kmod_unref", (void **)&nfd__kmod.unref},
	{"kmod_set_log_fn", (void **)&nfd__kmod.set_log_fn},
	{"kmod_dump_index", (void **)&nfd__kmod.dump_index},
};

/* libkmod's SONAME, unchanged since its first release */
static struct nfd_dl_lib lib = {"libkmod.so.2", syms, sizeof(syms) / sizeof(syms[0])};

int nfd__kmod_load(const char **ret_msg)
{
	return nfd__dl_load(&lib, ret_msg);
}
