/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-process parts of one `nfd compat validate-node --spec SPEC
 * --features FILE` besides the spec: reading the features file (all of it,
 * with nfd_features_parse_file(), and only what the spec references, as the
 * command does with nfd_nodes_parse_file()), and writing the text report.
 *
 *   bench-report SPEC FEATURES [ROUNDS]
 *
 * Each step is timed once cold (its first call in this process: first-touch
 * page faults, lazy binding) and then ROUNDS times warm (default 200); the
 * median and the minimum of the warm calls are printed, in microseconds of
 * wall time, with the minor page faults (of the cold call, and per warm
 * call): in a virtual machine a fault costs several microseconds.  bench-eval --write-spec writes
 * the 100-rule spec it is run with by `make bench`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <nfd/nfd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* minor page faults of this process so far */
static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct step {
	const char *what;
	struct nfd_ctx *ctx;
	const char *spec_path, *features_path;
	struct nfd_spec *spec;
	struct nfd_report *report;
	size_t bytes; /* of the last result, for the per-byte cost */
};

/* One call of the step; 0 or -1 (message printed). */
typedef int (*step_fn)(struct step *s);

static int parse_features(struct step *s)
{
	struct nfd_features *f = NULL;

	if (nfd_features_parse_file(s->ctx, s->features_path, &f) < 0) {
		fprintf(stderr, "bench-report: %s\n", nfd_ctx_last_error(s->ctx));
		return -1;
	}
	nfd_features_unref(f);
	return 0;
}

static int parse_for_spec(struct step *s)
{
	const struct nfd_spec *specs[] = {s->spec, NULL};
	struct nfd_nodes_options opts;
	struct nfd_nodes *nodes = NULL;

	if (nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION) < 0)
		return -1;
	opts.only_for_specs = specs;
	if (nfd_nodes_parse_file(s->ctx, s->features_path, &opts, &nodes) < 0) {
		fprintf(stderr, "bench-report: %s\n", nfd_ctx_last_error(s->ctx));
		return -1;
	}
	nfd_nodes_unref(nodes);
	return 0;
}

static int to_text(struct step *s)
{
	char *out = NULL;
	int r = nfd_report_to_text(s->report, 0, 0, &out);

	if (r < 0) {
		fprintf(stderr, "bench-report: text: %s\n", strerror(-r));
		return -1;
	}
	s->bytes = (size_t)r;
	free(out);
	return 0;
}

static int to_json(struct step *s)
{
	char *out = NULL;
	int r = nfd_report_to_string(s->report, NFD_REPORT_JSON, 0, &out);

	if (r < 0) {
		fprintf(stderr, "bench-report: json: %s\n", strerror(-r));
		return -1;
	}
	s->bytes = (size_t)r;
	free(out);
	return 0;
}

static int run(struct step *s, step_fn fn, int rounds)
{
	double *t = calloc((size_t)rounds, sizeof(*t));
	double t0, cold;
	long f0, cold_faults, warm_faults;

	if (!t)
		return -1;
	f0 = faults();
	t0 = now_us();
	if (fn(s) < 0)
		goto fail;
	cold = now_us() - t0;
	cold_faults = faults() - f0;
	f0 = faults();
	for (int i = 0; i < rounds; i++) {
		t0 = now_us();
		if (fn(s) < 0)
			goto fail;
		t[i] = now_us() - t0;
	}
	warm_faults = faults() - f0;
	qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
	printf("%-42s cold %7.1f us (%ld faults), warm median %7.1f us, min %7.1f us (%.1f "
	       "faults)",
	       s->what, cold, cold_faults, t[rounds / 2], t[0], (double)warm_faults / rounds);
	if (s->bytes)
		printf(" (%zu bytes out: %.2f ns/byte)", s->bytes, t[rounds / 2] * 1e3 / s->bytes);
	printf("\n");
	free(t);
	return 0;
fail:
	free(t);
	return -1;
}

int main(int argc, char *argv[])
{
	struct step s = {};
	int rounds = argc > 3 ? atoi(argv[3]) : 200;
	int ret = 1;

	if (argc < 3 || rounds < 1) {
		fprintf(stderr, "usage: bench-report SPEC FEATURES [ROUNDS]\n");
		return 2;
	}
	s.spec_path = argv[1];
	s.features_path = argv[2];
	s.ctx = nfd_ctx_new();
	if (!s.ctx)
		return 1;
	/* the order of the command: features are read after the spec */
	if (nfd_spec_parse_file(s.ctx, s.spec_path, &s.spec) < 0) {
		fprintf(stderr, "bench-report: %s\n", nfd_ctx_last_error(s.ctx));
		goto out;
	}
	s.what = "features, only what the spec needs (CLI)";
	if (run(&s, parse_for_spec, rounds) < 0)
		goto out;
	s.what = "features, all (nfd_features_parse_file)";
	if (run(&s, parse_features, rounds) < 0)
		goto out;
	{
		struct nfd_features *f = NULL;

		if (nfd_features_parse_file(s.ctx, s.features_path, &f) < 0 ||
		    nfd_evaluate(s.ctx, s.spec, f, NULL, &s.report) < 0) {
			fprintf(stderr, "bench-report: %s\n", nfd_ctx_last_error(s.ctx));
			nfd_features_unref(f);
			goto out;
		}
		nfd_features_unref(f);
	}
	s.what = "report as text (nfd_report_to_text)";
	if (run(&s, to_text, rounds) < 0)
		goto out;
	s.what = "report as JSON (nfd_report_to_string)";
	if (run(&s, to_json, rounds) < 0)
		goto out;
	ret = 0;
out:
	nfd_report_unref(s.report);
	nfd_spec_unref(s.spec);
	nfd_ctx_unref(s.ctx);
	return ret;
}
