/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cmocka fixture most unit tests share: one library context for a group
 * of tests, its log silenced, in the file-scope ctx.
 *
 *	return cmocka_run_group_tests(tests, ctx_setup, ctx_teardown);
 *
 * A group that needs more builds on them: call ctx_setup() first in its own
 * setup and end its teardown with ctx_teardown().
 */
#pragma once

#include <nfd/nfd.h>

static struct nfd_ctx *ctx;

static inline int ctx_setup(void **state)
{
	ctx = nfd_ctx_new();
	if (!ctx)
		return -1;
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	return 0;
}

static inline int ctx_teardown(void **state)
{
	ctx = nfd_ctx_unref(ctx);
	return 0;
}
