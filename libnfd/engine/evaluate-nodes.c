/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One spec against many nodes on N threads.  Specs and sealed features are
 * immutable, so workers share them; each worker has a context of its own for
 * messages, and nodes are handed out one at a time from a shared counter.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libnfd/engine/engine.h"
#include "libnfd/nodes-private.h"

#define MAX_THREADS 64

static int term_needs(const struct nfd_term *t, bool templated,
		      int (*fn)(void *data, const char *feature, const char *element), void *data)
{
	int r;

	/* matchName and templates see every element; so does an empty
	 * matchExpressions (it matches the whole feature) */
	if (t->match_name || templated || t->n_exprs == 0)
		return fn(data, t->feature_lc, NULL);
	for (size_t j = 0; j < t->n_exprs; j++)
		if ((r = fn(data, t->feature_lc, t->names[j])) < 0)
			return r;
	return 0;
}

int nfd__spec_each_need(const struct nfd_spec *spec,
			int (*fn)(void *data, const char *feature, const char *element), void *data)
{
	for (size_t i = 0; i < spec->n_sets; i++) {
		for (size_t k = 0; k < spec->sets[i].n_rules; k++) {
			const struct nfd_rule *rule = &spec->sets[i].rules[k];
			bool templated = rule->vars_template || rule->vars_template_err;

			for (size_t a = 0; a <= rule->n_any; a++) {
				const struct nfd_matcher *m = a < rule->n_any
								      ? &rule->match_any[a]
								      : &rule->match_features;

				for (size_t t = 0; t < m->n_terms; t++) {
					int r = term_needs(&m->terms[t], templated, fn, data);

					if (r < 0)
						return r;
				}
			}
		}
	}
	return 0;
}

struct job {
	const struct nfd_spec *spec;
	const struct nfd_nodes *nodes;
	const char *const *tags;
	uint64_t work_budget; /* the caller's, per node */
	struct nfd_report **reports;
	size_t n;
	size_t next; /* the next node to take (atomic) */
	int failed;  /* set when a node failed: the others stop (atomic) */
	pthread_mutex_t lock;
	size_t err_index; /* the failed node with the lowest index */
	int err;
	char *err_msg;
};

static void fail(struct job *job, size_t i, int err, const char *msg)
{
	pthread_mutex_lock(&job->lock);
	if (!job->err || i < job->err_index) {
		free(job->err_msg);
		job->err_msg = strdup(msg);
		job->err = err;
		job->err_index = i;
	}
	pthread_mutex_unlock(&job->lock);
	__atomic_store_n(&job->failed, 1, __ATOMIC_RELEASE);
}

static void run(struct job *job, struct nfd_ctx *ctx)
{
	for (;;) {
		size_t i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
		int r;

		if (i >= job->n || __atomic_load_n(&job->failed, __ATOMIC_ACQUIRE))
			return;
		r = nfd_evaluate(ctx, job->spec, nfd_nodes_get_features(job->nodes, i), job->tags,
				 &job->reports[i]);
		if (r < 0)
			fail(job, i, r, nfd_ctx_last_error(ctx));
	}
}

static void *worker(void *data)
{
	struct job *job = data;
	struct nfd_ctx *ctx = nfd_ctx_new();

	if (!ctx || nfd_ctx_set_work_budget(ctx, job->work_budget) < 0) {
		nfd_ctx_unref(ctx);
		fail(job, 0, -ENOMEM, "out of memory");
		return NULL;
	}
	run(job, ctx);
	nfd_ctx_unref(ctx);
	return NULL;
}

static unsigned int pick_threads(unsigned int threads, size_t n)
{
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cpus > 0 ? (unsigned int)cpus : 1;
	}
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads > n)
		threads = n > 0 ? (unsigned int)n : 1;
	return threads;
}

NFD_EXPORT void nfd_reports_free(struct nfd_report **reports, size_t n)
{
	if (!reports)
		return;
	for (size_t i = 0; i < n; i++)
		nfd_report_unref(reports[i]);
	free(reports);
}

NFD_EXPORT int nfd_evaluate_nodes(struct nfd_ctx *ctx, const struct nfd_spec *spec,
				  const struct nfd_nodes *nodes, const char *const *tags,
				  unsigned int threads, struct nfd_report ***ret)
{
	struct job job = {.spec = spec, .nodes = nodes, .tags = tags};
	pthread_t tids[MAX_THREADS];
	unsigned int started = 0;
	int r = 0;

	assert_return(ctx, -EINVAL);
	assert_return(spec && nodes && ret, nfd__error(ctx, EINVAL, "no spec or nodes given"));
	job.work_budget = nfd_ctx_get_work_budget(ctx);
	job.n = (size_t)nfd_nodes_count(nodes);
	job.reports = calloc(job.n + 1, sizeof(*job.reports));
	if (!job.reports)
		return nfd__oom(ctx);
	pthread_mutex_init(&job.lock, NULL);
	threads = pick_threads(threads, job.n);
	/* the calling thread works too, with the caller's context */
	for (unsigned int t = 1; t < threads; t++) {
		if (pthread_create(&tids[started], NULL, worker, &job) != 0)
			break;
		started++;
	}
	run(&job, ctx);
	for (unsigned int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	if (job.err) {
		r = nfd__error(ctx, -job.err, "node '%s': %s",
			       nfd_nodes_get_name(nodes, job.err_index),
			       job.err_msg ? job.err_msg : "out of memory");
		nfd_reports_free(job.reports, job.n);
	} else {
		*ret = job.reports;
		r = (int)job.n;
	}
	free(job.err_msg);
	pthread_mutex_destroy(&job.lock);
	return r;
}
