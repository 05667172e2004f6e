/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Docker credential helpers (credHelpers / credsStore in an auth file), run
 * as docker and podman run them: `docker-credential-<name> get` from $PATH,
 * the server address on standard input, {"Username": ..., "Secret": ...} on
 * standard output ("<token>" as the user name means Secret is an identity
 * token).  See docker-credential-helpers' client/client.go.
 *
 * Bounded: the helper's output is capped and it is killed after a timeout.
 * Not run in a setuid/setgid process (AT_SECURE), where $PATH is not ours
 * to trust.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libnfd/oci/oci-auth.h"

#define HELPER_OUT_MAX	  (64 * 1024)
#define HELPER_TIMEOUT_MS 30000

extern char **environ;

static bool helper_name_valid(const char *s)
{
	if (!s[0] || s[0] == '.' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Run the helper: stdin = server, stdout into *out (NUL-terminated). */
static int run_helper(struct nfd_ctx *ctx, const char *prog, const char *server, char *out,
		      size_t *ret_len, int *ret_status)
{
	int in[2] = {-1, -1}, o[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	char *argv[] = {(char *)prog, (char *)"get", NULL};
	long deadline = now_ms() + HELPER_TIMEOUT_MS;
	size_t len = 0;
	pid_t pid;
	int r, status = 0;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, o[1], STDOUT_FILENO);
	r = -posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(o[1]);
	in[0] = o[1] = -1;
	if (r < 0)
		goto out;
	/* the address is short: one write fits the pipe; the helper may
	 * exit without reading it */
	{
		struct sigaction ign = {.sa_handler = SIG_IGN}, old;

		sigaction(SIGPIPE, &ign, &old);
		if (write(in[1], server, strlen(server)) < 0)
			nfd_dbg(ctx, "%s: writing the server address: %s", prog, strerror(errno));
		sigaction(SIGPIPE, &old, NULL);
	}
	close(in[1]);
	in[1] = -1;
	for (;;) {
		struct pollfd p = {.fd = o[0], .events = POLLIN};
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			r = nfd__error(ctx, ETIMEDOUT,
				       "credential helper %s get: no answer in %d s", prog,
				       HELPER_TIMEOUT_MS / 1000);
			goto out;
		}
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(o[0], out + len, HELPER_OUT_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == HELPER_OUT_MAX) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			r = nfd__error(ctx, E2BIG, "credential helper %s: output over %d bytes",
				       prog, HELPER_OUT_MAX);
			goto out;
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	out[len] = '\0';
	*ret_len = len;
	*ret_status = status;
	r = r < 0 ? r : 0;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (o[i] >= 0)
			close(o[i]);
	}
	return r;
}

int nfd__oci_cred_helper_get(struct nfd_ctx *ctx, const char *helper, const char *registry,
			     struct oci_cred *ret)
{
	_cleanup_free_ char *out = NULL, *prog = NULL;
	const char *server = registry, *user, *secret;
	json_t *j = NULL;
	size_t len = 0;
	int r, status = 0;

	if (!helper_name_valid(helper))
		return nfd__error(ctx, EINVAL, "invalid credential helper name '%s'", helper);
	if (getauxval(AT_SECURE))
		return nfd__error(ctx, EPERM,
				  "not running credential helper docker-credential-%s in a "
				  "setuid or setgid process",
				  helper);
	/* docker stores Docker Hub under its v1 index address */
	if (streq(registry, "docker.io") || streq(registry, "index.docker.io") ||
	    streq(registry, "registry-1.docker.io"))
		server = "https://index.docker.io/v1/";
	if (asprintf(&prog, "docker-credential-%s", helper) < 0) {
		prog = NULL;
		return nfd__oom(ctx);
	}
	out = malloc(HELPER_OUT_MAX + 1);
	if (!out)
		return nfd__oom(ctx);
	r = run_helper(ctx, prog, server, out, &len, &status);
	if (r == -ENOENT)
		return nfd__error(
			ctx, ENOEXEC,
			"credential helper %s (named by the auth file) not found in $PATH", prog);
	if (r < 0) {
		explicit_bzero(out, HELPER_OUT_MAX);
		return r == -ENOMEM ? nfd__oom(ctx)
				    : nfd__error(ctx, -r, "%s get: %s", prog, strerror(-r));
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* "credentials not found in native keychain": not an error */
		bool not_found = strstr(out, "credentials not found") != NULL;

		explicit_bzero(out, len);
		if (not_found) {
			nfd_dbg(ctx, "%s has no credentials for %s", prog, server);
			return -ENOENT;
		}
		return nfd__error(ctx, EACCES, "credential helper %s get for %s failed (%s %d)",
				  prog, server, WIFEXITED(status) ? "exit" : "signal",
				  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	j = json_loadb(out, len, 0, NULL);
	explicit_bzero(out, len);
	user = json_string_value(json_object_get(j, "Username"));
	secret = json_string_value(json_object_get(j, "Secret"));
	if (!json_is_object(j) || !secret || !secret[0]) {
		json_decref(j);
		return nfd__error(ctx, EBADMSG, "credential helper %s: no Secret in its answer",
				  prog);
	}
	r = 0;
	if (user && streq(user, "<token>")) {
		ret->identity_token = strdup(secret);
		if (!ret->identity_token)
			r = nfd__oom(ctx);
	} else {
		ret->username = strdup(user ? user : "");
		ret->password = strdup(secret);
		if (!ret->username || !ret->password) {
			nfd__oci_cred_done(ret);
			r = nfd__oom(ctx);
		}
	}
	/* jansson keeps its own copy of the secret: wipe it before freeing */
	{
		json_t *s = json_object_get(j, "Secret");

		if (json_is_string(s))
			explicit_bzero((char *)json_string_value(s), json_string_length(s));
	}
	json_decref(j);
	if (r == 0)
		nfd_dbg(ctx, "using credentials for %s from %s", registry, prog);
	return r;
}
