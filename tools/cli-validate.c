/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the file-checking commands share (compat validate-spec, rule
 * validate): their command line and their lines of problems.
 */
#include <getopt.h>
#include <stdio.h>

#include "nfd-cli.h"

void cli_print_problem(bool error, const char *msg)
{
	fprintf(stderr, "nfd: %s: %s\n", error ? "error" : "warning", msg);
}

int cli_validate_files(int argc, char *argv[], const char *cmd, const char *no_file,
		       void (*usage)(FILE *out),
		       int (*check_one)(struct nfd_ctx *ctx, const char *path))
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{},
	};
	struct nfd_ctx *ctx;
	int c, ret = NFD_EXIT_OK;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return NFD_EXIT_OK;
		default:
			return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "%s", no_file);
	ctx = cli_ctx_new();
	if (!ctx)
		return NFD_EXIT_ERROR;
	for (int i = optind; i < argc; i++)
		if (check_one(ctx, argv[i]) != NFD_EXIT_OK)
			ret = NFD_EXIT_ERROR;
	nfd_ctx_unref(ctx);
	return ret;
}
