/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The storage source: storage.block, one instance per <sys>/block entry,
 * doc/semantics.md §10.9.
 *
 * NFD's attributes (dax, rotational, nr_zones, zoned) are sysfs reads.  With
 * libblkid, the filesystem and partition-table identity that sysfs lacks is
 * added under attribute names NFD does not have (lsblk's column names:
 * fstype, uuid, label, pttype, ptuuid).  The probe opens /dev/<name>, a path
 * no root can redirect, so it only runs when discovery looks at the live
 * system (sys area "/sys"); an unopenable device (no permission, no node in
 * a container) simply adds nothing, and does not even load libblkid.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if HAVE_LIBBLKID
#include <blkid.h>
#include <fcntl.h>

#include "libnfd/dl.h"
#endif

#include "libnfd/discovery/source.h"
#include "shared/util.h"

/* rotational is as old as sysfs; the others appeared in 4.x kernels */
static const struct {
	const char *name;
	enum nfd_read_flags flags;
} queue_attrs[] = {
	{"dax", NFD_READ_OPTIONAL},
	{"rotational", NFD_READ_WARN},
	{"nr_zones", NFD_READ_OPTIONAL},
	{"zoned", NFD_READ_OPTIONAL},
};

#if HAVE_LIBBLKID
NFD_DLSYM(blkid_new_probe);
NFD_DLSYM(blkid_free_probe);
NFD_DLSYM(blkid_probe_set_device);
NFD_DLSYM(blkid_probe_enable_superblocks);
NFD_DLSYM(blkid_probe_set_superblocks_flags);
NFD_DLSYM(blkid_probe_enable_partitions);
NFD_DLSYM(blkid_probe_set_partitions_flags);
NFD_DLSYM(blkid_do_safeprobe);
NFD_DLSYM(blkid_probe_lookup_value);

/* The storage source loads libblkid only once a device node could be opened
 * for probing, which in a container, as non-root or on hosts with only empty
 * loop devices is never. */
static int load_libblkid(void)
{
	/* libblkid's SONAME, unchanged since util-linux took it over */
	return NFD_DLOPEN(NULL, "blkid", "storage source: filesystem and partition table identity",
			  NFD_DLOPEN_SUGGESTED, "libblkid.so.1", NFD_DLSYM_ARG(blkid_new_probe),
			  NFD_DLSYM_ARG(blkid_free_probe), NFD_DLSYM_ARG(blkid_probe_set_device),
			  NFD_DLSYM_ARG(blkid_probe_enable_superblocks),
			  NFD_DLSYM_ARG(blkid_probe_set_superblocks_flags),
			  NFD_DLSYM_ARG(blkid_probe_enable_partitions),
			  NFD_DLSYM_ARG(blkid_probe_set_partitions_flags),
			  NFD_DLSYM_ARG(blkid_do_safeprobe),
			  NFD_DLSYM_ARG(blkid_probe_lookup_value));
}
#endif

int nfd__blkid_probe(const char *node, struct nfd_blkid_info *ret)
{
#if HAVE_LIBBLKID
	static const struct {
		const char *tag;
		size_t off, size;
	} tags[] = {
		{"TYPE", offsetof(struct nfd_blkid_info, fstype),
		 sizeof(((struct nfd_blkid_info *)0)->fstype)},
		{"UUID", offsetof(struct nfd_blkid_info, uuid),
		 sizeof(((struct nfd_blkid_info *)0)->uuid)},
		{"LABEL", offsetof(struct nfd_blkid_info, label),
		 sizeof(((struct nfd_blkid_info *)0)->label)},
		{"PTTYPE", offsetof(struct nfd_blkid_info, pttype),
		 sizeof(((struct nfd_blkid_info *)0)->pttype)},
		{"PTUUID", offsetof(struct nfd_blkid_info, ptuuid),
		 sizeof(((struct nfd_blkid_info *)0)->ptuuid)},
	};
	_cleanup_close_ int fd = -1;
	blkid_probe pr;
	int r;

	memset(ret, 0, sizeof(*ret));
	/*
	 * Opened as blkid_new_probe_from_filename() would, but here: libblkid is
	 * loaded only for a node that can be read at all.
	 */
	fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (load_libblkid() < 0)
		return -EOPNOTSUPP;
	errno = 0;
	pr = sym_blkid_new_probe();
	if (!pr)
		return errno > 0 ? -errno : -ENOMEM;
	if (sym_blkid_probe_set_device(pr, fd, 0, 0) < 0) {
		r = errno > 0 ? -errno : -ENOMEM;
		sym_blkid_free_probe(pr);
		return r;
	}
	sym_blkid_probe_enable_superblocks(pr, 1);
	sym_blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID |
							  BLKID_SUBLKS_LABEL);
	sym_blkid_probe_enable_partitions(pr, 1);
	sym_blkid_probe_set_partitions_flags(pr, 0);
	r = sym_blkid_do_safeprobe(pr);
	if (r == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(tags); i++) {
			const char *v;
			size_t len;

			if (sym_blkid_probe_lookup_value(pr, tags[i].tag, &v, &len) < 0)
				continue;
			snprintf((char *)ret + tags[i].off, tags[i].size, "%s", v);
		}
	}
	sym_blkid_free_probe(pr);
	/* 1: nothing recognised, -2: ambiguous; either way nothing to report */
	return r < 0 && r != -2 ? -EIO : 0;
#else
	return -EOPNOTSUPP;
#endif
}

static bool blkid_applies(struct nfd_ctx *ctx)
{
	return HAVE_LIBBLKID && streq(nfd__ctx_path(ctx, NFD_PATH_SYS), "/sys");
}

static int add_block(struct nfd_ctx *ctx, struct nfd_features *f, const char *blockdir,
		     const char *name, bool probe)
{
	_cleanup_free_ char *dev = NULL;
	_cleanup_close_ int dfd = -1;
	char values[ARRAY_SIZE(queue_attrs)][64];
	struct nfd_blkid_info info;
	const char *kv[2 * (1 + ARRAY_SIZE(queue_attrs) + 5) + 1];
	size_t k = 0;
	int r;

	dev = path_join(blockdir, name);
	if (!dev)
		return -ENOMEM;
	/* a device removed since the listing is skipped, not reported without attributes */
	dfd = nfd__open_dir(ctx, dev);
	if (dfd < 0) {
		nfd__warn_unreadable(ctx, dev, dfd == -ENOTDIR ? -ENOENT : dfd);
		return 0;
	}
	kv[k++] = "name";
	kv[k++] = name;
	for (size_t i = 0; i < ARRAY_SIZE(queue_attrs); i++) {
		char rel[32];

		snprintf(rel, sizeof(rel), "queue/%s", queue_attrs[i].name);
		r = nfd__read_value_in(ctx, dfd, dev, rel, values[i], sizeof(values[i]),
				       queue_attrs[i].flags);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		kv[k++] = queue_attrs[i].name;
		kv[k++] = values[i];
	}

	if (probe) {
		char size[32];

		/* unbound loop devices and empty zram hold nothing: do not open them */
		r = nfd__read_value_in(ctx, dfd, dev, "queue/../size", size, sizeof(size),
				       NFD_READ_QUIET);
		if (r == -ENOMEM)
			return r;
		if (r > 0 && streq(size, "0"))
			probe = false;
	}
	if (probe) {
		_cleanup_free_ char *node = NULL;

		/* "cciss!c0d0" in sysfs is /dev/cciss/c0d0 */
		if (asprintf(&node, "/dev/%s", name) < 0)
			return -ENOMEM;
		for (char *p = node; *p; p++)
			if (*p == '!')
				*p = '/';
		r = nfd__blkid_probe(node, &info);
		if (r < 0) {
			nfd_dbg(ctx, "libblkid cannot probe '%s': %s", node, strerror(-r));
		} else {
			const struct {
				const char *name, *value;
			} extra[] = {
				{"fstype", info.fstype}, {"uuid", info.uuid},
				{"label", info.label},	 {"pttype", info.pttype},
				{"ptuuid", info.ptuuid},
			};
			for (size_t i = 0; i < ARRAY_SIZE(extra); i++) {
				if (!extra[i].value[0])
					continue;
				kv[k++] = extra[i].name;
				kv[k++] = extra[i].value;
			}
		}
	}
	kv[k] = NULL;
	r = nfd_features_add_instance(f, "storage.block", kv);
	return r < 0 ? r : 0;
}

static int storage_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *blockdir = nfd__path(ctx, NFD_PATH_SYS, "block");
	_cleanup_strv_free_ char **names = NULL;
	bool probe = blkid_applies(ctx);
	int n, r;

	if (!blockdir)
		return -ENOMEM;
	n = nfd__list_dir(ctx, blockdir, &names);
	if (n == -ENOMEM)
		return n;
	if (n < 0) {
		/* NFD fails the whole export here; only storage.block goes. */
		nfd_warn(ctx, "cannot list '%s', leaving storage.block out: %s", blockdir,
			 strerror(-n));
		return nfd__note_unreadable(f, "storage.block", blockdir, n);
	}
	r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "storage.block");
	for (int i = 0; r >= 0 && i < n; i++)
		r = add_block(ctx, f, blockdir, names[i], probe);
	return r;
}

const struct nfd_source nfd__source_storage = {
	.discover = storage_discover,
};
