/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef NFD_ITER_H
#define NFD_ITER_H

#include <nfd/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct nfd_iter - a generic iterator over (key, value) pairs
 *
 * Made by the nfd_*_iter_*() constructors; it holds a reference to the object
 * it walks, so it stays valid after the caller releases that object.
 */
struct nfd_iter;

/**
 * nfd_iter_next:
 * @it: an iterator
 * @ret_key: (optional) the next key, borrowed from the iterated object
 * @ret_value: (optional) its value, borrowed; NULL where items have no value
 *
 * Usage: while ((r = nfd_iter_next(it, &k, &v)) > 0) { ... }
 *
 * Returns: 1 for an item, 0 at the end, -EINVAL if @it is NULL.
 * Since: 1.0
 */
int nfd_iter_next(struct nfd_iter *it, const char **ret_key,
		  const char **ret_value) NFD_WARN_UNUSED;

/**
 * nfd_iter_free:
 * @it: an iterator, or NULL
 *
 * Returns: NULL.
 * Since: 1.0
 */
struct nfd_iter *nfd_iter_free(struct nfd_iter *it);

static inline void nfd_iter_freep(struct nfd_iter **p)
{
	if (p)
		nfd_iter_free(*p);
}

#ifdef __cplusplus
}
#endif
#endif
