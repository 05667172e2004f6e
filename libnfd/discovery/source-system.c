/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system source: system.osrelease, system.dmiid, system.name
 * (doc/semantics.md §10.10).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/discovery/source.h"
#include "shared/util.h"

#define OSRELEASE_MAX (1u << 20)

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* VERSION_ID "^(\d+)(\.(\d+))?(\..*)?$": major and, if present, minor. */
static int add_version_parts(struct nfd_features *f, const char *v)
{
	const char *p = v, *minor = NULL;
	size_t major_len, minor_len = 0;
	char buf[128];
	int r;

	while (*p >= '0' && *p <= '9')
		p++;
	major_len = (size_t)(p - v);
	if (major_len == 0 || major_len >= sizeof(buf))
		return 0;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		minor = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		minor_len = (size_t)(p - minor);
	}
	if (minor && *p != '\0' && *p != '.')
		minor = NULL; /* "1.2a": the regexp backtracks to major "1" and rest ".2a" */
	else if (!minor && major_len < strlen(v) && v[major_len] != '.')
		return 0;

	memcpy(buf, v, major_len);
	buf[major_len] = '\0';
	r = nfd_features_set_attribute(f, "system.osrelease", "VERSION_ID.major", buf);
	if (r < 0 || !minor || minor_len >= sizeof(buf))
		return r;
	memcpy(buf, minor, minor_len);
	buf[minor_len] = '\0';
	return nfd_features_set_attribute(f, "system.osrelease", "VERSION_ID.minor", buf);
}

static int discover_osrelease(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *path = nfd__path(ctx, NFD_PATH_ETC, "os-release");
	_cleanup_free_ char *text = NULL;
	const char *version_id = NULL;
	char *line, *next;
	int r;

	if (!path)
		return -ENOMEM;
	r = nfd__host_read_file(ctx, path, OSRELEASE_MAX, &text, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		nfd__warn_unreadable(ctx, path, r);
		return 0;
	}

	for (line = text; line; line = next) {
		char *eq, *val, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* Go's line scanner drops a trailing CR */
		end = line + strlen(line);
		if (end > line && end[-1] == '\r')
			*--end = '\0';

		/* "^(\w+)=(.+)" */
		eq = line;
		while (is_word_char(*eq))
			eq++;
		if (eq == line || *eq != '=' || eq[1] == '\0')
			continue;
		*eq = '\0';
		/* strings.Trim(value, `"'`) */
		val = eq + 1;
		while (*val == '"' || *val == '\'')
			val++;
		while (end > val && (end[-1] == '"' || end[-1] == '\''))
			end--;
		*end = '\0';
		r = nfd_features_set_attribute(f, "system.osrelease", line, val);
		if (r < 0)
			return r;
		if (streq(line, "VERSION_ID"))
			version_id = val;
	}
	if (version_id)
		return add_version_parts(f, version_id);
	return nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "system.osrelease");
}

/* The world-readable DMI fields; serials and product_uuid are root-only. */
static const char *const dmi_fields[] = {
	"bios_date",	"bios_vendor",	  "bios_version",    "board_asset_tag",
	"board_name",	"board_vendor",	  "board_version",   "chassis_asset_tag",
	"chassis_type", "chassis_vendor", "chassis_version", "product_family",
	"product_name", "product_sku",	  "product_version", "sys_vendor",
};

static int discover_dmiid(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *dir = nfd__path(ctx, NFD_PATH_SYS, "devices/virtual/dmi/id");
	int r;

	if (!dir)
		return -ENOMEM;
	r = nfd__path_exists(ctx, dir);
	if (r <= 0) {
		/* no SMBIOS (Firecracker, many ARM boards): NFD leaves the feature out too */
		nfd_dbg(ctx, "no '%s', leaving system.dmiid out", dir);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dmi_fields); i++) {
		char value[256];

		r = nfd__read_value_at(ctx, dir, dmi_fields[i], value, sizeof(value),
				       NFD_READ_OPTIONAL);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		r = nfd_features_set_attribute(f, "system.dmiid", dmi_fields[i], value);
		if (r < 0)
			return r;
	}
	return 0;
}

static int system_discover(struct nfd_ctx *ctx, struct nfd_features *f)
{
	const char *node_name = getenv("NODE_NAME");
	int r;

	r = discover_osrelease(ctx, f);
	if (r >= 0)
		r = discover_dmiid(ctx, f);
	if (r >= 0)
		r = nfd_features_set_attribute(f, "system.name", "nodename",
					       node_name ? node_name : "");
	return r;
}

const struct nfd_source nfd__source_system = {
	.discover = system_discover,
};
