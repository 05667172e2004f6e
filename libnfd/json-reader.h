/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A pull reader for JSON text in memory (RFC 8259): the caller walks objects
 * and arrays and reads or skips each value, so nothing is built for what it
 * does not keep.  Used for features documents and NodeFeature lists, which
 * can be hundreds of megabytes (doc/many-nodes.md).  Every byte is checked,
 * skipped values included: a truncated or malformed document always fails.
 *
 * On an error the reader sets the message on its context as
 * "NAME:LINE:COLUMN: text" (line and column count from 1; the column in
 * bytes) and every later call returns the same error.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "shared/strbuf.h"
#include "libnfd/libnfd-internal.h"

#define JR_MAX_DEPTH 512

struct json_reader {
	struct nfd_ctx *ctx;
	const char *name; /* for messages */
	const char *start, *p, *end;
	int depth;
	int error;				  /* first error, or 0 */
	struct strbuf str[2];			  /* decoded strings: keys in [0], values in [1] */
	void (*progress)(struct json_reader *jr); /* called between array elements */
	void *userdata;
	bool escaped; /* the last string scanned held an escape */
};

void jr_init(struct json_reader *jr, struct nfd_ctx *ctx, const char *name, const char *buf,
	     size_t len);
void jr_release(struct json_reader *jr);

/* Fail at the current position: -EBADMSG (or err), message "name:l:c: fmt". */
int jr_fail(struct json_reader *jr, int err, const char *fmt, ...) _printf_(3, 4);

/* The end of the white space from p (before end); the indentation of a
 * pretty-printed document is passed sixteen bytes at a time. */
const char *jr__skip_ws_run(const char *p, const char *end);

static inline void jr__skip_ws(struct json_reader *jr)
{
	const char *p = jr->p;

	/* white space and the control characters that are an error anyway;
	 * one space (after a ':') without a call */
	if (p < jr->end && (unsigned char)*p <= ' ') {
		if (*p == ' ' && jr->end - p > 1 && (unsigned char)p[1] > ' ')
			jr->p = p + 1;
		else
			jr->p = jr__skip_ws_run(p, jr->end);
	}
}

/* The next value's first byte after white space ('{', '[', '"', 't', 'f', 'n',
 * '-' or a digit), or 0 at the end of the input. */
static inline char jr_peek(struct json_reader *jr)
{
	if (jr->error)
		return 0;
	jr__skip_ws(jr);
	return jr->p < jr->end ? *jr->p : 0;
}

/* "an object", "an array", "a string", "an integer", "a number", "a boolean",
 * "null": what the next value is, for messages. */
const char *jr_type_name(struct json_reader *jr);

/* Objects: jr_object_begin() eats '{'; jr_object_next() returns 1 and the
 * next key (decoded, NUL-terminated, valid until the next key) with the ':'
 * eaten, 0 after the closing '}', or a negative errno. */
int jr_object_begin(struct json_reader *jr);
int jr_object_next(struct json_reader *jr, bool *first, const char **key);
/* jr_object_next() for hot loops: *key is not NUL-terminated (*len bytes),
 * and points into the input unless the key held escapes. */
int jr_object_next_raw(struct json_reader *jr, bool *first, const char **key, size_t *len);
/* Arrays: the same, 1 when another element follows. */
int jr_array_begin(struct json_reader *jr);
int jr_array_next(struct json_reader *jr, bool *first);

/* A string value (decoded, NUL-terminated, valid until the next string
 * value); *len excludes the NUL (an escaped \u0000 may sit inside). */
int jr_string(struct json_reader *jr, const char **ret, size_t *len);
/* jr_string() for hot loops: *ret is not NUL-terminated (*len bytes) and
 * points into the input unless the string held escapes (then it is decoded
 * and *len is its length as a C string: up to a \u0000). */
int jr_string_raw(struct json_reader *jr, const char **ret, size_t *len);
/* 1 and the null eaten when the next value is null, else 0. */
int jr_null(struct json_reader *jr);
/* Check and pass over any value. */
int jr_skip(struct json_reader *jr);
/* After the top-level value: only white space may follow. */
int jr_finish(struct json_reader *jr);
