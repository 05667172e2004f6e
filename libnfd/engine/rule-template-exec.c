/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a template (Go's text/template exec.go) with missingkey=error:
 * actions, pipelines, variables, if/with/range with else, break and
 * continue, template calls, and the bounds on one run's work (steps,
 * bytes built, output size) plus the evaluation's budget shared by all the
 * rules of one evaluation (doc/templates.md, "Limits").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/array.h"

/* run_list() results besides 0 and -errno */
#define R_BREAK	   1
#define R_CONTINUE 2

static const struct tmpl_func *const *tables(void)
{
	static const struct tmpl_func *const t[] = {
		nfd__tmpl_builtin_funcs,     nfd__tmpl_sprig_str_funcs,
		nfd__tmpl_sprig_list_funcs,  nfd__tmpl_sprig_math_funcs,
		nfd__tmpl_sprig_enc_funcs,   nfd__tmpl_sprig_semver_funcs,
		nfd__tmpl_sprig_regex_funcs, NULL,
	};
	return t;
}

const struct tmpl_func *nfd__tmpl_func_find(const char *name)
{
	for (const struct tmpl_func *const *t = tables(); *t; t++)
		for (const struct tmpl_func *f = *t; f->name; f++)
			if (streq(f->name, name))
				return f;
	return NULL;
}

struct exec_state {
	const char *tname; /* the template running */
	const char *fname; /* the function being called */
	size_t var_base;
};

/* kept beside struct tmpl_exec so that function files need not see it */
static _Thread_local struct exec_state *cur;

int nfd__tmpl_err(struct tmpl_exec *x, const char *fmt, ...)
{
	if (!x->err) {
		char msg[300], buf[420];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		if (streq(msg, "out of memory")) {
			x->err = "out of memory";
			return -ENOMEM;
		}
		snprintf(buf, sizeof(buf), "template: :%u:%u: executing \"%s\": %s%s%s", x->line,
			 x->col, cur && cur->tname ? cur->tname : "",
			 cur && cur->fname ? "error calling " : "",
			 cur && cur->fname ? cur->fname : "", cur && cur->fname ? ": " : "");
		strncat(buf, msg, sizeof(buf) - strlen(buf) - 1);
		x->err = arena_strdup(x->a, buf);
		if (!x->err)
			x->err = "out of memory";
	}
	return -EINVAL;
}

static int charge(struct tmpl_exec *x, uint64_t steps, uint64_t units)
{
	x->steps += steps;
	if (x->steps > TMPL_MAX_STEPS)
		return nfd__tmpl_err(x, "more than %u steps (the limit of one template run)",
				     TMPL_MAX_STEPS);
	if (x->budget) {
		if (*x->budget < units) {
			*x->budget = 0;
			return nfd__tmpl_err(x, "the evaluation's work budget is spent");
		}
		*x->budget -= units;
	}
	return 0;
}

int nfd__tmpl_charge(struct tmpl_exec *x, uint64_t n)
{
	return charge(x, n, n);
}

int nfd__tmpl_charge_bytes(struct tmpl_exec *x, uint64_t n)
{
	return charge(x, n / TMPL_BYTES_PER_STEP, n / TMPL_BYTES_PER_UNIT);
}

void *nfd__tmpl_alloc(struct tmpl_exec *x, size_t size)
{
	void *p;

	/* lists and maps are built values too: their memory counts against
	 * the run's bound and costs like the bytes of a string */
	if (size > TMPL_MAX_PRODUCED - x->produced) {
		nfd__tmpl_err(x, "the values built exceed %u bytes", TMPL_MAX_PRODUCED);
		return NULL;
	}
	if (nfd__tmpl_charge_bytes(x, size) < 0)
		return NULL;
	p = arena_alloc(x->a, size ? size : 1);
	if (!p)
		nfd__tmpl_err(x, "out of memory");
	else
		x->produced += size;
	return p;
}

const char *nfd__tmpl_take(struct tmpl_exec *x, struct strbuf *sb)
{
	const char *s = NULL;

	if (sb->len > TMPL_MAX_OUTPUT)
		nfd__tmpl_err(x, "a value is larger than %u bytes", TMPL_MAX_OUTPUT);
	else if (sb->len > TMPL_MAX_PRODUCED - x->produced)
		nfd__tmpl_err(x, "the values built exceed %u bytes", TMPL_MAX_PRODUCED);
	else if (nfd__tmpl_charge_bytes(x, sb->len) < 0)
		;
	else if (!strbuf_str(sb) || !(s = arena_strndup(x->a, sb->buf ? sb->buf : "", sb->len)))
		nfd__tmpl_err(x, "out of memory");
	else
		x->produced += sb->len;
	strbuf_release(sb);
	return s;
}

/* ------------------------------------------------------------- variables */

static int push_var(struct tmpl_exec *x, const char *name, struct tmpl_val v)
{
	if (x->n_vars == x->cap_vars) {
		size_t cap = x->cap_vars ? x->cap_vars * 2 : 32;
		struct tmpl_var *p = realloc(x->vars, cap * sizeof(*p));

		if (!p)
			return nfd__tmpl_err(x, "out of memory");
		x->vars = p;
		x->cap_vars = cap;
	}
	x->vars[x->n_vars++] = (struct tmpl_var){name, v};
	return 0;
}

static struct tmpl_var *find_var(struct tmpl_exec *x, const char *name)
{
	for (size_t i = x->n_vars; i-- > cur->var_base;)
		if (streq(x->vars[i].name, name))
			return &x->vars[i];
	nfd__tmpl_err(x, "undefined variable: $%s", name);
	return NULL;
}

/* ------------------------------------------------------------ evaluation */

static int field(struct tmpl_exec *x, struct tmpl_val *v, const char *name)
{
	const struct tmpl_val *f;

	if (v->k == TMPL_NIL)
		return nfd__tmpl_err(x, "nil pointer evaluating interface {}.%s", name);
	if (v->k != TMPL_MAP)
		return nfd__tmpl_err(x, "can't evaluate field %s in type %s", name,
				     nfd__tmpl_type_name(v));
	f = nfd__tmpl_map_get(v->m, name);
	if (!f) /* missingkey=error */
		return nfd__tmpl_err(x, "map has no entry for key \"%s\"", name);
	*v = *f;
	return 0;
}

static int fields(struct tmpl_exec *x, struct tmpl_val v, const char *const *names, size_t n,
		  struct tmpl_val *ret)
{
	for (size_t i = 0; i < n; i++)
		if (field(x, &v, names[i]) < 0)
			return -EINVAL;
	*ret = v;
	return 0;
}

static int eval_pipe(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_pipe *pp,
		     struct tmpl_val *ret);

static int eval_arg(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_arg *a,
		    struct tmpl_val *ret)
{
	struct tmpl_val v;
	struct tmpl_var *var;

	switch (a->kind) {
	case TMPL_ARG_DOT:
		return fields(x, *dot, a->fields, a->n_fields, ret);
	case TMPL_ARG_VAR:
		var = find_var(x, a->name);
		return var ? fields(x, var->v, a->fields, a->n_fields, ret) : -EINVAL;
	case TMPL_ARG_CONST:
		*ret = a->val;
		return 0;
	case TMPL_ARG_NIL:
		*ret = (struct tmpl_val){.k = TMPL_NIL};
		return 0;
	case TMPL_ARG_PIPE:
		if (eval_pipe(x, dot, a->pipe, &v) < 0)
			return -EINVAL;
		return fields(x, v, a->fields, a->n_fields, ret);
	case TMPL_ARG_FUNC:
		/* a function as an argument is called without arguments */
		if (a->fn->min > 0)
			return nfd__tmpl_err(x,
					     "wrong number of args for %s: want at least %d got 0",
					     a->name, a->fn->min);
		return a->fn->fn(x, NULL, 0, ret);
	}
	return -EINVAL;
}

static int call(struct tmpl_exec *x, const struct tmpl_arg *f, const struct tmpl_val *args,
		size_t n, struct tmpl_val *ret)
{
	const char *saved = cur->fname;
	int r;

	if ((int)n < f->fn->min || (f->fn->max >= 0 && (int)n > f->fn->max)) {
		if (f->fn->min == f->fn->max)
			return nfd__tmpl_err(x, "wrong number of args for %s: want %d got %zu",
					     f->name, f->fn->min, n);
		return nfd__tmpl_err(x, "wrong number of args for %s: want at least %d got %zu",
				     f->name, f->fn->min, n);
	}
	if (nfd__tmpl_charge(x, 1) < 0)
		return -EINVAL;
	cur->fname = f->name;
	r = f->fn->fn(x, args, n, ret);
	cur->fname = saved;
	if (r < 0 && !x->err)
		nfd__tmpl_err(x, "error calling %s", f->name);
	return r < 0 || x->err ? -EINVAL : 0;
}

static int eval_cmd(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_cmd *c,
		    const struct tmpl_val *piped, struct tmpl_val *ret)
{
	const struct tmpl_arg *a0 = &c->args[0];
	struct tmpl_val stack[8], *args = stack, piped_copy;
	size_t n = 0;
	int r;

	x->line = c->line;
	x->col = c->col;
	if (piped) { /* ret may be where piped points */
		piped_copy = *piped;
		piped = &piped_copy;
	}
	if (a0->kind != TMPL_ARG_FUNC) {
		if (c->n_args > 1 || piped)
			return nfd__tmpl_err(x, "can't give argument to non-function %s",
					     a0->kind == TMPL_ARG_NIL ? "nil" : "value");
		if (a0->kind == TMPL_ARG_NIL)
			return nfd__tmpl_err(x, "nil is not a command");
		return eval_arg(x, dot, a0, ret);
	}
	/* and/or stop at the first argument that decides (Go 1.18) */
	if (streq(a0->name, "and") || streq(a0->name, "or")) {
		bool is_or = streq(a0->name, "or");

		if (c->n_args < 2 && !piped)
			return nfd__tmpl_err(
				x, "wrong number of args for %s: want at least 1 got 0", a0->name);
		for (size_t i = 1; i < c->n_args; i++) {
			if (eval_arg(x, dot, &c->args[i], ret) < 0)
				return -EINVAL;
			if (nfd__tmpl_truth(ret) == is_or)
				return 0;
		}
		if (piped)
			*ret = *piped;
		return 0;
	}
	if (c->n_args + 1 > ARRAY_SIZE(stack)) {
		args = malloc((c->n_args + 1) * sizeof(*args));
		if (!args)
			return nfd__tmpl_err(x, "out of memory");
	}
	r = 0;
	for (size_t i = 1; i < c->n_args && r >= 0; i++)
		r = eval_arg(x, dot, &c->args[i], &args[n++]);
	if (r >= 0 && piped)
		args[n++] = *piped;
	if (r >= 0) {
		x->line = c->line;
		x->col = c->col;
		r = call(x, a0, args, n, ret);
	}
	if (args != stack)
		free(args);
	return r < 0 ? -EINVAL : 0;
}

/* The pipeline's value; its declarations are made by the caller. */
static int eval_pipe_value(struct tmpl_exec *x, const struct tmpl_val *dot,
			   const struct tmpl_pipe *pp, struct tmpl_val *ret)
{
	struct tmpl_val v = {.k = TMPL_NIL};

	for (size_t i = 0; i < pp->n_cmds; i++) {
		if (nfd__tmpl_charge(x, 1) < 0 ||
		    eval_cmd(x, dot, &pp->cmds[i], i ? &v : NULL, &v) < 0)
			return -EINVAL;
	}
	*ret = v;
	return 0;
}

static int declare(struct tmpl_exec *x, const struct tmpl_pipe *pp, size_t i, struct tmpl_val v)
{
	struct tmpl_var *var;

	if (!pp->assign)
		return push_var(x, pp->vars[i], v);
	var = find_var(x, pp->vars[i]);
	if (!var)
		return -EINVAL;
	var->v = v;
	return 0;
}

static int eval_pipe(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_pipe *pp,
		     struct tmpl_val *ret)
{
	if (eval_pipe_value(x, dot, pp, ret) < 0)
		return -EINVAL;
	return pp->n_vars ? declare(x, pp, 0, *ret) : 0;
}

static int run_list(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_node *n);

static int run_range(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_node *n)
{
	const struct tmpl_pipe *pp = n->pipe;
	size_t mark = x->n_vars, count;
	struct tmpl_val v;
	int r = 0;

	if (eval_pipe_value(x, dot, pp, &v) < 0)
		return -EINVAL;
	switch (v.k) {
	case TMPL_LIST:
		count = v.l ? v.l->n : 0;
		break;
	case TMPL_MAP:
		count = v.m ? v.m->n : 0;
		break;
	case TMPL_INT: /* Go 1.22 */
		if (pp->n_vars > 1)
			return nfd__tmpl_err(
				x, "can't use %lld to iterate over more than one variable",
				(long long)v.i);
		count = v.i > 0 ? (size_t)v.i : 0;
		break;
	case TMPL_NIL:
		count = 0;
		break;
	default: {
		struct strbuf sb = STRBUF_INIT;

		nfd__tmpl_print(&sb, &v, false);
		r = nfd__tmpl_err(x, "range can't iterate over %s", sb.buf ? sb.buf : "");
		strbuf_release(&sb);
		return r;
	}
	}
	/* the declared variables live through the loop */
	for (size_t i = 0; !pp->assign && i < pp->n_vars; i++)
		if (push_var(x, pp->vars[i], v) < 0)
			return -EINVAL;
	if (count == 0) {
		r = n->else_body ? run_list(x, dot, n->else_body) : 0;
		x->n_vars = mark;
		return r;
	}
	for (size_t i = 0; i < count; i++) {
		size_t inner = x->n_vars;
		struct tmpl_val key, elem;

		if (nfd__tmpl_charge(x, 1) < 0) {
			r = -EINVAL;
			break;
		}
		if (v.k == TMPL_LIST) {
			key = nfd__tmpl_int((int64_t)i);
			elem = v.l->items[i];
		} else if (v.k == TMPL_MAP) {
			key = nfd__tmpl_str(v.m->keys[i]);
			elem = v.m->vals[i];
		} else {
			key = elem = nfd__tmpl_int((int64_t)i);
		}
		if (pp->n_vars == 1)
			r = declare(x, pp, 0, elem);
		else if (pp->n_vars == 2)
			r = declare(x, pp, 0, key) < 0 ? -EINVAL : declare(x, pp, 1, elem);
		if (r >= 0)
			r = run_list(x, &elem, n->body);
		x->n_vars = inner;
		if (r < 0 || r == R_BREAK)
			break;
		r = 0; /* continue */
	}
	x->n_vars = mark;
	return r < 0 ? r : 0;
}

static int run_template(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_node *n)
{
	const struct tmpl_define *d = NULL;
	struct exec_state st, *saved = cur;
	struct tmpl_val v = {.k = TMPL_NIL};
	size_t mark = x->n_vars;
	int r;

	for (size_t i = 0; i < x->t->n_defs; i++)
		if (streq(x->t->defs[i].name, n->text))
			d = &x->t->defs[i];
	if (!d || !d->root) {
		/* an empty definition is still a template */
		if (!d)
			return nfd__tmpl_err(x, "no such template \"%s\"", n->text);
		return 0;
	}
	if (n->pipe && eval_pipe_value(x, dot, n->pipe, &v) < 0)
		return -EINVAL;
	st = (struct exec_state){.tname = d->name, .var_base = x->n_vars};
	if (push_var(x, "", v) < 0)
		return -EINVAL;
	cur = &st;
	r = run_list(x, &v, d->root);
	cur = saved;
	x->n_vars = mark;
	return r;
}

static int run_node(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_node *n)
{
	struct tmpl_val v;
	size_t mark;
	int r;

	x->line = n->line;
	x->col = n->col;
	switch (n->kind) {
	case TMPL_NODE_TEXT:
		if (nfd__tmpl_charge(x, 1) < 0 || nfd__tmpl_charge_bytes(x, n->len) < 0)
			return -EINVAL;
		strbuf_append(x->out, n->text, n->len);
		return 0;
	case TMPL_NODE_ACTION:
		if (eval_pipe(x, dot, n->pipe, &v) < 0)
			return -EINVAL;
		if (!n->pipe->n_vars) {
			size_t before = x->out->len;

			nfd__tmpl_print(x->out, &v, true);
			return nfd__tmpl_charge_bytes(x, x->out->len - before);
		}
		return 0;
	case TMPL_NODE_IF:
	case TMPL_NODE_WITH:
		mark = x->n_vars;
		r = eval_pipe(x, dot, n->pipe, &v);
		if (r >= 0 && nfd__tmpl_truth(&v))
			r = run_list(x, n->kind == TMPL_NODE_WITH ? &v : dot, n->body);
		else if (r >= 0 && n->else_body) /* else if / else with: a node there */
			r = run_list(x, dot, n->else_body);
		x->n_vars = mark;
		return r;
	case TMPL_NODE_RANGE:
		return run_range(x, dot, n);
	case TMPL_NODE_TEMPLATE:
		return run_template(x, dot, n);
	case TMPL_NODE_BREAK:
		return R_BREAK;
	case TMPL_NODE_CONTINUE:
		return R_CONTINUE;
	}
	return -EINVAL;
}

static int run_list(struct tmpl_exec *x, const struct tmpl_val *dot, const struct tmpl_node *n)
{
	size_t mark = x->n_vars;
	int r = 0;

	if (++x->depth > TEMPLATE_MAX_DEPTH) {
		x->depth--;
		return nfd__tmpl_err(x, "exceeded maximum template depth (%u)", TEMPLATE_MAX_DEPTH);
	}
	for (; n && r == 0; n = n->next) {
		if (nfd__tmpl_charge(x, 1) < 0) {
			r = -EINVAL;
			break;
		}
		r = run_node(x, dot, n);
		if (r >= 0 && x->out->len > TMPL_MAX_OUTPUT)
			r = nfd__tmpl_err(x, "the output is larger than %u bytes", TMPL_MAX_OUTPUT);
		if (r >= 0 && x->err)
			r = -EINVAL;
	}
	x->n_vars = mark;
	x->depth--;
	return r;
}

int nfd__template_execute(struct arena *a, const struct nfd_template *t,
			  const struct tmpl_val *data, struct strbuf *out, uint64_t *budget,
			  const char **ret_err)
{
	struct tmpl_exec x = {.a = a, .t = t, .out = out, .budget = budget};
	struct exec_state st = {.tname = ""}, *saved = cur;
	int r;

	cur = &st;
	r = push_var(&x, "", *data);
	if (r >= 0)
		r = run_list(&x, data, t->root);
	cur = saved;
	free(x.vars);
	nfd__regex_scratch_free(x.scratch);
	*ret_err = x.err;
	if (r < 0 && !x.err)
		*ret_err = "template: execution failed";
	if (r < 0 && x.err && streq(x.err, "out of memory"))
		return -ENOMEM;
	return r < 0 ? -EINVAL : 0;
}
