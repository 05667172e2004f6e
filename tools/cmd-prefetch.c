/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd compat prefetch: fill nfd-oci-hook's cache ahead of container starts
 * (the tag's digest, the spec or the fact that there is none, this node's
 * discovery), with the hook's own policy file so the entries are the ones
 * the hook will look up.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-oci.h"
#include "nfd-cli.h"

#define PREFETCH	    "compat prefetch"
#define HOOK_DEFAULT_CONFIG SYSCONFDIR "/nfd/oci-hook.conf"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: nfd compat prefetch --image REF [--image REF...] [options]\n\n"
		"Fill the cache of nfd-oci-hook(8) for images this node will run, so the hook\n"
		"answers without the network.\n\n"
		"  -i, --image REF       an image (a tag is resolved to its manifest digest)\n"
		"  -c, --config FILE     the hook's policy (default " HOOK_DEFAULT_CONFIG ";\n"
		"                        cache, registries, credentials come from it)\n"
		"      --set KEY=VALUE   override one policy key\n"
		"  -h, --help            show this help\n\n"
		"Exit status: 0 every image cached (with or without an artifact), 2 error,\n"
		"3 fetch error, 4 registry authentication error.\n");
}

int cmd_compat_prefetch(int argc, char *argv[])
{
	enum { OPT_SET = 0x100 };
	static const struct option opts[] = {
		{"image", required_argument, NULL, 'i'},
		{"config", required_argument, NULL, 'c'},
		{"set", required_argument, NULL, OPT_SET},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	const char *config = NULL;
	char **images = NULL, **sets = NULL;
	size_t n_images = 0, n_sets = 0;
	struct nfd_ctx *ctx = NULL;
	struct nfd_hook_policy *p = NULL;
	int c, r, ret = NFD_EXIT_ERROR;

	images = calloc((size_t)argc, sizeof(*images));
	sets = calloc((size_t)argc, sizeof(*sets));
	if (!images || !sets) {
		cli_error(PREFETCH, "out of memory");
		goto out;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			images[n_images++] = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case OPT_SET:
			sets[n_sets++] = optarg;
			break;
		case 'h':
			usage(stdout);
			ret = NFD_EXIT_OK;
			goto out;
		default:
			ret = cli_usage_error(PREFETCH, "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error(PREFETCH, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (n_images == 0) {
		ret = cli_usage_error(PREFETCH, "no --image given");
		goto out;
	}
	ctx = cli_ctx_new();
	if (!ctx)
		goto out;
	r = nfd_hook_policy_new(ctx, &p);
	if (r == 0) {
		r = nfd_hook_policy_load(p, config ? config : HOOK_DEFAULT_CONFIG);
		if (r == -ENOENT && !config)
			r = 0;
	}
	for (size_t i = 0; r == 0 && i < n_sets; i++) {
		char *eq = strchr(sets[i], '=');

		if (!eq) {
			ret = cli_usage_error(PREFETCH, "--set wants KEY=VALUE, not '%s'", sets[i]);
			goto out;
		}
		*eq = '\0';
		r = nfd_hook_policy_set(p, sets[i], eq + 1);
	}
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "policy");
		goto out;
	}
	ret = NFD_EXIT_OK;
	for (size_t i = 0; i < n_images; i++) {
		char *digest = NULL;

		r = nfd_hook_prefetch(ctx, p, images[i], &digest);
		if (r < 0) {
			int e = cli_oci_error(ctx, r, images[i]);

			ret = ret == NFD_EXIT_OK ? e : ret;
			continue;
		}
		printf("%s: %s: %s\n", images[i], digest,
		       r ? "spec cached" : "no compatibility artifact (recorded)");
		free(digest);
	}
out:
	nfd_hook_policy_unref(p);
	nfd_ctx_unref(ctx);
	free(images);
	free(sets);
	return ret;
}
