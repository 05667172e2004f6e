/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gunzip() (shared/inflate.h) against zlib: what zlib's deflate writes, at
 * every level and strategy, with every optional header field, decodes to
 * the original; every truncation of a file is refused; every one-bit
 * corruption of a small file is refused or accepted exactly as zlib's
 * inflate decides (the decoding of gunzip() and zlib must then agree); the
 * output cap and the members' boundaries hold.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shared/inflate.h"

#if HAVE_ZLIB
#include <zlib.h>

/* content compressed by zlib as one gzip member; *len bytes, free() */
static unsigned char *gz_member(const void *content, size_t n, int level, int strategy,
				gz_header *head, size_t *len)
{
	z_stream zs = {0};
	size_t cap = n + n / 2 + 4096;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, strategy), Z_OK);
	if (head)
		assert_int_equal(deflateSetHeader(&zs, head), Z_OK);
	zs.next_in = (unsigned char *)content;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/*
 * zlib's verdict on in: 0 and the output, or -1.  Members as gunzip()
 * takes them: one after another until the input ends exactly.
 */
static int zlib_gunzip(const unsigned char *in, size_t len, unsigned char **ret, size_t *ret_len)
{
	z_stream zs = {0};
	size_t cap = 1 << 16, have = 0;
	unsigned char *out = malloc(cap);
	int r = 0;

	assert_non_null(out);
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = (uInt)len;
	do {
		int z;

		if (zs.avail_in < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b) {
			r = -1;
			break;
		}
		assert_int_equal(inflateReset(&zs), Z_OK);
		do {
			if (have == cap) {
				cap *= 2;
				out = realloc(out, cap);
				assert_non_null(out);
			}
			zs.next_out = out + have;
			zs.avail_out = (uInt)(cap - have);
			z = inflate(&zs, Z_NO_FLUSH);
			have = cap - zs.avail_out;
		} while (z == Z_OK || (z == Z_BUF_ERROR && zs.avail_out == 0));
		if (z != Z_STREAM_END)
			r = -1;
	} while (r == 0 && zs.avail_in > 0);
	inflateEnd(&zs);
	if (r < 0) {
		free(out);
		return r;
	}
	*ret = out;
	*ret_len = have;
	return 0;
}

/* gunzip() of in must give exactly content */
static void expect_content(const unsigned char *in, size_t len, const void *content, size_t n)
{
	char *out = NULL;
	size_t out_len = 0;

	assert_int_equal(gunzip(in, len, 64u << 20, &out, &out_len), 0);
	assert_int_equal(out_len, n);
	assert_memory_equal(out, content, n);
	assert_int_equal(out[n], '\0');
	free(out);
}

/* Text like a kernel config, and bytes from a small PRNG: both kinds of input. */
static unsigned char *sample(size_t n, int kind)
{
	unsigned char *p = malloc(n + 1);
	uint32_t x = 2463534242u;

	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		if (kind == 0)
			p[i] = (unsigned char)"CONFIG_ABCDEFGH=ymn\n#_0123456789"[x % 32];
		else if (kind == 1)
			p[i] = (unsigned char)x;
		else
			p[i] = (unsigned char)(i % 7 == 0 ? x : 'a'); /* long runs */
	}
	return p;
}

static void test_levels_and_strategies(void **state)
{
	static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE,
					 Z_FIXED};
	static const size_t sizes[] = {0, 1, 7, 300, 70000, 300000};

	for (int kind = 0; kind < 3; kind++)
		for (size_t si = 0; si < sizeof(sizes) / sizeof(*sizes); si++) {
			unsigned char *text = sample(sizes[si], kind);

			for (int level = 0; level <= 9; level += 3)
				for (size_t st = 0; st < sizeof(strategies) / sizeof(*strategies);
				     st++) {
					size_t len;
					unsigned char *gz = gz_member(text, sizes[si], level,
								      strategies[st], NULL, &len);

					expect_content(gz, len, text, sizes[si]);
					free(gz);
				}
			free(text);
		}
}

static void test_header_fields(void **state)
{
	static const char text[] = "CONFIG_A=y\nCONFIG_B=m\n";
	unsigned char extra[300];
	gz_header h = {0};
	unsigned char *gz;
	size_t len;

	memset(extra, 'x', sizeof(extra));
	h.extra = extra;
	h.extra_len = sizeof(extra);
	h.name = (unsigned char *)"config";
	h.comment = (unsigned char *)"a comment";
	h.hcrc = 1;
	gz = gz_member(text, strlen(text), 6, Z_DEFAULT_STRATEGY, &h, &len);
	assert_int_equal(gz[3], 2 | 4 | 8 | 16);
	expect_content(gz, len, text, strlen(text));
	/* the header's CRC covers the name */
	gz[10 + 2 + sizeof(extra)] ^= 1;
	{
		char *out;
		size_t n;

		assert_int_equal(gunzip(gz, len, 1 << 20, &out, &n), -EBADMSG);
	}
	free(gz);
}

static void test_every_truncation(void **state)
{
	unsigned char *text = sample(5000, 0), *gz;
	size_t len;

	gz = gz_member(text, 5000, 6, Z_DEFAULT_STRATEGY, NULL, &len);
	for (size_t cut = 0; cut < len; cut++) {
		char *out;
		size_t n;

		if (gunzip(gz, cut, 1 << 20, &out, &n) != -EBADMSG)
			fail_msg("a file cut to %zu of %zu bytes was not refused", cut, len);
	}
	free(gz);
	free(text);
}

/* Each bit of small files flipped: gunzip() and zlib agree on every one. */
static void test_bit_flips_agree_with_zlib(void **state)
{
	static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY};

	for (size_t st = 0; st < sizeof(strategies) / sizeof(*strategies); st++) {
		unsigned char *text = sample(400, (int)st % 2), *gz;
		size_t len;
		int accepted = 0;

		gz = gz_member(text, 400, 9, strategies[st], NULL, &len);
		for (size_t bit = 0; bit < 8 * len; bit++) {
			unsigned char *want = NULL;
			char *got = NULL;
			size_t want_len = 0, got_len = 0;
			int zr, r;

			gz[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			zr = zlib_gunzip(gz, len, &want, &want_len);
			r = gunzip(gz, len, 1 << 20, &got, &got_len);
			if ((zr == 0) != (r == 0))
				fail_msg("bit %zu: zlib %s, gunzip() %d", bit,
					 zr == 0 ? "accepts" : "refuses", r);
			if (r == 0) {
				assert_int_equal(got_len, want_len);
				assert_memory_equal(got, want, want_len);
				accepted++;
			}
			free(want);
			free(got);
			gz[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
		/* the flips of MTIME, XFL and OS are accepted by both */
		assert_true(accepted >= 48);
		free(gz);
		free(text);
	}
}

static void test_members(void **state)
{
	unsigned char *a = sample(3000, 0), *b = sample(100000, 2), *ga, *gb, *both;
	size_t la, lb;
	char *out;
	size_t n;

	ga = gz_member(a, 3000, 6, Z_DEFAULT_STRATEGY, NULL, &la);
	gb = gz_member(b, 100000, 6, Z_DEFAULT_STRATEGY, NULL, &lb);
	both = malloc(la + lb + 2);
	assert_non_null(both);
	memcpy(both, ga, la);
	memcpy(both + la, gb, lb);
	assert_int_equal(gunzip(both, la + lb, 1 << 20, &out, &n), 0);
	assert_int_equal(n, 3000 + 100000);
	assert_memory_equal(out, a, 3000);
	assert_memory_equal(out + 3000, b, 100000);
	free(out);
	/* anything after the last member that does not start another */
	both[la + lb] = 0x1f;
	assert_int_equal(gunzip(both, la + lb + 1, 1 << 20, &out, &n), -EBADMSG);
	both[la + lb + 1] = 0x8b;
	assert_int_equal(gunzip(both, la + lb + 2, 1 << 20, &out, &n), -EBADMSG);
	free(both);
	free(ga);
	free(gb);
	free(a);
	free(b);
}

/*
 * A member's distances reach back only into its own output: a hand-made
 * second member (fixed codes) that copies from the first is refused.
 */
static void test_distance_stays_in_member(void **state)
{
	/* fixed block: length 3 (code 257, 7 bits 0000001), distance 1 (5 bits
	 * 00000), end of block (7 bits 0000000); then CRC and size of "" */
	static const unsigned char copy[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x03,
					     0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
	unsigned char *ga, *two;
	char *out;
	size_t la, n;

	ga = gz_member("abc", 3, 6, Z_DEFAULT_STRATEGY, NULL, &la);
	two = malloc(la + sizeof(copy));
	assert_non_null(two);
	memcpy(two, ga, la);
	memcpy(two + la, copy, sizeof(copy));
	assert_int_equal(gunzip(copy, sizeof(copy), 1 << 20, &out, &n), -EBADMSG);
	assert_int_equal(gunzip(two, la + sizeof(copy), 1 << 20, &out, &n), -EBADMSG);
	free(two);
	free(ga);
}

static void test_output_cap(void **state)
{
	unsigned char *zeros = calloc(1, 1 << 20), *gz;
	char *out;
	size_t len, n;

	assert_non_null(zeros);
	gz = gz_member(zeros, 1 << 20, 9, Z_DEFAULT_STRATEGY, NULL, &len);
	assert_int_equal(gunzip(gz, len, (1 << 20) - 1, &out, &n), -E2BIG);
	assert_int_equal(gunzip(gz, len, 1 << 20, &out, &n), 0);
	assert_int_equal(n, 1 << 20);
	free(out);
	/* a trailer that lies about the size changes nothing but the first guess */
	memcpy(gz + len - 4, "\xff\xff\xff\xff", 4);
	assert_int_equal(gunzip(gz, len, 1 << 20, &out, &n), -EBADMSG);
	memcpy(gz + len - 4, "\x10\0\0\0", 4);
	assert_int_equal(gunzip(gz, len, 1 << 20, &out, &n), -EBADMSG);
	free(gz);
	free(zeros);
}

/* Every length to 600 and some longer, at every alignment, as zlib computes
 * it (the folding path for 64 bytes and more where the CPU has it, the
 * table for the rest). */
static void test_crc32(void **state)
{
	unsigned char *p = sample(70000, 1);

	assert_int_equal(crc32_update(0, (const unsigned char *)"123456789", 9), 0xcbf43926u);
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 600; n++)
			assert_int_equal(crc32_update(0, p + off, n),
					 (uint32_t)crc32(0, p + off, (uInt)n));
	for (size_t n = 600; n <= 69000; n = n * 3 / 2 + 1)
		assert_int_equal(crc32_update(0, p + 3, n), (uint32_t)crc32(0, p + 3, (uInt)n));
	/* in pieces as in one */
	assert_int_equal(crc32_update(crc32_update(0, p, 13), p + 13, 987),
			 crc32_update(0, p, 1000));
	assert_int_equal(crc32_update(crc32_update(0, p, 200), p + 200, 69800),
			 (uint32_t)crc32(0, p, 70000));
	free(p);
}
#endif

/* No zlib needed: inputs that are not gzip at all. */
static void test_not_gzip(void **state)
{
	static const unsigned char stored_ok[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
						  /* final stored block, LEN 2, NLEN ~2, "hi" */
						  0x01, 0x02, 0x00, 0xfd, 0xff, 'h', 'i',
						  /* CRC-32 of "hi" (0xd8932aac) and the size */
						  0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0};
	unsigned char bad[sizeof(stored_ok)];
	char *out;
	size_t n;

	assert_int_equal(gunzip((const unsigned char *)"", 0, 100, &out, &n), -EBADMSG);
	assert_int_equal(gunzip((const unsigned char *)"CONFIG_A=y\n", 11, 100, &out, &n),
			 -EBADMSG);
	assert_int_equal(gunzip(stored_ok, sizeof(stored_ok), 100, &out, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out, "hi");
	free(out);
	assert_int_equal(gunzip(stored_ok, sizeof(stored_ok), 1, &out, &n), -E2BIG);
	/* NLEN that is not LEN's complement; method 7; a reserved flag; block type 3 */
	for (int k = 0; k < 4; k++) {
		static const size_t at[] = {13, 2, 3, 10};
		static const unsigned char val[] = {0xfe, 7, 0x20, 0x07};

		memcpy(bad, stored_ok, sizeof(bad));
		bad[at[k]] = val[k];
		assert_int_equal(gunzip(bad, sizeof(bad), 100, &out, &n), -EBADMSG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_gzip),
#if HAVE_ZLIB
		cmocka_unit_test(test_levels_and_strategies),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_bit_flips_agree_with_zlib),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_distance_stays_in_member),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_crc32),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
