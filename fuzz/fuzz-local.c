/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The local source's feature files: the input, split at NUL bytes into up
 * to four files (read in name order, so later ones override earlier ones),
 * is written into features.d under a private root and discovered with the
 * "local" source; the result must serialise.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

#define MAX_FILES 4

static struct nfd_ctx *ctx;
static char dir[4096];

static void remove_files(void);

/* features.d and its parents up to the root, at exit */
static void cleanup(void)
{
	remove_files();
	for (int i = 0; i < 5; i++) {
		char *slash = strrchr(dir, '/');

		rmdir(dir);
		if (!slash)
			break;
		*slash = '\0';
	}
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	static const char *const parts[] = {"etc", "kubernetes", "node-feature-discovery",
					    "features.d"};
	char root[4096];

	ctx = fuzz_ctx_new();
	snprintf(root, sizeof(root), "%s/nfd-fuzz-local-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root) || nfd_ctx_set_root(ctx, root) < 0)
		abort();
	snprintf(dir, sizeof(dir), "%s", root);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = strlen(dir);

		snprintf(dir + n, sizeof(dir) - n, "/%s", parts[i]);
		if (mkdir(dir, 0700) < 0)
			abort();
	}
	atexit(cleanup);
}

static void write_file(int i, const uint8_t *data, size_t size)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%02d", dir, i);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

static void remove_files(void)
{
	char path[4200];

	for (int i = 0; i < MAX_FILES; i++) {
		snprintf(path, sizeof(path), "%s/%02d", dir, i);
		unlink(path);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sources[] = {"local", NULL};
	struct nfd_features *f = NULL;
	const uint8_t *p = data, *end = data + size;
	char *json = NULL;

	if (!ctx)
		setup();
	for (int i = 0; i < MAX_FILES && p <= end; i++) {
		const uint8_t *nul = i < MAX_FILES - 1 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);

		write_file(i, p, n);
		p += n + 1;
	}
	if (nfd_discover(ctx, sources, &f) >= 0) {
		if (nfd_features_to_json(f, NFD_JSON_COMPACT, &json) < 0)
			abort();
		free(json);
		nfd_features_unref(f);
	}
	remove_files();
	return 0;
}
