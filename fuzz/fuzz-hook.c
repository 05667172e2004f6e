/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container-start check's untrusted input: the OCI state a runtime
 * passes on standard input and the bundle's config.json, whose annotations
 * users write (nfd_hook_check(), doc/oci-hook.md).  The input up to its
 * first NUL byte is the state, the rest the config ("{}" without a NUL).
 *
 * Everything the check reaches is private and cannot leave the machine: a
 * spec directory with one spec that parses and one that does not (for the
 * nfd.libnfd.io/spec annotation), an empty cache, a host root with only a
 * kernel release (for the evaluation's discovery), and every registry
 * reached through a proxy at 127.0.0.1 port 9, which refuses at once.  The
 * check must answer (allow or deny, with a message) or fail with an error
 * message, never crash, leak or hang.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "nfd/hook.h"

static struct nfd_ctx *ctx;
static struct nfd_hook_policy *policy;
static char top[4096];

static void put(const char *rel, const char *content)
{
	char path[4096 + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "w");
	if (!f || fputs(content, f) < 0 || fclose(f) != 0)
		abort();
}

static void make_dir(const char *rel)
{
	char path[4096 + 64];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (mkdir(path, 0755) < 0)
		abort();
}

static void cleanup(void)
{
	char cmd[4096 + 16];

	nfd_hook_policy_unref(policy);
	nfd_ctx_unref(ctx);
	/* the cache may have gained entries: remove the whole tree */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-hook: cannot remove %s\n", top);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096 + 64];

	snprintf(top, sizeof(top), "%s/nfd-fuzz-hook.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top))
		abort();
	make_dir("specs");
	make_dir("cache");
	make_dir("root");
	make_dir("root/proc");
	make_dir("root/proc/sys");
	make_dir("root/proc/sys/kernel");
	put("root/proc/sys/kernel/osrelease", "6.1.0-fuzz\n");
	put("specs/ok.yaml", "version: v1alpha1\n"
			     "compatibilities:\n"
			     "- description: kernel\n"
			     "  rules:\n"
			     "  - name: six\n"
			     "    matchFeatures:\n"
			     "    - feature: kernel.version\n"
			     "      matchExpressions:\n"
			     "        major: {op: Gt, value: [\"5\"]}\n");
	put("specs/bad.yaml", "version: v1alpha1\ncompatibilities: [{rules: 7}]\n");
	/* registries: only through a proxy that refuses the connection */
	setenv("HTTPS_PROXY", "http://127.0.0.1:9", 1);
	setenv("HTTP_PROXY", "http://127.0.0.1:9", 1);
	unsetenv("NO_PROXY");
	unsetenv("no_proxy");
	ctx = fuzz_ctx_new();
	snprintf(path, sizeof(path), "%s/root", top);
	if (nfd_ctx_set_root(ctx, path) < 0 || nfd_hook_policy_new(ctx, &policy) < 0)
		abort();
	snprintf(path, sizeof(path), "%s/specs", top);
	if (nfd_hook_policy_set(policy, "spec-dir", path) < 0)
		abort();
	snprintf(path, sizeof(path), "%s/cache", top);
	if (nfd_hook_policy_set(policy, "cache-dir", path) < 0 ||
	    nfd_hook_policy_set(policy, "fetch-timeout", "200ms") < 0 ||
	    nfd_hook_policy_set(policy, "cache-max-size", "1M") < 0)
		abort();
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t state_len = nul ? (size_t)(nul - data) : size;
	const char *config = nul ? (const char *)nul + 1 : "{}";
	size_t config_len = nul ? size - state_len - 1 : 2;
	char *state, *msg = NULL;
	int outcome = -1, r;

	if (!ctx)
		setup();
	state = fuzz_strndup(data, state_len);
	r = nfd_hook_check(ctx, policy, state, state_len, config, config_len, &outcome, &msg);
	if (r >= 0) {
		/* an answer always comes with its outcome and a message */
		if (!msg || outcome < 0)
			abort();
	} else if (msg || !nfd_ctx_last_error(ctx)[0]) {
		abort(); /* an error leaves the outputs alone and says why */
	}
	free(msg);
	free(state);
	return 0;
}
