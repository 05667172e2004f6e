/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The memory source: memory.numa, memory.swap, memory.hugepages, memory.nv
 * (doc/semantics.md §10.5).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/discovery/source.h"
#include "shared/util.h"

#define SWAPS_MAX (1u << 20)

static int discover_numa(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_SYS, "bus/node/devices");
	_cleanup_strv_free_ char **nodes = NULL;
	char count[32];
	int n, r;

	if (!path)
		return -ENOMEM;
	n = nfd__list_dir(ctx, path, &nodes);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		nfd__warn_unreadable(ctx, path, n);
		return 0;
	}
	snprintf(count, sizeof(count), "%d", n);
	r = nfd_features_set_attribute(f, "memory.numa", "is_numa", n > 1 ? "true" : "false");
	if (r >= 0)
		r = nfd_features_set_attribute(f, "memory.numa", "node_count", count);
	return r;
}

/* Enabled when <proc>/swaps has a line besides its header. */
static int discover_swap(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_PROC, "swaps");
	_cleanup_free_ char *text = NULL;
	char *save = NULL;
	int lines = 0, r;

	if (!path)
		return -ENOMEM;
	r = nfd__host_read_file(ctx, path, SWAPS_MAX, &text, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		nfd__warn_unreadable(ctx, path, r);
		return 0;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (*strstrip(l))
			lines++;
	return nfd_features_set_attribute(f, "memory.swap", "enabled",
					  lines > 1 ? "true" : "false");
}

/*
 * Kubernetes' canonical binary quantity of n KiB, as in the resource name
 * "hugepages-2Mi": divide by 1024 while it divides evenly.
 */
static void kib_quantity(unsigned long long n, char *buf, size_t size)
{
	static const char *const suffix[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
	size_t i = 0;

	while (n > 0 && n % 1024 == 0 && i + 1 < ARRAY_SIZE(suffix)) {
		n /= 1024;
		i++;
	}
	if (n == 0)
		snprintf(buf, size, "0");
	else
		snprintf(buf, size, "%llu%s", n, suffix[i]);
}

static int discover_hugepages(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_SYS, "kernel/mm/hugepages");
	_cleanup_strv_free_ char **sizes = NULL;
	bool enabled = false;
	int n, r;

	if (!path)
		return -ENOMEM;
	n = nfd__list_dir(ctx, path, &sizes);
	if (n == -ENOMEM)
		return n;
	if (n < 0 && n != -ENOENT) {
		nfd__warn_unreadable(ctx, path, n);
		return 0;
	}

	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *dir = NULL;
		unsigned long long kib, pages;
		char name[64], quantity[32], value[64], *end;

		/* hugepages-<N>kB */
		if (!strstartswith(sizes[i], "hugepages-"))
			continue;
		kib = strtoull(sizes[i] + strlen("hugepages-"), &end, 10);
		if (end == sizes[i] + strlen("hugepages-") || !streq(end, "kB")) {
			nfd_dbg(ctx, "ignoring '%s/%s'", path, sizes[i]);
			continue;
		}
		dir = path_join(path, sizes[i]);
		if (!dir)
			return -ENOMEM;
		/* NFD keeps the element with "" when the count cannot be read */
		r = nfd__read_value_at(ctx, dir, "nr_hugepages", value, sizeof(value),
				       NFD_READ_WARN);
		if (r == -ENOMEM)
			return r;
		if (parse_u64(value, &pages) >= 0 && pages > 0)
			enabled = true;
		kib_quantity(kib, quantity, sizeof(quantity));
		snprintf(name, sizeof(name), "hugepages-%s", quantity);
		r = nfd_features_set_attribute(f, "memory.hugepages", name, value);
		if (r < 0)
			return r;
	}
	return nfd_features_set_attribute(f, "memory.hugepages", "enabled",
					  enabled ? "true" : "false");
}

static int discover_nv(struct nfd_ctx *ctx, struct nfd_features *f)
{
	static const char *const files[] = {"devtype", "mode"};
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_SYS, "bus/nd/devices");
	_cleanup_strv_free_ char **devs = NULL;
	int n, r;

	if (!path)
		return -ENOMEM;
	n = nfd__list_dir(ctx, path, &devs);
	if (n == -ENOMEM)
		return n;
	if (n < 0 && n != -ENOENT) {
		nfd__warn_unreadable(ctx, path, n);
		return 0;
	}
	r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "memory.nv");
	for (int i = 0; r >= 0 && i < n; i++) {
		_cleanup_free_ char *dir = path_join(path, devs[i]);
		char values[ARRAY_SIZE(files)][128];
		const char *attrs[2 * (ARRAY_SIZE(files) + 1) + 1];
		size_t k = 0;

		if (!dir)
			return -ENOMEM;
		attrs[k++] = "name";
		attrs[k++] = devs[i];
		for (size_t j = 0; j < ARRAY_SIZE(files); j++) {
			/* regions have no mode, buses neither: only present files count */
			r = nfd__read_value_at(ctx, dir, files[j], values[j], sizeof(values[j]),
					       NFD_READ_OPTIONAL);
			if (r == -ENOMEM)
				return r;
			if (r >= 0) {
				attrs[k++] = files[j];
				attrs[k++] = values[j];
			}
		}
		attrs[k] = NULL;
		r = nfd_features_add_instance(f, "memory.nv", attrs);
	}
	return r < 0 ? r : 0;
}

static int memory_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	int r;

	r = discover_numa(ctx, f);
	if (r >= 0)
		r = discover_swap(ctx, f);
	if (r >= 0)
		r = discover_hugepages(ctx, f);
	if (r >= 0)
		r = discover_nv(ctx, f);
	return r;
}

const struct nfd_source nfd__source_memory = {
	.discover = memory_discover,
};
