/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The network source: network.device (interfaces backed by a device) and
 * network.virtual (the others), doc/semantics.md §10.6.
 */
#include <errno.h>
#include <string.h>

#include "libnfd/discovery/source.h"
#include "shared/util.h"

struct net_attr {
	const char *file; /* relative to the interface; the attribute is its base name */
	enum nfd_read_flags flags;
};

/*
 * Every interface has operstate and mtu, so losing one is worth a warning;
 * speed refuses to be read (EINVAL) on virtual and down links, and the
 * SR-IOV files exist only on capable devices: both are routine.
 */
static const struct net_attr device_attrs[] = {
	{"operstate", NFD_READ_WARN},
	{"speed", NFD_READ_QUIET},
	{"device/sriov_numvfs", NFD_READ_OPTIONAL},
	{"device/sriov_totalvfs", NFD_READ_OPTIONAL},
	{"mtu", NFD_READ_WARN},
};
static const struct net_attr virtual_attrs[] = {
	{"operstate", NFD_READ_WARN},
	{"speed", NFD_READ_QUIET},
	{"mtu", NFD_READ_WARN},
};

static int add_interface(struct nfd_ctx *ctx, struct nfd_features *f, const char *netdir,
			 const char *ifname)
{
	_cleanup_free_ char *dir = path_join(netdir, ifname);
	_cleanup_close_ int dfd = -1;
	const struct net_attr *attrs;
	const char *feature, *kv[2 * ARRAY_SIZE(device_attrs) + 3];
	char values[ARRAY_SIZE(device_attrs)][64];
	size_t n, k = 0;
	int r;

	if (!dir)
		return -ENOMEM;
	/* an interface that went away since the listing is not reported as virtual */
	dfd = nfd__open_dir(ctx, dir);
	if (dfd < 0) {
		nfd__warn_unreadable(ctx, dir, dfd == -ENOTDIR ? -ENOENT : dfd);
		return 0;
	}
	r = nfd__path_exists_in(ctx, dfd, dir, "device");
	if (r < 0) {
		_cleanup_free_ char *device = path_join(dir, "device");

		if (!device)
			return -ENOMEM;
		nfd__warn_unreadable(ctx, device, r);
		return 0;
	}
	if (r > 0) {
		feature = "network.device";
		attrs = device_attrs;
		n = ARRAY_SIZE(device_attrs);
	} else {
		feature = "network.virtual";
		attrs = virtual_attrs;
		n = ARRAY_SIZE(virtual_attrs);
	}

	kv[k++] = "name";
	kv[k++] = ifname;
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(attrs[i].file, '/');

		r = nfd__read_value_in(ctx, dfd, dir, attrs[i].file, values[i], sizeof(values[i]),
				       attrs[i].flags);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		kv[k++] = base ? base + 1 : attrs[i].file;
		kv[k++] = values[i];
	}
	kv[k] = NULL;
	r = nfd_features_add_instance(f, feature, kv);
	return r < 0 ? r : 0;
}

static int network_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *netdir = nfd__path(ctx, NFD_PATH_SYS, "class/net");
	_cleanup_strv_free_ char **ifaces = NULL;
	int n, r;

	if (!netdir)
		return -ENOMEM;
	n = nfd__list_dir(ctx, netdir, &ifaces);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		/* NFD fails the whole export here; only this source's features go. */
		nfd_warn(ctx, "cannot list '%s', leaving network features out: %s", netdir,
			 strerror(-n));
		return nfd__note_unreadable(f, "network", netdir, n);
	}

	r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "network.device");
	if (r >= 0)
		r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "network.virtual");
	for (int i = 0; r >= 0 && i < n; i++) {
		/* the bonding driver's control file, not an interface */
		if (streq(ifaces[i], "bonding_masters"))
			continue;
		r = add_interface(ctx, f, netdir, ifaces[i]);
	}
	return r;
}

const struct nfd_source nfd__source_network = {
	.discover = network_discover,
};
