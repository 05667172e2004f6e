/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the fuzz targets: the libFuzzer entry point and a context whose
 * log hook formats every message (so a bad format argument shows up under
 * the sanitizers) but prints nothing.
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "nfd/nfd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((format(printf, 6, 0))) static inline void
fuzz_log_null(void *userdata, int priority, const char *file, int line, const char *fn,
	      const char *format, va_list args)
{
	char buf[256];

	vsnprintf(buf, sizeof(buf), format, args);
}

static inline struct nfd_ctx *fuzz_ctx_new(void)
{
	struct nfd_ctx *ctx = nfd_ctx_new();

	if (!ctx)
		abort();
	nfd_ctx_set_log_fn(ctx, fuzz_log_null, NULL);
	nfd_ctx_set_log_priority(ctx, LOG_DEBUG);
	return ctx;
}

/* data as a NUL-terminated string (the parsers that take C strings stop at
 * an embedded NUL, as a caller's would). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
