/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The house YAML reader: a fast path for the block-style YAML that specs and
 * NodeFeatureRule files are written in, building the very tree libyaml's
 * events build in spec-yaml.c (kinds, text, plain, line:column), without
 * opening libyaml.  It accepts a strict subset (doc/semantics.md, "YAML
 * decoding") and gives up on anything else -- any byte outside printable
 * ASCII and LF, anchors, aliases, tags, block scalars, multi-line scalars
 * and flow collections, escapes other than \\ and \", directives, several
 * documents, an indentation it does not expect -- and libyaml then reads the
 * document, so that what is accepted, rejected and said about an input stays
 * libyaml's.  fuzz/fuzz-yaml.c checks both trees equal on every input this
 * accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/spec-yaml.h"
#include "shared/array.h"

/* below spec-yaml.c's MAX_DEPTH: a deeper document is libyaml's to refuse */
#define FAST_MAX_DEPTH 48
/* libyaml's simple keys are at most 1024 characters */
#define FAST_MAX_KEY 1000

enum { GIVE_UP = 0, OK = 1 };

struct fast {
	struct arena *a;
	const char *buf, *end;
	const char *line; /* start of the current line */
	unsigned lineno;  /* of the current line, from 1 */
	int ind;	  /* the current content line's indent; -1 at the end */
	unsigned depth;
	/* the children of the collections being read, innermost last: each
	 * gets an array of just its size when it ends */
	struct ynode **stack;
	size_t sn, scap;
};

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool at_eol(const struct fast *f, const char *p)
{
	return p == f->end || *p == '\n';
}

static const char *skip_spaces(const struct fast *f, const char *p)
{
	while (p < f->end && *p == ' ')
		p++;
	return p;
}

static const char *next_line(const struct fast *f, const char *p)
{
	const char *nl = memchr(p, '\n', (size_t)(f->end - p));

	return nl ? nl + 1 : f->end;
}

/*
 * From the start of a line (f->line), skip blank and comment lines to the
 * next line with content: f->ind is its indent, or -1 at the end.  GIVE_UP
 * for what may be a document marker or a directive.
 */
static int to_content(struct fast *f)
{
	for (;;) {
		const char *p;

		if (f->line >= f->end) {
			f->ind = -1;
			return OK;
		}
		p = skip_spaces(f, f->line);
		if (!at_eol(f, p) && *p != '#') {
			if (p == f->line &&
			    (*p == '%' || (f->end - p >= 3 &&
					   (memcmp(p, "---", 3) == 0 || memcmp(p, "...", 3) == 0))))
				return GIVE_UP;
			f->ind = (int)(p - f->line);
			return OK;
		}
		f->line = next_line(f, p);
		f->lineno++;
	}
}

/* After a value: spaces, maybe a comment, the end of the line; then on to
 * the next content line. */
static int end_of_line(struct fast *f, const char *p)
{
	const char *q = skip_spaces(f, p);

	if (!at_eol(f, q) && (*q != '#' || q == p))
		return GIVE_UP;
	f->line = next_line(f, q);
	f->lineno++;
	return to_content(f);
}

static struct ynode *new_node(struct fast *f, enum ynode_kind kind, const char *at)
{
	struct ynode *n = ynode_new(f->a);

	if (n) {
		n->kind = kind;
		n->pos.line = f->lineno;
		n->pos.col = (unsigned)(at - f->line) + 1;
	}
	return n;
}

static int push(struct fast *f, struct ynode *child)
{
	if (ARRAY_RESERVE(f->stack, f->scap, f->sn + 1) < 0)
		return -ENOMEM;
	f->stack[f->sn++] = child;
	return OK;
}

/* The children pushed since base become parent's items. */
static int pop_children(struct fast *f, struct ynode *parent, size_t base)
{
	size_t n = f->sn - base;

	if (n) {
		parent->items =
			arena_alloc_raw(f->a, n * sizeof(*parent->items), _Alignof(struct ynode *));
		if (!parent->items)
			return -ENOMEM;
		memcpy(parent->items, f->stack + base, n * sizeof(*parent->items));
	}
	parent->n = n;
	f->sn = base;
	return OK;
}

static int scalar(struct fast *f, const char *at, const char *text, size_t len, bool plain,
		  struct ynode **ret)
{
	/* the node and its text in one allocation */
	struct ynode *n = arena_alloc_raw(f->a, sizeof(*n) + len + 1, _Alignof(struct ynode));
	char *copy;

	if (!n)
		return -ENOMEM;
	*n = (struct ynode){.kind = YNODE_SCALAR,
			    .pos = {.line = f->lineno, .col = (unsigned)(at - f->line) + 1}};
	copy = (char *)(n + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	n->text = copy;
	n->len = len;
	n->plain = plain;
	if (nfd__yaml_resolve(f->a, n) < 0)
		return -ENOMEM;
	*ret = n;
	return OK;
}

/* A quoted scalar at p, closed on its line; *end is after the quote. */
static int quoted(struct fast *f, const char *p, struct ynode **ret, const char **end)
{
	char q = *p;
	const char *s = p + 1;
	char *text, *w;
	struct ynode *n;

	/* the unescaped text is never longer than the quoted one */
	for (const char *c = s;; c++) {
		if (at_eol(f, c))
			return GIVE_UP;
		if (q == '"' && *c == '\\') {
			if (c + 1 >= f->end || (c[1] != '\\' && c[1] != '"'))
				return GIVE_UP;
			c++;
		} else if (*c == q) {
			if (q == '\'' && c + 1 < f->end && c[1] == '\'') {
				c++;
				continue;
			}
			*end = c + 1;
			break;
		}
	}
	text = arena_alloc_raw(f->a, (size_t)(*end - s), 1);
	if (!text)
		return -ENOMEM;
	w = text;
	for (const char *c = s; c < *end - 1; c++) {
		if ((q == '"' && *c == '\\') || (q == '\'' && *c == '\''))
			c++;
		*w++ = *c;
	}
	*w = '\0';
	n = new_node(f, YNODE_SCALAR, p);
	if (!n)
		return -ENOMEM;
	n->text = n->str = text; /* quoted: a string as it is */
	n->len = (size_t)(w - text);
	*ret = n;
	return OK;
}

/* Characters a plain scalar may start with (no indicator, no '-' but for
 * "-1", "-Inf", "-.5"). */
static bool plain_first(const struct fast *f, const char *p)
{
	switch (*p) {
	case '$':
	case '(':
	case ')':
	case '+':
	case '.':
	case '/':
	case ';':
	case '<':
	case '=':
	case '^':
	case '_':
	case '~':
		return true;
	}
	if (is_alnum(*p))
		return true;
	return *p == '-' && p + 1 < f->end && (is_alnum(p[1]) || p[1] == '.');
}

/*
 * A plain scalar in block context at p, to the end of its line: it ends
 * before " #" or at ": " / ":" + end of line.  *ret_colon says whether it
 * ended at such a colon (a key), *end is where it ended.
 */
static int block_plain(struct fast *f, const char *p, struct ynode **ret, const char **end,
		       bool *ret_colon)
{
	const char *c = p, *last;

	if (!plain_first(f, p))
		return GIVE_UP;
	*ret_colon = false;
	for (; !at_eol(f, c); c++) {
		if (*c == ':' && (at_eol(f, c + 1) || c[1] == ' ')) {
			*ret_colon = true;
			break;
		}
		if (*c == '#' && c[-1] == ' ')
			break;
	}
	last = c;
	while (last > p && last[-1] == ' ')
		last--;
	*end = last;
	/* "a : b": libyaml takes it, but this reader need not */
	if (*ret_colon && last != c)
		return GIVE_UP;
	return scalar(f, p, p, (size_t)(last - p), true, ret);
}

static bool flow_plain_char(char c)
{
	switch (c) {
	case '_':
	case '.':
	case '/':
	case '+':
	case '-':
	case '~':
	case '^':
	case '$':
	case '=':
	case '(':
	case ')':
	case '<':
	case ';':
		return true;
	}
	return is_alnum(c);
}

/* A plain scalar in a flow collection: safe characters and inner spaces,
 * ended by , ] } or ": "; anything else gives up. */
static int flow_plain(struct fast *f, const char *p, struct ynode **ret, const char **end)
{
	const char *c = p, *last = p;

	if (!plain_first(f, p))
		return GIVE_UP;
	for (; !at_eol(f, c); c++) {
		if (*c == ',' || *c == ']' || *c == '}')
			break;
		if (*c == ':') {
			/* "a: b" ends the key; "a : b", "a:b" are libyaml's */
			if (c + 1 < f->end && c[1] == ' ' && last == c)
				break;
			return GIVE_UP;
		}
		if (*c == ' ')
			continue;
		if (!flow_plain_char(*c))
			return GIVE_UP;
		last = c + 1;
	}
	if (at_eol(f, c))
		return GIVE_UP;
	*end = c;
	return scalar(f, p, p, (size_t)(last - p), true, ret);
}

static int flow(struct fast *f, const char *p, struct ynode **ret, const char **end);

/* A scalar or collection inside a flow collection (not an empty one). */
static int flow_node(struct fast *f, const char *p, struct ynode **ret, const char **end)
{
	if (at_eol(f, p))
		return GIVE_UP;
	if (*p == '[' || *p == '{')
		return flow(f, p, ret, end);
	if (*p == '"' || *p == '\'')
		return quoted(f, p, ret, end);
	return flow_plain(f, p, ret, end);
}

/* [a, "b", {op: c}] or {k: v, ...} on one line. */
static int flow(struct fast *f, const char *p, struct ynode **ret, const char **end)
{
	bool map = *p == '{';
	char close = map ? '}' : ']';
	struct ynode *n;
	size_t base = f->sn;
	int r;

	if (++f->depth > FAST_MAX_DEPTH)
		return GIVE_UP;
	n = new_node(f, map ? YNODE_MAP : YNODE_SEQ, p);
	if (!n)
		return -ENOMEM;
	p = skip_spaces(f, p + 1);
	if (!at_eol(f, p) && *p == close) {
		*end = p + 1;
		goto done;
	}
	for (;;) {
		struct ynode *child;

		const char *key = p;

		if (map && !at_eol(f, p) && (*p == '[' || *p == '{'))
			return GIVE_UP;
		r = flow_node(f, p, &child, &p);
		if (r != OK)
			return r;
		if (map && p - key > FAST_MAX_KEY)
			return GIVE_UP;
		r = push(f, child);
		if (r != OK)
			return r;
		if (map) {
			if (at_eol(f, p) || *p != ':' || p + 1 >= f->end || p[1] != ' ')
				return GIVE_UP;
			p = skip_spaces(f, p + 1);
			if (!at_eol(f, p) && (*p == ',' || *p == '}'))
				return GIVE_UP; /* an empty value */
			r = flow_node(f, p, &child, &p);
			if (r != OK)
				return r;
			r = push(f, child);
			if (r != OK)
				return r;
		}
		p = skip_spaces(f, p);
		if (at_eol(f, p))
			return GIVE_UP;
		if (*p == close) {
			*end = p + 1;
			break;
		}
		if (*p != ',')
			return GIVE_UP; /* "[a: b]", "[a b]" ... */
		p = skip_spaces(f, p + 1);
		if (at_eol(f, p) || *p == close || *p == ',')
			return GIVE_UP;
	}
done:
	f->depth--;
	*ret = n;
	return pop_children(f, n, base);
}

/* A value on the line of its key or dash: a scalar or a flow collection,
 * then the end of the line. */
static int inline_value(struct fast *f, const char *p, struct ynode **ret)
{
	const char *end;
	bool colon;
	int r;

	if (*p == '[' || *p == '{')
		r = flow(f, p, ret, &end);
	else if (*p == '"' || *p == '\'')
		r = quoted(f, p, ret, &end);
	else {
		r = block_plain(f, p, ret, &end, &colon);
		if (r == OK && colon)
			return GIVE_UP; /* "a: b: c" */
	}
	return r != OK ? r : end_of_line(f, end);
}

static bool is_dash(const struct fast *f, const char *p)
{
	return *p == '-' && (at_eol(f, p + 1) || p[1] == ' ');
}

/* Whether the item at p is a key: a plain or quoted scalar, then ':' and
 * a space or the end of the line. */
static bool is_key(const struct fast *f, const char *p)
{
	if (*p == '"' || *p == '\'') {
		char q = *p;

		for (p++; !at_eol(f, p); p++) {
			if (q == '"' && *p == '\\' && p + 1 < f->end)
				p++;
			else if (*p == q && !(q == '\'' && p + 1 < f->end && p[1] == '\''))
				break;
			else if (*p == q)
				p++;
		}
		if (at_eol(f, p))
			return false;
		p++;
		return !at_eol(f, p) && *p == ':' && (at_eol(f, p + 1) || p[1] == ' ');
	}
	for (; !at_eol(f, p); p++) {
		if (*p == ':' && (at_eol(f, p + 1) || p[1] == ' '))
			return true;
		if (*p == '#' && p[-1] == ' ')
			return false;
	}
	return false;
}

/* The null of "key:" with nothing after: libyaml puts it just after the
 * colon (on line lineno, which starts at line). */
static int empty_scalar(struct fast *f, unsigned lineno, const char *line, const char *colon,
			struct ynode **ret)
{
	struct ynode *n = ynode_new(f->a);

	if (!n)
		return -ENOMEM;
	n->kind = YNODE_SCALAR;
	n->pos.line = lineno;
	n->pos.col = (unsigned)(colon + 1 - line) + 1;
	n->text = n->str = arena_strndup(f->a, "", 0);
	if (!n->text)
		return -ENOMEM;
	n->plain = true;
	n->stype = YSCALAR_NULL;
	*ret = n;
	return OK;
}

static int block_map(struct fast *f, int indent, const char *key, struct ynode **ret);
static int block_seq(struct fast *f, int indent, bool indentless, struct ynode **ret);

/* The block collection on the current content line, at f->ind. */
static int block_node(struct fast *f, struct ynode **ret)
{
	const char *p = f->line + f->ind;

	if (is_dash(f, p))
		return block_seq(f, f->ind, false, ret);
	return block_map(f, f->ind, p, ret);
}

/* A mapping whose keys are at column indent, the first at key. */
static int block_map(struct fast *f, int indent, const char *key, struct ynode **ret)
{
	struct ynode *n;
	size_t base = f->sn;
	int r;

	if (++f->depth > FAST_MAX_DEPTH)
		return GIVE_UP;
	n = new_node(f, YNODE_MAP, key);
	if (!n)
		return -ENOMEM;
	for (;;) {
		struct ynode *k, *v;
		const char *p;
		unsigned key_line = f->lineno;
		const char *kline = f->line, *colon;
		bool is_colon;

		if (*key == '"' || *key == '\'') {
			r = quoted(f, key, &k, &p);
			if (r == OK &&
			    (at_eol(f, p) || *p != ':' || !(at_eol(f, p + 1) || p[1] == ' ')))
				r = GIVE_UP;
		} else {
			r = block_plain(f, key, &k, &p, &is_colon);
			if (r == OK && !is_colon)
				r = GIVE_UP;
		}
		if (r != OK)
			return r;
		if (p - key > FAST_MAX_KEY)
			return GIVE_UP;
		r = push(f, k);
		if (r != OK)
			return r;
		colon = p;
		p = skip_spaces(f, p + 1);
		if (!at_eol(f, p) && *p != '#') {
			r = inline_value(f, p, &v);
		} else {
			/* the value, if any, is on the next lines */
			r = end_of_line(f, colon + 1);
			if (r != OK)
				return r;
			if (f->ind > indent)
				r = block_node(f, &v);
			else if (f->ind == indent && is_dash(f, f->line + f->ind))
				r = block_seq(f, indent, true, &v);
			else
				r = empty_scalar(f, key_line, kline, colon, &v);
		}
		if (r != OK)
			return r;
		r = push(f, v);
		if (r != OK)
			return r;
		if (f->ind < indent)
			break;
		if (f->ind > indent || is_dash(f, f->line + f->ind))
			return GIVE_UP;
		key = f->line + f->ind;
	}
	f->depth--;
	*ret = n;
	return pop_children(f, n, base);
}

/* A sequence whose dashes are at column indent; an indentless one (the
 * value of a key at the same column) ends at the next key. */
static int block_seq(struct fast *f, int indent, bool indentless, struct ynode **ret)
{
	struct ynode *n;
	size_t base = f->sn;
	int r;

	if (++f->depth > FAST_MAX_DEPTH)
		return GIVE_UP;
	n = new_node(f, YNODE_SEQ, f->line + indent);
	if (!n)
		return -ENOMEM;
	for (;;) {
		const char *p = skip_spaces(f, f->line + indent + 1);
		struct ynode *item;

		/* "-" alone (an empty item or one on the next lines), "- - a",
		 * "- # comment": libyaml's */
		if (at_eol(f, p) || *p == '#' || is_dash(f, p))
			return GIVE_UP;
		if (*p != '[' && *p != '{' && is_key(f, p))
			r = block_map(f, (int)(p - f->line), p, &item);
		else
			r = inline_value(f, p, &item);
		if (r != OK)
			return r;
		r = push(f, item);
		if (r != OK)
			return r;
		if (f->ind < indent)
			break;
		if (f->ind > indent)
			return GIVE_UP;
		if (!is_dash(f, f->line + f->ind)) {
			if (indentless)
				break;
			return GIVE_UP;
		}
	}
	f->depth--;
	*ret = n;
	return pop_children(f, n, base);
}

/*
 * Whether buf holds only printable ASCII and LF, eight bytes at a time.
 * Each test works on the low seven bits of a byte, so no carry crosses
 * from one byte into the next: a byte is bad when its high bit is set,
 * when its low bits are 0x7f, or when they are below ' ' and not '\n'.
 */
static bool printable(const char *buf, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones * 0x80, lows = ones * 0x7f;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, low, nl, ge_space, is_del, is_nl;

		memcpy(&w, buf + i, 8);
		low = w & lows;
		ge_space = (low + ones * (0x80 - 0x20)) & highs;
		is_del = (low + ones) & highs;
		nl = w ^ (ones * '\n');
		is_nl = ~(((nl & lows) + lows) | nl) & highs;
		if ((w & highs) | is_del | (~ge_space & highs & ~is_nl))
			return false;
	}
	for (; i < len; i++)
		if ((buf[i] < 0x20 || buf[i] > 0x7e) && buf[i] != '\n')
			return false;
	return true;
}

int nfd__yaml_fast_load(struct arena *a, const char *buf, size_t len, struct ynode **ret)
{
	struct fast f = {.a = a, .buf = buf, .end = buf + len, .line = buf, .lineno = 1};
	struct ynode *root = NULL;
	int r;

	if (!printable(buf, len))
		return GIVE_UP;
	/* an explicit start of the document, alone on its line */
	if (len >= 3 && memcmp(buf, "---", 3) == 0) {
		if (!at_eol(&f, buf + 3))
			return GIVE_UP;
		f.line = next_line(&f, buf);
		f.lineno++;
	}
	r = to_content(&f);
	if (r != OK)
		return r;
	/* an empty document or a scalar one: libyaml's */
	if (f.ind < 0)
		return GIVE_UP;
	r = block_node(&f, &root);
	free(f.stack);
	if (r != OK)
		return r;
	/* one document, and nothing after it */
	if (f.ind >= 0)
		return GIVE_UP;
	*ret = root;
	return OK;
}

bool nfd__yaml_tree_equal(const struct ynode *x, const struct ynode *y)
{
	if (!x || !y)
		return x == y;
	if (x->kind != y->kind || x->pos.line != y->pos.line || x->pos.col != y->pos.col ||
	    x->n != y->n)
		return false;
	if (x->kind == YNODE_SCALAR &&
	    (x->len != y->len || x->plain != y->plain || memcmp(x->text, y->text, x->len) != 0 ||
	     x->stype != y->stype || strcmp(x->str, y->str) != 0))
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (!nfd__yaml_tree_equal(x->items[i], y->items[i]))
			return false;
	return true;
}
