#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# compare-shell.sh [NFD_BIN] [ITERATIONS]
#
# Wall time of `nfd export features` as a whole process against the shell
# tools one would run to collect roughly the same facts:
#   lscpu -J; lspci -nnvmm; lsusb; lsblk -J; lsmod; uname -a; cat /etc/os-release
# (which together still see less: no kconfig, hugepages, NUMA, network, DMI
# or feature files).  After three warm-up rounds, each of ITERATIONS rounds
# runs nfd, `nfd --version` and the shell tools once, interleaved, so that
# other work on a shared machine slows all three alike.  Prints the median
# and the minimum per run, and the speed-up of nfd from each.  With
# SPAWN_TIME (bench/spawn-time), the same again as a program starts them.
set -u

nfd=${1:-${NFD_BIN:-nfd}}
n=${2:-100}

. "$(dirname "$0")/build-binary.sh"
build_binary "$nfd"
nfd=$REPLY

# $EPOCHREALTIME (bash 5) costs no process; `date` would add its own start-up
# (about a millisecond) to every measurement and shrink the ratio.
if [[ -n ${EPOCHREALTIME:-} ]]; then
	now_us() { local t=${EPOCHREALTIME/[.,]/}; REPLY=$((10#$t)); }
else
	now_us() { REPLY=$(($(date +%s%N) / 1000)); }
fi

# one list for both measurements below
tools='lscpu -J; lspci -nnvmm; lsusb; lsblk -J; lsmod; uname -a; cat /etc/os-release'
shell_alternative() { eval "$tools"; }

run_nfd() { NFD_LOG=err "$nfd" export features; }
# what merely starting the binary costs (dynamic linking of its libraries)
run_nfd_start() { "$nfd" --version; }

fns=(run_nfd run_nfd_start shell_alternative)
declare -A times=()

# one timed run of FN, appended to times[FN] in microseconds
timed() {
	local fn=$1 start
	now_us
	start=$REPLY
	"$fn" >/dev/null 2>&1
	now_us
	times[$fn]+="$((REPLY - start)) "
}

for tool in lscpu lspci lsusb lsblk lsmod; do
	command -v "$tool" >/dev/null || echo "note: $tool is not installed; its time is missing" >&2
done
if ! "$nfd" --version >/dev/null 2>&1; then
	echo "compare-shell.sh: cannot run '$nfd'" >&2
	exit 2
fi

for ((i = 0; i < 3; i++)); do
	for fn in "${fns[@]}"; do "$fn" >/dev/null 2>&1; done
done
for ((i = 0; i < n; i++)); do
	for fn in "${fns[@]}"; do timed "$fn"; done
done

# stat FN: "median min" in microseconds
stat() {
	local -a s
	mapfile -t s < <(printf '%s\n' ${times[$1]} | sort -n)
	echo "${s[$((n / 2))]} ${s[0]}"
}
read -r nfd_med nfd_min < <(stat run_nfd)
read -r start_med start_min < <(stat run_nfd_start)
read -r sh_med sh_min < <(stat shell_alternative)

ms() { echo "scale=2; $1 / 1000" | bc -l; }
ratio() { echo "scale=1; $1 / $2" | bc -l; }
# report TITLE SHELL-LABEL NFD-MED NFD-MIN START-MED START-MIN SH-MED SH-MIN (ms)
report() {
	printf '%-41smedian       min\n' "$1"
	printf 'nfd export features:                   %8.2f  %8.2f ms\n' "$3" "$4"
	printf '  of which process start (--version):  %8.2f  %8.2f ms\n' "$5" "$6"
	printf '%-38s %8.2f  %8.2f ms\n' "$2:" "$7" "$8"
	printf 'speed-up:                              %7.1fx  %7.1fx\n' "$(ratio "$7" "$3")" \
		"$(ratio "$8" "$4")"
}
report "$n runs each, interleaved" "shell tools (7 commands)" \
	"$(ms "$nfd_med")" "$(ms "$nfd_min")" "$(ms "$start_med")" "$(ms "$start_min")" \
	"$(ms "$sh_med")" "$(ms "$sh_min")"

# The same as a program starts them (bench/spawn-time.c, posix_spawn): no
# bash fork in the figures.  The shell tools run from one `sh -c`, as a
# script would run them; nfd and the shell alternative alternate as above.
spawn=${SPAWN_TIME:-}
if [[ -n $spawn && -x $spawn ]]; then
	out=$(NFD_LOG=err "$spawn" -n "$n" -- "$nfd" export features -- "$nfd" --version \
		-- /bin/sh -c "$tools") || exit 1
	{
		read -r nfd_med nfd_min _
		read -r start_med start_min _
		read -r sh_med sh_min _
	} <<<"$out"
	echo
	report "as a program starts them (posix_spawn)" "shell tools (sh -c, 7 commands)" \
		"$nfd_med" "$nfd_min" "$start_med" "$start_min" "$sh_med" "$sh_min"
fi
