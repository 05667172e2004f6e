/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluation speed: expression evaluations per second on compiled
 * expressions (one core), and nfd_evaluate() of a 100-rule spec against a
 * realistic node.  Usage: bench-eval [features.json]; without a file the
 * node is synthesised (a server with ~80 CPUID flags, 1700 kconfig options,
 * 40 PCI devices, 120 loaded modules).  BENCH_ROUNDS (2000) sets the
 * evaluations per batch, BENCH_EXPR_ITERATIONS (3,000,000) the rounds of the
 * expression loop: small values make a run short enough for callgrind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libnfd/engine/engine.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* this thread's CPU time: on a shared machine, wall time counts the queue */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct nfd_features *synthetic_node(struct nfd_ctx *ctx)
{
	struct nfd_features *f;
	char a[64], b[64];
	bool bad = false;

	if (nfd_features_new(ctx, &f) < 0)
		return NULL;
	for (int i = 0; i < 80; i++) {
		snprintf(a, sizeof(a), "FLAG%02d", i);
		bad |= nfd_features_add_flag(f, "cpu.cpuid", a) < 0;
	}
	bad |= nfd_features_add_flag(f, "cpu.cpuid", "AVX2") < 0;
	bad |= nfd_features_add_flag(f, "cpu.cpuid", "AVX512F") < 0;
	bad |= nfd_features_add_flag(f, "cpu.cpuid", "SSE2") < 0;
	for (int i = 0; i < 1700; i++) {
		snprintf(a, sizeof(a), "OPTION_%04d", i);
		bad |= nfd_features_set_attribute(f, "kernel.config", a, i % 3 ? "y" : "m") < 0;
	}
	bad |= nfd_features_set_attribute(f, "kernel.version", "full", "6.8.0-45-generic") < 0;
	bad |= nfd_features_set_attribute(f, "kernel.version", "major", "6") < 0;
	bad |= nfd_features_set_attribute(f, "kernel.version", "minor", "8") < 0;
	bad |= nfd_features_set_attribute(f, "system.osrelease", "ID", "ubuntu") < 0;
	bad |= nfd_features_set_attribute(f, "system.osrelease", "VERSION_ID", "24.04") < 0;
	bad |= nfd_features_set_attribute(f, "memory.hugepages", "enabled", "true") < 0;
	bad |= nfd_features_set_attribute(f, "memory.hugepages", "hugepages-1Gi", "16") < 0;
	for (int i = 0; i < 120; i++) {
		snprintf(a, sizeof(a), "module_%03d", i);
		bad |= nfd_features_add_flag(f, "kernel.loadedmodule", a) < 0;
	}
	for (int i = 0; i < 40; i++) {
		const char *attrs[] = {"vendor",
				       i % 5 ? "8086" : "10de",
				       "class",
				       i % 5 ? "0200" : "0302",
				       "device",
				       a,
				       "sriov_totalvfs",
				       b,
				       NULL};

		snprintf(a, sizeof(a), "%04x", 0x1000 + i);
		snprintf(b, sizeof(b), "%d", i % 4 ? 0 : 64);
		bad |= nfd_features_add_instance(f, "pci.device", attrs) < 0;
	}
	if (bad || nfd_features_seal(f) < 0)
		return nfd_features_unref(f);
	return f;
}

/* 100 rules in 4 sets, the kinds real specs use. */
static char *realistic_spec(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_puts(&sb, "version: v1alpha1\ncompatibilities:\n");
	for (int set = 0; set < 4; set++) {
		strbuf_appendf(&sb, "- description: set %d\n  weight: %d\n  tag: t%d\n  rules:\n",
			       set, 100 - set, set);
		for (int i = 0; i < 25; i++) {
			int n = set * 25 + i;

			strbuf_appendf(&sb, "  - name: rule-%d\n    matchFeatures:\n", n);
			switch (n % 5) {
			case 0:
				strbuf_appendf(&sb,
					       "    - feature: cpu.cpuid\n      matchExpressions:\n"
					       "        FLAG%02d: {op: Exists}\n        AVX2: {op: "
					       "Exists}\n",
					       n % 90);
				break;
			case 1:
				strbuf_appendf(
					&sb,
					"    - feature: kernel.config\n      matchExpressions:\n"
					"        OPTION_%04d: {op: In, value: [\"y\", \"m\"]}\n",
					n * 13);
				break;
			case 2:
				strbuf_puts(
					&sb,
					"    - feature: kernel.version\n      matchExpressions:\n"
					"        full: {op: Ge, value: [\"5.15\"], type: version}\n"
					"        major: {op: Gt, value: [\"4\"]}\n");
				break;
			case 3:
				strbuf_puts(&sb,
					    "    - feature: pci.device\n      matchExpressions:\n"
					    "        vendor: {op: In, value: [\"10de\"]}\n"
					    "        class: {op: InRegexp, value: [\"^03\"]}\n");
				break;
			default:
				strbuf_appendf(
					&sb,
					"    - feature: kernel.loadedmodule\n      "
					"matchExpressions:\n"
					"        module_%03d: {op: Exists}\n"
					"    - feature: system.osrelease\n      matchExpressions:\n"
					"        ID: {op: In, value: [\"ubuntu\", \"debian\"]}\n",
					n);
			}
		}
	}
	return strbuf_steal(&sb);
}

static int bench_expressions(struct nfd_ctx *ctx)
{
	static const struct {
		const char *op, *type, *value;
		const char *values[4];
	} kinds[] = {
		{"In", "", "m", {"y", "m", NULL}},
		{"Exists", "", NULL, {NULL}},
		{"Gt", "", "42", {"4", NULL}},
		{"Ge", "version", "6.8.0-45-generic", {"5.15", NULL}},
		{"InRegexp", "", "0302", {"^03", NULL}},
		{"InRegexp", "", "0302", {"^03(00|02)$", NULL}}, /* PCRE2, not a literal */
		{"IsTrue", "", "true", {NULL}},
		{"NotIn", "", "ubuntu", {"rhel", "centos", NULL}},
	};
	struct nfd_spec spec = {.name = "bench"};
	/* an unlimited budget: this measures the expressions, not the budget */
	struct nfd_eval ev = {
		.ctx = ctx, .spec = &spec, .budget = UINT64_MAX, .budget_total = UINT64_MAX};
	struct arena a = {0};
	struct nfd_expr e[ARRAY_SIZE(kinds)];
	const long iterations =
		getenv("BENCH_EXPR_ITERATIONS") ? atol(getenv("BENCH_EXPR_ITERATIONS")) : 3000000;
	long hits = 0;
	double t0, dt;

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		const char *problem = NULL;

		memset(&e[k], 0, sizeof(e[k]));
		e[k].op_name = kinds[k].op;
		e[k].type = kinds[k].type;
		e[k].values = kinds[k].values;
		while (kinds[k].values[e[k].n_values])
			e[k].n_values++;
		if (nfd__expr_compile(&a, &e[k], &problem) < 0 || problem)
			return -1;
	}
	t0 = now();
	for (long i = 0; i < iterations; i++)
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
			int r = nfd__expr_eval(&ev, &e[k], true, kinds[k].value);

			if (r < 0) {
				fprintf(stderr, "bench-eval: %s: %s\n", kinds[k].op, strerror(-r));
				return -1;
			}
			hits += r;
		}
	dt = now() - t0;
	printf("expressions: %ld evaluations in %.3f s: %.1f million/s on one core "
	       "(mix: In, Exists, Gt, Ge version, InRegexp literal and PCRE2, IsTrue, NotIn; "
	       "%ld true)\n",
	       iterations * (long)ARRAY_SIZE(kinds), dt,
	       (double)iterations * ARRAY_SIZE(kinds) / dt / 1e6, hits);
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		nfd__expr_release(&e[k]);
	nfd__regex_scratch_free(ev.scratch);
	arena_release(&a);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* nfd_spec_parse() of the 100-rule spec again and again (warm: libraries
 * open, memory touched): best and median. */
static int bench_spec_parse(struct nfd_ctx *ctx, const char *yaml)
{
	enum { N = 301 };
	static double t[N];

	for (int i = 0; i < N; i++) {
		struct nfd_spec *spec = NULL;
		double t0 = now();

		if (nfd_spec_parse(ctx, yaml, strlen(yaml), "bench.yaml", &spec) < 0) {
			fprintf(stderr, "spec: %s\n", nfd_ctx_last_error(ctx));
			return -1;
		}
		t[i] = now() - t0;
		nfd_spec_unref(spec);
	}
	qsort(t, N, sizeof(t[0]), cmp_double);
	printf("spec: warm nfd_spec_parse(): best %.1f us, median %.1f us (%d parses)\n",
	       t[0] * 1e6, t[N / 2] * 1e6, N);
	return 0;
}

int main(int argc, char *argv[])
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f = NULL;
	struct nfd_spec *spec = NULL;
	char *yaml = realistic_spec();
	const int rounds = getenv("BENCH_ROUNDS") ? atoi(getenv("BENCH_ROUNDS")) : 2000;
	double t0, dt, best = 1e9, best_cpu = 1e9;
	int rules = 0;

	if (!ctx || !yaml)
		return 1;
	/* --write-spec FILE: the 100-rule spec, for timing `nfd compat
	 * validate-node` as a process (bench/bench-validate.sh) */
	if (argc > 2 && streq(argv[1], "--write-spec")) {
		FILE *out = fopen(argv[2], "w");

		if (!out || fputs(yaml, out) < 0 || fclose(out) != 0) {
			perror(argv[2]);
			return 1;
		}
		free(yaml);
		nfd_ctx_unref(ctx);
		return 0;
	}
	/* first, before anything else opened a library or touched memory: the
	 * cost a short-lived process (validate-node) pays */
	t0 = now();
	if (nfd_spec_parse(ctx, yaml, strlen(yaml), "bench.yaml", &spec) < 0) {
		fprintf(stderr, "spec: %s\n", nfd_ctx_last_error(ctx));
		return 1;
	}
	dt = now() - t0;
	for (int i = 0; i < nfd_spec_count_sets(spec); i++)
		rules += (int)spec->sets[i].n_rules;
	printf("spec: %d rules (%zu bytes of YAML) parsed in %.1f us (the first parse of the "
	       "process)\n",
	       rules, strlen(yaml), dt * 1e6);
	if (bench_spec_parse(ctx, yaml) < 0)
		return 1;
	if (bench_expressions(ctx) < 0)
		return 1;
	if (argc > 1 ? nfd_features_parse_file(ctx, argv[1], &f) < 0 : !(f = synthetic_node(ctx))) {
		fprintf(stderr, "features: %s\n", nfd_ctx_last_error(ctx));
		return 1;
	}
	for (int batch = 0; batch < 5; batch++) {
		double c0 = cpu_now();

		t0 = now();
		for (int i = 0; i < rounds; i++) {
			struct nfd_report *r = NULL;

			if (nfd_evaluate(ctx, spec, f, NULL, &r) < 0) {
				fprintf(stderr, "evaluate: %s\n", nfd_ctx_last_error(ctx));
				return 1;
			}
			nfd_report_unref(r);
		}
		dt = (now() - t0) / rounds;
		best = dt < best ? dt : best;
		dt = (cpu_now() - c0) / rounds;
		best_cpu = dt < best_cpu ? dt : best_cpu;
	}
	printf("evaluate: %d-rule spec against %s: %.1f us wall, %.1f us CPU per nfd_evaluate() "
	       "(best of 5 x %d, report included)\n",
	       rules, argc > 1 ? argv[1] : "a synthetic server node", best * 1e6, best_cpu * 1e6,
	       rounds);
	nfd_spec_unref(spec);
	nfd_features_unref(f);
	nfd_ctx_unref(ctx);
	free(yaml);
	return 0;
}
