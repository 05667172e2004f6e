/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Out-of-memory paths: run parsing, evaluation and output once to count the
 * allocations they make, then again with the 1st, 2nd, ... Nth allocation
 * failing.  Every such run must return -ENOMEM (not another error, not a
 * success with a silently wrong answer, never a crash) and must free
 * everything it allocated.
 *
 * The program replaces malloc/calloc/realloc/free for the whole process, and
 * the glibc functions that allocate without calling them (strdup, strndup,
 * asprintf, vasprintf); the real allocator is glibc's __libc_*.  A block
 * allocated inside glibc some other way (no header of ours) is passed
 * through uncounted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <nfd/nfd.h>

#include "shared/util.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static bool counting;	       /* only allocations inside a run are counted */
static unsigned long n_calls;  /* allocation calls in this run */
static unsigned long fail_at;  /* fail the call with this number (1-based); 0: none */
static long live;	       /* blocks allocated in this run and not yet freed */
static unsigned long n_failed; /* calls that were failed in this run */

/* Blocks carry a header so that free() knows whether the block was counted. */
struct hdr {
	uint64_t magic;
	uint64_t counted;
};
#define HDR_MAGIC 0x6e66642d616c6c63ull

static bool should_fail(void)
{
	if (!counting)
		return false;
	n_calls++;
	if (fail_at && n_calls == fail_at) {
		n_failed++;
		return true;
	}
	return false;
}

static void *finish(struct hdr *h)
{
	if (!h)
		return NULL;
	h->magic = HDR_MAGIC;
	h->counted = counting;
	if (counting)
		live++;
	return h + 1;
}

void *malloc(size_t n)
{
	if (should_fail() || n > SIZE_MAX - sizeof(struct hdr)) {
		errno = ENOMEM;
		return NULL;
	}
	return finish(__libc_malloc(sizeof(struct hdr) + n));
}

void *calloc(size_t a, size_t b)
{
	size_t n;

	if (should_fail() || __builtin_mul_overflow(a, b, &n) ||
	    n > SIZE_MAX - sizeof(struct hdr)) {
		errno = ENOMEM;
		return NULL;
	}
	return finish(__libc_calloc(1, sizeof(struct hdr) + n));
}

void free(void *p)
{
	struct hdr *h;

	if (!p)
		return;
	h = (struct hdr *)p - 1;
	if (h->magic != HDR_MAGIC) {
		__libc_free(p); /* allocated inside glibc, not through malloc() */
		return;
	}
	if (h->counted)
		live--;
	h->magic = 0;
	__libc_free(h);
}

void *realloc(void *p, size_t n)
{
	struct hdr *h, *nh;
	uint64_t counted;

	if (!p)
		return malloc(n);
	if (should_fail() || n > SIZE_MAX - sizeof(struct hdr)) {
		errno = ENOMEM;
		return NULL;
	}
	h = (struct hdr *)p - 1;
	if (h->magic != HDR_MAGIC)
		return __libc_realloc(p, n);
	counted = h->counted;
	nh = __libc_realloc(h, sizeof(struct hdr) + n);
	if (!nh)
		return NULL;
	nh->counted = counted; /* still owned by whoever allocated it */
	return nh + 1;
}

static char *copy(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *strdup(const char *s)
{
	return copy(s, strlen(s));
}

char *strndup(const char *s, size_t max)
{
	return copy(s, strnlen(s, max));
}

int vasprintf(char **ret, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || !(*ret = malloc((size_t)n + 1)))
		return -1;
	return vsnprintf(*ret, (size_t)n + 1, fmt, ap);
}

int asprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	return n;
}

/* ---------------------------------------------------------------- inputs */

static char *spec_buf, *features_buf;
static size_t spec_len, features_len;
static char last_error[512];

static void load(const char *rel, char **buf, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", getenv("NFD_TOP_SRCDIR") ?: ".", rel);
	assert_int_equal(read_file(path, 1 << 20, buf, len), 0);
}

/*
 * One run, with a context of its own (it keeps the last error message, which
 * must be freed within the run): parse the features and the spec, evaluate,
 * print both formats.
 */
static int run_once(void)
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_features *f = NULL;
	struct nfd_spec *s = NULL;
	struct nfd_report *r = NULL;
	char *json = NULL, *text = NULL, *fjson = NULL;
	int rc;

	if (!ctx)
		return -ENOMEM;
	nfd_ctx_set_log_priority(ctx, 0); /* logging may allocate; keep runs comparable */
	rc = nfd_features_parse_json(ctx, features_buf, features_len, &f);
	if (rc < 0)
		goto out;
	rc = nfd_features_to_json(f, 0, &fjson);
	if (rc < 0)
		goto out;
	rc = nfd_spec_parse(ctx, spec_buf, spec_len, "spec.yaml", &s);
	if (rc < 0)
		goto out;
	rc = nfd_evaluate(ctx, s, f, NULL, &r);
	if (rc < 0)
		goto out;
	rc = nfd_report_to_string(r, NFD_REPORT_JSON, 0, &json);
	if (rc < 0)
		goto out;
	rc = nfd_report_to_string(r, NFD_REPORT_TEXT, 0, &text);
out:
	free(json);
	free(text);
	free(fjson);
	nfd_report_unref(r);
	nfd_spec_unref(s);
	nfd_features_unref(f);
	snprintf(last_error, sizeof(last_error), "%s", nfd_ctx_last_error(ctx));
	nfd_ctx_unref(ctx);
	return rc < 0 ? rc : 0;
}

static void check_every_failure(const char *spec, const char *features)
{
	unsigned long total, i, enomem = 0, bad = 0;
	int rc;

	load(spec, &spec_buf, &spec_len);
	load(features, &features_buf, &features_len);

	/* warm up: libraries opened on first use stay open (not a leak) */
	assert_int_equal(run_once(), 0);

	counting = true;
	n_calls = 0;
	fail_at = 0;
	live = 0;
	assert_int_equal(run_once(), 0);
	counting = false;
	total = n_calls;
	assert_int_equal(live, 0);
	assert_true(total > 10);

	for (i = 1; i <= total; i++) {
		counting = true;
		n_calls = n_failed = 0;
		live = 0;
		fail_at = i;
		rc = run_once();
		counting = false;
		if (live != 0) {
			print_error("allocation %lu of %lu failed: %ld blocks leaked (rc %d)\n", i,
				    total, live, rc);
			bad++;
		}
		if (rc != 0 && rc != -ENOMEM) {
			print_error("allocation %lu of %lu failed: returned %d (%s), not -ENOMEM\n",
				    i, total, rc, last_error);
			bad++;
		}
		/* a failure that the library absorbed is allowed only with a success */
		/* nothing here may absorb a failure: a missing node value or
		 * element would be reported as "not present", a wrong answer */
		if (rc == 0 && n_failed) {
			print_error("allocation %lu of %lu failed and the run succeeded\n", i,
				    total);
			bad++;
		}
		if (rc == -ENOMEM)
			enomem++;
	}
	print_message("%s: %lu allocations, %lu failures reported as -ENOMEM\n", spec, total,
		      enomem);
	assert_int_equal(bad, 0);
	assert_true(enomem > 0);
	free(spec_buf);
	free(features_buf);
}

static void test_fake7(void **state)
{
	(void)state;
	check_every_failure("tests/fixtures/specs/fake-7.yaml",
			    "tests/fixtures/features/fake.json");
}

static void test_nvidia_on_gpu_server(void **state)
{
	(void)state;
	check_every_failure("examples/nvidia-gpu.yaml", "bindings/python/tests/data/features.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fake7),
		cmocka_unit_test(test_nvidia_on_gpu_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
