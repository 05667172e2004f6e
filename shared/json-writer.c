/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>

#include "shared/json-writer.h"
#include "shared/macro.h"
#include "shared/util.h"

static const char hex[] = "0123456789abcdef";

/*
 * Bytes that end a run of plain ASCII copied as is: control characters, '"',
 * '\\', '<', '>', '&' and every byte of a multi-byte UTF-8 sequence.
 */
static const unsigned char special[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,	     ['<'] = 1,
	['>'] = 1,	     ['&'] = 1, [0x80 ... 0xff] = 1,
};

void json_write_string(struct strbuf *sb, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;

	/* room for the common case, a string with nothing to escape */
	strbuf_reserve(sb, len + 2);
	strbuf_putc(sb, '"');
	while (i < len) {
		unsigned char c;
		const char *esc = NULL;
		char ubuf[7];

		while (i < len && !special[s[i]])
			i++;
		if (i == len)
			break;
		c = s[i];
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode(str + i, len - i, &cp);

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
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
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

bool json_is_plain(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char any = 0;
	size_t i = 0;

	/* no branch per byte: the strings are short and mostly plain */
	for (; i + 4 <= len; i += 4)
		any |= special[s[i]] | special[s[i + 1]] | special[s[i + 2]] | special[s[i + 3]];
	for (; i < len; i++)
		any |= special[s[i]];
	return !any;
}

/* What json_write_cstr() copies in its one pass at most; a longer string
 * takes json_write_string(). */
#define PLAIN_MAX 256

void json_write_cstr(struct strbuf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;
	char *d;

	/* the quotes, PLAIN_MAX bytes and the NUL */
	if (sb->len + PLAIN_MAX + 3 > sb->cap && !strbuf_reserve(sb, PLAIN_MAX + 2))
		return;
	if (sb->oom)
		return;
	d = sb->buf + sb->len;
	d[0] = '"';
	/* '\0' is special (a control character): the copy stops at the end too */
	for (i = 0; i < PLAIN_MAX && !special[s[i]]; i++)
		d[1 + i] = (char)s[i];
	if (i < PLAIN_MAX && s[i] == '\0') {
		d[1 + i] = '"';
		d[2 + i] = '\0';
		sb->len += i + 2;
		return;
	}
	/* something to escape, or long: from the start, as a whole (nothing of
	 * the above counts yet: sb->len did not move) */
	json_write_string(sb, str, i + strlen(str + i));
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
