/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Go's fmt.Sprintf for template values (printf): the verbs of
 * src/fmt/doc.go for bools, integers, floats, strings, lists and maps,
 * the flags + - # 0 and space, width and precision (decimal, * or with
 * an argument index), %[n] argument indexes, and Go's inline complaints
 * (%!d(string=x), %!d(MISSING), %!(EXTRA ...), %!(BADWIDTH) ...) instead of
 * errors.  Width and precision count runes for strings, as Go does.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/util.h"

#define MAX_WIDTH 1000000 /* Go's tooLarge() */

struct spec {
	bool plus, minus, sharp, zero, space;
	bool has_width, has_prec;
	int width, prec;
	char verb;
};

static size_t rune_count(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		uint32_t c;
		size_t l = utf8_decode(s + i, len - i, &c);

		i += l ? l : 1;
		n++;
	}
	return n;
}

/* Pad s (len bytes) to the width with spaces, or zeros after any sign. */
static void pad(struct strbuf *sb, const struct spec *sp, const char *s, size_t len, bool zeros)
{
	size_t runes = rune_count(s, len);
	size_t fill = sp->has_width && (size_t)sp->width > runes ? (size_t)sp->width - runes : 0;

	if (sp->minus) {
		strbuf_append(sb, s, len);
		for (size_t i = 0; i < fill; i++)
			strbuf_putc(sb, ' ');
		return;
	}
	if (zeros && fill && len && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
		strbuf_putc(sb, s[0]);
		s++;
		len--;
	}
	for (size_t i = 0; i < fill; i++)
		strbuf_putc(sb, zeros ? '0' : ' ');
	strbuf_append(sb, s, len);
}

static void bad_verb(struct strbuf *sb, char verb, const struct tmpl_val *v)
{
	strbuf_appendf(sb, "%%!%c(", verb);
	if (v->k == TMPL_NIL) {
		strbuf_puts(sb, "<nil>");
	} else {
		strbuf_puts(sb, nfd__tmpl_type_name(v));
		strbuf_putc(sb, '=');
		nfd__tmpl_print(sb, v, false);
	}
	strbuf_putc(sb, ')');
}

static void put_rune(struct strbuf *sb, int64_t c)
{
	char buf[5];
	uint32_t u = c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : (uint32_t)c;
	size_t n;

	if (u < 0x80) {
		buf[0] = (char)u, n = 1;
	} else if (u < 0x800) {
		buf[0] = (char)(0xc0 | (u >> 6)), buf[1] = (char)(0x80 | (u & 0x3f)), n = 2;
	} else if (u < 0x10000) {
		buf[0] = (char)(0xe0 | (u >> 12)), buf[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (u & 0x3f)), n = 3;
	} else {
		buf[0] = (char)(0xf0 | (u >> 18)), buf[1] = (char)(0x80 | ((u >> 12) & 0x3f));
		buf[2] = (char)(0x80 | ((u >> 6) & 0x3f)), buf[3] = (char)(0x80 | (u & 0x3f));
		n = 4;
	}
	strbuf_append(sb, buf, n);
}

/* strconv.QuoteRune */
static void quote_rune(struct strbuf *sb, int64_t c)
{
	struct strbuf tmp = STRBUF_INIT;

	put_rune(&tmp, c);
	if (!strbuf_str(&tmp))
		return;
	if (streq(tmp.buf, "'")) {
		strbuf_puts(sb, "'\\''");
	} else if (streq(tmp.buf, "\"")) {
		strbuf_puts(sb, "'\"'");
	} else {
		struct strbuf q = STRBUF_INIT;

		nfd__go_quote(&q, tmp.buf);
		if (strbuf_str(&q)) {
			strbuf_putc(sb, '\'');
			strbuf_append(sb, q.buf + 1, q.len - 2);
			strbuf_putc(sb, '\'');
		}
		strbuf_release(&q);
	}
	strbuf_release(&tmp);
}

static void fmt_int(struct strbuf *sb, const struct spec *sp, const struct tmpl_val *v)
{
	char digits[80];
	struct strbuf tmp = STRBUF_INIT;
	bool neg = v->i < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v->i : (uint64_t)v->i;
	int base = 10;
	size_t n = 0;
	char verb = sp->verb;
	const char *prefix = "";

	switch (verb) {
	case 'c':
		put_rune(&tmp, v->i);
		goto out;
	case 'q':
		quote_rune(&tmp, v->i);
		goto out;
	case 'U': {
		strbuf_appendf(&tmp, "U+%04" PRIX64, (uint64_t)v->i);
		if (sp->sharp && v->i >= 0x20 && v->i <= 0x10ffff && v->i != 0x7f) {
			strbuf_puts(&tmp, " '");
			put_rune(&tmp, v->i);
			strbuf_putc(&tmp, '\'');
		}
		goto out;
	}
	case 'b':
		base = 2;
		prefix = sp->sharp ? "0b" : "";
		break;
	case 'o':
	case 'O':
		base = 8;
		prefix = verb == 'O' ? "0o" : sp->sharp ? "0" : "";
		break;
	case 'x':
	case 'X':
		base = 16;
		prefix = sp->sharp ? (verb == 'x' ? "0x" : "0X") : "";
		break;
	default: /* d, v */
		break;
	}
	do {
		int d = (int)(u % (uint64_t)base);

		digits[n++] = (char)(d < 10 ? '0' + d : (verb == 'X' ? 'A' : 'a') + d - 10);
		u /= (uint64_t)base;
	} while (u);
	if (sp->has_prec && sp->prec == 0 && v->i == 0)
		n = 0; /* %.0d of 0 prints nothing */
	if (neg)
		strbuf_putc(&tmp, '-');
	else if (sp->plus)
		strbuf_putc(&tmp, '+');
	else if (sp->space)
		strbuf_putc(&tmp, ' ');
	if (base == 8 && *prefix == '0' && verb == 'o' && n && digits[n - 1] == '0')
		prefix = "";
	strbuf_puts(&tmp, prefix);
	for (int i = (int)n; sp->has_prec && i < sp->prec && i < MAX_WIDTH; i++)
		strbuf_putc(&tmp, '0');
	while (n)
		strbuf_putc(&tmp, digits[--n]);
out:
	if (strbuf_str(&tmp))
		pad(sb, sp, tmp.buf, tmp.len,
		    sp->zero && !sp->minus && !sp->has_prec && strchr("dbboOxXv", verb));
	strbuf_release(&tmp);
}

static void fmt_float(struct strbuf *sb, const struct spec *sp, double f)
{
	struct strbuf tmp = STRBUF_INIT;
	char verb = sp->verb == 'v' ? 'g' : sp->verb == 'F' ? 'f' : sp->verb;
	int prec = sp->has_prec ? sp->prec : strchr("eEf", verb) ? 6 : -1;

	if (verb == 'b') {
		int e;
		double m = frexp(fabs(f), &e);

		strbuf_appendf(&tmp, "%s%" PRId64 "p%+d", signbit(f) ? "-" : "",
			       (int64_t)ldexp(m, 53), f == 0 ? -1074 : e - 53);
	} else if (verb == 'x' || verb == 'X') {
		char buf[128], *p;

		if (prec >= 0)
			snprintf(buf, sizeof(buf), "%.*a", prec > 60 ? 60 : prec, f);
		else
			snprintf(buf, sizeof(buf), "%a", f);
		p = strchr(buf, 'p');
		if (p && (p[2] >= '0' && p[2] <= '9') && !p[3]) {
			/* Go writes at least two exponent digits */
			p[4] = '\0';
			p[3] = p[2];
			p[2] = '0';
		}
		for (p = buf; verb == 'X' && *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		strbuf_puts(&tmp, buf);
	} else {
		nfd__tmpl_print_float(&tmp, f, verb, prec, sp->sharp);
	}
	if (!strbuf_str(&tmp))
		return;
	if (tmp.buf[0] != '-' && (sp->plus || sp->space)) {
		struct strbuf s2 = STRBUF_INIT;

		strbuf_putc(&s2, sp->plus ? '+' : ' ');
		strbuf_append(&s2, tmp.buf[0] == '+' ? tmp.buf + 1 : tmp.buf,
			      tmp.len - (tmp.buf[0] == '+'));
		strbuf_release(&tmp);
		tmp = s2;
		if (!strbuf_str(&tmp))
			return;
	} else if (tmp.buf[0] == '+' && !sp->plus) {
		memmove(tmp.buf, tmp.buf + 1, tmp.len--); /* +Inf */
	}
	pad(sb, sp, tmp.buf, tmp.len, sp->zero && !sp->minus && isfinite(f));
	strbuf_release(&tmp);
}

static void fmt_hex_string(struct strbuf *sb, const struct spec *sp, const char *s, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *digits = sp->verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";

	if (sp->has_prec && (size_t)sp->prec < len)
		len = (size_t)sp->prec;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (sp->space && i)
			strbuf_putc(&tmp, ' ');
		if (sp->sharp && (sp->space || i == 0))
			strbuf_puts(&tmp, sp->verb == 'X' ? "0X" : "0x");
		strbuf_putc(&tmp, digits[c >> 4]);
		strbuf_putc(&tmp, digits[c & 15]);
	}
	if (strbuf_str(&tmp))
		pad(sb, sp, tmp.buf, tmp.len, false);
	strbuf_release(&tmp);
}

static void fmt_string(struct strbuf *sb, const struct spec *sp, const char *s)
{
	size_t len = strlen(s);

	switch (sp->verb) {
	case 'x':
	case 'X':
		fmt_hex_string(sb, sp, s, len);
		return;
	case 'q': {
		struct strbuf q = STRBUF_INIT;
		size_t cut = len;

		if (sp->has_prec) {
			size_t runes = 0;

			for (cut = 0; cut < len && runes < (size_t)sp->prec; runes++) {
				uint32_t c;
				size_t l = utf8_decode(s + cut, len - cut, &c);

				cut += l ? l : 1;
			}
		}
		if (sp->sharp && !memchr(s, '`', cut) && !memchr(s, '\r', cut)) {
			bool plain = true;

			for (size_t i = 0; i < cut; i++)
				if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
					plain = false;
			if (plain) {
				strbuf_putc(&q, '`');
				strbuf_append(&q, s, cut);
				strbuf_putc(&q, '`');
				goto quoted;
			}
		}
		{
			char *part = strndup(s, cut);

			if (part)
				nfd__go_quote(&q, part);
			free(part);
		}
	quoted:
		if (strbuf_str(&q))
			pad(sb, sp, q.buf, q.len, false);
		strbuf_release(&q);
		return;
	}
	default: /* s, v */
		if (sp->has_prec) {
			size_t cut = 0, runes = 0;

			while (cut < len && runes < (size_t)sp->prec) {
				uint32_t c;
				size_t l = utf8_decode(s + cut, len - cut, &c);

				cut += l ? l : 1;
				runes++;
			}
			len = cut;
		}
		pad(sb, sp, s, len, false);
	}
}

/* %#v: Go syntax */
static _Thread_local unsigned value_depth;

static void go_syntax(struct strbuf *sb, const struct tmpl_val *v, bool top)
{
	if ((v->k == TMPL_LIST || v->k == TMPL_MAP) && value_depth >= TMPL_MAX_VALUE_DEPTH) {
		strbuf_puts(sb, "[...]");
		return;
	}
	switch (v->k) {
	case TMPL_NIL:
		strbuf_puts(sb, top ? "<nil>" : "interface {}(nil)");
		return;
	case TMPL_STR:
		nfd__go_quote(sb, v->s);
		return;
	case TMPL_INT:
		if (v->sub == TMPL_SUB_UINT8)
			strbuf_appendf(sb, "0x%" PRIx64, v->i);
		else
			strbuf_appendf(sb, "%" PRId64, v->i);
		return;
	case TMPL_FLOAT:
		nfd__tmpl_print_float(sb, v->f, 'g', -1, false);
		if (isfinite(v->f) && v->f == nfd__floor(v->f) && fabs(v->f) < 1e21)
			strbuf_puts(sb, ".0"); /* %#v of 1.0 is 1 in Go: undo below */
		return;
	case TMPL_BOOL:
		strbuf_puts(sb, v->b ? "true" : "false");
		return;
	case TMPL_LIST:
		strbuf_puts(sb, nfd__tmpl_type_name(v));
		if (!v->l) {
			strbuf_puts(sb, "(nil)");
			return;
		}
		strbuf_putc(sb, '{');
		for (size_t i = 0; i < v->l->n && !sb->oom; i++) {
			if (i)
				strbuf_puts(sb, ", ");
			value_depth++;
			go_syntax(sb, &v->l->items[i], false);
			value_depth--;
		}
		strbuf_putc(sb, '}');
		return;
	case TMPL_MAP:
		strbuf_puts(sb, nfd__tmpl_type_name(v));
		if (!v->m) {
			strbuf_puts(sb, "(nil)");
			return;
		}
		strbuf_putc(sb, '{');
		for (size_t i = 0; i < v->m->n && !sb->oom; i++) {
			if (i)
				strbuf_puts(sb, ", ");
			nfd__go_quote(sb, v->m->keys[i]);
			strbuf_putc(sb, ':');
			value_depth++;
			go_syntax(sb, &v->m->vals[i], false);
			value_depth--;
		}
		strbuf_putc(sb, '}');
		return;
	}
}

static void fmt_value(struct strbuf *sb, const struct spec *sp, const struct tmpl_val *v, bool top)
{
	char verb = sp->verb;

	if (verb == 'T') {
		fmt_string(sb,
			   &(struct spec){.verb = 's',
					  .minus = sp->minus,
					  .width = sp->width,
					  .has_width = sp->has_width},
			   nfd__tmpl_type_name(v));
		return;
	}
	if (verb == 'p') { /* addresses: none to print */
		bad_verb(sb, verb, v);
		return;
	}
	if (verb == 'v' && sp->sharp) {
		struct strbuf tmp = STRBUF_INIT;

		go_syntax(&tmp, v, true);
		if (v->k == TMPL_FLOAT && strbuf_str(&tmp) && strstr(tmp.buf, ".0") &&
		    !strchr(tmp.buf, 'e'))
			strbuf_truncate(&tmp, tmp.len - 2); /* Go: %#v of 2.0 is 2 */
		if (strbuf_str(&tmp))
			pad(sb, sp, tmp.buf, tmp.len, false);
		strbuf_release(&tmp);
		return;
	}
	switch (v->k) {
	case TMPL_NIL:
		if (verb == 'v')
			pad(sb, sp, "<nil>", 5, false);
		else
			bad_verb(sb, verb, v);
		return;
	case TMPL_BOOL:
		if (verb == 'v' || verb == 't')
			pad(sb, sp, v->b ? "true" : "false", v->b ? 4 : 5, false);
		else
			bad_verb(sb, verb, v);
		return;
	case TMPL_INT:
		if (strchr("bcdoOqxXUv", verb))
			fmt_int(sb, sp, v);
		else
			bad_verb(sb, verb, v);
		return;
	case TMPL_FLOAT:
		if (strchr("beEfFgGxXv", verb))
			fmt_float(sb, sp, v->f);
		else
			bad_verb(sb, verb, v);
		return;
	case TMPL_STR:
		if (strchr("sqxXv", verb))
			fmt_string(sb, sp, v->s);
		else
			bad_verb(sb, verb, v);
		return;
	case TMPL_LIST:
		/* the verb applies to each element */
		strbuf_putc(sb, '[');
		for (size_t i = 0; v->l && i < v->l->n && !sb->oom; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			if (value_depth >= TMPL_MAX_VALUE_DEPTH) {
				strbuf_puts(sb, "[...]");
				break;
			}
			value_depth++;
			fmt_value(sb, sp, &v->l->items[i], false);
			value_depth--;
		}
		strbuf_putc(sb, ']');
		return;
	case TMPL_MAP:
		strbuf_puts(sb, "map[");
		for (size_t i = 0; v->m && i < v->m->n && !sb->oom; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			fmt_value(sb, sp, &(struct tmpl_val){.k = TMPL_STR, .s = v->m->keys[i]},
				  false);
			strbuf_putc(sb, ':');
			if (value_depth >= TMPL_MAX_VALUE_DEPTH) {
				strbuf_puts(sb, "[...]");
				break;
			}
			value_depth++;
			fmt_value(sb, sp, &v->m->vals[i], false);
			value_depth--;
		}
		strbuf_putc(sb, ']');
		return;
	}
	(void)top;
}

/* [n] after %, before * or the verb: sets *argi; false on a bad index */
static bool arg_index(const char **f, size_t n, size_t *argi, bool *reordered, bool *ok)
{
	const char *p = *f;
	size_t v = 0;

	if (*p != '[')
		return false;
	*reordered = true;
	p++;
	while (*p >= '0' && *p <= '9' && v < 1000000)
		v = v * 10 + (size_t)(*p++ - '0');
	if (*p != ']' || v < 1 || v > n) {
		const char *close = strchr(*f, ']');

		*ok = false;
		*f = close ? close + 1 : *f + 1;
		return true;
	}
	*argi = v - 1;
	*f = p + 1;
	return true;
}

static bool star(const struct tmpl_val *args, size_t n, size_t *argi, int *ret, bool *ok)
{
	if (*argi >= n) {
		*ok = false;
		return false;
	}
	if (args[*argi].k != TMPL_INT || args[*argi].i > MAX_WIDTH || args[*argi].i < -MAX_WIDTH) {
		(*argi)++;
		*ok = false;
		return false;
	}
	*ret = (int)args[(*argi)++].i;
	return true;
}

void nfd__tmpl_sprintf(struct strbuf *sb, const char *f, const struct tmpl_val *args, size_t n)
{
	size_t argi = 0;
	bool reordered = false;

	while (*f && !sb->oom) {
		struct spec sp = {0};
		bool ok = true, idx_ok = true;
		const char *pct = strchr(f, '%');

		if (!pct) {
			strbuf_puts(sb, f);
			break;
		}
		strbuf_append(sb, f, (size_t)(pct - f));
		f = pct + 1;
		for (;; f++) {
			if (*f == '+')
				sp.plus = true;
			else if (*f == '-')
				sp.minus = true, sp.zero = false;
			else if (*f == '#')
				sp.sharp = true;
			else if (*f == '0')
				sp.zero = !sp.minus;
			else if (*f == ' ')
				sp.space = true;
			else
				break;
		}
		arg_index(&f, n, &argi, &reordered, &idx_ok);
		if (*f == '*') {
			f++;
			sp.has_width = star(args, n, &argi, &sp.width, &ok);
			if (!ok)
				strbuf_puts(sb, "%!(BADWIDTH)");
			if (sp.width < 0) {
				sp.width = -sp.width;
				sp.minus = true;
				sp.zero = false;
			}
		} else {
			while (*f >= '0' && *f <= '9') {
				sp.width = sp.width * 10 + (*f++ - '0');
				sp.has_width = true;
				if (sp.width > MAX_WIDTH) {
					sp.width = MAX_WIDTH;
				}
			}
		}
		if (*f == '.') {
			f++;
			arg_index(&f, n, &argi, &reordered, &idx_ok);
			sp.has_prec = true;
			if (*f == '*') {
				bool pok = true;

				f++;
				sp.has_prec = star(args, n, &argi, &sp.prec, &pok);
				if (sp.prec < 0)
					sp.has_prec = false, sp.prec = 0;
				if (!pok)
					strbuf_puts(sb, "%!(BADPREC)");
			} else {
				while (*f >= '0' && *f <= '9')
					sp.prec = sp.prec * 10 + (*f++ - '0') % MAX_WIDTH;
			}
		}
		arg_index(&f, n, &argi, &reordered, &idx_ok);
		if (!*f) {
			strbuf_puts(sb, "%!(NOVERB)");
			break;
		}
		{
			uint32_t c;
			size_t l = utf8_decode(f, strlen(f), &c);

			if (l > 1) { /* a non-ASCII verb is never valid */
				strbuf_puts(sb, "%!");
				strbuf_append(sb, f, l);
				f += l;
				if (argi < n) {
					strbuf_putc(sb, '(');
					strbuf_puts(sb, nfd__tmpl_type_name(&args[argi]));
					strbuf_putc(sb, '=');
					nfd__tmpl_print(sb, &args[argi++], false);
					strbuf_putc(sb, ')');
				} else {
					strbuf_puts(sb, "(MISSING)");
				}
				continue;
			}
		}
		sp.verb = *f++;
		if (sp.verb == '%') {
			strbuf_putc(sb, '%');
			continue;
		}
		if (!idx_ok) {
			strbuf_appendf(sb, "%%!%c(BADINDEX)", sp.verb);
			continue;
		}
		if (argi >= n) {
			strbuf_appendf(sb, "%%!%c(MISSING)", sp.verb);
			continue;
		}
		fmt_value(sb, &sp, &args[argi++], true);
	}
	if (!reordered && argi < n) {
		strbuf_puts(sb, "%!(EXTRA ");
		for (size_t i = argi; i < n; i++) {
			if (i > argi)
				strbuf_puts(sb, ", ");
			if (args[i].k == TMPL_NIL) {
				strbuf_puts(sb, "<nil>");
				continue;
			}
			strbuf_puts(sb, nfd__tmpl_type_name(&args[i]));
			strbuf_putc(sb, '=');
			nfd__tmpl_print(sb, &args[i], false);
		}
		strbuf_putc(sb, ')');
	}
}
