/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CPUID provider: the CPUID/XGETBV instructions of the CPU we run on, or a
 * replay of a dump file.  Everything above this file goes through
 * nfd__cpuid_query()/nfd__cpuid_xcr0(), so a dump exercises exactly the code
 * that runs on a live host.
 *
 * Dump format (text, one record per line):
 *
 *     # comment                       blank lines and '#' comments are ignored
 *     CPUID <leaf>:<subleaf> = <eax> <ebx> <ecx> <edx>
 *     XGETBV 0 = <low> <high>
 *
 * All numbers are hexadecimal without "0x" (a "0x" prefix is accepted).
 * A (leaf, subleaf) that is not listed reads as four zero registers; a
 * missing XGETBV line means XCR0 = 0 (no OS-enabled AVX state).  Listing the
 * same (leaf, subleaf) twice is an error.  nfd__cpuid_dump_write() and the
 * nfd-cpuid-dump tool print this format for the live CPU.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/discovery/cpuid.h"
#include "shared/array.h"
#include "shared/root-open.h"
#include "shared/util.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_X86_CPUID 1
#else
#define HAVE_X86_CPUID 0
#endif

/* A dump over this size is not a dump. */
#define DUMP_MAX_BYTES (1024 * 1024)

struct cpuid_entry {
	uint32_t leaf;
	uint32_t subleaf;
	uint32_t regs[4];
};

struct nfd_cpuid {
	bool replay;
	char *path; /* the dump this was read from (replay only), to notice changes */
	struct cpuid_entry *entries; /* sorted by (leaf, subleaf) */
	size_t n_entries;
	uint64_t xcr0;
};

void nfd__cpuid_free(struct nfd_cpuid *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->entries);
	free(c);
}

static void cpuid_free_void(void *p)
{
	nfd__cpuid_free(p);
}

bool nfd__cpuid_is_replay(const struct nfd_cpuid *c)
{
	return c->replay;
}

#if HAVE_X86_CPUID
static void live_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	unsigned int a, b, c, d;

	__cpuid_count(leaf, subleaf, a, b, c, d);
	regs[NFD_EAX] = a;
	regs[NFD_EBX] = b;
	regs[NFD_ECX] = c;
	regs[NFD_EDX] = d;
}

static uint64_t live_xcr0(void)
{
	uint32_t regs[4], lo, hi;

#if defined(__i386__)
	/* 486-class CPUs without CPUID would fault on the instruction. */
	if (__get_cpuid_max(0, NULL) == 0)
		return 0;
#endif
	/* XGETBV raises #UD unless the OS set CR4.OSXSAVE (leaf 1 ECX bit 27). */
	live_cpuid(1, 0, regs);
	if (!(regs[NFD_ECX] & (1U << 27)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}
#endif

int nfd__cpuid_new_live(struct nfd_cpuid **ret)
{
#if HAVE_X86_CPUID
	struct nfd_cpuid *c;

#if defined(__i386__)
	if (__get_cpuid_max(0, NULL) == 0)
		return -EOPNOTSUPP;
#endif
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->xcr0 = live_xcr0();
	*ret = c;
	return 0;
#else
	(void)ret;
	return -EOPNOTSUPP;
#endif
}

static int entry_cmp(const void *a, const void *b)
{
	const struct cpuid_entry *x = a, *y = b;

	if (x->leaf != y->leaf)
		return x->leaf < y->leaf ? -1 : 1;
	if (x->subleaf != y->subleaf)
		return x->subleaf < y->subleaf ? -1 : 1;
	return 0;
}

void nfd__cpuid_query(const struct nfd_cpuid *c, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	const struct cpuid_entry key = {.leaf = leaf, .subleaf = subleaf};
	const struct cpuid_entry *e;

	if (!c->replay) {
#if HAVE_X86_CPUID
		live_cpuid(leaf, subleaf, regs);
		return;
#endif
	}
	memset(regs, 0, 4 * sizeof(regs[0]));
	if (c->n_entries == 0)
		return;
	e = bsearch(&key, c->entries, c->n_entries, sizeof(*e), entry_cmp);
	if (e)
		memcpy(regs, e->regs, sizeof(e->regs));
}

uint64_t nfd__cpuid_xcr0(const struct nfd_cpuid *c)
{
	return c->xcr0;
}

/* ------------------------------------------------------------ parsing */

/* One hex number (optional 0x) up to 32 bits; advances *p past it. */
static bool parse_hex32(const char **p, uint32_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	size_t digits = 0;

	s += strspn(s, " \t");
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;; s++, digits++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		v = v * 16 + (uint64_t)d;
		if (v > UINT32_MAX)
			return false;
	}
	if (digits == 0)
		return false;
	*ret = (uint32_t)v;
	*p = s;
	return true;
}

static bool expect_char(const char **p, char ch)
{
	*p += strspn(*p, " \t");
	if (**p != ch)
		return false;
	(*p)++;
	return true;
}

static bool at_end(const char *p)
{
	p += strspn(p, " \t\r");
	return *p == '\0' || *p == '#';
}

static int append_entry(struct nfd_cpuid *c, size_t *alloc, const struct cpuid_entry *e)
{
	if (ARRAY_RESERVE(c->entries, *alloc, c->n_entries + 1) < 0)
		return -ENOMEM;
	c->entries[c->n_entries++] = *e;
	return 0;
}

int nfd__cpuid_parse(struct nfd_ctx *ctx, const char *name, const char *buf, struct nfd_cpuid **ret)
{
	struct nfd_cpuid *c;
	size_t alloc = 0;
	unsigned int lineno = 0;
	bool have_xgetbv = false;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return nfd__oom(ctx);
	c->replay = true;

	for (const char *line = buf; line && *line;) {
		const char *eol = strchr(line, '\n');
		_cleanup_free_ char *l =
			memdup_str(line, eol ? (size_t)(eol - line) : strlen(line));
		const char *p;

		lineno++;
		line = eol ? eol + 1 : NULL;
		if (!l) {
			r = nfd__oom(ctx);
			goto fail;
		}
		p = l + strspn(l, " \t\r");
		if (at_end(p))
			continue;

		if (strncmp(p, "CPUID", 5) == 0 && (p[5] == ' ' || p[5] == '\t')) {
			struct cpuid_entry e = {};

			p += 5;
			if (!parse_hex32(&p, &e.leaf) || !expect_char(&p, ':') ||
			    !parse_hex32(&p, &e.subleaf) || !expect_char(&p, '='))
				goto bad_line;
			for (int i = 0; i < 4; i++)
				if (!parse_hex32(&p, &e.regs[i]))
					goto bad_line;
			if (!at_end(p))
				goto bad_line;
			r = append_entry(c, &alloc, &e);
			if (r < 0) {
				r = nfd__oom(ctx);
				goto fail;
			}
		} else if (strncmp(p, "XGETBV", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) {
			uint32_t index, lo, hi;

			p += 6;
			if (!parse_hex32(&p, &index) || !expect_char(&p, '=') ||
			    !parse_hex32(&p, &lo) || !parse_hex32(&p, &hi) || !at_end(p))
				goto bad_line;
			if (index != 0) {
				r = nfd__error(ctx, EBADMSG, "%s:%u: only XGETBV 0 (XCR0) is used",
					       name, lineno);
				goto fail;
			}
			if (have_xgetbv) {
				r = nfd__error(ctx, EBADMSG, "%s:%u: XGETBV 0 given twice", name,
					       lineno);
				goto fail;
			}
			have_xgetbv = true;
			c->xcr0 = ((uint64_t)hi << 32) | lo;
		} else
			goto bad_line;
	}

	if (c->n_entries > 0)
		qsort(c->entries, c->n_entries, sizeof(c->entries[0]), entry_cmp);
	for (size_t i = 1; i < c->n_entries; i++)
		if (entry_cmp(&c->entries[i - 1], &c->entries[i]) == 0) {
			r = nfd__error(ctx, EBADMSG,
				       "%s: CPUID %08" PRIx32 ":%" PRIx32 " given twice", name,
				       c->entries[i].leaf, c->entries[i].subleaf);
			goto fail;
		}

	*ret = c;
	return 0;

bad_line:
	r = nfd__error(ctx, EBADMSG,
		       "%s:%u: expected 'CPUID <leaf>:<subleaf> = <eax> <ebx> <ecx> <edx>' or "
		       "'XGETBV 0 = <low> <high>' (hexadecimal)",
		       name, lineno);
fail:
	nfd__cpuid_free(c);
	return r;
}

static int cpuid_load_dump(struct nfd_ctx *ctx, const char *path, struct nfd_cpuid **ret)
{
	_cleanup_free_ char *buf = NULL;
	struct nfd_cpuid *c;
	int r;

	/* a FIFO or device would never end: only a regular file, of bounded size */
	r = read_regular_file(NULL, path, DUMP_MAX_BYTES, &buf, NULL);
	if (r == -ENOMEM)
		return nfd__oom(ctx);
	if (r == -EINVAL)
		return nfd__error(ctx, EINVAL, "%s: cannot read CPUID dump: not a regular file",
				  path);
	if (r < 0)
		return nfd__error_read(ctx, r, path, "CPUID dumps");
	r = nfd__cpuid_parse(ctx, path, buf, &c);
	if (r < 0)
		return r;
	c->path = strdup(path);
	if (!c->path) {
		nfd__cpuid_free(c);
		return nfd__oom(ctx);
	}
	*ret = c;
	return 0;
}

int nfd__cpuid_get(struct nfd_ctx *ctx, const struct nfd_cpuid **ret)
{
	const char *dump = nfd__ctx_cpuid_dump(ctx);
	struct nfd_cpuid *c = nfd__ctx_get_cache(ctx, NFD_CACHE_CPUID);
	int r;

	/* The cached provider is still right if it came from the same source. */
	if (c && (dump ? c->path && streq(c->path, dump) : !c->replay)) {
		*ret = c;
		return 0;
	}

	if (dump)
		r = cpuid_load_dump(ctx, dump, &c);
	else {
		r = nfd__cpuid_new_live(&c);
		if (r == -EOPNOTSUPP)
			return nfd__error(ctx, EOPNOTSUPP,
					  "CPUID is not available on this architecture");
		if (r < 0)
			return nfd__oom(ctx);
	}
	if (r < 0)
		return r;
	nfd__ctx_set_cache(ctx, NFD_CACHE_CPUID, c, cpuid_free_void);
	*ret = c;
	return 0;
}

/* ------------------------------------------------------------ writing */

#if HAVE_X86_CPUID
static int dump_one(FILE *f, uint32_t leaf, uint32_t subleaf)
{
	uint32_t r[4];

	live_cpuid(leaf, subleaf, r);
	return fprintf(f,
		       "CPUID %08" PRIx32 ":%" PRIx32 " = %08" PRIx32 " %08" PRIx32 " %08" PRIx32
		       " %08" PRIx32 "\n",
		       leaf, subleaf, r[NFD_EAX], r[NFD_EBX], r[NFD_ECX], r[NFD_EDX]) < 0
		       ? -EIO
		       : 0;
}

/* Subleaf 0 always, higher subleaves up to max_sub only when not all zero. */
static int dump_subleaves(FILE *f, uint32_t leaf, uint32_t max_sub)
{
	int r = dump_one(f, leaf, 0);

	for (uint32_t s = 1; r == 0 && s <= max_sub; s++) {
		uint32_t regs[4];

		live_cpuid(leaf, s, regs);
		if (regs[0] | regs[1] | regs[2] | regs[3])
			r = dump_one(f, leaf, s);
	}
	return r;
}

/* How many subleaves a basic leaf has (that we record). */
static uint32_t basic_max_subleaf(uint32_t leaf)
{
	switch (leaf) {
	case 0x4: /* deterministic cache parameters */
	case 0x7:
	case 0xb:
	case 0xf:
	case 0x10:
	case 0x14:
	case 0x17:
	case 0x18:
	case 0x1d:
	case 0x1f:
	case 0x23:
	case 0x24:
		return 7;
	case 0xd: /* one subleaf per XSAVE state component */
		return 63;
	case 0x12: /* SGX: capabilities, attributes, then EPC sections */
		return 9;
	default:
		return 0;
	}
}

/*
 * Leaves NFD reads without checking the maximum leaf (RDT 0xF/0x10, SGX
 * 0x12, SST 0x16, the Hyper-V isolation leaf); recorded even out of range so
 * that a replay reads what the live CPU returned.
 */
static const uint32_t unchecked_leaves[] = {0xf, 0x10, 0x12, 0x16};

int nfd__cpuid_dump_write(FILE *f)
{
	uint32_t regs[4], max_basic, max_ext, max_hv;
	uint64_t xcr0;
	int r = 0;

#if defined(__i386__)
	if (__get_cpuid_max(0, NULL) == 0)
		return -EOPNOTSUPP;
#endif
	live_cpuid(0, 0, regs);
	max_basic = regs[NFD_EAX];
	if (fprintf(f, "# libnfd CPUID dump (format: see libnfd/discovery/cpuid-provider.c)\n") < 0)
		return -EIO;

	for (uint32_t leaf = 0; r == 0 && leaf <= max_basic && leaf <= 0xff; leaf++)
		r = dump_subleaves(f, leaf, basic_max_subleaf(leaf));
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(unchecked_leaves); i++)
		if (unchecked_leaves[i] > max_basic)
			r = dump_subleaves(f, unchecked_leaves[i],
					   basic_max_subleaf(unchecked_leaves[i]));

	live_cpuid(0x40000000, 0, regs);
	max_hv = regs[NFD_EAX];
	if (max_hv < 0x40000000 || max_hv > 0x400000ff)
		max_hv = 0x40000000;
	for (uint32_t leaf = 0x40000000; r == 0 && leaf <= max_hv; leaf++)
		r = dump_one(f, leaf, 0);
	/* The TDX_GUEST check reads this one whenever the max basic leaf is >= 0x20. */
	if (r == 0 && max_hv < 0x4000000c)
		r = dump_one(f, 0x4000000c, 0);

	live_cpuid(0x80000000, 0, regs);
	max_ext = regs[NFD_EAX];
	if (max_ext < 0x80000000 || max_ext > 0x800000ff)
		max_ext = 0x80000000;
	for (uint32_t leaf = 0x80000000; r == 0 && leaf <= max_ext; leaf++)
		r = dump_subleaves(f, leaf, leaf == 0x8000001d || leaf == 0x80000020 ? 7 : 0);
	if (r < 0)
		return r;

	xcr0 = live_xcr0();
	if (fprintf(f, "XGETBV 0 = %08" PRIx32 " %08" PRIx32 "\n", (uint32_t)xcr0,
		    (uint32_t)(xcr0 >> 32)) < 0)
		return -EIO;
	return fflush(f) == 0 ? 0 : -EIO;
}
#else
int nfd__cpuid_dump_write(FILE *f)
{
	(void)f;
	return -EOPNOTSUPP;
}
#endif
