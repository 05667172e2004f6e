/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd compat publish: one round of "evaluate this node against every listed
 * image and hand the verdicts to nfd-worker's local feature source".  The
 * result is one feature file (doc/kubernetes.md, "nfd compat publish"):
 *
 *	# +expiry-time=<now + expiry, RFC 3339>
 *	compat.<domain>/<label>=true|false      one line per evaluated image
 *
 * written to a dot-file in the same directory and renamed into place, so
 * nfd-worker (which skips dot-files) never reads half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shared/macro.h"
#include "shared/strbuf.h"
#include "shared/util.h"
#include "shared/write-file.h"

#include "cli-oci.h"
#include "nfd-cli.h"

#define PUBLISH		"compat publish"
#define IMAGES_MAX_SIZE (1024 * 1024)
/* nfd-worker skips feature files larger than this (NFD source/local/local.go) */
#define FEATURE_FILE_MAX 65536
#define DEFAULT_DOMAIN	 "feature.node.kubernetes.io"
#define DEFAULT_FILE	 "nfd-compat"
#define DEFAULT_EXPIRY	 (15 * 60)

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: nfd compat publish --images FILE --features-d DIR [options]\n\n"
		"Evaluate this node against the spec attached to every image listed in FILE\n"
		"(one reference per line, optionally followed by a label name; '#' starts a\n"
		"comment) and write the verdicts as ONE nfd-worker feature file in DIR:\n"
		"compat.<domain>/<label>=true|false per image, under an expiry time.\n\n"
		"  -I, --images FILE           the image list ('-' reads standard input)\n"
		"  -D, --features-d DIR        nfd-worker's features.d directory\n"
		"      --interval-expiry DURATION  verdicts expire this long after the\n"
		"                              round (e.g. 900, 90s, 15m, 2h; default 15m)\n"
		"      --every DURATION        repeat the round forever, this long apart (the\n"
		"                              image list is re-read every round)\n"
		"      --domain D              labels are compat.D/<label> (default\n"
		"                              " DEFAULT_DOMAIN ")\n"
		"      --file-name NAME        the file in DIR (default " DEFAULT_FILE ")\n"
		"  -f, --features FILE         evaluate these features instead of discovering\n"
		"  -r, --root DIR              discover the host tree mounted at DIR\n"
		"      --host-prefix P         NFD's container layout (default "
		"$NFD_HOST_PREFIX)\n" CLI_OCI_USAGE
		"  -h, --help                  show this help\n\n"
		"An image whose spec cannot be fetched or evaluated gets no line (its label\n"
		"disappears rather than turning false); the others are still published and\n"
		"the exit status is that of the first failure (2, 3 or 4), else 0.\n");
}

struct image {
	char *ref;   /* borrowed from the images buffer */
	char *label; /* the full label key, owned */
};

/* 1..63 bytes of [A-Za-z0-9._-], alphanumeric at both ends */
static bool valid_label_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum =
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && ((i == 0 || i == n - 1) || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

/* a DNS subdomain (lower case), short enough that compat.<d> still is one */
static bool valid_domain(const char *d)
{
	size_t n = strlen(d), seg = 0;

	if (n == 0 || n > 253 - strlen("compat."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = d[i];

		if (c == '.') {
			if (seg == 0 || d[i - 1] == '-')
				return false;
			seg = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
		if (c == '-' && seg == 0)
			return false;
		if (++seg > 63)
			return false;
	}
	return seg > 0 && d[n - 1] != '-';
}

/* "900", "90s", "15m", "2h" -> seconds; -1 if malformed or not positive */
static long long parse_duration(const char *s)
{
	unsigned long long v;
	char num[32];
	size_t n = strlen(s);
	long long mult = 1;

	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 's':
		num[--n] = '\0';
		break;
	case 'm':
		mult = 60;
		num[--n] = '\0';
		break;
	case 'h':
		mult = 3600;
		num[--n] = '\0';
		break;
	}
	if (n == 0 || parse_u64(num, &v) < 0 || v == 0 || v > 366ULL * 24 * 3600)
		return -1;
	if ((long long)v * mult > 366LL * 24 * 3600)
		return -1;
	return (long long)v * mult;
}

/* Parse the image list in place.  0 or NFD_EXIT_ERROR (message printed). */
static int parse_images(char *buf, const char *path, const char *domain, struct image **ret,
			size_t *ret_n)
{
	struct image *v = NULL;
	size_t n = 0, lineno = 0;
	char *line, *next;

	for (line = buf; line; line = next) {
		char *ref, *name, *extra;
		struct strbuf sb;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = strstrip(line);
		if (!line[0] || line[0] == '#')
			continue;
		ref = strtok(line, " \t\r");
		name = strtok(NULL, " \t\r");
		extra = strtok(NULL, " \t\r");
		if (extra && extra[0] != '#') {
			cli_error(path, "line %zu: expected 'REFERENCE [LABEL]', got more", lineno);
			goto fail;
		}
		if (name && name[0] == '#')
			name = NULL;
		if (name && !valid_label_name(name)) {
			cli_error(path,
				  "line %zu: '%s' is not a label name (1-63 of [A-Za-z0-9._-], "
				  "alphanumeric at both ends)",
				  lineno, name);
			goto fail;
		}
		struct image *nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			goto oom;
		v = nv;
		strbuf_init(&sb);
		strbuf_appendf(&sb, "compat.%s/", domain);
		if (name) {
			strbuf_puts(&sb, name);
		} else {
			_cleanup_free_ char *digest = NULL;

			/* the reference as written, hashed: the same line, the same label */
			if (nfd_oci_digest(ref, strlen(ref), &digest) < 0 ||
			    cli_label_name(&sb, ref, digest + strlen("sha256:")) < 0) {
				strbuf_release(&sb);
				goto oom;
			}
		}
		if (!strbuf_str(&sb)) {
			strbuf_release(&sb);
			goto oom;
		}
		v[n].ref = ref;
		v[n].label = strbuf_steal(&sb);
		for (size_t i = 0; i < n; i++)
			if (streq(v[i].label, v[n].label)) {
				cli_error(path, "line %zu: label %s is also that of %s", lineno,
					  v[n].label, v[i].ref);
				n++;
				goto fail;
			}
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
oom:
	cli_error(PUBLISH, "out of memory");
fail:
	for (size_t i = 0; i < n; i++)
		free(v[i].label);
	free(v);
	return NFD_EXIT_ERROR;
}

/* One image's verdict: 1 compatible, 0 not, or -(exit code) (printed). */
static int evaluate_one(struct nfd_ctx *ctx, const char *ref, const struct cli_oci *oci,
			struct nfd_features *given)
{
	struct nfd_spec *spec = NULL;
	struct nfd_features *f = NULL;
	struct nfd_report *report = NULL;
	int r, ret;

	r = cli_oci_fetch_spec(ctx, ref, oci, &spec);
	if (r != 0)
		return -r;
	if (given) {
		f = nfd_features_ref(given);
	} else {
		r = cli_discover(ctx, spec, NULL, &f);
		if (r < 0) {
			ret = -cli_lib_error(ctx, r, ref);
			goto out;
		}
	}
	r = nfd_evaluate(ctx, spec, f, NULL, &report);
	if (r < 0) {
		ret = -cli_lib_error(ctx, r, ref);
		goto out;
	}
	ret = nfd_report_is_compatible(report) > 0;
out:
	nfd_report_unref(report);
	nfd_features_unref(f);
	nfd_spec_unref(spec);
	return ret;
}

/* Write data to dir/name through a dot-file and rename(2).  0 or exit code. */
static int write_atomically(const char *dir, const char *name, const char *data, size_t len)
{
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
	int r;

	if (dfd < 0) {
		cli_error(dir, "%s", strerror(errno));
		return NFD_EXIT_ERROR;
	}
	/* nfd-worker may run as another user: the file is world-readable */
	r = write_file_replace(dfd, name, &iov, 1, 0644, WRITE_FILE_SYNC);
	if (r < 0) {
		cli_error(dir, "cannot write %s: %s", name, strerror(-r));
		return NFD_EXIT_ERROR;
	}
	return 0;
}

static bool valid_file_name(const char *s)
{
	return s[0] && s[0] != '.' && !strchr(s, '/') && strlen(s) <= 200;
}

struct round {
	const char *images_path, *dir, *domain, *file_name;
	long long expiry;
	const struct cli_oci *oci;
	struct nfd_ctx *ctx;
	struct nfd_features *given; /* --features, or NULL to discover */
};

/* Read the image list, evaluate, write the file.  0 or an exit code. */
static int publish_round(const struct round *o)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_(strbuf_releasep) struct strbuf out;
	struct image *images = NULL;
	size_t n_images = 0, len;
	int r, ret = NFD_EXIT_ERROR, first_error = 0;
	time_t until;
	struct tm tm;
	char stamp[32];

	strbuf_init(&out);
	if (cli_read_file(o->images_path, IMAGES_MAX_SIZE, "image lists", &buf, &len))
		return NFD_EXIT_ERROR;
	if (memchr(buf, '\0', len)) {
		cli_error(o->images_path, "not a text file");
		return NFD_EXIT_ERROR;
	}
	if (parse_images(buf, o->images_path, o->domain, &images, &n_images) != 0)
		return NFD_EXIT_ERROR;
	until = time(NULL) + (time_t)o->expiry;
	if (!gmtime_r(&until, &tm) || !strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		cli_error(PUBLISH, "cannot format the expiry time");
		goto out;
	}
	strbuf_appendf(&out,
		       "# Written by nfd compat publish (libnfd %s); replaced every round.\n"
		       "# +expiry-time=%s\n",
		       nfd_version(), stamp);
	for (size_t i = 0; i < n_images; i++) {
		r = evaluate_one(o->ctx, images[i].ref, o->oci, o->given);
		if (r < 0) {
			fprintf(stderr, "nfd: %s: no verdict published\n", images[i].ref);
			if (!first_error)
				first_error = -r;
			continue;
		}
		/* the reference is a comment for humans; "# image:" is never a directive */
		strbuf_appendf(&out, "# image: %s\n%s=%s\n", images[i].ref, images[i].label,
			       r ? "true" : "false");
		printf("%s=%s\t%s\n", images[i].label, r ? "true" : "false", images[i].ref);
	}
	if (!strbuf_str(&out)) {
		cli_error(PUBLISH, "out of memory");
		goto out;
	}
	if (out.len > FEATURE_FILE_MAX) {
		cli_error(PUBLISH, "%zu bytes of verdicts: nfd-worker ignores files over %d bytes",
			  out.len, FEATURE_FILE_MAX);
		goto out;
	}
	fflush(stdout);
	ret = write_atomically(o->dir, o->file_name, out.buf, out.len);
	if (ret == 0)
		ret = first_error;
out:
	for (size_t i = 0; i < n_images; i++)
		free(images[i].label);
	free(images);
	return ret;
}

int cmd_compat_publish(int argc, char *argv[])
{
	enum { OPT_EVERY = 0x100, OPT_EXPIRY, OPT_DOMAIN, OPT_FILE_NAME };
	static const struct option opts[] = {
		{"images", required_argument, NULL, 'I'},
		{"features-d", required_argument, NULL, 'D'},
		{"interval-expiry", required_argument, NULL, OPT_EXPIRY},
		{"every", required_argument, NULL, OPT_EVERY},
		{"domain", required_argument, NULL, OPT_DOMAIN},
		{"file-name", required_argument, NULL, OPT_FILE_NAME},
		CLI_OPT_FEATURES,
		CLI_OPT_ROOT,
		CLI_OPT_HOST_PREFIX_LONG,
		{"help", no_argument, NULL, 'h'},
		CLI_OCI_LONG_OPTIONS,
		{},
	};
	const char *images_path = NULL, *dir = NULL, *domain = DEFAULT_DOMAIN;
	const char *file_name = DEFAULT_FILE;
	struct cli_opts no = {};
	long long expiry = DEFAULT_EXPIRY;
	struct cli_oci oci;
	struct nfd_ctx *ctx = NULL;
	struct nfd_features *given = NULL;
	long long every = 0;
	int c, r, ret = NFD_EXIT_ERROR;
	struct stat st;

	cli_oci_init(&oci);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "I:D:f:r:h", opts, NULL)) != -1) {
		r = cli_parse_flag(&oci, &no, c, optarg, PUBLISH);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		switch (c) {
		case 'I':
			images_path = optarg;
			break;
		case 'D':
			dir = optarg;
			break;
		case OPT_EXPIRY:
			expiry = parse_duration(optarg);
			if (expiry < 0) {
				ret = cli_usage_error(PUBLISH,
						      "--interval-expiry: '%s' is not a duration "
						      "(N, Ns, Nm or Nh; at most a year)",
						      optarg);
				goto out;
			}
			break;
		case OPT_EVERY:
			every = parse_duration(optarg);
			if (every < 0) {
				ret = cli_usage_error(PUBLISH,
						      "--every: '%s' is not a duration "
						      "(N, Ns, Nm or Nh; at most a year)",
						      optarg);
				goto out;
			}
			break;
		case OPT_DOMAIN:
			domain = optarg;
			break;
		case OPT_FILE_NAME:
			file_name = optarg;
			break;
		case 'h':
			usage(stdout);
			ret = NFD_EXIT_OK;
			goto out;
		default:
			ret = cli_usage_error(PUBLISH, "unknown or incomplete option '%s'",
					      argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		ret = cli_usage_error(PUBLISH, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!images_path || !dir) {
		ret = cli_usage_error(PUBLISH, "--images and --features-d are required");
		goto out;
	}
	if (!valid_domain(domain)) {
		ret = cli_usage_error(PUBLISH, "--domain: '%s' is not a lower-case DNS subdomain",
				      domain);
		goto out;
	}
	if (!valid_file_name(file_name)) {
		ret = cli_usage_error(PUBLISH,
				      "--file-name: '%s' must be a plain name not starting "
				      "with '.'",
				      file_name);
		goto out;
	}
	ret = cli_opts_check(&no, &oci, images_path, PUBLISH);
	if (ret != 0)
		goto out;
	ret = NFD_EXIT_ERROR;
	if (stat(dir, &st) < 0) {
		cli_error(dir, "%s", strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error(dir, "not a directory");
		goto out;
	}
	r = cli_oci_finish(&oci, PUBLISH);
	if (r != 0) {
		ret = r;
		goto out;
	}
	ret = cli_ctx_from_options(&no, &ctx);
	if (ret != 0)
		goto out;
	ret = NFD_EXIT_ERROR;
	if (no.features) {
		r = nfd_features_parse_file(ctx, no.features, &given);
		if (r < 0) {
			cli_lib_error(ctx, r, "features");
			goto out;
		}
	}
	struct round o = {images_path, dir, domain, file_name, expiry, &oci, ctx, given};

	for (;;) {
		ret = publish_round(&o);
		if (!every)
			break;
		fflush(stdout);
		/* a loop (the DaemonSet) keeps going: the next round may succeed */
		sleep((unsigned)every);
	}
out:
	nfd_features_unref(given);
	nfd_ctx_unref(ctx);
	cli_oci_done(&oci);
	return ret;
}
