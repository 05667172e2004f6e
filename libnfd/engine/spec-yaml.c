/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libyaml event stream -> tree with marks, and yaml.v2's scalar resolution.
 * Most documents never reach libyaml: the house reader of spec-yaml-fast.c
 * builds the same tree for the YAML specs are usually written in.
 * NFD reads a spec with sigs.k8s.io/yaml: YAML 1.1 scalars are resolved
 * (y -> true, 0200 -> 128, 6.10 -> 6.1), then coerced to the strings its Go
 * fields expect.  We resolve the same way so that a spec means here what it
 * means to NFD; spec-parse.c warns where that surprises.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "libnfd/dl.h"
#include "libnfd/engine/spec-yaml.h"

#define MAX_DEPTH 64

NFD_DLSYM(yaml_parser_initialize);
NFD_DLSYM(yaml_parser_delete);
NFD_DLSYM(yaml_parser_set_input_string);
NFD_DLSYM(yaml_parser_parse);
NFD_DLSYM(yaml_event_delete);

/* Only spec parsing needs libyaml, not discovery, evaluation of exported
 * features or `nfd export features`. */
static int load_libyaml(const char **ret_msg)
{
	return NFD_DLOPEN(ret_msg, "yaml", "compatibility specs (YAML)", NFD_DLOPEN_RECOMMENDED,
			  "libyaml-0.so.2", NFD_DLSYM_ARG(yaml_parser_initialize),
			  NFD_DLSYM_ARG(yaml_parser_delete),
			  NFD_DLSYM_ARG(yaml_parser_set_input_string),
			  NFD_DLSYM_ARG(yaml_parser_parse), NFD_DLSYM_ARG(yaml_event_delete));
}

struct loader {
	struct arena *a;
	yaml_parser_t parser;
	const char **msg;
	unsigned depth;
};

static int load_error(struct loader *l, const yaml_mark_t *m, const char *what)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%zu:%zu: %s", m->line + 1, m->column + 1, what);
	*l->msg = arena_strdup(l->a, buf);
	return *l->msg ? -EBADMSG : -ENOMEM;
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	if (!sym_yaml_parser_parse(&l->parser, ev)) {
		char buf[256];

		if (l->parser.error == YAML_MEMORY_ERROR)
			return -ENOMEM;
		snprintf(buf, sizeof(buf), "%s%s%s",
			 l->parser.problem ? l->parser.problem : "syntax error",
			 l->parser.context ? " " : "", l->parser.context ? l->parser.context : "");
		return load_error(l, &l->parser.problem_mark, buf);
	}
	return 0;
}

static int load_node(struct loader *l, yaml_event_t *ev, struct ynode **ret);

/* Items until the closing event; maps get keys and values interleaved. */
static int load_children(struct loader *l, struct ynode *node, yaml_event_type_t end)
{
	size_t cap = 0;

	for (;;) {
		yaml_event_t ev;
		struct ynode *child;
		int r = next_event(l, &ev);

		if (r < 0)
			return r;
		if (ev.type == end) {
			sym_yaml_event_delete(&ev);
			return 0;
		}
		r = load_node(l, &ev, &child);
		sym_yaml_event_delete(&ev);
		if (r < 0)
			return r;
		if (ARENA_RESERVE(l->a, node->items, cap, node->n, node->n + 1) < 0)
			return -ENOMEM;
		node->items[node->n++] = child;
	}
}

static bool is_str_tag(const yaml_char_t *tag)
{
	return tag && (streq((const char *)tag, YAML_STR_TAG) || streq((const char *)tag, "!"));
}

static int load_node(struct loader *l, yaml_event_t *ev, struct ynode **ret)
{
	struct ynode *n;
	int r = 0;

	if (ev->type == YAML_ALIAS_EVENT)
		return load_error(l, &ev->start_mark,
				  "YAML aliases are not supported in compatibility specs");
	n = ynode_new(l->a);
	if (!n)
		return -ENOMEM;
	n->pos.line = (unsigned)ev->start_mark.line + 1;
	n->pos.col = (unsigned)ev->start_mark.column + 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n->kind = YNODE_SCALAR;
		n->len = ev->data.scalar.length;
		n->text = arena_strndup(l->a, (const char *)ev->data.scalar.value, n->len);
		if (!n->text)
			return -ENOMEM;
		if (memchr(n->text, '\0', n->len))
			return load_error(l, &ev->start_mark, "NUL character in a scalar");
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			   !is_str_tag(ev->data.scalar.tag);
		if (nfd__yaml_resolve(l->a, n) < 0)
			return -ENOMEM;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++l->depth > MAX_DEPTH)
			return load_error(l, &ev->start_mark, "nesting too deep");
		n->kind = ev->type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQ : YNODE_MAP;
		r = load_children(l, n,
				  ev->type == YAML_SEQUENCE_START_EVENT ? YAML_SEQUENCE_END_EVENT
									: YAML_MAPPING_END_EVENT);
		l->depth--;
		break;
	default:
		return load_error(l, &ev->start_mark, "unexpected YAML event");
	}
	if (r < 0)
		return r;
	*ret = n;
	return 0;
}

int nfd__yaml_load(struct arena *a, const char *buf, size_t len, struct ynode **ret,
		   const char **ret_msg)
{
	/* the house reader first (spec-yaml-fast.c), libyaml for the rest */
	int r = nfd__yaml_fast_load(a, buf, len, ret);

	if (r != 0)
		return r < 0 ? r : 0;
	return nfd__yaml_load_libyaml(a, buf, len, ret, ret_msg);
}

int nfd__yaml_load_libyaml(struct arena *a, const char *buf, size_t len, struct ynode **ret,
			   const char **ret_msg)
{
	struct loader l = {.a = a, .msg = ret_msg};
	struct ynode *root = NULL;
	yaml_event_t ev;
	int r;

	r = load_libyaml(ret_msg);
	if (r < 0)
		return r;
	if (!sym_yaml_parser_initialize(&l.parser))
		return -ENOMEM;
	sym_yaml_parser_set_input_string(&l.parser, (const unsigned char *)buf, len);
	/* STREAM-START, then DOCUMENT-START or STREAM-END */
	for (;;) {
		r = next_event(&l, &ev);
		if (r < 0)
			goto out;
		if (ev.type == YAML_STREAM_START_EVENT) {
			sym_yaml_event_delete(&ev);
			continue;
		}
		break;
	}
	if (ev.type == YAML_STREAM_END_EVENT) {
		sym_yaml_event_delete(&ev);
		goto out;
	}
	sym_yaml_event_delete(&ev);
	r = next_event(&l, &ev);
	if (r < 0)
		goto out;
	r = load_node(&l, &ev, &root);
	sym_yaml_event_delete(&ev);
	/* Later documents are ignored, as yaml.v2's Unmarshal does. */
out:
	sym_yaml_parser_delete(&l.parser);
	if (r < 0)
		return r;
	*ret = root;
	return 0;
}

/* ----------------------------------------------------------- resolution */

/*
 * The words YAML 1.1 resolves (yaml.v2's resolve table), each in three
 * spellings: lower case, capitalised and upper case (".NaN" for the second
 * NaN).  None is longer than 5 bytes: most scalars are settled by their
 * length, the rest by their length and first byte and one or two memcmp().
 */
static bool spelled(const char *s, size_t len, const char *lower, const char *capital,
		    const char *upper)
{
	return memcmp(s, lower, len) == 0 || memcmp(s, capital, len) == 0 ||
	       memcmp(s, upper, len) == 0;
}

enum nfd_yaml_word nfd__yaml_word(const char *s, size_t len)
{
	switch (len) {
	case 0:
		return NFD_YAML_WORD_NULL;
	case 1:
		switch (s[0]) {
		case '~':
			return NFD_YAML_WORD_NULL;
		case 'y':
		case 'Y':
			return NFD_YAML_WORD_TRUE;
		case 'n':
		case 'N':
			return NFD_YAML_WORD_FALSE;
		}
		break;
	case 2:
		if (spelled(s, len, "on", "On", "ON"))
			return NFD_YAML_WORD_TRUE;
		if (spelled(s, len, "no", "No", "NO"))
			return NFD_YAML_WORD_FALSE;
		break;
	case 3:
		if (spelled(s, len, "yes", "Yes", "YES"))
			return NFD_YAML_WORD_TRUE;
		if (spelled(s, len, "off", "Off", "OFF"))
			return NFD_YAML_WORD_FALSE;
		break;
	case 4:
		switch (s[0]) {
		case 'n':
		case 'N':
			return spelled(s, len, "null", "Null", "NULL") ? NFD_YAML_WORD_NULL
								       : NFD_YAML_WORD_NONE;
		case 't':
		case 'T':
			return spelled(s, len, "true", "True", "TRUE") ? NFD_YAML_WORD_TRUE
								       : NFD_YAML_WORD_NONE;
		case '.':
			if (spelled(s, len, ".nan", ".NaN", ".NAN"))
				return NFD_YAML_WORD_NAN;
			if (spelled(s, len, ".inf", ".Inf", ".INF"))
				return NFD_YAML_WORD_POS_INF;
			break;
		}
		break;
	case 5:
		switch (s[0]) {
		case 'f':
		case 'F':
			return spelled(s, len, "false", "False", "FALSE") ? NFD_YAML_WORD_FALSE
									  : NFD_YAML_WORD_NONE;
		case '+':
			return spelled(s, len, "+.inf", "+.Inf", "+.INF") ? NFD_YAML_WORD_POS_INF
									  : NFD_YAML_WORD_NONE;
		case '-':
			return spelled(s, len, "-.inf", "-.Inf", "-.INF") ? NFD_YAML_WORD_NEG_INF
									  : NFD_YAML_WORD_NONE;
		}
		break;
	}
	return NFD_YAML_WORD_NONE;
}

/* What each word resolves to (by enum nfd_yaml_word). */
static const struct {
	unsigned char type;
	const char *str;
} word_values[] = {
	[NFD_YAML_WORD_NULL] = {YSCALAR_NULL, ""},
	[NFD_YAML_WORD_TRUE] = {YSCALAR_BOOL, "true"},
	[NFD_YAML_WORD_FALSE] = {YSCALAR_BOOL, "false"},
	[NFD_YAML_WORD_NAN] = {YSCALAR_FLOAT, "NaN"},
	[NFD_YAML_WORD_POS_INF] = {YSCALAR_FLOAT, "+Inf"},
	[NFD_YAML_WORD_NEG_INF] = {YSCALAR_FLOAT, "-Inf"},
};

/* Go strconv.ParseInt/ParseUint with base 0 (no '_', handled by the caller). */
static int parse_go_int(const char *s, bool *neg, uint64_t *ret)
{
	unsigned base = 10;
	uint64_t v = 0;
	const char *p = s;

	*neg = false;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p += 1;
	}
	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*ret = v;
	return 0;
}

/* yaml.v2's float syntax: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool yaml_float_syntax(const char *s)
{
	bool digits = false;

	if (*s == '+' || *s == '-')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	} else {
		while (*s >= '0' && *s <= '9')
			s++, digits = true;
		if (!digits)
			return false;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* strconv.FormatFloat(f, 'g', -1, 32): float32, shortest round-trip digits. */
static void format_float32(double d, char *buf, size_t size)
{
	float f = (float)d;
	char tmp[64];
	int prec, exp;

	if (isnan(f)) {
		snprintf(buf, size, "NaN");
		return;
	}
	if (isinf(f)) {
		snprintf(buf, size, f > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (f == 0) {
		snprintf(buf, size, signbit(f) ? "-0" : "0");
		return;
	}
	for (prec = 1; prec < 9; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, (double)f);
		if (strtof(tmp, NULL) == f)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, (double)f);
	exp = atoi(strchr(tmp, 'e') + 1);
	/* Go's 'g' with shortest digits: exponent form iff exp < -4 || exp >= 6 */
	if (exp < -4 || exp >= 6) {
		/* d.ddde+XX, as Go prints it */
		snprintf(buf, size, "%s", tmp);
		return;
	}
	snprintf(buf, size, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, (double)f);
}

/* yaml.v2's timestamp forms, printed as encoding/json prints a time.Time. */
static bool parse_timestamp(const char *s, char *buf, size_t size)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, consumed;
	char frac[16] = "", zone[8] = "Z";
	const char *p;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n < 8 || s[4] != '-')
		return false;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	p = s + n;
	if (*p) {
		bool has_zone = *p == 'T' || *p == 't';

		if (*p != 'T' && *p != 't' && *p != ' ')
			return false;
		p++;
		if (sscanf(p, "%2d:%2d:%2d%n", &h, &mi, &sec, &consumed) != 3)
			return false;
		p += consumed;
		if (*p == '.') {
			size_t k = 0;

			for (p++; *p >= '0' && *p <= '9'; p++)
				if (k < 9)
					frac[k++] = *p;
			frac[k] = '\0';
			while (k > 0 && frac[k - 1] == '0')
				frac[--k] = '\0';
		}
		if (has_zone) {
			if (*p == 'Z') {
				p++;
			} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
				snprintf(zone, sizeof(zone), "%s", p);
				if (streq(zone, "+00:00"))
					snprintf(zone, sizeof(zone), "Z");
				p += 6;
			} else {
				return false;
			}
		}
		if (*p || h > 23 || mi > 59 || sec > 59)
			return false;
	}
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s%s%s", y, mo, d, h, mi, sec,
		 frac[0] ? "." : "", frac, zone);
	return true;
}

/* The resolution of a plain scalar s that is not a word: a number or a
 * timestamp (in *ret_type and *ret, an arena string), or a string (*ret
 * left alone). */
static int resolve_number(struct arena *a, const char *s, const char **ret,
			  enum yscalar_type *ret_type)
{
	char buf[64];
	_cleanup_free_ char *plain = NULL;
	uint64_t u;
	bool neg;
	char hint = s[0];
	int r;

	if (hint == '.') {
		char *end;
		double d = strtod(s, &end);

		if (*end == '\0' && yaml_float_syntax(s)) {
			format_float32(d, buf, sizeof(buf));
			goto out_float;
		}
		return 0;
	}
	if (!((hint >= '0' && hint <= '9') || hint == '+' || hint == '-'))
		return 0;
	if (parse_timestamp(s, buf, sizeof(buf))) {
		*ret_type = YSCALAR_TIMESTAMP;
		*ret = arena_strdup(a, buf);
		return *ret ? 0 : -ENOMEM;
	}
	/* "_" separators are dropped before numbers are tried */
	plain = strdup(s);
	if (!plain)
		return -ENOMEM;
	{
		char *w = plain;

		for (const char *c = s; *c; c++)
			if (*c != '_')
				*w++ = *c;
		*w = '\0';
	}
	r = parse_go_int(plain, &neg, &u);
	if (r == 0 && !(neg && u > (uint64_t)INT64_MAX + 1)) {
		if (neg && u)
			snprintf(buf, sizeof(buf), "-%" PRIu64, u);
		else
			snprintf(buf, sizeof(buf), "%" PRIu64, u);
		*ret_type = YSCALAR_INT;
		*ret = arena_strdup(a, buf);
		return *ret ? 0 : -ENOMEM;
	}
	/* yaml.v2 tries a float before a big integer: 30 digits are a float */
	if (yaml_float_syntax(plain)) {
		format_float32(strtod(plain, NULL), buf, sizeof(buf));
		goto out_float;
	}
	if (r == -ERANGE || r == 0)
		goto big;
	return 0;
big:
	*ret_type = YSCALAR_BIGINT;
	return 0;
out_float:
	*ret_type = YSCALAR_FLOAT;
	*ret = arena_strdup(a, buf);
	return *ret ? 0 : -ENOMEM;
}

int nfd__yaml_resolve(struct arena *a, struct ynode *n)
{
	const char *s = n->text;
	enum yscalar_type type = YSCALAR_STRING;
	enum nfd_yaml_word w;
	int r;

	n->stype = YSCALAR_STRING;
	n->str = s;
	/* every word, number and timestamp starts with one of these (or is
	 * empty): most scalars ("feature", "matchExpressions", "In") are
	 * settled by their first byte */
	if (!n->plain || (s[0] && !strchr("~nNyYtTfFoO.+-0123456789", s[0])))
		return 0;
	w = nfd__yaml_word(s, n->len);
	if (w != NFD_YAML_WORD_NONE) {
		n->stype = word_values[w].type;
		if (!streq(word_values[w].str, s))
			n->str = word_values[w].str;
		return 0;
	}
	r = resolve_number(a, s, &n->str, &type);
	if (r < 0)
		return r;
	n->stype = (unsigned char)type;
	if (n->str != s && streq(n->str, s))
		n->str = s;
	return 0;
}
