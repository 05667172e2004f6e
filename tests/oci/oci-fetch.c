/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test helper: nfd_oci_fetch_spec_data() with the nfd command's registry
 * flags, printing the spec's bytes.  Lets the registry tests check the
 * fetch path (and its exit codes) apart from spec evaluation.
 *
 *   oci-fetch [--platform P] [--plain-http] [...] IMAGE
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "tools/cli-oci.h"
#include "tools/nfd-cli.h"

/* cli-oci.c reports through these; the nfd command defines them in nfd.c */
void cli_error(const char *what, const char *format, ...)
{
	va_list ap;

	fprintf(stderr, "oci-fetch: %s: ", what);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_lib_error(const struct nfd_ctx *ctx, int r, const char *what)
{
	cli_error(what, "%s", nfd_ctx_last_error(ctx));
	return NFD_EXIT_ERROR;
}

int cli_usage_error(const char *cmd, const char *format, ...)
{
	va_list ap;

	fprintf(stderr, "oci-fetch: ");
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
	return NFD_EXIT_ERROR;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {CLI_OCI_LONG_OPTIONS, {}};
	struct cli_oci oci;
	struct nfd_ctx *ctx;
	char *buf = NULL;
	size_t len = 0;
	int c, r;

	cli_oci_init(&oci);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		r = cli_oci_parse_flag(&oci, c, optarg, "oci-fetch");
		if (r <= 0)
			return NFD_EXIT_ERROR;
	}
	if (optind + 1 != argc)
		return cli_usage_error("oci-fetch", "usage: oci-fetch [flags] IMAGE");
	r = cli_oci_finish(&oci, "oci-fetch");
	if (r)
		return r;
	ctx = nfd_ctx_new();
	if (!ctx)
		return NFD_EXIT_ERROR;
	if (getenv("OCI_FETCH_DEBUG"))
		nfd_ctx_set_log_priority(ctx, 7);
	r = nfd_oci_fetch_spec_data(ctx, argv[optind], &oci.o, &buf, &len);
	if (r < 0) {
		r = cli_oci_error(ctx, r, argv[optind]);
	} else {
		fwrite(buf, 1, len, stdout);
		r = fflush(stdout) == 0 ? 0 : NFD_EXIT_ERROR;
	}
	free(buf);
	nfd_ctx_unref(ctx);
	cli_oci_done(&oci);
	return r;
}
