/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Registry flags shared by `nfd compat validate-node --image` and
 * `nfd compat attach` (cli-oci.c): one spelling, one meaning, one set of
 * exit codes.
 *
 * Use with getopt_long:
 *	static const struct option opts[] = { ..., CLI_OCI_LONG_OPTIONS, {} };
 *	struct cli_oci oci;
 *	cli_oci_init(&oci);
 *	while ((c = getopt_long(...)) != -1) {
 *		r = cli_oci_parse_flag(&oci, c, optarg, "compat attach");
 *		if (r < 0) return NFD_EXIT_ERROR;   (message printed)
 *		if (r > 0) continue;                (it was ours)
 *		switch (c) { ... }
 *	}
 *	r = cli_oci_finish(&oci, "compat attach");  (reads the stdin secret)
 *	... nfd_oci_*(ctx, ref, &oci.o, ...) ...
 *	cli_oci_done(&oci);
 */
#pragma once

#include <getopt.h>
#include <stdbool.h>

#include <nfd/nfd.h>

enum {
	CLI_OCI_OPT_PLATFORM = 0x4f00,
	CLI_OCI_OPT_PLAIN_HTTP,
	CLI_OCI_OPT_CA_FILE,
	CLI_OCI_OPT_AUTHFILE,
	CLI_OCI_OPT_USERNAME,
	CLI_OCI_OPT_PASSWORD_STDIN,
	CLI_OCI_OPT_TOKEN_STDIN,
	CLI_OCI_OPT_TIMEOUT,
	CLI_OCI_OPT_MAX_SPEC_SIZE,
};

#define CLI_OCI_LONG_OPTIONS                                                                       \
	{"platform", required_argument, NULL, CLI_OCI_OPT_PLATFORM},                               \
		{"plain-http", optional_argument, NULL, CLI_OCI_OPT_PLAIN_HTTP},                   \
		{"ca-file", required_argument, NULL, CLI_OCI_OPT_CA_FILE},                         \
		{"authfile", required_argument, NULL, CLI_OCI_OPT_AUTHFILE},                       \
		{"registry-username", required_argument, NULL, CLI_OCI_OPT_USERNAME},              \
		{"registry-password-stdin", optional_argument, NULL, CLI_OCI_OPT_PASSWORD_STDIN},  \
		{"registry-token-stdin", optional_argument, NULL, CLI_OCI_OPT_TOKEN_STDIN},        \
		{"registry-timeout", required_argument, NULL, CLI_OCI_OPT_TIMEOUT},                \
	{                                                                                          \
		"max-spec-size", required_argument, NULL, CLI_OCI_OPT_MAX_SPEC_SIZE                \
	}

/* Lines for --help, aligned like the other commands' options. */
#define CLI_OCI_USAGE                                                                              \
	"      --platform P         os[/arch[/variant]][:os_version] (default: this host)\n"       \
	"      --plain-http         talk HTTP, not HTTPS, to the registry\n"                       \
	"      --ca-file FILE       also trust the CA certificates (PEM) in FILE\n"                \
	"      --authfile FILE      docker/podman auth file (default: $REGISTRY_AUTH_FILE,\n"      \
	"                           $XDG_RUNTIME_DIR/containers/auth.json,\n"                      \
	"                           $DOCKER_CONFIG/config.json, ~/.docker/config.json)\n"          \
	"      --registry-username U           user for the registry\n"                            \
	"      --registry-password-stdin       read the password from standard input\n"            \
	"      --registry-token-stdin          read a bearer token from standard input\n"          \
	"      --registry-timeout SECONDS      per-request timeout (default 30)\n"                 \
	"      --max-spec-size BYTES           largest spec accepted (default 4194304)\n"

struct cli_oci {
	struct nfd_oci_options o; /* ready for nfd_oci_*() after cli_oci_finish() */
	bool password_stdin;
	bool token_stdin;
	char *secret; /* what was read from stdin, wiped by cli_oci_done() */
};

void cli_oci_init(struct cli_oci *c);
/* 1: the option was a registry flag and is recorded; 0: not ours;
 * -1: invalid value (message printed, exit with NFD_EXIT_ERROR). */
int cli_oci_parse_flag(struct cli_oci *c, int opt, const char *arg, const char *cmd);
/* Check combinations and read the stdin secret.  0 or an exit code. */
int cli_oci_finish(struct cli_oci *c, const char *cmd);
void cli_oci_done(struct cli_oci *c);

/* Read one secret from stdin; one trailing "\n" or "\r\n" is dropped (as
 * NFD does).  0 or -errno; *ret is the caller's to wipe and free. */
int cli_oci_read_secret_stdin(char **ret);

/* The exit code for a failed nfd_oci_*() call: 4 authentication, 5 no
 * compatibility artifact attached (-ENODATA from nfd_oci_fetch()), 2 invalid
 * reference or options, 3 any other fetch/registry failure. */
int cli_oci_exit_code(int r);
/* Print the ctx's message for r under "what" and return cli_oci_exit_code(r). */
int cli_oci_error(const struct nfd_ctx *ctx, int r, const char *what);
/*
 * nfd_oci_fetch_spec_data() then nfd_spec_parse(), with the exit codes told
 * apart: 0, or 3/4 for the fetch, 2 for an invalid spec.  Prints the error.
 */
int cli_oci_fetch_spec(struct nfd_ctx *ctx, const char *image_ref, const struct cli_oci *c,
		       struct nfd_spec **ret);
/*
 * nfd_oci_fetch() then nfd_spec_parse(): 0, or 3/4/5 for the fetch (5: no
 * artifact attached), 2 for an invalid spec, with the error printed.  The
 * artifact (its digests) in *ret_artifact when that is not NULL.
 */
int cli_oci_fetch(struct nfd_ctx *ctx, const char *image_ref, const struct cli_oci *c,
		  struct nfd_oci_artifact **ret_artifact, struct nfd_spec **ret);

/*
 * Where a command's node comes from, and --verbose: the flags the
 * evaluating commands share (compat validate-node, compat publish, rule
 * dryrun; compat list/show/remove take --verbose only).  Each command lists
 * the ones it accepts in its getopt table; cli_opts_parse_flag() records
 * any of them and cli_ctx_from_options() makes the context they describe.
 */
enum {
	CLI_OPT_HOST_PREFIX = 0x4e00,
	CLI_OPT_CPUID_DUMP,
};

#define CLI_OPT_FEATURES                                                                           \
	{                                                                                          \
		"features", required_argument, NULL, 'f'                                           \
	}
#define CLI_OPT_ROOT                                                                               \
	{                                                                                          \
		"root", required_argument, NULL, 'r'                                               \
	}
#define CLI_OPT_HOST_PREFIX_LONG                                                                   \
	{                                                                                          \
		"host-prefix", required_argument, NULL, CLI_OPT_HOST_PREFIX                        \
	}
#define CLI_OPT_CPUID_DUMP_LONG                                                                    \
	{                                                                                          \
		"cpuid-dump", required_argument, NULL, CLI_OPT_CPUID_DUMP                          \
	}
#define CLI_OPT_VERBOSE                                                                            \
	{                                                                                          \
		"verbose", optional_argument, NULL, 'v'                                            \
	}

struct cli_opts {
	const char *features; /* -f: a features file instead of discovery */
	const char *root, *host_prefix, *cpuid_dump;
	bool verbose;
};

/* 1: recorded; 0: not one of these flags; -1: invalid value (message
 * printed, exit with NFD_EXIT_ERROR). */
int cli_opts_parse_flag(struct cli_opts *o, int opt, const char *arg, const char *cmd);
/* cli_oci_parse_flag() (when oci is not NULL), then cli_opts_parse_flag():
 * 1 recorded, 0 neither's, -1 invalid value (message printed). */
int cli_parse_flag(struct cli_oci *oci, struct cli_opts *o, int opt, const char *arg,
		   const char *cmd);
/* After parsing: discovery flags given with --features are a usage error;
 * a secret on stdin with a '-' file (--features or other_stdin) too.  0 or
 * an exit code (message printed). */
int cli_opts_check(const struct cli_opts *o, const struct cli_oci *oci, const char *other_stdin,
		   const char *cmd);
/* A new context for o: --verbose raises the log level to info, and without
 * --features, --root/--host-prefix ($NFD_HOST_PREFIX) and --cpuid-dump are
 * applied.  0 with *ret set, or an exit code (message printed). */
int cli_ctx_from_options(const struct cli_opts *o, struct nfd_ctx **ret);
