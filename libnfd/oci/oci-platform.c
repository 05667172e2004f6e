/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Platforms: "os[/arch[/variant]][:os_version]" as NFD's --platform reads it,
 * with architecture names normalised the way containerd/platforms does, so
 * that "x86_64", "aarch64" or "arm64/v8" select the manifests a user means.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "libnfd/oci/oci-internal.h"

static void copy_lower(char *dst, size_t size, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? src[i] - 'A' + 'a' : src[i];
	dst[i] = '\0';
}

void nfd__oci_platform_normalize(struct oci_platform *p)
{
	static const struct {
		const char *from, *arch, *variant;
	} map[] = {
		{"x86_64", "amd64", NULL}, {"x86-64", "amd64", NULL}, {"aarch64", "arm64", NULL},
		{"armhf", "arm", "v7"},	   {"armel", "arm", "v6"},    {"armv7l", "arm", "v7"},
		{"armv7", "arm", "v7"},	   {"armv6l", "arm", "v6"},   {"armv6", "arm", "v6"},
		{"armv8l", "arm", "v8"},   {"i386", "386", NULL},     {"i486", "386", NULL},
		{"i586", "386", NULL},	   {"i686", "386", NULL},     {"ppc64el", "ppc64le", NULL},
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (!streq(p->arch, map[i].from))
			continue;
		snprintf(p->arch, sizeof(p->arch), "%s", map[i].arch);
		if (map[i].variant && !p->variant[0])
			snprintf(p->variant, sizeof(p->variant), "%s", map[i].variant);
		break;
	}
	/* arm64 defaults to v8, and "8"/"v8" mean the same: store v8 as none */
	if (streq(p->arch, "arm64") && (streq(p->variant, "v8") || streq(p->variant, "8")))
		p->variant[0] = '\0';
	if (streq(p->arch, "arm") && p->variant[0] >= '5' && p->variant[0] <= '8' &&
	    !p->variant[1]) {
		p->variant[1] = p->variant[0];
		p->variant[0] = 'v';
		p->variant[2] = '\0';
	}
	if (streq(p->arch, "amd64") && streq(p->variant, "v1"))
		p->variant[0] = '\0';
	if (streq(p->os, "macos"))
		snprintf(p->os, sizeof(p->os), "darwin");
}

int nfd__oci_platform_parse(struct nfd_ctx *ctx, const char *s, struct oci_platform *ret)
{
	struct oci_platform p = {};
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	const char *parts[4];
	size_t lens[4];
	size_t k = 0;
	const char *q = s;

	if (colon) {
		if (strlen(colon + 1) >= sizeof(p.os_version))
			return nfd__error(ctx, EINVAL, "platform '%s': os version too long", s);
		snprintf(p.os_version, sizeof(p.os_version), "%s", colon + 1);
	}
	while (q <= s + n && k < ARRAY_SIZE(parts)) {
		const char *slash = memchr(q, '/', (size_t)(s + n - q));
		size_t len = slash ? (size_t)(slash - q) : (size_t)(s + n - q);

		parts[k] = q;
		lens[k++] = len;
		if (!slash)
			break;
		q = slash + 1;
	}
	if (k == ARRAY_SIZE(parts) || q > s + n)
		return nfd__error(ctx, EINVAL, "platform '%s': expected format os[/arch[/variant]]",
				  s);
	if (lens[0] == 0 || lens[0] >= sizeof(p.os) ||
	    (k > 1 && (lens[1] == 0 || lens[1] >= sizeof(p.arch))) ||
	    (k > 2 && (lens[2] == 0 || lens[2] >= sizeof(p.variant))))
		return nfd__error(ctx, EINVAL,
				  "platform '%s': empty or overlong os, arch or variant", s);
	copy_lower(p.os, sizeof(p.os), parts[0], lens[0]);
	if (k > 1) {
		copy_lower(p.arch, sizeof(p.arch), parts[1], lens[1]);
	} else {
		/* NFD fills the arch of the running binary */
		struct oci_platform host;

		nfd__oci_platform_host(&host);
		memcpy(p.arch, host.arch, sizeof(p.arch));
		memcpy(p.variant, host.variant, sizeof(p.variant));
	}
	if (k > 2)
		copy_lower(p.variant, sizeof(p.variant), parts[2], lens[2]);
	nfd__oci_platform_normalize(&p);
	*ret = p;
	return 0;
}

void nfd__oci_platform_host(struct oci_platform *ret)
{
	struct utsname u;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->os, sizeof(ret->os), "linux");
	if (uname(&u) == 0)
		snprintf(ret->arch, sizeof(ret->arch), "%.31s", u.machine);
	else
		snprintf(ret->arch, sizeof(ret->arch), "unknown");
	nfd__oci_platform_normalize(ret);
}

bool nfd__oci_platform_match(const struct oci_platform *want, json_t *platform)
{
	struct oci_platform have = {};
	const char *os, *arch, *variant, *osv;

	if (!json_is_object(platform))
		return false;
	os = json_string_value(json_object_get(platform, "os"));
	arch = json_string_value(json_object_get(platform, "architecture"));
	variant = json_string_value(json_object_get(platform, "variant"));
	osv = json_string_value(json_object_get(platform, "os.version"));
	if (!os || !arch)
		return false;
	copy_lower(have.os, sizeof(have.os), os, strlen(os));
	copy_lower(have.arch, sizeof(have.arch), arch, strlen(arch));
	if (variant)
		copy_lower(have.variant, sizeof(have.variant), variant, strlen(variant));
	nfd__oci_platform_normalize(&have);

	if (!streq(have.os, want->os) || !streq(have.arch, want->arch))
		return false;
	if (want->variant[0] && !streq(have.variant, want->variant))
		return false;
	if (want->os_version[0] && (!osv || !streq(osv, want->os_version)))
		return false;
	/* os.features: we never ask for any, so any set matches */
	return true;
}

const char *nfd__oci_platform_str(const struct oci_platform *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s%s%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "", p->variant,
		 p->os_version[0] ? ":" : "", p->os_version);
	return buf;
}
