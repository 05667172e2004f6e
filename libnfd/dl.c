/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See dl.h. */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#include "libnfd/dl.h"

#if NFD_ENABLE_DLOPEN

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static int load(struct nfd_dl_lib *lib, const struct nfd_dl_sym *syms, size_t n_syms)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(lib->msg, sizeof(lib->msg), "%s cannot be loaded: %s", lib->soname,
			 dlerror());
		return -ENOTSUP;
	}
	for (size_t i = 0; i < n_syms; i++) {
		*syms[i].slot = dlsym(h, syms[i].name);
		if (!*syms[i].slot) {
			snprintf(lib->msg, sizeof(lib->msg), "%s has no %s: too old", lib->soname,
				 syms[i].name);
			return -ENOTSUP;
		}
	}
	return 0;
}

int nfd__dlopen(struct nfd_dl_lib *lib, const struct nfd_dl_sym *syms, size_t n_syms,
		const char **ret_msg)
{
	int r;

	pthread_mutex_lock(&load_lock);
	if (!lib->done) {
		lib->result = load(lib, syms, n_syms);
		lib->done = true;
	}
	r = lib->result;
	pthread_mutex_unlock(&load_lock);
	if (r < 0 && ret_msg)
		*ret_msg = lib->msg;
	return r;
}

#endif
