/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A long "items" list of a features document, read on several threads: cut
 * into runs at guessed item starts, each run read on its own, the guesses
 * checked when the runs are put together (doc/many-nodes.md, "Reading large
 * lists").  Also the paging of a mapped file: pages mapped ahead of the
 * reader and handed back behind it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libnfd/features-private.h"
#include "libnfd/nodes-json-private.h"

/* how much of a mapped file is read before its pages are handed back */
#define RELEASE_STEP (8u << 20)
/* a list is cut into runs read on several threads: at most this many, and
 * none shorter than SPLIT_MIN bytes (doc_options.split_min) */
#define MAX_RUNS	64
#define RUNS_PER_THREAD 4
#define SPLIT_MIN	(4u << 20)
#define MAX_THREADS	16

/* A list item without a node-name label (or with an empty one). */
struct skipped {
	size_t index; /* in its run */
	char *name, *namespace;
	bool empty;
};

/*
 * A run of list items.  A long list is cut into runs at guessed item starts
 * and the runs are read on several threads; a run counts only when the run
 * before it, itself read from a true item start, ended exactly where it
 * begins (doc/many-nodes.md, "Reading large lists").
 */
struct run {
	const char *start; /* the guessed start of its first item */
	const char *stop;  /* the next run's start, or NULL: up to ']' */
	size_t base;	   /* the list index of its first item */
	size_t n_read;	   /* items read, skipped ones included */
	struct doc_result res;
	struct skipped *skipped;
	size_t n_skipped;
	const char *end; /* where it ended: an item's start, or after ']' */
	bool closed;	 /* it read the closing ']' */
	int err;
};

static size_t pick_threads(unsigned int threads)
{
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cpus > 0 ? (unsigned int)cpus : 1;
	}
	return MIN(threads, MAX_THREADS);
}

int nfd__doc_add_skipped(struct doc_parser *dp, struct doc_item *item, size_t index)
{
	struct run *run = dp->run;
	struct skipped *p = realloc(run->skipped, (run->n_skipped + 1) * sizeof(*p));

	if (!p)
		return nfd__oom(dp->ctx);
	run->skipped = p;
	p[run->n_skipped++] = (struct skipped){index - run->base, TAKE_PTR(item->name),
					       TAKE_PTR(item->namespace), item->node != NULL};
	return 0;
}

static void run_release(struct run *run)
{
	nfd__doc_result_release(&run->res);
	for (size_t i = 0; i < run->n_skipped; i++) {
		free(run->skipped[i].name);
		free(run->skipped[i].namespace);
	}
	free(run->skipped);
	run->skipped = NULL;
	run->n_skipped = run->n_read = 0;
	run->end = NULL;
	run->closed = false;
	run->err = 0;
}

/* Map the next pages of a mapped file ahead of the reader: one call instead
 * of a page fault every few pages (costly in a virtual machine). */
static void populate(struct doc_parser *dp)
{
#ifdef MADV_POPULATE_READ
	const char *base = dp->opts->map_base;
	size_t at = (size_t)(dp->jr.p - base), len = (size_t)(dp->jr.end - base), page, to;

	if (!base || dp->populated >= len || dp->populated > at + RELEASE_STEP / 2)
		return;
	page = (size_t)sysconf(_SC_PAGESIZE);
	at = MAX(at, dp->populated) & ~(page - 1);
	to = MIN(at + RELEASE_STEP, len);
	/* not supported before Linux 5.14: then the pages fault in */
	(void)madvise((void *)(base + at), to - at, MADV_POPULATE_READ);
	dp->populated = to;
#else
	(void)dp;
#endif
}

/* Hand back the pages of a mapped file that were read (they are clean: the
 * kernel drops them from this process and reads them again if touched). */
void nfd__doc_release_pages(struct doc_parser *dp, bool all)
{
	const char *base = dp->opts->map_base;
	size_t done, page;

	if (!base)
		return;
	done = (size_t)(dp->jr.p - base);
	if (done <= dp->released || (!all && done - dp->released < RELEASE_STEP))
		return;
	page = (size_t)sysconf(_SC_PAGESIZE);
	done &= ~(page - 1);
	if (done <= dp->released)
		return;
	(void)madvise((void *)(base + dp->released), done - dp->released, MADV_DONTNEED);
	dp->released = done;
	populate(dp);
}

/*
 * A run of list items from jr->p: resume says jr->p is an item's start (not
 * '[' or a ','); the run ends at the closing ']' (run->closed) or at the
 * first item that starts at or after run->stop (run->end: where it starts).
 */
static int list_run(struct doc_parser *dp, struct run *run, bool resume)
{
	bool first = !resume; /* resume: a ',' must follow the first item */
	int r;

	dp->res = &run->res;
	for (;;) {
		if (!resume && (r = jr_array_next(&dp->jr, &first)) <= 0)
			break;
		resume = false;
		if (run->stop && dp->jr.p >= run->stop) {
			run->end = dp->jr.p;
			nfd__doc_release_pages(dp, true);
			return 0;
		}
		if ((r = nfd__doc_list_item(dp, run->base + run->n_read++)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	run->closed = true;
	run->end = dp->jr.p;
	nfd__doc_release_pages(dp, true);
	return 0;
}

/* Runs read ahead of the calling thread, each from its guessed start. */
struct spec_read {
	const struct doc_parser *main;
	struct run *runs;
	size_t n_runs;
	size_t next; /* the next run to read (atomic) */
	int depth;   /* the reader's depth inside "items" */
};

static void *read_runs(void *data)
{
	struct spec_read *sr = data;
	struct nfd_ctx *ctx = nfd_ctx_new();
	const struct json_reader *mjr = &sr->main->jr;
	struct doc_parser dp;
	size_t k;

	/* a guess may be wrong: its errors are dropped, never logged */
	if (ctx)
		nfd_ctx_set_log_priority(ctx, 0);
	while ((k = __atomic_fetch_add(&sr->next, 1, __ATOMIC_RELAXED)) < sr->n_runs) {
		struct run *run = &sr->runs[k];
		size_t page = (size_t)sysconf(_SC_PAGESIZE);

		if (!ctx) {
			run->err = -ENOMEM;
			continue;
		}
		nfd__doc_parser_init(&dp, ctx, sr->main->opts, mjr->name, mjr->start,
				     (size_t)(mjr->end - mjr->start));
		dp.jr.p = run->start;
		dp.jr.depth = sr->depth;
		if (dp.opts->map_base)
			dp.released =
				((size_t)(run->start - dp.opts->map_base) + page - 1) & ~(page - 1);
		dp.run = run;
		populate(&dp);
		run->err = list_run(&dp, run, true);
		nfd__doc_parser_release(&dp);
	}
	nfd_ctx_unref(ctx);
	return NULL;
}

/*
 * Where items probably start in [from, end), about len / n apart: the '{' of
 * ',{"apiVersion"' (white space allowed between), which JSON text cannot
 * hold inside a string, though a nested object could (ownerReferences):
 * nfd__doc_list_items() checks every guess.
 */
static size_t guess_starts(const char *from, const char *end, size_t n, const char **ret)
{
	static const char key[] = "\"apiVersion\"";
	size_t len = (size_t)(end - from), k = 0;
	const char *last = from;

	for (size_t i = 1; i < n; i++) {
		const char *p = from + len / n * i, *q, *found = NULL;

		if (p <= last)
			p = last + 1;
		for (q = p; !found && q < end; q++) {
			const char *b;
			int ws = 0;

			q = memmem(q, (size_t)(end - q), key, sizeof(key) - 1);
			if (!q || q - from > (ptrdiff_t)(len / n * (i + 1)))
				break;
			for (b = q - 1; b > from && ws < 64 && strchr(" \t\r\n", *b); b--, ws++)
				;
			if (b <= from || *b != '{')
				continue;
			found = b;
			for (b--, ws = 0; b > from && ws < 64 && strchr(" \t\r\n", *b); b--, ws++)
				;
			if (*b != ',')
				found = NULL;
		}
		if (!found)
			break;
		ret[k++] = last = found;
	}
	return k;
}

/* A run's items and warnings into res, its objects now the caller's. */
static int take_run(struct doc_parser *dp, struct doc_result *res, struct run *run)
{
	int r = 0;

	dp->res = res;
	for (size_t i = 0; i < run->n_skipped && r >= 0; i++) {
		const struct skipped *s = &run->skipped[i];

		r = nfd__doc_add_warning(dp,
					 "items[%zu] (NodeFeature %s%s%s): %s " NFD_NODE_NAME_LABEL
					 " label, skipped",
					 run->base + s->index, s->namespace ? s->namespace : "",
					 s->namespace ? "/" : "", s->name ? s->name : "",
					 s->empty ? "empty" : "no");
	}
	for (size_t i = 0; i < run->res.n_items && r >= 0; i++) {
		struct nfd_features *f = run->res.items[i].features;

		if (f->ctx != dp->ctx) {
			nfd_ctx_unref(f->ctx);
			f->ctx = nfd_ctx_ref(dp->ctx);
		}
		r = nfd__doc_push_item(dp->ctx, res, &run->res.items[i]);
	}
	return r;
}

int nfd__doc_list_items(struct doc_parser *dp)
{
	const char *starts[MAX_RUNS];
	struct run runs[MAX_RUNS] = {};
	struct spec_read sr = {.main = dp, .runs = runs + 1};
	struct doc_result *res = dp->res;
	pthread_t tids[MAX_RUNS];
	size_t n_runs = 1, threads = 0, started = 0;
	struct run *last = &runs[0];
	int r, depth;

	if ((r = jr_null(&dp->jr)) != 0)
		return r < 0 ? r : 0;
	if (jr_peek(&dp->jr) != '[')
		return nfd__doc_type_error(dp, "items", "an array");
	if ((r = jr_array_begin(&dp->jr)) < 0)
		return r;
	depth = dp->jr.depth;
	threads = pick_threads(dp->opts->threads);
	if (threads > 1) {
		size_t want = MIN((size_t)(dp->jr.end - dp->jr.p) /
					  (dp->opts->split_min ? dp->opts->split_min : SPLIT_MIN),
				  MIN(threads * RUNS_PER_THREAD, (size_t)MAX_RUNS));

		if (want > 1)
			n_runs = 1 + guess_starts(dp->jr.p, dp->jr.end, want, starts + 1);
	}
	for (size_t k = 1; k < n_runs; k++) {
		runs[k].start = starts[k];
		runs[k].stop = k + 1 < n_runs ? starts[k + 1] : NULL;
	}
	runs[0].stop = n_runs > 1 ? starts[1] : NULL;
	sr.n_runs = n_runs - 1;
	sr.depth = depth;
	for (size_t t = 1; t < threads && t < n_runs; t++) {
		if (pthread_create(&tids[started], NULL, read_runs, &sr) != 0)
			break;
		started++;
	}
	dp->run = &runs[0];
	populate(dp);
	r = list_run(dp, &runs[0], false);
	if (r >= 0 && sr.n_runs)
		/* then read the others too (all of them when no thread started) */
		read_runs(&sr);
	for (size_t t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	if (r >= 0)
		r = take_run(dp, res, &runs[0]);
	for (size_t k = 1; r >= 0 && k < n_runs && !last->closed; k++) {
		struct run *run = &runs[k];
		size_t base = last->base + last->n_read;

		if (last->end != run->start || run->err < 0 || !run->end) {
			/* not an item start, or an error: read it here, from
			 * where the last run ended, for the true message */
			run_release(run);
			run->base = base;
			dp->run = run;
			dp->res = &run->res;
			dp->jr.p = last->end;
			dp->jr.depth = depth;
			r = list_run(dp, run, true);
		}
		run->base = base;
		if (r >= 0)
			r = take_run(dp, res, run);
		last = run;
	}
	dp->res = res;
	dp->run = NULL;
	dp->where = "";
	if (r >= 0) {
		dp->jr.p = last->end;
		dp->jr.depth = depth - 1;
	}
	for (size_t k = 0; k < n_runs; k++)
		run_release(&runs[k]);
	return r;
}
