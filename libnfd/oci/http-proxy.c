/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which proxy a request goes through, from the environment variables curl
 * and most of the ecosystem read (doc/http.md): http_proxy (lower case
 * only: HTTP_PROXY can be set by a CGI client's "Proxy:" header),
 * https_proxy/HTTPS_PROXY, all_proxy/ALL_PROXY, and no_proxy/NO_PROXY.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libnfd/oci/http-internal.h"
#include "shared/util.h"

static const char *env2(const char *a, const char *b)
{
	const char *v = secure_env(a);

	if (!v || !*v)
		v = b ? secure_env(b) : NULL;
	return v && *v ? v : NULL;
}

/* addr in network order within the prefix bits of net */
static bool prefix_match(const unsigned char *a, const unsigned char *net, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, net, bytes) != 0)
		return false;
	return rest == 0 || ((a[bytes] ^ net[bytes]) & (0xffu << (8 - rest)) & 0xffu) == 0;
}

/* An IP address or CIDR range entry against an IP host; -1 when entry is no IP. */
static int ip_entry_match(const char *entry, const char *host)
{
	char buf[64];
	const char *slash = strchr(entry, '/');
	size_t n = slash ? (size_t)(slash - entry) : strlen(entry);
	unsigned char net[16], addr[16];
	int fam;
	unsigned long bits;

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, entry, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, net) == 1)
		fam = AF_INET;
	else if (inet_pton(AF_INET6, buf, net) == 1)
		fam = AF_INET6;
	else
		return -1;
	if (inet_pton(fam, host, addr) != 1)
		return 0;
	bits = fam == AF_INET ? 32 : 128;
	if (slash) {
		char *end;

		bits = strtoul(slash + 1, &end, 10);
		if (*end || end == slash + 1 || bits > (fam == AF_INET ? 32u : 128u))
			return 0;
	}
	return prefix_match(addr, net, (unsigned)bits);
}

static bool entry_match(char *e, const char *host, unsigned port)
{
	char *colon;
	size_t hn, en;
	int ip;

	if (streq(e, "*"))
		return true;
	/* "[v6]" or "[v6]:port" */
	if (e[0] == '[') {
		char *close = strchr(e, ']');

		if (!close)
			return false;
		*close = '\0';
		if (close[1] == ':' && (unsigned)strtoul(close + 2, NULL, 10) != port)
			return false;
		return ip_entry_match(e + 1, host) == 1;
	}
	ip = ip_entry_match(e, host);
	if (ip >= 0)
		return ip == 1;
	/* "name:port" (one colon only, an IPv6 address was handled above) */
	colon = strchr(e, ':');
	if (colon && !strchr(colon + 1, ':')) {
		*colon = '\0';
		if ((unsigned)strtoul(colon + 1, NULL, 10) != port)
			return false;
	}
	while (*e == '.')
		e++;
	en = strlen(e);
	hn = strlen(host);
	if (en == 0 || en > hn)
		return false;
	/* the name itself, or a subdomain of it */
	return strcasecmp(host + hn - en, e) == 0 && (hn == en || host[hn - en - 1] == '.');
}

bool nfd__http_no_proxy_match(const char *list, const char *host, unsigned port)
{
	_cleanup_free_ char *copy = list ? strdup(list) : NULL;
	char *save = NULL;

	if (!copy)
		return false;
	for (char *e = strtok_r(copy, ", \t", &save); e; e = strtok_r(NULL, ", \t", &save))
		if (entry_match(e, host, port))
			return true;
	return false;
}

int nfd__http_proxy_for(const struct http_url *u, char **ret)
{
	const char *p = u->https ? env2("https_proxy", "HTTPS_PROXY") : env2("http_proxy", NULL);
	const char *no = env2("no_proxy", "NO_PROXY");

	if (!p)
		p = env2("all_proxy", "ALL_PROXY");
	if (!p || (no && nfd__http_no_proxy_match(no, u->host, u->port))) {
		*ret = NULL;
		return 0;
	}
	*ret = strdup(p);
	return *ret ? 0 : -ENOMEM;
}
