/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel source: kernel.version, kernel.config, kernel.loadedmodule,
 * kernel.enabledmodule, kernel.selinux, kernel.kvm (doc/semantics.md §10.4).
 *
 * NFD reads /proc/sys/kernel/osrelease, /proc/modules, /proc/config.gz and
 * /lib/modules/<ver>/build/.config without its host prefix; here they go
 * through the proc and lib areas so a whole fixture tree works (doc/semantics.md §10.2), with
 * NFD's unprefixed paths as the fallback in its container layout
 * (nfd__path_nfd_unprefixed()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if HAVE_LIBKMOD
#include <libkmod.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "libnfd/discovery/source.h"
#include "libnfd/dl.h"
#include "libnfd/features-private.h"
#include "shared/inflate.h"
#include "shared/root-open.h"
#include "shared/util.h"

#define KVER_MAX 256
/* A distribution kconfig is ~250 KiB; anything near this is not a kconfig. */
#define KCONFIG_MAX (16u << 20)
#define MODULES_MAX (16u << 20)

/* ------------------------------------------------------------- version */

static bool is_kver_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse "^(\d+)(\.(\d+))?(\.(\d+))?(-.*)?$"; greedy digit runs make it exact. */
static bool split_kver(const char *s, char major[static KVER_MAX], char minor[static KVER_MAX],
		       char rev[static KVER_MAX])
{
	char *parts[3] = {major, minor, rev};
	const char *p = s;

	major[0] = minor[0] = rev[0] = '\0';
	for (int i = 0; i < 3; i++) {
		const char *start;

		if (i > 0) {
			if (p[0] != '.' || !is_digit(p[1]))
				break;
			p++;
		}
		start = p;
		while (is_digit(*p))
			p++;
		if (p == start)
			return false;
		memcpy(parts[i], start, (size_t)(p - start));
		parts[i][p - start] = '\0';
	}
	return *p == '\0' || *p == '-';
}

/* osrelease as NFD's kernel.version.full: bad characters become '_', "-_." trimmed. */
static void sanitize_kver(const char *raw, char out[static KVER_MAX])
{
	size_t n = 0, start = 0, end;

	for (const char *p = raw; *p && n < KVER_MAX - 1; p++)
		out[n++] = is_kver_char(*p) ? *p : '_';
	out[n] = '\0';
	while (out[start] == '-' || out[start] == '_' || out[start] == '.')
		start++;
	end = n;
	while (end > start && (out[end - 1] == '-' || out[end - 1] == '_' || out[end - 1] == '.'))
		end--;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
}

static int discover_version(struct nfd_ctx *ctx, struct nfd_features *f, const char *raw)
{
	char full[KVER_MAX], major[KVER_MAX], minor[KVER_MAX], rev[KVER_MAX];
	int r;

	sanitize_kver(raw, full);
	r = nfd_features_set_attribute(f, "kernel.version", "full", full);
	if (r < 0 || !split_kver(full, major, minor, rev))
		return r;
	r = nfd_features_set_attribute(f, "kernel.version", "major", major);
	if (r >= 0)
		r = nfd_features_set_attribute(f, "kernel.version", "minor", minor);
	if (r >= 0)
		r = nfd_features_set_attribute(f, "kernel.version", "revision", rev);
	return r;
}

/* -------------------------------------------------------------- kconfig */

/*
 * The whole file as NFD's reader (Go's compress/gzip, which NFD drains with
 * io.ReadAll) reads it: one gzip member or several, and nothing else
 * (gunzip(), shared/inflate.h).  A file that is not gzip, or is cut short
 * or corrupt, is -EBADMSG: NFD then reads the next file of the search list,
 * and so does this source (doc/features.md).  The compressed file is read
 * whole, up to the same cap as the text.
 */
static int read_gzip_file(struct nfd_ctx *ctx, const char *path, size_t max, char **ret)
{
	_cleanup_free_ char *gz = NULL;
	size_t gz_len, len;
	int r;

	r = nfd__host_read_file(ctx, path, max, &gz, &gz_len);
	if (r < 0)
		return r;
	r = gunzip((const unsigned char *)gz, gz_len, max, ret, &len);
	if (r == -E2BIG)
		read_note_too_big(0, max); /* for the message: its size is not known */
	return r;
}

static int read_kconfig_file(struct nfd_ctx *ctx, const char *path, char **ret)
{
	size_t l = strlen(path);

	if (l > 3 && streq(path + l - 3, ".gz"))
		return read_gzip_file(ctx, path, KCONFIG_MAX, ret);
	return nfd__host_read_file(ctx, path, KCONFIG_MAX, ret, NULL);
}

static int parse_kconfig(struct nfd_features *f, char *text)
{
	struct feature *ft;
	int r;

	/* one lookup of the feature for the ~1,700 entries, each then appended
	 * as nfd_features_set_attribute() would (features-private.h) */
	r = nfd__features_get(f, NFD_FEATURE_ATTRIBUTE, "kernel.config", &ft);
	if (r < 0)
		return r;
	/* line by line as strtok_r(text, "\n") would, without its per-call strspn/strcspn */
	for (char *line = text, *next; *line; line = next) {
		char *eq, *val, *end;

		next = strchrnul(line, '\n');
		end = next;
		if (*next)
			next++;
		if (end - line < 7 || memcmp(line, "CONFIG_", 7) != 0)
			continue;
		eq = memchr(line, '=', (size_t)(end - line));
		if (!eq)
			continue;
		/* strings.Trim(value, `"`): every leading and trailing quote */
		val = eq + 1;
		while (val < end && *val == '"')
			val++;
		while (end > val && end[-1] == '"')
			end--;
		line += strlen("CONFIG_");
		r = nfd__features_append(f, ft, NFD_FEATURE_ATTRIBUTE, line, (size_t)(eq - line),
					 val, (size_t)(end - val));
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * NFD's search list (doc/semantics.md §10.4): <area>/<before><release><after>.  Without a
 * kernel release only the entries that do not name it are tried.
 */
static const struct {
	enum nfd_path area;
	const char *before, *after; /* after == NULL: the path names no release */
} kconfig_paths[] = {
	{NFD_PATH_PROC, "config.gz", NULL},
	{NFD_PATH_USR, "src/linux-", "/.config"},
	{NFD_PATH_USR, "src/linux-rt-", "/.config"},
	{NFD_PATH_USR, "src/linux/.config", NULL},
	{NFD_PATH_USR, "lib/modules/", "/config"},
	{NFD_PATH_USR, "lib/ostree-boot/config-", ""},
	{NFD_PATH_USR, "lib/kernel/config-", ""},
	{NFD_PATH_USR, "src/linux-headers-", "/.config"},
	{NFD_PATH_LIB, "modules/", "/build/.config"},
	{NFD_PATH_USR, "src/linux-rt-headers-", "/.config"},
	{NFD_PATH_BOOT, "config-", ""},
};

static int discover_kconfig(struct nfd_ctx *ctx, struct nfd_features *f, const char *kver)
{
	for (size_t i = 0; i < ARRAY_SIZE(kconfig_paths); i++) {
		_cleanup_free_ char *rel = NULL, *path = NULL, *text = NULL;
		int r;

		if (kconfig_paths[i].after && !kver)
			continue;
		if (asprintf(&rel, "%s%s%s", kconfig_paths[i].before,
			     kconfig_paths[i].after ? kver : "",
			     kconfig_paths[i].after ? kconfig_paths[i].after : "") < 0)
			return -ENOMEM;
		/* the two entries NFD reads without its prefix (/proc, /lib) */
		path = kconfig_paths[i].area == NFD_PATH_PROC ||
				       kconfig_paths[i].area == NFD_PATH_LIB
			       ? nfd__path_nfd_unprefixed(ctx, kconfig_paths[i].area, rel)
			       : nfd__path(ctx, kconfig_paths[i].area, rel);
		if (!path)
			return -ENOMEM;
		r = read_kconfig_file(ctx, path, &text);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			/* Most of the list is absent on any given host: only odd errors matter. */
			if (r == -ENOENT || r == -ENOTDIR)
				nfd_dbg(ctx, "no kernel config at '%s'", path);
			else if (r == -EBADMSG)
				nfd_warn(ctx,
					 "cannot read '%s', ignoring: not a complete, valid gzip "
					 "file",
					 path);
			else
				nfd__warn_unreadable(ctx, path, r);
			continue;
		}
		nfd_dbg(ctx, "kernel config from '%s'", path);
		r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "kernel.config");
		if (r < 0)
			return r;
		return parse_kconfig(f, text);
	}
	nfd_info(ctx, "no readable kernel config found, leaving kernel.config out");
	if (nfd__features_note_unreadable(f, "kernel.config", "no readable kernel config found") <
	    0)
		return -ENOMEM;
	return 0;
}

/* -------------------------------------------------------------- modules */

/* First field of every non-empty line of /proc/modules, into both features. */
static int add_loaded_modules(struct nfd_features *f, char *text, bool enabled)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = line + strspn(line, " \t\r");
		int r;

		name[strcspn(name, " \t\r")] = '\0';
		if (!*name)
			continue;
		r = nfd_features_add_flag(f, "kernel.loadedmodule", name);
		if (r >= 0 && enabled)
			r = nfd_features_add_flag(f, "kernel.enabledmodule", name);
		if (r < 0)
			return r;
	}
	return 0;
}

/* "kernel/drivers/md/dm-mod.ko" -> "dm-mod": NFD keeps the file's dashes. */
static int add_builtin_modules(struct nfd_features *f, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s = strstrip(line), *base;
		size_t l = strlen(s);
		int r;

		if (l < 3 || !streq(s + l - 3, ".ko"))
			continue;
		s[l - 3] = '\0';
		base = strrchr(s, '/');
		base = base ? base + 1 : s;
		r = nfd_features_add_flag(f, "kernel.enabledmodule", base);
		if (r < 0)
			return r;
	}
	return 0;
}

#if HAVE_LIBKMOD
NFD_DLSYM(kmod_new);
NFD_DLSYM(kmod_unref);
NFD_DLSYM(kmod_set_log_fn);
NFD_DLSYM(kmod_dump_index);

/* Only the fallback for hosts without a text modules.builtin needs libkmod,
 * yet linking it (with the libcrypto, liblzma and libzstd it pulls in) cost
 * every `nfd export features` about 1 ms at start-up. */
static int load_libkmod(const char **ret_msg)
{
	/* libkmod's SONAME, unchanged since its first release */
	return NFD_DLOPEN(ret_msg, "kmod",
			  "kernel source: built-in modules from modules.builtin.bin",
			  NFD_DLOPEN_SUGGESTED, "libkmod.so.2", NFD_DLSYM_ARG(kmod_new),
			  NFD_DLSYM_ARG(kmod_unref), NFD_DLSYM_ARG(kmod_set_log_fn),
			  NFD_DLSYM_ARG(kmod_dump_index));
}

static _printf_(6, 0) void kmod_log_to_nfd(void *data, int priority, const char *file, int line,
					   const char *fn, const char *format, va_list args)
{
	struct nfd_ctx *ctx = data;
	char msg[512];

	vsnprintf(msg, sizeof(msg), format, args);
	msg[strcspn(msg, "\n")] = '\0';
	nfd_dbg(ctx, "libkmod: %s", msg);
}

static void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/*
 * Without the text modules.builtin (some images ship only depmod's output),
 * libkmod can still list the built-in modules from modules.builtin.bin.
 * depmod stores them with '-' turned into '_', so names can differ from what
 * NFD would report; this is a fallback where NFD reports nothing at all.
 */
static int add_builtin_modules_kmod(struct nfd_ctx *ctx, struct nfd_features *f, const char *moddir)
{
	static const char *const no_config[] = {NULL};
	_cleanup_(fclosep) FILE *mem = NULL;
	_cleanup_free_ char *bin = path_join(moddir, "modules.builtin.bin");
	struct kmod_ctx *kctx;
	const char *msg;
	char *line = NULL;
	size_t linecap = 0;
	int fd, r;

	_cleanup_close_ int dirfd = -1;
	char fddir[64];
	struct stat st;

	if (!bin)
		return -ENOMEM;
	/*
	 * libkmod reads this index from that one file: without it, do not load
	 * libkmod.  libkmod opens files itself, so it gets the directory as
	 * resolved inside the root (/proc/self/fd/N), and the index must be a
	 * regular file there, not a link that libkmod would follow out of it.
	 */
	dirfd = nfd__host_open(ctx, moddir, O_PATH | O_DIRECTORY);
	if (dirfd < 0)
		return dirfd == -ENOMEM ? dirfd : -ENOENT;
	if (fstatat(dirfd, "modules.builtin.bin", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode))
		return -ENOENT;
	snprintf(fddir, sizeof(fddir), "/proc/self/fd/%d", dirfd);
	if (access(fddir, X_OK) < 0)
		return -ENOENT;
	r = load_libkmod(&msg);
	if (r < 0) {
		nfd_info(ctx, "cannot list the built-in modules in '%s': %s", bin, msg);
		return r;
	}

	kctx = sym_kmod_new(fddir, no_config);
	if (!kctx)
		return -ENOENT;
	sym_kmod_set_log_fn(kctx, kmod_log_to_nfd, ctx);

	/* libkmod only dumps to a file descriptor: an anonymous in-memory file */
	fd = memfd_create("nfd-modules-builtin", MFD_CLOEXEC);
	if (fd < 0 || !(mem = fdopen(fd, "r"))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		sym_kmod_unref(kctx);
		return r;
	}
	r = sym_kmod_dump_index(kctx, KMOD_INDEX_MODULES_BUILTIN, fd);
	sym_kmod_unref(kctx);
	if (r < 0)
		return r;

	rewind(mem);
	r = -ENOENT;
	while (getline(&line, &linecap, mem) > 0) {
		char *name = strstrip(line);

		/* each line is "<module name> <value>" */
		name[strcspn(name, " \t")] = '\0';
		if (!*name)
			continue;
		r = nfd_features_add_flag(f, "kernel.enabledmodule", name);
		if (r < 0)
			break;
	}
	free(line);
	return r;
}
#endif

static int discover_modules(struct nfd_ctx *ctx, struct nfd_features *f, const char *kver)
{
	_cleanup_free_ char *modules_path = NULL, *modules = NULL;
	_cleanup_free_ char *builtin_path = NULL, *builtin = NULL, *moddir = NULL;
	bool have_builtin = false;
	int r;

	modules_path = nfd__path_nfd_unprefixed(ctx, NFD_PATH_PROC, "modules");
	if (!modules_path)
		return -ENOMEM;

	if (kver) {
		_cleanup_free_ char *rel = NULL;

		if (asprintf(&rel, "modules/%s", kver) < 0)
			return -ENOMEM;
		moddir = nfd__path(ctx, NFD_PATH_LIB, rel);
		builtin_path = moddir ? path_join(moddir, "modules.builtin") : NULL;
		if (!builtin_path)
			return -ENOMEM;
		r = nfd__host_read_file(ctx, builtin_path, MODULES_MAX, &builtin, NULL);
		if (r == -ENOMEM)
			return r;
		have_builtin = r >= 0;
	}

	r = nfd__host_read_file(ctx, modules_path, MODULES_MAX, &modules, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		/* a kernel without CONFIG_MODULES has no /proc/modules at all */
		nfd__warn_unreadable(ctx, modules_path, r);
		if (nfd__note_unreadable(f, "kernel.loadedmodule", modules_path, r) < 0)
			return -ENOMEM;
	}

	if (have_builtin) {
		r = nfd_features_declare(f, NFD_FEATURE_FLAG, "kernel.enabledmodule");
		if (r >= 0)
			r = add_builtin_modules(f, builtin);
		if (r < 0)
			return r;
	} else if (kver) {
#if HAVE_LIBKMOD
		r = add_builtin_modules_kmod(ctx, f, moddir);
		if (r == -ENOMEM)
			return r;
		have_builtin = r >= 0;
		if (have_builtin)
			nfd_info(ctx, "built-in modules from '%s/modules.builtin.bin' (libkmod)",
				 moddir);
#endif
		if (!have_builtin) {
			nfd_info(ctx, "cannot read '%s', leaving kernel.enabledmodule out",
				 builtin_path);
			if (nfd__note_unreadable(f, "kernel.enabledmodule", builtin_path, -ENOENT) <
			    0)
				return -ENOMEM;
		}
	}

	if (modules) {
		r = nfd_features_declare(f, NFD_FEATURE_FLAG, "kernel.loadedmodule");
		if (r >= 0)
			r = add_loaded_modules(f, modules, have_builtin);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------ selinux and kvm */

static int discover_selinux(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *fs = nfd__path(ctx, NFD_PATH_SYS, "fs");
	_cleanup_free_ char *enforce = nfd__path(ctx, NFD_PATH_SYS, "fs/selinux/enforce");
	char buf[16];
	int r;

	if (!fs || !enforce)
		return -ENOMEM;
	r = nfd__path_exists(ctx, fs);
	if (r <= 0) {
		nfd__warn_unreadable(ctx, fs, r == 0 ? -ENOENT : r);
		return 0;
	}
	r = nfd__read_value(ctx, enforce, buf, sizeof(buf), NFD_READ_QUIET);
	if (r < 0 && r != -ENOENT) {
		nfd__warn_unreadable(ctx, enforce, r);
		return 0;
	}
	return nfd_features_set_attribute(f, "kernel.selinux", "enabled",
					  r > 0 && buf[0] == '1' ? "true" : "false");
}

static int discover_kvm(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *kvm = nfd__path(ctx, NFD_PATH_SYS, "devices/virtual/misc/kvm");
	int r;

	if (!kvm)
		return -ENOMEM;
	r = nfd__path_exists(ctx, kvm);
	if (r < 0) {
		nfd__warn_unreadable(ctx, kvm, r);
		return 0;
	}
	return nfd_features_set_attribute(f, "kernel.kvm", "enabled", r ? "true" : "false");
}

static int kernel_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *osrelease =
		nfd__path_nfd_unprefixed(ctx, NFD_PATH_PROC, "sys/kernel/osrelease");
	char raw[KVER_MAX];
	const char *kver = NULL;
	int r;

	if (!osrelease)
		return -ENOMEM;
	r = nfd__read_value(ctx, osrelease, raw, sizeof(raw), NFD_READ_WARN);
	if (r >= 0) {
		kver = raw;
		r = discover_version(ctx, f, raw);
		if (r < 0)
			return r;
	}

	r = discover_kconfig(ctx, f, kver);
	if (r >= 0)
		r = discover_modules(ctx, f, kver);
	if (r >= 0)
		r = discover_selinux(ctx, f);
	if (r >= 0)
		r = discover_kvm(ctx, f);
	return r;
}

const struct nfd_source nfd__source_kernel = {
	.discover = kernel_discover,
};
