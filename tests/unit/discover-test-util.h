/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers for the discovery tests: fixture paths, scratch trees under
 * $TMPDIR, and a log hook that keeps the messages so a test can prove a
 * warning was (or was not) given.
 */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <nfd/nfd.h>

static inline const char *srcdir(void)
{
	const char *s = getenv("NFD_TOP_SRCDIR");

	return s ? s : ".";
}

/* tests/fixtures/roots/<name>, static storage until the next call */
static inline const char *fixture_root(const char *name)
{
	static char buf[4096];

	const char *roots = getenv("NFD_FIXTURE_ROOTS");

	if (roots)
		snprintf(buf, sizeof(buf), "%s/%s", roots, name);
	else
		snprintf(buf, sizeof(buf), "%s/tests/fixtures/roots/%s", srcdir(), name);
	return buf;
}

/* A fresh directory under $TMPDIR (malloc'ed path). */
static inline char *scratch_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *p;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (asprintf(&p, "%s/nfd-test.XXXXXX", tmp) < 0)
		abort();
	if (!mkdtemp(p))
		abort();
	return p;
}

static inline int run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int run_cmd(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Copy a fixture tree into a scratch directory, writable (the source may be read-only). */
static inline char *scratch_copy(const char *fixture)
{
	char *d = scratch_dir();

	if (run_cmd("cp -R '%s/.' '%s/' && chmod -R u+w '%s'", fixture_root(fixture), d, d) != 0)
		abort();
	return d;
}

static inline void scratch_remove(char *d)
{
	if (d)
		run_cmd("rm -rf '%s'", d);
	free(d);
}

/* Write a file below dir, creating parent directories. */
static inline void put_file(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(content, f);
	fclose(f);
}

/* ------------------------------------------------------------ log capture */

struct log_capture {
	char buf[65536];
	size_t len;
	int warnings;
};

static inline __attribute__((format(printf, 6, 0))) void
capture_log_fn(void *userdata, int priority, const char *file, int line, const char *fn,
	       const char *format, va_list args)
{
	struct log_capture *c = userdata;
	int n;

	if (priority <= LOG_WARNING)
		c->warnings++;
	if (c->len >= sizeof(c->buf) - 2)
		return;
	n = vsnprintf(c->buf + c->len, sizeof(c->buf) - c->len - 1, format, args);
	if (n > 0)
		c->len += (size_t)n < sizeof(c->buf) - c->len - 1 ? (size_t)n
								  : sizeof(c->buf) - c->len - 2;
	c->buf[c->len++] = '\n';
	c->buf[c->len] = '\0';
}

static inline void capture_log(struct nfd_ctx *ctx, struct log_capture *c)
{
	memset(c, 0, sizeof(*c));
	nfd_ctx_set_log_fn(ctx, capture_log_fn, c);
	nfd_ctx_set_log_priority(ctx, LOG_INFO);
}

/* Discover some sources ("pci,memory" style list) from root; fails the test on error. */
static inline struct nfd_features *discover_root(struct nfd_ctx *ctx, const char *root,
						 const char *const *sources)
{
	struct nfd_features *f = NULL;
	int r;

	r = nfd_ctx_set_root(ctx, root);
	if (r < 0) {
		fprintf(stderr, "set_root(%s): %d\n", root, r);
		abort();
	}
	r = nfd_discover(ctx, sources, &f);
	if (r < 0) {
		fprintf(stderr, "discover: %d %s\n", r, nfd_ctx_last_error(ctx));
		abort();
	}
	return f;
}

/* An attribute's value or NULL. */
static inline const char *attr(const struct nfd_features *f, const char *feature, const char *name)
{
	const char *v = NULL;

	return nfd_features_get_attribute(f, feature, name, &v) == 0 ? v : NULL;
}

static inline const char *inst_attr(const struct nfd_features *f, const char *feature, size_t i,
				    const char *name)
{
	const char *v = NULL;

	return nfd_features_get_instance_attribute(f, feature, i, name, &v) == 0 ? v : NULL;
}
