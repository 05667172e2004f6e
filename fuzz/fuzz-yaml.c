/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Differential: the house YAML reader (spec-yaml-fast.c) against libyaml
 * (spec-yaml.c).  For every input the house reader accepts, libyaml must
 * accept it too and build the very same tree (kinds, text, plain,
 * line:column); anything else aborts.  Inputs it gives up on are only read
 * by libyaml, as nfd__yaml_load() would.
 */
#include "fuzz/fuzz.h"
#include "libnfd/engine/spec-yaml.h"
#include "shared/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena fast_a = {0}, lib_a = {0};
	struct ynode *fast = NULL, *lib = NULL;
	const char *msg = NULL;
	int rf, rl;

	if (size > 65536)
		return 0;
	rf = nfd__yaml_fast_load(&fast_a, (const char *)data, size, &fast);
	rl = nfd__yaml_load_libyaml(&lib_a, (const char *)data, size, &lib, &msg);
	if (rf < 0 || rl == -ENOMEM || rl == -ENOTSUP)
		abort(); /* no allocation fails here; libyaml is installed */
	if (rf == 1) {
		if (rl < 0) {
			fprintf(stderr, "fuzz-yaml: house reader accepted, libyaml said %s\n", msg);
			abort();
		}
		if (!fast || !nfd__yaml_tree_equal(fast, lib)) {
			fprintf(stderr, "fuzz-yaml: the trees differ\n");
			abort();
		}
	}
	arena_release(&fast_a);
	arena_release(&lib_a);
	return 0;
}
