/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What is attached to an image:
 *   nfd compat list --image REF      the compatibility artifacts
 *   nfd compat show --image REF      print the spec fetch would use
 *   nfd compat remove --image REF    delete one (NFD's planned remove-spec)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/jansson-dl.h"

#include "shared/macro.h"

#include "cli-oci.h"
#include "nfd-cli.h"

enum { ART_LIST, ART_SHOW, ART_REMOVE };

static const char *const art_cmd[] = {"compat list", "compat show", "compat remove"};

static void usage(FILE *out, int which)
{
	static const char *const what[] = {
		"List the compatibility artifacts attached to an image (its platform\n"
		"manifest, then its index), newest first; '*' marks the one validate-node\n"
		"would use.\n\n"
		"      --json               print a JSON array (digest, created, size,\n"
		"                           subject, chosen)\n",
		"Print the compatibility spec attached to an image: the one validate-node\n"
		"would use, or the artifact --digest names.\n\n"
		"      --digest D           this artifact (see 'nfd compat list')\n"
		"  -v, --verbose            print the digests used on standard error\n",
		"Delete a compatibility artifact from the registry: the one validate-node\n"
		"would use, or the artifact --digest names.  The sha256-<hex> referrers\n"
		"index tag is updated (deleted when it becomes empty).  The registry must\n"
		"allow deletes; blobs are left to its garbage collection.\n\n"
		"      --digest D           this artifact (see 'nfd compat list')\n",
	};

	fprintf(out, "Usage: nfd %s --image REF [options]\n\n%s", art_cmd[which], what[which]);
	fprintf(out, "  -i, --image REF          the image (registry reference; list and show\n"
		     "                           also take oci:PATH[:TAG])\n" CLI_OCI_USAGE
		     "  -h, --help               show this help\n\n"
		     "Exit status: 0 success, 2 error, 3 fetch error, 4 registry authentication\n"
		     "error, 5 no (such) compatibility artifact attached.\n");
}

static int print_list(const char *json)
{
	json_error_t err;
	json_t *list = json_loads(json, 0, &err), *e;
	size_t i;

	if (!json_is_array(list)) {
		json_decref(list);
		cli_error("compat list", "unexpected listing from the library");
		return NFD_EXIT_ERROR;
	}
	if (json_array_size(list) == 0)
		printf("No compatibility artifact attached.\n");
	else
		printf("  %-71s  %-30s  %8s  %s\n", "DIGEST", "CREATED", "SIZE", "SUBJECT");
	json_array_foreach(list, i, e)
	{
		json_t *size = json_object_get(e, "size");
		char sz[32] = "-";

		if (json_is_integer(size))
			snprintf(sz, sizeof(sz), "%lld", (long long)json_integer_value(size));
		printf("%c %-71s  %-30s  %8s  %s\n",
		       json_is_true(json_object_get(e, "chosen")) ? '*' : ' ',
		       json_string_value(json_object_get(e, "digest")),
		       json_string_value(json_object_get(e, "created")) ?: "-", sz,
		       json_string_value(json_object_get(e, "subject")));
	}
	json_decref(list);
	return NFD_EXIT_OK;
}

static int run(int which, int argc, char *argv[])
{
	enum { OPT_JSON = 0x100, OPT_DIGEST };
	static const struct option opts[] = {
		{"image", required_argument, NULL, 'i'},
		{"digest", required_argument, NULL, OPT_DIGEST},
		{"json", optional_argument, NULL, OPT_JSON},
		CLI_OPT_VERBOSE,
		{"help", no_argument, NULL, 'h'},
		CLI_OCI_LONG_OPTIONS,
		{},
	};
	const char *cmd = art_cmd[which], *image = NULL, *digest = NULL;
	bool json = false;
	struct cli_opts o = {};
	struct nfd_ctx *ctx = NULL;
	struct cli_oci oci;
	int c, r, ret = NFD_EXIT_ERROR;

	cli_oci_init(&oci);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:vh", opts, NULL)) != -1) {
		r = cli_parse_flag(&oci, &o, c, optarg, cmd);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		switch (c) {
		case 'i':
			image = optarg;
			break;
		case OPT_DIGEST:
			if (which == ART_LIST)
				goto unknown;
			digest = optarg;
			break;
		case OPT_JSON:
			if (which != ART_LIST)
				goto unknown;
			if (cli_parse_bool(cmd, "json", optarg, &json) < 0)
				goto out;
			break;
		case 'h':
			usage(stdout, which);
			ret = NFD_EXIT_OK;
			goto out;
		default:
		unknown:
			ret = cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	/* the image may also be given as the one argument */
	if (!image && optind < argc)
		image = argv[optind++];
	if (optind < argc) {
		ret = cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!image) {
		ret = cli_usage_error(cmd, "--image is required");
		goto out;
	}
	r = cli_oci_finish(&oci, cmd);
	if (r != 0) {
		ret = r;
		goto out;
	}
	ret = cli_ctx_from_options(&o, &ctx);
	if (ret != 0)
		goto out;
	ret = NFD_EXIT_ERROR;

	switch (which) {
	case ART_LIST: {
		_cleanup_free_ char *list = NULL;

		r = nfd_oci_list_artifacts(ctx, image, &oci.o, &list);
		if (r < 0) {
			ret = cli_oci_error(ctx, r, image);
			goto out;
		}
		if (json) {
			ret = cli_write_output(NULL, list, strlen(list));
			if (ret == 0)
				ret = cli_write_output(NULL, "\n", 1);
		} else {
			ret = print_list(list);
		}
		break;
	}
	case ART_SHOW: {
		struct nfd_oci_artifact *a = NULL;
		const char *data;
		size_t len = 0;

		oci.o.artifact_digest = digest;
		r = nfd_oci_fetch(ctx, image, &oci.o, &a);
		if (r < 0) {
			ret = cli_oci_error(ctx, r, image);
			goto out;
		}
		if (o.verbose)
			fprintf(stderr, "nfd: %s: manifest %s, compatibility artifact %s\n", image,
				nfd_oci_artifact_get_image_digest(a),
				nfd_oci_artifact_get_digest(a));
		data = nfd_oci_artifact_get_data(a, &len);
		ret = cli_write_output(NULL, data, len);
		nfd_oci_artifact_unref(a);
		break;
	}
	case ART_REMOVE: {
		_cleanup_free_ char *removed = NULL;

		r = nfd_oci_remove_artifact(ctx, image, digest, &oci.o, &removed);
		if (r < 0) {
			ret = cli_oci_error(ctx, r, image);
			goto out;
		}
		printf("%s\n", removed);
		ret = NFD_EXIT_OK;
		break;
	}
	}
out:
	nfd_ctx_unref(ctx);
	cli_oci_done(&oci);
	return ret;
}

int cmd_compat_list(int argc, char *argv[])
{
	return run(ART_LIST, argc, argv);
}

int cmd_compat_show(int argc, char *argv[])
{
	return run(ART_SHOW, argc, argv);
}

int cmd_compat_remove(int argc, char *argv[])
{
	return run(ART_REMOVE, argc, argv);
}
