/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gzip members (RFC 1952) around inflate_raw(), and their CRC-32; see
 * inflate.h.  The checks are zlib's: method 8 only, no reserved flag bits,
 * the header's CRC when it carries one, and the trailer's CRC and length.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "shared/inflate.h"
#include "shared/util.h"

/* ------------------------------------------------------------------ CRC */

/* slice-by-8: table k advances a byte through k more zero bytes */
static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (int i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			crc_table[k][i] = crc_table[0][crc_table[k - 1][i] & 0xff] ^
					  (crc_table[k - 1][i] >> 8);
}

static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The CRC register (not inverted) over p[0..n), eight bytes a step. */
static uint32_t crc_slice8(uint32_t crc, const unsigned char *p, size_t n)
{
	const uint32_t(*t)[256] = (const uint32_t(*)[256])crc_table;

	pthread_once(&crc_once, crc_init);
	for (; n >= 8; p += 8, n -= 8) {
		uint32_t a = crc ^ le32(p), b = le32(p + 4);

		crc = t[7][a & 0xff] ^ t[6][(a >> 8) & 0xff] ^ t[5][(a >> 16) & 0xff] ^
		      t[4][a >> 24] ^ t[3][b & 0xff] ^ t[2][(b >> 8) & 0xff] ^
		      t[1][(b >> 16) & 0xff] ^ t[0][b >> 24];
	}
	while (n--)
		crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/*
 * Carry-less multiplication folding (Intel's "Fast CRC Computation for
 * Generic Polynomials Using PCLMULQDQ", for the bit-reflected CRC-32 of
 * gzip): four 128-bit lanes fold 64 bytes a step, then one lane, then
 * 128 -> 64 -> 32 bits with a Barrett reduction.  n >= 64, a multiple of
 * 16; the register goes in and comes out not inverted.  About a tenth of
 * slice-by-8's instructions on a 100 KiB kernel config.
 */
__attribute__((target("pclmul,sse4.1"))) static uint32_t crc_fold(uint32_t crc,
								  const unsigned char *p, size_t n)
{
	/* x^(4*128+32), x^(4*128-32); x^(128+32), x^(128-32); x^64; P(x), mu */
	const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
	const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
	const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
	const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
	__m128i x1 = _mm_loadu_si128((const __m128i *)p), x2, x3, x4, x5;

	x2 = _mm_loadu_si128((const __m128i *)(p + 16));
	x3 = _mm_loadu_si128((const __m128i *)(p + 32));
	x4 = _mm_loadu_si128((const __m128i *)(p + 48));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
		__m128i y1 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
		__m128i y2 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
		__m128i y3 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
		__m128i y4 = _mm_clmulepi64_si128(x4, k1k2, 0x00);

		x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k1k2, 0x11), y1);
		x2 = _mm_xor_si128(_mm_clmulepi64_si128(x2, k1k2, 0x11), y2);
		x3 = _mm_xor_si128(_mm_clmulepi64_si128(x3, k1k2, 0x11), y3);
		x4 = _mm_xor_si128(_mm_clmulepi64_si128(x4, k1k2, 0x11), y4);
		x1 = _mm_xor_si128(x1, _mm_loadu_si128((const __m128i *)p));
		x2 = _mm_xor_si128(x2, _mm_loadu_si128((const __m128i *)(p + 16)));
		x3 = _mm_xor_si128(x3, _mm_loadu_si128((const __m128i *)(p + 32)));
		x4 = _mm_xor_si128(x4, _mm_loadu_si128((const __m128i *)(p + 48)));
	}
	/* four lanes into one */
	x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x2), x5);
	x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x3), x5);
	x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
	x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), x4), x5);
	for (; n >= 16; p += 16, n -= 16) {
		x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
		x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11),
				   _mm_loadu_si128((const __m128i *)p));
		x1 = _mm_xor_si128(x1, x5);
	}
	/* 128 -> 64 bits */
	x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
	x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, low32);
	x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k5, 0x00), x2);
	/* Barrett reduction to 32 bits */
	x2 = _mm_and_si128(x1, low32);
	x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
	x2 = _mm_and_si128(x2, low32);
	x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return (uint32_t)_mm_extract_epi32(x1, 1);
}

static bool have_pclmul(void)
{
	static int have = -1; /* written once, the same value by any thread */

	if (__atomic_load_n(&have, __ATOMIC_RELAXED) < 0) {
		__builtin_cpu_init();
		__atomic_store_n(
			&have, __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1"),
			__ATOMIC_RELAXED);
	}
	return __atomic_load_n(&have, __ATOMIC_RELAXED) > 0;
}

/* A bit at a time: for the few bytes after crc_fold(), without the tables. */
static uint32_t crc_bitwise(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
	}
	return crc;
}
#endif

uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	if (n >= 64 && have_pclmul()) {
		size_t whole = n & ~(size_t)15;

		crc = crc_fold(crc, p, whole);
		return ~crc_bitwise(crc, p + whole, n - whole);
	}
#endif
	return ~crc_slice8(crc, p, n);
}

/* ----------------------------------------------------------------- gzip */

enum {
	FHCRC = 1 << 1,
	FEXTRA = 1 << 2,
	FNAME = 1 << 3,
	FCOMMENT = 1 << 4,
	FRESERVED = 0xe0,
};

/* Past a member's header at in[*pos]: 0 or -EBADMSG. */
static int skip_header(const unsigned char *in, size_t len, size_t *pos)
{
	size_t p = *pos, start = *pos;
	unsigned flags;

	if (len - p < 10 || in[p] != 0x1f || in[p + 1] != 0x8b || in[p + 2] != 8)
		return -EBADMSG;
	flags = in[p + 3];
	if (flags & FRESERVED)
		return -EBADMSG;
	p += 10; /* and the time, extra flags and system */
	if (flags & FEXTRA) {
		size_t xlen;

		if (len - p < 2)
			return -EBADMSG;
		xlen = in[p] | (size_t)in[p + 1] << 8;
		p += 2;
		if (len - p < xlen)
			return -EBADMSG;
		p += xlen;
	}
	for (unsigned f = FNAME; f <= FCOMMENT; f <<= 1) {
		const unsigned char *nul;

		if (!(flags & f))
			continue;
		nul = memchr(in + p, 0, len - p);
		if (!nul)
			return -EBADMSG;
		p = (size_t)(nul - in) + 1;
	}
	if (flags & FHCRC) {
		if (len - p < 2 || (crc32_update(0, in + start, p - start) & 0xffff) !=
					   (in[p] | (unsigned)in[p + 1] << 8))
			return -EBADMSG;
		p += 2;
	}
	*pos = p;
	return 0;
}

int gunzip(const unsigned char *in, size_t len, size_t max, char **ret, size_t *ret_len)
{
	struct inflate_out o = {.max = max};
	size_t pos = 0, hint = 0;
	int r = 0;

	/*
	 * The last member's trailer holds its size mod 2^32: the output buffer
	 * starts that large, bounded by max and by what DEFLATE can expand the
	 * input to (1032:1), so a lying trailer cannot make it allocate much.
	 */
	if (len >= 18)
		hint = MIN(MIN((size_t)le32(in + len - 4), max),
			   len > SIZE_MAX / 1032 ? max : len * 1032);
	o.cap = MIN(MAX(hint, (size_t)4096), max);
	o.buf = malloc(o.cap + INFLATE_SLACK);
	if (!o.buf)
		return -ENOMEM;
	/* decoding writes every byte of it: mapped in one call */
	populate_pages(o.buf, 0, o.cap);
	do {
		size_t start = o.len;

		r = skip_header(in, len, &pos);
		if (r >= 0)
			r = inflate_raw(in, len, &pos, &o);
		if (r >= 0 && (len - pos < 8 ||
			       le32(in + pos) != crc32_update(0, o.buf + start, o.len - start) ||
			       le32(in + pos + 4) != (uint32_t)(o.len - start)))
			r = -EBADMSG;
		pos += 8;
	} while (r >= 0 && pos < len);
	if (r < 0) {
		free(o.buf);
		return r;
	}
	o.buf[o.len] = '\0';
	*ret = (char *)o.buf;
	*ret_len = o.len;
	return 0;
}
