/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct nfd_report: reference counting, verdicts and accessors. */
#include <string.h>

#include "libnfd/engine/engine.h"

NFD_EXPORT struct nfd_report *nfd_report_ref(struct nfd_report *r)
{
	if (r)
		nfd__ref_inc(r);
	return r;
}

NFD_EXPORT struct nfd_report *nfd_report_unref(struct nfd_report *r)
{
	if (r && nfd__ref_dec(r) == 0) {
		arena_release(&r->arena);
		nfd_spec_unref(r->spec);
		nfd_features_unref(r->features);
		free(r);
	}
	return NULL;
}

NFD_EXPORT int nfd_report_is_compatible(const struct nfd_report *r)
{
	assert_return(r, -EINVAL);
	for (size_t i = 0; i < r->n_sets; i++)
		if (r->sets[i].compatible)
			return 1;
	return 0;
}

NFD_EXPORT int nfd_report_best_set(const struct nfd_report *r)
{
	assert_return(r, -EINVAL);
	return r->best;
}

NFD_EXPORT int nfd_report_count_sets(const struct nfd_report *r)
{
	assert_return(r, -EINVAL);
	return (int)r->n_sets;
}

NFD_EXPORT const struct nfd_report_set *nfd_report_get_set(const struct nfd_report *r, size_t index)
{
	return r && index < r->n_sets ? &r->sets[index] : NULL;
}

NFD_EXPORT const char *nfd_report_set_get_tag(const struct nfd_report_set *s)
{
	return s ? s->set->tag : NULL;
}

NFD_EXPORT const char *nfd_report_set_get_description(const struct nfd_report_set *s)
{
	return s ? s->set->description : NULL;
}

NFD_EXPORT int nfd_report_set_get_weight(const struct nfd_report_set *s)
{
	return s ? s->set->weight : 0;
}

NFD_EXPORT int nfd_report_set_get_spec_index(const struct nfd_report_set *s)
{
	assert_return(s, -EINVAL);
	return s->spec_index;
}

NFD_EXPORT int nfd_report_set_is_compatible(const struct nfd_report_set *s)
{
	assert_return(s, -EINVAL);
	return s->compatible;
}

NFD_EXPORT int nfd_report_set_count_rules(const struct nfd_report_set *s)
{
	assert_return(s, -EINVAL);
	return (int)s->n_rules;
}

NFD_EXPORT const struct nfd_report_rule *nfd_report_set_get_rule(const struct nfd_report_set *s,
								 size_t index)
{
	return s && index < s->n_rules ? &s->rules[index] : NULL;
}

NFD_EXPORT const char *nfd_report_rule_get_name(const struct nfd_report_rule *rule)
{
	return rule ? rule->name : NULL;
}

NFD_EXPORT int nfd_report_rule_is_match(const struct nfd_report_rule *rule)
{
	assert_return(rule, -EINVAL);
	return rule->is_match;
}

NFD_EXPORT int nfd_report_rule_count_rows(const struct nfd_report_rule *rule)
{
	assert_return(rule, -EINVAL);
	return (int)rule->n_rows;
}

NFD_EXPORT const struct nfd_report_row *nfd_report_rule_get_row(const struct nfd_report_rule *rule,
								size_t index)
{
	return rule && index < rule->n_rows ? &rule->rows[index] : NULL;
}

NFD_EXPORT const char *nfd_report_row_get_feature(const struct nfd_report_row *row)
{
	return row ? row->feature : NULL;
}

NFD_EXPORT const char *nfd_report_row_get_name(const struct nfd_report_row *row)
{
	return row ? row->name : NULL;
}

NFD_EXPORT const char *nfd_report_row_get_op(const struct nfd_report_row *row)
{
	return row ? row->expr->op_name : NULL;
}

NFD_EXPORT const char *nfd_report_row_get_type(const struct nfd_report_row *row)
{
	return row ? row->expr->type : NULL;
}

NFD_EXPORT int nfd_report_row_count_values(const struct nfd_report_row *row)
{
	assert_return(row, -EINVAL);
	return (int)row->expr->n_values;
}

NFD_EXPORT const char *nfd_report_row_get_value(const struct nfd_report_row *row, size_t index)
{
	return row && index < row->expr->n_values ? row->expr->values[index] : NULL;
}

NFD_EXPORT const char *nfd_report_row_get_expression(const struct nfd_report_row *row)
{
	return row ? row->expr->str : NULL;
}

NFD_EXPORT int nfd_report_row_is_match_name(const struct nfd_report_row *row)
{
	assert_return(row, -EINVAL);
	return row->is_match_name;
}

NFD_EXPORT int nfd_report_row_get_any_index(const struct nfd_report_row *row)
{
	assert_return(row, -EINVAL);
	return row->any_index;
}

NFD_EXPORT int nfd_report_row_is_match(const struct nfd_report_row *row)
{
	assert_return(row, -EINVAL);
	return row->is_match;
}

NFD_EXPORT const char *nfd_report_row_get_node_value(const struct nfd_report_row *row)
{
	return row ? row->node_value : NULL;
}

NFD_EXPORT int nfd_report_row_count_node_values(const struct nfd_report_row *row)
{
	assert_return(row, -EINVAL);
	return (int)MIN(row->n_node_values, (size_t)INT32_MAX);
}

NFD_EXPORT const char *nfd_report_row_get_node_value_item(const struct nfd_report_row *row,
							  size_t index)
{
	if (!row || index >= row->n_node_values)
		return NULL;
	return row->node_values[index];
}

/* The written report handed to the caller: its length, or -errno. */
static int steal_string(struct strbuf *sb, char **ret)
{
	size_t len;

	if (!strbuf_str(sb))
		return -ENOMEM;
	len = sb->len;
	if (len > INT32_MAX)
		return -E2BIG;
	*ret = strbuf_steal(sb);
	if (!*ret)
		return -ENOMEM;
	return (int)len;
}

NFD_EXPORT int nfd_report_to_string(const struct nfd_report *r, enum nfd_report_format format,
				    unsigned int flags, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int err;

	assert_return(r, -EINVAL);
	assert_return(ret, -EINVAL);
	assert_return(format == NFD_REPORT_JSON || format == NFD_REPORT_TEXT, -EINVAL);
	assert_return((flags & ~(unsigned)(NFD_REPORT_COLOR | NFD_REPORT_NFD_ONLY)) == 0, -EINVAL);
	if (format == NFD_REPORT_TEXT)
		return nfd_report_to_text(r, flags, 0, ret);
	err = nfd__report_to_json(r, &sb);
	if (err < 0)
		return err;
	return steal_string(&sb, ret);
}

NFD_EXPORT int nfd_report_to_text(const struct nfd_report *r, unsigned int flags,
				  unsigned int width, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int err;

	assert_return(r, -EINVAL);
	assert_return(ret, -EINVAL);
	assert_return((flags & ~(unsigned)(NFD_REPORT_COLOR | NFD_REPORT_NFD_ONLY)) == 0, -EINVAL);
	/* the writer sizes the buffer from a first pass over the tables */
	err = nfd__report_to_text(r, flags, width, &sb);
	if (err < 0)
		return err;
	return steal_string(&sb, ret);
}
