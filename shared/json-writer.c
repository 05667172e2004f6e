// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdint.h>

#include "shared/json-writer.h"
#include "shared/macro.h"

static const char hex[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and > U+10FFFF are invalid, as Go decides */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_write_string(struct strbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	strbuf_putc(sb, '"');
	while (i < len) {
		unsigned char c = s[i];
		const char *esc = NULL;
		char ubuf[7];

		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' &&
		    c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_seq_len(s + i, len - i);
			if (n == 0) {
				strbuf_append(sb, str + start, i - start);
				strbuf_puts(sb, "\\ufffd");
				i++;
				start = i;
				continue;
			}
			/* U+2028 / U+2029 break JavaScript; Go escapes them */
			if (n == 3 && c == 0xe2 && s[i + 1] == 0x80 &&
			    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
				strbuf_append(sb, str + start, i - start);
				strbuf_puts(sb, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
				i += 3;
				start = i;
				continue;
			}
			i += n;
			continue;
		}
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			ubuf[0] = '\\', ubuf[1] = 'u', ubuf[2] = '0', ubuf[3] = '0';
			ubuf[4] = hex[c >> 4], ubuf[5] = hex[c & 0xf], ubuf[6] = '\0';
			esc = ubuf;
		}
		strbuf_append(sb, str + start, i - start);
		strbuf_puts(sb, esc);
		i++;
		start = i;
	}
	strbuf_append(sb, str + start, i - start);
	strbuf_putc(sb, '"');
}

void json_write_indent(struct strbuf *sb, int level)
{
	/* one append per line: the export JSON has a few thousand of them */
	static const char spaces[] = "\n"
				     "                                "
				     "                                ";
	const size_t chunk = sizeof(spaces) - 2; /* a multiple of 4 */
	size_t n = 4 * (size_t)(level > 0 ? level : 0);

	strbuf_append(sb, spaces, 1 + MIN(n, chunk));
	for (n -= MIN(n, chunk); n > 0; n -= MIN(n, chunk))
		strbuf_append(sb, spaces + 1, MIN(n, chunk));
}
