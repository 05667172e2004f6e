/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container-start check (nfd_hook_check()): read the OCI state and the
 * bundle's config.json, find the image in the annotations CRI-O, containerd
 * or a user set, get its spec through the cache (hook-fetch.c), evaluate it
 * against this node and answer by the policy, with a short message naming
 * the image, the best set and the failing rules with this node's values.
 * Annotations are untrusted input.  doc/oci-hook.md has the details.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/oci/hook-internal.h"
#include "shared/strbuf.h"
#include "shared/util.h"

#define ANNOT_IMAGE "nfd.libnfd.io/image"
#define ANNOT_SPEC  "nfd.libnfd.io/spec"
/* Longer annotation values are ignored: no image reference is this long. */
#define ANNOT_MAX 4096
/* The failing rules a message names before "+N more". */
#define MSG_RULES 3

/* Where the image is named, most trusted first (the runtime's own keys). */
static const char *const image_keys[] = {
	"io.kubernetes.cri-o.ImageRepoDigests", /* CRI-O: repo@digest, ... */
	"io.kubernetes.cri-o.ImageName",	/* CRI-O: a tagged name */
	"io.kubernetes.cri.image-name",		/* containerd: the pod's image: */
	ANNOT_IMAGE,				/* a user's (podman --annotation) */
};

static const char *annotation(json_t *const objs[2], const char *key)
{
	for (int i = 0; i < 2; i++) {
		const char *v = json_string_value(json_object_get(objs[i], key));

		if (v && *v && strlen(v) <= ANNOT_MAX)
			return v;
	}
	return NULL;
}

/*
 * A reference as container tools write it ("nginx", "org/app:1") made
 * fully qualified ("docker.io/library/nginx:latest"), as the runtimes
 * themselves normalise names.  OCI layout references are left alone.
 */
static char *normalize_ref(const char *ref)
{
	const char *slash = strchr(ref, '/'), *last = strrchr(ref, '/');
	bool has_host, has_version;
	char *out = NULL;

	if (nfd__oci_ref_is_layout(ref))
		return strdup(ref);
	has_host = slash && (memchr(ref, '.', (size_t)(slash - ref)) ||
			     memchr(ref, ':', (size_t)(slash - ref)) ||
			     (slash - ref == 9 && strstartswith(ref, "localhost")));
	last = last ? last + 1 : ref;
	has_version = strchr(last, ':') || strchr(last, '@');
	if (asprintf(&out, "%s%s%s",
		     has_host ? ""
		     : slash  ? "docker.io/"
			      : "docker.io/library/",
		     ref, has_version ? "" : ":latest") < 0)
		return NULL;
	return out;
}

/* The image reference: CRI-O's first digest reference, else the first
 * annotation present.  *ret_key says which one. */
static char *find_image(json_t *const objs[2], const char **ret_key)
{
	const char *v = annotation(objs, image_keys[0]);

	if (v) {
		_cleanup_free_ char *copy = strdup(v);
		char *save = NULL;

		if (!copy)
			return NULL;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			t = strstrip(t);
			if (strchr(t, '@')) {
				*ret_key = image_keys[0];
				return normalize_ref(t);
			}
		}
	}
	for (size_t i = 1; i < ARRAY_SIZE(image_keys); i++) {
		v = annotation(objs, image_keys[i]);
		if (v) {
			*ret_key = image_keys[i];
			return normalize_ref(v);
		}
	}
	return NULL;
}

/* "kernel.version major Gt [6] (node: 6.1)" for a failing row */
static void describe_row(struct strbuf *sb, const struct nfd_report_row *row)
{
	const char *node = nfd_report_row_get_node_value(row);
	int n = nfd_report_row_count_values(row);

	strbuf_appendf(sb, "%s", nfd_report_row_get_feature(row));
	if (!nfd_report_row_is_match_name(row))
		strbuf_appendf(sb, " %s", nfd_report_row_get_name(row));
	strbuf_appendf(sb, " %s", nfd_report_row_get_op(row));
	for (int i = 0; i < n; i++)
		strbuf_appendf(sb, "%s%s", i ? "," : " ", nfd_report_row_get_value(row, (size_t)i));
	strbuf_appendf(sb, " (node: %s)", node ? node : "absent");
}

/* The set closest to compatible: the compatible one with the highest
 * weight, else the one with the fewest failing rules. */
static int closest_set(const struct nfd_report *report, int *ret_failing)
{
	int best = nfd_report_best_set(report), n = nfd_report_count_sets(report), min = -1;

	*ret_failing = 0;
	if (best >= 0)
		return best;
	for (int i = 0; i < n; i++) {
		const struct nfd_report_set *s = nfd_report_get_set(report, (size_t)i);
		int k = nfd_report_set_count_rules(s), failing = 0;

		for (int j = 0; j < k; j++)
			failing += !nfd_report_rule_is_match(nfd_report_set_get_rule(s, (size_t)j));
		if (min < 0 || failing < min) {
			min = failing;
			best = i;
		}
	}
	*ret_failing = MAX(min, 0);
	return best;
}

/* "set #2 'needs Linux 7' [tag gpu]" */
static void describe_set(struct strbuf *sb, const struct nfd_report_set *s)
{
	const char *d = nfd_report_set_get_description(s), *t = nfd_report_set_get_tag(s);

	strbuf_appendf(sb, "set #%d", nfd_report_set_get_spec_index(s) + 1);
	if (*d)
		strbuf_appendf(sb, " '%s'", d);
	if (*t)
		strbuf_appendf(sb, " [tag %s]", t);
}

/* Evaluate and describe: 1 compatible, 0 not, -errno. */
static int evaluate_spec(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *what,
			 const struct nfd_spec *spec, struct strbuf *msg)
{
	struct nfd_features *f = NULL;
	struct nfd_report *report = NULL;
	const struct nfd_report_set *set;
	int r, best, failing, shown = 0;

	r = nfd__hook_node_features(ctx, p, spec, &f);
	if (r < 0)
		return r;
	r = nfd_evaluate(ctx, spec, f, (const char *const *)p->tags, &report);
	nfd_features_unref(f);
	if (r < 0)
		return r;
	if (nfd_report_count_sets(report) == 0) {
		/* the policy's tags select nothing of this image: no claim */
		strbuf_appendf(msg, "%s: no compatibility set%s to evaluate: nothing to check",
			       what, p->tags ? " with the policy's tags" : "");
		r = 1;
		goto out;
	}
	best = closest_set(report, &failing);
	set = nfd_report_get_set(report, (size_t)best);
	if (nfd_report_is_compatible(report) > 0) {
		strbuf_appendf(msg, "%s: compatible with this node (", what);
		describe_set(msg, set);
		strbuf_puts(msg, ")");
		r = 1;
		goto out;
	}
	strbuf_appendf(msg, "%s is not compatible with this node: best ", what);
	describe_set(msg, set);
	strbuf_appendf(msg, ", %d of %d rules fail\n", failing, nfd_report_set_count_rules(set));
	for (int j = 0; j < nfd_report_set_count_rules(set); j++) {
		const struct nfd_report_rule *rule = nfd_report_set_get_rule(set, (size_t)j);
		const struct nfd_report_row *row = NULL;

		if (nfd_report_rule_is_match(rule))
			continue;
		if (shown == MSG_RULES) {
			strbuf_appendf(msg, "; +%d more", failing - shown);
			break;
		}
		for (int k = 0; !row && k < nfd_report_rule_count_rows(rule); k++) {
			row = nfd_report_rule_get_row(rule, (size_t)k);
			if (nfd_report_row_is_match(row))
				row = NULL;
		}
		strbuf_appendf(msg, "%srule %s", shown ? "; " : "", nfd_report_rule_get_name(rule));
		if (row) {
			strbuf_puts(msg, ": ");
			describe_row(msg, row);
		}
		shown++;
	}
	r = 0;
out:
	nfd_report_unref(report);
	return r;
}

/*
 * The verdict for a spec's bytes on this node, through the cache: a verdict
 * is a function of the spec and the node's features, and the features are
 * taken as fixed for discovery-ttl (and the boot), so it is cached that
 * long.  A hit costs no YAML parsing, discovery or evaluation.
 */
static int evaluate(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *what,
		    const char *buf, size_t len, const char *name, struct strbuf *msg)
{
	_cleanup_strbuf_ struct strbuf key = STRBUF_INIT, out = STRBUF_INIT;
	struct cache_entry e = {};
	struct nfd_spec *spec = NULL;
	int r;

	strbuf_puts(&key, "verdict\n");
	nfd__hook_node_key(ctx, &key);
	strbuf_appendf(&key, "%s\n", what);
	for (char **t = p->tags; t && *t; t++)
		strbuf_appendf(&key, "%s,", *t);
	strbuf_appendf(&key, "\n%zu:", len);
	strbuf_append(&key, buf, len);
	if (!strbuf_str(&key))
		return nfd__oom(ctx);
	if (nfd__cache_get(ctx, p, strbuf_str(&key), &e) == 0) {
		if (e.kind == CACHE_VERDICT && nfd__cache_now() - e.time < p->discovery_ttl &&
		    (e.data[0] == '0' || e.data[0] == '1') && e.data[1] == '\n') {
			strbuf_puts(msg, e.data + 2);
			r = e.data[0] - '0';
			nfd__cache_entry_done(&e);
			return r;
		}
		nfd__cache_entry_done(&e);
	}
	r = nfd_spec_parse(ctx, buf, len, name, &spec);
	if (r < 0)
		return r;
	r = evaluate_spec(ctx, p, what, spec, &out);
	nfd_spec_unref(spec);
	if (r < 0)
		return r;
	if (!strbuf_str(&out))
		return nfd__oom(ctx);
	strbuf_puts(msg, strbuf_str(&out));
	{
		_cleanup_free_ char *data = NULL;
		int n = asprintf(&data, "%d\n%s", r, strbuf_str(&out));

		if (n >= 0)
			nfd__cache_put(ctx, p, strbuf_str(&key), CACHE_VERDICT, data, (size_t)n);
	}
	return r;
}

/* The spec file a user named in the spec annotation: a plain file name
 * inside the policy's spec directory, nothing else. */
static int load_spec_file(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *name,
			  char **ret_path, char **ret_buf, size_t *ret_len)
{
	_cleanup_free_ char *path = NULL;
	int r;

	if (name[0] == '.' || name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
						"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")])
		return nfd__error(ctx, EINVAL,
				  "annotation %s: '%s' is not a file name in %s (letters, "
				  "digits, '.', '_', '-')",
				  ANNOT_SPEC, name, p->spec_dir);
	path = path_join(p->spec_dir, name);
	if (!path)
		return nfd__oom(ctx);
	r = read_file(path, OCI_DEFAULT_MAX_SPEC_SIZE, ret_buf, ret_len);
	if (r < 0)
		return nfd__error_read(ctx, r, path, "specs");
	*ret_path = TAKE_PTR(path);
	return 0;
}

struct verdict {
	int outcome; /* the worst seen: enum nfd_hook_outcome */
	bool deny;
	struct strbuf msg;
};

static void add_outcome(struct verdict *v, const struct nfd_hook_policy *p, int outcome)
{
	bool deny = nfd_hook_policy_get_answer(p, outcome) == NFD_HOOK_DENY;

	/* incompatible outranks the others; among the rest the first wins */
	if (v->msg.len == 0 || outcome == NFD_HOOK_INCOMPATIBLE ||
	    (v->outcome == NFD_HOOK_COMPATIBLE && outcome != NFD_HOOK_COMPATIBLE))
		v->outcome = outcome;
	v->deny |= deny;
}

static void sep(struct verdict *v)
{
	if (v->msg.len)
		strbuf_puts(&v->msg, "\n");
}

/* Check the image named by the annotations. */
static int check_image(struct nfd_ctx *ctx, const struct nfd_hook_policy *p, const char *image,
		       const char *key, struct verdict *v)
{
	_cleanup_free_ char *name = NULL, *buf = NULL, *what = NULL;
	size_t len = 0;
	int r;

	r = nfd__hook_get_spec(ctx, p, image, false, &name, &buf, &len);
	sep(v);
	if (r < 0) {
		strbuf_appendf(&v->msg, "%s (from %s): cannot get its compatibility spec: %s; %s",
			       image, key, nfd_ctx_last_error(ctx),
			       p->deny_registry ? "refused (on-registry-error = deny)"
						: "allowed (on-registry-error = allow)");
		add_outcome(v, p, NFD_HOOK_FETCH_ERROR);
		return 0;
	}
	/* the image as named, and the digest it was checked at */
	if (asprintf(&what, "%s%s%s", image, strstr(image, "@sha256:") ? "" : " = ",
		     strstr(image, "@sha256:") ? "" : strrchr(name, '@') + 1) < 0)
		return nfd__oom(ctx);
	if (!buf) {
		strbuf_appendf(&v->msg, "%s has no compatibility artifact; %s", what,
			       p->deny_no_artifact ? "refused (on-no-artifact = deny)"
						   : "allowed (on-no-artifact = allow)");
		add_outcome(v, p, NFD_HOOK_NO_ARTIFACT);
		return 0;
	}
	r = evaluate(ctx, p, what, buf, len, name, &v->msg);
	if (r < 0)
		return r;
	add_outcome(v, p, r ? NFD_HOOK_COMPATIBLE : NFD_HOOK_INCOMPATIBLE);
	return 0;
}

static int parse_json(struct nfd_ctx *ctx, const char *what, const char *buf, size_t len,
		      json_t **ret)
{
	json_error_t err;
	json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);

	if (!j)
		return nfd__error(ctx, EBADMSG, "%s: %d:%d: %s", what, err.line, err.column,
				  err.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return nfd__error(ctx, EBADMSG, "%s: not a JSON object", what);
	}
	*ret = j;
	return 0;
}

/* config.json from the bundle the state names. */
static int read_config(struct nfd_ctx *ctx, json_t *state, json_t **ret)
{
	const char *bundle = json_string_value(json_object_get(state, "bundle"));
	_cleanup_free_ char *path = NULL, *buf = NULL;
	size_t len;
	int r;

	if (!bundle || bundle[0] != '/')
		return nfd__error(ctx, EINVAL, "OCI state: no absolute \"bundle\" path");
	path = path_join(bundle, "config.json");
	if (!path)
		return nfd__oom(ctx);
	r = read_file(path, HOOK_MAX_CONFIG, &buf, &len);
	if (r < 0)
		return nfd__error_read(ctx, r, path, "OCI bundle configs");
	return parse_json(ctx, path, buf, len, ret);
}

NFD_EXPORT int nfd_hook_check(struct nfd_ctx *ctx, const struct nfd_hook_policy *p,
			      const char *state, size_t state_len, const char *config,
			      size_t config_len, int *ret_outcome, char **ret_message)
{
	_cleanup_free_ char *image = NULL;
	struct verdict v = {.msg = STRBUF_INIT};
	json_t *sj = NULL, *cj = NULL, *objs[2];
	const char *key = NULL, *spec_name;
	int r;

	assert_return(ctx && p && state, -EINVAL);
	if (state_len > HOOK_MAX_STATE)
		return nfd__error_too_big(ctx, "OCI state", state_len, HOOK_MAX_STATE,
					  "OCI states");
	if (config && config_len > HOOK_MAX_CONFIG)
		return nfd__error_too_big(ctx, "OCI config", config_len, HOOK_MAX_CONFIG,
					  "OCI bundle configs");
	r = parse_json(ctx, "OCI state", state, state_len, &sj);
	if (r < 0)
		return r;
	r = config ? parse_json(ctx, "OCI config", config, config_len, &cj)
		   : read_config(ctx, sj, &cj);
	if (r < 0)
		goto out;
	/* the config's annotations first: the state only repeats them */
	objs[0] = json_object_get(cj, "annotations");
	objs[1] = json_object_get(sj, "annotations");

	spec_name = annotation(objs, ANNOT_SPEC);
	if (spec_name) {
		_cleanup_free_ char *path = NULL, *buf = NULL, *what = NULL;
		size_t len = 0;

		r = load_spec_file(ctx, p, spec_name, &path, &buf, &len);
		if (r < 0)
			goto out;
		if (asprintf(&what, "spec %s", path) < 0) {
			r = nfd__oom(ctx);
			goto out;
		}
		r = evaluate(ctx, p, what, buf, len, path, &v.msg);
		if (r < 0)
			goto out;
		add_outcome(&v, p, r ? NFD_HOOK_COMPATIBLE : NFD_HOOK_INCOMPATIBLE);
	}
	image = find_image(objs, &key);
	if (image) {
		r = check_image(ctx, p, image, key, &v);
		if (r < 0)
			goto out;
	} else if (!spec_name) {
		strbuf_appendf(&v.msg,
			       "no annotation names the image (%s, %s, %s, %s) or a spec (%s): "
			       "nothing to check; %s",
			       image_keys[0], image_keys[1], image_keys[2], image_keys[3],
			       ANNOT_SPEC,
			       p->deny_no_image ? "refused (on-no-image = deny)" : "allowed");
		add_outcome(&v, p, NFD_HOOK_NO_IMAGE);
	}
	if (v.outcome == NFD_HOOK_INCOMPATIBLE)
		strbuf_puts(&v.msg, p->warn ? "\n(mode = warn: allowed)" : "");
	if (!strbuf_str(&v.msg)) {
		r = nfd__oom(ctx);
		goto out;
	}
	if (ret_outcome)
		*ret_outcome = v.outcome;
	if (ret_message)
		*ret_message = strbuf_steal(&v.msg);
	r = v.deny ? NFD_HOOK_DENY : NFD_HOOK_ALLOW;
out:
	strbuf_release(&v.msg);
	json_decref(sj);
	json_decref(cj);
	return r;
}

NFD_EXPORT int nfd_hook_prefetch(struct nfd_ctx *ctx, const struct nfd_hook_policy *p,
				 const char *image_ref, char **ret_digest)
{
	_cleanup_free_ char *image = NULL, *name = NULL, *buf = NULL;
	struct nfd_spec *spec = NULL;
	struct nfd_features *f = NULL;
	size_t len = 0;
	int r;

	assert_return(ctx && p && image_ref, -EINVAL);
	image = normalize_ref(image_ref);
	if (!image)
		return nfd__oom(ctx);
	r = nfd__hook_get_spec(ctx, p, image, true, &name, &buf, &len);
	if (r < 0)
		return r;
	if (buf) {
		r = nfd_spec_parse(ctx, buf, len, name, &spec);
		if (r == 0)
			r = nfd__hook_node_features(ctx, p, spec, &f);
		nfd_features_unref(f);
		nfd_spec_unref(spec);
		if (r < 0)
			return r;
	}
	if (ret_digest) {
		*ret_digest = strdup(strrchr(name, '@') + 1);
		if (!*ret_digest)
			return nfd__oom(ctx);
	}
	return buf ? 1 : 0;
}
