/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_CTX_H
#define NFD_CTX_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <nfd/common.h>
#include <nfd/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_ctx - library context
 *
 * Holds the host root and per-area paths discovery reads from, the log hook,
 * the last error message and lazily opened dependency handles.  A context
 * belongs to one thread at a time.
 */
struct nfd_ctx;

/**
 * nfd_ctx_new:
 *
 * Create a context with root "/", the log priority from $NFD_LOG (default
 * LOG_ERR) and the default log hook (stderr).
 *
 * Returns: a new context with one reference, or NULL with errno ENOMEM.
 * Since: 1.0
 */
struct nfd_ctx *nfd_ctx_new(void) NFD_WARN_UNUSED;

/**
 * nfd_ctx_ref:
 * @ctx: a context, or NULL
 *
 * Returns: @ctx, with one more reference.
 * Since: 1.0
 */
struct nfd_ctx *nfd_ctx_ref(struct nfd_ctx *ctx);

/**
 * nfd_ctx_unref:
 * @ctx: a context, or NULL
 *
 * Drop one reference; the context is freed when the last one goes.
 *
 * Returns: NULL.
 * Since: 1.0
 */
struct nfd_ctx *nfd_ctx_unref(struct nfd_ctx *ctx);

/**
 * nfd_ctx_last_error:
 * @ctx: a context
 *
 * The message of the last failed call made with @ctx, with file:line:column
 * for parse errors.  Meaningful only right after a call returned < 0.
 *
 * Returns: a borrowed string, valid until the next call on @ctx; never NULL
 * ("" when there was no error or @ctx is NULL).
 * Since: 1.0
 */
const char *nfd_ctx_last_error(const struct nfd_ctx *ctx);

/**
 * enum nfd_path - host areas discovery reads from
 *
 * Each defaults to the root joined with its name ("/sys", "/proc", ...).
 */
enum nfd_path {
	NFD_PATH_SYS = 0,
	NFD_PATH_PROC = 1,
	NFD_PATH_ETC = 2,
	NFD_PATH_BOOT = 3,
	NFD_PATH_LIB = 4,
	NFD_PATH_USR = 5,
	NFD_PATH_VAR = 6,
	_NFD_PATH_MAX,
	_NFD_PATH_PAD = 0x7fffffff, /* keeps the enum int-sized (C99) */
};

/**
 * nfd_ctx_set_root:
 * @ctx: a context
 * @root: an absolute directory holding the host's filesystem (e.g. "/host")
 *
 * Point every area at @root: sys at @root/sys, proc at @root/proc, and so on.
 * Resets paths set with nfd_ctx_set_path() and nfd_ctx_set_host_prefix().
 * The directory need not exist yet; discovery reports what it cannot read.
 *
 * Returns: 0, -EINVAL (NULL or relative @root), -ENOMEM.
 * Since: 1.0
 */
int nfd_ctx_set_root(struct nfd_ctx *ctx, const char *root) NFD_WARN_UNUSED;

/**
 * nfd_ctx_get_root:
 * @ctx: a context
 *
 * Returns: the root set with nfd_ctx_set_root() ("/" by default), borrowed;
 * NULL if @ctx is NULL.
 * Since: 1.0
 */
const char *nfd_ctx_get_root(const struct nfd_ctx *ctx);

/**
 * nfd_ctx_set_host_prefix:
 * @ctx: a context
 * @prefix: a path prefix, e.g. "/host-"
 *
 * NFD's container layout: each area at @prefix followed by its name
 * ("/host-sys", "/host-proc", "/host-etc", "/host-boot", "/host-lib",
 * "/host-usr", "/host-var").
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_ctx_set_host_prefix(struct nfd_ctx *ctx, const char *prefix) NFD_WARN_UNUSED;

/**
 * nfd_ctx_set_path:
 * @ctx: a context
 * @which: the area
 * @path: an absolute directory
 *
 * Override one area, e.g. NFD_PATH_SYS to "/host-sys".
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_ctx_set_path(struct nfd_ctx *ctx, enum nfd_path which, const char *path) NFD_WARN_UNUSED;

/**
 * nfd_ctx_get_path:
 * @ctx: a context
 * @which: the area
 *
 * Returns: the directory used for @which, borrowed; NULL for a bad argument.
 * Since: 1.0
 */
const char *nfd_ctx_get_path(const struct nfd_ctx *ctx, enum nfd_path which);

/**
 * nfd_ctx_set_cpuid_dump:
 * @ctx: a context
 * @path: a CPUID dump file ("CPUID <leaf>:<subleaf> = <eax> <ebx> <ecx> <edx>"
 *        lines, see nfd(1)), or NULL to execute CPUID on this CPU
 *
 * Replay CPUID from a file through the same code path as live CPUID, for
 * tests and for describing another machine.
 *
 * Returns: 0, -EINVAL, -ENOMEM.
 * Since: 1.0
 */
int nfd_ctx_set_cpuid_dump(struct nfd_ctx *ctx, const char *path) NFD_WARN_UNUSED;

/**
 * nfd_log_fn - log hook
 * @userdata: as given to nfd_ctx_set_log_fn()
 * @priority: a syslog priority (LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG)
 * @file, @line, @fn: where in libnfd the message comes from
 * @format, @args: the message, printf-style, without a trailing newline
 */
typedef void (*nfd_log_fn)(void *userdata, int priority, const char *file, int line, const char *fn,
			   const char *format, va_list args);

/**
 * nfd_ctx_set_log_fn:
 * @ctx: a context
 * @fn: the hook, or NULL to discard all messages
 * @userdata: passed to @fn
 *
 * Replace the default hook, which writes "libnfd: <message>" to stderr.
 *
 * Since: 1.0
 */
void nfd_ctx_set_log_fn(struct nfd_ctx *ctx, nfd_log_fn fn, void *userdata);

/**
 * nfd_ctx_set_log_priority:
 * @ctx: a context
 * @priority: the highest syslog priority passed to the hook
 *
 * Since: 1.0
 */
void nfd_ctx_set_log_priority(struct nfd_ctx *ctx, int priority);

/**
 * nfd_ctx_get_log_priority:
 * @ctx: a context
 *
 * Returns: the current priority, or -EINVAL if @ctx is NULL.
 * Since: 1.0
 */
int nfd_ctx_get_log_priority(const struct nfd_ctx *ctx);

/**
 * NFD_WORK_BUDGET_DEFAULT:
 *
 * The work budget of one evaluation unless nfd_ctx_set_work_budget() says
 * otherwise: about 1–2 s of CPU time on a current machine (doc/limits.md).
 */
#define NFD_WORK_BUDGET_DEFAULT UINT64_C(40000000)

/**
 * NFD_WORK_BUDGET_UNLIMITED:
 *
 * A work budget that never runs out: only the per-call limits apply.
 */
#define NFD_WORK_BUDGET_UNLIMITED UINT64_MAX

/**
 * nfd_ctx_set_work_budget:
 * @ctx: a context
 * @units: the work units one evaluation may spend; 0 restores
 *         NFD_WORK_BUDGET_DEFAULT, NFD_WORK_BUDGET_UNLIMITED lifts the bound
 *
 * Bound the work of each evaluation made with @ctx: one nfd_evaluate(), one
 * nfd_rules_evaluate(), and each node of nfd_evaluate_nodes().  Every costly
 * step draws units from one counter: an expression evaluated on an element
 * or an instance row (by the length of the value and the number of values),
 * a regular expression match (by subject length and backtracking steps), a
 * template step (an action, a range iteration, a function call, bytes
 * built), and merging vars into rule.matched.  When the budget is spent the
 * evaluation stops with -ETIME and a message that names the budget and how
 * to raise it.  The units are in doc/limits.md.
 *
 * Returns: 0, or -EINVAL if @ctx is NULL.
 * Since: 1.1
 */
int nfd_ctx_set_work_budget(struct nfd_ctx *ctx, uint64_t units) NFD_WARN_UNUSED;

/**
 * nfd_ctx_get_work_budget:
 * @ctx: a context
 *
 * Returns: the work budget of one evaluation made with @ctx (see
 * nfd_ctx_set_work_budget()), or 0 if @ctx is NULL.
 * Since: 1.1
 */
uint64_t nfd_ctx_get_work_budget(const struct nfd_ctx *ctx);

/* Cleanup helper for __attribute__((cleanup)). */
static inline void nfd_ctx_unrefp(struct nfd_ctx **p)
{
	if (p)
		nfd_ctx_unref(*p);
}

#ifdef __cplusplus
}
#endif
#endif
