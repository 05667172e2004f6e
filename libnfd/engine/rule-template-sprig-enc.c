/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sprig v3.3.0's defaults, reflection, encodings, checksums and JSON
 * (Masterminds/sprig defaults.go, reflect.go, crypto.go, functions.go):
 * checksums through libcrypto, JSON as Go's encoding/json writes it.
 */
#include <inttypes.h>
#include "libnfd/jansson-dl.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/util.h"
#include "libnfd/oci/oci-crypto.h"
#include "shared/json-writer.h"

/* --------------------------------------------------------------- defaults */

TMPL_FN(fn_default)
{
	(void)x;
	*ret = n < 2 || nfd__tmpl_empty(&a[1]) ? a[0] : a[1];
	return 0;
}

TMPL_FN(fn_empty)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_bool(nfd__tmpl_empty(&a[0]));
	return 0;
}

TMPL_FN(fn_coalesce)
{
	(void)x;
	*ret = (struct tmpl_val){.k = TMPL_NIL};
	for (size_t i = 0; i < n; i++)
		if (!nfd__tmpl_empty(&a[i])) {
			*ret = a[i];
			break;
		}
	return 0;
}

TMPL_FN(fn_all)
{
	bool b = true;

	(void)x;
	for (size_t i = 0; i < n; i++)
		b = b && !nfd__tmpl_empty(&a[i]);
	*ret = nfd__tmpl_bool(b);
	return 0;
}

TMPL_FN(fn_any)
{
	bool b = n == 0 ? false : false;

	(void)x;
	for (size_t i = 0; i < n; i++)
		b = b || !nfd__tmpl_empty(&a[i]);
	*ret = nfd__tmpl_bool(b);
	return 0;
}

/* ternary true-value false-value condition */
TMPL_FN(fn_ternary)
{
	(void)n;
	if (a[2].k != TMPL_BOOL)
		return nfd__tmpl_err(x, "wrong type for value; expected bool; got %s",
				     nfd__tmpl_type_name(&a[2]));
	*ret = a[2].b ? a[0] : a[1];
	return 0;
}

TMPL_FN(fn_fail)
{
	TMPL_WANT_STR(0, msg);

	(void)n, (void)ret;
	return nfd__tmpl_err(x, "%s", msg);
}

/* ------------------------------------------------------------- reflection */

/* typeOf, kindOf: what namer calls a[0] */
static int name_of(struct tmpl_exec *x, const struct tmpl_val *a,
		   const char *(*namer)(const struct tmpl_val *), struct tmpl_val *ret)
{
	(void)x;
	*ret = nfd__tmpl_str(namer(&a[0]));
	return 0;
}

/* typeIs, kindIs: does namer call a[1] what a[0] says?  like (typeIsLike):
 * "*T" matches T too */
static int name_is(struct tmpl_exec *x, const struct tmpl_val *a,
		   const char *(*namer)(const struct tmpl_val *), bool like, struct tmpl_val *ret)
{
	const char *name;
	TMPL_WANT_STR(0, t);

	name = namer(&a[1]);
	*ret = nfd__tmpl_bool(streq(t, name) || (like && t[0] == '*' && streq(t + 1, name)));
	return 0;
}

TMPL_FN_CALL(fn_typeof, name_of(x, a, nfd__tmpl_type_name, ret))
TMPL_FN_CALL(fn_typeis, name_is(x, a, nfd__tmpl_type_name, false, ret))
TMPL_FN_CALL(fn_typeislike, name_is(x, a, nfd__tmpl_type_name, true, ret))
TMPL_FN_CALL(fn_kindof, name_of(x, a, nfd__tmpl_kind_name, ret))
TMPL_FN_CALL(fn_kindis, name_is(x, a, nfd__tmpl_kind_name, false, ret))

TMPL_FN(fn_deepequal)
{
	(void)x, (void)n;
	*ret = nfd__tmpl_bool(nfd__tmpl_deep_equal(&a[0], &a[1]));
	return 0;
}

/* -------------------------------------------------------------- encodings */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

TMPL_FN(fn_b64enc)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *s;
	size_t len;
	TMPL_WANT_STR(0, str);

	(void)n;
	s = (const unsigned char *)str;
	len = strlen(str);
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		strbuf_putc(&sb, b64[v >> 18]);
		strbuf_putc(&sb, b64[(v >> 12) & 63]);
		strbuf_putc(&sb, i + 1 < len ? b64[(v >> 6) & 63] : '=');
		strbuf_putc(&sb, i + 2 < len ? b64[v & 63] : '=');
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

/* base64.StdEncoding.DecodeString; an error is the result's text, as Sprig does */
TMPL_FN(fn_b64dec)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t acc = 0;
	size_t len, bits = 0, i, pad = 0;
	TMPL_WANT_STR(0, s);

	(void)n;
	len = strlen(s);
	for (i = 0; i < len; i++) {
		const char *p = strchr(b64, s[i]);

		if (s[i] == '\n' || s[i] == '\r')
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (!p || !s[i] || pad)
			break;
		acc = (acc << 6) | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_putc(&sb, (char)(acc >> bits));
		}
	}
	if (i < len || (len % 4 && !pad) || bits >= 6 || (pad && (len % 4 || pad > 2)) ||
	    (pad && (bits != (pad == 1 ? 2 : 4)))) {
		strbuf_release(&sb);
		strbuf_appendf(&sb, "illegal base64 data at input byte %zu", i < len ? i : len);
		if (i >= len && len % 4 == 0 && pad)
			strbuf_truncate(&sb, 0),
				strbuf_appendf(&sb, "illegal base64 data at input byte %zu",
					       len - pad);
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_b32enc)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *s;
	size_t len;
	TMPL_WANT_STR(0, str);

	(void)n;
	s = (const unsigned char *)str;
	len = strlen(str);
	for (size_t i = 0; i < len; i += 5) {
		uint64_t v = 0;
		size_t k = len - i < 5 ? len - i : 5;
		static const int chars[] = {0, 2, 4, 5, 7, 8};

		for (size_t j = 0; j < 5; j++)
			v = (v << 8) | (j < k ? s[i + j] : 0);
		for (int j = 0; j < 8; j++)
			strbuf_putc(&sb, j < chars[k] ? b32[(v >> (35 - 5 * j)) & 31] : '=');
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN(fn_b32dec)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t acc = 0;
	size_t len, bits = 0, i;
	TMPL_WANT_STR(0, s);

	(void)n;
	len = strlen(s);
	for (i = 0; i < len && s[i] != '='; i++) {
		const char *p = strchr(b32, s[i]);

		if (!p || !s[i])
			break;
		acc = (acc << 5) | (uint64_t)(p - b32);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			strbuf_putc(&sb, (char)(acc >> bits));
		}
	}
	if ((i < len && s[i] != '=') || len % 8) {
		strbuf_release(&sb);
		strbuf_appendf(&sb, "illegal base32 data at input byte %zu", i < len ? i : len);
	}
	return nfd__tmpl_take_str(x, &sb, ret);
}

static int digest(struct tmpl_exec *x, const struct tmpl_val *a, int which, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[NFD_HEX_DIGEST_MAX];
	const char *msg;
	TMPL_WANT_STR(0, s);

	if (nfd__crypto_hex_digest(which, s, strlen(s), hex, sizeof(hex), &msg) < 0)
		return nfd__tmpl_err(x, "%s", msg);
	strbuf_puts(&sb, hex);
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN_CALL(fn_sha1sum, digest(x, a, 1, ret))

TMPL_FN_CALL(fn_sha256sum, digest(x, a, 256, ret))

TMPL_FN_CALL(fn_sha512sum, digest(x, a, 512, ret))

/* Adler-32 (RFC 1950, section 8.2): two sums modulo 65521, the largest
 * prime below 2^16; Go's hash/adler32 and zlib compute the same. */
static uint32_t adler32_of(const unsigned char *p, size_t len)
{
	uint32_t a = 1, b = 0;

	while (len) {
		/* 5552 bytes is the most that cannot overflow b before the modulo */
		size_t k = len < 5552 ? len : 5552;

		len -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

TMPL_FN(fn_adler32sum)
{
	struct strbuf sb = STRBUF_INIT;
	TMPL_WANT_STR(0, s);

	(void)n;
	strbuf_appendf(&sb, "%" PRIu32, adler32_of((const unsigned char *)s, strlen(s)));
	return nfd__tmpl_take_str(x, &sb, ret);
}

/* ------------------------------------------------------------------- JSON */

static void json_float(struct strbuf *sb, double f)
{
	/* encoding/json: 'f' within [1e-6, 1e21), else 'e' with a short exponent */
	double af = fabs(f);

	if (af != 0 && (af < 1e-6 || af >= 1e21)) {
		struct strbuf tmp = STRBUF_INIT;
		char *e;

		nfd__tmpl_print_float(&tmp, f, 'e', -1, false);
		if (!strbuf_str(&tmp))
			return;
		e = strchr(tmp.buf, 'e');
		if (e && e[2] == '0' && e[3]) /* e-07 -> e-7 */
			memmove(e + 2, e + 3, strlen(e + 3) + 1);
		strbuf_puts(sb, tmp.buf);
		strbuf_release(&tmp);
		return;
	}
	nfd__tmpl_print_float(sb, f, 'f', -1, false);
}

/* toPrettyJson: a new line indented to level (nothing without indent) */
static void newline(struct strbuf *sb, int indent, int level)
{
	if (!indent)
		return;
	strbuf_putc(sb, '\n');
	for (int j = 0; j < level * indent; j++)
		strbuf_putc(sb, ' ');
}

static int to_json(struct tmpl_exec *x, struct strbuf *sb, const struct tmpl_val *v, int indent,
		   int level)
{
	if (level > TEMPLATE_MAX_DEPTH)
		return nfd__tmpl_err(x, "json: nesting too deep");
	switch (v->k) {
	case TMPL_NIL:
		strbuf_puts(sb, "null");
		return 0;
	case TMPL_STR:
		json_write_cstr(sb, v->s);
		return 0;
	case TMPL_INT:
		strbuf_appendf(sb, "%lld", (long long)v->i);
		return 0;
	case TMPL_FLOAT:
		if (!isfinite(v->f))
			return -EINVAL; /* json: unsupported value */
		json_float(sb, v->f);
		return 0;
	case TMPL_BOOL:
		strbuf_puts(sb, v->b ? "true" : "false");
		return 0;
	case TMPL_LIST:
		if (!v->l) {
			strbuf_puts(sb, "null");
			return 0;
		}
		strbuf_putc(sb, '[');
		for (size_t i = 0; i < v->l->n; i++) {
			if (i)
				strbuf_putc(sb, ',');
			newline(sb, indent, level + 1);
			if (to_json(x, sb, &v->l->items[i], indent, level + 1) < 0)
				return -EINVAL;
		}
		if (v->l->n)
			newline(sb, indent, level);
		strbuf_putc(sb, ']');
		return 0;
	case TMPL_MAP:
		if (!v->m) {
			strbuf_puts(sb, "null");
			return 0;
		}
		strbuf_putc(sb, '{');
		for (size_t i = 0; i < v->m->n; i++) {
			if (i)
				strbuf_putc(sb, ',');
			newline(sb, indent, level + 1);
			json_write_cstr(sb, v->m->keys[i]);
			strbuf_puts(sb, indent ? ": " : ":");
			if (to_json(x, sb, &v->m->vals[i], indent, level + 1) < 0)
				return -EINVAL;
		}
		if (v->m->n)
			newline(sb, indent, level);
		strbuf_putc(sb, '}');
		return 0;
	}
	return -EINVAL;
}

/* toRawJson: <, > and & as they are (outside escapes) */
static void unescape_html(struct strbuf *sb)
{
	size_t o = 0;

	for (size_t i = 0; sb->buf && i < sb->len; i++) {
		if (sb->buf[i] == '\\' && i + 5 < sb->len && sb->buf[i + 1] == 'u') {
			const char *u = sb->buf + i + 2;
			char c = strncmp(u, "003c", 4) == 0   ? '<'
				 : strncmp(u, "003e", 4) == 0 ? '>'
				 : strncmp(u, "0026", 4) == 0 ? '&'
							      : 0;
			if (c) {
				sb->buf[o++] = c;
				i += 5;
				continue;
			}
		}
		if (sb->buf[i] == '\\' && i + 1 < sb->len) {
			sb->buf[o++] = sb->buf[i++];
		}
		sb->buf[o++] = sb->buf[i];
	}
	if (sb->buf)
		strbuf_truncate(sb, o);
}

static int json_out(struct tmpl_exec *x, const struct tmpl_val *v, int indent, bool raw, bool must,
		    struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;

	if (to_json(x, &sb, v, indent, 0) < 0) {
		strbuf_release(&sb);
		if (x->err)
			return -EINVAL;
		if (must)
			return nfd__tmpl_err(x, "json: unsupported value");
		*ret = nfd__tmpl_str("");
		return 0;
	}
	if (raw)
		unescape_html(&sb);
	return nfd__tmpl_take_str(x, &sb, ret);
}

TMPL_FN_CALL(fn_tojson, json_out(x, &a[0], 0, false, false, ret))

TMPL_FN_CALL(fn_musttojson, json_out(x, &a[0], 0, false, true, ret))

TMPL_FN_CALL(fn_toprettyjson, json_out(x, &a[0], 2, false, false, ret))

TMPL_FN_CALL(fn_musttoprettyjson, json_out(x, &a[0], 2, false, true, ret))

TMPL_FN_CALL(fn_torawjson, json_out(x, &a[0], 0, true, false, ret))

TMPL_FN_CALL(fn_musttorawjson, json_out(x, &a[0], 0, true, true, ret))

static int from_json(struct tmpl_exec *x, json_t *j, struct tmpl_val *ret, int level)
{
	if (level > TEMPLATE_MAX_DEPTH || nfd__tmpl_charge(x, 1) < 0)
		return nfd__tmpl_err(x, "json: nesting too deep");
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		size_t k = 0, cnt = json_object_size(j);
		const char **keys = nfd__tmpl_alloc(x, (cnt + 1) * sizeof(*keys));
		struct tmpl_val *vals = nfd__tmpl_alloc(x, (cnt + 1) * sizeof(*vals));
		const char *key;
		json_t *v;

		if (!keys || !vals)
			return -EINVAL;
		json_object_foreach(j, key, v)
		{
			keys[k] = arena_strdup(x->a, key);
			if (!keys[k] || from_json(x, v, &vals[k], level + 1) < 0)
				return nfd__tmpl_err(x, "out of memory");
			k++;
		}
		return nfd__tmpl_map_from(x, keys, vals, k, ret);
	}
	case JSON_ARRAY: {
		struct tmpl_list *l = nfd__tmpl_list_new(x, json_array_size(j));

		if (!l)
			return -EINVAL;
		for (size_t i = 0; i < l->n; i++)
			if (from_json(x, json_array_get(j, i), &l->items[i], level + 1) < 0)
				return -EINVAL;
		*ret = (struct tmpl_val){.k = TMPL_LIST, .l = l};
		return 0;
	}
	case JSON_STRING: {
		const char *s = arena_strndup(x->a, json_string_value(j), json_string_length(j));

		if (!s)
			return nfd__tmpl_err(x, "out of memory");
		*ret = nfd__tmpl_str(s);
		return 0;
	}
	case JSON_INTEGER:
		*ret = nfd__tmpl_float((double)json_integer_value(j));
		return 0;
	case JSON_REAL:
		*ret = nfd__tmpl_float(json_real_value(j));
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		*ret = nfd__tmpl_bool(json_is_true(j));
		return 0;
	default:
		*ret = (struct tmpl_val){.k = TMPL_NIL};
		return 0;
	}
}

static int parse_json(struct tmpl_exec *x, const struct tmpl_val *a, bool must,
		      struct tmpl_val *ret)
{
	json_error_t jerr;
	json_t *j;
	int r;
	TMPL_WANT_STR(0, s);

	j = json_loads(s, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr);
	if (!j) {
		if (must)
			return nfd__tmpl_err(x, "%s", jerr.text);
		*ret = (struct tmpl_val){.k = TMPL_NIL};
		return 0;
	}
	r = from_json(x, j, ret, 0);
	json_decref(j);
	return r;
}

TMPL_FN_CALL(fn_fromjson, parse_json(x, a, false, ret))

TMPL_FN_CALL(fn_mustfromjson, parse_json(x, a, true, ret))

const struct tmpl_func nfd__tmpl_sprig_enc_funcs[] = {
	{"default", fn_default, 1, -1},
	{"empty", fn_empty, 1, 1},
	{"coalesce", fn_coalesce, 0, -1},
	{"all", fn_all, 0, -1},
	{"any", fn_any, 0, -1},
	{"ternary", fn_ternary, 3, 3},
	{"fail", fn_fail, 1, 1},
	{"typeOf", fn_typeof, 1, 1},
	{"typeIs", fn_typeis, 2, 2},
	{"typeIsLike", fn_typeislike, 2, 2},
	{"kindOf", fn_kindof, 1, 1},
	{"kindIs", fn_kindis, 2, 2},
	{"deepEqual", fn_deepequal, 2, 2},
	{"b64enc", fn_b64enc, 1, 1},
	{"b64dec", fn_b64dec, 1, 1},
	{"b32enc", fn_b32enc, 1, 1},
	{"b32dec", fn_b32dec, 1, 1},
	{"sha1sum", fn_sha1sum, 1, 1},
	{"sha256sum", fn_sha256sum, 1, 1},
	{"sha512sum", fn_sha512sum, 1, 1},
	{"adler32sum", fn_adler32sum, 1, 1},
	{"toJson", fn_tojson, 1, 1},
	{"mustToJson", fn_musttojson, 1, 1},
	{"toPrettyJson", fn_toprettyjson, 1, 1},
	{"mustToPrettyJson", fn_musttoprettyjson, 1, 1},
	{"toRawJson", fn_torawjson, 1, 1},
	{"mustToRawJson", fn_musttorawjson, 1, 1},
	{"fromJson", fn_fromjson, 1, 1},
	{"mustFromJson", fn_mustfromjson, 1, 1},
	{NULL, NULL, 0, 0},
};
