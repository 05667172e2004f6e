/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sprig v3.3.0's list and dict functions (Masterminds/sprig list.go,
 * dict.go), with their must* twins: in a template a panic and an error
 * both end the run, so the two behave the same except where the plain one
 * returns a value instead (noted below).  Sprig's slice replaces Go's.
 */
#include <stdlib.h>
#include <string.h>

#include "libnfd/engine/rule-template.h"

static struct tmpl_val list_val(struct tmpl_list *l)
{
	return (struct tmpl_val){.k = TMPL_LIST, .l = l};
}

/* a list argument (nil lists are lists); what: Sprig's verb for the message */
static int want_list(struct tmpl_exec *x, const struct tmpl_val *v, const char *what,
		     const struct tmpl_val **items, size_t *count)
{
	if (v->k != TMPL_LIST)
		return nfd__tmpl_err(x, "Cannot %s on type %s", what,
				     v->k == TMPL_MAP ? "map" : nfd__tmpl_kind_name(v));
	*items = v->l ? v->l->items : NULL;
	*count = v->l ? v->l->n : 0;
	return 0;
}

static int copy_list(struct tmpl_exec *x, const struct tmpl_val *items, size_t count,
		     size_t extra_front, size_t extra_back, struct tmpl_list **ret)
{
	struct tmpl_list *l = nfd__tmpl_list_new(x, count + extra_front + extra_back);

	if (!l || nfd__tmpl_charge(x, count / 16) < 0)
		return -EINVAL;
	if (count)
		memcpy(l->items + extra_front, items, count * sizeof(*items));
	*ret = l;
	return 0;
}

TMPL_FN(fn_list)
{
	struct tmpl_list *l;

	if (copy_list(x, a, n, 0, 0, &l) < 0)
		return -EINVAL;
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_push)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c;

	(void)n;
	if (want_list(x, &a[0], "push", &items, &c) < 0 || copy_list(x, items, c, 0, 1, &l) < 0)
		return -EINVAL;
	l->items[c] = a[1];
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_prepend)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c;

	(void)n;
	if (want_list(x, &a[0], "prepend", &items, &c) < 0 || copy_list(x, items, c, 1, 0, &l) < 0)
		return -EINVAL;
	l->items[0] = a[1];
	*ret = list_val(l);
	return 0;
}

/* first, last: nil on an empty list */
TMPL_FN(fn_first)
{
	const struct tmpl_val *items;
	size_t c;

	(void)n;
	if (want_list(x, &a[0], "find first", &items, &c) < 0)
		return -EINVAL;
	*ret = c ? items[0] : (struct tmpl_val){.k = TMPL_NIL};
	return 0;
}

TMPL_FN(fn_last)
{
	const struct tmpl_val *items;
	size_t c;

	(void)n;
	if (want_list(x, &a[0], "find last", &items, &c) < 0)
		return -EINVAL;
	*ret = c ? items[c - 1] : (struct tmpl_val){.k = TMPL_NIL};
	return 0;
}

static int part(struct tmpl_exec *x, const struct tmpl_val *v, const char *what, bool rest,
		struct tmpl_val *ret)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c;

	if (want_list(x, v, what, &items, &c) < 0)
		return -EINVAL;
	if (!c) {
		*ret = (struct tmpl_val){.k = TMPL_NIL};
		return 0;
	}
	if (copy_list(x, items + rest, c - 1, 0, 0, &l) < 0)
		return -EINVAL;
	*ret = list_val(l);
	ret->sub = v->sub;
	return 0;
}

TMPL_FN_CALL(fn_rest, part(x, &a[0], "find rest", true, ret))

TMPL_FN_CALL(fn_initial, part(x, &a[0], "find initial", false, ret))

TMPL_FN(fn_reverse)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c;

	(void)n;
	if (want_list(x, &a[0], "find reverse", &items, &c) < 0 ||
	    copy_list(x, items, c, 0, 0, &l) < 0)
		return -EINVAL;
	for (size_t i = 0; i < c; i++)
		l->items[i] = items[c - 1 - i];
	*ret = list_val(l);
	return 0;
}

static bool in_list(const struct tmpl_val *items, size_t c, const struct tmpl_val *v)
{
	for (size_t i = 0; i < c; i++)
		if (nfd__tmpl_deep_equal(&items[i], v))
			return true;
	return false;
}

TMPL_FN(fn_uniq)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c, k = 0;

	(void)n;
	if (want_list(x, &a[0], "find uniq", &items, &c) < 0 ||
	    copy_list(x, NULL, 0, 0, c, &l) < 0 || nfd__tmpl_charge(x, (uint64_t)c * c / 64) < 0)
		return -EINVAL;
	for (size_t i = 0; i < c; i++)
		if (!in_list(l->items, k, &items[i]))
			l->items[k++] = items[i];
	l->n = k;
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_compact)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c, k = 0;

	(void)n;
	if (want_list(x, &a[0], "compact", &items, &c) < 0 || copy_list(x, NULL, 0, 0, c, &l) < 0)
		return -EINVAL;
	for (size_t i = 0; i < c; i++)
		if (!nfd__tmpl_empty(&items[i]))
			l->items[k++] = items[i];
	l->n = k;
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_without)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	size_t c, k = 0;

	if (want_list(x, &a[0], "find without", &items, &c) < 0 ||
	    copy_list(x, NULL, 0, 0, c, &l) < 0 || nfd__tmpl_charge(x, (uint64_t)c * n / 64) < 0)
		return -EINVAL;
	for (size_t i = 0; i < c; i++)
		if (!in_list(a + 1, n - 1, &items[i]))
			l->items[k++] = items[i];
	l->n = k;
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_has)
{
	const struct tmpl_val *items;
	size_t c;

	(void)n;
	if (a[1].k == TMPL_NIL) {
		*ret = nfd__tmpl_bool(false);
		return 0;
	}
	if (want_list(x, &a[1], "find has", &items, &c) < 0)
		return -EINVAL;
	*ret = nfd__tmpl_bool(in_list(items, c, &a[0]));
	return 0;
}

/* Sprig's slice: lists only (a string is an error, unlike Go's slice) */
TMPL_FN(fn_slice)
{
	const struct tmpl_val *items;
	struct tmpl_list *l;
	int64_t start = 0, end;
	size_t c;

	if (a[0].k != TMPL_LIST)
		return nfd__tmpl_err(x, "list should be type of slice or array but %s",
				     a[0].k == TMPL_MAP ? "map" : nfd__tmpl_kind_name(&a[0]));
	want_list(x, &a[0], "slice", &items, &c);
	if (!c) {
		*ret = (struct tmpl_val){.k = TMPL_NIL};
		return 0;
	}
	end = (int64_t)c;
	if (n > 1)
		start = nfd__tmpl_to_int64(&a[1]);
	if (n > 2)
		end = nfd__tmpl_to_int64(&a[2]);
	if (start < 0 || end < start || (uint64_t)end > c)
		return nfd__tmpl_err(x, "slice bounds out of range [%lld:%lld]", (long long)start,
				     (long long)end);
	if (copy_list(x, items + start, (size_t)(end - start), 0, 0, &l) < 0)
		return -EINVAL;
	*ret = list_val(l);
	ret->sub = a[0].sub;
	return 0;
}

TMPL_FN(fn_concat)
{
	size_t total = 0, k = 0;
	struct tmpl_list *l;

	for (size_t i = 0; i < n; i++) {
		if (a[i].k != TMPL_LIST)
			return nfd__tmpl_err(x, "Cannot concat type %s as list",
					     nfd__tmpl_kind_name(&a[i]));
		total += a[i].l ? a[i].l->n : 0;
	}
	if (copy_list(x, NULL, 0, 0, total, &l) < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; a[i].l && j < a[i].l->n; j++)
			l->items[k++] = a[i].l->items[j];
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_chunk)
{
	const struct tmpl_val *items;
	struct tmpl_list *outer;
	size_t c, chunks;
	int64_t size;

	(void)n;
	if (nfd__tmpl_want_int(x, &a[0], &size) < 0 || want_list(x, &a[1], "chunk", &items, &c) < 0)
		return -EINVAL;
	if (size <= 0)
		return nfd__tmpl_err(x, "integer divide by zero");
	chunks = (c + (size_t)size - 1) / (size_t)size;
	outer = nfd__tmpl_list_new(x, chunks);
	if (!outer)
		return -EINVAL;
	for (size_t i = 0; i < chunks; i++) {
		size_t from = i * (size_t)size;
		size_t len = c - from < (size_t)size ? c - from : (size_t)size;
		struct tmpl_list *l;

		if (copy_list(x, items + from, len, 0, 0, &l) < 0)
			return -EINVAL;
		outer->items[i] = list_val(l);
	}
	*ret = list_val(outer);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int strings_list(struct tmpl_exec *x, const char **s, size_t k, bool sort,
			struct tmpl_val *ret)
{
	struct tmpl_list *l = nfd__tmpl_list_new(x, k);

	if (!l)
		return -EINVAL;
	if (sort && k)
		qsort(s, k, sizeof(*s), cmp_str);
	for (size_t i = 0; i < k; i++)
		l->items[i] = nfd__tmpl_str(s[i]);
	*ret = (struct tmpl_val){.k = TMPL_LIST, .sub = TMPL_SUB_STRINGS, .l = l};
	return 0;
}

TMPL_FN(fn_sortalpha)
{
	const char **s;
	size_t k;

	(void)n;
	if (nfd__tmpl_strslice(x, &a[0], &s, &k) < 0)
		return -EINVAL;
	return strings_list(x, s, k, true, ret);
}

TMPL_FN(fn_tostrings)
{
	const char **s;
	size_t k;

	(void)n;
	if (a[0].k == TMPL_LIST) {
		/* every element, nil as "<nil>" */
		struct tmpl_list *l = nfd__tmpl_list_new(x, a[0].l ? a[0].l->n : 0);

		for (size_t i = 0; l && i < l->n; i++)
			l->items[i] = nfd__tmpl_str(nfd__tmpl_strval(x, &a[0].l->items[i]));
		if (!l)
			return -EINVAL;
		*ret = (struct tmpl_val){.k = TMPL_LIST, .sub = TMPL_SUB_STRINGS, .l = l};
		return x->err ? -EINVAL : 0;
	}
	if (nfd__tmpl_strslice(x, &a[0], &s, &k) < 0)
		return -EINVAL;
	return strings_list(x, s, k, false, ret);
}

/* ------------------------------------------------------------------ dicts */

static int want_dict(struct tmpl_exec *x, const struct tmpl_val *v, struct tmpl_map **ret)
{
	if (v->k != TMPL_MAP || (v->m && v->m->elem))
		return nfd__tmpl_err(
			x, "wrong type for value; expected map[string]interface {}; got %s",
			nfd__tmpl_type_name(v));
	*ret = (struct tmpl_map *)v->m;
	return 0;
}

TMPL_FN(fn_dict)
{
	const char **keys = nfd__tmpl_alloc(x, (n / 2 + 2) * sizeof(*keys));
	struct tmpl_val *vals = nfd__tmpl_alloc(x, (n / 2 + 2) * sizeof(*vals));
	size_t k = 0;

	if (!keys || !vals)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		keys[k] = nfd__tmpl_strval(x, &a[i]);
		vals[k++] = i + 1 < n ? a[i + 1] : nfd__tmpl_str("");
	}
	return x->err ? -EINVAL : nfd__tmpl_map_from(x, keys, vals, k, ret);
}

TMPL_FN(fn_get)
{
	struct tmpl_map *m = NULL;
	const struct tmpl_val *v;
	const char *key;

	(void)n;
	if (want_dict(x, &a[0], &m) < 0 || nfd__tmpl_want_str(x, &a[1], &key) < 0)
		return -EINVAL;
	v = nfd__tmpl_map_get(m, key);
	*ret = v ? *v : nfd__tmpl_str("");
	return 0;
}

TMPL_FN(fn_haskey)
{
	struct tmpl_map *m = NULL;
	const char *key;

	(void)n;
	if (want_dict(x, &a[0], &m) < 0 || nfd__tmpl_want_str(x, &a[1], &key) < 0)
		return -EINVAL;
	*ret = nfd__tmpl_bool(nfd__tmpl_map_get(m, key) != NULL);
	return 0;
}

/* set and unset change the dict itself, as Go's maps are references */
TMPL_FN(fn_set)
{
	struct tmpl_map *m = NULL;
	struct tmpl_val *v, nm;
	const char *key;

	(void)n;
	if (want_dict(x, &a[0], &m) < 0 || nfd__tmpl_want_str(x, &a[1], &key) < 0)
		return -EINVAL;
	if (!m)
		return nfd__tmpl_err(x, "assignment to entry in nil map");
	v = (struct tmpl_val *)nfd__tmpl_map_get(m, key);
	if (v) {
		*v = a[2];
	} else {
		const char **keys = nfd__tmpl_alloc(x, (m->n + 1) * sizeof(*keys));
		struct tmpl_val *vals = nfd__tmpl_alloc(x, (m->n + 1) * sizeof(*vals));

		if (!keys || !vals || nfd__tmpl_charge(x, m->n / 16) < 0)
			return -EINVAL;
		memcpy(keys, m->keys, m->n * sizeof(*keys));
		memcpy(vals, m->vals, m->n * sizeof(*vals));
		keys[m->n] = key;
		vals[m->n] = a[2];
		if (nfd__tmpl_map_from(x, keys, vals, m->n + 1, &nm) < 0)
			return -EINVAL;
		m->keys = nm.m->keys;
		m->vals = nm.m->vals;
		m->n = nm.m->n;
	}
	*ret = a[0];
	return 0;
}

TMPL_FN(fn_unset)
{
	struct tmpl_map *m = NULL;
	const char *key;

	(void)n;
	if (want_dict(x, &a[0], &m) < 0 || nfd__tmpl_want_str(x, &a[1], &key) < 0)
		return -EINVAL;
	for (size_t i = 0; m && i < m->n; i++) {
		if (!streq(m->keys[i], key))
			continue;
		memmove(&m->keys[i], &m->keys[i + 1], (m->n - i - 1) * sizeof(*m->keys));
		memmove(&m->vals[i], &m->vals[i + 1], (m->n - i - 1) * sizeof(*m->vals));
		m->n--;
		break;
	}
	*ret = a[0];
	return 0;
}

/* keys of all the dicts, in key order (Go's map order is random) */
TMPL_FN(fn_keys)
{
	size_t total = 0, k = 0;
	const char **s;

	for (size_t i = 0; i < n; i++) {
		struct tmpl_map *m = NULL;

		if (want_dict(x, &a[i], &m) < 0)
			return -EINVAL;
		total += m ? m->n : 0;
	}
	s = nfd__tmpl_alloc(x, (total + 1) * sizeof(*s));
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; a[i].m && j < a[i].m->n; j++)
			s[k++] = a[i].m->keys[j];
	return strings_list(x, s, k, false, ret);
}

TMPL_FN(fn_values)
{
	struct tmpl_map *m = NULL;
	struct tmpl_list *l;

	(void)n;
	if (want_dict(x, &a[0], &m) < 0 ||
	    copy_list(x, m ? m->vals : NULL, m ? m->n : 0, 0, 0, &l) < 0)
		return -EINVAL;
	*ret = list_val(l);
	return 0;
}

TMPL_FN(fn_pluck)
{
	struct tmpl_list *l;
	size_t k = 0;
	const char *key;

	if (nfd__tmpl_want_str(x, &a[0], &key) < 0 || copy_list(x, NULL, 0, 0, n, &l) < 0)
		return -EINVAL;
	for (size_t i = 1; i < n; i++) {
		struct tmpl_map *m = NULL;
		const struct tmpl_val *v;

		if (want_dict(x, &a[i], &m) < 0)
			return -EINVAL;
		v = nfd__tmpl_map_get(m, key);
		if (v)
			l->items[k++] = *v;
	}
	l->n = k;
	*ret = list_val(l);
	return 0;
}

static int pick_omit(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, bool pick,
		     struct tmpl_val *ret)
{
	struct tmpl_map *m = NULL;
	const char **keys;
	struct tmpl_val *vals;
	size_t k = 0;

	if (want_dict(x, &a[0], &m) < 0)
		return -EINVAL;
	keys = nfd__tmpl_alloc(x, ((m ? m->n : 0) + 1) * sizeof(*keys));
	vals = nfd__tmpl_alloc(x, ((m ? m->n : 0) + 1) * sizeof(*vals));
	if (!keys || !vals)
		return -EINVAL;
	for (size_t i = 0; m && i < m->n; i++) {
		bool named = false;

		for (size_t j = 1; j < n && !named; j++)
			named = a[j].k == TMPL_STR && streq(a[j].s, m->keys[i]);
		if (named == pick) {
			keys[k] = m->keys[i];
			vals[k++] = m->vals[i];
		}
	}
	return nfd__tmpl_map_from(x, keys, vals, k, ret);
}

TMPL_FN(fn_pick)
{
	return pick_omit(x, a, n, true, ret);
}

TMPL_FN(fn_omit)
{
	return pick_omit(x, a, n, false, ret);
}

static int deep_copy_at(struct tmpl_exec *x, const struct tmpl_val *v, struct tmpl_val *ret);

static int deep_copy(struct tmpl_exec *x, const struct tmpl_val *v, struct tmpl_val *ret)
{
	static _Thread_local unsigned depth;
	int r;

	if (depth >= TMPL_MAX_VALUE_DEPTH)
		return nfd__tmpl_err(x, "a value nested more than %u deep", TMPL_MAX_VALUE_DEPTH);
	depth++;
	r = deep_copy_at(x, v, ret);
	depth--;
	return r;
}

static int deep_copy_at(struct tmpl_exec *x, const struct tmpl_val *v, struct tmpl_val *ret)
{
	*ret = *v;
	if (nfd__tmpl_charge(x, 1) < 0)
		return -EINVAL;
	if (v->k == TMPL_MAP && v->m) {
		struct tmpl_map *m = nfd__tmpl_map_new(x, v->m->n);

		if (!m)
			return -EINVAL;
		m->elem = v->m->elem;
		for (size_t i = 0; i < v->m->n; i++) {
			m->keys[i] = v->m->keys[i];
			if (deep_copy(x, &v->m->vals[i], &m->vals[i]) < 0)
				return -EINVAL;
		}
		ret->m = m;
	} else if (v->k == TMPL_LIST && v->l) {
		struct tmpl_list *l = nfd__tmpl_list_new(x, v->l->n);

		if (!l)
			return -EINVAL;
		for (size_t i = 0; i < v->l->n; i++)
			if (deep_copy(x, &v->l->items[i], &l->items[i]) < 0)
				return -EINVAL;
		ret->l = l;
	}
	return 0;
}

TMPL_FN_CALL(fn_deepcopy, deep_copy(x, &a[0], ret))

/* mergo.Merge: keys missing in dst (or empty there, with overwrite: any
 * key src has) are filled from src, maps merged recursively */
static int merge_into(struct tmpl_exec *x, struct tmpl_map *dst, const struct tmpl_map *src,
		      bool overwrite, unsigned depth)
{
	if (depth > TEMPLATE_MAX_DEPTH)
		return nfd__tmpl_err(x, "merge: nesting too deep");
	for (size_t i = 0; src && i < src->n; i++) {
		struct tmpl_val *d = (struct tmpl_val *)nfd__tmpl_map_get(dst, src->keys[i]);
		const struct tmpl_val *s = &src->vals[i];
		struct tmpl_val copy;

		if (nfd__tmpl_charge(x, 1) < 0)
			return -EINVAL;
		if (d && d->k == TMPL_MAP && s->k == TMPL_MAP && d->m && !d->m->elem) {
			if (merge_into(x, (struct tmpl_map *)d->m, s->m, overwrite, depth + 1) < 0)
				return -EINVAL;
			continue;
		}
		if (d && !(overwrite ? !nfd__tmpl_empty(s) : nfd__tmpl_empty(d)))
			continue;
		if (deep_copy(x, s, &copy) < 0)
			return -EINVAL;
		if (d) {
			*d = copy;
		} else {
			struct tmpl_val key = nfd__tmpl_str(src->keys[i]),
					m = {.k = TMPL_MAP, .m = dst};
			const struct tmpl_val args[3] = {m, key, copy};
			struct tmpl_val ignored;

			if (fn_set(x, args, 3, &ignored) < 0)
				return -EINVAL;
		}
	}
	return 0;
}

static int merge(struct tmpl_exec *x, const struct tmpl_val *a, size_t n, bool overwrite,
		 struct tmpl_val *ret)
{
	struct tmpl_map *dst = NULL;

	if (want_dict(x, &a[0], &dst) < 0)
		return -EINVAL;
	for (size_t i = 1; i < n; i++) {
		struct tmpl_map *src = NULL;

		if (want_dict(x, &a[i], &src) < 0 || merge_into(x, dst, src, overwrite, 0) < 0)
			return -EINVAL;
	}
	*ret = a[0];
	return 0;
}

TMPL_FN(fn_merge)
{
	return merge(x, a, n, false, ret);
}

TMPL_FN(fn_mergeoverwrite)
{
	return merge(x, a, n, true, ret);
}

/* dig "a" "b" default dict */
TMPL_FN(fn_dig)
{
	struct tmpl_map *m = NULL;
	struct tmpl_val cur;

	if (n < 3)
		return nfd__tmpl_err(x, "dig needs at least three arguments");
	if (want_dict(x, &a[n - 1], &m) < 0)
		return -EINVAL;
	cur = a[n - 1];
	for (size_t i = 0; i + 2 < n; i++) {
		const struct tmpl_val *v;
		const char *key;

		if (nfd__tmpl_want_str(x, &a[i], &key) < 0)
			return -EINVAL;
		if (cur.k != TMPL_MAP)
			return nfd__tmpl_err(x,
					     "interface conversion: interface {} is %s, not "
					     "map[string]interface {}",
					     nfd__tmpl_type_name(&cur));
		v = nfd__tmpl_map_get(cur.m, key);
		if (!v) {
			*ret = a[n - 2];
			return 0;
		}
		cur = *v;
	}
	*ret = cur;
	return 0;
}

const struct tmpl_func nfd__tmpl_sprig_list_funcs[] = {
	{"list", fn_list, 0, -1},
	{"tuple", fn_list, 0, -1},
	{"append", fn_push, 2, 2},
	{"push", fn_push, 2, 2},
	{"mustAppend", fn_push, 2, 2},
	{"mustPush", fn_push, 2, 2},
	{"prepend", fn_prepend, 2, 2},
	{"mustPrepend", fn_prepend, 2, 2},
	{"first", fn_first, 1, 1},
	{"mustFirst", fn_first, 1, 1},
	{"last", fn_last, 1, 1},
	{"mustLast", fn_last, 1, 1},
	{"rest", fn_rest, 1, 1},
	{"mustRest", fn_rest, 1, 1},
	{"initial", fn_initial, 1, 1},
	{"mustInitial", fn_initial, 1, 1},
	{"reverse", fn_reverse, 1, 1},
	{"mustReverse", fn_reverse, 1, 1},
	{"uniq", fn_uniq, 1, 1},
	{"mustUniq", fn_uniq, 1, 1},
	{"compact", fn_compact, 1, 1},
	{"mustCompact", fn_compact, 1, 1},
	{"without", fn_without, 1, -1},
	{"mustWithout", fn_without, 1, -1},
	{"has", fn_has, 2, 2},
	{"mustHas", fn_has, 2, 2},
	{"slice", fn_slice, 1, -1},
	{"mustSlice", fn_slice, 1, -1},
	{"concat", fn_concat, 0, -1},
	{"chunk", fn_chunk, 2, 2},
	{"mustChunk", fn_chunk, 2, 2},
	{"sortAlpha", fn_sortalpha, 1, 1},
	{"toStrings", fn_tostrings, 1, 1},
	{"dict", fn_dict, 0, -1},
	{"get", fn_get, 2, 2},
	{"set", fn_set, 3, 3},
	{"unset", fn_unset, 2, 2},
	{"hasKey", fn_haskey, 2, 2},
	{"keys", fn_keys, 0, -1},
	{"values", fn_values, 1, 1},
	{"pluck", fn_pluck, 1, -1},
	{"pick", fn_pick, 1, -1},
	{"omit", fn_omit, 1, -1},
	{"merge", fn_merge, 1, -1},
	{"mustMerge", fn_merge, 1, -1},
	{"mergeOverwrite", fn_mergeoverwrite, 1, -1},
	{"mustMergeOverwrite", fn_mergeoverwrite, 1, -1},
	{"deepCopy", fn_deepcopy, 1, 1},
	{"mustDeepCopy", fn_deepcopy, 1, 1},
	{"dig", fn_dig, 3, -1},
	{NULL, NULL, 0, 0},
};
