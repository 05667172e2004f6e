/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text as go-pretty v6.8.2 measures and wraps it, for the text report
 * (report-text.c): display widths (go-runewidth, escape sequences take no
 * room), TrimSpace, WrapText's hard wrap, and Go's upper-casing of names.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shared/macro.h"
#include "shared/util.h"
#include "libnfd/report-text-private.h"

/* Display width of one code point (go-runewidth, East Asian wide = 2). */
static int rune_width(uint32_t c)
{
	if (c == 0 || (c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || c == 0x200b)
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* The code point at s (before end) as Go's range over a string sees it: an
 * invalid byte is U+FFFD (one narrow character). */
static size_t next_rune_n(const char *s, const char *end, uint32_t *c)
{
	size_t n = utf8_decode(s, MIN((size_t)(end - s), (size_t)4), c);

	if (n == 0) {
		*c = 0xfffd;
		return 1;
	}
	return n;
}

size_t nfd__text_next_rune(const char *s, uint32_t *c)
{
	return next_rune_n(s, s + strnlen(s, 4), c);
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of an escape sequence at s ("\x1b[...m", ending before end), 0 if none. */
static size_t escape_len_n(const char *s, const char *end)
{
	size_t n = 2;

	if (end - s < 2 || s[0] != '\x1b' || s[1] != '[')
		return 0;
	while (s + n < end && !is_letter(s[n]))
		n++;
	return s + n < end ? n + 1 : n;
}

static size_t escape_len(const char *s)
{
	return escape_len_n(s, s + strlen(s));
}

/* go-pretty's StringWidthWithoutEscSequences of the len bytes at s. */
size_t nfd__text_width_n(const char *s, size_t len)
{
	const char *end = s + len;
	size_t w = 0;

	while (s < end) {
		size_t e;
		uint32_t c;

		/* printable ASCII, most of a report: one column, no decoding */
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {
			w++;
			s++;
			continue;
		}
		e = escape_len_n(s, end);
		if (e) {
			s += e;
			continue;
		}
		s += next_rune_n(s, end, &c);
		w += (size_t)rune_width(c);
	}
	return w;
}

size_t nfd__text_width(const char *s)
{
	return nfd__text_width_n(s, strlen(s));
}

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The length of the run of printable ASCII (0x20..0x7e) at the start of the
 * n bytes at s: eight bytes at a time, then one at a time. */
size_t nfd__text_ascii_run(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, del;

		memcpy(&x, s + i, 8);
		del = x ^ (ONES * 0x7f);
		/* a byte below 0x20, 0x7f, or 0x80 and above */
		if ((((x - ONES * 0x20) & ~x) | ((del - ONES) & ~del) | x) & HIGHS)
			break;
	}
	while (i < n && (unsigned char)(s[i] - 0x20) < 0x5f)
		i++;
	return i;
}

/* Measure s into *c; only what is not printable ASCII is decoded. */
void nfd__text_measure(struct cell *c, const char *s)
{
	size_t len = strlen(s), plain = nfd__text_ascii_run(s, len);

	c->s = s;
	c->len = len;
	c->width = plain;
	c->newline = false;
	if (plain < len) {
		c->newline = memchr(s + plain, '\n', len - plain) != NULL;
		c->width += nfd__text_width_n(s + plain, len - plain);
	}
}

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xa0;
}

/* strings.TrimSpace */
void nfd__text_trim(const char **s, size_t *len)
{
	uint32_t c;

	while (*len && is_space((unsigned char)**s))
		(*s)++, (*len)--;
	while (*len) {
		size_t i = *len - 1;

		while (i > 0 && ((unsigned char)(*s)[i] & 0xc0) == 0x80)
			i--;
		nfd__text_next_rune(*s + i, &c);
		if (!is_space(c))
			break;
		*len = i;
	}
}

/*
 * text.WrapText -> wrapHard: words joined by single spaces, a word that does
 * not fit broken at the exact width; escape sequences take no room and are
 * closed and reopened around line breaks.
 */
void nfd__text_wrap(struct strbuf *out, const char *s, size_t width)
{
	char last_esc[32] = "";
	size_t line = 0;
	const char *p = s;

	while (*p) {
		const char *word;
		size_t wlen, wwidth;
		bool last;

		while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && !(*p == ' ' || (*p >= '\t' && *p <= '\r')))
			p++;
		wlen = (size_t)(p - word);
		{
			_cleanup_free_ char *w = strndup(word, wlen);

			if (!w)
				return;
			wwidth = nfd__text_width(w);
			/* remember the last opening sequence of the word */
			for (const char *q = w; *q; q++) {
				size_t e = escape_len(q);

				if (e && e < sizeof(last_esc)) {
					if (strncmp(q, ESC_RESET, e) == 0)
						last_esc[0] = '\0';
					else
						snprintf(last_esc, sizeof(last_esc), "%.*s", (int)e,
							 q);
				}
			}
		}
		{
			const char *q = p;

			while (*q == ' ' || (*q >= '\t' && *q <= '\r'))
				q++;
			last = !*q;
		}
		if (line > 0) {
			strbuf_putc(out, ' ');
			line++;
		}
		if (line + wwidth <= width) {
			strbuf_append(out, word, wlen);
			line += wwidth;
		} else {
			for (const char *q = word; q < word + wlen;) {
				size_t e = escape_len(q);
				uint32_t c;
				size_t n;

				if (e) {
					strbuf_append(out, q, e);
					q += e;
					continue;
				}
				if (line >= width) {
					if (last_esc[0])
						strbuf_puts(out, ESC_RESET);
					strbuf_putc(out, '\n');
					strbuf_puts(out, last_esc);
					line = 0;
				}
				n = nfd__text_next_rune(q, &c);
				strbuf_append(out, q, n);
				line += (size_t)rune_width(c);
				q += n;
			}
		}
		if (line == width && !last) {
			if (last_esc[0])
				strbuf_puts(out, ESC_RESET);
			strbuf_putc(out, '\n');
			strbuf_puts(out, last_esc);
			line = 0;
		}
	}
}

/* unicode.ToUpper for the scripts rule names are written in. */
uint32_t nfd__text_to_upper(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7) ||
	    (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2) || (c >= 0x430 && c <= 0x44f))
		return c - 0x20;
	if (c == 0xff)
		return 0x178;
	if (c == 0xb5)
		return 0x39c;
	if (c == 0x3c2)
		return 0x3a3;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	/* Latin Extended-A and Cyrillic supplement: lower case is odd */
	if (((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177) ||
	     (c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
	     (c >= 0x4d0 && c <= 0x52f)) &&
	    (c & 1))
		return c - 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && !(c & 1))
		return c - 1;
	return c;
}

void nfd__text_put_rune(struct strbuf *sb, uint32_t c)
{
	char b[4];

	if (c < 0x80) {
		strbuf_putc(sb, (char)c);
		return;
	}
	if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		strbuf_append(sb, b, 2);
		return;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		strbuf_append(sb, b, 3);
		return;
	}
	b[0] = (char)(0xf0 | c >> 18);
	b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	b[3] = (char)(0x80 | (c & 0x3f));
	strbuf_append(sb, b, 4);
}
