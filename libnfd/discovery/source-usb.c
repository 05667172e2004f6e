/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The usb source: usb.device, doc/semantics.md §10.8.  Devices are the entries of
 * <sys>/bus/usb/devices with an idProduct file (interfaces have none); a
 * device whose class is "00" (defined per interface) is reported once per
 * interface, with that interface's class.  No library on the list covers
 * USB, so this reads sysfs.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "libnfd/discovery/source.h"
#include "shared/util.h"

static const struct {
	const char *attr, *file;
} usb_attrs[] = {
	{"class", "bDeviceClass"},
	{"vendor", "idVendor"},
	{"device", "idProduct"},
	{"serial", "serial"},
};

#define USB_VALUE_MAX 256

static int add_device(struct nfd_ctx *ctx, struct nfd_features *f, const char *dir)
{
	char values[ARRAY_SIZE(usb_attrs)][USB_VALUE_MAX];
	const char *kv[2 * ARRAY_SIZE(usb_attrs) + 1];
	_cleanup_strv_free_ char **entries = NULL;
	size_t k = 0, class_at = SIZE_MAX;
	int n, r;

	for (size_t i = 0; i < ARRAY_SIZE(usb_attrs); i++) {
		/* most devices have no serial: its absence is routine */
		r = nfd__read_value_at(ctx, dir, usb_attrs[i].file, values[i], USB_VALUE_MAX,
				       streq(usb_attrs[i].file, "serial") ? NFD_READ_OPTIONAL
									  : NFD_READ_WARN);
		if (r == -ENOMEM)
			return r;
		if (r <= 0) /* NFD drops empty values */
			continue;
		if (streq(usb_attrs[i].attr, "class"))
			class_at = k + 1;
		kv[k++] = usb_attrs[i].attr;
		kv[k++] = values[i];
	}
	kv[k] = NULL;

	if (class_at == SIZE_MAX || !streq(kv[class_at], "00")) {
		r = nfd_features_add_instance(f, "usb.device", kv);
		return r < 0 ? r : 0;
	}

	/* class 00: one instance per <dev>/<interface>/bInterfaceClass */
	n = nfd__list_dir(ctx, dir, &entries);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		nfd__warn_unreadable(ctx, dir, n);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *sub = path_join(dir, entries[i]);
		char iclass[USB_VALUE_MAX];

		if (!sub)
			return -ENOMEM;
		r = nfd__read_value_at(ctx, sub, "bInterfaceClass", iclass, sizeof(iclass),
				       NFD_READ_QUIET);
		if (r == -ENOMEM)
			return r;
		if (r == -ENOENT || r == -ENOTDIR)
			continue; /* not an interface */
		if (r < 0) {
			nfd_warn(ctx, "cannot read '%s/bInterfaceClass', ignoring: %s", sub,
				 strerror(-r));
			continue;
		}
		kv[class_at] = iclass;
		r = nfd_features_add_instance(f, "usb.device", kv);
		if (r < 0)
			return r;
	}
	return 0;
}

static int usb_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *devices = nfd__path(ctx, NFD_PATH_SYS, "bus/usb/devices");
	_cleanup_strv_free_ char **names = NULL;
	int n, r;

	if (!devices)
		return -ENOMEM;
	r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "usb.device");
	if (r < 0)
		return r;
	n = nfd__list_dir(ctx, devices, &names);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		/* no USB support at all is common (VMs); NFD reports [] as well */
		if (n == -ENOENT)
			nfd_dbg(ctx, "no '%s'", devices);
		else
			nfd__warn_unreadable(ctx, devices, n);
		return 0;
	}

	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *dir = path_join(devices, names[i]);
		_cleanup_free_ char *product = NULL;

		if (!dir)
			return -ENOMEM;
		product = path_join(dir, "idProduct");
		if (!product)
			return -ENOMEM;
		if (nfd__path_exists(ctx, product) <= 0)
			continue;
		r = add_device(ctx, f, dir);
		if (r < 0)
			return r;
	}
	return 0;
}

const struct nfd_source nfd__source_usb = {
	.discover = usb_discover,
};
