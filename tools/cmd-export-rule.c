/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd compat export-rule: a compat spec as a NodeFeatureRule that labels the
 * nodes validate-node would call compatible, plus the nodeAffinity to
 * select them (doc/nodefeaturerule.md, "From a compat spec").
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/macro.h"
#include "shared/strbuf.h"
#include "shared/util.h"

#include "cli-oci.h"
#include "nfd-cli.h"

#define EXPORT_RULE "compat export-rule"

/* nfd-master's default label namespace */
#define NFD_FEATURE_LABEL_NS "feature.node.kubernetes.io"
/* the largest spec read (as nfd_spec_parse_file() takes) */
#define SPEC_MAX_SIZE (4u << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: nfd compat export-rule (--spec FILE | --image REF) [options]\n\n"
		"Print a NodeFeatureRule that makes nfd-master label a node NAME=true exactly\n"
		"when `nfd compat validate-node` would call it compatible, followed by the\n"
		"nodeAffinity (as YAML comments) that schedules a pod onto such nodes.\n\n"
		"  -s, --spec FILE          the spec ('-' reads standard input)\n"
		"  -i, --image REF          the spec attached to an image\n"
		"  -l, --label NAME         the label (default: derived from the image or\n"
		"                           spec file and the spec's digest)\n"
		"  -t, --tags T1,T2         only these compatibility sets\n"
		"  -n, --name NAME          the NodeFeatureRule's metadata.name\n" CLI_OCI_USAGE
		"  -h, --help               show this help\n");
}

/*
 * compat.feature.node.kubernetes.io/<repository's last part>-<12 hex of the
 * spec's sha256>: readable, a valid label (a subdomain of NFD's namespace,
 * which nfd-master allows), and the same for the same spec.
 */
static int default_label(const char *source, const char *digest, struct strbuf *sb)
{
	strbuf_puts(sb, "compat." NFD_FEATURE_LABEL_NS "/");
	return cli_label_name(sb, source, digest + strlen("sha256:"));
}

static int load(struct nfd_ctx *ctx, const char *spec_path, const char *image,
		const struct cli_oci *oci, char **ret_buf, size_t *ret_len)
{
	int r;

	if (image) {
		r = nfd_oci_fetch_spec_data(ctx, image, &oci->o, ret_buf, ret_len);
		return r < 0 ? cli_oci_error(ctx, r, image) : 0;
	}
	return cli_read_file(spec_path, SPEC_MAX_SIZE, "specs", ret_buf, ret_len);
}

static void print_affinity(const char *label)
{
	printf("---\n"
	       "# Select the labelled nodes in the pod spec:\n"
	       "#   affinity:\n"
	       "#     nodeAffinity:\n"
	       "#       requiredDuringSchedulingIgnoredDuringExecution:\n"
	       "#         nodeSelectorTerms:\n"
	       "#         - matchExpressions:\n"
	       "#           - key: %s\n"
	       "#             operator: In\n"
	       "#             values: [\"true\"]\n",
	       label);
}

int cmd_compat_export_rule(int argc, char *argv[])
{
	static const struct option opts[] = {
		{"spec", required_argument, NULL, 's'},
		{"image", required_argument, NULL, 'i'},
		{"label", required_argument, NULL, 'l'},
		{"tags", required_argument, NULL, 't'},
		{"name", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		CLI_OCI_LONG_OPTIONS,
		{},
	};
	const char *spec_path = NULL, *image = NULL, *label = NULL, *name = NULL;
	_cleanup_free_ char **tags = NULL;
	_cleanup_free_ char *buf = NULL, *digest = NULL, *out = NULL;
	_cleanup_strbuf_ struct strbuf lab = STRBUF_INIT, var = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf nfr_name = STRBUF_INIT;
	struct nfd_ctx *ctx = NULL;
	struct nfd_spec *spec = NULL;
	struct cli_oci oci;
	size_t len = 0;
	int c, r, ret = NFD_EXIT_ERROR;

	cli_oci_init(&oci);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:i:l:t:n:h", opts, NULL)) != -1) {
		r = cli_oci_parse_flag(&oci, c, optarg, EXPORT_RULE);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		switch (c) {
		case 's':
			spec_path = optarg;
			break;
		case 'i':
			image = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 't':
			free(tags);
			tags = cli_split_list(optarg);
			break;
		case 'n':
			name = optarg;
			break;
		case 'h':
			usage(stdout);
			ret = NFD_EXIT_OK;
			goto out;
		default:
			ret = cli_usage_error(EXPORT_RULE, "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error(EXPORT_RULE, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!!spec_path == !!image) {
		ret = cli_usage_error(EXPORT_RULE, "give exactly one of --spec and --image");
		goto out;
	}
	r = cli_oci_finish(&oci, EXPORT_RULE);
	if (r != 0) {
		ret = r;
		goto out;
	}
	ctx = cli_ctx_new();
	if (!ctx)
		goto out;
	ret = load(ctx, spec_path, image, &oci, &buf, &len);
	if (ret != 0)
		goto out;
	ret = NFD_EXIT_ERROR;
	r = nfd_spec_parse(ctx, buf, len,
			   image		   ? image
			   : streq(spec_path, "-") ? "<stdin>"
						   : spec_path,
			   &spec);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, "spec");
		goto out;
	}
	if (nfd_oci_digest(buf, len, &digest) < 0) {
		cli_error(EXPORT_RULE, "cannot hash the spec");
		goto out;
	}
	if (!label) {
		if (default_label(image			  ? image
				  : streq(spec_path, "-") ? "spec"
							  : spec_path,
				  digest, &lab) < 0) {
			cli_error(EXPORT_RULE, "out of memory");
			goto out;
		}
		label = lab.buf;
	} else {
		const char *full = strchr(label, '/') ? label : NULL;

		if (!full) {
			strbuf_appendf(&lab, NFD_FEATURE_LABEL_NS "/%s", label);
			full = strbuf_str(&lab);
		}
		r = full ? nfd_rules_check_label(ctx, full, "true", 0) : -ENOMEM;
		if (r < 0) {
			ret = cli_usage_error(EXPORT_RULE, "--label %s: %s", label,
					      r == -ENOMEM ? "out of memory"
							   : nfd_ctx_last_error(ctx));
			goto out;
		}
	}
	strbuf_appendf(&var, "nfd-compat-%.12s", digest + strlen("sha256:"));
	if (!strbuf_str(&var)) {
		cli_error(EXPORT_RULE, "out of memory");
		goto out;
	}
	if (!name) {
		/* metadata.name: a lower-case DNS subdomain */
		cli_slug(&nfr_name, strrchr(label, '/') ? strrchr(label, '/') + 1 : label, 200);
		name = strbuf_str(&nfr_name);
	}
	r = nfd_spec_to_rule(ctx, spec, (const char *const *)tags, name ? name : "", label, var.buf,
			     &out);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, EXPORT_RULE);
		goto out;
	}
	ret = cli_write_output(NULL, out, strlen(out));
	if (ret == 0)
		print_affinity(label);
out:
	nfd_spec_unref(spec);
	nfd_ctx_unref(ctx);
	cli_oci_done(&oci);
	return ret;
}
