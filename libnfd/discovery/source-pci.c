/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pci source: pci.device, one instance per <sys>/bus/pci/devices entry in
 * name (BDF) order, doc/semantics.md §10.7.
 *
 * With libpci, the identity (vendor, device, class) comes from libpci's sysfs
 * method pointed at the host root's bus/pci.  libpci reports a missing
 * mandatory file through its error hook, whose default calls exit(); ours
 * records the message and longjmps back to the one guarded call site below,
 * so a broken device costs only that device, as in NFD, instead of the scan
 * or the process.  The subsystem ids are read from sysfs even then: libpci
 * silently substitutes config space or zeros when those files are missing,
 * where NFD skips the device.  The optional attributes are sysfs-only
 * (libpci has no SR-IOV or IOMMU type).  Without libpci every attribute is
 * read from sysfs; both paths give the same result.
 *
 * libpci opens sysfs files itself, following symbolic links wherever they
 * point, so the source uses it only on the live host: below a root or a
 * host prefix (nfd__host_confined()) every attribute is read through
 * nfd__host_open(), which keeps links inside the root.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if HAVE_LIBPCI
#include <pci/pci.h>

#include "libnfd/dl.h"
#endif

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

static int read_ident_sysfs(struct nfd_ctx *ctx, int dfd, const char *dir, struct pci_ident *id)
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

/* ------------------------------------------------------------- libpci */

#if HAVE_LIBPCI
struct pci_state {
	struct pci_access *pa;
	char *sysfs_path; /* the bus/pci directory pa was initialised with */
	bool usable;
};

/* libpci's hooks take no user data: the guard of this thread's current call. */
struct pci_guard {
	struct nfd_ctx *ctx;
	jmp_buf env;
	char msg[256];
};
static _Thread_local struct pci_guard *current_guard;

static _printf_(2, 0) void pci_hook_vmsg(const char *prefix, char *msg, va_list ap)
{
	struct pci_guard *g = current_guard;
	char buf[256];

	if (!g)
		return;
	vsnprintf(buf, sizeof(buf), msg, ap);
	nfd_dbg(g->ctx, "libpci %s: %s", prefix, buf);
	snprintf(g->msg, sizeof(g->msg), "%s", buf);
}

/* noreturn as an attribute, not _Noreturn: it is part of the type of
 * libpci's error hook (PCI_NONRET) */
static __attribute__((noreturn)) _printf_(1, 2) void pci_hook_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	pci_hook_vmsg("error", msg, ap);
	va_end(ap);
	/*
	 * Every libpci call that can end up here runs under pci_guarded(), so
	 * current_guard is set; libpci's contract is that this never returns.
	 */
	longjmp(current_guard->env, 1);
}

static _printf_(1, 2) void pci_hook_warning(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	pci_hook_vmsg("warning", msg, ap);
	va_end(ap);
}

static _printf_(1, 2) void pci_hook_debug(char *msg, ...)
{
}

/*
 * The one place libpci may longjmp to.  fn must keep whatever it allocates
 * reachable through arg before calling into libpci, so the caller can free
 * it whichever way fn ends.  Returns 0, or -EIO with the message in g->msg.
 */
static int pci_guarded(struct pci_guard *g, void (*fn)(void *arg), void *arg)
{
	struct pci_guard *volatile prev = current_guard;

	g->msg[0] = '\0';
	current_guard = g;
	if (setjmp(g->env) != 0) {
		current_guard = prev;
		return -EIO;
	}
	fn(arg);
	current_guard = prev;
	return 0;
}

NFD_DLSYM(pci_alloc);
NFD_DLSYM(pci_set_param);
NFD_DLSYM(pci_init);
NFD_DLSYM(pci_get_dev);
NFD_DLSYM(pci_fill_info);
NFD_DLSYM(pci_free_dev);
NFD_DLSYM(pci_cleanup);

/* Linked, libpci (with libudev and zlib behind it) cost every process that
 * links libnfd its loading at start-up, PCI discovery or not. */
static int load_libpci(const char **ret_msg)
{
	/* libpci's SONAME since 3.0; the symbols carry their own versions */
	return NFD_DLOPEN(ret_msg, "pci", "pci source: device identities through libpci",
			  NFD_DLOPEN_SUGGESTED, "libpci.so.3", NFD_DLSYM_ARG(pci_alloc),
			  NFD_DLSYM_ARG(pci_set_param), NFD_DLSYM_ARG(pci_init),
			  NFD_DLSYM_ARG(pci_get_dev), NFD_DLSYM_ARG(pci_fill_info),
			  NFD_DLSYM_ARG(pci_free_dev), NFD_DLSYM_ARG(pci_cleanup));
}

static void pci_state_free(void *p)
{
	struct pci_state *st = p;

	if (!st)
		return;
	if (st->pa)
		sym_pci_cleanup(st->pa);
	free(st->sysfs_path);
	free(st);
}

static void do_pci_init(void *arg)
{
	sym_pci_init(arg);
}

/* libpci's API predates const; it only compares the name (and copies the value). */
static char sysfs_param[] = "sysfs.path";

/* The context's pci_access for bus_path, initialised once and cached. */
static struct pci_state *pci_state_get(struct nfd_ctx *ctx, const char *bus_path)
{
	struct pci_state *st = nfd__ctx_get_cache(ctx, NFD_CACHE_PCI);
	struct pci_guard g = {.ctx = ctx};
	const char *msg;

	if (st && streq(st->sysfs_path, bus_path))
		return st->usable ? st : NULL;

	st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->sysfs_path = strdup(bus_path);
	if (st->sysfs_path && load_libpci(&msg) < 0) {
		/* remembered like an unusable root below */
		nfd_info(ctx, "%s, reading sysfs directly", msg);
		st->usable = false;
		nfd__ctx_set_cache(ctx, NFD_CACHE_PCI, st, pci_state_free);
		return NULL;
	}
	st->pa = st->sysfs_path ? sym_pci_alloc() : NULL;
	if (!st->sysfs_path || !st->pa) {
		pci_state_free(st);
		return NULL;
	}
	st->pa->error = pci_hook_error;
	st->pa->warning = pci_hook_warning;
	st->pa->debug = pci_hook_debug;
	/* AUTO could fall back to /proc/bus/pci or port I/O, outside the root */
	st->pa->method = PCI_ACCESS_SYS_BUS_PCI;
	if (sym_pci_set_param(st->pa, sysfs_param, st->sysfs_path) < 0 ||
	    pci_guarded(&g, do_pci_init, st->pa) < 0) {
		/* remembered, so later calls do not retry (and log) for this root */
		nfd_info(ctx, "libpci cannot use '%s' (%s), reading sysfs directly", bus_path,
			 g.msg);
		st->usable = false;
	} else {
		st->usable = true;
	}
	nfd__ctx_set_cache(ctx, NFD_CACHE_PCI, st, pci_state_free);
	return st->usable ? st : NULL;
}

struct pci_fill_call {
	struct pci_access *pa;
	int domain, bus, dev, func;
	struct pci_dev *d;
};

static void do_pci_fill(void *arg)
{
	struct pci_fill_call *c = arg;

	c->d = sym_pci_get_dev(c->pa, c->domain, c->bus, c->dev, c->func);
	sym_pci_fill_info(c->d, PCI_FILL_IDENT | PCI_FILL_CLASS);
}

/* Returns 0, 1 when name is no BDF (the caller reads sysfs), or -EIO. */
static int read_ident_libpci(struct nfd_ctx *ctx, struct pci_state *st, const char *name,
			     struct pci_ident *id)
{
	struct pci_guard g = {.ctx = ctx};
	struct pci_fill_call c = {.pa = st->pa};
	unsigned dom, bus, dev, func;
	char end;
	int r;

	if (sscanf(name, "%x:%x:%x.%x%c", &dom, &bus, &dev, &func, &end) != 4)
		return 1;
	c.domain = (int)dom;
	c.bus = (int)bus;
	c.dev = (int)dev;
	c.func = (int)func;
	r = pci_guarded(&g, do_pci_fill, &c);
	if (r >= 0 && (c.d->known_fields & (PCI_FILL_IDENT | PCI_FILL_CLASS)) !=
			      (PCI_FILL_IDENT | PCI_FILL_CLASS)) {
		snprintf(g.msg, sizeof(g.msg), "no vendor, device or class");
		r = -EIO;
	}
	if (r >= 0) {
		snprintf(id->class, sizeof(id->class), "%04x", c.d->device_class);
		snprintf(id->vendor, sizeof(id->vendor), "%04x", c.d->vendor_id);
		snprintf(id->device, sizeof(id->device), "%04x", c.d->device_id);
	} else {
		nfd_warn(ctx, "skipping PCI device %s: %s", name, g.msg);
	}
	if (c.d)
		sym_pci_free_dev(c.d);
	return r;
}
#endif

/* ------------------------------------------------------------ discovery */

static int add_device(struct nfd_ctx *ctx, struct nfd_features *f, const char *devices,
		      const char *name, void *pci)
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
	int r = 1;

	if (!dir)
		return -ENOMEM;
	/* where it cannot be opened, the reads below fail (and warn) by path as before */
	dfd = nfd__open_dir(ctx, dir);
#if HAVE_LIBPCI
	if (pci)
		r = read_ident_libpci(ctx, pci, name, &id);
#endif
	if (r > 0)
		r = read_ident_sysfs(ctx, dfd, dir, &id);
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

int nfd__pci_discover(struct nfd_ctx *ctx, struct nfd_features *f, bool use_libpci)
{
	_cleanup_free_ char *bus = nfd__path(ctx, NFD_PATH_SYS, "bus/pci");
	_cleanup_free_ char *devices = NULL;
	_cleanup_strv_free_ char **names = NULL;
	void *pci = NULL;
	int n, r;

	if (!bus)
		return -ENOMEM;
	devices = path_join(bus, "devices");
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

#if HAVE_LIBPCI
	if (use_libpci && n > 0)
		pci = pci_state_get(ctx, bus);
#endif
	(void)use_libpci;

	r = nfd_features_declare(f, NFD_FEATURE_INSTANCE, "pci.device");
	for (int i = 0; r >= 0 && i < n; i++)
		r = add_device(ctx, f, devices, names[i], pci);
	return r;
}

static int pci_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *bus = nfd__path(ctx, NFD_PATH_SYS, "bus/pci");

	if (!bus)
		return -ENOMEM;
	return nfd__pci_discover(ctx, f, !nfd__host_confined(ctx, bus));
}

const struct nfd_source nfd__source_pci = {
	.discover = pci_discover,
};
