/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkmod, opened on first use.  Only the kernel source's fallback for hosts
 * without a text modules.builtin needs it, yet linking it (with the libcrypto,
 * liblzma and libzstd it pulls in) cost every `nfd export features` about
 * 1 ms at start-up.  Include this after <libkmod.h> in the one file that
 * calls libkmod: the kmod_* names below then go through the loaded table.
 */
#pragma once

#include <libkmod.h>

struct nfd_kmod_api {
	struct kmod_ctx *(*new_)(const char *dirname, const char *const *config_paths);
	struct kmod_ctx *(*unref)(struct kmod_ctx *ctx);
	void (*set_log_fn)(struct kmod_ctx *ctx,
			   void (*log_fn)(void *log_data, int priority, const char *file, int line,
					  const char *fn, const char *format, va_list args),
			   const void *data);
	int (*dump_index)(struct kmod_ctx *ctx, enum kmod_index type, int fd);
};

extern struct nfd_kmod_api nfd__kmod;

/*
 * Load libkmod once per process (thread-safe) and fill nfd__kmod.
 * Returns 0, or -ENOTSUP with a static message in *ret_msg.
 */
int nfd__kmod_load(const char **ret_msg);

#ifndef NFD_KMOD_DL_IMPLEMENTATION
#define kmod_new	nfd__kmod.new_
#define kmod_unref	nfd__kmod.unref
#define kmod_set_log_fn nfd__kmod.set_log_fn
#define kmod_dump_index nfd__kmod.dump_index
#endif
