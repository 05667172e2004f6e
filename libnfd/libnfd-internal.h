/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Declarations shared between libnfd's files.  Nothing here is exported;
 * internal cross-file functions use the nfd__ prefix.
 */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

#include "shared/macro.h"
#include "shared/strbuf.h"

#include <nfd/nfd.h>

#define NFD_EXPORT __attribute__((visibility("default")))

/* ---------------------------------------------------------------- logging */

void nfd__log(const struct nfd_ctx *ctx, int priority, const char *file, int line, const char *fn,
	      const char *format, ...) _printf_(6, 7);
int nfd__log_priority(const struct nfd_ctx *ctx);

#define nfd__log_cond(ctx, prio, ...)                                                              \
	do {                                                                                       \
		if (NFD_ENABLE_LOGGING && nfd__log_priority(ctx) >= (prio))                        \
			nfd__log(ctx, prio, __FILE__, __LINE__, __func__, __VA_ARGS__);            \
	} while (0)

#define nfd_dbg(ctx, ...)                                                                          \
	do {                                                                                       \
		if (NFD_ENABLE_DEBUG)                                                              \
			nfd__log_cond(ctx, LOG_DEBUG, __VA_ARGS__);                                \
	} while (0)
#define nfd_info(ctx, ...)   nfd__log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define nfd_notice(ctx, ...) nfd__log_cond(ctx, LOG_NOTICE, __VA_ARGS__)
#define nfd_warn(ctx, ...)   nfd__log_cond(ctx, LOG_WARNING, __VA_ARGS__)
#define nfd_err(ctx, ...)    nfd__log_cond(ctx, LOG_ERR, __VA_ARGS__)

/* ----------------------------------------------------------------- errors */

/*
 * Record the message for the failure being returned and return -abs(err).
 * Usage: return nfd__error(ctx, EBADMSG, "%s:%d:%d: unknown operator '%s'", ...);
 * ctx may be NULL (nothing is recorded).  Never allocates for ENOMEM.
 */
int nfd__error(struct nfd_ctx *ctx, int err, const char *format, ...) _printf_(3, 4);
int nfd__verror(struct nfd_ctx *ctx, int err, const char *format, va_list ap) _printf_(3, 0);
/*
 * A copy of s with control characters (C0, DEL as "\xNN"; C1 as "\u00NN")
 * escaped, malloc'ed (NULL on ENOMEM).  nfd__error() and the log apply it
 * to every message, so text from registries, specs and files cannot drive
 * a terminal.
 */
char *nfd__escape_controls(const char *s);
/*
 * Record why reading path (a file of the kind that words in the plural,
 * "specs", "auth files"; NULL: "this kind of file") failed with err and
 * return -abs(err).  -E2BIG names the size found and the cap it was over,
 * from read_last_too_big() (shared/root-open.h), never as "Argument list
 * too long"; -EINVAL of a reader is "not a regular file".
 */
int nfd__error_read(struct nfd_ctx *ctx, int err, const char *path, const char *kind);
/* An input (a buffer or a file) of size bytes over max: -E2BIG, named so. */
int nfd__error_too_big(struct nfd_ctx *ctx, const char *name, unsigned long long size,
		       unsigned long long max, const char *kind);
/* Shorthand for the out-of-memory failure: static message, returns -ENOMEM. */
int nfd__oom(struct nfd_ctx *ctx);
/* Clear the message (done at the start of a public call if wanted). */
void nfd__error_clear(struct nfd_ctx *ctx);

/* Guard for public entry points: return -EINVAL on a NULL/false argument. */
#define assert_return(expr, r)                                                                     \
	do {                                                                                       \
		if (_unlikely_(!(expr)))                                                           \
			return (r);                                                                \
	} while (0)

/* -------------------------------------------------------------- context */

/* The resolved directory of an area (never NULL for a valid ctx). */
const char *nfd__ctx_path(const struct nfd_ctx *ctx, enum nfd_path which);
/* The CPUID dump file set with nfd_ctx_set_cpuid_dump(), or NULL. */
const char *nfd__ctx_cpuid_dump(const struct nfd_ctx *ctx);

/*
 * Per-context caches of what discovery read once (the CPUID reading).  The destructor runs when the
 * context is freed or the slot is replaced.
 */
enum nfd_cache_slot {
	NFD_CACHE_CPUID,
	_NFD_CACHE_MAX,
};
void *nfd__ctx_get_cache(const struct nfd_ctx *ctx, enum nfd_cache_slot slot);
void nfd__ctx_set_cache(struct nfd_ctx *ctx, enum nfd_cache_slot slot, void *data,
			void (*destroy)(void *data));

/*
 * Join an area's directory and a relative path: ("/host/sys", "bus/pci").
 * Returns a malloc'ed string or NULL on ENOMEM.
 */
char *nfd__path(const struct nfd_ctx *ctx, enum nfd_path which, const char *rel);

/* ---------------------------------------------------------------- refcount */

#define nfd__ref_inc(p) __atomic_add_fetch(&(p)->refcount, 1, __ATOMIC_RELAXED)
#define nfd__ref_dec(p) __atomic_sub_fetch(&(p)->refcount, 1, __ATOMIC_ACQ_REL)

/* ---------------------------------------------------------------- iterator */

struct nfd_kv {
	const char *key;
	const char *value;
};

/*
 * Make an iterator over n items.  If owned is non-NULL the iterator frees it
 * (it usually is the items array).  owner is released with release(owner)
 * when the iterator is freed (e.g. nfd_features_unref on a features object
 * the strings point into).
 */
int nfd__iter_new(const struct nfd_kv *items, size_t n, void *owned, void *owner,
		  void (*release)(void *owner), struct nfd_iter **ret);

/* ---------------------------------------------------------------- features */

struct nfd_ctx *nfd__features_ctx(const struct nfd_features *f);

/*
 * Note that discovery could not read feature (so it is missing, or
 * incomplete, for that reason and not because the node lacks it), for the
 * explanations of a report (doc/semantics.md §9.4).  Notes are never
 * written to JSON; a features object read from a file has none.
 * @f: an unsealed features object
 * @feature: the feature's full name ("pci.device"), or a source's name
 *	("network") for all of its features
 * @fmt: printf format of the reason; the first note of a feature wins
 * @return: 0 or -ENOMEM
 */
int nfd__features_note_unreadable(struct nfd_features *f, const char *feature, const char *fmt, ...)
	_printf_(3, 4);
/*
 * @f: a features object
 * @feature: the feature's full name
 * @return: the reason noted for feature (borrowed from f), or NULL
 */
const char *nfd__features_unreadable(const struct nfd_features *f, const char *feature);

/*
 * f in its normal form (sorted, each element name once), without changing f,
 * which other threads may be reading: f itself (one more reference) when it
 * is sealed or already normal, else a sealed copy.  0 or -ENOMEM (message
 * set); the caller unrefs *ret.
 */
int nfd__features_normal(const struct nfd_features *f, struct nfd_features **ret);
/* Whether f is sealed: nothing will ever change it (its strings may be
 * borrowed for as long as one holds a reference). */
bool nfd__features_is_sealed(const struct nfd_features *f);

/*
 * Borrowed views for the engine and serialisers (valid while f lives and is
 * not modified); f must be normal (sealed, or from nfd__features_normal()).
 * A feature of a type that does not exist gives -ENOENT.  is_nil reports
 * NFD's "elements": null.
 */
struct nfd__kvmap_view {
	const struct nfd_kv *items; /* sorted by key, unique keys */
	size_t n;
	bool is_nil;
};
int nfd__features_flags(const struct nfd_features *f, const char *feature,
			struct nfd__kvmap_view *ret);
int nfd__features_attributes(const struct nfd_features *f, const char *feature,
			     struct nfd__kvmap_view *ret);
/* *ret_n instances; each view via nfd__features_instance(). */
int nfd__features_instances(const struct nfd_features *f, const char *feature, size_t *ret_n,
			    bool *ret_is_nil);
int nfd__features_instance(const struct nfd_features *f, const char *feature, size_t index,
			   struct nfd__kvmap_view *ret);
/* Mark a declared feature of one type as "elements": null. */
int nfd__features_set_nil(struct nfd_features *f, enum nfd_feature_type type, const char *feature);
