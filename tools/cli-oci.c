/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Registry flags and exit codes shared by the nfd commands that reach registries. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared/macro.h"

#include "cli-oci.h"
#include "nfd-cli.h"

#define SECRET_MAX (64 * 1024)

/* declared in nfd-cli.h; here because every registry flag user links this file */
int cli_parse_bool(const char *cmd, const char *flag, const char *arg, bool *ret)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

	if (!arg) {
		*ret = true;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(arg, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(arg, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	cli_usage_error(cmd, "--%s=%s: not a boolean (true or false)", flag, arg);
	return -1;
}

void cli_oci_init(struct cli_oci *c)
{
	memset(c, 0, sizeof(*c));
	nfd_oci_options_init(&c->o, NFD_OCI_OPTIONS_VERSION);
}

static int parse_seconds(const char *s, long *ret_ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v <= 0 || v > 3600)
		return -EINVAL;
	*ret_ms = (long)(v * 1000 + 0.5);
	if (*ret_ms == 0)
		*ret_ms = 1;
	return 0;
}

int cli_oci_parse_flag(struct cli_oci *c, int opt, const char *arg, const char *cmd)
{
	switch (opt) {
	case CLI_OCI_OPT_PLATFORM:
		c->o.platform = arg;
		return 1;
	case CLI_OCI_OPT_PLAIN_HTTP: {
		bool b;

		if (cli_parse_bool(cmd, "plain-http", arg, &b) < 0)
			return -1;
		c->o.plain_http = b;
		return 1;
	}
	case CLI_OCI_OPT_CA_FILE:
		c->o.ca_file = arg;
		return 1;
	case CLI_OCI_OPT_AUTHFILE:
		c->o.auth_file = arg;
		return 1;
	case CLI_OCI_OPT_USERNAME:
		c->o.username = arg;
		return 1;
	case CLI_OCI_OPT_PASSWORD_STDIN:
		return cli_parse_bool(cmd, "registry-password-stdin", arg, &c->password_stdin) < 0
			       ? -1
			       : 1;
	case CLI_OCI_OPT_TOKEN_STDIN:
		return cli_parse_bool(cmd, "registry-token-stdin", arg, &c->token_stdin) < 0 ? -1
											     : 1;
	case CLI_OCI_OPT_TIMEOUT:
		if (parse_seconds(arg, &c->o.timeout_ms) < 0) {
			cli_usage_error(cmd,
					"--registry-timeout: '%s' is not a number of seconds "
					"in (0, 3600]",
					arg);
			return -1;
		}
		return 1;
	case CLI_OCI_OPT_MAX_SPEC_SIZE: {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || v == 0 || arg[0] == '-') {
			cli_usage_error(
				cmd, "--max-spec-size: '%s' is not a positive size in bytes", arg);
			return -1;
		}
		c->o.max_spec_size = (size_t)v;
		return 1;
	}
	default:
		return 0;
	}
}

int cli_oci_read_secret_stdin(char **ret)
{
	char *buf = malloc(SECRET_MAX + 1);
	size_t len = 0;

	if (!buf)
		return -ENOMEM;
	while (len < SECRET_MAX) {
		ssize_t n = read(STDIN_FILENO, buf + len, SECRET_MAX - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			explicit_bzero(buf, len);
			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == SECRET_MAX) {
		explicit_bzero(buf, len);
		free(buf);
		return -E2BIG;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	*ret = buf;
	return 0;
}

int cli_oci_finish(struct cli_oci *c, const char *cmd)
{
	int r;

	if (c->password_stdin && c->token_stdin)
		return cli_usage_error(cmd, "--registry-password-stdin and --registry-token-stdin "
					    "cannot be used together");
	if (c->password_stdin && !c->o.username)
		return cli_usage_error(cmd, "--registry-password-stdin needs --registry-username");
	if (c->o.username && !c->password_stdin)
		return cli_usage_error(cmd, "--registry-username needs --registry-password-stdin");
	/* docker and podman refuse an auth file that is not there; silently
	 * going anonymous would hide the typo behind an authentication error */
	if (c->o.auth_file && access(c->o.auth_file, R_OK) < 0) {
		cli_error(cmd, "--authfile %s: %s", c->o.auth_file, strerror(errno));
		return NFD_EXIT_ERROR;
	}
	if (!c->password_stdin && !c->token_stdin)
		return 0;
	r = cli_oci_read_secret_stdin(&c->secret);
	if (r == -E2BIG) {
		cli_error(cmd, "the %s on standard input is over the %d-byte limit",
			  c->token_stdin ? "token" : "password", SECRET_MAX - 1);
		return NFD_EXIT_ERROR;
	}
	if (r < 0) {
		cli_error(cmd, "reading the %s from standard input: %s",
			  c->token_stdin ? "token" : "password", strerror(-r));
		return NFD_EXIT_ERROR;
	}
	if (!c->secret[0]) {
		cli_error(cmd, "empty %s on standard input", c->token_stdin ? "token" : "password");
		return NFD_EXIT_ERROR;
	}
	if (c->token_stdin)
		c->o.token = c->secret;
	else
		c->o.password = c->secret;
	return 0;
}

void cli_oci_done(struct cli_oci *c)
{
	if (c->secret) {
		explicit_bzero(c->secret, strlen(c->secret));
		free(c->secret);
	}
	memset(c, 0, sizeof(*c));
}

int cli_oci_exit_code(int r)
{
	switch (-r) {
	case EACCES:
	case EPERM:
		return NFD_EXIT_AUTH;
	case NFD_OCI_ENOARTIFACT:
		return NFD_EXIT_NO_ARTIFACT;
	case EINVAL:
	case ENOTSUP:
		return NFD_EXIT_ERROR;
	default:
		return NFD_EXIT_FETCH;
	}
}

int cli_oci_error(const struct nfd_ctx *ctx, int r, const char *what)
{
	cli_lib_error(ctx, r, what);
	return cli_oci_exit_code(r);
}

int cli_oci_fetch_spec(struct nfd_ctx *ctx, const char *image_ref, const struct cli_oci *c,
		       struct nfd_spec **ret)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	r = nfd_oci_fetch_spec_data(ctx, image_ref, &c->o, &buf, &len);
	if (r < 0)
		return cli_oci_error(ctx, r, image_ref);
	r = nfd_spec_parse(ctx, buf, len, image_ref, ret);
	free(buf);
	if (r < 0)
		return cli_lib_error(ctx, r, "spec");
	return 0;
}

int cli_oci_fetch(struct nfd_ctx *ctx, const char *image_ref, const struct cli_oci *c,
		  struct nfd_oci_artifact **ret_artifact, struct nfd_spec **ret)
{
	struct nfd_oci_artifact *a = NULL;
	const char *data;
	size_t len = 0;
	int r;

	r = nfd_oci_fetch(ctx, image_ref, &c->o, &a);
	if (r < 0)
		return cli_oci_error(ctx, r, image_ref);
	data = nfd_oci_artifact_get_data(a, &len);
	r = nfd_spec_parse(ctx, data, len, image_ref, ret);
	if (r < 0) {
		nfd_oci_artifact_unref(a);
		return cli_lib_error(ctx, r, "spec");
	}
	if (ret_artifact)
		*ret_artifact = a;
	else
		nfd_oci_artifact_unref(a);
	return 0;
}
