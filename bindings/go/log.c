/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The log hook's C side: nfd_log_fn receives a va_list, which Go cannot
 * take, so the message is formatted here and handed to goNfdLog (log.go).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include <nfd/nfd.h>

#include "_cgo_export.h"

static __attribute__((format(printf, 6, 0))) void nfd_go_log(void *userdata, int priority,
							     const char *file, int line,
							     const char *fn, const char *format,
							     va_list args)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), format, args);
	goNfdLog((uintptr_t)userdata, priority, (char *)file, line, (char *)fn, buf);
}

void nfd_go_set_log_fn(struct nfd_ctx *ctx, uintptr_t handle)
{
	nfd_ctx_set_log_fn(ctx, handle ? nfd_go_log : NULL, (void *)handle);
}
