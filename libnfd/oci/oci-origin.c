/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * URL origins for the credential checks (which realm may receive a
 * registry's credentials) and the private-address test, done on parsed,
 * canonical hosts, never on string prefixes: "LOCALHOST", "localhost.",
 * "2130706433", "0177.0.0.1", "0x7f.1" and "127.0.0.1" are one host, and
 * "http://127.0.0.1@evil/" names the host "evil" (a URL with userinfo is
 * refused outright).  See doc/security.md.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/oci/oci-internal.h"
#include "shared/util.h"

/*
 * An IPv4 address in any form inet_aton(3) and browsers accept: one to four
 * parts, each decimal, octal (leading 0) or hexadecimal (0x), the last part
 * filling the remaining bytes.  Returns 0 and the address in host order, or
 * -EINVAL when s is not such a number.
 */
static int parse_ipv4_any(const char *s, uint32_t *ret)
{
	uint64_t parts[4];
	int n = 0;
	const char *p = s;

	if (!*s)
		return -EINVAL;
	for (;;) {
		uint64_t v = 0;
		int base = 10, digits = 0;

		if (n == 4)
			return -EINVAL;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			base = 16;
			p += 2;
		} else if (p[0] == '0' && isdigit((unsigned char)p[1])) {
			base = 8;
			p++;
		}
		for (; *p && *p != '.'; p++, digits++) {
			int d;

			if (isdigit((unsigned char)*p))
				d = *p - '0';
			else if (base == 16 && isxdigit((unsigned char)*p))
				d = tolower((unsigned char)*p) - 'a' + 10;
			else
				return -EINVAL;
			if (d >= base)
				return -EINVAL;
			v = v * (uint64_t)base + (uint64_t)d;
			if (v > 0xffffffffu)
				return -EINVAL;
		}
		if (digits == 0 && base == 10)
			return -EINVAL;
		parts[n++] = v;
		if (!*p)
			break;
		p++; /* '.' */
		if (!*p)
			break; /* a trailing dot, as "127.0.0.1." */
	}
	uint32_t addr = 0;

	for (int i = 0; i < n - 1; i++) {
		if (parts[i] > 255)
			return -EINVAL;
		addr |= (uint32_t)parts[i] << (24 - 8 * i);
	}
	if (parts[n - 1] > (0xffffffffu >> (8 * (n - 1))))
		return -EINVAL;
	addr |= (uint32_t)parts[n - 1];
	*ret = addr;
	return 0;
}

int nfd__oci_host_canonical(const char *host, size_t len, char **ret)
{
	_cleanup_free_ char *h = NULL;
	char buf[INET6_ADDRSTRLEN + 2];
	uint32_t v4;

	if (len == 0 || len > 255)
		return -EINVAL;
	if (host[0] == '[') {
		struct in6_addr a6;

		if (len < 3 || host[len - 1] != ']')
			return -EINVAL;
		h = memdup_str(host + 1, len - 2);
		if (!h)
			return -ENOMEM;
		/* a zone ("%eth0") or anything else inet_pton refuses */
		if (inet_pton(AF_INET6, h, &a6) != 1)
			return -EINVAL;
		buf[0] = '[';
		if (!inet_ntop(AF_INET6, &a6, buf + 1, INET6_ADDRSTRLEN))
			return -EINVAL;
		strcat(buf, "]");
		*ret = strdup(buf);
		return *ret ? 0 : -ENOMEM;
	}
	h = memdup_str(host, len);
	if (!h)
		return -ENOMEM;
	for (char *c = h; *c; c++) {
		unsigned char u = (unsigned char)*c;

		/* what a DNS name or IPv4 address may hold; no escapes, no userinfo */
		if (!isalnum(u) && u != '-' && u != '.' && u != '_')
			return -EINVAL;
		*c = (char)tolower(u);
	}
	if (parse_ipv4_any(h, &v4) == 0) {
		struct in_addr a = {.s_addr = htonl(v4)};

		if (!inet_ntop(AF_INET, &a, buf, sizeof(buf)))
			return -EINVAL;
		*ret = strdup(buf);
		return *ret ? 0 : -ENOMEM;
	}
	len = strlen(h);
	if (len > 1 && h[len - 1] == '.')
		h[len - 1] = '\0';
	if (!h[0] || h[0] == '.' || strstr(h, ".."))
		return -EINVAL;
	/* a number as last label that is no IPv4 address ("256.0.0.1") is no host */
	{
		const char *last = strrchr(h, '.') ? strrchr(h, '.') + 1 : h;
		size_t skip = (last[0] == '0' && last[1] == 'x') ? 2 : 0;

		if (strspn(last + skip, skip ? "0123456789abcdef" : "0123456789") ==
		    strlen(last + skip))
			return -EINVAL;
	}
	*ret = TAKE_PTR(h);
	return 0;
}

void nfd__oci_origin_done(struct oci_origin *o)
{
	free(o->host);
	o->host = NULL;
}

int nfd__oci_origin_parse(const char *url, struct oci_origin *ret)
{
	struct oci_origin o = {0};
	const char *p, *auth, *end, *host_end, *port_s = NULL;
	size_t auth_len;
	int r;

	p = strstr(url, "://");
	if (!p)
		return -EINVAL;
	if ((size_t)(p - url) == 5 && strncasecmp(url, "https", 5) == 0)
		o.https = true;
	else if ((size_t)(p - url) == 4 && strncasecmp(url, "http", 4) == 0)
		o.https = false;
	else
		return -EINVAL;
	auth = p + 3;
	auth_len = strcspn(auth, "/?#");
	end = auth + auth_len;
	if (memchr(auth, '@', auth_len))
		return -EINVAL; /* userinfo: refused, it only ever hides the real host */
	if (auth[0] == '[') {
		const char *rb = memchr(auth, ']', auth_len);

		if (!rb)
			return -EINVAL;
		host_end = rb + 1;
		if (host_end < end) {
			if (*host_end != ':')
				return -EINVAL;
			port_s = host_end + 1;
		}
	} else {
		host_end = memchr(auth, ':', auth_len);
		if (host_end)
			port_s = host_end + 1;
		else
			host_end = end;
	}
	if (port_s) {
		unsigned long port = 0;

		if (port_s == end)
			port = 0; /* "host:" is the default port */
		for (const char *c = port_s; c < end; c++) {
			if (!isdigit((unsigned char)*c))
				return -EINVAL;
			port = port * 10 + (unsigned long)(*c - '0');
			if (port > 65535)
				return -EINVAL;
		}
		o.port = (unsigned)port;
	}
	if (o.port == 0)
		o.port = o.https ? 443 : 80;
	r = nfd__oci_host_canonical(auth, (size_t)(host_end - auth), &o.host);
	if (r < 0)
		return r;
	*ret = o;
	return 0;
}

bool nfd__oci_origin_equal(const struct oci_origin *a, const struct oci_origin *b)
{
	return a->https == b->https && a->port == b->port && streq(a->host, b->host);
}

static bool v4_private(uint32_t a)
{
	static const struct {
		uint32_t net, mask;
	} ranges[] = {
		{0x00000000, 0xff000000}, /* 0.0.0.0/8, "this network" (0.0.0.0 is us) */
		{0x0a000000, 0xff000000}, /* 10/8 */
		{0x64400000, 0xffc00000}, /* 100.64/10, carrier-grade NAT */
		{0x7f000000, 0xff000000}, /* 127/8, loopback */
		{0xa9fe0000, 0xffff0000}, /* 169.254/16, link-local (cloud metadata) */
		{0xac100000, 0xfff00000}, /* 172.16/12 */
		{0xc0a80000, 0xffff0000}, /* 192.168/16 */
		{0xe0000000, 0xe0000000}, /* 224/3: multicast and reserved */
	};

	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
		if ((a & ranges[i].mask) == ranges[i].net)
			return true;
	return false;
}

bool nfd__oci_host_is_private(const char *canon)
{
	struct in6_addr a6;
	struct in_addr a4;
	size_t n = strlen(canon);

	if (streq(canon, "localhost") || (n > 10 && streq(canon + n - 10, ".localhost")))
		return true;
	if (inet_pton(AF_INET, canon, &a4) == 1)
		return v4_private(ntohl(a4.s_addr));
	if (canon[0] == '[' && n > 2) {
		char buf[INET6_ADDRSTRLEN];

		snprintf(buf, sizeof(buf), "%.*s", (int)(n - 2), canon + 1);
		if (inet_pton(AF_INET6, buf, &a6) != 1)
			return true; /* not understood: treat as local */
		if (IN6_IS_ADDR_UNSPECIFIED(&a6) || IN6_IS_ADDR_LOOPBACK(&a6) ||
		    IN6_IS_ADDR_LINKLOCAL(&a6) || IN6_IS_ADDR_SITELOCAL(&a6) ||
		    IN6_IS_ADDR_MULTICAST(&a6) || (a6.s6_addr[0] & 0xfe) == 0xfc)
			return true;
		if (IN6_IS_ADDR_V4MAPPED(&a6) || IN6_IS_ADDR_V4COMPAT(&a6)) {
			uint32_t v;

			memcpy(&v, a6.s6_addr + 12, 4);
			return v4_private(ntohl(v));
		}
		return false;
	}
	return false;
}

/*
 * Is a token realm safe to send credentials to?  Its URL must parse (no
 * userinfo), be https unless plain HTTP was asked for, and a realm on this
 * machine or a private network must be on the registry's own host; hosts
 * are compared in canonical form (libnfd/oci/oci-origin.c).
 */
bool nfd__oci_realm_allowed(const char *registry_host, bool plain_http, const char *realm)
{
	struct oci_origin o;
	_cleanup_free_ char *reg = NULL;
	size_t rn;
	bool ok;

	if (!realm || nfd__oci_origin_parse(realm, &o) < 0)
		return false;
	if (!o.https && !plain_http) {
		nfd__oci_origin_done(&o);
		return false;
	}
	if (!nfd__oci_host_is_private(o.host)) {
		nfd__oci_origin_done(&o);
		return true;
	}
	rn = registry_host[0] == '[' ? strcspn(registry_host, "]") + 1
				     : strcspn(registry_host, ":");
	ok = nfd__oci_host_canonical(registry_host, rn, &reg) == 0 && streq(reg, o.host);
	nfd__oci_origin_done(&o);
	return ok;
}
