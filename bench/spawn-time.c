/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spawn-time [-n N] [-w W] -- [NAME=VALUE...] CMD [ARG...] [-- ...]...
 *
 * Wall time of whole commands as a program starts them: posix_spawn(3)
 * (vfork and exec, as Go's os/exec, Python's subprocess and the container
 * runtimes do), output to /dev/null, then waitpid(2).  A shell loop times
 * something else besides: bash's fork() copies its page tables and bash
 * then takes a copy-on-write fault on every page it writes again, which in
 * a virtual machine adds 1-2 ms to any command, /bin/true included.
 *
 * The commands run interleaved, W warm-up rounds then N timed rounds of
 * one run each, so that a machine slowing down or speeding up moves all of
 * them alike.  Prints one line per command: the median and the minimum in
 * milliseconds, and the exit status of its last run.  NAME=VALUE words
 * before a command are added to its environment, as env(1) would, without
 * the extra exec of env(1) being timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
	char **words; /* as given: NAME=VALUE words, then argv */
	char **argv;
	char **envp; /* the command's NAME=VALUE words, then environ */
	double *t;
	int status;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One run of c; the wall time from spawning to reaping, in ms. */
static double run(struct cmd *c, const posix_spawn_file_actions_t *fa)
{
	double t0 = now_ms();
	pid_t pid;
	int r, status;

	r = posix_spawnp(&pid, c->argv[0], fa, NULL, c->argv, c->envp);
	if (r != 0) {
		fprintf(stderr, "spawn-time: %s: %s\n", c->argv[0], strerror(r));
		exit(2);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("spawn-time: waitpid");
			exit(2);
		}
	c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return now_ms() - t0;
}

/* Moves c's leading NAME=VALUE words into c->envp, before environ: getenv()
 * returns the first match, so they override. */
static int command_env(struct cmd *c)
{
	size_t n_env = 0, k = 0;

	c->words = c->argv;
	while (environ[n_env])
		n_env++;
	while (c->argv[k] && strchr(c->argv[k], '=') && c->argv[k][0] != '=')
		k++;
	if (!c->argv[k]) {
		fprintf(stderr, "spawn-time: no command after %s\n", c->argv[0]);
		return -1;
	}
	c->envp = calloc(n_env + k + 1, sizeof(char *));
	if (!c->envp)
		return -1;
	memcpy(c->envp, c->argv, k * sizeof(char *));
	memcpy(c->envp + k, environ, n_env * sizeof(char *));
	c->argv += k;
	return 0;
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 1000000) {
		fprintf(stderr, "spawn-time: '%s' is not a count\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	struct cmd *cmds;
	long n = 50, warm = 3;
	int i = 1, n_cmds = 0;

	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = number(argv[++i]);
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
			warm = number(argv[++i]);
		else
			break;
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || n == 0) {
		fprintf(stderr, "usage: spawn-time [-n N] [-w W] -- [NAME=VALUE...] CMD [ARG...] "
				"[-- ...]...\n");
		return 2;
	}
	cmds = calloc((size_t)argc, sizeof(*cmds));
	if (!cmds)
		return 2;
	/* each "--" ends the command before it (argv is NULL-terminated) */
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		argv[i] = NULL;
		if (i + 1 < argc && strcmp(argv[i + 1], "--") != 0)
			cmds[n_cmds++].argv = &argv[i + 1];
	}
	if (n_cmds == 0) {
		fprintf(stderr, "spawn-time: no command\n");
		return 2;
	}
	for (int c = 0; c < n_cmds; c++)
		if (command_env(&cmds[c]) < 0)
			return 2;
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) != 0)
		return 2;
	for (int c = 0; c < n_cmds; c++)
		if (!(cmds[c].t = calloc((size_t)n, sizeof(double))))
			return 2;
	for (long r = 0; r < warm + n; r++)
		for (int c = 0; c < n_cmds; c++) {
			double t = run(&cmds[c], &fa);

			if (r >= warm)
				cmds[c].t[r - warm] = t;
		}
	for (int c = 0; c < n_cmds; c++) {
		qsort(cmds[c].t, (size_t)n, sizeof(double), cmp_double);
		printf("%.3f %.3f %d", cmds[c].t[(n - 1) / 2], cmds[c].t[0], cmds[c].status);
		for (char **a = cmds[c].words; *a; a++)
			printf(" %s", *a);
		putchar('\n');
		free(cmds[c].t);
		free(cmds[c].envp);
	}
	posix_spawn_file_actions_destroy(&fa);
	free(cmds);
	return 0;
}
