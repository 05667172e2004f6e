/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A compat spec as a NodeFeatureRule (`nfd compat export-rule`): every rule
 * of the selected sets runs as written and, when it matches, sets a var of
 * its own in rule.matched; a last rule labels the node when, for some set,
 * all its rules' vars are there.  What this cannot express is in
 * doc/nodefeaturerule.md ("From a compat spec").
 */
#include <string.h>

#include "shared/json-writer.h"
#include "libnfd/engine/nfr.h"

static void q(struct strbuf *sb, const char *s)
{
	json_write_cstr(sb, s);
}

static void write_expr(struct strbuf *sb, const struct nfd_expr *e)
{
	strbuf_puts(sb, "{op: ");
	q(sb, e->op_name);
	if (e->n_values) {
		strbuf_puts(sb, ", value: [");
		for (size_t i = 0; i < e->n_values; i++) {
			if (i)
				strbuf_puts(sb, ", ");
			q(sb, e->values[i]);
		}
		strbuf_puts(sb, "]");
	}
	if (e->type[0]) {
		strbuf_puts(sb, ", type: ");
		q(sb, e->type);
	}
	strbuf_puts(sb, "}");
}

static void write_matcher(struct strbuf *sb, const struct nfd_matcher *m, const char *indent)
{
	if (m->n_terms == 0) {
		strbuf_puts(sb, " []\n");
		return;
	}
	strbuf_puts(sb, "\n");
	for (size_t i = 0; i < m->n_terms; i++) {
		const struct nfd_term *t = &m->terms[i];

		strbuf_appendf(sb, "%s- feature: ", indent);
		q(sb, t->feature);
		strbuf_puts(sb, "\n");
		if (t->has_exprs) {
			strbuf_appendf(sb, "%s  matchExpressions:%s\n", indent,
				       t->n_exprs ? "" : " {}");
			for (size_t j = 0; j < t->n_exprs; j++) {
				strbuf_appendf(sb, "%s    ", indent);
				q(sb, t->names[j]);
				strbuf_puts(sb, ": ");
				write_expr(sb, &t->exprs[j]);
				strbuf_puts(sb, "\n");
			}
		}
		if (t->match_name) {
			strbuf_appendf(sb, "%s  matchName: ", indent);
			write_expr(sb, t->match_name);
			strbuf_puts(sb, "\n");
		}
	}
}

static bool selected(const char *tag, const char *const *tags)
{
	if (!tags || !tags[0])
		return true;
	for (; *tags; tags++)
		if (streq(*tags, tag))
			return true;
	return false;
}

int nfd__spec_to_nfr(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *const *tags,
		     const char *nfr_name, const char *label, const char *var_prefix,
		     struct strbuf *sb)
{
	size_t n_sel = 0;

	for (size_t i = 0; i < spec->n_sets; i++)
		n_sel += selected(spec->sets[i].tag, tags);
	if (n_sel == 0)
		return nfd__error(ctx, ENOENT, "%s: no compatibility set has one of the tags",
				  spec->name);
	strbuf_puts(sb, "apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n"
			"  name: ");
	q(sb, nfr_name);
	strbuf_puts(sb, "\nspec:\n  rules:\n");
	for (size_t i = 0; i < spec->n_sets; i++) {
		const struct nfd_set *set = &spec->sets[i];

		if (!selected(set->tag, tags))
			continue;
		for (size_t k = 0; k < set->n_rules; k++) {
			const struct nfd_rule *rule = &set->rules[k];
			_cleanup_strbuf_ struct strbuf name = STRBUF_INIT;

			strbuf_appendf(&name, "set %zu rule %zu: %s", i, k, rule->name);
			strbuf_puts(sb, "  - name: ");
			q(sb, strbuf_str(&name) ? name.buf : "");
			strbuf_puts(sb, "\n    vars:\n");
			for (size_t v = 0; v < rule->n_vars; v++) {
				strbuf_puts(sb, "      ");
				q(sb, rule->vars[v].key);
				strbuf_puts(sb, ": ");
				q(sb, rule->vars[v].value);
				strbuf_puts(sb, "\n");
			}
			strbuf_appendf(sb, "      \"%s-s%zu-r%zu\": \"true\"\n", var_prefix, i, k);
			if (rule->vars_template_src) {
				strbuf_puts(sb, "    varsTemplate: ");
				q(sb, rule->vars_template_src);
				strbuf_puts(sb, "\n");
			}
			if (rule->match_features.n_terms) {
				strbuf_puts(sb, "    matchFeatures:");
				write_matcher(sb, &rule->match_features, "    ");
			}
			if (rule->n_any) {
				strbuf_puts(sb, "    matchAny:\n");
				for (size_t a = 0; a < rule->n_any; a++) {
					strbuf_puts(sb, "    - matchFeatures:");
					write_matcher(sb, &rule->match_any[a], "      ");
				}
			}
		}
	}
	/* the label: any selected set whose rules all matched */
	strbuf_puts(sb, "  - name: ");
	q(sb, label);
	strbuf_puts(sb, "\n    labels:\n      ");
	q(sb, label);
	strbuf_puts(sb, ": \"true\"\n    matchAny:\n");
	for (size_t i = 0; i < spec->n_sets; i++) {
		const struct nfd_set *set = &spec->sets[i];

		if (!selected(set->tag, tags))
			continue;
		if (set->n_rules == 0) {
			strbuf_puts(sb, "    - matchFeatures: []\n");
			continue;
		}
		strbuf_puts(sb, "    - matchFeatures:\n      - feature: rule.matched\n"
				"        matchExpressions:\n");
		for (size_t k = 0; k < set->n_rules; k++)
			strbuf_appendf(sb, "          \"%s-s%zu-r%zu\": {op: IsTrue}\n", var_prefix,
				       i, k);
	}
	if (!strbuf_str(sb))
		return nfd__oom(ctx);
	return 0;
}

NFD_EXPORT int nfd_spec_to_rule(struct nfd_ctx *ctx, const struct nfd_spec *spec,
				const char *const *tags, const char *nfr_name, const char *label,
				const char *var_prefix, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int r;

	assert_return(ctx, -EINVAL);
	assert_return(spec && nfr_name && label && var_prefix && ret,
		      nfd__error(ctx, EINVAL, "missing argument"));
	r = nfd__spec_to_nfr(ctx, spec, tags, nfr_name, label, var_prefix, &sb);
	if (r < 0)
		return r;
	if (!strbuf_str(&sb))
		return nfd__oom(ctx);
	*ret = strbuf_steal(&sb);
	return 0;
}
