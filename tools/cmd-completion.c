/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nfd completion bash|zsh|fish: a completion script.  The scripts ask the
 * installed nfd for its commands and options (its --help output), so they
 * stay right as commands are added.
 */
#include <stdio.h>
#include <string.h>

#include "nfd-cli.h"

static const char bash_script[] =
	"# bash completion for nfd; load with: source <(nfd completion bash)\n"
	"_nfd_toplevel() {\n"
	"\t\"$1\" --help 2>/dev/null | awk '\n"
	"\t\t/^Command groups:/ { g = 1; next }\n"
	"\t\t/^Commands:/ { g = 2; next }\n"
	"\t\t/^$/ { g = 0 }\n"
	"\t\tg == 1 { print $1 }\n"
	"\t\tg == 2 { n = substr($0, 3, 22); sub(/ +$/, \"\", n); if (n !~ / /) print n }'\n"
	"\tprintf '%s\\n' help\n"
	"}\n"
	"_nfd() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} nfd=${COMP_WORDS[0]} words i\n"
	"\tlocal -a args=()\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\t[[ ${COMP_WORDS[i]} == -* ]] && break\n"
	"\t\targs+=(\"${COMP_WORDS[i]}\")\n"
	"\tdone\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\twords=$(\"$nfd\" \"${args[@]}\" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | "
	"sort -u)\n"
	"\telif ((${#args[@]} == 0)) || [[ ${args[*]} == help ]]; then\n"
	"\t\twords=$(_nfd_toplevel \"$nfd\")\n"
	"\telif [[ ${args[*]} == completion ]]; then\n"
	"\t\twords=\"bash zsh fish\"\n"
	"\telif ((${#args[@]} == 1)) || [[ ${args[0]} == help && ${#args[@]} == 2 ]]; then\n"
	"\t\twords=$(\"$nfd\" \"${args[@]: -1}\" --help 2>/dev/null | awk '/^  [a-z]/ && NF > 1 { "
	"print $2 }')\n"
	"\tfi\n"
	"\tif [[ -n $words ]]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	"\telse\n"
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	"\tfi\n"
	"}\n"
	"complete -o default -F _nfd nfd\n";

/* zsh runs the bash function through bashcompinit */
static const char zsh_preamble[] =
	"# zsh completion for nfd; load with: source <(nfd completion zsh)\n"
	"autoload -U +X compinit && compinit\n"
	"autoload -U +X bashcompinit && bashcompinit\n";

static const char fish_script[] =
	"# fish completion for nfd; load with: nfd completion fish | source\n"
	"function __nfd_args\n"
	"\tset -l tokens (commandline -opc)\n"
	"\tset -e tokens[1]\n"
	"\tfor t in $tokens\n"
	"\t\tstring match -q -- '-*' $t; and break\n"
	"\t\techo $t\n"
	"\tend\n"
	"end\n"
	"function __nfd_complete\n"
	"\tset -l nfd (commandline -opc)[1]\n"
	"\tset -l args (__nfd_args)\n"
	"\tset -l cur (commandline -ct)\n"
	"\tif string match -q -- '-*' $cur\n"
	"\t\t$nfd $args --help 2>/dev/null | string match -ar -- '--[a-z][a-z-]*' | sort -u\n"
	"\telse if test (count $args) -eq 0; or test \"$args\" = help\n"
	"\t\t$nfd --help 2>/dev/null | awk '/^Command groups:/ { g = 1; next } /^Commands:/ { g = "
	"2; next } /^$/ { g = 0 } g == 1 { print $1 } g == 2 { n = substr($0, 3, 22); sub(/ +$/, "
	"\"\", n); if (n !~ / /) print n }'\n"
	"\t\tprintf '%s\\n' help\n"
	"\telse if test \"$args\" = completion\n"
	"\t\tprintf '%s\\n' bash zsh fish\n"
	"\telse if test (count $args) -eq 1; or begin; test (count $args) -eq 2; and test $args[1] "
	"= help; end\n"
	"\t\t$nfd $args[-1] --help 2>/dev/null | awk '/^  [a-z]/ && NF > 1 { print $2 }'\n"
	"\tend\n"
	"end\n"
	"complete -c nfd -a '(__nfd_complete)'\n";

int cmd_completion(int argc, char *argv[])
{
	const char *shell = argc == 2 ? argv[1] : NULL;

	if (shell && (strcmp(shell, "--help") == 0 || strcmp(shell, "-h") == 0)) {
		printf("Usage: nfd completion bash|zsh|fish\n\n"
		       "Print a completion script for the shell:\n"
		       "  bash: source <(nfd completion bash)   (or save it in\n"
		       "        /usr/share/bash-completion/completions/nfd)\n"
		       "  zsh:  source <(nfd completion zsh)\n"
		       "  fish: nfd completion fish | source\n");
		return NFD_EXIT_OK;
	}
	if (!shell)
		return cli_usage_error("completion", "which shell? bash, zsh or fish");
	if (strcmp(shell, "bash") == 0)
		fputs(bash_script, stdout);
	else if (strcmp(shell, "zsh") == 0)
		printf("%s%s", zsh_preamble, bash_script);
	else if (strcmp(shell, "fish") == 0)
		fputs(fish_script, stdout);
	else
		return cli_usage_error("completion", "unknown shell '%s' (bash, zsh or fish)",
				       shell);
	return fflush(stdout) == 0 ? NFD_EXIT_OK : NFD_EXIT_ERROR;
}
