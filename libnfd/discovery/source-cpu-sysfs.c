/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu.cstate, cpu.pstate, cpu.sst, cpu.topology and cpu.coprocessor: sysfs
 * readers that follow NFD's source/cpu/ (cstate, pstate, power, topology)
 * step by step, including which failures empty a whole set and which only
 * skip one CPU or policy.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnfd/discovery/cpuid.h"
#include "libnfd/discovery/source.h"
#include "shared/util.h"

/* Go's strconv.Atoi on an already trimmed string. */
static bool parse_int(const char *s, long long *ret)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*ret = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' && !(s[0] == ' ' || s[0] == '\t');
}

/* ---------------------------------------------------------------- cstate */

int nfd__cpu_cstate(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *base = nfd__path(ctx, NFD_PATH_SYS, "devices/system/cpu");
	_cleanup_free_ char *cpuidle = NULL, *max_cstate = NULL;
	char buf[64];
	long long n;
	int r;

	if (!base)
		return -ENOMEM;
	/* NFD treats a missing cpu directory as an error: the feature is left out. */
	r = nfd__path_exists(ctx, base);
	if (r <= 0) {
		nfd__warn_unreadable(ctx, base, r < 0 ? r : -ENOENT);
		return 0;
	}
	cpuidle = path_join(base, "cpuidle");
	max_cstate = nfd__path(ctx, NFD_PATH_SYS, "module/intel_idle/parameters/max_cstate");
	if (!cpuidle || !max_cstate)
		return -ENOMEM;
	if (nfd__path_exists(ctx, cpuidle) == 0)
		return nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "cpu.cstate");

	r = nfd__read_value_at(ctx, cpuidle, "current_driver", buf, sizeof(buf), NFD_READ_WARN);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;
	/* Only intel_idle has a max_cstate knob; other drivers give {}. */
	if (!streq(buf, "intel_idle"))
		return nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "cpu.cstate");

	r = nfd__read_value(ctx, max_cstate, buf, sizeof(buf), NFD_READ_WARN);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;
	if (!parse_int(buf, &n)) {
		nfd_warn(ctx, "'%s': not an integer: '%s', leaving cpu.cstate out", max_cstate,
			 buf);
		return 0;
	}
	return nfd_features_set_attribute(f, "cpu.cstate", "enabled", n > 0 ? "true" : "false");
}

/* ---------------------------------------------------------------- pstate */

/* The scaling governor all used cpufreq policies agree on, into buf ("" if none). */
static int common_governor(struct nfd_ctx *ctx, const char *cpufreq, char *buf, size_t size)
{
	_cleanup_strv_free_ char **policies = NULL;
	int r;

	buf[0] = '\0';
	r = nfd__list_dir(ctx, cpufreq, &policies);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		if (r != -ENOENT)
			nfd__warn_unreadable(ctx, cpufreq, r);
		return 0;
	}
	for (char **p = policies; *p; p++) {
		_cleanup_free_ char *dir = path_join(cpufreq, *p);
		char cpus[256], gov[64];

		if (!dir)
			return -ENOMEM;
		/* A policy without CPUs (or unreadable) does not count, as in NFD. */
		r = nfd__read_value_at(ctx, dir, "affected_cpus", cpus, sizeof(cpus),
				       NFD_READ_QUIET);
		if (r == -ENOMEM)
			return r;
		if (r <= 0)
			continue;
		r = nfd__read_value_at(ctx, dir, "scaling_governor", gov, sizeof(gov),
				       NFD_READ_QUIET);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			continue;
		if (buf[0] && !streq(buf, gov)) {
			buf[0] = '\0';
			break;
		}
		snprintf(buf, size, "%s", gov);
	}
	return 0;
}

/* turbo: only the first byte of no_turbo counts, as in NFD. */
static int add_turbo(struct nfd_ctx *ctx, const char *pstate, struct nfd_features *f)
{
	_cleanup_free_ char *path = path_join(pstate, "no_turbo");
	_cleanup_free_ char *raw = NULL;
	size_t len = 0;
	int r;

	if (!path)
		return -ENOMEM;
	r = nfd__host_read_file(ctx, path, 64, &raw, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		nfd__warn_unreadable(ctx, path, r);
		return 0;
	}
	if (len == 0) {
		nfd_warn(ctx, "'%s' is empty, ignoring", path);
		return 0;
	}
	return nfd_features_set_attribute(f, "cpu.pstate", "turbo",
					  raw[0] == '0' ? "true" : "false");
}

int nfd__cpu_pstate(struct nfd_ctx *ctx, struct nfd_features *f)
{
	_cleanup_free_ char *base = nfd__path(ctx, NFD_PATH_SYS, "devices/system/cpu");
	_cleanup_free_ char *pstate = NULL, *cpufreq = NULL;
	char status[64], gov[64];
	int r;

	if (!base)
		return -ENOMEM;
	/* NFD always emits this set, {} on any error. */
	r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "cpu.pstate");
	if (r < 0)
		return r;
	/* A missing cpu directory was already reported by nfd__cpu_cstate(). */
	r = nfd__path_exists(ctx, base);
	if (r < 0)
		nfd__warn_unreadable(ctx, base, r);
	if (r <= 0)
		return 0;
	pstate = path_join(base, "intel_pstate");
	cpufreq = path_join(base, "cpufreq");
	if (!pstate || !cpufreq)
		return -ENOMEM;
	if (nfd__path_exists(ctx, pstate) == 0)
		return 0;

	r = nfd__read_value_at(ctx, pstate, "status", status, sizeof(status), NFD_READ_WARN);
	if (r == -ENOMEM)
		return r;
	if (r < 0 || streq(status, "off"))
		return 0;

	r = add_turbo(ctx, pstate, f);
	if (r < 0)
		return r;
	r = nfd_features_set_attribute(f, "cpu.pstate", "status", status);
	if (r < 0)
		return r;
	if (!streq(status, "active"))
		return 0;

	r = common_governor(ctx, cpufreq, gov, sizeof(gov));
	if (r < 0)
		return r;
	if (gov[0])
		return nfd_features_set_attribute(f, "cpu.pstate", "scaling_governor", gov);
	return 0;
}

/* ------------------------------------------------------------------- sst */

int nfd__cpu_devices_list(struct nfd_ctx *ctx, struct nfd_cpu_devices *ret)
{
	*ret = (struct nfd_cpu_devices){.n = -ENOENT};
	ret->path = nfd__path(ctx, NFD_PATH_SYS, "bus/cpu/devices");
	if (!ret->path)
		return -ENOMEM;
	ret->n = nfd__list_dir(ctx, ret->path, &ret->names);
	return ret->n == -ENOMEM ? -ENOMEM : 0;
}

void nfd__cpu_devices_done(struct nfd_cpu_devices *d)
{
	free(d->path);
	strv_free(d->names);
	*d = (struct nfd_cpu_devices){.n = -ENOENT};
}

int nfd__cpu_sst(struct nfd_ctx *ctx, const struct nfd_cpuid *c, const struct nfd_cpu_devices *d,
		 struct nfd_features *f)
{
	const char *devices = d->path;
	uint32_t regs[4];
	int r;

	r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "cpu.sst");
	if (r < 0 || !c)
		return r;
	/* Nominal base frequency in MHz; NFD does not check the max leaf first. */
	nfd__cpuid_query(c, 0x16, 0, regs);

	r = d->n;
	if (r < 0) {
		/* nfd__cpu_topology() reports a missing directory; other errors here. */
		if (r != -ENOENT)
			nfd__warn_unreadable(ctx, devices, r);
		return 0;
	}
	for (char **p = d->names; *p; p++) {
		_cleanup_free_ char *dir = path_join(devices, *p);
		char buf[64];
		long long khz;

		if (!dir)
			return -ENOMEM;
		r = nfd__read_value_at(ctx, dir, "cpufreq/base_frequency", buf, sizeof(buf),
				       NFD_READ_OPTIONAL);
		if (r == -ENOENT)
			continue;
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return 0;
		if (!parse_int(buf, &khz)) {
			nfd_warn(ctx,
				 "%s/cpufreq/base_frequency: not an integer: '%s', "
				 "leaving cpu.sst empty",
				 dir, buf);
			return 0;
		}
		if (regs[NFD_EAX] == 0) {
			nfd_warn(ctx, "cannot tell whether SST-BF is enabled: CPUID leaf 0x16 "
				      "has no nominal base frequency");
			return 0;
		}
		if (khz / 1000 > (long long)regs[NFD_EAX])
			return nfd_features_set_attribute(f, "cpu.sst", "bf.enabled", "true");
	}
	return 0;
}

/* -------------------------------------------------------------- topology */

int nfd__cpu_topology(struct nfd_ctx *ctx, const struct nfd_cpu_devices *d, struct nfd_features *f)
{
	const char *devices = d->path;
	_cleanup_strv_free_ char **packages = NULL;
	size_t n_packages = 0;
	bool ht = false;
	char buf[32];
	int r;

	r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "cpu.topology");
	if (r < 0)
		return r;
	r = d->n;
	if (r < 0) {
		nfd__warn_unreadable(ctx, devices, r);
		return 0;
	}
	packages = calloc((size_t)r + 1, sizeof(*packages));
	if (!packages)
		return -ENOMEM;

	for (char **p = d->names; *p; p++) {
		_cleanup_free_ char *dir = path_join(devices, *p);
		_cleanup_close_ int dfd = -1;
		bool seen = false;

		if (!dir)
			return -ENOMEM;
		dfd = nfd__open_dir(ctx, dir);
		/* Any unreadable CPU makes NFD report the whole set as {}. */
		r = nfd__read_value_in(ctx, dfd, dir, "topology/thread_siblings_list", buf,
				       sizeof(buf), NFD_READ_WARN);
		if (r == -ENOMEM)
			return r;
		if (r < 0 && r != -E2BIG)
			return 0;
		/* A list too long for buf has separators anyway. */
		if (r == -E2BIG || strpbrk(buf, ",-"))
			ht = true;

		r = nfd__read_value_in(ctx, dfd, dir, "topology/physical_package_id", buf,
				       sizeof(buf), NFD_READ_WARN);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return 0;
		for (size_t i = 0; i < n_packages && !seen; i++)
			seen = streq(packages[i], buf);
		if (!seen) {
			packages[n_packages] = strdup(buf);
			if (!packages[n_packages])
				return -ENOMEM;
			n_packages++;
		}
	}

	r = nfd_features_set_attribute(f, "cpu.topology", "hardware_multithreading",
				       ht ? "true" : "false");
	if (r < 0)
		return r;
	snprintf(buf, sizeof(buf), "%zu", n_packages);
	return nfd_features_set_attribute(f, "cpu.topology", "socket_count", buf);
}

/* ----------------------------------------------------------- coprocessor */

int nfd__cpu_coprocessor(struct nfd_ctx *ctx, struct nfd_features *f)
{
	int r = nfd_features_declare(f, NFD_FEATURE_ATTRIBUTE, "cpu.coprocessor");

	if (r < 0)
		return r;
#if defined(__powerpc64__)
	/* The NX GZIP accelerator of POWER9 and later. */
	_cleanup_free_ char *caps =
		nfd__path(ctx, NFD_PATH_SYS, "devices/vio/ibm,compression-v1/nx_gzip_caps");

	if (!caps)
		return -ENOMEM;
	if (nfd__path_exists(ctx, caps) > 0)
		return nfd_features_set_attribute(f, "cpu.coprocessor", "nx_gzip", "true");
#else
	(void)ctx;
#endif
	return 0;
}
