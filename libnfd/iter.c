/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One iterator type for every (key, value) collection, as libmount does. */
#include <errno.h>
#include <stdlib.h>

#include "libnfd/libnfd-internal.h"

struct nfd_iter {
	const struct nfd_kv *items;
	size_t n;
	size_t pos;
	void *owned;
	void *owner;
	void (*release)(void *owner);
};

int nfd__iter_new(const struct nfd_kv *items, size_t n, void *owned, void *owner,
		  void (*release)(void *owner), struct nfd_iter **ret)
{
	struct nfd_iter *it = calloc(1, sizeof(*it));

	if (!it) {
		free(owned);
		if (release)
			release(owner);
		return -ENOMEM;
	}
	it->items = items;
	it->n = n;
	it->owned = owned;
	it->owner = owner;
	it->release = release;
	*ret = it;
	return 0;
}

NFD_EXPORT int nfd_iter_next(struct nfd_iter *it, const char **ret_key, const char **ret_value)
{
	assert_return(it, -EINVAL);
	if (it->pos >= it->n)
		return 0;
	if (ret_key)
		*ret_key = it->items[it->pos].key;
	if (ret_value)
		*ret_value = it->items[it->pos].value;
	it->pos++;
	return 1;
}

NFD_EXPORT struct nfd_iter *nfd_iter_free(struct nfd_iter *it)
{
	if (!it)
		return NULL;
	free(it->owned);
	if (it->release)
		it->release(it->owner);
	free(it);
	return NULL;
}
