/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench-discover [--root DIR] [--iterations N] [--sources a,b,...]
 *
 * Times in-process discovery: the first discovery of a process (each in a
 * child forked before anything was discovered, so the optional libraries a
 * source loads and the first touch of its memory count, as they do in
 * `nfd export features`), every source together (a new context per
 * iteration, and a reused context), each source alone, and the JSON export
 * of the result.  Prints min / median / mean per iteration in milliseconds.
 * A measurement tool, not a test: the numbers depend on the machine.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nfd/nfd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n)
{
	double sum = 0;

	for (int i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%-34s min %7.3f  median %7.3f  mean %7.3f ms  (n=%d)\n", what, t[0], t[n / 2],
	       sum / n, n);
}

struct opts {
	const char *root;
	const char *const *sources;
	int iterations;
};

static struct nfd_ctx *new_ctx(const struct opts *o)
{
	struct nfd_ctx *ctx = nfd_ctx_new();

	if (!ctx) {
		perror("nfd_ctx_new");
		exit(2);
	}
	/* warnings about what this host lacks would only add printing time */
	nfd_ctx_set_log_fn(ctx, NULL, NULL);
	if (o->root && nfd_ctx_set_root(ctx, o->root) < 0) {
		fprintf(stderr, "bad root '%s'\n", o->root);
		exit(2);
	}
	return ctx;
}

static struct nfd_features *discover(struct nfd_ctx *ctx, const char *const *sources)
{
	struct nfd_features *f = NULL;
	int r = nfd_discover(ctx, sources, &f);

	if (r < 0) {
		fprintf(stderr, "nfd_discover: %s\n", nfd_ctx_last_error(ctx));
		exit(2);
	}
	return f;
}

/* the parent has loaded libnfd but discovered nothing: each child is a first call */
static void bench_first(const struct opts *o, double *t)
{
	for (int i = 0; i < o->iterations; i++) {
		int fds[2];
		pid_t pid;
		int status;

		if (pipe(fds) < 0 || (pid = fork()) < 0) {
			perror("fork");
			exit(2);
		}
		if (pid == 0) {
			double t0 = now_ms(), dt;
			struct nfd_ctx *ctx = new_ctx(o);

			nfd_features_unref(discover(ctx, o->sources));
			nfd_ctx_unref(ctx);
			dt = now_ms() - t0;
			_exit(write(fds[1], &dt, sizeof(dt)) == sizeof(dt) ? 0 : 1);
		}
		close(fds[1]);
		if (read(fds[0], &t[i], sizeof(t[i])) != sizeof(t[i]) ||
		    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-discover: a child failed\n");
			exit(2);
		}
		close(fds[0]);
	}
	report("discover, first in a process", t, o->iterations);
}

static void bench_all(const struct opts *o, double *t)
{
	struct nfd_ctx *ctx;
	char *json = NULL;

	for (int i = 0; i < o->iterations; i++) {
		double t0 = now_ms();

		ctx = new_ctx(o);
		nfd_features_unref(discover(ctx, o->sources));
		nfd_ctx_unref(ctx);
		t[i] = now_ms() - t0;
	}
	report("discover, new context each time", t, o->iterations);

	ctx = new_ctx(o);
	for (int i = 0; i < o->iterations; i++) {
		double t0 = now_ms();

		nfd_features_unref(discover(ctx, o->sources));
		t[i] = now_ms() - t0;
	}
	report("discover, reused context", t, o->iterations);

	{
		struct nfd_features *f = discover(ctx, o->sources);

		for (int i = 0; i < o->iterations; i++) {
			double t0 = now_ms();

			if (nfd_features_to_json(f, 0, &json) < 0)
				exit(2);
			t[i] = now_ms() - t0;
			free(json);
		}
		report("export JSON of the result", t, o->iterations);
		nfd_features_unref(f);
	}
	nfd_ctx_unref(ctx);
}

static void bench_each(const struct opts *o, double *t)
{
	const char *const *names = nfd_source_names();
	struct nfd_ctx *ctx = new_ctx(o);

	for (size_t s = 0; names[s]; s++) {
		const char *one[2] = {names[s], NULL};
		char what[64];

		for (int i = 0; i < o->iterations; i++) {
			double t0 = now_ms();

			nfd_features_unref(discover(ctx, one));
			t[i] = now_ms() - t0;
		}
		snprintf(what, sizeof(what), "  source %s", names[s]);
		report(what, t, o->iterations);
	}
	nfd_ctx_unref(ctx);
}

static const char *const *split_sources(char *list)
{
	static const char *v[32];
	size_t n = 0;

	for (char *s = strtok(list, ","); s && n < 31; s = strtok(NULL, ","))
		v[n++] = s;
	v[n] = NULL;
	return v;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"root", required_argument, NULL, 'r'},
		{"iterations", required_argument, NULL, 'n'},
		{"sources", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	struct opts o = {.iterations = 200};
	double *t;
	int c;

	while ((c = getopt_long(argc, argv, "r:n:s:h", options, NULL)) >= 0) {
		switch (c) {
		case 'r':
			o.root = optarg;
			break;
		case 'n':
			o.iterations = atoi(optarg);
			break;
		case 's':
			o.sources = split_sources(optarg);
			break;
		default:
			printf("usage: %s [--root DIR] [--iterations N] [--sources a,b]\n",
			       argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}
	if (o.iterations < 1)
		o.iterations = 1;
	t = calloc((size_t)o.iterations, sizeof(*t));
	if (!t)
		return 2;

	printf("libnfd %s, root %s, %d iterations\n", nfd_version(), o.root ? o.root : "/",
	       o.iterations);
	bench_first(&o, t);
	/* one untimed round so the page cache and lazy libraries are warm */
	{
		struct nfd_ctx *ctx = new_ctx(&o);

		nfd_features_unref(discover(ctx, o.sources));
		nfd_ctx_unref(ctx);
	}
	bench_all(&o, t);
	if (!o.sources)
		bench_each(&o, t);
	free(t);
	return 0;
}
