/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The registry of discovery sources: the one place their names are written.
 * NFD_SOURCES(X) expands X(name) once per source, in the order nfd_discover()
 * runs them.  libnfd/discovery/discover.c binds each name to its
 * implementation (nfd__source_<name>), nfd_source_names() publishes the
 * list, spec parsing maps a feature's domain to its source with
 * nfd__source_of(), and the CLI prints the list from nfd_source_names().
 */
#pragma once

#include <stddef.h>

#define NFD_SOURCES(X)                                                                             \
	X(cpu) X(kernel) X(local) X(memory) X(network) X(pci) X(storage) X(system) X(usb)

#define NFD__SOURCE_COUNT_(name) +1
/* How many sources there are. */
#define NFD_N_SOURCES (0 NFD_SOURCES(NFD__SOURCE_COUNT_))

#define NFD__SOURCE_LIST_(name) ", " #name
/* "cpu, kernel, ..., usb" (static storage), for messages; indexing, not
 * "literal" + 2, which clang reads as a mistaken string-plus-int. */
#define NFD_SOURCE_LIST (&(NFD_SOURCES(NFD__SOURCE_LIST_))[2])

/* The index of a source name in the registry, or -1. */
int nfd__source_index(const char *name);

/*
 * The source that discovers a feature ("cpu" for "cpu.cpuid"; the part
 * before the first '.'): the registry's static string, or NULL when the
 * domain is no discovery source ("rule", a typo, ...).
 */
const char *nfd__source_of(const char *feature);
