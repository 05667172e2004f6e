/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd-cpuid-dump: print this CPU's CPUID in the dump format that
 * nfd_ctx_set_cpuid_dump() replays (see libnfd/discovery/cpuid-provider.c), so a
 * machine can be captured once and its cpu.cpuid reproduced anywhere.
 * Usage: nfd-cpuid-dump [FILE]   (stdout without FILE)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/discovery/cpuid.h"

int main(int argc, char **argv)
{
	FILE *f = stdout;
	int r;

	if (argc > 2 || (argc == 2 && (streq(argv[1], "-h") || streq(argv[1], "--help")))) {
		fprintf(argc > 2 ? stderr : stdout, "usage: %s [FILE]\n", argv[0]);
		return argc > 2 ? 2 : 0;
	}
	if (argc == 2) {
		f = fopen(argv[1], "we");
		if (!f) {
			fprintf(stderr, "%s: cannot open '%s': %s\n", argv[0], argv[1],
				strerror(errno));
			return 1;
		}
	}
	r = nfd__cpuid_dump_write(f);
	if (f != stdout && fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", argv[0],
			r == -EOPNOTSUPP ? "this CPU has no CPUID instruction" : strerror(-r));
		return 1;
	}
	return 0;
}
