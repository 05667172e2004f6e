/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry of discovery sources (see sources.h). */
#include <string.h>

#include "libnfd/libnfd-internal.h"
#include "libnfd/sources.h"

#define SOURCE_NAME(name) #name,
static const char *const source_names[] = {NFD_SOURCES(SOURCE_NAME) NULL};

_Static_assert(ARRAY_SIZE(source_names) == NFD_N_SOURCES + 1, "the registry's count");

NFD_EXPORT const char *const *nfd_source_names(void)
{
	return source_names;
}

int nfd__source_index(const char *name)
{
	for (size_t i = 0; source_names[i]; i++)
		if (streq(source_names[i], name))
			return (int)i;
	return -1;
}

const char *nfd__source_of(const char *feature)
{
	const char *dot = strchr(feature, '.');
	size_t len = dot ? (size_t)(dot - feature) : strlen(feature);

	for (size_t i = 0; source_names[i]; i++)
		if (strlen(source_names[i]) == len && strncmp(source_names[i], feature, len) == 0)
			return source_names[i];
	return NULL;
}
