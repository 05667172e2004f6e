// SPDX-License-Identifier: LGPL-2.1-or-later
/* See kmod-dl.h: libkmod is opened when the kernel source first needs it. */
#define NFD_KMOD_DL_IMPLEMENTATION
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "libnfd/kmod-dl.h"

/* libkmod's SONAME, unchanged since its first release */
#define LIBKMOD_SONAME "libkmod.so.2"

struct nfd_kmod_api nfd__kmod;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_result;
static char load_msg[512];

static void load(void)
{
	void *h = dlopen(LIBKMOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (!h) {
		snprintf(load_msg, sizeof(load_msg), "%s cannot be loaded: %s", LIBKMOD_SONAME,
			 dlerror());
		load_result = -ENOTSUP;
		return;
	}
	/* the casts go through void * as POSIX allows for dlsym */
#define LOAD(field, name)                                          \
	do {                                                       \
		*(void **)&nfd__kmod.field = dlsym(h, name);       \
		if (!nfd__kmod.field && !missing)                  \
			missing = name;                            \
	} while (0)
	LOAD(new_, "kmod_new");
	LOAD(unref, "kmod_unref");
	LOAD(set_log_fn, "kmod_set_log_fn");
	LOAD(dump_index, "kmod_dump_index");
#undef LOAD
	if (missing) {
		snprintf(load_msg, sizeof(load_msg), "%s has no %s", LIBKMOD_SONAME, missing);
		load_result = -ENOTSUP;
		return;
	}
	/* the handle stays open for the life of the process, as a linked library would */
	load_result = 0;
}

int nfd__kmod_load(const char **ret_msg)
{
	pthread_once(&load_once, load);
	if (load_result < 0 && ret_msg)
		*ret_msg = load_msg;
	return load_result;
}
