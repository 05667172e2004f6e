/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Differential fuzz target: libnfd's DEFLATE and gzip decoder
 * (shared/inflate.h) against zlib, on the same bytes.  The first byte picks
 * the form of the rest: even, a raw DEFLATE stream (so that mutations reach
 * the block and Huffman decoding, with no CRC in the way); odd, a gzip file
 * (one member or several).  Both decoders must accept or refuse alike, give
 * the same bytes, and for a raw stream stop at the same input byte.  Output
 * over the cap must be -E2BIG exactly when zlib produces more than the cap.
 * The CRC-32 of the rest, at whatever length and alignment, must be zlib's.
 */
#include <errno.h>
#include <stdbool.h>
#include <zlib.h>

#include "fuzz.h"
#include "shared/inflate.h"

#define CAP (256u << 10)

struct zresult {
	int ok; /* 1: a whole stream (or file), 0: refused */
	unsigned char *out;
	size_t len;	 /* output, up to CAP + 1 bytes */
	size_t consumed; /* raw: input bytes up to the end of the stream */
};

/* zlib's reading of in: raw (windowBits -15) or gzip members until the end. */
static void zlib_decode(const unsigned char *in, size_t n, bool raw, struct zresult *z)
{
	z_stream zs = {0};
	int r = Z_OK;

	z->out = malloc(CAP + 1);
	if (!z->out || inflateInit2(&zs, raw ? -15 : 15 + 16) != Z_OK)
		abort();
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = z->out;
	zs.avail_out = CAP + 1;
	z->ok = 0;
	for (;;) {
		if (!raw && (zs.avail_in < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b))
			break;
		if (inflateReset(&zs) != Z_OK)
			abort();
		do
			r = inflate(&zs, Z_NO_FLUSH);
		while (r == Z_OK && zs.avail_out > 0);
		if (r != Z_STREAM_END)
			break;
		if (raw || zs.avail_in == 0) {
			z->ok = 1;
			break;
		}
	}
	z->len = CAP + 1 - zs.avail_out;
	z->consumed = n - zs.avail_in;
	inflateEnd(&zs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zresult z;
	bool raw;
	char *out = NULL;
	size_t len = 0;
	int r;

	if (size < 1)
		return 0;
	raw = !(data[0] & 1);
	data++, size--;
	/* the CRC of any bytes at any alignment (gzip's trailers check only whole members) */
	if (crc32_update(0, data, size) != (uint32_t)crc32(0, data, (uInt)size))
		abort();
	zlib_decode(data, size, raw, &z);
	if (raw) {
		struct inflate_out o = {.max = CAP};
		size_t pos = 0;

		r = inflate_raw(data, size, &pos, &o);
		if (r == 0 && (!z.ok || pos != z.consumed))
			abort();
		if (r == 0)
			out = (char *)o.buf, len = o.len;
		else
			free(o.buf);
	} else {
		r = gunzip(data, size, CAP, &out, &len);
	}
	if (r == -E2BIG) {
		if (z.len <= CAP)
			abort(); /* zlib stayed within the cap */
	} else if (r == -ENOMEM) {
		/* nothing to compare */
	} else if ((r == 0) != (z.ok && z.len <= CAP)) {
		abort(); /* one accepts what the other refuses */
	} else if (r == 0 && (len != z.len || (len && memcmp(out, z.out, len) != 0))) {
		abort(); /* same verdict, different bytes */
	}
	free(out);
	free(z.out);
	return 0;
}
