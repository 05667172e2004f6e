/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks nfd-master puts a rule's outputs through: Kubernetes' qualified
 * names, label values and resource quantities (k8s.io/apimachinery
 * pkg/util/validation and pkg/api/resource), and NFD's namespace rules
 * (pkg/apis/nfd/validate/validate.go).  The messages are Kubernetes' and
 * NFD's own, so logs read the same; doc/nodefeaturerule.md lists them.
 */
#include <string.h>

#include "libnfd/engine/nfr.h"

#define QNAME_MSG                                                                                  \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "   \
	"an alphanumeric character"
#define QNAME_FMT      "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_EXAMPLES "(e.g. 'MyName',  or 'my.name',  or '123-abc', "
#define DNS1123_MSG                                                                                \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "  \
	"or '.', and must start and end with an alphanumeric character"
#define DNS1123_FMT "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
#define LABEL_VALUE_MSG                                                                            \
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "   \
	"or '.', and must start and end with an alphanumeric character"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] over s[0..len) */
static bool qname_chars(const char *s, size_t len)
{
	if (len == 0 || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

static bool dns1123_subdomain(const char *s, size_t len)
{
	bool start = true;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool lower = (c >= 'a' && c <= 'z') || is_digit(c);

		if (start) {
			if (!lower)
				return false;
			start = false;
			continue;
		}
		if (c == '.') {
			if (s[i - 1] == '-')
				return false;
			start = true;
		} else if (!lower && c != '-') {
			return false;
		}
	}
	return len > 0 && !start && s[len - 1] != '-';
}

static void add_err(struct strbuf *err, const char *msg)
{
	if (err->len)
		strbuf_puts(err, "; ");
	strbuf_puts(err, msg);
}

bool nfd__k8s_qualified_name(const char *s, struct strbuf *err)
{
	const char *slash = strchr(s, '/'), *name = s;
	size_t before = err->len;

	if (slash && strchr(slash + 1, '/')) {
		add_err(err, "a qualified name " QNAME_MSG " " QNAME_EXAMPLES
			     "regex used for validation is '" QNAME_FMT "') with an optional DNS "
			     "subdomain prefix and '/' (e.g. 'example.com/MyName')");
		return false;
	}
	if (slash) {
		size_t plen = (size_t)(slash - s);

		name = slash + 1;
		if (plen == 0)
			add_err(err, "prefix part must be non-empty");
		else if (plen > 253)
			add_err(err, "prefix part must be no more than 253 characters");
		else if (!dns1123_subdomain(s, plen))
			add_err(err,
				"prefix part " DNS1123_MSG " (e.g. 'example.com', regex used for "
				"validation is '" DNS1123_FMT "')");
	}
	if (!*name)
		add_err(err, "name part must be non-empty");
	else if (strlen(name) > 63)
		add_err(err, "name part must be no more than 63 characters");
	if (!qname_chars(name, strlen(name)))
		add_err(err, "name part " QNAME_MSG " " QNAME_EXAMPLES
			     "regex used for validation is '" QNAME_FMT "')");
	return err->len == before;
}

bool nfd__k8s_label_value(const char *s, struct strbuf *err)
{
	size_t len = strlen(s), before = err->len;

	if (len > 63)
		add_err(err, "must be no more than 63 characters");
	if (len > 0 && !qname_chars(s, len))
		add_err(err, LABEL_VALUE_MSG " (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
					     "used for validation is '(" QNAME_FMT ")?')");
	return err->len == before;
}

/* resource.ParseQuantity's grammar: <sign><number><suffix> */
bool nfd__k8s_quantity(const char *s, struct strbuf *err)
{
	static const char *const suffixes[] = {"",  "n", "u",  "m",  "k",  "M",	 "G",  "T",
					       "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
	const char *p = s;
	size_t digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	while (is_digit(*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (is_digit(*p)) {
			p++;
			digits++;
		}
	}
	if (digits == 0) {
		add_err(err, "quantities must match the regular expression "
			     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
		return false;
	}
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;

		if (*q == '+' || *q == '-')
			q++;
		if (is_digit(*q)) {
			while (is_digit(*q))
				q++;
			if (!*q)
				return true;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (streq(p, suffixes[i]))
			return true;
	add_err(err, "unable to parse quantity's suffix");
	return false;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* The kubernetes.io family is denied except NFD's own namespaces. */
static bool ns_allowed(enum nfd_out_kind kind, const char *ns, size_t len)
{
	if (!(len == 13 && memcmp(ns, "kubernetes.io", 13) == 0) &&
	    !has_suffix(ns, len, ".kubernetes.io"))
		return true;
	if ((len == 26 && memcmp(ns, NFD_FEATURE_LABEL_NS, 26) == 0) ||
	    has_suffix(ns, len, "." NFD_FEATURE_LABEL_NS))
		return true;
	return kind == NFD_OUT_LABEL &&
	       ((len == 26 && memcmp(ns, "profile.node.kubernetes.io", 26) == 0) ||
		has_suffix(ns, len, ".profile.node.kubernetes.io"));
}

bool nfd__validate_output(enum nfd_out_kind kind, const char *key, const char *value,
			  struct strbuf *err, bool *ret_ns_denied)
{
	static const char *const effects[] = {"NoSchedule", "PreferNoSchedule", "NoExecute"};
	const char *slash = strchr(key, '/');
	_cleanup_strbuf_ struct strbuf why = STRBUF_INIT;

	*ret_ns_denied = false;
	if (kind != NFD_OUT_TAINT && !nfd__k8s_qualified_name(key, &why)) {
		if (!strbuf_str(&why))
			return false;
		strbuf_appendf(err, "invalid %s ",
			       kind == NFD_OUT_LABEL	    ? "label key"
			       : kind == NFD_OUT_ANNOTATION ? "annotation key"
							    : "name");
		nfd__go_quote(err, key);
		strbuf_appendf(err, ": %s", why.buf);
		return false;
	}
	if (!slash || slash == key) {
		strbuf_puts(err, "unprefixed keys are not allowed");
		return false;
	}
	if (!ns_allowed(kind, key, (size_t)(slash - key))) {
		*ret_ns_denied = true;
		strbuf_puts(err, "namespace is not allowed");
		return false;
	}
	switch (kind) {
	case NFD_OUT_LABEL:
		if (nfd__k8s_label_value(value, &why))
			return true;
		break;
	case NFD_OUT_ANNOTATION:
		if (strlen(value) <= 1024)
			return true;
		strbuf_puts(err, "invalid value: too long: feature annotations must not be longer "
				 "than 1024 characters");
		return false;
	case NFD_OUT_ER:
		if (nfd__k8s_quantity(value, &why))
			return true;
		break;
	case NFD_OUT_TAINT:
		if (!*value) {
			strbuf_puts(err, "empty taint effect");
			return false;
		}
		for (size_t i = 0; i < ARRAY_SIZE(effects); i++)
			if (streq(value, effects[i]))
				return true;
		strbuf_puts(err, "invalid taint effect");
		return false;
	}
	if (strbuf_str(&why)) {
		strbuf_puts(err, "invalid value ");
		nfd__go_quote(err, value);
		strbuf_appendf(err, ": %s", why.buf);
	}
	return false;
}

const char *nfd__add_ns(struct arena *a, const char *key)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (strchr(key, '/'))
		return key;
	strbuf_appendf(&sb, NFD_FEATURE_LABEL_NS "/%s", key);
	return strbuf_str(&sb) ? arena_strndup(a, sb.buf, sb.len) : NULL;
}

NFD_EXPORT int nfd_rules_check_label(struct nfd_ctx *ctx, const char *key, const char *value,
				     unsigned int flags)
{
	_cleanup_strbuf_ struct strbuf err = STRBUF_INIT;
	bool denied = false, ok;

	assert_return(ctx, -EINVAL);
	assert_return(key && value, nfd__error(ctx, EINVAL, "no label given"));
	assert_return(!(flags & ~(unsigned int)NFD_RULES_CHECK_SYNTAX_ONLY),
		      nfd__error(ctx, EINVAL, "unknown flags 0x%x", flags));
	if (flags & NFD_RULES_CHECK_SYNTAX_ONLY)
		ok = nfd__k8s_qualified_name(key, &err) && nfd__k8s_label_value(value, &err);
	else
		ok = nfd__validate_output(NFD_OUT_LABEL, key, value, &err, &denied);
	if (ok)
		return 0;
	if (!strbuf_str(&err))
		return nfd__oom(ctx);
	return nfd__error(ctx, denied ? EPERM : EINVAL, "%s", err.buf);
}
