/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mapping a short-lived command's heap in one call.  A command such as
 * `validate-node` or `export features` writes a few hundred KiB of heap,
 * page by page as it grows.  In a virtual machine a page fault costs 10-20
 * us and a page mapped by madvise(MADV_POPULATE_WRITE) about 1 us, so the
 * heap is grown once to about what the command will use, mapped in one
 * call, and kept (large blocks come from it too, and freeing does not trim
 * it).  Before Linux 5.14 the advice is refused and this costs one call.
 */
#include <malloc.h>
#include <stdlib.h>

#include "shared/util.h"

#include "nfd-cli.h"

void cli_prefault_heap(size_t bytes)
{
	char *p;

	if (bytes == 0 || bytes > CLI_PREFAULT_MAX)
		return;
	if (mallopt(M_MMAP_THRESHOLD, CLI_PREFAULT_MAX) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, 2 * CLI_PREFAULT_MAX) != 1)
		return;
	p = malloc(bytes);
	if (!p)
		return;
	populate_pages(p, 0, bytes);
	free(p);
}
