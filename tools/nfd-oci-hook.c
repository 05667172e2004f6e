/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd-oci-hook: an OCI runtime hook (hooks.d, stage createRuntime or
 * prestart) that refuses to create a container whose image is not
 * compatible with this node.  Thin over nfd_hook_check(): the state comes
 * on stdin, config.json from the bundle; the answer is the exit status, the
 * reason goes to stderr (runc puts it into the error the user sees) and to
 * syslog (crun discards hook output).  See nfd-oci-hook(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <nfd/nfd.h>

#define NAME	       "nfd-oci-hook"
#define DEFAULT_CONFIG SYSCONFDIR "/nfd/oci-hook.conf"
#define STATE_MAX      (1024 * 1024)
/* Past the registry budget, this much more for everything else. */
#define DEADLINE_MARGIN_MS 1000

/* Exit statuses: 0 allowed; refusals by reason (documented in the man page). */
enum {
	EXIT_ALLOW = 0,
	EXIT_INCOMPATIBLE = 1,
	EXIT_ERROR = 2,
	EXIT_NO_ARTIFACT = 3,
	EXIT_REGISTRY = 4,
	EXIT_NO_IMAGE = 5,
};

/* What the deadline handler says and does, prepared beforehand: it may only
 * use async-signal-safe calls. */
static char deadline_stderr[512], deadline_syslog[600];
static int deadline_exit;

static void send_syslog_raw(const char *msg)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		(void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL);
	close(fd);
}

static void on_deadline(int sig)
{
	(void)sig;
	(void)!write(STDERR_FILENO, deadline_stderr, strlen(deadline_stderr));
	send_syslog_raw(deadline_syslog);
	_exit(deadline_exit);
}

static void arm_deadline(long ms, int deny)
{
	struct itimerval it = {.it_value = {ms / 1000, (ms % 1000) * 1000}};
	struct sigaction sa = {.sa_handler = on_deadline};
	const char *answer =
		deny ? "refused (on-registry-error = deny)" : "allowed (on-registry-error = allow)";

	snprintf(deadline_stderr, sizeof(deadline_stderr),
		 NAME ": no answer within %ld ms (registry too slow?); %s\n", ms, answer);
	snprintf(deadline_syslog, sizeof(deadline_syslog), "<%d>" NAME "[%d]: %s",
		 LOG_DAEMON | (deny ? LOG_ERR : LOG_WARNING), (int)getpid(),
		 deadline_stderr + strlen(NAME ": "));
	deadline_exit = deny ? EXIT_REGISTRY : EXIT_ALLOW;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Library messages go to syslog only (stderr is for the verdict). */
static __attribute__((format(printf, 6, 0))) void log_to_syslog(void *userdata, int priority,
								const char *file, int line,
								const char *fn, const char *format,
								va_list args)
{
	(void)userdata, (void)file, (void)line, (void)fn;
	vsyslog(priority, format, args);
}

static const char *log_file;

/* Append one line to --log-file (O_APPEND: whole lines from concurrent
 * hooks). */
static void append_log(const char *prefix, const char *msg)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;
	int fd;

	if (!log_file)
		return;
	fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		syslog(LOG_WARNING, "%s: %s", log_file, strerror(errno));
		return;
	}
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(f, "%s " NAME "[%d]: %s%s\n", stamp, (int)getpid(), prefix, msg);
	fclose(f);
}

/* To stderr as is (one or two lines); to syslog and the log file as one
 * line, newlines turned into ';'. */
static void report(int priority, bool to_stderr, const char *prefix, const char *msg)
{
	char *flat = strdup(msg);

	if (to_stderr)
		fprintf(stderr, NAME ": %s%s\n", prefix, msg);
	for (char *c = flat; c && *c; c++)
		if (*c == '\n')
			*c = ';';
	syslog(priority, "%s%s", prefix, flat ? flat : msg);
	append_log(prefix, flat ? flat : msg);
	free(flat);
}

static int read_stdin(char **ret, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t n;

		if (len == cap) {
			char *nb = cap >= STATE_MAX ? NULL : realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				return cap >= STATE_MAX ? -E2BIG : -ENOMEM;
			}
			buf = nb;
		}
		n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0) {
			*ret = buf;
			*ret_len = len;
			return 0;
		}
		len += (size_t)n;
	}
	return -ENOMEM;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " NAME " [--config FILE] [--log-file FILE] [STAGE] < state.json\n\n"
		"An OCI runtime hook (createRuntime or prestart) that refuses containers whose\n"
		"image is not compatible with this node.  See nfd-oci-hook(8).\n\n"
		"  -c, --config FILE   the policy (default " DEFAULT_CONFIG ", optional)\n"
		"  -h, --help          show this help\n\n"
		"Exit status: 0 allowed; refused: 1 incompatible, 2 hook error, 3 no\n"
		"artifact, 4 registry error, 5 no image named.\n");
}

static int refusal_exit(int outcome)
{
	switch (outcome) {
	case NFD_HOOK_INCOMPATIBLE:
		return EXIT_INCOMPATIBLE;
	case NFD_HOOK_NO_ARTIFACT:
		return EXIT_NO_ARTIFACT;
	case NFD_HOOK_FETCH_ERROR:
		return EXIT_REGISTRY;
	case NFD_HOOK_NO_IMAGE:
		return EXIT_NO_IMAGE;
	default:
		return EXIT_ERROR;
	}
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"log-file", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{},
	};
	const char *config = NULL, *stage = "createRuntime";
	struct nfd_ctx *ctx = NULL;
	struct nfd_hook_policy *p = NULL;
	char *state = NULL, *msg = NULL;
	size_t len = 0;
	int c, r, outcome = NFD_HOOK_COMPATIBLE, ret = EXIT_ERROR;

	openlog(NAME, LOG_PID, LOG_DAEMON);
	while ((c = getopt_long(argc, argv, "c:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_ALLOW;
		default:
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	if (optind < argc)
		stage = argv[optind++];
	if (optind < argc) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (strcmp(stage, "createRuntime") != 0 && strcmp(stage, "prestart") != 0 &&
	    strcmp(stage, "createContainer") != 0) {
		/* later stages: the container already exists or ran */
		report(LOG_WARNING, false, "",
		       "installed for a stage that cannot refuse a start; "
		       "use createRuntime or prestart");
		return EXIT_ALLOW;
	}

	ctx = nfd_ctx_new();
	if (!ctx) {
		report(LOG_ERR, true, "refused: ", strerror(errno));
		return EXIT_ERROR;
	}
	nfd_ctx_set_log_fn(ctx, log_to_syslog, NULL);
	if (!getenv("NFD_LOG"))
		nfd_ctx_set_log_priority(ctx, LOG_WARNING);
	r = nfd_hook_policy_new(ctx, &p);
	if (r == 0) {
		r = nfd_hook_policy_load(p, config ? config : DEFAULT_CONFIG);
		if (r == -ENOENT && !config)
			r = 0; /* no file: the defaults */
	}
	if (r < 0) {
		report(LOG_ERR, true, "refused: policy: ", nfd_ctx_last_error(ctx));
		goto out;
	}
	arm_deadline(nfd_hook_policy_get_fetch_timeout(p) + DEADLINE_MARGIN_MS,
		     nfd_hook_policy_get_answer(p, NFD_HOOK_FETCH_ERROR) == NFD_HOOK_DENY);
	r = read_stdin(&state, &len);
	_Static_assert(STATE_MAX == 1024 * 1024, "the message below says 1 MiB");
	if (r < 0) {
		report(LOG_ERR, true, "refused: reading the OCI state: ",
		       r == -E2BIG ? "more than 1 MiB, over the 1 MiB limit for OCI states "
				     "(doc/limits.md)"
				   : strerror(-r));
		goto out;
	}
	r = nfd_hook_check(ctx, p, state, len, NULL, 0, &outcome, &msg);
	if (r < 0) {
		report(LOG_ERR, true,
		       "refused: cannot check the container: ", nfd_ctx_last_error(ctx));
		goto out;
	}
	if (r == NFD_HOOK_DENY) {
		report(LOG_ERR, true, "refused: ", msg);
		ret = refusal_exit(outcome);
	} else {
		bool loud = outcome == NFD_HOOK_INCOMPATIBLE || outcome == NFD_HOOK_FETCH_ERROR;

		report(loud ? LOG_WARNING : LOG_INFO, loud, "", msg);
		ret = EXIT_ALLOW;
	}
out:
	free(msg);
	free(state);
	nfd_hook_policy_unref(p);
	nfd_ctx_unref(ctx);
	closelog();
	return ret;
}
