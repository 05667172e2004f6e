/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The per-context "last error" message. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/ctx-private.h"
#include "shared/root-open.h"

static char oom_message[] = "out of memory";

char *nfd__escape_controls(const char *s)
{
	size_t n = 0;
	char *out, *o;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		n += (*p < 0x20 || *p == 0x7f)			    ? 4
		     : (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ? 5
								    : 1;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	o = out;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			o += sprintf(o, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* a C1 control (U+0080..U+009F, e.g. CSI), 2 bytes */
			o += sprintf(o, "\\u%04x", p[1]);
			p++;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

void nfd__error_clear(struct nfd_ctx *ctx)
{
	if (!ctx)
		return;
	if (!ctx->last_error_static)
		free(ctx->last_error);
	ctx->last_error = NULL;
	ctx->last_error_static = false;
}

int nfd__error_too_big(struct nfd_ctx *ctx, const char *name, unsigned long long size,
		       unsigned long long max, const char *kind)
{
	char words[200];

	return nfd__error(ctx, E2BIG, "%s: %s", name,
			  format_too_big(words, sizeof(words), size, max, kind));
}

int nfd__error_read(struct nfd_ctx *ctx, int err, const char *path, const char *kind)
{
	struct read_too_big big;

	err = abs(err);
	switch (err) {
	case E2BIG:
		big = read_last_too_big();
		return nfd__error_too_big(ctx, path, big.size, big.max, kind);
	case EINVAL:
		return nfd__error(ctx, err, "%s: not a regular file", path);
	default:
		return nfd__error(ctx, err, "%s: %s", path, strerror(err));
	}
}

int nfd__oom(struct nfd_ctx *ctx)
{
	/* reporting out-of-memory must not allocate */
	nfd__error_clear(ctx);
	if (ctx) {
		ctx->last_error = oom_message;
		ctx->last_error_static = true;
	}
	return -ENOMEM;
}

int nfd__verror(struct nfd_ctx *ctx, int err, const char *format, va_list ap)
{
	char *msg;

	if (err < 0)
		err = -err;
	if (err == 0)
		err = EIO;
	if (err == ENOMEM)
		return nfd__oom(ctx);
	if (!ctx)
		return -err;
	if (vasprintf(&msg, format, ap) < 0) {
		nfd__oom(ctx);
		return -err;
	}
	/* messages quote registries, specs and files: no control characters pass */
	{
		char *esc = nfd__escape_controls(msg);

		free(msg);
		if (!esc) {
			nfd__oom(ctx);
			return -err;
		}
		msg = esc;
	}
	nfd__error_clear(ctx);
	ctx->last_error = msg;
	return -err;
}

int nfd__error(struct nfd_ctx *ctx, int err, const char *format, ...)
{
	va_list ap;
	int r;

	va_start(ap, format);
	r = nfd__verror(ctx, err, format, ap);
	va_end(ap);
	return r;
}

NFD_EXPORT const char *nfd_ctx_last_error(const struct nfd_ctx *ctx)
{
	if (!ctx || !ctx->last_error)
		return "";
	return ctx->last_error;
}
