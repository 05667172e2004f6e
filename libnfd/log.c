/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The per-context log hook (libkmod's model) and NFD_LOG. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/ctx-private.h"
#include "shared/util.h"

static _printf_(6, 0) void log_stderr(void *userdata, int priority, const char *file, int line,
				      const char *fn, const char *format, va_list args)
{
	static const char *const names[] = {
		[LOG_EMERG] = "emergency", [LOG_ALERT] = "alert",     [LOG_CRIT] = "critical",
		[LOG_ERR] = "error",	   [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
		[LOG_INFO] = "info",	   [LOG_DEBUG] = "debug",
	};
	const char *name = priority >= 0 && priority <= LOG_DEBUG ? names[priority] : "log";

	if (priority >= LOG_DEBUG)
		fprintf(stderr, "libnfd: %s: %s:%d %s(): ", name, file, line, fn);
	else
		fprintf(stderr, "libnfd: %s: ", name);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

static int parse_priority(const char *s)
{
	static const struct {
		const char *name;
		int prio;
	} names[] = {
		{"err", LOG_ERR},      {"error", LOG_ERR},     {"warning", LOG_WARNING},
		{"warn", LOG_WARNING}, {"notice", LOG_NOTICE}, {"info", LOG_INFO},
		{"debug", LOG_DEBUG},
	};
	char *end;
	long v;

	if (isdigit((unsigned char)s[0])) {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v >= 0 && v <= LOG_DEBUG)
			return (int)v;
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].prio;
	return -1;
}

void nfd__log_init(struct nfd_ctx *ctx)
{
	const char *env;

	ctx->log_fn = log_stderr;
	ctx->log_data = NULL;
	ctx->log_priority = LOG_ERR;
	env = secure_env("NFD_LOG");
	if (env) {
		int p = parse_priority(env);
		if (p >= 0)
			ctx->log_priority = p;
	}
}

static void call_hook(const struct nfd_ctx *ctx, int priority, const char *file, int line,
		      const char *fn, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, format, ap);
	va_end(ap);
}

void nfd__log(const struct nfd_ctx *ctx, int priority, const char *file, int line, const char *fn,
	      const char *format, ...)
{
	_cleanup_free_ char *msg = NULL, *esc = NULL;
	va_list ap;
	int r;

	if (!ctx || !ctx->log_fn)
		return;
	/*
	 * The hook gets the message formatted, with control characters escaped:
	 * a registry's or a file's text must not drive the terminal.
	 */
	va_start(ap, format);
	r = vasprintf(&msg, format, ap);
	va_end(ap);
	if (r < 0)
		return;
	esc = nfd__escape_controls(msg);
	call_hook(ctx, priority, file, line, fn, "%s", esc ? esc : "(out of memory)");
}

int nfd__log_priority(const struct nfd_ctx *ctx)
{
	return ctx ? ctx->log_priority : -1;
}

NFD_EXPORT void nfd_ctx_set_log_fn(struct nfd_ctx *ctx, nfd_log_fn fn, void *userdata)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

NFD_EXPORT void nfd_ctx_set_log_priority(struct nfd_ctx *ctx, int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}

NFD_EXPORT int nfd_ctx_get_log_priority(const struct nfd_ctx *ctx)
{
	assert_return(ctx, -EINVAL);
	return ctx->log_priority;
}
