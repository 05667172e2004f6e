#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench-nodes.sh NFD_BIN BENCH_NODES [NODES]
#
# Many nodes (doc/many-nodes.md): generates a fleet of NODES (default 5000)
# NodeFeature objects from the fixture roots into $NFD_BENCH_DIR (default
# ./bench/fleet in the build tree; about 45 KB per node, kept between runs),
# then measures, each in a process of its own:
#   - parse + evaluate a 10-rule spec on 2 threads (wall, CPU, peak RSS);
#   - the same without the spec filter (every feature kept);
#   - 100 specs x NODES nodes;
#   - the naive way: one `nfd compat validate-node --features` process per
#     node (20 nodes timed, scaled to NODES), and the ratio;
#   - one node as a process: `nfd compat validate-node` with a 100-rule spec
#     and one node's features (the median and the best of 50 runs);
#   - the load limits: 1M feature names, and a 62 MiB features document.
# The machine's load average goes with every figure: on a shared machine
# wall times mean little without it (CPU times move less).
set -eu
nfd=${1:?NFD_BIN}
bench=${2:?bench-nodes}
n=${3:-5000}
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${NFD_BENCH_DIR:-$PWD/bench/fleet}
roots=${NFD_FIXTURE_ROOTS:-$src/tests/fixtures/roots}

load() { printf '(load average %s)' "$(cut -d' ' -f1-3 /proc/loadavg)"; }

mkdir -p "$dir"
if [[ ! -f $dir/fleet.json || $(cat "$dir/nodes" 2>/dev/null) != "$n" ]]; then
	echo "generating $n nodes into $dir ..."
	python3 "$src/bench/gen-fleet.py" "$roots" "$dir" "$n" 100
	echo "$n" >"$dir/nodes"
elif [[ ! -f $dir/spec-100.yaml ]]; then
	FLEET_SPECS_ONLY=1 python3 "$src/bench/gen-fleet.py" "$roots" "$dir" "$n" 100
fi
size=$(stat -c %s "$dir/fleet.json")
echo "fleet: $n nodes, $((size / 1000000)) MB ($((size / n)) bytes per node)"
# warm the page cache: the benchmark is about parsing, not the disk
cat "$dir/fleet.json" >/dev/null

echo "== one 10-rule spec against every node (2 threads) $(load)"
"$bench" one "$dir/fleet.json" "$dir/spec-10.yaml" -t 2
"$bench" one "$dir/fleet.json" "$dir/spec-10.yaml" -t 1 | sed 's/^/1 thread:  /'
t0=$EPOCHREALTIME
"$nfd" compat validate-node --spec "$dir/spec-10.yaml" --features "$dir/fleet.json" >"$dir/out.txt" || true
t1=$EPOCHREALTIME
one=$(echo "$t1 - $t0" | bc -l)
printf 'nfd compat validate-node --features fleet.json: %.3f s wall (%s) %s\n' "$one" \
	"$(tail -1 "$dir/out.txt")" "$(load)"

echo "== every feature kept (no spec filter) $(load)"
"$bench" full "$dir/fleet.json"

echo "== 100 specs x $n nodes (2 threads) $(load)"
"$bench" matrix "$dir/fleet.json" "$dir"/specs/spec-*.yaml -t 2

echo "== one node as a process: validate-node, 100-rule spec, 50 runs $(load)"
# CPU time of the children so far, in seconds, into REPLY (the second line
# of `times`, which must run in this shell, not in a $(...) subshell)
child_cpu() {
	times >"$dir/times.txt"
	REPLY=$(sed -n 2p "$dir/times.txt" | awk '{ split($1, u, /[ms]/);
		split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}
times=()
child_cpu
c0=$REPLY
for i in $(seq 0 49); do
	t0=$EPOCHREALTIME
	"$nfd" compat validate-node --spec "$dir/spec-100.yaml" --features "$dir/node-0.json" \
		>/dev/null || true
	t1=$EPOCHREALTIME
	times+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
done
child_cpu
c1=$REPLY
sorted=$(printf '%s\n' "${times[@]}" | sort -g)
printf 'per process: median %.2f ms, best %.2f ms wall; %.2f ms CPU (user + system) %s\n' \
	"$(sed -n 25p <<<"$sorted")" "$(head -1 <<<"$sorted")" \
	"$(echo "($c1 - $c0) * 1000 / 50" | bc -l)" "$(load)"

echo "== naive: one validate-node process per node $(load)"
t0=$EPOCHREALTIME
for i in $(seq 0 19); do
	"$nfd" compat validate-node --spec "$dir/spec-10.yaml" --features "$dir/node-$i.json" >/dev/null || true
done
t1=$EPOCHREALTIME
per=$(echo "($t1 - $t0) / 20" | bc -l)
naive=$(echo "$per * $n" | bc -l)
printf 'per node %.4f s; %d nodes: %.1f s; one process for the list is %.0fx faster\n' \
	"$per" "$n" "$naive" "$(echo "$naive / $one" | bc -l)"

echo "== loading limits: 1M feature names, a 62 MiB features document $(load)"
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
p = os.path.join(d, "names-1m.json")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write('{"attributes": {')
        f.write(",".join('"d%07d.f": {"elements": {"e": "v"}}' % i for i in range(1000000)))
        f.write("}}")
p = os.path.join(d, "features-62m.json")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write('{"attributes": {"kernel.config": {"elements": {')
        f.write(",".join('"OPTION_%08d": "value-%d"' % (i, i % 7) for i in range(2300000)))
        f.write("}}}}")
PY
for f in names-1m.json features-62m.json; do
	printf '%s (%d MB): ' "$f" $(($(stat -c %s "$dir/$f") / 1000000))
	"$bench" full "$dir/$f"
done
