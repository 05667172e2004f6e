/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A DEFLATE (RFC 1951) decoder and the gzip (RFC 1952) framing around it,
 * for the one compressed file discovery reads: /proc/config.gz.  Whole
 * buffers in, one growing buffer out, bounded; no streaming, no window
 * kept apart from the output (which is the window).
 *
 * What it accepts and refuses is zlib's (and Go's compress/gzip's, which
 * NFD uses): fuzz/fuzz-gunzip checks every input against zlib.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Decompress the gzip file in[0..len): one member or several one after the
 * other, and nothing else.  A file that does not start with gzip's magic,
 * ends inside a member, has bytes after the last member that do not start
 * another, or has a corrupt member (header, data, CRC or length) is
 * -EBADMSG.  More than max bytes of output is -E2BIG (its size is not
 * known: decoding stops there).  On success *ret is the output, NUL
 * terminated, for the caller to free(), and *ret_len its length.
 */
int gunzip(const unsigned char *in, size_t len, size_t max, char **ret, size_t *ret_len);

/* zlib's crc32(): CRC-32 (ISO 3309, as gzip uses it) of buf, continuing crc. */
uint32_t crc32_update(uint32_t crc, const unsigned char *buf, size_t len);

/*
 * The output side of inflate_raw(): buf holds len bytes and room for cap,
 * plus INFLATE_SLACK bytes past cap that a copy may scribble on.  Output
 * beyond max bytes is -E2BIG.
 */
#define INFLATE_SLACK 16
struct inflate_out {
	unsigned char *buf;
	size_t len, cap, max;
};

/*
 * Decode one raw DEFLATE stream starting at in[*pos], appending to out.
 * Returns 0 at the end of its final block, with *pos at the byte after it;
 * -EBADMSG for a corrupt or truncated stream, -E2BIG, -ENOMEM.
 */
int inflate_raw(const unsigned char *in, size_t len, size_t *pos, struct inflate_out *out);
