#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Many nodes: validate-node and export features over NodeFeature lists
# (doc/many-nodes.md): one verdict per node, nfd-master's merge order,
# unlabelled items skipped, bad lists refused as a whole.
. "${NFD_TOP_SRCDIR:?}/tests/cli-lib.sh"
top=$NFD_TOP_SRCDIR
fx=$top/tests/fixtures
nodes=$fx/nodes
roots=${NFD_FIXTURE_ROOTS:-$fx/roots}
unset FORCE_COLOR NO_COLOR

# expect CODE DESCRIPTION -- COMMAND...: run, compare the exit code
expect() {
	local want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local rc=$?
	if [[ $rc != "$want" ]]; then
		fail "$what: exit $rc, want $want"
		sed 's/^/  stderr: /' "$tmp/err" | head -5
		return 1
	fi
	echo "ok: $what"
}

err_has() {
	grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1': $(head -3 "$tmp/err")"
}

out_is() {
	if [[ $(cat "$tmp/out") != "$1" ]]; then
		fail "stdout is not as expected:"
		diff <(echo "$1") "$tmp/out" | head -20
	fi
}

python3 "$nodes/make-list.py" "$roots" >"$tmp/list.json" || exit 99
mapfile -t names < <(python3 -c 'import json,sys; [print(i["metadata"]["name"]) for i in json.load(open(sys.argv[1]))["items"]]' "$tmp/list.json")
[[ ${#names[@]} -ge 5 ]] || { echo "FAIL: only ${#names[@]} fixture nodes"; exit 1; }

# --- per-node results equal single-node results, for every fixture node
for spec in "$top/examples/nvidia-gpu.yaml" "$top/examples/host-basic.yaml" "$nodes/chimera.yaml"; do
	s=$(basename "$spec" .yaml)
	"$NFD_BIN" compat validate-node --spec "$spec" --features "$tmp/list.json" --output-json \
		>"$tmp/all.json" 2>"$tmp/err"
	[[ $? -le 1 ]] || { fail "$s: list --output-json failed: $(cat "$tmp/err")"; continue; }
	python3 - "$tmp/all.json" "${names[@]}" <<'PY' || fail "$s: list JSON is not sorted by node or misses nodes"
import json, sys
doc = json.load(open(sys.argv[1]))
names = [d["node"] for d in doc]
assert names == sorted(sys.argv[2:]), names
PY
	for n in "${names[@]}"; do
		single=$roots/$n/expected.json
		"$NFD_BIN" compat validate-node --spec "$spec" --features "$single" --output-json \
			>"$tmp/single.json" 2>/dev/null
		rc_single=$?
		"$NFD_BIN" compat validate-node --spec "$spec" --features "$tmp/list.json" --node "$n" \
			--output-json >"$tmp/picked.json" 2>/dev/null
		rc_picked=$?
		cmp -s "$tmp/single.json" "$tmp/picked.json" && [[ $rc_single == "$rc_picked" ]] ||
			fail "$s/$n: --node output or exit differs from the node's own features"
		"$NFD_BIN" compat validate-node --spec "$spec" --features "$single" >"$tmp/single.txt" 2>/dev/null
		"$NFD_BIN" compat validate-node --spec "$spec" --features "$tmp/list.json" --node "$n" \
			>"$tmp/picked.txt" 2>/dev/null
		cmp -s "$tmp/single.txt" "$tmp/picked.txt" || fail "$s/$n: --node text output differs"
		python3 - "$tmp/all.json" "$n" "$tmp/single.json" "$rc_single" <<'PY' || fail "$s/$n: list entry differs from the single-node result"
import json, sys
doc = {d["node"]: d for d in json.load(open(sys.argv[1]))}
entry = doc[sys.argv[2]]
single = json.load(open(sys.argv[3]))
assert entry["result"] == single
assert entry["compatible"] == (sys.argv[4] == "0")
PY
	done
	echo "ok: $s: per-node results equal single-node results (${#names[@]} nodes)"
done

# --- the chimera: no node has a GPU and Debian; merged they would
expect 1 "chimera spec: no node compatible" -- \
	"$NFD_BIN" compat validate-node --spec "$nodes/chimera.yaml" --features "$tmp/list.json"
grep -qE '^gpu-server +incompatible +rule "debian": system.osrelease ID In \[debian\] \(node: ubuntu\)$' "$tmp/out" ||
	fail "gpu-server line: $(grep gpu-server "$tmp/out")"
grep -qE '^arm64-host +incompatible +rule "nvidia-gpu": pci.device vendor In \[10de\]' "$tmp/out" ||
	fail "arm64-host line: $(grep arm64-host "$tmp/out")"
grep -qx "0 of ${#names[@]} nodes compatible" "$tmp/out" || fail "count line: $(tail -1 "$tmp/out")"
python3 - "$roots" "$tmp/two.json" <<'PY' || exit 99
import json, sys
items = []
for n in ("gpu-server", "arm64-host"):
    items.append({"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeature",
                  "metadata": {"name": n, "namespace": "node-feature-discovery",
                               "labels": {"nfd.node.kubernetes.io/node-name": n}},
                  "spec": {"features": json.load(open(f"{sys.argv[1]}/{n}/expected.json"))}})
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(sys.argv[2], "w"))
PY
expect 1 "chimera: the two-node list is not compatible" -- \
	"$NFD_BIN" compat validate-node --spec "$nodes/chimera.yaml" --features "$tmp/two.json"
grep -qx "0 of 2 nodes compatible" "$tmp/out" || fail "two-node count: $(tail -1 "$tmp/out")"

# --- exit codes: one compatible node is enough, --all wants every node
expect 0 "nvidia-gpu: some nodes compatible" -- \
	"$NFD_BIN" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --features "$tmp/list.json"
grep -qE '^gpu-server +compatible +cuda$' "$tmp/out" || fail "gpu-server: $(grep gpu-server "$tmp/out")"
expect 1 "--all: not every node compatible" -- \
	"$NFD_BIN" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --features "$tmp/list.json" --all
expect 2 "--node NAME not in the list" -- \
	"$NFD_BIN" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --features "$tmp/list.json" --node nope
err_has "no node 'nope'"
expect 2 "--node without --features" -- \
	"$NFD_BIN" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --node x

# --- nfd-master's merge order: worker object, then the NFD namespace by
# name, then other namespaces (the third-party object wins); instances appended
expect 0 "merged worker-1" -- \
	"$NFD_BIN" export features --from "$nodes/merge.json" --node worker-1 --compact
out_is '{"flags":{"local.feature":{"elements":{"gpu-ready":{},"x":{}}}},"attributes":{"kernel.version":{"elements":{"full":"5.4.0","major":"6","minor":"9"}}},"instances":{"pci.device":{"elements":[{"attributes":{"vendor":"8086"}},{"attributes":{"vendor":"15b3"}},{"attributes":{"vendor":"10de"}}]}}}'
err_has "items[2] (NodeFeature node-feature-discovery/orphan): no nfd.node.kubernetes.io/node-name label, skipped"
expect 0 "merge: the third-party object's kernel 6 makes worker-1 compatible" -- \
	"$NFD_BIN" compat validate-node --spec "$nodes/kernel6.yaml" --features "$nodes/merge.json"
out_is 'worker-1  compatible    set #1
worker-2  incompatible  rule "kernel-6": kernel.version major In [6] (node: 5)
1 of 2 nodes compatible'
expect 2 "export --from a list of two nodes needs --node" -- \
	"$NFD_BIN" export features --from "$nodes/merge.json"
err_has "the list holds 2 nodes ('worker-1', 'worker-2')"

# --- bad lists: an error for the whole list, never a verdict
head -c $(($(wc -c <"$tmp/list.json") / 2)) "$tmp/list.json" >"$tmp/cut.json"
expect 2 "truncated list" -- \
	"$NFD_BIN" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --features "$tmp/cut.json"
[[ ! -s "$tmp/out" ]] || fail "truncated list printed a verdict: $(head -2 "$tmp/out")"
err_has "end of the input"
truncate -s 1G "$tmp/huge.json"
expect 2 "1 GiB list" -- \
	"$NFD_BIN" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --features "$tmp/huge.json"
err_has "huge.json: 1 GiB is over the 768 MiB limit for features (a list of nodes) (doc/limits.md)"
rm -f "$tmp/huge.json"
for kind in Node Pod; do
	python3 - "$nodes/merge.json" "$tmp/kind.json" "$kind" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["items"].insert(1, {"apiVersion": "v1", "kind": sys.argv[3], "metadata": {"name": "n1"}})
json.dump(doc, open(sys.argv[2], "w"))
PY
	expect 2 "an item of kind $kind" -- \
		"$NFD_BIN" compat validate-node --spec "$nodes/kernel6.yaml" --features "$tmp/kind.json"
	err_has "items[1]: expected kind NodeFeature, got kind '$kind' (name 'n1')"
	[[ ! -s "$tmp/out" ]] || fail "kind $kind: a verdict was printed"
done
python3 - "$nodes/merge.json" "$tmp/empty.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["items"][4]["metadata"]["labels"]["nfd.node.kubernetes.io/node-name"] = ""
json.dump(doc, open(sys.argv[2], "w"))
PY
expect 0 "an empty node-name label: skipped with a warning" -- \
	"$NFD_BIN" compat validate-node --spec "$nodes/kernel6.yaml" --features "$tmp/empty.json"
err_has "items[4] (NodeFeature node-feature-discovery/worker-2): empty nfd.node.kubernetes.io/node-name label, skipped"
out_is 'worker-1  compatible    set #1
1 of 1 node compatible'
echo '{"apiVersion":"v1","kind":"List","items":[]}' >"$tmp/none.json"
expect 1 "an empty list: no node, no compatible node" -- \
	"$NFD_BIN" compat validate-node --spec "$nodes/kernel6.yaml" --features "$tmp/none.json"
out_is '0 of 0 nodes compatible'

exit $failed
