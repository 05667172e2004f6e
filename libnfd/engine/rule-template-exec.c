/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a varsTemplate (doc/semantics.md §8): Go's text/template semantics for the subset
 * rule-template.c parses, with missingkey=error, over the matched-element
 * data of one matcher; then NFD's "key=value" line parsing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"

#define MAX_DEPTH TEMPLATE_MAX_DEPTH
/*
 * Bounds on what one run may cost.  Go has none, but a spec may come from a
 * registry: "{{$x = print $x $x}}" doubles a string per action and nested
 * ranges multiply, so without them a small spec exhausts memory or time.
 * No real varsTemplate comes near them.
 */
#define MAX_VALUE    (1024 * 1024)	/* one string, and the whole output */
#define MAX_PRODUCED (64 * 1024 * 1024) /* all strings built in one run */
#define MAX_STEPS    (1u << 22)		/* template nodes executed */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* -------------------------------------------------------------- execution */

struct var {
	const char *name;
	struct tmpl_val v;
};

struct exec {
	struct nfd_arena *a;
	struct strbuf *out;
	const char *err;
	struct var vars[128];
	size_t n_vars;
	unsigned depth;
	unsigned steps;
	size_t produced;
};

static int xerr(struct exec *x, const char *fmt, ...) _printf_(2, 3);
static int xerr(struct exec *x, const char *fmt, ...)
{
	if (!x->err) {
		char buf[240];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		x->err = nfd__arena_strdup(x->a, buf);
		if (!x->err)
			x->err = "out of memory";
	}
	return -EINVAL;
}

static const struct tmpl_val nil_value = {.k = TMPL_NIL};

static bool truth(const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_STR:
		return v->s[0] != '\0';
	case TMPL_INT:
		return v->i != 0;
	case TMPL_BOOL:
		return v->b;
	case TMPL_MAP:
		return v->m && v->m->n > 0;
	case TMPL_LIST:
		return v->l && v->l->n > 0;
	default:
		return false;
	}
}

/* fmt's %v of a value */
static void print_value(struct strbuf *sb, const struct tmpl_val *v)
{
	switch (v->k) {
	case TMPL_NIL:
		strbuf_puts(sb, "<no value>");
		break;
	case TMPL_STR:
		strbuf_puts(sb, v->s);
		break;
	case TMPL_INT:
		strbuf_appendf(sb, "%" PRId64, v->i);
		break;
	case TMPL_BOOL:
		strbuf_puts(sb, v->b ? "true" : "false");
		break;
	case TMPL_LIST:
		strbuf_putc(sb, '[');
		for (size_t i = 0; v->l && i < v->l->n; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			print_value(sb, &v->l->items[i]);
		}
		strbuf_putc(sb, ']');
		break;
	case TMPL_MAP:
		strbuf_puts(sb, "map[");
		for (size_t i = 0; v->m && i < v->m->n; i++) {
			if (i)
				strbuf_putc(sb, ' ');
			strbuf_puts(sb, v->m->keys[i]);
			strbuf_putc(sb, ':');
			print_value(sb, &v->m->vals[i]);
		}
		strbuf_putc(sb, ']');
		break;
	}
}

static const struct tmpl_val *map_get(const struct tmpl_map *m, const char *key)
{
	size_t lo = 0, hi = m ? m->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, m->keys[mid]);

		if (c == 0)
			return &m->vals[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The zero value of a map's elements, for index on a missing key. */
static struct tmpl_val map_zero(const struct tmpl_map *m)
{
	struct tmpl_val z = {.k = m && m->elem ? TMPL_STR : TMPL_NIL, .s = ""};

	if (m && m->n && !m->elem)
		z.k = m->vals[0].k, z.s = "", z.m = NULL, z.l = NULL;
	return z;
}

static int fields(struct exec *x, struct tmpl_val v, const char *const *names, size_t n,
		  struct tmpl_val *ret)
{
	for (size_t i = 0; i < n; i++) {
		const struct tmpl_val *f;

		if (v.k != TMPL_MAP)
			return xerr(x, "template: can't evaluate field %s in a non-map value",
				    names[i]);
		f = map_get(v.m, names[i]);
		if (!f) /* missingkey=error */
			return xerr(x, "template: map has no entry for key \"%s\"", names[i]);
		v = *f;
	}
	*ret = v;
	return 0;
}

static struct tmpl_val str_value(const char *s)
{
	return (struct tmpl_val){.k = TMPL_STR, .s = s};
}

/*
 * An arena copy of what sb built, sb released; NULL with the error set when
 * it is over the bounds or memory ran out (callers substitute "" and the
 * error ends the run, see eval_cmd()).
 */
static const char *take_str(struct exec *x, struct strbuf *sb)
{
	const char *s = NULL;

	if (sb->len > MAX_VALUE)
		xerr(x, "template: a value is larger than %u bytes", MAX_VALUE);
	else if (sb->len > MAX_PRODUCED - x->produced)
		xerr(x, "template: the values built exceed %u bytes", MAX_PRODUCED);
	else if (!strbuf_str(sb) ||
		 !(s = nfd__arena_strndup(x->a, sb->buf ? sb->buf : "", sb->len)))
		xerr(x, "template: out of memory");
	else
		x->produced += sb->len;
	strbuf_release(sb);
	return s;
}

static const char *to_str(struct exec *x, const struct tmpl_val *v)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	if (v->k == TMPL_STR)
		return v->s;
	print_value(&sb, v);
	s = take_str(x, &sb);
	return s ? s : "";
}

static int eval_pipe(struct exec *x, const struct tmpl_val *dot, const struct tmpl_pipe *pp,
		     struct tmpl_val *ret);

static int compare(struct exec *x, const struct tmpl_val *a, const struct tmpl_val *b, int *ret)
{
	if (a->k != b->k || (a->k != TMPL_STR && a->k != TMPL_INT && a->k != TMPL_BOOL))
		return xerr(x, "template: incompatible types for comparison");
	if (a->k == TMPL_STR)
		*ret = strcmp(a->s, b->s);
	else if (a->k == TMPL_INT)
		*ret = (a->i > b->i) - (a->i < b->i);
	else
		*ret = (int)a->b - (int)b->b;
	return 0;
}

static const char *arg_str(struct exec *x, const struct tmpl_val *v)
{
	return v->k == TMPL_NIL ? "" : to_str(x, v);
}

static int go_printf(struct exec *x, const struct tmpl_val *args, size_t n, struct tmpl_val *ret)
{
	struct strbuf sb = STRBUF_INIT;
	const char *f = arg_str(x, &args[0]);
	size_t ai = 1;

	for (; *f; f++) {
		if (*f != '%') {
			strbuf_putc(&sb, *f);
			continue;
		}
		f++;
		if (*f == '%') {
			strbuf_putc(&sb, '%');
			continue;
		}
		if (ai >= n) {
			strbuf_appendf(&sb, "%%!%c(MISSING)", *f);
			continue;
		}
		if (*f == 'q') {
			nfd__go_quote(&sb, arg_str(x, &args[ai++]));
		} else if (*f == 's' || *f == 'v' || *f == 'd') {
			print_value(&sb, &args[ai++]);
		} else {
			strbuf_release(&sb);
			return xerr(x, "template: unsupported printf verb %%%c", *f);
		}
	}
	f = take_str(x, &sb);
	*ret = str_value(f ? f : "");
	return f ? 0 : -EINVAL;
}

static const char *string_fn(struct exec *x, const char *fn, const char *const *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *last = s[n - 1];
	const char *r;

	if (streq(fn, "lower") || streq(fn, "upper")) {
		for (const char *p = last; *p; p++)
			strbuf_putc(&sb, streq(fn, "lower")
						 ? (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p)
						 : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
	} else if (streq(fn, "trim")) {
		const char *b = last, *e = last + strlen(last);

		while (*b && is_space(*b))
			b++;
		while (e > b && is_space(e[-1]))
			e--;
		strbuf_append(&sb, b, (size_t)(e - b));
	} else if (streq(fn, "trimPrefix")) {
		strbuf_puts(&sb, strstartswith(last, s[0]) ? last + strlen(s[0]) : last);
	} else if (streq(fn, "trimSuffix")) {
		size_t ls = strlen(last), lf = strlen(s[0]);

		strbuf_append(&sb, last, ls >= lf && streq(last + ls - lf, s[0]) ? ls - lf : ls);
	} else if (streq(fn, "trimAll")) {
		const char *b = last, *e = last + strlen(last);

		while (*b && strchr(s[0], *b))
			b++;
		while (e > b && strchr(s[0], e[-1]))
			e--;
		strbuf_append(&sb, b, (size_t)(e - b));
	} else if (streq(fn, "replace")) {
		size_t lo = strlen(s[0]);

		for (const char *p = last; *p && sb.len <= MAX_VALUE;) {
			if (lo && strncmp(p, s[0], lo) == 0) {
				strbuf_puts(&sb, s[1]);
				p += lo;
			} else {
				strbuf_putc(&sb, *p++);
			}
		}
	} else if (streq(fn, "quote") || streq(fn, "squote")) {
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_putc(&sb, ' ');
			if (streq(fn, "quote"))
				nfd__go_quote(&sb, s[i]);
			else
				strbuf_appendf(&sb, "'%s'", s[i]);
		}
	} else {
		strbuf_puts(&sb, last); /* toString */
	}
	r = take_str(x, &sb);
	return r ? r : "";
}

static const struct {
	const char *name;
	int min, max; /* argument counts */
} funcs[] = {
	{"and", 1, 99},	   {"or", 1, 99},	 {"not", 1, 1},	       {"eq", 2, 99},
	{"ne", 2, 2},	   {"lt", 2, 2},	 {"le", 2, 2},	       {"gt", 2, 2},
	{"ge", 2, 2},	   {"len", 1, 1},	 {"index", 1, 99},     {"print", 0, 99},
	{"printf", 1, 99}, {"println", 0, 99},	 {"lower", 1, 1},      {"upper", 1, 1},
	{"trim", 1, 1},	   {"trimPrefix", 2, 2}, {"trimSuffix", 2, 2}, {"trimAll", 2, 2},
	{"replace", 3, 3}, {"contains", 2, 2},	 {"hasPrefix", 2, 2},  {"hasSuffix", 2, 2},
	{"default", 1, 2}, {"quote", 0, 99},	 {"squote", 0, 99},    {"toString", 1, 1},
};

static int call(struct exec *x, const char *fn, const struct tmpl_val *args, size_t n,
		struct tmpl_val *ret)
{
	size_t i;
	int c = 0;

	for (i = 0; i < ARRAY_SIZE(funcs); i++)
		if (streq(funcs[i].name, fn))
			break;
	if (i == ARRAY_SIZE(funcs))
		return xerr(x, "template: function \"%s\" not defined", fn);
	if ((int)n < funcs[i].min || (int)n > funcs[i].max)
		return xerr(x, "template: wrong number of arguments for %s", fn);
	if (streq(fn, "and") || streq(fn, "or")) {
		/* the first falsy (and) or truthy (or) argument, else the last */
		for (i = 0; i + 1 < n; i++)
			if (truth(&args[i]) == streq(fn, "or"))
				break;
		*ret = args[i];
	} else if (streq(fn, "not")) {
		*ret = (struct tmpl_val){.k = TMPL_BOOL, .b = !truth(&args[0])};
	} else if (streq(fn, "eq")) {
		bool any = false;

		for (i = 1; i < n && !any; i++) {
			if (compare(x, &args[0], &args[i], &c) < 0)
				return -EINVAL;
			any = c == 0;
		}
		*ret = (struct tmpl_val){.k = TMPL_BOOL, .b = any};
	} else if (streq(fn, "ne") || streq(fn, "lt") || streq(fn, "le") || streq(fn, "gt") ||
		   streq(fn, "ge")) {
		if (compare(x, &args[0], &args[1], &c) < 0)
			return -EINVAL;
		*ret = (struct tmpl_val){.k = TMPL_BOOL,
					 .b = streq(fn, "ne")	? c != 0
					      : streq(fn, "lt") ? c < 0
					      : streq(fn, "le") ? c <= 0
					      : streq(fn, "gt") ? c > 0
								: c >= 0};
	} else if (streq(fn, "len")) {
		const struct tmpl_val *v = &args[0];

		if (v->k == TMPL_STR)
			c = (int)strlen(v->s);
		else if (v->k == TMPL_LIST || v->k == TMPL_MAP)
			c = v->k == TMPL_LIST ? (v->l ? (int)v->l->n : 0)
					      : (v->m ? (int)v->m->n : 0);
		else
			return xerr(x, "template: len of a value without length");
		*ret = (struct tmpl_val){.k = TMPL_INT, .i = c};
	} else if (streq(fn, "index")) {
		struct tmpl_val v = args[0];

		for (i = 1; i < n; i++) {
			if (v.k == TMPL_MAP && args[i].k == TMPL_STR) {
				const struct tmpl_val *f = map_get(v.m, args[i].s);

				v = f ? *f : map_zero(v.m);
			} else if (v.k == TMPL_LIST && args[i].k == TMPL_INT) {
				if (args[i].i < 0 || !v.l || (size_t)args[i].i >= v.l->n)
					return xerr(x, "template: index out of range");
				v = v.l->items[args[i].i];
			} else {
				return xerr(x, "template: can't index item");
			}
		}
		*ret = v;
	} else if (streq(fn, "print") || streq(fn, "println")) {
		struct strbuf sb = STRBUF_INIT;
		const char *s0;

		for (i = 0; i < n; i++) {
			/* Sprint puts spaces between operands when neither is a string */
			if (i && (streq(fn, "println") ||
				  (args[i - 1].k != TMPL_STR && args[i].k != TMPL_STR)))
				strbuf_putc(&sb, ' ');
			print_value(&sb, &args[i]);
		}
		if (streq(fn, "println"))
			strbuf_putc(&sb, '\n');
		s0 = take_str(x, &sb);
		*ret = str_value(s0 ? s0 : "");
	} else if (streq(fn, "printf")) {
		return go_printf(x, args, n, ret);
	} else if (streq(fn, "default")) {
		*ret = n == 2 && truth(&args[1]) ? args[1] : args[0];
	} else if (streq(fn, "contains") || streq(fn, "hasPrefix") || streq(fn, "hasSuffix")) {
		const char *a0 = arg_str(x, &args[0]), *a1 = arg_str(x, &args[1]);
		size_t l0 = strlen(a0), l1 = strlen(a1);
		bool b = streq(fn, "contains")	  ? strstr(a1, a0) != NULL
			 : streq(fn, "hasPrefix") ? strncmp(a1, a0, l0) == 0
						  : l1 >= l0 && streq(a1 + l1 - l0, a0);

		*ret = (struct tmpl_val){.k = TMPL_BOOL, .b = b};
	} else {
		const char *s[99];

		for (i = 0; i < n; i++)
			s[i] = arg_str(x, &args[i]);
		*ret = str_value(n ? string_fn(x, fn, s, n) : "");
	}
	return 0;
}

static int eval_arg(struct exec *x, const struct tmpl_val *dot, const struct tmpl_arg *a,
		    struct tmpl_val *ret)
{
	struct tmpl_val v;
	int r;

	switch (a->kind) {
	case TMPL_ARG_DOT:
		return fields(x, *dot, a->fields, a->n_fields, ret);
	case TMPL_ARG_VAR:
		for (size_t i = x->n_vars; i-- > 0;)
			if (streq(x->vars[i].name, a->name))
				return fields(x, x->vars[i].v, a->fields, a->n_fields, ret);
		return xerr(x, "template: undefined variable \"$%s\"", a->name);
	case TMPL_ARG_STRING:
		*ret = str_value(a->str);
		return 0;
	case TMPL_ARG_NUMBER:
		*ret = (struct tmpl_val){.k = TMPL_INT, .i = a->num};
		return 0;
	case TMPL_ARG_BOOL:
		*ret = (struct tmpl_val){.k = TMPL_BOOL, .b = a->b};
		return 0;
	case TMPL_ARG_PIPE:
		r = eval_pipe(x, dot, a->pipe, &v);
		return r < 0 ? r : fields(x, v, a->fields, a->n_fields, ret);
	case TMPL_ARG_FUNC:
		return call(x, a->name, NULL, 0, ret);
	}
	return -EINVAL;
}

static int eval_cmd(struct exec *x, const struct tmpl_val *dot, const struct tmpl_cmd *c,
		    const struct tmpl_val *piped, struct tmpl_val *ret)
{
	struct tmpl_val args[34];
	size_t n = 0;

	if (c->args[0].kind != TMPL_ARG_FUNC) {
		if (c->n_args > 1 || piped)
			return xerr(x, "template: can't give arguments to a non-function");
		return eval_arg(x, dot, &c->args[0], ret);
	}
	/* and/or stop at the first argument that decides, unevaluated rest
	 * cannot fail (Go 1.18) */
	if ((streq(c->args[0].name, "and") || streq(c->args[0].name, "or")) && !piped &&
	    c->n_args > 1) {
		bool is_or = streq(c->args[0].name, "or");

		for (size_t i = 1; i < c->n_args; i++) {
			if (eval_arg(x, dot, &c->args[i], ret) < 0)
				return -EINVAL;
			if (truth(ret) == is_or)
				break;
		}
		return 0;
	}
	for (size_t i = 1; i < c->n_args; i++)
		if (eval_arg(x, dot, &c->args[i], &args[n++]) < 0)
			return -EINVAL;
	if (piped)
		args[n++] = *piped;
	/* a string over the bounds is "" with x->err set: stop there */
	if (call(x, c->args[0].name, args, n, ret) < 0 || x->err)
		return -EINVAL;
	return 0;
}

static int set_var(struct exec *x, const char *name, struct tmpl_val v, bool assign)
{
	if (assign) {
		for (size_t i = x->n_vars; i-- > 0;)
			if (streq(x->vars[i].name, name)) {
				x->vars[i].v = v;
				return 0;
			}
		return xerr(x, "template: undefined variable \"$%s\"", name);
	}
	if (x->n_vars == ARRAY_SIZE(x->vars))
		return xerr(x, "template: too many variables");
	x->vars[x->n_vars].name = name;
	x->vars[x->n_vars++].v = v;
	return 0;
}

static int eval_pipe(struct exec *x, const struct tmpl_val *dot, const struct tmpl_pipe *pp,
		     struct tmpl_val *ret)
{
	struct tmpl_val v = nil_value;

	for (size_t i = 0; i < pp->n_cmds; i++)
		if (eval_cmd(x, dot, &pp->cmds[i], i ? &v : NULL, &v) < 0)
			return -EINVAL;
	/* in range, the variables get index and element; elsewhere the value */
	if (pp->n_vars == 1 && !ret)
		return set_var(x, pp->vars[0], v, pp->assign);
	if (ret)
		*ret = v;
	return 0;
}

static int run_list(struct exec *x, const struct tmpl_val *dot, const struct tmpl_node *n);

static int run_range(struct exec *x, const struct tmpl_val *dot, const struct tmpl_node *n,
		     const struct tmpl_val *v)
{
	size_t count = v->k == TMPL_LIST  ? (v->l ? v->l->n : 0)
		       : v->k == TMPL_MAP ? (v->m ? v->m->n : 0)
					  : 0;

	if (v->k != TMPL_LIST && v->k != TMPL_MAP && v->k != TMPL_NIL)
		return xerr(x, "template: range can't iterate over %s", to_str(x, v));
	if (count == 0)
		return n->else_body ? run_list(x, dot, n->else_body) : 0;
	for (size_t i = 0; i < count; i++) {
		struct tmpl_val key = v->k == TMPL_LIST
					      ? (struct tmpl_val){.k = TMPL_INT, .i = (int64_t)i}
					      : str_value(v->m->keys[i]);
		const struct tmpl_val *elem = v->k == TMPL_LIST ? &v->l->items[i] : &v->m->vals[i];
		size_t saved = x->n_vars;
		int r = 0;

		if (n->pipe->n_vars == 2) {
			r = set_var(x, n->pipe->vars[0], key, false);
			if (r >= 0)
				r = set_var(x, n->pipe->vars[1], *elem, false);
		} else if (n->pipe->n_vars == 1) {
			r = set_var(x, n->pipe->vars[0], *elem, false);
		}
		if (r >= 0)
			r = run_list(x, elem, n->body);
		x->n_vars = saved;
		if (r < 0)
			return r;
	}
	return 0;
}

static int run_list(struct exec *x, const struct tmpl_val *dot, const struct tmpl_node *n)
{
	size_t saved = x->n_vars;
	int r = 0;

	if (++x->depth > MAX_DEPTH)
		return xerr(x, "template: exceeded maximum depth");
	for (; n && r >= 0; n = n->next) {
		struct tmpl_val v;

		if (++x->steps > MAX_STEPS) {
			r = xerr(x, "template: more than %u steps", MAX_STEPS);
			break;
		}
		switch (n->kind) {
		case TMPL_NODE_TEXT:
			strbuf_append(x->out, n->text, n->len);
			break;
		case TMPL_NODE_ACTION:
			if (n->pipe->n_vars) {
				r = eval_pipe(x, dot, n->pipe, NULL);
				break;
			}
			r = eval_pipe(x, dot, n->pipe, &v);
			if (r >= 0)
				print_value(x->out, &v);
			break;
		case TMPL_NODE_IF:
		case TMPL_NODE_WITH: {
			struct tmpl_pipe cond = *n->pipe;
			size_t inner = x->n_vars;

			cond.n_vars = 0;
			r = eval_pipe(x, dot, &cond, &v);
			if (r < 0)
				break;
			if (n->pipe->n_vars)
				r = set_var(x, n->pipe->vars[0], v, n->pipe->assign);
			if (r >= 0 && truth(&v))
				r = run_list(x, n->kind == TMPL_NODE_WITH ? &v : dot, n->body);
			else if (r >= 0 && n->else_body) /* "else if" is an if node there */
				r = run_list(x, dot, n->else_body);
			x->n_vars = inner;
			break;
		}
		case TMPL_NODE_RANGE: {
			struct tmpl_pipe src = *n->pipe;

			src.n_vars = 0;
			r = eval_pipe(x, dot, &src, &v);
			if (r >= 0)
				r = run_range(x, dot, n, &v);
			break;
		}
		}
		if (r >= 0 && x->out->len > MAX_VALUE)
			r = xerr(x, "template: the output is larger than %u bytes", MAX_VALUE);
		if (r >= 0 && x->err)
			r = -EINVAL;
	}
	x->n_vars = saved;
	x->depth--;
	return r;
}

int nfd__template_execute(struct nfd_arena *a, const struct nfd_template *t,
			  const struct tmpl_val *data, struct strbuf *out, const char **ret_err)
{
	struct exec x = {.a = a, .out = out};
	int r;

	x.vars[0].name = ""; /* $ */
	x.vars[0].v = *data;
	x.n_vars = 1;
	r = run_list(&x, data, t->root);
	*ret_err = x.err;
	if (r < 0 && !x.err)
		*ret_err = "template: execution failed";
	return r < 0 ? -EINVAL : 0;
}

/* ------------------------------------------------------------ rule vars */

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* matchedFeatures as a template value: data[dom][nam] = [elements] */
static int build_data(struct nfd_arena *a, const struct nfd_elems *e, struct tmpl_val *ret)
{
	const char **doms = nfd__arena_alloc(a, (e->n + 1) * sizeof(*doms));
	struct tmpl_map *root = nfd__arena_alloc(a, sizeof(*root));
	size_t n = 0;

	if (!doms || !root)
		return -ENOMEM;
	for (size_t i = 0; i < e->n; i++)
		doms[n++] = e->entries[i].dom;
	if (n)
		qsort(doms, n, sizeof(*doms), cmp_cstr);
	root->keys = doms;
	root->vals = nfd__arena_alloc(a, (n + 1) * sizeof(*root->vals));
	if (!root->vals)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_map *dm;
		size_t k = 0;

		if (root->n && streq(root->keys[root->n - 1], doms[i]))
			continue;
		dm = nfd__arena_alloc(a, sizeof(*dm));
		if (!dm)
			return -ENOMEM;
		dm->keys = nfd__arena_alloc(a, (e->n + 1) * sizeof(*dm->keys));
		dm->vals = nfd__arena_alloc(a, (e->n + 1) * sizeof(*dm->vals));
		if (!dm->keys || !dm->vals)
			return -ENOMEM;
		for (size_t j = 0; j < e->n; j++)
			if (streq(e->entries[j].dom, doms[i]) && e->entries[j].nam)
				dm->keys[k++] = e->entries[j].nam;
		if (k)
			qsort(dm->keys, k, sizeof(*dm->keys), cmp_cstr);
		for (size_t j = 0; j < k; j++) {
			for (size_t q = 0; q < e->n; q++) {
				const struct nfd_elems_entry *en = &e->entries[q];
				struct tmpl_list *l;

				if (!en->nam || !streq(en->dom, doms[i]) ||
				    !streq(en->nam, dm->keys[j]))
					continue;
				l = nfd__arena_alloc(a, sizeof(*l));
				if (!l)
					return -ENOMEM;
				l->items = en->items;
				l->n = en->n;
				dm->vals[dm->n].k = TMPL_LIST;
				dm->vals[dm->n].l = l;
				dm->keys[dm->n++] = en->nam;
				break;
			}
		}
		root->keys[root->n] = doms[i];
		root->vals[root->n].k = TMPL_MAP;
		root->vals[root->n++].m = dm;
	}
	*ret = (struct tmpl_val){.k = TMPL_MAP, .m = root};
	return 0;
}

static int put_var(struct nfd_kv **vars, size_t *n, const char *key, const char *value)
{
	struct nfd_kv *p;
	size_t i = 0;

	while (i < *n && strcmp((*vars)[i].key, key) < 0)
		i++;
	if (i < *n && streq((*vars)[i].key, key)) {
		(*vars)[i].value = value; /* later lines and runs win */
		return 0;
	}
	p = realloc(*vars, (*n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	memmove(&p[i + 1], &p[i], (*n - i) * sizeof(*p));
	p[i] = (struct nfd_kv){key, value};
	*vars = p;
	(*n)++;
	return 0;
}

int nfd__template_vars(struct nfd_eval *ev, const struct nfd_rule *rule,
		       const struct nfd_elems *elems, struct nfd_kv **vars, size_t *n_vars)
{
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	struct nfd_arena *a = elems->a;
	/* the run's data and intermediate strings die with it: only the vars
	 * (from the output, copied into a) live as long as the evaluation */
	struct nfd_arena run = {};
	const char *err = rule->vars_template_err;
	struct tmpl_val data;
	char *text, *line, *save = NULL;
	int r = 0;

	if (!err) {
		r = build_data(&run, elems, &data);
		if (r >= 0 &&
		    nfd__template_execute(&run, rule->vars_template, &data, &out, &err) < 0 && !err)
			err = "template: execution failed";
	}
	if (r < 0)
		r = nfd__oom(ev->ctx);
	else if (err)
		r = nfd__error(ev->ctx, EBADMSG, "%s:%u:%u: rule \"%s\": %s", ev->spec->name,
			       rule->pos.line, rule->pos.col, rule->name, err);
	nfd__arena_release(&run);
	if (r < 0)
		return r;
	if (!strbuf_str(&out))
		return nfd__oom(ev->ctx);
	text = nfd__arena_strndup(a, out.buf ? out.buf : "", out.len);
	if (!text)
		return nfd__oom(ev->ctx);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end = line + strlen(line), *eq;

		while (*line && is_space(*line))
			line++;
		while (end > line && (is_space(end[-1]) || end[-1] == '\v' || end[-1] == '\f'))
			*--end = '\0';
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return nfd__error(
				ev->ctx, EBADMSG,
				"%s:%u:%u: rule \"%s\": missing value in expanded template "
				"line \"%s\", (format must be '<key>=<value>')",
				ev->spec->name, rule->pos.line, rule->pos.col, rule->name, line);
		*eq = '\0';
		if (put_var(vars, n_vars, line, eq + 1) < 0)
			return nfd__oom(ev->ctx);
	}
	return 0;
}
