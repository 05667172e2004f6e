/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nfd compat attach: push a spec as a referrer artifact of an image. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-oci.h"
#include "nfd-cli.h"

#define CMD "compat attach"

static void attach_usage(FILE *out)
{
	fprintf(out, "Usage: nfd compat attach --image REF [options] SPEC.yaml\n"
		     "\n"
		     "Validate SPEC.yaml (- for stdin) and attach it to the image as an\n"
		     "image-compatibility artifact (artifact type\n"
		     "application/vnd.nfd.image-compatibility.v1alpha1), as 'oras attach' does.\n"
		     "REF is registry/repo:tag, registry/repo@sha256:..., or an OCI layout\n"
		     "oci:PATH[:TAG|@DIGEST].  Prints the artifact manifest's digest.\n"
		     "\n"
		     "Options:\n"
		     "      --image REF          the image to attach to (required)\n" CLI_OCI_USAGE
		     "  -h, --help               show this help\n"
		     "\n"
		     "With --platform the spec is attached to that platform's manifest,\n"
		     "otherwise to what REF names (an index for a multi-platform image).\n"
		     "Exit status: 0 attached, 2 usage or invalid spec, 3 registry or fetch\n"
		     "error, 4 authentication failed.\n");
}

int cmd_compat_attach(int argc, char *argv[])
{
	static const struct option opts[] = {{"image", required_argument, NULL, 'i'},
					     {"help", no_argument, NULL, 'h'},
					     CLI_OCI_LONG_OPTIONS,
					     {}};
	const char *image = NULL, *path;
	struct cli_oci oci;
	struct nfd_ctx *ctx = NULL;
	struct nfd_spec *spec = NULL;
	char *buf = NULL, *digest = NULL;
	size_t len = 0;
	int c, r, ret = NFD_EXIT_ERROR;

	cli_oci_init(&oci);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		r = cli_oci_parse_flag(&oci, c, optarg, CMD);
		if (r < 0)
			return NFD_EXIT_ERROR;
		if (r > 0)
			continue;
		switch (c) {
		case 'i':
			image = optarg;
			break;
		case 'h':
			attach_usage(stdout);
			return 0;
		default:
			return cli_usage_error(CMD, "invalid option");
		}
	}
	if (!image)
		return cli_usage_error(CMD, "--image is required");
	if (optind + 1 != argc)
		return cli_usage_error(CMD, "expected exactly one SPEC file");
	path = argv[optind];
	if (strcmp(path, "-") == 0 && (oci.password_stdin || oci.token_stdin))
		return cli_usage_error(CMD, "the spec and the secret cannot both come from stdin");

	ctx = cli_ctx_new();
	if (!ctx)
		return NFD_EXIT_ERROR;

	/* read and validate first: an invalid spec is exit 2 and pushes nothing */
	if (cli_read_file(path, oci.o.max_spec_size ? oci.o.max_spec_size : 4u * 1024 * 1024,
			  "specs (--max-spec-size)", &buf, &len))
		goto out;
	r = nfd_spec_parse(ctx, buf ? buf : "", len, path, &spec);
	if (r < 0) {
		cli_lib_error(ctx, r, "spec");
		goto out;
	}
	/* what validate-spec calls an error would fail on every node: refuse it */
	r = nfd_spec_count_problems(spec);
	if (r > 0) {
		for (int i = 0; i < r; i++)
			cli_error(CMD, "%s", nfd_spec_get_problem(spec, (size_t)i));
		cli_error(CMD,
			  "not attaching a spec with %d problem(s); see 'nfd compat "
			  "validate-spec'",
			  r);
		goto out;
	}

	ret = cli_oci_finish(&oci, CMD);
	if (ret != 0)
		goto out;
	r = nfd_oci_attach_spec(ctx, image, buf ? buf : "", len, &oci.o, &digest);
	if (r < 0) {
		ret = cli_oci_error(ctx, r, image);
		goto out;
	}
	printf("%s\n", digest);
	ret = fflush(stdout) == 0 ? 0 : NFD_EXIT_ERROR;
out:
	free(digest);
	free(buf);
	nfd_spec_unref(spec);
	nfd_ctx_unref(ctx);
	cli_oci_done(&oci);
	return ret;
}
