/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The local source: local.feature and local.label from the feature files in
 * <etc>/kubernetes/node-feature-discovery/features.d (doc/semantics.md §10.11).
 * NFD reads that directory without its host prefix; here it goes through the
 * etc area so a host root or fixture tree brings its own files (NFD's path
 * is the fallback in its container layout, see nfd__path_nfd_unprefixed()).
 *
 * File format, as NFD's parser: trimmed lines, blank ones skipped; "#" lines
 * are comments except the directives "# +expiry-time=<RFC3339>" (in force
 * until the next one; lines are dropped while it lies in the past),
 * "# +no-feature" and "# +no-label" (for the next key line only: the key is
 * removed from that set, also if an earlier line of the same file set it);
 * other lines are "key[=value]", value "true" when absent.  Later files (in
 * name order) override earlier ones.  Hidden files, non-regular files and
 * files over 64 KiB are skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "libnfd/discovery/source.h"
#include "shared/array.h"
#include "shared/rfc3339.h"
#include "shared/util.h"

#define FEATURE_FILE_MAX 65536

/* ------------------------------------------------------- key/value set */

/* A small sorted map of owned strings: NFD's map[string]string for one set. */
struct kvset {
	struct nfd_kv *items; /* key and value are malloc'ed */
	size_t n, cap;
};

static void kvset_clear(struct kvset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free((char *)s->items[i].key);
		free((char *)s->items[i].value);
	}
	free(s->items);
	*s = (struct kvset){0};
}

/* Index of key, or -(insertion point + 1). */
static ssize_t kvset_find(const struct kvset *s, const char *key)
{
	return SORTED_SEARCH_BY(s->items, s->n, key, key);
}

static int kvset_set(struct kvset *s, const char *key, const char *value)
{
	ssize_t at = kvset_find(s, key);
	_cleanup_free_ char *v = strdup(value);
	struct nfd_kv kv;

	if (!v)
		return -ENOMEM;
	if (at >= 0) {
		free((char *)s->items[at].value);
		s->items[at].value = TAKE_PTR(v);
		return 0;
	}
	kv = (struct nfd_kv){strdup(key), v};
	if (!kv.key || ARRAY_INSERT(s->items, s->n, s->cap, (size_t)(-at - 1), kv) < 0) {
		free((char *)kv.key);
		return -ENOMEM;
	}
	TAKE_PTR(v);
	return 0;
}

static void kvset_remove(struct kvset *s, const char *key)
{
	ssize_t at = kvset_find(s, key);

	if (at < 0)
		return;
	free((char *)s->items[at].key);
	free((char *)s->items[at].value);
	memmove(s->items + at, s->items + at + 1, (s->n - (size_t)at - 1) * sizeof(*s->items));
	s->n--;
}

static int kvset_merge(struct kvset *into, const struct kvset *from)
{
	for (size_t i = 0; i < from->n; i++) {
		int r = kvset_set(into, from->items[i].key, from->items[i].value);

		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------- parsing */

/*
 * Parse one file into its own feature and label sets, merged afterwards:
 * a directive removes a key set earlier in the same file only.
 */
static int parse_feature_file(struct nfd_ctx *ctx, const char *path, char *text,
			      struct kvset *features, struct kvset *labels)
{
	long long now = (long long)time(NULL), expiry = now;
	bool skip_feature = false, skip_label = false;
	char *line, *next;

	for (line = text; line; line = next) {
		char *key, *value, *eq;
		int r;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = strstrip(line);
		if (!*line)
			continue;

		if (line[0] == '#') {
			const char *d;

			if (!strstartswith(line, "# +"))
				continue;
			d = line + 3;
			if (strstartswith(d, "expiry-time=")) {
				int64_t t;

				if (parse_rfc3339(strstrip((char *)d + strlen("expiry-time=")), &t,
						  NULL) < 0)
					nfd_warn(ctx,
						 "%s: cannot parse '%s', keeping the previous "
						 "expiry",
						 path, line);
				else
					expiry = t;
			} else if (streq(d, "no-feature") || strstartswith(d, "no-feature=")) {
				skip_feature = true;
			} else if (streq(d, "no-label") || strstartswith(d, "no-label=")) {
				skip_label = true;
			} else {
				nfd_warn(ctx, "%s: unknown directive '%s', ignoring", path, line);
			}
			continue;
		}

		if (expiry < now)
			continue;

		key = line;
		eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		value = eq ? eq + 1 : (char *)"true";

		r = 0;
		if (skip_feature)
			kvset_remove(features, key);
		else
			r = kvset_set(features, key, value);
		if (skip_label)
			kvset_remove(labels, key);
		else if (r >= 0)
			r = kvset_set(labels, key, value);
		if (r < 0)
			return r;
		skip_feature = skip_label = false;
	}
	return 0;
}

static void kvset_clearp(struct kvset *s)
{
	kvset_clear(s);
}

static int read_feature_file(struct nfd_ctx *ctx, const char *dir, const char *name,
			     struct kvset *features, struct kvset *labels)
{
	_cleanup_(kvset_clearp) struct kvset ff = {0}, fl = {0};
	_cleanup_free_ char *path = path_join(dir, name), *text = NULL;
	int r;

	if (!path)
		return -ENOMEM;
	r = nfd__host_read_file(ctx, path, FEATURE_FILE_MAX, &text, NULL);
	if (r == -ENOMEM)
		return r;
	if (r == -EINVAL) {
		nfd_dbg(ctx, "'%s' is not a regular file, ignoring", path);
		return 0;
	}
	if (r < 0) {
		nfd__warn_unreadable(ctx, path, r);
		return 0;
	}
	r = parse_feature_file(ctx, path, text, &ff, &fl);
	if (r >= 0)
		r = kvset_merge(features, &ff);
	if (r >= 0)
		r = kvset_merge(labels, &fl);
	return r;
}

static int publish(struct nfd_features *f, const char *feature, const struct kvset *s)
{
	int r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, feature);

	for (size_t i = 0; r >= 0 && i < s->n; i++)
		r = nfd_features_set_attribute(f, feature, s->items[i].key, s->items[i].value);
	return r;
}

static int local_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *dir = nfd__path_nfd_unprefixed(
		ctx, NFD_PATH_ETC, "kubernetes/node-feature-discovery/features.d");
	_cleanup_(kvset_clearp) struct kvset features = {0}, labels = {0};
	_cleanup_strv_free_ char **names = NULL;
	int n, r = 0;

	if (!dir)
		return -ENOMEM;
	n = nfd__list_dir(ctx, dir, &names);
	if (n == -ENOMEM)
		return n;
	if (n == -ENOENT)
		nfd_dbg(ctx, "no feature file directory '%s'", dir);
	else if (n < 0)
		nfd__warn_unreadable(ctx, dir, n);

	for (int i = 0; r >= 0 && i < n; i++) {
		if (names[i][0] == '.')
			continue; /* hidden: editors' swap files and the like */
		r = read_feature_file(ctx, dir, names[i], &features, &labels);
	}
	if (r >= 0)
		r = publish(f, "local.feature", &features);
	if (r >= 0)
		r = publish(f, "local.label", &labels);
	return r;
}

const struct nfd_source nfd__source_local = {
	.discover = local_discover,
};
