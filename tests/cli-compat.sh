#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nfd compat validate-node / validate-spec: outputs and exit codes
# (0 compatible, 1 incompatible, 2 error, 3 fetch error), one-line errors.
set -u
: "${NFD_BIN:?}" "${NFD_TOP_SRCDIR:?}"
top=$NFD_TOP_SRCDIR
fx=$top/tests/fixtures
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli-compat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset FORCE_COLOR NO_COLOR
failed=0

# expect CODE DESCRIPTION -- COMMAND...: run, compare the exit code
expect() {
	local want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local rc=$?
	if [[ $rc != "$want" ]]; then
		echo "FAIL: $what: exit $rc, want $want"
		sed 's/^/  stderr: /' "$tmp/err" | head -5
		failed=1
		return 1
	fi
	echo "ok: $what"
}

# the error line is exactly one "nfd: <what>: <why>" line
one_error_line() {
	if [[ $(wc -l <"$tmp/err") != 1 ]] || ! grep -q '^nfd: .*: ' "$tmp/err"; then
		echo "FAIL: $1: stderr is not one 'nfd: what: why' line:"
		cat "$tmp/err"
		failed=1
	fi
}

# set_matches FILE N: every rule of compatibility set N (from 1) in the
# --output-json document FILE matched
set_matches() {
	"${PYTHON3:-python3}" -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if all(r["isMatch"] for r in d[int(sys.argv[2]) - 1]["rules"]) else 1)' "$1" "$2"
}

same() {
	if ! cmp -s "$1" "$2"; then
		echo "FAIL: $3 differs from $2"
		diff "$1" "$2" | head -20
		failed=1
	fi
}

nfd=$NFD_BIN
spec7=$fx/specs/fake-7.yaml
fake=$fx/features/fake.json

expect 0 "fake-7 with NFD's tables" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" --nfd-output
same "$tmp/out" "$fx/reports/fake-7.nfd.txt" "text output"
# the first set's table is NFD's own rendering of this test case, and the
# JSON's match results agree with its OK/FAIL column (tests/fixtures/reports/README.md)
sed -n '3,15p' "$fx/reports/fake-7.nfd.txt" >"$tmp/table"
same "$tmp/table" "$fx/reports/fake-7.upstream-table.txt" "the first set's table"
"${PYTHON3:-python3}" - "$fx/reports/fake-7.json" "$fx/reports/fake-7.upstream-table.txt" <<'PY' ||
import json, sys
rule = json.load(open(sys.argv[1]))[0]["rules"][0]
rows = rule["matchedExpressions"] + [e for a in rule["matchedAny"] for e in a["matchedExpressions"]]
lines = [l for l in open(sys.argv[2]) if l.startswith("│ ") and l[2].isdigit()]
want = [l.rstrip().rstrip("│").split("│")[-1].strip() == "OK" for l in lines]
title_ok = " OK " in open(sys.argv[2]).read().splitlines()[1]
sys.exit(0 if [r["isMatch"] for r in rows] == want and rule["isMatch"] == title_ok else 1)
PY
	{ echo "FAIL: fake-7.json's isMatch values disagree with NFD's table"; failed=1; }
expect 0 "fake-7 with explanations" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake"
same "$tmp/out" "$fx/reports/fake-7.txt" "explained output"
expect 0 "fake-7 JSON" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" --output-json
same "$tmp/out" "$fx/reports/fake-7.json" "JSON output"
expect 0 "FORCE_COLOR colours a pipe" -- env FORCE_COLOR=1 "$nfd" compat validate-node --spec "$spec7" --features "$fake" --nfd-output
same "$tmp/out" "$fx/reports/fake-7.color.txt" "coloured output"
expect 0 "NO_COLOR" -- env NO_COLOR=1 "$nfd" compat validate-node --spec "$spec7" --features "$fake" --nfd-output
same "$tmp/out" "$fx/reports/fake-7.nfd.txt" "NO_COLOR output"

expect 1 "--tags selecting an incompatible set" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" --tags nope,other --output-json
[[ $(cat "$tmp/out") == "[]" ]] || { echo "FAIL: filtered JSON is not []"; failed=1; }
expect 0 "--tags fallback" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" -t fallback
grep -q "COMPATIBILITY SET #1 Weight: 10; Tag: fallback" "$tmp/out" || { echo "FAIL: tag filter"; failed=1; }

expect 0 "repeated --tags accumulate" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" --tags nope --tags fallback --output-json
grep -q '"tag":"fallback"' "$tmp/out" || { echo "FAIL: repeated tags"; failed=1; }
cat "$spec7" >"$tmp/stdin.yaml"
expect 0 "spec on stdin" -- sh -c "exec \"$nfd\" compat validate-node --spec - --features \"$fake\" --output-json <\"$tmp/stdin.yaml\""
same "$tmp/out" "$fx/reports/fake-7.json" "JSON output of a spec on stdin"

# examples against the synthetic host roots: a missing tree is a failure,
# never a quiet skip (make distcheck unpacks them under the build tree)
roots=${NFD_FIXTURE_ROOTS:?}
for r in gpu-server sriov-nic; do
	[[ -d $roots/$r ]] || { echo "FAIL: fixture root $roots/$r is missing"; failed=1; }
done
expect 0 "nvidia-gpu on gpu-server" -- "$nfd" compat validate-node --spec "$top/examples/nvidia-gpu.yaml" --root "$roots/gpu-server" --output-json
set_matches "$tmp/out" 1 && set_matches "$tmp/out" 2 ||
	{ echo "FAIL: gpu-server: a rule of nvidia-gpu.yaml failed"; failed=1; }
expect 1 "sriov-dpdk on gpu-server" -- "$nfd" compat validate-node --spec "$top/examples/sriov-dpdk.yaml" --root "$roots/gpu-server"
grep -q "not present\|node has" "$tmp/out" || { echo "FAIL: no explanation"; failed=1; }
grep -q "RULE: SRIOV-CAPABLE-NIC -  FAIL" "$tmp/out" && grep -q "RULE: VFIO-AND-IOMMU -  FAIL" "$tmp/out" ||
	{ echo "FAIL: gpu-server: the SR-IOV and VFIO rules are not shown failing"; failed=1; }
expect 0 "sriov-dpdk on sriov-nic" -- "$nfd" compat validate-node --spec "$top/examples/sriov-dpdk.yaml" --root "$roots/sriov-nic" --output-json
set_matches "$tmp/out" 1 || { echo "FAIL: sriov-nic: a rule of sriov-dpdk.yaml failed"; failed=1; }
# a RHEL kernel is not a semver: NFD fails the evaluation, so do we
expect 2 "type: version on a RHEL kernel" -- "$nfd" compat validate-node --spec "$top/examples/min-kernel.yaml" --root "$roots/sriov-nic"
one_error_line "RHEL kernel"
grep -q 'min-kernel.yaml:[0-9]*:[0-9]*: not a version' "$tmp/err" || { echo "FAIL: no position"; failed=1; }

# errors: exit 2, one line
expect 2 "missing spec file" -- "$nfd" compat validate-node --spec "$tmp/none.yaml" --features "$fake"
one_error_line "missing spec file"
printf 'compatibilities: [\n' >"$tmp/bad.yaml"
expect 2 "malformed YAML" -- "$nfd" compat validate-node --spec "$tmp/bad.yaml" --features "$fake"
one_error_line "malformed YAML"
grep -q "bad.yaml:2:1:" "$tmp/err" || { echo "FAIL: no line:column"; failed=1; }
printf 'compatibilities:\n- rules: x\n' >"$tmp/shape.yaml"
expect 2 "wrong shape" -- "$nfd" compat validate-node --spec "$tmp/shape.yaml" --features "$fake"
one_error_line "wrong shape"
printf '{"flags": [' >"$tmp/bad.json"
expect 2 "malformed features" -- "$nfd" compat validate-node --spec "$spec7" --features "$tmp/bad.json"
one_error_line "malformed features"
expect 2 "no spec" -- "$nfd" compat validate-node --features "$fake"
expect 2 "--spec and --image" -- "$nfd" compat validate-node --spec "$spec7" --image x/y:z
expect 2 "unknown option" -- "$nfd" compat validate-node --bogus
grep -q "^nfd: compat validate-node: unknown option '--bogus'" "$tmp/err" || { echo "FAIL: option message"; cat "$tmp/err"; failed=1; }
expect 2 "stray argument" -- "$nfd" compat validate-node --spec "$spec7" extra
expect 0 "help" -- "$nfd" compat validate-node --help
grep -q -- "--features" "$tmp/out" || { echo "FAIL: help"; failed=1; }

# --image with an OCI layout: the committed example's spec needs features
# fake.json lacks, so its one set fails
[[ -f $top/examples/oci-layout/index.json ]] || { echo "FAIL: examples/oci-layout is missing"; failed=1; }
expect 1 "--image oci layout" -- "$nfd" compat validate-node --image "oci:$top/examples/oci-layout:v1" --features "$fake" --output-json
set_matches "$tmp/out" 1 && { echo "FAIL: layout spec: every rule matched fake.json"; failed=1; }
expect 3 "--image missing layout" -- "$nfd" compat validate-node --image "oci:$tmp/nolayout:v1" --features "$fake"
one_error_line "missing layout"

# validate-spec
expect 0 "validate-spec examples" -- "$nfd" compat validate-spec "$top"/examples/*.yaml "$spec7"
printf 'version: v1alpha1\ncompatibilities:\n- rules:\n  - name: r\n    matchFeatures:\n    - feature: pci.device\n      matchExpressions:\n        class: {op: In, value: [0300]}\n' >"$tmp/octal.yaml"
expect 0 "validate-spec warns about 0300" -- "$nfd" compat validate-spec "$tmp/octal.yaml"
grep -q "octal.yaml:8:33: unquoted 0300 is read as 192; quote it" "$tmp/err" || { echo "FAIL: warning"; cat "$tmp/err"; failed=1; }
printf 'compatibilities:\n- rules:\n  - name: r\n    matchFeatures:\n    - feature: a.b\n      matchExpressions:\n        x: {op: Within, value: ["1"]}\n' >"$tmp/problem.yaml"
expect 2 "validate-spec problems" -- "$nfd" compat validate-spec "$tmp/problem.yaml"
grep -q 'problem.yaml:7:12: invalid Op "Within"' "$tmp/err" || { echo "FAIL: problem"; cat "$tmp/err"; failed=1; }
# a repeated key: NFD keeps the last value; a warning names both places
printf 'version: v1alpha1\ncompatibilities:\n- rules:\n  - name: r\n    matchFeatures:\n    - feature: kernel.version\n      matchExpressions:\n        major: {op: In, value: ["1"]}\n        major: {op: Exists}\n' >"$tmp/dup.yaml"
expect 0 "validate-spec warns about a duplicate key" -- "$nfd" compat validate-spec "$tmp/dup.yaml"
grep -qF 'nfd: warning: '"$tmp"'/dup.yaml:9:9: duplicate key "major" (first at '"$tmp"'/dup.yaml:8:9); the last one is used' "$tmp/err" ||
	{ echo "FAIL: duplicate key warning"; cat "$tmp/err"; failed=1; }
echo '{"attributes":{"kernel.version":{"elements":{"major":"6"}}}}' >"$tmp/major6.json"
expect 0 "validate-node: the last of a duplicate key is evaluated" -- "$nfd" compat validate-node \
	--spec "$tmp/dup.yaml" --features "$tmp/major6.json"
expect 2 "validate-spec syntax error" -- "$nfd" compat validate-spec "$tmp/bad.yaml"
one_error_line "validate-spec syntax error"
expect 2 "validate-spec no file" -- "$nfd" compat validate-spec

# typos must not pass: unknown keys are errors for the lint, warnings for
# validate-node (which evaluates as NFD does: the term matches on existence)
has_err() { grep -qF -- "$1" "$tmp/err" || { echo "FAIL: stderr lacks: $1"; sed 's/^/  /' "$tmp/err"; failed=1; }; }
printf 'version: v1alpha1\ncompatibilities:\n- rules:\n  - name: r\n    matchFeatures:\n    - feature: fake.attribute\n      matchExpression:\n        attr_1: {op: In, value: ["nope"]}\n' >"$tmp/typo.yaml"
expect 2 "validate-spec: unknown key" -- "$nfd" compat validate-spec "$tmp/typo.yaml"
has_err 'typo.yaml:7:7: unknown key "matchExpression" in matchFeatures term (NFD ignores it); did you mean "matchExpressions"?'
expect 0 "validate-node: a typo'd term matches as NFD's does" -- "$nfd" compat validate-node --spec "$tmp/typo.yaml" --features "$fake"
has_err 'nfd: warning: '"$tmp"'/typo.yaml:7:7: unknown key "matchExpression"'
printf 'version: v1alpha1\ncompatibilities:\n- rules:\n  - labels: {x: y}\n    matchFeatures:\n    - feature: cpu.cpuids\n    - feature: kernel.version\n      matchExpressions:\n        majr: {op: Exists}\n' >"$tmp/warn.yaml"
expect 0 "validate-spec: warnings only" -- "$nfd" compat validate-spec "$tmp/warn.yaml"
has_err 'warn.yaml:4:5: "labels" is ignored in a compatibility spec'
has_err 'warn.yaml:4:5: rule has no name'
has_err 'feature "cpu.cpuids" is not one the built-in sources discover; did you mean "cpu.cpuid"?'
has_err 'warn.yaml:9:9: kernel.version has no element "majr"; did you mean "major"?'
# documents that are not compatibility specs: exit 2 saying what they are
printf 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata: {name: x}\nspec:\n  rules:\n  - name: r\n    labels: {a: b}\n' >"$tmp/nfr.yaml"
expect 2 "validate-node: a NodeFeatureRule" -- "$nfd" compat validate-node --spec "$tmp/nfr.yaml" --features "$fake"
has_err 'nfr.yaml:2:7: this is a NodeFeatureRule, not an image compatibility spec'
has_err 'not an image compatibility spec; see'
printf 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureGroup\nmetadata: {name: x}\n' >"$tmp/nfg.yaml"
expect 2 "validate-node: a NodeFeatureGroup" -- "$nfd" compat validate-node --spec "$tmp/nfg.yaml" --features "$fake"
has_err 'this is a NodeFeatureGroup'
printf 'version: v1alpha1\ncompatibility:\n- rules: []\n' >"$tmp/nocompat.yaml"
expect 2 "validate-node: compatibility: (typo)" -- "$nfd" compat validate-node --spec "$tmp/nocompat.yaml" --features "$fake"
has_err 'did you mean "compatibilities"?'
: >"$tmp/empty.yaml"
expect 2 "validate-node: an empty file" -- "$nfd" compat validate-node --spec "$tmp/empty.yaml" --features "$fake"
has_err 'the spec is empty (an image compatibility spec has'
expect 2 "validate-spec: a NodeFeatureRule" -- "$nfd" compat validate-spec "$tmp/nfr.yaml"

# nfd help <command>; --authfile that does not exist
expect 0 "nfd help compat validate-node" -- "$nfd" help compat validate-node
grep -q '^Usage: nfd compat validate-node' "$tmp/out" || { echo "FAIL: help output"; failed=1; }
grep -q -- '--allow-missing' "$tmp/out" || { echo "FAIL: help lacks --allow-missing"; failed=1; }
expect 0 "nfd help compat" -- "$nfd" help compat
grep -q 'compat remove' "$tmp/out" || { echo "FAIL: group help lacks compat remove"; failed=1; }
expect 2 "nfd help nosuch" -- "$nfd" help nosuch
expect 2 "--authfile missing" -- "$nfd" compat validate-node --image "oci:$top/examples/oci-layout:v1" \
	--authfile "$tmp/no-auth.json" --features "$fake"
has_err "--authfile $tmp/no-auth.json: No such file or directory"

# explanations: instances split across devices; repeated matchAny lines once;
# a relative --root
(cd "${NFD_FIXTURE_ROOTS:-$fx/roots}" && expect 1 "split instances, relative --root" -- "$nfd" compat validate-node \
	--spec "$fx/specs/split-instances.yaml" --root ./gpu-server)
grep -qF '  no single pci.device has all of class {op: "In", value: ["0300"]}, vendor {op: "In", value: ["8086"]}; closest (1 of 2, instance #' "$tmp/out" ||
	{ echo "FAIL: no 'no single pci.device' line"; cat "$tmp/out"; failed=1; }
[[ $(grep -c '^  kernel.loadedmodule.nosuch' "$tmp/out") == 1 ]] &&
	grep -qF 'kernel.loadedmodule.nosuch {op: "Exists"}: not present (in 3 matchAny elements)' "$tmp/out" ||
	{ echo "FAIL: repeated matchAny lines not collapsed"; cat "$tmp/out"; failed=1; }

# boolean flags take =true|false as NFD's (Go) flags do
expect 0 "--output-json=true" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" --output-json=true
same "$tmp/out" "$fx/reports/fake-7.json" "--output-json=true output"
expect 0 "--output-json=false --nfd-output=1" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" \
	--output-json=false --nfd-output=1
same "$tmp/out" "$fx/reports/fake-7.nfd.txt" "--output-json=false output"
expect 2 "--output-json=maybe" -- "$nfd" compat validate-node --spec "$spec7" --features "$fake" --output-json=maybe
has_err '--output-json=maybe: not a boolean'
expect 1 "--plain-http=false on a layout" -- "$nfd" compat validate-node --plain-http=false \
	--image "oci:$top/examples/oci-layout:v1" --features "$fake" --allow-missing=true
expect 0 "export --compact=false" -- "$nfd" export features --from "$fake" --compact=false
[[ $(wc -l <"$tmp/out") -gt 1 ]] || { echo "FAIL: --compact=false printed one line"; failed=1; }

# nfd completion bash|zsh|fish
expect 0 "completion bash" -- "$nfd" completion bash
cp "$tmp/out" "$tmp/nfd.bash"
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nfd; echo "${COMPREPLY[*]}"' \
		_ "$tmp/nfd.bash" "$nfd" "$@"
}
[[ $(complete_words compat va) == "validate-node validate-spec" ]] || { echo "FAIL: completion of 'compat va': $(complete_words compat va)"; failed=1; }
[[ $(complete_words compat validate-node --allow) == "--allow-missing" ]] || { echo "FAIL: option completion"; failed=1; }
[[ $(complete_words completion "") == "bash zsh fish" ]] || { echo "FAIL: completion shells"; failed=1; }
[[ " $(complete_words "") " == *" export "* ]] || { echo "FAIL: top-level completion: $(complete_words "")"; failed=1; }
expect 0 "completion zsh" -- "$nfd" completion zsh
if command -v zsh >/dev/null; then zsh -n "$tmp/out" || { echo "FAIL: zsh -n"; failed=1; }; fi
expect 0 "completion fish" -- "$nfd" completion fish
if command -v fish >/dev/null; then fish -n "$tmp/out" || { echo "FAIL: fish -n"; failed=1; }; fi
expect 2 "completion tcsh" -- "$nfd" completion tcsh

# On a terminal the tables fit its width (TIOCGWINSZ, else $COLUMNS), long
# cells wrapped within their column; piped, the output stays NFD's byte for
# byte, and a terminal wide enough gets exactly that too.
"${PYTHON3:-python3}" - "$nfd" "$top/examples/min-kernel.yaml" "$fake" <<'PY' || failed=1
import fcntl, os, pty, re, struct, subprocess, sys, termios

nfd, spec, features = sys.argv[1:4]
cmd = [nfd, "compat", "validate-node", "--spec", spec, "--features", features]
bad = 0

def fail(msg):
    global bad
    print("FAIL: tty width:", msg)
    bad = 1

def on_pty(columns=None, winsize=None):
    """Run cmd with stdout on a fresh pty; its output with \r\n undone."""
    master, slave = pty.openpty()
    if winsize:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, winsize, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["NO_COLOR"] = "1"
    if columns is not None:
        env["COLUMNS"] = str(columns)
    p = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    p.wait()
    return out.decode().replace("\r\n", "\n"), p.returncode

piped = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, COLUMNS="60"))
plain = piped.stdout.decode()
def table_lines(text):
    return [line for line in text.splitlines() if line[:1] in "┌│├└"]

widest = max(len(line) for line in table_lines(plain))
if widest <= 100:
    fail(f"the piped tables are only {widest} wide: pick a spec with wider ones")
for how, kw, width in (("COLUMNS=80", {"columns": 80}, 80),
                       ("TIOCGWINSZ 70", {"winsize": 70, "columns": 200}, 70)):
    out, rc = on_pty(**kw)
    if rc != piped.returncode:
        fail(f"{how}: exit {rc}, piped {piped.returncode}")
    over = [line for line in table_lines(out) if len(line) > width]
    if over:
        fail(f"{how}: {len(over)} lines over {width} columns, e.g. {over[0]!r}")
    # the same rows, the verdict and the explanations are all still there
    if out.count("RULE: ") != plain.count("RULE: ") or \
            out.splitlines()[-1] != plain.splitlines()[-1]:
        fail(f"{how}: rules or verdict differ")
    # a wrapped cell continues on the next line, in its own column
    if not any(re.match(r"│ +│", line) for line in out.splitlines()):
        fail(f"{how}: no continuation line")
wide, _ = on_pty(columns=1000)
if wide != plain:
    fail("a terminal wide enough does not get NFD's tables byte for byte")
sys.exit(bad)
PY

# a feature discovery could not read says so, not "not present"; its
# warnings show on a terminal unless NFD_LOG says otherwise
cp -R "${NFD_FIXTURE_ROOTS:-$fx/roots}/gpu-server" "$tmp/unreadable"
chmod -R u+w "$tmp/unreadable"
rm "$tmp/unreadable/proc/modules" && mkdir "$tmp/unreadable/proc/modules"
expect 1 "unreadable /proc/modules" -- "$nfd" compat validate-node \
	--spec "$fx/specs/split-instances.yaml" --root "$tmp/unreadable"
grep -qF "kernel.loadedmodule.nosuch {op: \"Exists\"}: kernel.loadedmodule could not be read: cannot read '$tmp/unreadable/proc/modules': Is a directory (in 3 matchAny elements)" "$tmp/out" ||
	{ echo "FAIL: no 'could not be read' line"; cat "$tmp/out"; failed=1; }
grep -q 'not present' "$tmp/out" && { echo "FAIL: 'not present' for an unreadable feature"; failed=1; }
grep -q 'libnfd: warning' "$tmp/err" && { echo "FAIL: warnings on a redirected stderr"; failed=1; }
on_tty() {
	script -qec "$(printf '%q ' "$@")" /dev/null </dev/null >"$tmp/tty" 2>&1
}
# (the suite runs with NFD_LOG=err)
on_tty env -u NFD_LOG "$nfd" compat validate-node --spec "$fx/specs/split-instances.yaml" \
	--root "$tmp/unreadable"
grep -qF "libnfd: warning: cannot read '$tmp/unreadable/proc/modules', ignoring" "$tmp/tty" ||
	{ echo "FAIL: no discovery warning on a terminal"; cat "$tmp/tty"; failed=1; }
on_tty env NFD_LOG=err "$nfd" compat validate-node --spec "$fx/specs/split-instances.yaml" \
	--root "$tmp/unreadable"
grep -q 'libnfd: warning' "$tmp/tty" && { echo "FAIL: NFD_LOG=err did not silence the warnings"; failed=1; }
grep -qF 'could not be read: ' "$tmp/tty" ||
	{ echo "FAIL: no explanation on a terminal"; cat "$tmp/tty"; failed=1; }

exit $failed
