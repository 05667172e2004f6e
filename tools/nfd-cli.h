/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the nfd command's files: exit codes, messages, small helpers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <nfd/nfd.h>

/* Exit codes (documented in nfd(1)). */
enum {
	NFD_EXIT_OK = 0,
	NFD_EXIT_INCOMPATIBLE = 1,
	NFD_EXIT_ERROR = 2,
	NFD_EXIT_FETCH = 3,
	NFD_EXIT_AUTH = 4,
	/* the image exists and has no compatibility artifact attached */
	NFD_EXIT_NO_ARTIFACT = 5,
};

struct cli_command {
	const char *group; /* "compat", "export", or NULL for top level */
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *summary;
};

/* Print "nfd: <what>: <message>" to stderr. */
void cli_error(const char *what, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Report a failed library call r: the ctx's message, else strerror.  Returns
 * NFD_EXIT_ERROR. */
int cli_lib_error(const struct nfd_ctx *ctx, int r, const char *what);
/* Read path ("-": stdin), at most max bytes (read_file()); on failure print
 * why, an oversized file as "PATH: 5.2 MiB is over the 4 MiB limit for KIND
 * (doc/limits.md)", and return NFD_EXIT_ERROR.  *ret is malloc'ed. */
int cli_read_file(const char *path, size_t max, const char *kind, char **ret, size_t *ret_len);
/* A usage error: message plus a hint at --help.  Returns NFD_EXIT_ERROR. */
int cli_usage_error(const char *cmd, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* A new context, or NULL after printing why. */
struct nfd_ctx *cli_ctx_new(void);
/* Write data to path ("-" or NULL: stdout).  Returns 0 or an exit code. */
int cli_write_output(const char *path, const char *data, size_t len);
/* Split "a,b,,c" into a NULL-terminated vector {"a","b","c"} in one
 * allocation (free(3) it); empty items are dropped.  NULL on ENOMEM. */
char **cli_split_list(const char *s);
/* The most heap cli_prefault_heap() maps ahead. */
#define CLI_PREFAULT_MAX (2u << 20)
/* Grow the heap once to bytes and map it in one call (tools/cli-heap.c), for
 * a short-lived command that will use about that much; more than
 * CLI_PREFAULT_MAX is ignored. */
void cli_prefault_heap(size_t bytes);
/* Colour on fd: FORCE_COLOR (truthy) forces it, NO_COLOR (not "0") or
 * TERM=dumb disable it, otherwise only on a terminal. */
bool cli_use_color(int fd);
/* The width of the terminal on fd (TIOCGWINSZ, else $COLUMNS), or 0 when fd
 * is not a terminal (scripted output keeps NFD's layout byte for byte). */
unsigned int cli_terminal_width(int fd);
/* "nfd: error: <msg>" (error) or "nfd: warning: <msg>" on stderr: a
 * problem a spec or rule file has (cli-validate.c). */
void cli_print_problem(bool error, const char *msg);
/*
 * The command line of a "validate FILE..." command (cli-validate.c): --help
 * prints usage(stdout); no file is a usage error saying no_file; each file
 * is checked by check_one (which prints its result) with one context.
 * Returns NFD_EXIT_OK when every check_one did, else NFD_EXIT_ERROR.
 */
int cli_validate_files(int argc, char *argv[], const char *cmd, const char *no_file,
		       void (*usage)(FILE *out),
		       int (*check_one)(struct nfd_ctx *ctx, const char *path));
/*
 * nfd_discover_for_spec(spec) when spec is not NULL, else nfd_discover(sources),
 * showing discovery's warnings (a file it could not read, a source left out)
 * on standard error when that is a terminal and NFD_LOG does not set the
 * level.  Returns what the library call returned (ret set on success).
 */
int cli_discover(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *const *sources,
		 struct nfd_features **ret);
/*
 * A boolean flag's value as NFD's (Go) flags take it: "--flag" alone is
 * true, "--flag=VALUE" takes 1, t, T, TRUE, true, True, 0, f, F, FALSE,
 * false, False.  Declare such flags optional_argument.  0, or -1 after a
 * usage message naming cmd and flag.
 */
int cli_parse_bool(const char *cmd, const char *flag, const char *arg, bool *ret);
/*
 * --work-budget N: the work units one evaluation may spend (doc/limits.md):
 * a decimal number, 0 for the library's default, or "unlimited".  0, or -1
 * after a usage message naming cmd.
 */
int cli_parse_work_budget(const char *cmd, const char *arg, uint64_t *ret);
#define CLI_WORK_BUDGET_USAGE                                                                      \
	"      --work-budget N      work units one evaluation may spend (default\n"                \
	"                           40000000, about 1-2 s; 'unlimited': no bound)\n"
/* Apply --root / --host-prefix style options to ctx. */
int cli_set_root(struct nfd_ctx *ctx, const char *root, const char *host_prefix);

struct strbuf;
/* Append [a-z0-9-] of s to sb, runs of anything else as one '-', at most max
 * bytes, no '-' at either end; "image" if nothing is left. */
void cli_slug(struct strbuf *sb, const char *s, size_t max);
/* Append "<slug of source's repository (or file) name>-<first 12 of hex>" to
 * sb: a label name (<= 63 bytes of [a-z0-9-]), readable and stable for the
 * same source and hex.  0 or -ENOMEM. */
int cli_label_name(struct strbuf *sb, const char *source, const char *hex);

/* Subcommands, each in the file of its area. */
/* cmd-nodes.c: NodeFeature lists.  Each returns an NFD_EXIT_* code. */
int cli_load_nodes(struct nfd_ctx *ctx, const struct nfd_spec *spec, const char *path,
		   struct nfd_nodes **ret, bool *ret_is_list);
int cli_pick_node(struct nfd_ctx *ctx, const struct nfd_nodes *nodes, const char *path,
		  const char *node, struct nfd_features **ret);
int cli_validate_nodes(struct nfd_ctx *ctx, const struct nfd_spec *spec,
		       const struct nfd_nodes *nodes, const char *const *tags, bool json, bool all);

int cmd_export_features(int argc, char *argv[]);
int cmd_compat_validate_node(int argc, char *argv[]);
int cmd_compat_validate_spec(int argc, char *argv[]);
int cmd_compat_attach(int argc, char *argv[]);
int cmd_compat_export_rule(int argc, char *argv[]);
int cmd_rule_dryrun(int argc, char *argv[]);
int cmd_export_labels(int argc, char *argv[]);
int cmd_rule_validate(int argc, char *argv[]);
int cmd_compat_prefetch(int argc, char *argv[]);
/* cmd-completion.c */
int cmd_completion(int argc, char *argv[]);
/* cmd-artifacts.c */
int cmd_compat_list(int argc, char *argv[]);
int cmd_compat_show(int argc, char *argv[]);
int cmd_compat_remove(int argc, char *argv[]);
int cmd_compat_publish(int argc, char *argv[]);
