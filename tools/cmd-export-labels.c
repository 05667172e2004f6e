/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd export labels: the labels nfd-worker publishes from its built-in
 * per-source rules (source/<name>/<name>.go GetLabels upstream, and
 * pkg/nfd-worker/nfd-worker.go createFeatureLabels), with no configuration
 * loaded, as NFD's `nfd export labels` prints them (cmd/nfd/subcmd/export/
 * labels.go).  Written down in doc/nodefeaturerule.md.
 */
#include <errno.h>
#include <getopt.h>
#include "libnfd/jansson-dl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/macro.h"
#include "shared/strbuf.h"

#include "nfd-cli.h"

#define EXPORT_LABELS "export labels"

/* nfd-worker's label namespace */
#define NFD_FEATURE_LABEL_NS "feature.node.kubernetes.io"

struct labels {
	struct nfd_ctx *ctx; /* for the checks' messages */
	json_t *map;	     /* the result */
	const char *source;  /* "" for custom and local: keys as they are */
	int err;
};

/* createFeatureLabels: "<ns>/<source>-<key>" unless the key has a '/';
 * an invalid name or value is skipped, as the worker does. */
static void put(struct labels *l, const char *key, const char *value)
{
	_cleanup_strbuf_ struct strbuf name = STRBUF_INIT;
	int r;

	if (l->source[0] && !strchr(key, '/'))
		strbuf_appendf(&name, NFD_FEATURE_LABEL_NS "/%s-%s", l->source, key);
	else
		strbuf_puts(&name, key);
	if (!strbuf_str(&name)) {
		l->err = -ENOMEM;
		return;
	}
	r = nfd_rules_check_label(l->ctx, name.buf, value, NFD_RULES_CHECK_SYNTAX_ONLY);
	if (r == -ENOMEM) {
		l->err = r;
		return;
	}
	if (r < 0) {
		fprintf(stderr, "nfd: warning: ignoring label with invalid name/value %s=%s: %s\n",
			name.buf, value, nfd_ctx_last_error(l->ctx));
		return;
	}
	if (json_object_set_new(l->map, name.buf, json_string(value)) < 0)
		l->err = -ENOMEM;
}

static void put_prefixed(struct labels *l, const char *prefix, const char *key, const char *value)
{
	_cleanup_strbuf_ struct strbuf k = STRBUF_INIT;

	strbuf_appendf(&k, "%s%s", prefix, key);
	if (strbuf_str(&k))
		put(l, k.buf, value);
	else
		l->err = -ENOMEM;
}

/* every attribute of feature, as prefix+name, except those in skip */
static void attrs(struct labels *l, const struct nfd_features *f, const char *feature,
		  const char *prefix, const char *const *skip)
{
	struct nfd_iter *it = NULL;
	const char *k, *v;

	if (nfd_features_iter_attributes(f, feature, &it) < 0)
		return;
	while (nfd_iter_next(it, &k, &v) > 0) {
		bool skipped = false;

		for (size_t i = 0; skip && skip[i]; i++)
			skipped = skipped || streq(skip[i], k);
		if (!skipped)
			put_prefixed(l, prefix, k, v);
	}
	nfd_iter_free(it);
}

static void attr(struct labels *l, const struct nfd_features *f, const char *feature,
		 const char *name, const char *label, const char *only)
{
	const char *v;

	if (nfd_features_get_attribute(f, feature, name, &v) == 0 && (!only || streq(v, only)))
		put(l, label, v);
}

static const char *inst_attr(const struct nfd_features *f, const char *feature, int i,
			     const char *name)
{
	const char *v;

	return nfd_features_get_instance_attribute(f, feature, (size_t)i, name, &v) == 0 ? v : NULL;
}

static void cpu(struct labels *l, const struct nfd_features *f)
{
	static const char *const skip[] = {"tdx.total_keys", "sgx.epc", "sev.encrypted_state_ids",
					   "sev.asids", NULL};
	struct nfd_iter *it = NULL;
	const char *k;

	/* no configuration: the cpuid blacklist is not applied */
	if (nfd_features_iter_flags(f, "cpu.cpuid", &it) >= 0)
		while (nfd_iter_next(it, &k, NULL) > 0)
			put_prefixed(l, "cpuid.", k, "true");
	nfd_iter_free(it);
	attrs(l, f, "cpu.cpuid", "cpuid.", NULL);
	attrs(l, f, "cpu.model", "model.", NULL);
	attrs(l, f, "cpu.cstate", "cstate.", NULL);
	attrs(l, f, "cpu.pstate", "pstate.", NULL);
	attrs(l, f, "cpu.security", "security.", skip);
	attrs(l, f, "cpu.sst", "power.sst_", NULL);
	attr(l, f, "cpu.topology", "hardware_multithreading", "hardware_multithreading", NULL);
	attr(l, f, "cpu.coprocessor", "nx_gzip", "coprocessor.nx_gzip", NULL);
}

static void kernel(struct labels *l, const struct nfd_features *f)
{
	static const char *const opts[] = {"NO_HZ", "NO_HZ_IDLE", "NO_HZ_FULL", "PREEMPT"};
	const char *v;

	attrs(l, f, "kernel.version", "version.", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		if (nfd_features_get_attribute(f, "kernel.config", opts[i], &v) != 0)
			continue;
		/* the labels' "legacy" kconfig: y and m are true */
		put_prefixed(l, "config.", opts[i], streq(v, "y") || streq(v, "m") ? "true" : v);
	}
	attr(l, f, "kernel.selinux", "enabled", "selinux.enabled", "true");
}

static void memory(struct labels *l, const struct nfd_features *f)
{
	int n = nfd_features_count_instances(f, "memory.nv");

	attr(l, f, "memory.numa", "is_numa", "numa", "true");
	attr(l, f, "memory.swap", "enabled", "swap", "true");
	if (n > 0)
		put(l, "nv.present", "true");
	for (int i = 0; i < n; i++) {
		const char *t = inst_attr(f, "memory.nv", i, "devtype");

		if (t && streq(t, "nd_dax")) {
			put(l, "nv.dax", "true");
			break;
		}
	}
}

static bool positive(const char *s)
{
	return s && strtol(s, NULL, 10) > 0;
}

static void network(struct labels *l, const struct nfd_features *f)
{
	int n = nfd_features_count_instances(f, "network.device");
	bool capable = false, configured = false;

	for (int i = 0; i < n; i++) {
		capable = capable || positive(inst_attr(f, "network.device", i, "sriov_totalvfs"));
		configured =
			configured || positive(inst_attr(f, "network.device", i, "sriov_numvfs"));
	}
	if (capable)
		put(l, "sriov.capable", "true");
	if (configured)
		put(l, "sriov.configured", "true");
}

/* pci-<class>_<vendor>.present for whitelisted classes; usb alike */
static void devices(struct labels *l, const struct nfd_features *f, const char *feature,
		    const char *const *classes, const char *const *fields, bool sriov)
{
	int n = nfd_features_count_instances(f, feature);

	for (int i = 0; i < n; i++) {
		_cleanup_strbuf_ struct strbuf key = STRBUF_INIT;
		const char *cls = inst_attr(f, feature, i, "class");
		bool listed = false;

		for (size_t c = 0; cls && classes[c]; c++)
			listed = listed || strstartswith(cls, classes[c]);
		if (!listed)
			continue;
		for (size_t k = 0; fields[k]; k++) {
			const char *v = inst_attr(f, feature, i, fields[k]);

			if (k)
				strbuf_putc(&key, '_');
			/* pci's class label field is the first 4 digits */
			if (v && sriov && streq(fields[k], "class"))
				strbuf_append(&key, v, strlen(v) < 4 ? strlen(v) : 4);
			else if (v)
				strbuf_puts(&key, v);
		}
		if (!strbuf_str(&key)) {
			l->err = -ENOMEM;
			return;
		}
		put_prefixed(l, key.buf, ".present", "true");
		if (sriov && inst_attr(f, feature, i, "sriov_totalvfs"))
			put_prefixed(l, key.buf, ".sriov.capable", "true");
	}
}

static void storage(struct labels *l, const struct nfd_features *f)
{
	int n = nfd_features_count_instances(f, "storage.block");

	for (int i = 0; i < n; i++) {
		const char *r = inst_attr(f, "storage.block", i, "rotational");

		if (r && streq(r, "0")) {
			put(l, "nonrotationaldisk", "true");
			return;
		}
	}
}

static void sys(struct labels *l, const struct nfd_features *f)
{
	static const char *const keys[] = {"ID", "VERSION_ID", "VERSION_ID.major",
					   "VERSION_ID.minor"};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		_cleanup_strbuf_ struct strbuf k = STRBUF_INIT;

		strbuf_appendf(&k, "os_release.%s", keys[i]);
		if (strbuf_str(&k))
			attr(l, f, "system.osrelease", keys[i], k.buf, NULL);
	}
}

/* custom's static rules: rdma.capable, rdma.available (unprefixed) */
static void custom(struct labels *l, const struct nfd_features *f)
{
	int n = nfd_features_count_instances(f, "pci.device");

	for (int i = 0; i < n; i++) {
		const char *v = inst_attr(f, "pci.device", i, "vendor");

		if (v && streq(v, "15b3")) {
			put(l, "rdma.capable", "true");
			break;
		}
	}
	if (nfd_features_has_flag(f, "kernel.loadedmodule", "ib_uverbs") > 0 &&
	    nfd_features_has_flag(f, "kernel.loadedmodule", "rdma_ucm") > 0)
		put(l, "rdma.available", "true");
}

static void local(struct labels *l, const struct nfd_features *f)
{
	attrs(l, f, "local.label", "", NULL);
}

static int worker_labels(struct nfd_ctx *ctx, const struct nfd_features *f, char **ret)
{
	static const char *const pci_classes[] = {"03", "0b40", "12", NULL};
	static const char *const pci_fields[] = {"class", "vendor", NULL};
	static const char *const usb_classes[] = {"0e", "ef", "fe", "ff", NULL};
	static const char *const usb_fields[] = {"class", "vendor", "device", NULL};
	struct labels l = {.ctx = ctx, .map = json_object()};

	if (!l.map)
		return -ENOMEM;
	/* priority 0 in name order, then custom (10), then local (20): later wins */
	l.source = "cpu", cpu(&l, f);
	l.source = "kernel", kernel(&l, f);
	l.source = "memory", memory(&l, f);
	l.source = "network", network(&l, f);
	l.source = "pci", devices(&l, f, "pci.device", pci_classes, pci_fields, true);
	l.source = "storage", storage(&l, f);
	l.source = "system", sys(&l, f);
	l.source = "usb", devices(&l, f, "usb.device", usb_classes, usb_fields, false);
	l.source = "", custom(&l, f);
	l.source = "", local(&l, f);
	*ret = l.err ? NULL : json_dumps(l.map, JSON_INDENT(4) | JSON_SORT_KEYS);
	json_decref(l.map);
	return *ret ? 0 : -ENOMEM;
}

int cmd_export_labels(int argc, char *argv[])
{
	static const struct option opts[] = {
		{"path", required_argument, NULL, 'p'},
		{"features", required_argument, NULL, 'f'},
		{"root", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	const char *path = NULL, *features_path = NULL, *root = NULL;
	struct nfd_features *f = NULL;
	struct nfd_ctx *ctx;
	char *out = NULL;
	int c, r, ret = NFD_EXIT_ERROR;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:f:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			path = optarg;
			break;
		case 'f':
			features_path = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'h':
			printf("Usage: nfd export labels [--path FILE] [--features FILE | --root "
			       "DIR]\n\n"
			       "Print the labels nfd-worker would publish from its built-in rules "
			       "per\n"
			       "source (default configuration), as NFD's `nfd export labels` "
			       "does.\n");
			return NFD_EXIT_OK;
		default:
			return cli_usage_error(EXPORT_LABELS, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(EXPORT_LABELS, "unexpected argument '%s'", argv[optind]);
	if (features_path && root)
		return cli_usage_error(EXPORT_LABELS,
				       "--root applies to discovery, not --features");
	ctx = cli_ctx_new();
	if (!ctx)
		return NFD_EXIT_ERROR;
	if (cli_set_root(ctx, root, NULL) != 0)
		goto out;
	r = features_path ? nfd_features_parse_file(ctx, features_path, &f)
			  : cli_discover(ctx, NULL, NULL, &f);
	if (r < 0) {
		ret = cli_lib_error(ctx, r, features_path ? "features" : "discover");
		goto out;
	}
	r = worker_labels(ctx, f, &out);
	if (r < 0) {
		cli_error(EXPORT_LABELS, "%s", strerror(-r));
		goto out;
	}
	/* NFD: Println to stdout, Fprint (no newline) to --path */
	if (!path) {
		ret = printf("%s\n", out) < 0 || fflush(stdout) ? NFD_EXIT_ERROR : NFD_EXIT_OK;
	} else {
		ret = cli_write_output(path, out, strlen(out));
	}
out:
	free(out);
	nfd_features_unref(f);
	nfd_ctx_unref(ctx);
	return ret;
}
