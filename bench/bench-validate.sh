#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench-validate.sh NFD_BIN BENCH_EVAL FEATURES [ITERATIONS]
#
# One `nfd compat validate-node` process with the 100-rule spec of
# bench-eval (written by `bench-eval --write-spec`) and a features file, as
# a scheduler hook or a CI step runs it: the median and the minimum wall
# time of ITERATIONS runs (after three warm-up runs), next to `nfd
# --version` (what starting the binary costs), and the instructions of one
# run when `perf stat -e instructions` works here.  NFD_BIN may be the
# libtool wrapper of a build tree: the real binary in .libs/ is run instead,
# with the build's libnfd, so that the wrapper's own start-up is not counted.
# When bench/spawn-time is built (or SPAWN_TIME names it), the same runs are
# also timed as a program starts them, with posix_spawn.
set -u

nfd=$1 bench_eval=$2 features=$3 n=${4:-50}

. "$(dirname "$0")/build-binary.sh"
build_binary "$nfd"
nfd=$REPLY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec=$tmp/spec-100.yaml
"$bench_eval" --write-spec "$spec" || exit 1

if [[ -n ${EPOCHREALTIME:-} ]]; then
	now_us() { local t=${EPOCHREALTIME/[.,]/}; REPLY=$((10#$t)); }
else
	now_us() { REPLY=$(($(date +%s%N) / 1000)); }
fi

run_validate() { "$nfd" compat validate-node --spec "$spec" --features "$features"; }
run_start() { "$nfd" --version; }

rc=0
run_validate >"$tmp/out" 2>&1 || rc=$?
if ((rc > 1)); then
	echo "bench-validate: nfd exited $rc:" >&2
	cat "$tmp/out" >&2
	exit 1
fi
for ((i = 0; i < 3; i++)); do
	run_validate >/dev/null 2>&1
	run_start >/dev/null 2>&1
done
v=() s=()
for ((i = 0; i < n; i++)); do
	now_us; t0=$REPLY
	run_validate >/dev/null 2>&1
	now_us; t1=$REPLY
	run_start >/dev/null 2>&1
	now_us; t2=$REPLY
	v+=($((t1 - t0))) s+=($((t2 - t1)))
done
stats() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END {
	printf "median %.2f ms, min %.2f ms", a[int((NR + 1) / 2)] / 1000, a[1] / 1000 }'; }
echo "validate-node, 100-rule spec, $features: $(stats "${v[@]}") per process" \
	"($n runs; nfd --version: $(stats "${s[@]}"); load: $(cut -d' ' -f1-3 /proc/loadavg))"
# The same commands as a program starts them (bench/spawn-time.c): without
# the cost of bash's fork, which any command timed from a shell loop pays.
spawn=${SPAWN_TIME:-$(dirname "$bench_eval")/spawn-time}
if [[ -x $spawn ]]; then
	"$spawn" -n "$n" -- "$nfd" compat validate-node --spec "$spec" --features "$features" \
		-- "$nfd" --version -- /bin/true >"$tmp/spawn" || exit 1
	awk 'NR == 1 { v = sprintf("median %.2f ms, min %.2f ms", $1, $2) }
	     NR == 2 { s = sprintf("median %.2f ms, min %.2f ms", $1, $2) }
	     NR == 3 { t = sprintf("median %.2f ms, min %.2f ms", $1, $2) }
	     END { printf "validate-node, as a program starts it (posix_spawn): %s per process " \
		   "(nfd --version: %s; /bin/true: %s)\n", v, s, t }' "$tmp/spawn"
fi
if perf stat -x, -e instructions true 2>"$tmp/perf" && ! grep -q "not supported" "$tmp/perf"; then
	perf stat -x, -e instructions -o "$tmp/perf" "$nfd" compat validate-node --spec "$spec" \
		--features "$features" >/dev/null 2>&1
	awk -F, '/instructions/ { printf "validate-node: %.1f million instructions\n", $1 / 1e6 }' \
		"$tmp/perf"
fi
