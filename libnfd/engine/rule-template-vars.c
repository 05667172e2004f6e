/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A rule's varsTemplate (doc/semantics.md §8; NFD's
 * pkg/apis/nfd/nodefeaturerule/rule.go): the matched elements of a matcher
 * as the template's data, and the output's key=value lines as vars.
 */
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"
#include "shared/array.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* matchedFeatures as a template value: data[dom][nam] = [elements] */
static int build_data(struct arena *a, const struct nfd_elems *e, struct tmpl_val *ret)
{
	const char **doms = arena_alloc(a, (e->n + 1) * sizeof(*doms));
	struct tmpl_map *root = arena_alloc(a, sizeof(*root));
	size_t n = 0;

	if (!doms || !root)
		return -ENOMEM;
	for (size_t i = 0; i < e->n; i++)
		doms[n++] = e->entries[i].dom;
	if (n)
		qsort(doms, n, sizeof(*doms), cmp_cstr);
	root->keys = doms;
	root->zero = TMPL_ZERO_LIST_MAP;
	root->vals = arena_alloc(a, (n + 1) * sizeof(*root->vals));
	if (!root->vals)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_map *dm;
		size_t k = 0;

		if (root->n && streq(root->keys[root->n - 1], doms[i]))
			continue;
		dm = arena_alloc(a, sizeof(*dm));
		if (!dm)
			return -ENOMEM;
		dm->zero = TMPL_ZERO_LIST;
		dm->keys = arena_alloc(a, (e->n + 1) * sizeof(*dm->keys));
		dm->vals = arena_alloc(a, (e->n + 1) * sizeof(*dm->vals));
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
				l = arena_alloc(a, sizeof(*l));
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

/* A key=value line of the output; seq orders equal keys (the later wins). */
struct line_kv {
	const char *key, *value;
	size_t seq;
};

static int cmp_line(const void *a, const void *b)
{
	const struct line_kv *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * Merge the n lines into the key-sorted, unique set vars (later lines and
 * runs win): one sort and one linear merge, O(m + n log n), where inserting
 * each line into the sorted array moved it every time (O(n²)).
 */
static int put_vars(struct nfd_kvs *vars, struct line_kv *lines, size_t n)
{
	struct nfd_kv *out, *b = vars->items;
	size_t i = 0, j = 0, k = 0, u = 0;

	if (n == 0)
		return 0;
	qsort(lines, n, sizeof(*lines), cmp_line);
	for (size_t q = 0; q < n; q++) /* the last of each key */
		if (q + 1 == n || !streq(lines[q].key, lines[q + 1].key))
			lines[u++] = lines[q];
	out = malloc((vars->n + u + 1) * sizeof(*out));
	if (!out)
		return -ENOMEM;
	while (i < vars->n || j < u) {
		int c = i == vars->n ? 1 : j == u ? -1 : strcmp(b[i].key, lines[j].key);

		if (c < 0) {
			out[k++] = b[i++];
		} else {
			out[k++] = (struct nfd_kv){lines[j].key, lines[j].value};
			j++;
			i += c == 0;
		}
	}
	free(vars->items);
	vars->items = out;
	vars->cap = vars->n + u + 1;
	vars->n = k;
	return 0;
}

int nfd__template_vars(struct nfd_eval *ev, const struct nfd_rule *rule,
		       const struct nfd_elems *elems, struct nfd_kvs *vars)
{
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	struct arena *a = elems->a;
	/* the run's data and intermediate strings die with it: only the vars
	 * (from the output, copied into a) live as long as the evaluation */
	struct arena run = {};
	const char *err = rule->vars_template_err;
	struct tmpl_val data;
	char *text, *line, *save = NULL;
	_cleanup_free_ struct line_kv *lines = NULL;
	size_t n_lines = 0, cap_lines = 0;
	int r = 0;

	if (!err) {
		/* building the data compares every entry with every other */
		r = nfd__eval_charge(ev, 1 + (uint64_t)elems->n * elems->n / 64);
		if (r < 0)
			return r;
		r = build_data(&run, elems, &data);
		if (r >= 0 &&
		    nfd__template_execute(&run, rule->vars_template, &data, &out, &ev->budget,
					  &err) < 0 &&
		    !err)
			err = "template: execution failed";
	}
	if (r < 0)
		r = nfd__oom(ev->ctx);
	else if (err && ev->budget == 0)
		r = nfd__eval_budget_error(ev);
	else if (err)
		r = nfd__error(ev->ctx, EBADMSG, "%s:%u:%u: rule \"%s\": %s", ev->spec->name,
			       rule->pos.line, rule->pos.col, rule->name, err);
	arena_release(&run);
	if (r < 0)
		return r;
	if (!strbuf_str(&out))
		return nfd__oom(ev->ctx);
	text = arena_strndup(a, out.buf ? out.buf : "", out.len);
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
		if (ARRAY_RESERVE(lines, cap_lines, n_lines + 1) < 0)
			return nfd__oom(ev->ctx);
		lines[n_lines] = (struct line_kv){line, eq + 1, n_lines};
		n_lines++;
	}
	if (put_vars(vars, lines, n_lines) < 0)
		return nfd__oom(ev->ctx);
	return 0;
}
