/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The template lexer (rule-template-lex.c) as the parser (rule-template.c) uses it. */
#pragma once

#include "libnfd/engine/rule-template.h"

enum tok {
	T_EOF,
	T_RDELIM,
	T_SPACE,
	T_FIELD, /* .name */
	T_VAR,	 /* $ or $name */
	T_IDENT,
	T_STRING, /* quoted, raw or character: value decoded */
	T_NUMBER,
	T_BOOL,
	T_NIL,
	T_DOT,
	T_LPAREN,
	T_RPAREN,
	T_PIPE,
	T_DECLARE,
	T_ASSIGN,
	T_COMMA,
	T_KEYWORD, /* block break continue define else end if range template with */
};

struct token {
	enum tok t;
	const char *start;
	size_t len;
	const char *str; /* T_STRING: decoded; T_FIELD/T_VAR/T_IDENT/T_KEYWORD: the name */
	bool is_char;
};

struct parser {
	struct arena *a;
	const char *src, *p;
	const char *err;
	unsigned depth;
	unsigned range_depth;
	bool trim_next; /* the action just closed with -}} */
	struct token tok;
	bool peeked;
	const char **vars; /* names in scope (malloc'ed) */
	size_t n_vars, cap_vars;
	size_t var_base; /* where the innermost template's variables start */
	struct nfd_template *t;
};

/* Position of at in the source: line (from 1) and byte column (from 0). */
unsigned nfd__tmpl_line_of(struct parser *ps, const char *at);
unsigned nfd__tmpl_col_of(struct parser *ps, const char *at);
/* Set ps->err to "template: :LINE: msg" (the first error wins); -EINVAL. */
int nfd__tmpl_perr(struct parser *ps, const char *fmt, ...) _printf_(2, 3);
/* Zeroed arena memory; NULL with ps->err set. */
void *nfd__tmpl_palloc(struct parser *ps, size_t size);
/* The next token inside an action (spaces are tokens), consumed or not. */
int nfd__tmpl_next(struct parser *ps, struct token *tk);
int nfd__tmpl_peek(struct parser *ps, struct token *tk);
int nfd__tmpl_next_nonspace(struct parser *ps, struct token *tk);
int nfd__tmpl_peek_nonspace(struct parser *ps, struct token *tk);
/* How a token reads in a message. */
const char *nfd__tmpl_tok_desc(const struct token *tk);
