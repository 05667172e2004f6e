/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pci source: pci.device, one instance per <sys>/bus/pci/devices entry in
 * name (BDF) order, doc/semantics.md §10.7.
 *
 * Every attribute is read from the device's sysfs directory, as NFD reads
 * it, through one O_PATH descriptor of that directory.  libpci is not used
 * here (doc/features.md, "pci"): its sysfs method reads the same vendor,
 * device and class files, but loading it (with libudev and zlib) costs more
 * than the whole scan, it substitutes config space or zeros for missing
 * files where NFD skips the device, and its default error handler exits.
 * The unit tests use it as an independent reader of the same devices.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/discovery/source.h"
#include "shared/util.h"

#define PCI_VALUE_MAX 64

/* NFD's attribute value: whitespace trimmed and a leading "0x" removed. */
static void strip_hex_prefix(char *v)
{
	if (v[0] == '0' && v[1] == 'x')
		memmove(v, v + 2, strlen(v + 2) + 1);
}

struct pci_ident {
	char class[PCI_VALUE_MAX];
	char vendor[PCI_VALUE_MAX];
	char device[PCI_VALUE_MAX];
};

static int read_pci_value(struct nfd_ctx *ctx, int dfd, const char *dir, const char *name,
			  char value[static PCI_VALUE_MAX], enum nfd_read_flags flags)
{
	int r = nfd__read_value_in(ctx, dfd, dir, name, value, PCI_VALUE_MAX, flags);

	if (r >= 0)
		strip_hex_prefix(value);
	return r;
}

static int read_ident(struct nfd_ctx *ctx, int dfd, const char *dir, struct pci_ident *id)
{
	int r;

	r = read_pci_value(ctx, dfd, dir, "class", id->class, NFD_READ_WARN);
	if (r >= 0)
		r = read_pci_value(ctx, dfd, dir, "vendor", id->vendor, NFD_READ_WARN);
	if (r >= 0)
		r = read_pci_value(ctx, dfd, dir, "device", id->device, NFD_READ_WARN);
	if (r < 0)
		return r;
	/* base class and subclass; the programming interface is dropped */
	id->class[4] = '\0';
	return 0;
}

static int add_device(struct nfd_ctx *ctx, struct nfd_features *f, const char *devices,
		      const char *name)
{
	static const char *const optional[] = {
		"sriov_totalvfs",
		"iommu_group/type",
		"iommu/intel-iommu/version",
	};
	_cleanup_free_ char *dir = path_join(devices, name);
	_cleanup_close_ int dfd = -1;
	struct pci_ident id;
	char subvendor[PCI_VALUE_MAX], subdevice[PCI_VALUE_MAX];
	char opt[ARRAY_SIZE(optional)][PCI_VALUE_MAX];
	const char *kv[2 * (5 + ARRAY_SIZE(optional)) + 1];
	size_t k = 0;
	int r;

	if (!dir)
		return -ENOMEM;
	/* where it cannot be opened, the reads below fail (and warn) by path as before */
	dfd = nfd__open_dir(ctx, dir);
	r = read_ident(ctx, dfd, dir, &id);
	if (r >= 0)
		r = read_pci_value(ctx, dfd, dir, "subsystem_vendor", subvendor, NFD_READ_WARN);
	if (r >= 0)
		r = read_pci_value(ctx, dfd, dir, "subsystem_device", subdevice, NFD_READ_WARN);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0; /* already warned: NFD skips a device missing a mandatory file */

	kv[k++] = "class";
	kv[k++] = id.class;
	kv[k++] = "vendor";
	kv[k++] = id.vendor;
	kv[k++] = "device";
	kv[k++] = id.device;
	kv[k++] = "subsystem_vendor";
	kv[k++] = subvendor;
	kv[k++] = "subsystem_device";
	kv[k++] = subdevice;
	for (size_t i = 0; i < ARRAY_SIZE(optional); i++) {
		r = read_pci_value(ctx, dfd, dir, optional[i], opt[i], NFD_READ_OPTIONAL);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		kv[k++] = optional[i];
		kv[k++] = opt[i];
	}
	kv[k] = NULL;
	r = nfd_features_add_instance(f, "pci.device", kv);
	return r < 0 ? r : 0;
}

static int pci_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *devices = nfd__path(ctx, NFD_PATH_SYS, "bus/pci/devices");
	_cleanup_strv_free_ char **names = NULL;
	int n, r;

	if (!devices)
		return -ENOMEM;
	n = nfd__list_dir(ctx, devices, &names);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		/* NFD fails the whole export here; only pci.device goes. */
		nfd_warn(ctx, "cannot list '%s', leaving pci.device out: %s", devices,
			 strerror(-n));
		return nfd__note_unreadable(f, "pci.device", devices, n);
	}

	r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "pci.device");
	for (int i = 0; r >= 0 && i < n; i++)
		r = add_device(ctx, f, devices, names[i]);
	return r;
}

const struct nfd_source nfd__source_pci = {
	.discover = pci_discover,
};
