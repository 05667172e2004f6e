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
