/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container-start check's on-disk cache (doc/oci-hook.md, "Cache"):
 * one file per entry, named by a hash of its key, holding a header, the
 * key itself (so a hash collision is a miss, never a wrong answer) and the
 * data.  Entries are written to a temporary file and renamed into place, so
 * concurrent container starts only ever see whole entries; the least
 * recently used (by mtime, refreshed on every hit) are evicted beyond the
 * size limit.  On top of it: a tag's digest, an image's spec (or the fact
 * that it has none) and this node's discovery.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libnfd/oci/hook-internal.h"
#include "shared/util.h"
#include "shared/write-file.h"

#define CACHE_MAGIC "nfd-cache 1"
/* A cached node discovery can be large (many PCI devices); specs are
 * capped at 4 MiB by the fetch. */
#define CACHE_ENTRY_MAX (32u * 1024 * 1024)
#define CACHE_NAME_LEN	32
/* A temporary file older than this was left by a killed writer. */
#define CACHE_TMP_STALE 60

static const char *const kind_names[] = {"spec", "none", "tag", "node", "verdict"};

int64_t nfd__cache_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

void nfd__cache_entry_done(struct cache_entry *e)
{
	free(e->data);
	e->data = NULL;
}

/* Two FNV-1a 64-bit hashes with different offsets: 32 hex digits.  Not a
 * security boundary: the key stored in the entry is compared on read. */
static void cache_name(const char *key, char out[CACHE_NAME_LEN + 1])
{
	uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;

	for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
		h1 = (h1 ^ *c) * 0x100000001b3ull;
		h2 = (h2 ^ *c) * 0x100000001b3ull;
	}
	snprintf(out, CACHE_NAME_LEN + 1, "%016" PRIx64 "%016" PRIx64, h1, h2);
}

static bool is_entry_name(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return n == CACHE_NAME_LEN && s[n] == '\0';
}

/*
 * Open the cache directory, creating it (0700) when missing.  It must be a
 * directory of our own user that nobody else can write to: entries decide
 * whether containers start.
 */
static int cache_dir_open(struct nfd_ctx *ctx, const struct nfd_hook_policy *p)
{
	struct stat st;
	int fd;

	fd = open(p->cache_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		_cleanup_free_ char *copy = strdup(p->cache_dir);

		if (!copy)
			return -ENOMEM;
		for (char *s = strchr(copy + 1, '/');; s = strchr(s + 1, '/')) {
			if (s)
				*s = '\0';
			if (mkdir(copy, s ? 0755 : 0700) < 0 && errno != EEXIST)
				return -errno;
			if (!s)
				break;
			*s = '/';
		}
		fd = open(p->cache_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022)) {
		nfd_warn(ctx, "cache %s: not owned by uid %u or writable by others; not used",
			 p->cache_dir, (unsigned)geteuid());
		close(fd);
		return -EPERM;
	}
	return fd;
}

static int read_fd(int fd, size_t size, char **ret)
{
	char *buf = malloc(size + 1);
	size_t got = 0;

	if (!buf)
		return -ENOMEM;
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return n < 0 ? -errno : -EBADMSG;
		}
		got += (size_t)n;
	}
	buf[size] = '\0';
	*ret = buf;
	return 0;
}

/* Parse "nfd-cache 1 KIND TIME KEYLEN DATALEN\n" KEY DATA. */
static int parse_entry(char *buf, size_t size, const char *key, struct cache_entry *ret)
{
	char kind[8], *nl = memchr(buf, '\n', MIN(size, (size_t)128));
	long long t;
	size_t klen, dlen, hlen;
	int k = -1;

	if (!nl || !strstartswith(buf, CACHE_MAGIC " "))
		return -EBADMSG;
	*nl = '\0';
	if (sscanf(buf + strlen(CACHE_MAGIC), " %7s %lld %zu %zu", kind, &t, &klen, &dlen) != 4)
		return -EBADMSG;
	for (size_t i = 0; i < ARRAY_SIZE(kind_names); i++)
		if (streq(kind, kind_names[i]))
			k = (int)i;
	hlen = (size_t)(nl + 1 - buf);
	if (k < 0 || klen > size || dlen > size || hlen + klen + dlen != size)
		return -EBADMSG;
	if (klen != strlen(key) || memcmp(nl + 1, key, klen) != 0)
		return -ENOENT; /* another key with the same hash */
	ret->kind = (enum cache_kind)k;
	ret->time = t;
	ret->len = dlen;
	memmove(buf, nl + 1 + klen, dlen);
	buf[dlen] = '\0';
	ret->data = buf;
	return 0;
}

int nfd__cache_get(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *key,
		   struct cache_entry *ret)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	char name[CACHE_NAME_LEN + 1];
	struct stat st;
	char *buf = NULL;
	int r;

	dfd = cache_dir_open(ctx, p);
	if (dfd < 0)
		return -ENOENT;
	cache_name(key, name);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > CACHE_ENTRY_MAX)
		r = -EBADMSG;
	else
		r = read_fd(fd, (size_t)st.st_size, &buf);
	if (r == 0)
		r = parse_entry(buf, (size_t)st.st_size, key, ret);
	if (r == -EBADMSG) {
		nfd_warn(ctx, "cache %s/%s: corrupt entry removed", p->cache_dir, name);
		unlinkat(dfd, name, 0);
	}
	if (r < 0) {
		free(buf);
		return r;
	}
	futimens(fd, NULL); /* least recently used goes first */
	return 0;
}

struct victim {
	struct timespec mtime;
	off_t size;
	char name[CACHE_NAME_LEN + 1];
};

static int victim_cmp(const void *a, const void *b)
{
	const struct victim *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Drop the least recently used entries until the total fits; keep is the
 * entry just written.  Leftover temporary files are removed too. */
static void cache_evict(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, int dfd,
			const char *keep)
{
	struct victim *v = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *de;
	int64_t now = nfd__cache_now();
	DIR *d;
	int fd = dup(dfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (strstartswith(de->d_name, WRITE_FILE_TMP_PREFIX)) {
			if (now - st.st_mtim.tv_sec > CACHE_TMP_STALE)
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (!is_entry_name(de->d_name))
			continue;
		total += (uint64_t)st.st_size;
		if (streq(de->d_name, keep))
			continue;
		if (n == cap) {
			struct victim *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!nv)
				goto out;
			v = nv;
		}
		v[n].mtime = st.st_mtim;
		v[n].size = st.st_size;
		memcpy(v[n].name, de->d_name, CACHE_NAME_LEN + 1);
		n++;
	}
	/* n == 0: only the entry just written is over the bound, and it stays */
	if (total <= p->cache_max_bytes || n == 0)
		goto out;
	qsort(v, n, sizeof(*v), victim_cmp);
	for (size_t i = 0; i < n && total > p->cache_max_bytes; i++) {
		/* a concurrent evictor may have been first: fine */
		if (unlinkat(dfd, v[i].name, 0) == 0 || errno == ENOENT)
			total -= (uint64_t)v[i].size;
	}
	nfd_info(ctx, "cache %s: evicted entries to stay under %" PRIu64 " bytes", p->cache_dir,
		 p->cache_max_bytes);
out:
	free(v);
	closedir(d);
}

int nfd__cache_put(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *key,
		   enum cache_kind kind, const char *data, size_t len)
{
	_cleanup_close_ int dfd = -1;
	char name[CACHE_NAME_LEN + 1], head[128];
	struct iovec iov[3];
	int r, hlen;

	dfd = cache_dir_open(ctx, p);
	if (dfd < 0)
		return dfd;
	cache_name(key, name);
	hlen = snprintf(head, sizeof(head), CACHE_MAGIC " %s %lld %zu %zu\n", kind_names[kind],
			(long long)nfd__cache_now(), strlen(key), len);
	iov[0] = (struct iovec){.iov_base = head, .iov_len = (size_t)hlen};
	iov[1] = (struct iovec){.iov_base = (void *)key, .iov_len = strlen(key)};
	iov[2] = (struct iovec){.iov_base = (void *)data, .iov_len = len};
	/* no fsync: an entry lost in a crash is only fetched again */
	r = write_file_replace(dfd, name, iov, 3, 0600, 0);
	if (r < 0) {
		nfd_warn(ctx, "cache %s: cannot write an entry: %s", p->cache_dir, strerror(-r));
		return r;
	}
	cache_evict(ctx, p, dfd, name);
	return 0;
}
