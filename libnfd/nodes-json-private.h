/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Between nodes-json.c (the reader of one document and its objects) and
 * nodes-json-runs.c (a long "items" list cut into runs read on threads,
 * and the paging of a mapped file).
 */
#ifndef LIBNFD_NODES_JSON_PRIVATE_H
#define LIBNFD_NODES_JSON_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "shared/macro.h"
#include "shared/strbuf.h"
#include "libnfd/json-reader.h"
#include "libnfd/nodes-private.h"

struct run;

struct doc_parser {
	struct json_reader jr;
	struct nfd_ctx *ctx;
	const struct doc_options *opts;
	const char *where; /* "" or "items[N]: " */
	char where_buf[48];
	struct strbuf fname;		  /* the feature being read */
	const struct keep_feature *fkeep; /* what to keep of it */
	struct strbuf inst;		  /* an instance's keys and values */
	const char **inst_ptrs;
	size_t inst_cap;
	size_t released;  /* bytes of the mapping handed back */
	size_t populated; /* bytes of the mapping mapped ahead */
	struct doc_result *res;
	struct run *run; /* the run of list items being read */
};

/* ------------------------------------------------------ nodes-json.c */

/* Set up dp to read buf (len bytes, named name in messages); release it
 * with nfd__doc_parser_release(). */
void nfd__doc_parser_init(struct doc_parser *dp, struct nfd_ctx *ctx,
			  const struct doc_options *opts, const char *name, const char *buf,
			  size_t len);
void nfd__doc_parser_release(struct doc_parser *dp);
/* -EBADMSG: "<where><path>: expected <want>" */
int nfd__doc_type_error(struct doc_parser *dp, const char *path, const char *want);
/* One element of "items" (index in the whole list) into dp->res or, when it
 * names no node, dp->run's skipped ones. */
int nfd__doc_list_item(struct doc_parser *dp, size_t index);
/* Move *item to the end of res->items (item is zeroed); -ENOMEM. */
int nfd__doc_push_item(struct nfd_ctx *ctx, struct doc_result *res, struct doc_item *item);
/* A warning into dp->res (and the log); -ENOMEM. */
int nfd__doc_add_warning(struct doc_parser *dp, const char *fmt, ...) _printf_(2, 3);

/* ------------------------------------------------- nodes-json-runs.c */

/* The elements of "items" from its '[' to its ']': on several threads when
 * the list is long and dp->opts->threads allows. */
int nfd__doc_list_items(struct doc_parser *dp);
/* Remember item (a list element without a node name; its name and
 * namespace are taken) in dp->run for the warning written later. */
int nfd__doc_add_skipped(struct doc_parser *dp, struct doc_item *item, size_t index);
/* Hand back the read pages of a mapped file: every RELEASE_STEP bytes, or
 * all of them. */
void nfd__doc_release_pages(struct doc_parser *dp, bool all);

#endif
