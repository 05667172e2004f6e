/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One MatchExpression: resolved once at parse time, evaluated per element
 * with NFD's order of checks (doc/semantics.md §3.1) so that exactly the inputs NFD rejects
 * produce errors, and only when NFD would notice them.
 */
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/engine.h"
#include "shared/util.h"

static const char *const op_names[] = {
	[NFD_OP_ANY] = "",	    [NFD_OP_IN] = "In",
	[NFD_OP_NOTIN] = "NotIn",   [NFD_OP_INREGEXP] = "InRegexp",
	[NFD_OP_EXISTS] = "Exists", [NFD_OP_DOESNOTEXIST] = "DoesNotExist",
	[NFD_OP_GT] = "Gt",	    [NFD_OP_GE] = "Ge",
	[NFD_OP_LT] = "Lt",	    [NFD_OP_LE] = "Le",
	[NFD_OP_GTLT] = "GtLt",	    [NFD_OP_GELE] = "GeLe",
	[NFD_OP_ISTRUE] = "IsTrue", [NFD_OP_ISFALSE] = "IsFalse",
};

enum nfd_op nfd__op_from_name(const char *name)
{
	/* Op names are case-sensitive in NFD: "in" is an invalid Op. */
	for (size_t i = 0; i < ARRAY_SIZE(op_names); i++)
		if (op_names[i][0] == name[0] && streq(op_names[i], name))
			return (enum nfd_op)i;
	return NFD_OP_INVALID;
}

/* strconv.IsPrint for a non-ASCII code point, close enough for display. */
static bool go_is_print(uint32_t c)
{
	if (c < 0xa1 || c == 0xad)
		return false;
	if ((c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
	    (c >= 0x205f && c <= 0x206f) || c == 0x3000 || c == 0xfeff ||
	    (c >= 0xfff9 && c <= 0xfffb) || (c >= 0xe000 && c <= 0xf8ff) || c > 0x10ffff ||
	    (c & 0xfffe) == 0xfffe)
		return false;
	return true;
}

void nfd__go_quote(struct strbuf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *end = s + strlen(str);

	strbuf_putc(sb, '"');
	while (*s) {
		const unsigned char *run = s;
		uint32_t c;
		size_t n;

		/* printable ASCII but for the quote and the backslash: as it is */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			strbuf_append(sb, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		n = utf8_decode((const char *)s, (size_t)(end - s), &c);

		if (n == 0) {
			strbuf_appendf(sb, "\\x%02x", *s++);
			continue;
		}
		if (c == '"' || c == '\\') {
			strbuf_putc(sb, '\\');
			strbuf_putc(sb, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			strbuf_putc(sb, (char)c);
		} else if (c >= 0x80 && go_is_print(c)) {
			strbuf_append(sb, (const char *)s, n);
		} else {
			switch (c) {
			case '\a':
				strbuf_puts(sb, "\\a");
				break;
			case '\b':
				strbuf_puts(sb, "\\b");
				break;
			case '\f':
				strbuf_puts(sb, "\\f");
				break;
			case '\n':
				strbuf_puts(sb, "\\n");
				break;
			case '\r':
				strbuf_puts(sb, "\\r");
				break;
			case '\t':
				strbuf_puts(sb, "\\t");
				break;
			case '\v':
				strbuf_puts(sb, "\\v");
				break;
			default:
				if (c < 0x20 || c == 0x7f)
					strbuf_appendf(sb, "\\x%02x", c);
				else if (c < 0x10000)
					strbuf_appendf(sb, "\\u%04x", c);
				else
					strbuf_appendf(sb, "\\U%08x", c);
			}
		}
		s += n;
	}
	strbuf_putc(sb, '"');
}

static const char *afmt(struct arena *a, const char *fmt, ...) _printf_(2, 3);
static const char *afmt(struct arena *a, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return NULL;
	return arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
}

static int build_string(struct arena *a, struct nfd_expr *e)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	(void)strbuf_reserve(&sb, 128); /* most expressions: one allocation */
	strbuf_puts(&sb, "{op: ");
	nfd__go_quote(&sb, e->op_name);
	if (e->n_values > 0) {
		strbuf_puts(&sb, ", value: [");
		for (size_t i = 0; i < e->n_values; i++) {
			if (i)
				strbuf_putc(&sb, ' ');
			nfd__go_quote(&sb, e->values[i]);
		}
		strbuf_putc(&sb, ']');
	}
	strbuf_putc(&sb, '}');
	if (!strbuf_str(&sb))
		return -ENOMEM;
	e->str = arena_strndup(a, sb.buf, sb.len);
	return e->str ? 0 : -ENOMEM;
}

static int compile_regexps(struct arena *a, struct nfd_expr *e)
{
	e->re = arena_alloc(a, e->n_values * sizeof(*e->re));
	if (!e->re)
		return -ENOMEM;
	for (size_t i = 0; i < e->n_values; i++) {
		_cleanup_free_ char *msg = NULL;
		int r = nfd__regex_compile_match(e->values[i], &e->re[i], &msg);

		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			e->pre_err = afmt(a,
					  "invalid expression, 'value' field must only contain "
					  "valid regexps for Op \"InRegexp\": %s",
					  msg ? msg : "invalid pattern");
			return e->pre_err ? 0 : -ENOMEM;
		}
	}
	return 0;
}

/* Bounds of the numeric and version ops, checked after the node value. */
static int compile_bounds(struct arena *a, struct nfd_expr *e)
{
	for (size_t i = 0; i < e->n_values; i++) {
		int r = e->version ? nfd__version_parse(e->values[i], &e->vers[i])
				   : nfd__parse_int(e->values[i], &e->ints[i]);
		if (r < 0) {
			e->post_err = e->version ? afmt(a, "not a version \"%s\" in %s",
							e->values[i], e->str)
						 : afmt(a, "not a number \"%s\" in %s",
							e->values[i], e->str);
			return e->post_err ? 0 : -ENOMEM;
		}
	}
	/* Only integer ranges must be ordered (doc/semantics.md §3.2). */
	if (!e->version && e->n_values == 2 && e->ints[0] >= e->ints[1]) {
		e->post_err = afmt(a,
				   "invalid expression, value[0] must be less than Value[1] "
				   "for Op \"%s\" (have %s)",
				   e->op_name, e->str);
		return e->post_err ? 0 : -ENOMEM;
	}
	return 0;
}

static int check_count(struct arena *a, struct nfd_expr *e, size_t want, const char *what)
{
	if (e->n_values == want)
		return 0;
	e->pre_err = afmt(a, "invalid expression, 'value' field must %s for Op \"%s\"", what,
			  e->op_name);
	return e->pre_err ? -EBADMSG : -ENOMEM;
}

int nfd__expr_compile(struct arena *a, struct nfd_expr *e, const char **ret_problem)
{
	int r = 0;

	if (!e->type)
		e->type = "";
	e->op = nfd__op_from_name(e->op_name);
	r = build_string(a, e);
	if (r < 0)
		return r;
	switch (e->op) {
	case NFD_OP_INVALID:
		*ret_problem = afmt(a, "invalid Op \"%s\"", e->op_name);
		return *ret_problem ? 0 : -ENOMEM;
	case NFD_OP_ANY:
	case NFD_OP_EXISTS:
	case NFD_OP_DOESNOTEXIST:
	case NFD_OP_ISTRUE:
	case NFD_OP_ISFALSE:
		r = check_count(a, e, 0, "be empty");
		break;
	case NFD_OP_IN:
	case NFD_OP_NOTIN:
	case NFD_OP_INREGEXP:
		if (e->n_values == 0) {
			e->pre_err = afmt(a,
					  "invalid expression, 'value' field must be non-empty "
					  "for Op \"%s\"",
					  e->op_name);
			r = e->pre_err ? -EBADMSG : -ENOMEM;
		} else if (e->op == NFD_OP_INREGEXP) {
			r = compile_regexps(a, e);
		}
		break;
	case NFD_OP_GT:
	case NFD_OP_GE:
	case NFD_OP_LT:
	case NFD_OP_LE:
	case NFD_OP_GTLT:
	case NFD_OP_GELE: {
		bool range = e->op == NFD_OP_GTLT || e->op == NFD_OP_GELE;

		r = check_count(a, e, range ? 2 : 1,
				range ? "contain exactly two elements"
				      : "contain exactly one element");
		if (r < 0)
			break;
		if (!streq(e->type, "") && !streq(e->type, "version")) {
			e->pre_err = afmt(a,
					  "invalid expression, 'type' field only accepts "
					  "\"version\" value for Op \"%s\" (have \"%s\")",
					  e->op_name, e->type);
			r = e->pre_err ? 0 : -ENOMEM;
			break;
		}
		e->version = streq(e->type, "version");
		r = compile_bounds(a, e);
		break;
	}
	}
	if (r == -ENOMEM)
		return r;
	*ret_problem = e->pre_err ? e->pre_err : e->post_err;
	return 0;
}

void nfd__expr_release(struct nfd_expr *e)
{
	if (!e->re)
		return;
	for (size_t i = 0; i < e->n_values; i++)
		nfd__regex_free(e->re[i]);
	e->re = NULL;
}

static int eval_error(struct nfd_eval *ev, const struct nfd_expr *e, const char *fmt, ...)
	_printf_(3, 4);
static int eval_error(struct nfd_eval *ev, const struct nfd_expr *e, const char *fmt, ...)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_appendf(&sb, "%s:%u:%u: ", ev->spec->name, e->pos.line, e->pos.col);
	va_start(ap, fmt);
	strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	if (!strbuf_str(&sb))
		return nfd__oom(ev->ctx);
	return nfd__error(ev->ctx, EBADMSG, "%s", sb.buf);
}

static int compare(const struct nfd_expr *e, int c0, int c1)
{
	switch (e->op) {
	case NFD_OP_GT:
		return c0 > 0;
	case NFD_OP_GE:
		return c0 >= 0;
	case NFD_OP_LT:
		return c0 < 0;
	case NFD_OP_LE:
		return c0 <= 0;
	case NFD_OP_GTLT:
		return c0 > 0 && c1 < 0;
	case NFD_OP_GELE:
		return c0 >= 0 && c1 <= 0;
	default:
		return 0;
	}
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int eval_ordered(struct nfd_eval *ev, const struct nfd_expr *e, const char *value)
{
	int c0, c1 = 0;

	if (e->version) {
		struct nfd_version v;

		if (nfd__version_parse(value, &v) < 0)
			return eval_error(ev, e, "not a version \"%s\"", value);
		if (e->post_err)
			return eval_error(ev, e, "%s", e->post_err);
		c0 = nfd__version_cmp(&v, &e->vers[0]);
		if (e->n_values == 2)
			c1 = nfd__version_cmp(&v, &e->vers[1]);
	} else {
		int64_t v;

		if (nfd__parse_int(value, &v) < 0)
			return eval_error(ev, e, "not a number \"%s\"", value);
		if (e->post_err)
			return eval_error(ev, e, "%s", e->post_err);
		c0 = cmp_i64(v, e->ints[0]);
		if (e->n_values == 2)
			c1 = cmp_i64(v, e->ints[1]);
	}
	return compare(e, c0, c1);
}

static int eval_regexp(struct nfd_eval *ev, const struct nfd_expr *e, const char *value)
{
	size_t len = strlen(value);

	if (!ev->scratch) {
		ev->scratch = nfd__regex_scratch_new();
		if (!ev->scratch)
			return nfd__oom(ev->ctx);
	}
	for (size_t i = 0; i < e->n_values; i++) {
		uint64_t cost = 0;
		int r = nfd__regex_match(e->re[i], value, len, ev->scratch, &cost);

		if (r == -ENOMEM)
			return nfd__oom(ev->ctx);
		if (nfd__eval_charge(ev, cost) < 0)
			return -ETIME;
		if (r < 0)
			return eval_error(ev, e,
					  "regexp \"%s\" exceeded the match limit on \"%.64s\"",
					  e->values[i], value);
		if (r > 0)
			return 1;
	}
	return 0;
}

int nfd__expr_eval(struct nfd_eval *ev, const struct nfd_expr *e, bool present, const char *value)
{
	/* one unit per evaluation and per value compared (regexes add theirs) */
	if (nfd__eval_charge(ev, 1 + e->n_values) < 0)
		return -ETIME;
	switch (e->op) {
	case NFD_OP_INVALID:
		return eval_error(ev, e, "invalid Op \"%s\"", e->op_name);
	case NFD_OP_ANY:
	case NFD_OP_EXISTS:
	case NFD_OP_DOESNOTEXIST:
		if (e->pre_err)
			return eval_error(ev, e, "%s", e->pre_err);
		if (e->op == NFD_OP_ANY)
			return 1;
		return e->op == NFD_OP_EXISTS ? present : !present;
	default:
		break;
	}
	/* Absent elements and flags (no value) never match and never error. */
	if (!present || !value)
		return 0;
	if (e->pre_err)
		return eval_error(ev, e, "%s", e->pre_err);
	switch (e->op) {
	case NFD_OP_IN:
	case NFD_OP_NOTIN:
		for (size_t i = 0; i < e->n_values; i++)
			if (value[0] == e->values[i][0] && streq(value, e->values[i]))
				return e->op == NFD_OP_IN;
		return e->op == NFD_OP_NOTIN;
	case NFD_OP_INREGEXP:
		return eval_regexp(ev, e, value);
	case NFD_OP_ISTRUE:
		return streq(value, "true");
	case NFD_OP_ISFALSE:
		return streq(value, "false");
	default:
		return eval_ordered(ev, e, value);
	}
}
