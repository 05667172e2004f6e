/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The node-source flags and context setup the evaluating commands share
 * (declared in cli-oci.h, beside the registry flags they are used with). */
#include <string.h>

#include "cli-oci.h"
#include "nfd-cli.h"

int cli_opts_parse_flag(struct cli_opts *o, int opt, const char *arg, const char *cmd)
{
	switch (opt) {
	case 'f':
		o->features = arg;
		return 1;
	case 'r':
		o->root = arg;
		return 1;
	case CLI_OPT_HOST_PREFIX:
		o->host_prefix = arg;
		return 1;
	case CLI_OPT_CPUID_DUMP:
		o->cpuid_dump = arg;
		return 1;
	case 'v':
		return cli_parse_bool(cmd, "verbose", arg, &o->verbose) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

int cli_opts_check(const struct cli_opts *o, const struct cli_oci *oci, const char *other_stdin,
		   const char *cmd)
{
	bool features_stdin = o->features && strcmp(o->features, "-") == 0;

	if (o->features && (o->root || o->host_prefix || o->cpuid_dump))
		return cli_usage_error(cmd, "--%s applies to discovery, not --features",
				       o->root		? "root"
				       : o->host_prefix ? "host-prefix"
							: "cpuid-dump");
	if (oci && (oci->password_stdin || oci->token_stdin) &&
	    (features_stdin || (other_stdin && strcmp(other_stdin, "-") == 0)))
		return cli_usage_error(cmd, "standard input cannot carry both a secret and a file");
	return 0;
}

int cli_ctx_from_options(const struct cli_opts *o, struct nfd_ctx **ret)
{
	struct nfd_ctx *ctx = cli_ctx_new();
	int r;

	if (!ctx)
		return NFD_EXIT_ERROR;
	if (o->verbose && nfd_ctx_get_log_priority(ctx) < 6)
		nfd_ctx_set_log_priority(ctx, 6 /* LOG_INFO */);
	if (!o->features) {
		if (cli_set_root(ctx, o->root, o->host_prefix) != 0) {
			nfd_ctx_unref(ctx);
			return NFD_EXIT_ERROR;
		}
		if (o->cpuid_dump && (r = nfd_ctx_set_cpuid_dump(ctx, o->cpuid_dump)) < 0) {
			cli_lib_error(ctx, r, o->cpuid_dump);
			nfd_ctx_unref(ctx);
			return NFD_EXIT_ERROR;
		}
	}
	*ret = ctx;
	return 0;
}

int cli_parse_flag(struct cli_oci *oci, struct cli_opts *o, int opt, const char *arg,
		   const char *cmd)
{
	int r = oci ? cli_oci_parse_flag(oci, opt, arg, cmd) : 0;

	return r ? r : cli_opts_parse_flag(o, opt, arg, cmd);
}
