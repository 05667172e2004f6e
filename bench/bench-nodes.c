/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Many nodes: a fleet's NodeFeature list parsed and evaluated in-process.
 *
 *   bench-nodes one FLEET SPEC [THREADS]     parse (keeping what SPEC needs) +
 *                                            evaluate every node
 *   bench-nodes matrix FLEET SPEC... [-t N]  every spec against every node
 *   bench-nodes full FLEET                   parse keeping every feature
 *
 * Prints wall time, CPU time and peak RSS (of this process, which does only
 * that one thing).  bench/bench-nodes.sh generates a fleet and runs them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <nfd/nfd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static double peak_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024.0;
}

static void report(const char *what, double t0, size_t n_nodes, size_t n_ok)
{
	printf("%s: %zu nodes, %zu compatible: %.3f s wall, %.3f s CPU, peak RSS %.1f MiB\n", what,
	       n_nodes, n_ok, now() - t0, cpu(), peak_rss_mib());
}

static struct nfd_spec *spec_or_die(struct nfd_ctx *ctx, const char *path)
{
	struct nfd_spec *s = NULL;

	if (nfd_spec_parse_file(ctx, path, &s) < 0) {
		fprintf(stderr, "%s\n", nfd_ctx_last_error(ctx));
		exit(2);
	}
	return s;
}

static size_t count_ok(struct nfd_report **r, size_t n)
{
	size_t ok = 0;

	for (size_t i = 0; i < n; i++)
		ok += nfd_report_is_compatible(r[i]) > 0;
	return ok;
}

int main(int argc, char *argv[])
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_nodes_options opts;
	struct nfd_nodes *nodes = NULL;
	struct nfd_report **reports = NULL;
	struct nfd_spec **specs;
	unsigned int threads = 2;
	size_t n_specs = 0, ok = 0;
	double t0;
	int n;

	if (argc < 3 || !ctx) {
		fprintf(stderr, "usage: bench-nodes one|matrix|full FLEET [SPEC...]\n");
		return 2;
	}
	if (nfd_nodes_options_init(&opts, NFD_NODES_OPTIONS_VERSION) < 0)
		return 2;
	specs = calloc((size_t)argc, sizeof(*specs));
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			threads = (unsigned int)atoi(argv[++i]);
			continue;
		}
		specs[n_specs++] = spec_or_die(ctx, argv[i]);
	}
	opts.threads = threads;
	t0 = now();
	if (strcmp(argv[1], "full") != 0)
		opts.only_for_specs = (const struct nfd_spec *const *)specs;
	n = nfd_nodes_parse_file(ctx, argv[2], &opts, &nodes);
	if (n < 0) {
		fprintf(stderr, "%s\n", nfd_ctx_last_error(ctx));
		return 2;
	}
	if (strcmp(argv[1], "full") == 0) {
		report("parse, every feature kept", t0, (size_t)n, 0);
		return 0;
	}
	printf("parsed in %.3f s wall, %.3f s CPU\n", now() - t0, cpu());
	for (size_t s = 0; s < n_specs; s++) {
		int r = nfd_evaluate_nodes(ctx, specs[s], nodes, NULL, threads, &reports);

		if (r < 0) {
			fprintf(stderr, "%s\n", nfd_ctx_last_error(ctx));
			return 2;
		}
		ok += count_ok(reports, (size_t)r);
		nfd_reports_free(reports, (size_t)r);
	}
	if (strcmp(argv[1], "one") == 0)
		report("parse + evaluate 1 spec", t0, (size_t)n, ok);
	else
		printf("%zu specs x %d nodes = %zu verdicts (%zu compatible): %.3f s wall, "
		       "%.3f s CPU, peak RSS %.1f MiB\n",
		       n_specs, n, n_specs * (size_t)n, ok, now() - t0, cpu(), peak_rss_mib());
	for (size_t s = 0; s < n_specs; s++)
		nfd_spec_unref(specs[s]);
	free(specs);
	nfd_nodes_unref(nodes);
	nfd_ctx_unref(ctx);
	return 0;
}
