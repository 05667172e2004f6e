/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DEFLATE decoding (RFC 1951), see inflate.h.
 *
 * Bits come from a 64-bit buffer refilled eight bytes at a time while eight
 * remain, so one refill covers a whole length/distance pair (at most 48
 * bits).  Past the end of the input the buffer is fed zero bytes, counted;
 * a symbol that took any of them ends the stream as truncated before it
 * is used, so a cut stream writes nothing a whole one would not.
 *
 * A Huffman code is looked up in one table indexed by the next FAST bits;
 * the rare longer codes (and the holes of an incomplete code) are decoded
 * canonically, bit by bit, from the per-length counts.  Codes are checked
 * as zlib's inflate_table() checks them: an over-subscribed set is refused,
 * an incomplete one too unless it is a single code of one bit (a literal
 * tree with one symbol, or a distance tree that is never used).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "shared/inflate.h"
#include "shared/macro.h"

#define MAX_BITS   15
#define LIT_FAST   10
#define DIST_FAST  8
#define LIT_CODES  288
#define DIST_CODES 32

struct bits {
	const unsigned char *p, *end;
	uint64_t buf;
	unsigned cnt;	/* valid bits in buf */
	unsigned zeros; /* zero bytes fed past the end of the input */
};

/* At least 56 bits in the buffer. */
static inline void refill(struct bits *b)
{
	if (b->end - b->p >= 8) {
		uint64_t w;

		memcpy(&w, b->p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		b->buf |= w << b->cnt;
		b->p += (63 - b->cnt) >> 3;
		b->cnt |= 56;
		return;
	}
	while (b->cnt <= 56) {
		if (b->p < b->end)
			b->buf |= (uint64_t)*b->p++ << b->cnt;
		else
			b->zeros++;
		b->cnt += 8;
	}
}

/* Whether the bits taken so far went past the end of the input. */
static inline bool overran(const struct bits *b)
{
	return __builtin_expect(b->cnt < 8 * b->zeros, 0);
}

static inline uint32_t getbits(struct bits *b, unsigned n)
{
	uint32_t v = (uint32_t)(b->buf & ((UINT64_C(1) << n) - 1));

	b->buf >>= n;
	b->cnt -= n;
	return v;
}

/*
 * A fast entry is len << 9 | symbol; 0 sends the lookup to the canonical
 * decode (a code longer than the table's bits, or none).
 */
struct huffman {
	uint16_t count[MAX_BITS + 1]; /* codes of each length */
	uint16_t symbol[LIT_CODES];   /* symbols in canonical order */
	unsigned fast_bits;
	uint16_t fast[1u << LIT_FAST];
};

static unsigned reverse_bits(unsigned code, unsigned len)
{
	unsigned r = 0;

	for (unsigned i = 0; i < len; i++, code >>= 1)
		r = r << 1 | (code & 1);
	return r;
}

/* The code for lens[0..n); -EBADMSG for a set zlib refuses. */
static int huffman_build(struct huffman *h, const uint8_t *lens, unsigned n, unsigned fast_bits,
			 bool lengths_code)
{
	uint16_t offs[MAX_BITS + 2];
	unsigned max = 0, code = 0, k = 0;
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	memset(h->fast, 0, sizeof(h->fast[0]) << fast_bits);
	h->fast_bits = fast_bits;
	for (unsigned s = 0; s < n; s++)
		h->count[lens[s]]++;
	for (unsigned l = 1; l <= MAX_BITS; l++)
		if (h->count[l])
			max = l;
	if (max == 0)
		return 0; /* no codes: any use of it is an invalid code */
	for (unsigned l = 1; l <= MAX_BITS; l++) {
		left = 2 * left - h->count[l];
		if (left < 0)
			return -EBADMSG; /* over-subscribed */
	}
	if (left > 0 && (lengths_code || max != 1))
		return -EBADMSG; /* incomplete */
	offs[1] = 0;
	for (unsigned l = 1; l <= MAX_BITS; l++)
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (unsigned s = 0; s < n; s++)
		if (lens[s])
			h->symbol[offs[lens[s]]++] = (uint16_t)s;
	/* codes of each length are consecutive, in symbol order */
	for (unsigned l = 1; l <= max; l++, code <<= 1)
		for (unsigned i = 0; i < h->count[l]; i++, code++, k++) {
			if (l > fast_bits)
				continue;
			for (unsigned j = reverse_bits(code, l); j < 1u << fast_bits; j += 1u << l)
				h->fast[j] = (uint16_t)(l << 9 | h->symbol[k]);
		}
	return 0;
}

/* Canonical decode, one bit at a time (the buffer holds at least 15). */
static int decode_slow(struct bits *b, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;

	for (unsigned l = 1; l <= MAX_BITS; l++) {
		int count = h->count[l];

		code |= (int)getbits(b, 1);
		if (code - count < first)
			return h->symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

static inline int decode(struct bits *b, const struct huffman *h)
{
	unsigned e = h->fast[b->buf & ((1u << h->fast_bits) - 1)];

	if (e) {
		b->buf >>= e >> 9;
		b->cnt -= e >> 9;
		return (int)(e & 511);
	}
	return decode_slow(b, h);
}

/* Room for n more bytes of output (and the slack): 0, -E2BIG, -ENOMEM. */
static int out_reserve(struct inflate_out *o, size_t n)
{
	size_t cap;
	unsigned char *p;

	if (o->len + n <= o->cap)
		return 0;
	if (n > o->max || o->len > o->max - n)
		return -E2BIG;
	cap = MAX(o->cap * 2, o->len + n);
	cap = MIN(MAX(cap, (size_t)4096), o->max);
	p = realloc(o->buf, cap + INFLATE_SLACK);
	if (!p)
		return -ENOMEM;
	o->buf = p;
	o->cap = cap;
	return 0;
}

static const uint16_t len_base[29] = {3,  4,  5,  6,   7,   8,	 9,   10,  11, 13,
				      15, 17, 19, 23,  27,  31,	 35,  43,  51, 59,
				      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
	1,   2,	  3,   4,   5,	 7,    9,    13,   17,	 25,   33,   49,   65,	  97,	 129,
	193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,	3,  3,	4,  4,	5,  5,	6,
				       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* The symbols of one compressed block, up to its end-of-block code. */
static int inflate_codes(struct bits *b, const struct huffman *lit, const struct huffman *dist,
			 struct inflate_out *o, size_t base)
{
	for (;;) {
		unsigned char *d;
		const unsigned char *s;
		size_t n, back;
		int sym, r;

		/* a length/distance pair takes at most 48 bits: literals share refills */
		if (b->cnt < 48)
			refill(b);
		sym = decode(b, lit);
		if (sym < 256) {
			if (sym < 0 || overran(b))
				return -EBADMSG;
			if (o->len == o->cap && (r = out_reserve(o, 1)) < 0)
				return r;
			o->buf[o->len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			return -EBADMSG; /* 286 and 287 */
		n = len_base[sym] + getbits(b, len_extra[sym]);
		sym = decode(b, dist);
		if (sym < 0 || sym >= 30)
			return -EBADMSG;
		back = dist_base[sym] + getbits(b, dist_extra[sym]);
		if (overran(b) || back > o->len - base)
			return -EBADMSG; /* before the start of this stream's output */
		if (o->len + n > o->cap && (r = out_reserve(o, n)) < 0)
			return r;
		d = o->buf + o->len;
		s = d - back;
		o->len += n;
		if (back >= 8) {
			/* 8 bytes at a time: each read is of bytes already written;
			 * the last may run into the slack */
			for (size_t i = 0; i < n; i += 8)
				memcpy(d + i, s + i, 8);
		} else if (back == 1) {
			memset(d, s[0], n);
		} else {
			for (size_t i = 0; i < n; i++)
				d[i] = s[i];
		}
	}
}

static int inflate_stored(struct bits *b, struct inflate_out *o)
{
	size_t avail;
	unsigned n, nn;
	int r;

	/* to a byte boundary, then give the buffered whole bytes back */
	getbits(b, b->cnt & 7);
	if (overran(b))
		return -EBADMSG;
	b->p -= b->cnt / 8 - b->zeros;
	b->buf = 0;
	b->cnt = 0;
	b->zeros = 0;
	if (b->end - b->p < 4)
		return -EBADMSG;
	n = b->p[0] | (unsigned)b->p[1] << 8;
	nn = b->p[2] | (unsigned)b->p[3] << 8;
	b->p += 4;
	if (n != (~nn & 0xffff))
		return -EBADMSG;
	avail = (size_t)(b->end - b->p);
	if (n > avail)
		return -EBADMSG;
	if (n == 0)
		return 0;
	if ((r = out_reserve(o, n)) < 0)
		return r;
	memcpy(o->buf + o->len, b->p, n);
	o->len += n;
	b->p += n;
	return 0;
}

static void fixed_codes(struct huffman *lit, struct huffman *dist)
{
	uint8_t lens[LIT_CODES];

	memset(lens, 8, 144);
	memset(lens + 144, 9, 112);
	memset(lens + 256, 7, 24);
	memset(lens + 280, 8, 8);
	(void)huffman_build(lit, lens, LIT_CODES, LIT_FAST, false);
	memset(lens, 5, DIST_CODES);
	(void)huffman_build(dist, lens, DIST_CODES, DIST_FAST, false);
}

static int dynamic_codes(struct bits *b, struct huffman *lit, struct huffman *dist)
{
	static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					  11, 4,  12, 3, 13, 2, 14, 1, 15};
	uint8_t lens[LIT_CODES + DIST_CODES];
	unsigned nlit, ndist, ncode, i = 0;
	int r;

	refill(b);
	nlit = getbits(b, 5) + 257;
	ndist = getbits(b, 5) + 1;
	ncode = getbits(b, 4) + 4;
	if (nlit > 286 || ndist > 30)
		return -EBADMSG;
	memset(lens, 0, sizeof(lens));
	for (unsigned k = 0; k < ncode; k++) {
		if (k % 16 == 0)
			refill(b);
		lens[order[k]] = (uint8_t)getbits(b, 3);
	}
	/* the code-length code is built in lit's storage, used, then replaced */
	if (huffman_build(lit, lens, 19, 7, true) < 0)
		return -EBADMSG;
	memset(lens, 0, sizeof(lens));
	while (i < nlit + ndist) {
		unsigned rep;
		uint8_t v = 0;
		int sym;

		refill(b);
		sym = decode(b, lit);
		if (sym < 0 || overran(b))
			return -EBADMSG;
		if (sym < 16) {
			lens[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return -EBADMSG; /* nothing to repeat */
			v = lens[i - 1];
			rep = 3 + getbits(b, 2);
		} else if (sym == 17) {
			rep = 3 + getbits(b, 3);
		} else {
			rep = 11 + getbits(b, 7);
		}
		if (overran(b) || i + rep > nlit + ndist)
			return -EBADMSG;
		memset(lens + i, v, rep);
		i += rep;
	}
	if (lens[256] == 0)
		return -EBADMSG; /* no end-of-block code */
	r = huffman_build(lit, lens, nlit, LIT_FAST, false);
	if (r >= 0)
		r = huffman_build(dist, lens + nlit, ndist, DIST_FAST, false);
	return r;
}

int inflate_raw(const unsigned char *in, size_t len, size_t *pos, struct inflate_out *out)
{
	struct bits b = {.p = in + *pos, .end = in + len};
	struct huffman *lit, *dist;
	size_t base = out->len;
	unsigned final = 0;
	int r = 0;

	if (*pos > len)
		return -EBADMSG;
	/* about 3 KiB: on the heap, for callers with small stacks */
	lit = malloc(sizeof(*lit));
	dist = malloc(sizeof(*dist));
	if (!lit || !dist) {
		free(lit);
		free(dist);
		return -ENOMEM;
	}
	while (r >= 0 && !final) {
		unsigned type;

		refill(&b);
		final = getbits(&b, 1);
		type = getbits(&b, 2);
		if (type == 0) {
			r = inflate_stored(&b, out);
		} else if (type == 1) {
			fixed_codes(lit, dist);
			r = inflate_codes(&b, lit, dist, out, base);
		} else if (type == 2) {
			r = dynamic_codes(&b, lit, dist);
			if (r >= 0)
				r = inflate_codes(&b, lit, dist, out, base);
		} else {
			r = -EBADMSG;
		}
	}
	free(lit);
	free(dist);
	if (r < 0)
		return r;
	/* the bits eaten must all be real; unused whole bytes go back */
	if (overran(&b))
		return -EBADMSG;
	*pos = (size_t)(b.p - in) - (b.cnt / 8 - b.zeros);
	return 0;
}
