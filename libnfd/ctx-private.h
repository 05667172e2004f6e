/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context's layout, shared by ctx.c, log.c and error.c only. */
#pragma once

#include "libnfd/libnfd-internal.h"

struct nfd_ctx {
	int refcount;
	char *root;
	char *paths[_NFD_PATH_MAX];
	char *cpuid_dump;
	uint64_t work_budget; /* of one evaluation */

	nfd_log_fn log_fn;
	void *log_data;
	int log_priority;

	/* malloc'ed, or the static out-of-memory message, or NULL */
	char *last_error;
	bool last_error_static;

	struct {
		void *data;
		void (*destroy)(void *data);
	} cache[_NFD_CACHE_MAX];
};

void nfd__log_init(struct nfd_ctx *ctx);
