/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Table tests of the template engine: a template, data given as JSON, and
 * the output (or a piece of the error) Go's text/template with NFD's
 * function map gives.  JSON objects become map[string]interface{}; an
 * object with a "__elem" key becomes a map[string]string (an NFD element).
 */
#pragma once

#include "libnfd/jansson-dl.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "libnfd/engine/rule-template.h"

struct tcase {
	const char *tmpl;
	const char *want; /* the output, or with err a substring of the message */
	bool err;
};

static struct tmpl_val json_val(struct arena *a, json_t *j)
{
	struct tmpl_val v = {.k = TMPL_NIL};

	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		struct tmpl_map *m = arena_alloc(a, sizeof(*m));
		size_t cnt = json_object_size(j), k = 0;
		const char *key;
		json_t *e;

		m->keys = arena_alloc(a, (cnt + 1) * sizeof(*m->keys));
		m->vals = arena_alloc(a, (cnt + 1) * sizeof(*m->vals));
		/* jansson keeps insertion order: the tests write keys sorted */
		json_object_foreach(j, key, e)
		{
			if (streq(key, "__elem")) {
				m->elem = true;
				continue;
			}
			m->keys[k] = arena_strdup(a, key);
			m->vals[k++] = json_val(a, e);
		}
		m->n = k;
		v = (struct tmpl_val){.k = TMPL_MAP, .m = m};
		break;
	}
	case JSON_ARRAY: {
		struct tmpl_list *l = arena_alloc(a, sizeof(*l));

		l->n = json_array_size(j);
		l->items = arena_alloc(a, (l->n + 1) * sizeof(*l->items));
		for (size_t i = 0; i < l->n; i++)
			l->items[i] = json_val(a, json_array_get(j, i));
		v = (struct tmpl_val){.k = TMPL_LIST, .l = l};
		break;
	}
	case JSON_STRING:
		v = (struct tmpl_val){.k = TMPL_STR, .s = arena_strdup(a, json_string_value(j))};
		break;
	case JSON_INTEGER:
		v = (struct tmpl_val){.k = TMPL_INT, .i = json_integer_value(j)};
		break;
	case JSON_REAL:
		v = (struct tmpl_val){.k = TMPL_FLOAT, .f = json_real_value(j)};
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v = (struct tmpl_val){.k = TMPL_BOOL, .b = json_is_true(j)};
		break;
	default:
		break;
	}
	return v;
}

/* Run one template; 0 with *out, or -EINVAL with *err (both malloc'ed). */
static int run_template(const char *tmpl, const char *data_json, uint64_t *budget, char **out,
			char **err)
{
	struct arena a = {};
	struct strbuf sb = STRBUF_INIT;
	const struct nfd_template *t;
	const char *msg = NULL;
	struct tmpl_val data = {.k = TMPL_NIL};
	json_t *j = json_loads(data_json, 0, NULL);
	int r;

	assert_non_null(j);
	data = json_val(&a, j);
	json_decref(j);
	r = nfd__template_parse(&a, tmpl, &t, &msg);
	if (r >= 0)
		r = nfd__template_execute(&a, t, &data, &sb, budget, &msg);
	*out = strdup(strbuf_str(&sb) ? sb.buf ? sb.buf : "" : "");
	*err = msg ? strdup(msg) : NULL;
	strbuf_release(&sb);
	arena_release(&a);
	return r;
}

static void run_cases(const struct tcase *cases, size_t n, const char *data_json)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		const struct tcase *c = &cases[i];
		char *out, *err;
		int r = run_template(c->tmpl, data_json, NULL, &out, &err);

		if (c->err ? (r >= 0 || !err || !strstr(err, c->want))
			   : (r < 0 || !streq(out, c->want))) {
			print_error("case %zu: %s\n  got  %s \"%s\"\n  want %s \"%s\"\n", i,
				    c->tmpl, r < 0 ? "error" : "output", r < 0 ? err : out,
				    c->err ? "error" : "output", c->want);
			failed++;
		}
		free(out);
		free(err);
	}
	if (failed)
		fail_msg("%d of %zu cases failed", failed, n);
}
