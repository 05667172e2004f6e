#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nfd rule dryrun / validate and compat export-rule: nfd-master's order,
# rule.matched across NodeFeatureRules, NodeFeature labels overridden, and
# bad input (which rule is skipped, which output dropped, with what message).
# Then the export-rule proof (tests/rule-export-proof.py).
. "${NFD_TOP_SRCDIR:?}/tests/cli-lib.sh"
rules=$NFD_TOP_SRCDIR/tests/fixtures/rules
# has FILE TEXT: FILE contains the fixed string TEXT
has() {
	grep -qF -- "$2" "$1" || fail "$1 lacks: $2"
}
lacks() {
	! grep -qF -- "$2" "$1" || fail "$1 has: $2"
}

"$NFD_BIN" rule dryrun --rule "$rules/bad-input.yaml" --rule "$rules/group.yaml" \
	--features "$rules/node-labels.json" --enable-taints >"$tmp/out" 2>"$tmp/err" ||
	fail "dryrun exit $?"
# b-rules runs after a-rules and sees its var through rule.matched
has "$tmp/out" "feature.node.kubernetes.io/from-a=true"
# @kernel.version.major, and the rule label beats the NodeFeature's label
has "$tmp/out" "feature.node.kubernetes.io/kernel-major=6"
# a prefixed NodeFeature label beats its unprefixed twin
has "$tmp/out" "feature.node.kubernetes.io/only-worker=2"
has "$tmp/out" "feature.node.kubernetes.io/cpu-AVX2=yes"
has "$tmp/out" "feature.node.kubernetes.io/widgets=3"
has "$tmp/out" "feature.node.kubernetes.io/note=hello"
has "$tmp/out" "a-var=true"
has "$tmp/out" "avx2-nodes"
lacks "$tmp/out" "avx512-nodes"
# the erroring rules add nothing
lacks "$tmp/out" "never"
lacks "$tmp/out" "big="
has "$tmp/err" 'nfd: rule: failed to process rule "broken" of NodeFeatureRule "a-rules": '
has "$tmp/err" 'not a number "abc"'
has "$tmp/err" 'failed to process rule "big-template"'
# (the template engine's own wording of its 64 KiB cap is not checked here)
has "$tmp/err" 'ignoring label bad/key/x=1: invalid label key "bad/key/x": a qualified name'
has "$tmp/err" 'ignoring label example.kubernetes.io/foo=bar: namespace "example.kubernetes.io" is not allowed'
has "$tmp/err" 'ignoring label feature.node.kubernetes.io/bad-value=not ok!: invalid value "not ok!": a valid label must be an empty string'
has "$tmp/err" 'invalid value "aaaa'
has "$tmp/err" 'must be no more than 63 characters'
has "$tmp/err" 'dyn-missing=@kernel.nosuch.major: feature kernel.nosuch not found'
has "$tmp/err" 'dyn-element=@kernel.version.nosuch: element nosuch not found on feature kernel.version'
has "$tmp/err" "dyn-form=@kernel: value @kernel is not in the form of '@domain.feature.element'"
has "$tmp/err" 'ignoring extended resource feature.node.kubernetes.io/gadgets=lots: invalid value "lots": quantities must match'
has "$tmp/err" 'ignoring taint example.com/t=v:Sometimes: invalid taint effect'

# taints are off unless asked for, as in nfd-master
"$NFD_BIN" rule dryrun --rule "$rules/bad-input.yaml" --features "$rules/node-labels.json" \
	--output-json >"$tmp/json" 2>"$tmp/err" || fail "dryrun --output-json exit $?"
has "$tmp/err" "1 taint(s) not applied: taints are disabled"
"${PYTHON3:-python3}" - "$tmp/json" <<'PY' || fail "dryrun JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["labels"]["feature.node.kubernetes.io/kernel-major"] == "6", d
assert d["taints"] == [] and d["groups"] == [], d
assert any(m["kind"] == "rule" and "broken" in m["message"] for m in d["messages"]), d
PY

# --deny-label-ns / --extra-label-ns
printf '%s\n' 'apiVersion: nfd.k8s-sigs.io/v1alpha1' 'kind: NodeFeatureRule' \
	'metadata: {name: ns}' 'spec:' '  rules:' '  - name: ns' \
	'    labels: {"a.example.com/x": "1", "b.example.com/y": "2", "c.org/z": "3"}' >"$tmp/ns.yaml"
"$NFD_BIN" rule dryrun --rule "$tmp/ns.yaml" --features "$rules/node-labels.json" \
	--deny-label-ns '*.example.com,c.org' --extra-label-ns b.example.com >"$tmp/out" 2>"$tmp/err"
has "$tmp/out" "b.example.com/y=2"
lacks "$tmp/out" "a.example.com/x"
has "$tmp/err" 'ignoring label a.example.com/x=1: namespace "a.example.com" is not allowed'
has "$tmp/err" 'ignoring label c.org/z=3: namespace "c.org" is not allowed'

# --features LIST --node N: one node of a NodeFeature list, its objects (and
# their spec.labels) merged as nfd-master merges them
"${PYTHON3:-python3}" - "$tmp/list.json" <<'PY'
import json, sys
def obj(name, ns, node, major, labels):
    return {"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeature",
            "metadata": {"name": name, "namespace": ns,
                         "labels": {"nfd.node.kubernetes.io/node-name": node}},
            "spec": {"features": {"attributes": {"kernel.version": {"elements": {"major": major}}}},
                     "labels": labels}}
items = [obj("zzz-vendor", "third-party", "worker-1", "7", {"who": "vendor", "extra": "1"}),
         obj("worker-1", "node-feature-discovery", "worker-1", "6", {"who": "nfd", "own": "1"}),
         obj("worker-2", "node-feature-discovery", "worker-2", "5", {"who": "two"})]
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(sys.argv[1], "w"))
PY
printf '%s\n' 'apiVersion: nfd.k8s-sigs.io/v1alpha1' 'kind: NodeFeatureRule' \
	'metadata: {name: major}' 'spec:' '  rules:' '  - name: major' \
	'    labels: {"kmajor": "@kernel.version.major"}' \
	'    matchFeatures:' '    - feature: kernel.version' '      matchExpressions: {major: {op: Exists}}' \
	>"$tmp/major.yaml"
"$NFD_BIN" rule dryrun --rule "$tmp/major.yaml" --features "$tmp/list.json" --node worker-1 \
	>"$tmp/out" 2>"$tmp/err" || fail "dryrun --node worker-1 exit $?"
# the third-party object merges after NFD's own: its major and its labels win
has "$tmp/out" "feature.node.kubernetes.io/kmajor=7"
has "$tmp/out" "feature.node.kubernetes.io/who=vendor"
has "$tmp/out" "feature.node.kubernetes.io/own=1"
has "$tmp/out" "feature.node.kubernetes.io/extra=1"
"$NFD_BIN" rule dryrun --rule "$tmp/major.yaml" --features "$tmp/list.json" --node worker-2 \
	--output-json >"$tmp/json" 2>"$tmp/err" || fail "dryrun --node worker-2 exit $?"
has "$tmp/json" '"feature.node.kubernetes.io/kmajor": "5"'
has "$tmp/json" '"feature.node.kubernetes.io/who": "two"'
lacks "$tmp/json" 'vendor'
# a list of several nodes without --node: exit 2, naming them
"$NFD_BIN" rule dryrun --rule "$tmp/major.yaml" --features "$tmp/list.json" >"$tmp/out" 2>"$tmp/err"
[[ $? == 2 ]] || fail "dryrun list without --node: want exit 2"
has "$tmp/err" "is a list of 2 nodes; pick one with --node: worker-1, worker-2"
[[ -s $tmp/out ]] && fail "dryrun list without --node printed a result"
"$NFD_BIN" rule dryrun --rule "$tmp/major.yaml" --features "$tmp/list.json" --node nosuch \
	>/dev/null 2>"$tmp/err"
[[ $? == 2 ]] || fail "dryrun --node nosuch: want exit 2"
has "$tmp/err" "no node 'nosuch' (2 nodes in the list)"
"$NFD_BIN" rule dryrun --rule "$tmp/major.yaml" --node worker-1 >/dev/null 2>"$tmp/err"
[[ $? == 2 ]] || fail "dryrun --node without --features: want exit 2"
has "$tmp/err" "--node needs --features"
# a single NodeFeature object: --node must name it
"$NFD_BIN" rule dryrun --rule "$tmp/major.yaml" --features "$rules/node-labels.json" --node n1 \
	>"$tmp/out" 2>"$tmp/err" || fail "dryrun single object --node n1 exit $?"
has "$tmp/out" "feature.node.kubernetes.io/kmajor=6"
has "$tmp/out" "feature.node.kubernetes.io/only-worker=2"

# validate: every finding with file:line:column, exit 2
"$NFD_BIN" rule validate "$rules/bad-input.yaml" >"$tmp/out" 2>"$tmp/err"
[[ $? == 2 ]] || fail "validate bad-input: want exit 2"
for want in ':24:7: invalid label "bad/key/x"' ':25:7: invalid label "example.kubernetes.io/foo": namespace is not allowed' \
	':32:7: invalid extended resource' ':34:7: invalid taint example.com/t=v:Sometimes: invalid taint effect' \
	':56:21: labelsTemplate: invalid template: ' 'not a number "abc"'; do
	has "$tmp/err" "$want"
done
# a repeated key: a warning naming both places; valid (exit 0), as NFD keeps the last
printf 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n  name: d\nspec:\n  rules:\n  - name: r\n    labels:\n      a: "1"\n      a: "2"\n    matchFeatures:\n    - feature: kernel.version\n      matchExpressions: {major: {op: Exists}}\n' >"$tmp/dup.yaml"
"$NFD_BIN" rule validate "$tmp/dup.yaml" >"$tmp/out" 2>"$tmp/err" || fail "validate dup.yaml"
has "$tmp/err" "nfd: warning: $tmp/dup.yaml:10:7: duplicate key \"a\" (first at $tmp/dup.yaml:9:7); the last one is used, as NFD's decoder does"
echo '{"attributes":{"kernel.version":{"elements":{"major":"6"}}}}' >"$tmp/major6.json"
"$NFD_BIN" rule dryrun --rule "$tmp/dup.yaml" --features "$tmp/major6.json" >"$tmp/out" 2>"$tmp/err" ||
	fail "dryrun dup.yaml"
has "$tmp/out" "feature.node.kubernetes.io/a=2"
"$NFD_BIN" rule validate "$rules/group.yaml" >"$tmp/out" 2>"$tmp/err" || fail "validate group.yaml"
has "$tmp/out" "valid, 2 objects"
printf 'kind: Pod\n' >"$tmp/pod.yaml"
"$NFD_BIN" rule validate "$tmp/pod.yaml" >"$tmp/out" 2>"$tmp/err"
[[ $? == 2 ]] || fail "validate Pod: want exit 2"
has "$tmp/err" 'pod.yaml:1:1: kind "Pod": expected NodeFeatureRule or NodeFeatureGroup'

# export-rule: default label, valid NFR, a label that is not valid refused
spec=$NFD_TOP_SRCDIR/examples/nvidia-gpu.yaml
"$NFD_BIN" compat export-rule --spec "$spec" >"$tmp/nfr.yaml" || fail "export-rule exit $?"
label=$(sed -n 's/^#           - key: //p' "$tmp/nfr.yaml")
[[ $label =~ ^compat\.feature\.node\.kubernetes\.io/nvidia-gpu-[0-9a-f]{12}$ ]] || fail "default label '$label'"
"$NFD_BIN" compat export-rule --spec "$spec" | cmp -s - "$tmp/nfr.yaml" || fail "export-rule is not stable"
"$NFD_BIN" rule validate "$tmp/nfr.yaml" >/dev/null 2>"$tmp/err" || { fail "generated rule invalid"; cat "$tmp/err"; }
# --image: named after the repository (here an OCI layout directory)
"$NFD_BIN" compat export-rule --image "oci:$NFD_TOP_SRCDIR/examples/oci-layout:v1" >"$tmp/img.yaml" ||
	fail "export-rule --image exit $?"
grep -qE '^#           - key: compat\.feature\.node\.kubernetes\.io/oci-layout-[0-9a-f]{12}$' "$tmp/img.yaml" ||
	fail "export-rule --image label"
"$NFD_BIN" compat export-rule --spec "$spec" --label 'bad label' >/dev/null 2>"$tmp/err"
[[ $? == 2 ]] || fail "export-rule --label 'bad label': want exit 2"
"$NFD_BIN" compat export-rule --spec "$spec" --tags nosuch >/dev/null 2>"$tmp/err"
[[ $? == 2 ]] || fail "export-rule --tags nosuch: want exit 2"

# export labels: NFD's own pci test (testdata/source/pci/rootfs-1) expects exactly these
roots=${NFD_FIXTURE_ROOTS:-$NFD_TOP_SRCDIR/tests/fixtures/roots}
"$NFD_BIN" export labels --features "$roots/nfd-pci/expected.json" >"$tmp/labels" || fail "export labels exit $?"
printf '%s\n' '{' \
	'    "feature.node.kubernetes.io/pci-0300_1a03.present": "true",' \
	'    "feature.node.kubernetes.io/pci-0b40_8086.present": "true",' \
	'    "feature.node.kubernetes.io/pci-0b40_8086.sriov.capable": "true"' '}' | cmp -s - "$tmp/labels" ||
	{ fail "export labels of nfd-pci"; cat "$tmp/labels"; }
# --path: the same text without the newline
"$NFD_BIN" export labels --features "$roots/nfd-pci/expected.json" --path "$tmp/labels2" || fail "--path"
[[ "$(cat "$tmp/labels2")" == "$(cat "$tmp/labels")" && $(tail -c1 "$tmp/labels2" | od -An -c) != *'\n'* ]] ||
	fail "export labels --path"
# local labels as written, kernel/memory/network/storage per source
"$NFD_BIN" export labels --features "$roots/nfd-local/expected.json" >"$tmp/labels" || fail "export labels local"
has "$tmp/labels" '"label-only": "value"'
"$NFD_BIN" export labels --features "$roots/sriov-nic/expected.json" >"$tmp/labels" || fail "export labels sriov"
for want in kernel-version.major memory-swap network-sriov.capable network-sriov.configured \
	kernel-selinux.enabled storage-nonrotationaldisk; do
	has "$tmp/labels" "\"feature.node.kubernetes.io/$want\": "
done

"${PYTHON3:-python3}" "$NFD_TOP_SRCDIR/tests/rule-export-proof.py" || fail "export-rule proof"
[[ $failed == 0 ]] && echo "ok: cli-rule"
exit $failed
