/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* varsTemplate: a Go text/template subset (rule-template.c). */
#pragma once

#include "libnfd/engine/engine.h"

enum tv_kind {
	TV_NIL,
	TV_STR,
	TV_INT,
	TV_BOOL,
	TV_MAP,
	TV_LIST,
};

struct tmap;
struct tlist;

/* A template value: the matched-feature data and what pipelines compute. */
struct tval {
	enum tv_kind k;
	const char *s;
	int64_t i;
	bool b;
	const struct tmap *m;
	const struct tlist *l;
};

struct tmap {
	const char **keys; /* sorted, unique */
	struct tval *vals;
	size_t n;
	bool elem; /* a map[string]string: missing keys index as "" */
};

struct tlist {
	struct tval *items;
	size_t n;
};

/* The parse tree (rule-template.c builds it, rule-template-exec.c runs it). */

enum arg_kind {
	ARG_DOT, /* . or .a.b */
	ARG_VAR, /* $ or $x or $x.a */
	ARG_STRING,
	ARG_NUMBER,
	ARG_BOOL,
	ARG_FUNC,
	ARG_PIPE,
};

struct pipe;

struct arg {
	enum arg_kind kind;
	const char *name; /* variable or function */
	const char **fields;
	size_t n_fields;
	const char *str;
	int64_t num;
	bool b;
	struct pipe *pipe;
};

struct cmd {
	struct arg *args;
	size_t n_args;
};

struct pipe {
	const char *vars[2];
	size_t n_vars;
	bool assign; /* = rather than := */
	struct cmd *cmds;
	size_t n_cmds;
};

enum node_kind {
	NODE_TEXT,
	NODE_ACTION,
	NODE_IF,
	NODE_RANGE,
	NODE_WITH,
};

struct node {
	enum node_kind kind;
	const char *text;
	size_t len;
	struct pipe *pipe;
	struct node *body, *else_body;
	struct node *next;
};

struct nfd_template {
	struct node *root;
};

#define TEMPLATE_MAX_DEPTH 100

/* data[dom][nam] of one matcher: the matched elements (rule.c collects them) */
struct nfd_elems_entry {
	const char *dom, *nam; /* nam NULL: only the domain exists */
	struct tval *items;
	size_t n, cap;
};

/* Parse src; on -EINVAL *ret_err says why.  Everything lives in a. */
int nfd__template_parse(struct nfd_arena *a, const char *src,
			const struct nfd_template **ret, const char **ret_err);
/* Run t on data, appending to out; on -EINVAL *ret_err says why. */
int nfd__template_execute(struct nfd_arena *a, const struct nfd_template *t,
			  const struct tval *data, struct strbuf *out, const char **ret_err);
