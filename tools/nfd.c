/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd: the command-line front end.  Shaped like NFD's client
 * (`nfd compat validate-node`, `nfd export features`) so scripts carry over;
 * every command is thin over the library.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "shared/macro.h"
#include "shared/root-open.h"
#include "shared/strbuf.h"
#include "shared/util.h"

#include "nfd-cli.h"

int cli_discover(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *const *sources,
		 struct nfd_features **ret)
{
	int prio = nfd_ctx_get_log_priority(ctx);
	const char *env = getenv("NFD_LOG");
	int r;

	if ((!env || !*env) && prio < LOG_WARNING && isatty(STDERR_FILENO))
		nfd_ctx_set_log_priority(ctx, LOG_WARNING);
	r = spec ? nfd_discover_for_spec(ctx, spec, ret) : nfd_discover(ctx, sources, ret);
	nfd_ctx_set_log_priority(ctx, prio);
	return r;
}

static int cmd_version(int argc, char *argv[]);

/* The command table.  Each area adds its line here. */
static const struct cli_command commands[] = {
	{"export", "features", cmd_export_features,
	 "print this host's (or a file's) features as NFD's export JSON"},
	{"export", "labels", cmd_export_labels,
	 "print the labels nfd-worker would publish for this host (or a file)"},
	{"compat", "attach", cmd_compat_attach,
	 "attach a compatibility spec to an image (registry or OCI layout)"},
	{"compat", "validate-node", cmd_compat_validate_node,
	 "check this host (or exported features) against a compatibility spec"},
	{"compat", "prefetch", cmd_compat_prefetch,
	 "fill nfd-oci-hook's cache for images this node will run"},
	{"compat", "validate-spec", cmd_compat_validate_spec,
	 "lint compatibility specs (errors and YAML 1.1 pitfalls)"},
	{"compat", "export-rule", cmd_compat_export_rule,
	 "a spec as a NodeFeatureRule labelling the compatible nodes"},
	{"compat", "publish", cmd_compat_publish,
	 "write per-image verdicts as an nfd-worker feature file (local source)"},
	{"rule", "dryrun", cmd_rule_dryrun,
	 "what NodeFeatureRules would give a node (labels, taints, ...)"},
	{"rule", "validate", cmd_rule_validate, "check NodeFeatureRule files as kubectl-nfd does"},
	{"compat", "list", cmd_compat_list,
	 "list the compatibility artifacts attached to an image"},
	{"compat", "show", cmd_compat_show, "print the compatibility spec attached to an image"},
	{"compat", "remove", cmd_compat_remove, "delete a compatibility artifact from a registry"},
	{NULL, "version", cmd_version, "print the version of nfd and libnfd"},
	{NULL, "completion", cmd_completion, "print a completion script: bash, zsh or fish"},
};

static const struct {
	const char *name;
	const char *summary;
} groups[] = {
	{"compat", "image compatibility: validate a node against a spec, attach specs"},
	{"export", "export node features"},
	{"rule", "NodeFeatureRules: dry-run them on a node, validate them"},
};

void cli_error(const char *what, const char *format, ...)
{
	va_list ap;

	fprintf(stderr, "nfd: %s: ", what);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* strerror, but never "Argument list too long" for a size limit */
static const char *cli_strerror(int r)
{
	r = r < 0 ? -r : r;
	return r == E2BIG ? "over a size limit (doc/limits.md)" : strerror(r);
}

int cli_lib_error(const struct nfd_ctx *ctx, int r, const char *what)
{
	const char *msg = nfd_ctx_last_error(ctx);
	size_t n = strlen(what);

	/* the library's message may already start with the file's name */
	if (msg[0] && strncmp(msg, what, n) == 0 && msg[n] == ':')
		fprintf(stderr, "nfd: %s\n", msg);
	else
		cli_error(what, "%s", msg[0] ? msg : cli_strerror(r));
	return NFD_EXIT_ERROR;
}

int cli_read_file(const char *path, size_t max, const char *kind, char **ret, size_t *ret_len)
{
	int r = read_file(path, max, ret, ret_len);
	char words[200];

	if (r == -E2BIG) {
		struct read_too_big big = read_last_too_big();

		cli_error(path, "%s", format_too_big(words, sizeof(words), big.size, max, kind));
	} else if (r < 0) {
		cli_error(path, "%s", cli_strerror(r));
	}
	return r < 0 ? NFD_EXIT_ERROR : 0;
}

int cli_usage_error(const char *cmd, const char *format, ...)
{
	va_list ap;

	fprintf(stderr, "nfd: %s: ", cmd);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'nfd %s --help'.\n", cmd);
	return NFD_EXIT_ERROR;
}

struct nfd_ctx *cli_ctx_new(void)
{
	struct nfd_ctx *ctx = nfd_ctx_new();

	if (!ctx)
		cli_error("init", "%s", strerror(errno));
	return ctx;
}

int cli_set_root(struct nfd_ctx *ctx, const char *root, const char *host_prefix)
{
	struct stat st;
	int r = 0;

	/* the library accepts a root that is not there yet; on the command line
	 * that is a typo, and discovering nothing would look like a bare host */
	if (root && stat(root, &st) < 0) {
		cli_error(root, "%s", strerror(errno));
		return NFD_EXIT_ERROR;
	}
	if (root && !S_ISDIR(st.st_mode)) {
		cli_error(root, "not a directory");
		return NFD_EXIT_ERROR;
	}
	/* NFD_HOST_PREFIX gives containers NFD's /host-* layout without a flag;
	 * either command-line option (--root, --host-prefix) wins over it */
	if (!root && !host_prefix) {
		const char *env = getenv("NFD_HOST_PREFIX");

		if (env && env[0]) {
			r = nfd_ctx_set_host_prefix(ctx, env);
			if (r < 0)
				return cli_lib_error(ctx, r, "NFD_HOST_PREFIX");
			return 0;
		}
	}
	if (root) {
		/* NFD's flags take relative paths (--root ./x); the library wants
		 * an absolute one */
		_cleanup_free_ char *abs = realpath(root, NULL);

		if (!abs) {
			cli_error(root, "%s", strerror(errno));
			return NFD_EXIT_ERROR;
		}
		r = nfd_ctx_set_root(ctx, abs);
	}
	if (r >= 0 && host_prefix)
		r = nfd_ctx_set_host_prefix(ctx, host_prefix);
	if (r < 0)
		return cli_lib_error(ctx, r, root ? root : host_prefix);
	return 0;
}

int cli_parse_work_budget(const char *cmd, const char *arg, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (streq(arg, "unlimited")) {
		*ret = NFD_WORK_BUDGET_UNLIMITED;
		return 0;
	}
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || errno) {
		cli_usage_error(
			cmd, "--work-budget wants a number of units or 'unlimited', not '%s'", arg);
		return -1;
	}
	*ret = v;
	return 0;
}

int cli_write_output(const char *path, const char *data, size_t len)
{
	FILE *out = stdout;

	if (path && strcmp(path, "-") != 0) {
		out = fopen(path, "we");
		if (!out) {
			cli_error(path, "%s", strerror(errno));
			return NFD_EXIT_ERROR;
		}
	}
	if (fwrite(data, 1, len, out) != len || fflush(out) != 0 ||
	    (out != stdout && fclose(out) != 0)) {
		cli_error(path ? path : "stdout", "write failed: %s", strerror(errno));
		return NFD_EXIT_ERROR;
	}
	return 0;
}

char **cli_split_list(const char *s)
{
	size_t n = 1, len = strlen(s);
	char **v, *copy;
	size_t k = 0;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	v = malloc((n + 1) * sizeof(char *) + len + 1);
	if (!v)
		return NULL;
	copy = (char *)(v + n + 1);
	memcpy(copy, s, len + 1);
	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
		v[k++] = tok;
	v[k] = NULL;
	return v;
}

/* [a-z0-9-] of s, runs of anything else as one '-', at most max bytes */
void cli_slug(struct strbuf *sb, const char *s, size_t max)
{
	size_t start = sb->len;

	for (; *s && sb->len - start < max; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			strbuf_putc(sb, c);
		else if (sb->len > start && sb->buf[sb->len - 1] != '-')
			strbuf_putc(sb, '-');
	}
	while (sb->len > start && sb->buf[sb->len - 1] == '-')
		strbuf_truncate(sb, sb->len - 1);
	if (sb->len == start)
		strbuf_puts(sb, "image");
}

int cli_label_name(struct strbuf *sb, const char *source, const char *hex)
{
	_cleanup_free_ char *base = strdup(source);
	char *p, *last;

	if (!base)
		return -ENOMEM;
	/* a reference's repository: drop "@digest" and ":tag" after the last '/' */
	p = strchr(base, '@');
	if (p)
		*p = '\0';
	last = strrchr(base, '/');
	last = last ? last + 1 : base;
	p = strchr(last, ':');
	if (p)
		*p = '\0';
	p = strrchr(last, '.');
	if (p && (streq(p, ".yaml") || streq(p, ".yml") || streq(p, ".json")))
		*p = '\0';
	cli_slug(sb, last, 63 - 13);
	strbuf_appendf(sb, "-%.12s", hex);
	return strbuf_str(sb) ? 0 : -ENOMEM;
}

static bool env_truthy(const char *v)
{
	return v && v[0] && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0;
}

bool cli_use_color(int fd)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (env_truthy(getenv("FORCE_COLOR")))
		return true;
	if ((nc && strcmp(nc, "0") != 0) || (term && strcmp(term, "dumb") == 0))
		return false;
	return isatty(fd);
}

unsigned int cli_terminal_width(int fd)
{
	struct winsize ws = {};
	const char *env;
	char *end;
	unsigned long v;

	if (!isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	/* a terminal that does not say (a serial console): the shell's idea */
	env = getenv("COLUMNS");
	if (!env || !*env)
		return 0;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (errno || *end || v == 0 || v > 10000)
		return 0;
	return (unsigned int)v;
}

static int cmd_version(int argc, char *argv[])
{
	printf("nfd %s (libnfd %s)\n", PACKAGE_VERSION, nfd_version());
	return 0;
}

static void usage(FILE *out, const char *group)
{
	fprintf(out, "Usage: nfd %s<command> [options]\n\n", group ? "" : "[--version] ");
	if (!group) {
		fprintf(out, "Node feature discovery and image compatibility checks.\n\n"
			     "Command groups:\n");
		for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			fprintf(out, "  %-10s %s\n", groups[i].name, groups[i].summary);
		fprintf(out, "\nCommands:\n");
	} else {
		fprintf(out, "Commands of 'nfd %s':\n", group);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct cli_command *c = &commands[i];
		char name[64];

		if (group && (!c->group || strcmp(c->group, group) != 0))
			continue;
		snprintf(name, sizeof(name), "%s%s%s", c->group ? c->group : "",
			 c->group ? " " : "", c->name);
		fprintf(out, "  %-22s %s\n", name, c->summary);
	}
	fprintf(out, "\nRun 'nfd <command> --help' for a command's options; see nfd(1).\n"
		     "Exit status: 0 success/compatible, 1 incompatible, 2 error,\n"
		     "3 fetch/registry error, 4 registry authentication error,\n"
		     "5 no compatibility artifact attached.\n");
}

static bool is_help(const char *s)
{
	return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0 || strcmp(s, "help") == 0;
}

int main(int argc, char *argv[])
{
	const char *group = NULL;
	size_t ngroups = sizeof(groups) / sizeof(groups[0]);

	if (argc < 2) {
		usage(stderr, NULL);
		return NFD_EXIT_ERROR;
	}
	/* nfd help [GROUP] [COMMAND]: the same as --help there */
	if (strcmp(argv[1], "help") == 0 && argc > 2) {
		char *help_argv[4];
		int n = 0;

		for (int i = 2; i < argc && n < 2; i++)
			help_argv[n++] = argv[i];
		help_argv[n++] = (char *)"--help";
		help_argv[n] = NULL;
		return main(n + 1,
			    (char *[]){argv[0], help_argv[0], help_argv[1], help_argv[2], NULL});
	}
	if (is_help(argv[1])) {
		usage(stdout, NULL);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < ngroups; i++)
		if (strcmp(argv[1], groups[i].name) == 0)
			group = groups[i].name;
	if (group) {
		if (argc < 3) {
			usage(stderr, group);
			return NFD_EXIT_ERROR;
		}
		if (is_help(argv[2])) {
			usage(stdout, group);
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct cli_command *c = &commands[i];

		if (group ? (c->group && strcmp(c->group, group) == 0 &&
			     strcmp(c->name, argv[2]) == 0)
			  : (!c->group && strcmp(c->name, argv[1]) == 0))
			return group ? c->run(argc - 2, argv + 2) : c->run(argc - 1, argv + 1);
	}
	if (group)
		cli_error(group, "unknown command '%s'; try 'nfd %s --help'", argv[2], group);
	else
		cli_error(argv[1], "unknown command; try 'nfd --help'");
	return NFD_EXIT_ERROR;
}
