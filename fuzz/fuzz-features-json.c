/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd_features_parse_json() and the round trip through nfd_features_to_json():
 * what the library writes must parse again to the same document.
 */
#include <stdio.h>

#include "fuzz/fuzz.h"

static struct nfd_ctx *ctx;

static void die(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "round trip: %s\n--- first\n%s\n--- second\n%s\n", what, a,
		b ? b : "(none)");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfd_features *f = NULL, *g = NULL;
	char *out = NULL, *out2 = NULL, *compact = NULL;
	int n;

	if (!ctx)
		ctx = fuzz_ctx_new();
	if (nfd_features_parse_json(ctx, (const char *)data, size, &f) < 0)
		return 0;

	n = nfd_features_to_json(f, 0, &out);
	if (n < 0)
		goto out; /* -ENOMEM only */
	if (strlen(out) != (size_t)n)
		die("length returned differs from the string's", out, NULL);
	if (nfd_features_parse_json(ctx, out, (size_t)n, &g) < 0)
		die("output does not parse", out, nfd_ctx_last_error(ctx));
	n = nfd_features_to_json(g, 0, &out2);
	if (n < 0)
		goto out;
	if (strcmp(out, out2) != 0)
		die("output parses to a different document", out, out2);

	n = nfd_features_to_json(f, NFD_JSON_COMPACT | NFD_JSON_NO_NEWLINE, &compact);
	if (n >= 0) {
		nfd_features_unref(g);
		g = NULL;
		if (nfd_features_parse_json(ctx, compact, (size_t)n, &g) < 0)
			die("compact output does not parse", compact, nfd_ctx_last_error(ctx));
	}
out:
	free(compact);
	free(out2);
	free(out);
	nfd_features_unref(g);
	nfd_features_unref(f);
	return 0;
}
