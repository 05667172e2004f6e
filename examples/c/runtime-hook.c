/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime-hook: the container-start check linked in-process, as a runtime
 * would call it right before it creates a container (no hook process):
 *
 *   cc -o runtime-hook runtime-hook.c $(pkg-config --cflags --libs libnfd)
 *   ./runtime-hook [--policy FILE] [--set KEY=VALUE]... STATE.json [CONFIG.json]
 *
 * STATE.json is the OCI state a runtime hands hooks ("-" reads standard
 * input); CONFIG.json the bundle's config.json (default: read from the
 * state's "bundle").  Prints the answer and the message.
 * Exit status: 0 allow, 1 deny, 2 error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nfd/nfd.h>

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t len = 0, cap = 0;
	char *buf = NULL;

	if (!f)
		return NULL;
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (f != stdin)
		fclose(f);
	*ret_len = len;
	return buf;
}

static const char *const outcomes[] = {"compatible", "incompatible", "no image", "no artifact",
				       "registry error"};

int main(int argc, char *argv[])
{
	struct nfd_ctx *ctx = nfd_ctx_new();
	struct nfd_hook_policy *policy = NULL;
	char *state = NULL, *config = NULL, *message = NULL;
	size_t state_len = 0, config_len = 0;
	int i = 1, r, outcome = 0, ret = 2;

	if (!ctx || nfd_hook_policy_new(ctx, &policy) < 0)
		goto out;
	for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
		if (strcmp(argv[i], "--policy") == 0)
			r = nfd_hook_policy_load(policy, argv[i + 1]);
		else if (strcmp(argv[i], "--set") == 0) {
			char *eq = strchr(argv[i + 1], '=');

			if (!eq)
				break;
			*eq = '\0';
			r = nfd_hook_policy_set(policy, argv[i + 1], eq + 1);
		} else
			break;
		if (r < 0) {
			fprintf(stderr, "policy: %s\n", nfd_ctx_last_error(ctx));
			goto out;
		}
	}
	if (i >= argc || argc - i > 2) {
		fprintf(stderr,
			"usage: %s [--policy FILE] [--set KEY=VALUE]... STATE.json [CONFIG.json]\n",
			argv[0]);
		goto out;
	}
	state = slurp(argv[i], &state_len);
	if (!state || (i + 1 < argc && !(config = slurp(argv[i + 1], &config_len)))) {
		perror(argv[i]);
		goto out;
	}
	/* the whole check: image from the annotations, spec through the
	 * cache, evaluation, the policy's answer */
	r = nfd_hook_check(ctx, policy, state, state_len, config, config_len, &outcome, &message);
	if (r < 0) {
		fprintf(stderr, "check failed: %s\n", nfd_ctx_last_error(ctx));
		goto out;
	}
	printf("%s (%s): %s\n", r == NFD_HOOK_ALLOW ? "allow" : "deny", outcomes[outcome], message);
	ret = r == NFD_HOOK_ALLOW ? 0 : 1;
out:
	free(message);
	free(state);
	free(config);
	nfd_hook_policy_unref(policy);
	nfd_ctx_unref(ctx);
	return ret;
}
