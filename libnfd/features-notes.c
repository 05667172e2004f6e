/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Notes on a features object that discovery left behind: which features it
 * could not read, and why, so that an explanation can say "could not be
 * read" instead of "not present" (report-text.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/features-private.h"

int nfd__features_note_unreadable(struct nfd_features *f, const char *feature, const char *fmt, ...)
{
	struct unreadable_note *n;
	_cleanup_free_ char *reason = NULL;
	va_list ap;
	int r;

	if (nfd__features_unreadable(f, feature))
		return 0;
	va_start(ap, fmt);
	r = vasprintf(&reason, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	n = arena_alloc(&f->strings, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->feature = arena_strdup(&f->strings, feature);
	n->reason = arena_strdup(&f->strings, reason);
	if (!n->feature || !n->reason)
		return -ENOMEM;
	n->next = f->unreadable;
	f->unreadable = n;
	return 0;
}

/* A note on a source ("network") covers each of its features. */
static bool covers(const char *noted, const char *feature)
{
	size_t len = strlen(noted);

	return strncmp(noted, feature, len) == 0 && (!feature[len] || feature[len] == '.');
}

const char *nfd__features_unreadable(const struct nfd_features *f, const char *feature)
{
	for (const struct unreadable_note *n = f ? f->unreadable : NULL; n; n = n->next)
		if (covers(n->feature, feature))
			return n->reason;
	return NULL;
}
