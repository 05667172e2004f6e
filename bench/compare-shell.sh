#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# compare-shell.sh [NFD_BIN] [ITERATIONS]
#
# Wall time of `nfd export features` as a whole process against the shell
# tools one would run to collect roughly the same facts:
#   lscpu -J; lspci -nnvmm; lsusb; lsblk -J; lsmod; uname -a; cat /etc/os-release
# (which together still see less: no kconfig, hugepages, NUMA, network, DMI
# or feature files).  Both are run ITERATIONS times after one warm-up run;
# the median per run and the ratio are printed.
set -u

nfd=${1:-${NFD_BIN:-nfd}}
n=${2:-50}

now_ns() { date +%s%N; }

shell_alternative() {
	lscpu -J
	lspci -nnvmm
	lsusb
	lsblk -J
	lsmod
	uname -a
	cat /etc/os-release
}

run_nfd() { NFD_LOG=err "$nfd" export features; }
# what merely starting the binary costs (dynamic linking of its libraries)
run_nfd_start() { "$nfd" --version; }

# measure FN: median wall time of one run, in ns, over $n runs after a warm-up
# (the median, as other work on a shared machine makes the mean jumpy)
measure() {
	local fn=$1 start end i
	local -a t=()
	"$fn" >/dev/null 2>&1 # warm-up
	for ((i = 0; i < n; i++)); do
		start=$(now_ns)
		"$fn" >/dev/null 2>&1
		end=$(now_ns)
		t+=($((end - start)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n "$((n / 2 + 1))p"
}

for tool in lscpu lspci lsusb lsblk lsmod; do
	command -v "$tool" >/dev/null || echo "note: $tool is not installed; its time is missing" >&2
done

nfd_ns=$(measure run_nfd)
start_ns=$(measure run_nfd_start)
sh_ns=$(measure shell_alternative)

printf 'nfd export features:        %8.2f ms per run\n' "$(echo "$nfd_ns / 1000000" | bc -l)"
printf '  of which process start:   %8.2f ms (nfd --version)\n' "$(echo "$start_ns / 1000000" | bc -l)"
printf 'shell tools (7 commands):   %8.2f ms per run\n' "$(echo "$sh_ns / 1000000" | bc -l)"
printf 'speed-up:                   %8.1fx\n' "$(echo "$sh_ns / $nfd_ns" | bc -l)"
