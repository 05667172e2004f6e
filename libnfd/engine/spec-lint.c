/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the spec lint knows beyond the decoder: the keys NFD's Rule type has
 * but a compatibility spec ignores, the feature names of the built-in
 * sources and, where a feature's element names form a closed set, those
 * names (doc/features.md), and "did you mean" by edit distance.
 */
#include <string.h>
#include <strings.h>

#include "libnfd/engine/spec-private.h"

#define MAX_WORD 64

/* Levenshtein distance, case-insensitive; long words count as far. */
size_t nfd__lint_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[MAX_WORD + 1];

	if (la > MAX_WORD || lb > MAX_WORD)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			char ca = a[i - 1], cb = b[j - 1];
			size_t cost;

			if (ca >= 'A' && ca <= 'Z')
				ca = (char)(ca - 'A' + 'a');
			if (cb >= 'A' && cb <= 'Z')
				cb = (char)(cb - 'A' + 'a');
			cost = diag + (ca != cb);
			if (row[j] + 1 < cost)
				cost = row[j] + 1;
			if (row[j - 1] + 1 < cost)
				cost = row[j - 1] + 1;
			row[j] = cost;
			diag = up;
		}
	}
	return row[lb];
}

const char *nfd__lint_nearest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strlen(word), best_d = (size_t)-1, limit;
	const char *best = NULL;

	/* one edit for short words, about a third of the letters for long ones */
	limit = len <= 4 ? 1 : len / 3 + 1;
	for (size_t i = 0; i < n && cands[i]; i++) {
		size_t d = nfd__lint_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/*
 * Feature names of the built-in sources; elements lists the names of a
 * closed set (attributes or instance attributes), NULL when the set is open
 * (flags of cpu.cpuid, kernel.config, modules, os-release lines, ...).
 */
static const char *const E_MODEL[] = {"vendor_id", "family", "id", "hypervisor", NULL};
static const char *const E_ENABLED[] = {"enabled", NULL};
static const char *const E_PSTATE[] = {"status", "turbo", "scaling_governor", NULL};
static const char *const E_RDT[] = {"RDTMON",  "RDTCMT", "RDTMBM", "RDTL3CA", "RDTL3CA_NUM_CLOSID",
				    "RDTL2CA", "RDTMBA", NULL};
static const char *const E_SECURITY[] = {
	"sgx.enabled", "sgx.epc",   "tdx.enabled",    "tdx.total_keys",		 "tdx.protected",
	"sev.enabled", "sev.asids", "sev.es.enabled", "sev.encrypted_state_ids", "sev.snp.enabled",
	"se.enabled",  NULL};
static const char *const E_SST[] = {"bf.enabled", NULL};
static const char *const E_TOPOLOGY[] = {"hardware_multithreading", "socket_count", NULL};
static const char *const E_COPROC[] = {"nx_gzip", NULL};
static const char *const E_KVERSION[] = {"full", "major", "minor", "revision", NULL};
static const char *const E_NUMA[] = {"is_numa", "node_count", NULL};
static const char *const E_NV[] = {"name", "devtype", "mode", NULL};
static const char *const E_NETDEV[] = {"name",	       "operstate",	 "speed", "mtu",
				       "sriov_numvfs", "sriov_totalvfs", NULL};
static const char *const E_NETVIRT[] = {"name", "operstate", "speed", "mtu", NULL};
static const char *const E_PCI[] = {"class",
				    "vendor",
				    "device",
				    "subsystem_vendor",
				    "subsystem_device",
				    "sriov_totalvfs",
				    "iommu_group/type",
				    "iommu/intel-iommu/version",
				    NULL};
static const char *const E_BLOCK[] = {"name", "dax",   "rotational", "nr_zones", "zoned", "fstype",
				      "uuid", "label", "pttype",     "ptuuid",	 NULL};
static const char *const E_DMI[] = {"bios_date",
				    "bios_vendor",
				    "bios_version",
				    "board_asset_tag",
				    "board_name",
				    "board_vendor",
				    "board_version",
				    "chassis_asset_tag",
				    "chassis_type",
				    "chassis_vendor",
				    "chassis_version",
				    "product_family",
				    "product_name",
				    "product_sku",
				    "product_version",
				    "sys_vendor",
				    NULL};
static const char *const E_NAME[] = {"nodename", NULL};
static const char *const E_USB[] = {"class", "vendor", "device", "serial", NULL};

static const struct {
	const char *name;
	const char *const *elements;
} known[] = {
	{"cpu.cpuid", NULL},
	{"cpu.model", E_MODEL},
	{"cpu.cstate", E_ENABLED},
	{"cpu.pstate", E_PSTATE},
	{"cpu.rdt", E_RDT},
	{"cpu.security", E_SECURITY},
	{"cpu.sst", E_SST},
	{"cpu.topology", E_TOPOLOGY},
	{"cpu.coprocessor", E_COPROC},
	{"kernel.version", E_KVERSION},
	{"kernel.config", NULL},
	{"kernel.loadedmodule", NULL},
	{"kernel.enabledmodule", NULL},
	{"kernel.selinux", E_ENABLED},
	{"kernel.kvm", E_ENABLED},
	{"memory.numa", E_NUMA},
	{"memory.swap", E_ENABLED},
	{"memory.hugepages", NULL},
	{"memory.nv", E_NV},
	{"network.device", E_NETDEV},
	{"network.virtual", E_NETVIRT},
	{"pci.device", E_PCI},
	{"storage.block", E_BLOCK},
	{"system.osrelease", NULL},
	{"system.dmiid", E_DMI},
	{"system.name", E_NAME},
	{"usb.device", E_USB},
};

/* Domains whose feature names are not fixed: local (feature files) and
 * rule (rule.matched, the back-reference). */
static bool open_domain(const char *feature, size_t domain_len)
{
	return (domain_len == 5 && strncmp(feature, "local", 5) == 0) ||
	       (domain_len == 4 && strncmp(feature, "rule", 4) == 0);
}

int nfd__lint_feature(const char *feature_lc, const char **ret_suggestion,
		      const char *const **ret_elements)
{
	const char *names[ARRAY_SIZE(known) + 1];
	const char *dot = strchr(feature_lc, '.');

	*ret_suggestion = NULL;
	*ret_elements = NULL;
	if (!dot || open_domain(feature_lc, (size_t)(dot - feature_lc)))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		/* the first byte settles most */
		if (known[i].name[0] == feature_lc[0] && streq(known[i].name, feature_lc)) {
			*ret_elements = known[i].elements;
			return 0;
		}
		names[i] = known[i].name;
	}
	names[ARRAY_SIZE(known)] = NULL;
	*ret_suggestion = nfd__lint_nearest(feature_lc, names, ARRAY_SIZE(known));
	return 1;
}

bool nfd__lint_element_known(const char *const *elements, const char *name)
{
	for (size_t i = 0; elements[i]; i++)
		if (streq(elements[i], name))
			return true;
	return false;
}

size_t nfd__lint_count(const char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}
