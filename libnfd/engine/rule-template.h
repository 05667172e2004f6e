/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* varsTemplate: a Go text/template subset (rule-template.c). */
#pragma once

#include "libnfd/engine/engine.h"

enum tmpl_kind {
	TMPL_NIL,
	TMPL_STR,
	TMPL_INT,
	TMPL_BOOL,
	TMPL_MAP,
	TMPL_LIST,
};

struct tmpl_map;
struct tmpl_list;

/* A template value: the matched-feature data and what pipelines compute. */
struct tmpl_val {
	enum tmpl_kind k;
	const char *s;
	int64_t i;
	bool b;
	const struct tmpl_map *m;
	const struct tmpl_list *l;
};

struct tmpl_map {
	const char **keys; /* sorted, unique */
	struct tmpl_val *vals;
	size_t n;
	bool elem; /* a map[string]string: missing keys index as "" */
};

struct tmpl_list {
	struct tmpl_val *items;
	size_t n;
};

/* The parse tree (rule-template.c builds it, rule-template-exec.c runs it). */

enum tmpl_arg_kind {
	TMPL_ARG_DOT, /* . or .a.b */
	TMPL_ARG_VAR, /* $ or $x or $x.a */
	TMPL_ARG_STRING,
	TMPL_ARG_NUMBER,
	TMPL_ARG_BOOL,
	TMPL_ARG_FUNC,
	TMPL_ARG_PIPE,
};

struct tmpl_pipe;

struct tmpl_arg {
	enum tmpl_arg_kind kind;
	const char *name; /* variable or function */
	const char **fields;
	size_t n_fields;
	const char *str;
	int64_t num;
	bool b;
	struct tmpl_pipe *pipe;
};

struct tmpl_cmd {
	struct tmpl_arg *args;
	size_t n_args;
};

struct tmpl_pipe {
	const char *vars[2];
	size_t n_vars;
	bool assign; /* = rather than := */
	struct tmpl_cmd *cmds;
	size_t n_cmds;
};

enum tmpl_node_kind {
	TMPL_NODE_TEXT,
	TMPL_NODE_ACTION,
	TMPL_NODE_IF,
	TMPL_NODE_RANGE,
	TMPL_NODE_WITH,
};

struct tmpl_node {
	enum tmpl_node_kind kind;
	const char *text;
	size_t len;
	struct tmpl_pipe *pipe;
	struct tmpl_node *body, *else_body;
	struct tmpl_node *next;
};

struct nfd_template {
	struct tmpl_node *root;
};

#define TEMPLATE_MAX_DEPTH 100

/* data[dom][nam] of one matcher: the matched elements (rule.c collects them) */
struct nfd_elems_entry {
	const char *dom, *nam; /* nam NULL: only the domain exists */
	struct tmpl_val *items;
	size_t n, cap;
};

/* Parse src; on -EINVAL *ret_err says why.  Everything lives in a. */
int nfd__template_parse(struct nfd_arena *a, const char *src, const struct nfd_template **ret,
			const char **ret_err);
/* Run t on data, appending to out; on -EINVAL *ret_err says why. */
int nfd__template_execute(struct nfd_arena *a, const struct nfd_template *t,
			  const struct tmpl_val *data, struct strbuf *out, const char **ret_err);
