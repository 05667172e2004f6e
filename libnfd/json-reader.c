/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pull reader behind features documents and NodeFeature lists (see
 * json-reader.h).  Skipping is the hot path: a fleet's list is mostly
 * kernel.config strings that a spec never looks at, so strings are scanned
 * with a byte-class table and only decoded when the caller keeps them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "shared/macro.h"
#include "shared/util.h"
#include "libnfd/json-reader.h"

enum { C_PLAIN, C_QUOTE, C_ESCAPE, C_CONTROL, C_HIGH };

/* the byte classes inside a string */
static const unsigned char str_class[256] = {
	[0 ... 0x1f] = C_CONTROL,
	['"'] = C_QUOTE,
	['\\'] = C_ESCAPE,
	[0x80 ... 0xff] = C_HIGH,
};

void jr_init(struct json_reader *jr, struct nfd_ctx *ctx, const char *name, const char *buf,
	     size_t len)
{
	memset(jr, 0, sizeof(*jr));
	jr->ctx = ctx;
	jr->name = name;
	jr->start = jr->p = buf;
	jr->end = buf + len;
	strbuf_init(&jr->str[0]);
	strbuf_init(&jr->str[1]);
}

void jr_release(struct json_reader *jr)
{
	strbuf_release(&jr->str[0]);
	strbuf_release(&jr->str[1]);
}

int jr_fail(struct json_reader *jr, int err, const char *fmt, ...)
{
	unsigned long line = 1, col = 1;
	char msg[512];
	va_list ap;

	if (jr->error)
		return jr->error;
	/* positions are only worked out for the message */
	for (const char *s = jr->start; s < jr->p; s++) {
		if (*s == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jr->error = nfd__error(jr->ctx, err, "%s:%lu:%lu: %s", jr->name, line, col, msg);
	return jr->error;
}

#define skip_ws jr__skip_ws

static inline bool is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

const char *jr__skip_ws_run(const char *p, const char *end)
{
#if defined(__SSE2__)
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
						  _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
				     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
						  _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')))));

		if (m != 0xffff)
			return p + __builtin_ctz(~m);
		p += 16;
	}
#endif
	while (p < end && is_ws(*p))
		p++;
	return p;
}

const char *jr_type_name(struct json_reader *jr)
{
	char c = jr_peek(jr);

	switch (c) {
	case '{':
		return "an object";
	case '[':
		return "an array";
	case '"':
		return "a string";
	case 't':
	case 'f':
		return "a boolean";
	case 'n':
		return "null";
	default:
		if (c == '-' || (c >= '0' && c <= '9')) {
			for (const char *s = jr->p + 1; s < jr->end; s++) {
				if (*s == '.' || *s == 'e' || *s == 'E')
					return "a number";
				if (!(*s >= '0' && *s <= '9'))
					break;
			}
			return "an integer";
		}
		if (jr->p >= jr->end)
			return "the end of the input (truncated?)";
		return "something else";
	}
}

static int skip_value(struct json_reader *jr);

static int unexpected(struct json_reader *jr, const char *want)
{
	if (jr->p >= jr->end)
		return jr_fail(jr, EBADMSG, "unexpected end of the input, expected %s", want);
	if ((unsigned char)*jr->p < 0x20 || (unsigned char)*jr->p >= 0x7f)
		return jr_fail(jr, EBADMSG, "unexpected byte 0x%02x, expected %s",
			       (unsigned char)*jr->p, want);
	return jr_fail(jr, EBADMSG, "unexpected '%c', expected %s", *jr->p, want);
}

static int hex4(const char *s, uint32_t *ret)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*ret = v;
	return 0;
}

static void put_utf8(struct strbuf *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	strbuf_append(out, b, n);
}

/* \uXXXX (and its low surrogate) at s (after the backslash and 'u'); the
 * number of bytes after the 'u' consumed, or -1. */
static int unicode_escape(const char *s, const char *end, uint32_t *ret)
{
	uint32_t cp, lo;

	if (end - s < 4 || hex4(s, &cp) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return -1;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (end - s < 10 || s[4] != '\\' || s[5] != 'u' || hex4(s + 6, &lo) < 0 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return -1;
		*ret = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		return 10;
	}
	*ret = cp;
	return 4;
}

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The high bit of each of the 8 bytes in x that is '"', '\\', a control
 * character or above 0x7f (the bytes str_class does not call plain).  Bytes
 * above the first such byte may be flagged wrongly, never the first one. */
static inline uint64_t special8(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

	return ((q - ONES) & ~q & HIGHS) | ((b - ONES) & ~b & HIGHS) |
	       ((x - ONES * 0x20) & ~x & HIGHS) | (x & HIGHS);
}

static int scan_string_slow(struct json_reader *jr, struct strbuf *out, const unsigned char *s);

/* A string at jr->p (its opening quote); decoded into out when out != NULL.
 * The common case, a string of plain bytes passed over, stays inline. */
static inline int scan_string(struct json_reader *jr, struct strbuf *out)
{
	const unsigned char *s = (const unsigned char *)jr->p + 1;
	const unsigned char *end = (const unsigned char *)jr->end;

#if defined(__SSE2__)
	if (!out) {
		const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
		const __m128i space = _mm_set1_epi8(0x20);

		/* sixteen bytes at a time: as signed bytes, controls and bytes
		 * above 0x7f are both below 0x20 */
		while (end - s >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bs)),
				_mm_cmplt_epi8(x, space)));

			if (m) {
				s += __builtin_ctz(m);
				if (*s == '"') {
					jr->p = (const char *)s + 1;
					return 0;
				}
				break;
			}
			s += 16;
		}
	}
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (!out) {
		while (end - s >= 8) {
			uint64_t x, m;

			memcpy(&x, s, 8);
			m = special8(x);
			if (m) {
				s += __builtin_ctzll(m) >> 3;
				if (*s == '"') {
					jr->p = (const char *)s + 1;
					return 0;
				}
				break;
			}
			s += 8;
		}
	}
#endif
	return scan_string_slow(jr, out, s);
}

/* scan_string() from s, a position in the string (its first byte when
 * decoding into out) */
static int scan_string_slow(struct json_reader *jr, struct strbuf *out, const unsigned char *s)
{
	const unsigned char *end = (const unsigned char *)jr->end;

	for (;;) {
		const unsigned char *run = s;

		/* eight bytes at a time while none is special */
		while (end - s >= 8) {
			uint64_t x;

			memcpy(&x, s, 8);
			if (special8(x))
				break;
			s += 8;
		}
		while (s < end && str_class[*s] == C_PLAIN)
			s++;
		if (out && s > run)
			strbuf_append(out, (const char *)run, (size_t)(s - run));
		if (s >= end) {
			jr->p = (const char *)s;
			return jr_fail(jr, EBADMSG, "unexpected end of the input in a string");
		}
		switch (str_class[*s]) {
		case C_QUOTE:
			jr->p = (const char *)s + 1;
			if (out && out->oom)
				return jr_fail(jr, ENOMEM, "out of memory");
			return 0;
		case C_CONTROL:
			jr->p = (const char *)s;
			return jr_fail(jr, EBADMSG, "control character 0x%02x in a string", *s);
		case C_HIGH: {
			uint32_t cp;
			size_t n = utf8_decode((const char *)s, (size_t)(end - s), &cp);

			if (n == 0) {
				jr->p = (const char *)s;
				return jr_fail(jr, EBADMSG, "invalid UTF-8 in a string");
			}
			if (out)
				strbuf_append(out, (const char *)s, n);
			s += n;
			break;
		}
		default: { /* C_ESCAPE */
			static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
			const char *m;
			uint32_t cp;
			int n;

			jr->escaped = true;
			if (end - s < 2) {
				jr->p = (const char *)end;
				return jr_fail(jr, EBADMSG,
					       "unexpected end of the input in a string");
			}
			if (s[1] == 'u') {
				n = unicode_escape((const char *)s + 2, (const char *)end, &cp);
				if (n < 0) {
					jr->p = (const char *)s;
					return jr_fail(jr, EBADMSG, "invalid \\u escape");
				}
				if (out)
					put_utf8(out, cp);
				s += 2 + n;
				break;
			}
			m = s[1] ? strchr(simple, s[1]) : NULL;
			if (!m || (m - simple) % 2) {
				jr->p = (const char *)s;
				return jr_fail(jr, EBADMSG, "invalid escape in a string");
			}
			if (out)
				strbuf_putc(out, m[1]);
			s += 2;
			break;
		}
		}
	}
}

static int scan_number(struct json_reader *jr)
{
	const char *s = jr->p, *end = jr->end;

	if (s < end && *s == '-')
		s++;
	if (s < end && *s == '0') {
		s++;
	} else if (s < end && *s >= '1' && *s <= '9') {
		while (s < end && *s >= '0' && *s <= '9')
			s++;
	} else {
		jr->p = s;
		return unexpected(jr, "a digit");
	}
	if (s < end && *s == '.') {
		s++;
		if (!(s < end && *s >= '0' && *s <= '9')) {
			jr->p = s;
			return unexpected(jr, "a digit");
		}
		while (s < end && *s >= '0' && *s <= '9')
			s++;
	}
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < end && (*s == '+' || *s == '-'))
			s++;
		if (!(s < end && *s >= '0' && *s <= '9')) {
			jr->p = s;
			return unexpected(jr, "a digit");
		}
		while (s < end && *s >= '0' && *s <= '9')
			s++;
	}
	jr->p = s;
	return 0;
}

static int scan_literal(struct json_reader *jr, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(jr->end - jr->p) < n || memcmp(jr->p, lit, n) != 0)
		return unexpected(jr, "a value");
	jr->p += n;
	return 0;
}

static int enter(struct json_reader *jr)
{
	if (jr->depth >= JR_MAX_DEPTH)
		return jr_fail(jr, EBADMSG, "nested deeper than the maximum parsing depth (%d)",
			       JR_MAX_DEPTH);
	jr->depth++;
	jr->p++;
	return 0;
}

int jr_object_begin(struct json_reader *jr)
{
	if (jr_peek(jr) != '{')
		return jr->error ? jr->error : unexpected(jr, "'{'");
	return enter(jr);
}

int jr_array_begin(struct json_reader *jr)
{
	if (jr_peek(jr) != '[')
		return jr->error ? jr->error : unexpected(jr, "'['");
	return enter(jr);
}

/* After an element: ',' (another follows: 1) or the closing bracket (0). */
static int next_element(struct json_reader *jr, bool *first, char close)
{
	char c = jr_peek(jr);

	if (jr->error)
		return jr->error;
	if (c == close) {
		jr->p++;
		jr->depth--;
		return 0;
	}
	if (*first) {
		*first = false;
		return 1;
	}
	if (c != ',')
		return unexpected(jr, close == '}' ? "',' or '}'" : "',' or ']'");
	jr->p++;
	skip_ws(jr);
	return 1;
}

int jr_object_next(struct json_reader *jr, bool *first, const char **key)
{
	struct strbuf *k = &jr->str[0];
	int r = next_element(jr, first, '}');

	if (r <= 0)
		return r;
	if (jr->p >= jr->end || *jr->p != '"')
		return unexpected(jr, "a string (an object key)");
	strbuf_truncate(k, 0);
	r = scan_string(jr, k);
	if (r < 0)
		return r;
	if (jr_peek(jr) != ':')
		return jr->error ? jr->error : unexpected(jr, "':'");
	jr->p++;
	*key = strbuf_str(k);
	return 1;
}

int jr_object_next_raw(struct json_reader *jr, bool *first, const char **key, size_t *len)
{
	const char *start;
	int r = next_element(jr, first, '}');

	if (r <= 0)
		return r;
	if (jr->p >= jr->end || *jr->p != '"')
		return unexpected(jr, "a string (an object key)");
	start = jr->p;
	jr->escaped = false;
	if ((r = scan_string(jr, NULL)) < 0)
		return r;
	if (jr->escaped) {
		/* decoded after all (rare: a key with escapes) */
		struct strbuf *k = &jr->str[0];
		const char *after = jr->p;

		strbuf_truncate(k, 0);
		jr->p = start;
		if ((r = scan_string(jr, k)) < 0)
			return r;
		jr->p = after;
		*key = strbuf_str(k);
		*len = strlen(*key); /* as a C string: up to a \u0000 */
	} else {
		*key = start + 1;
		*len = (size_t)(jr->p - start - 2);
	}
	if (jr_peek(jr) != ':')
		return jr->error ? jr->error : unexpected(jr, "':'");
	jr->p++;
	return 1;
}

int jr_array_next(struct json_reader *jr, bool *first)
{
	if (jr->progress && !*first)
		jr->progress(jr);
	return next_element(jr, first, ']');
}

int jr_string(struct json_reader *jr, const char **ret, size_t *len)
{
	struct strbuf *v = &jr->str[1];
	int r;

	if (jr_peek(jr) != '"')
		return jr->error ? jr->error : unexpected(jr, "a string");
	strbuf_truncate(v, 0);
	r = scan_string(jr, v);
	if (r < 0)
		return r;
	*ret = strbuf_str(v);
	if (len)
		*len = v->len;
	return 0;
}

int jr_string_raw(struct json_reader *jr, const char **ret, size_t *len)
{
	const char *start;
	int r;

	if (jr_peek(jr) != '"')
		return jr->error ? jr->error : unexpected(jr, "a string");
	start = jr->p;
	jr->escaped = false;
	if ((r = scan_string(jr, NULL)) < 0)
		return r;
	if (jr->escaped) {
		/* decoded after all (rare: a value with escapes) */
		struct strbuf *v = &jr->str[1];
		const char *after = jr->p;

		strbuf_truncate(v, 0);
		jr->p = start;
		if ((r = scan_string(jr, v)) < 0)
			return r;
		jr->p = after;
		*ret = strbuf_str(v);
		*len = strlen(*ret);
	} else {
		*ret = start + 1;
		*len = (size_t)(jr->p - start - 2);
	}
	return 0;
}

int jr_null(struct json_reader *jr)
{
	if (jr_peek(jr) != 'n')
		return 0;
	return scan_literal(jr, "null") < 0 ? jr->error : 1;
}

int jr_skip(struct json_reader *jr)
{
	/* most values skipped are strings (kernel.config) */
	if (jr_peek(jr) == '"')
		return scan_string(jr, NULL);
	return skip_value(jr);
}

static int skip_value(struct json_reader *jr)
{
	int base = jr->depth;
	char stack[JR_MAX_DEPTH];

	for (;;) {
		char c = jr_peek(jr);
		int r = 0; /* an empty container sets none */

		if (jr->error)
			return jr->error;
		switch (c) {
		case '{':
		case '[':
			if (enter(jr) < 0)
				return jr->error;
			stack[jr->depth - base - 1] = c;
			/* an empty container, or the first key */
			if (jr_peek(jr) == (c == '{' ? '}' : ']')) {
				jr->p++;
				jr->depth--;
				break;
			}
			if (c == '{')
				goto key;
			continue;
		case '"':
			r = scan_string(jr, NULL);
			break;
		case 't':
			r = scan_literal(jr, "true");
			break;
		case 'f':
			r = scan_literal(jr, "false");
			break;
		case 'n':
			r = scan_literal(jr, "null");
			break;
		default:
			if (c != '-' && !(c >= '0' && c <= '9'))
				return unexpected(jr, "a value");
			r = scan_number(jr);
			break;
		}
		if (r < 0)
			return r;
		/* a value is done: close containers or move to the next element */
		for (;;) {
			char open, n;

			if (jr->depth == base)
				return 0;
			open = stack[jr->depth - base - 1];
			n = jr_peek(jr);
			if (n == (open == '{' ? '}' : ']')) {
				jr->p++;
				jr->depth--;
				continue;
			}
			if (n != ',')
				return unexpected(jr, open == '{' ? "',' or '}'" : "',' or ']'");
			jr->p++;
			if (open == '{')
				goto key;
			break;
		}
		continue;
	key:
		if (jr_peek(jr) != '"')
			return jr->error ? jr->error : unexpected(jr, "a string (an object key)");
		if (scan_string(jr, NULL) < 0)
			return jr->error;
		if (jr_peek(jr) != ':')
			return jr->error ? jr->error : unexpected(jr, "':'");
		jr->p++;
	}
}

int jr_finish(struct json_reader *jr)
{
	if (jr->error)
		return jr->error;
	skip_ws(jr);
	if (jr->p < jr->end)
		return jr_fail(jr, EBADMSG, "end of file expected");
	return 0;
}
