/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Libraries opened on first use (kmod-dl.h, crypto-dl.h, blkid-dl.h): each
 * fills a table of function pointers from its SONAME once per process.  A
 * linked library costs every process its loading and relocation at start-up,
 * needed or not; `nfd export features` needs none of these on most hosts.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct nfd_dl_sym {
	const char *name;
	void **slot; /* where dlsym()'s result goes: (void **)&table.field */
};

struct nfd_dl_lib {
	const char *soname;
	const struct nfd_dl_sym *syms;
	size_t n_syms;
	/* set by nfd__dl_load() */
	bool done;
	int result;
	char msg[256];
};

/*
 * Open lib->soname (RTLD_NOW | RTLD_LOCAL; kept open for the life of the
 * process, as a linked library would be) and fill every slot, once per
 * process and thread-safe.  Returns 0, or -ENOTSUP with a message that
 * lives as long as lib in *ret_msg (ret_msg may be NULL).
 */
int nfd__dl_load(struct nfd_dl_lib *lib, const char **ret_msg);
