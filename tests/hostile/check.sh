#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Hostile inputs found by the 0.1.0 attack run (issue "Hardening"), generated
# here rather than committed (links to outside files, FIFOs, big specs).  Each
# must end with the right outcome and message; none may hang: every command
# runs under timeout(1), which turns a hang into a failure (the checks are on
# outcomes, not on time).
set -eu

nfd="${NFD_TOP_BUILDDIR:?}/tools/nfd"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-hostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect RC PATTERN CMD...: the exit status and a pattern of stderr
expect() {
	want=$1 pat=$2
	shift 2
	rc=0
	timeout 60 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	if [ "$rc" -ne "$want" ] || { [ -n "$pat" ] && ! grep -q -- "$pat" "$tmp/err"; }; then
		echo "FAIL: $* exited $rc (want $want, stderr /$pat/):"
		head -5 "$tmp/err"
		fail=1
	else
		echo "ok: exit $rc ${pat:+/$pat/}: $*"
	fi
}

# a spec that needs nothing of the host
cat >"$tmp/spec.yaml" <<'Y'
version: v1alpha1
compatibilities:
- rules:
  - name: r
    matchFeatures:
    - feature: kernel.version
      matchExpressions:
        major: {op: Exists}
Y
echo '{"attributes":{"kernel.version":{"elements":{"major":"6"}}}}' >"$tmp/f.json"

# --- an OCI layout whose files are a FIFO, a link to /dev/zero, a link out
# (a link resolves inside the layout, where there is no dev/zero: the file
# is missing, a fetch error)
lay="$tmp/layout"
mkdir -p "$lay/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' >"$lay/oci-layout"
mkfifo "$lay/index.json"
expect 2 "not a regular file" "$nfd" compat validate-node --image "oci:$lay" --features "$tmp/f.json"
rm "$lay/index.json"
ln -s /dev/zero "$lay/index.json"
expect 3 "not an OCI layout" "$nfd" compat validate-node --image "oci:$lay" --features "$tmp/f.json"
rm "$lay/index.json"
ln -s ../../../../../../../../../../../../dev/zero "$lay/index.json"
expect 3 "not an OCI layout" "$nfd" compat validate-node --image "oci:$lay" --features "$tmp/f.json"
rm "$lay/oci-layout" "$lay/index.json"
mkfifo "$lay/oci-layout"
expect 2 "not a regular file" "$nfd" compat validate-node --image "oci:$lay" --features "$tmp/f.json"

# --- auth and CA files that would never end (a registry is never reached)
mkfifo "$tmp/fifo"
expect 2 "not a regular file" "$nfd" compat validate-node --image 127.0.0.1:1/x:y \
	--plain-http --authfile "$tmp/fifo" --features "$tmp/f.json"
expect 2 "not a regular file" "$nfd" compat validate-node --image 127.0.0.1:1/x:y \
	--authfile /dev/zero --features "$tmp/f.json"
expect 2 "not a regular file" env REGISTRY_AUTH_FILE="$tmp/fifo" "$nfd" compat validate-node \
	--image 127.0.0.1:1/x:y --plain-http --features "$tmp/f.json"
expect 2 "CA file /dev/zero: not a regular file" "$nfd" compat validate-node \
	--image 127.0.0.1:1/x:y --ca-file /dev/zero --features "$tmp/f.json"

# --- --cpuid-dump that is not a dump is an error, not a CPU without features
expect 2 "not a regular file" "$nfd" export features --sources cpu --cpuid-dump "$tmp/fifo"

# --- a host root whose proc/modules is a FIFO and os-release links out
root="$tmp/root"
mkdir -p "$root/proc" "$root/etc" "$root/usr/lib"
mkfifo "$root/proc/modules"
echo "ID=outside-marker" >"$tmp/os-release"
ln -s "$tmp/os-release" "$root/etc/os-release"
expect 0 "proc/modules" env NFD_LOG=warning "$nfd" export features --root "$root" \
	--sources kernel,system
if grep -q outside-marker "$tmp/out"; then
	echo "FAIL: os-release was read outside the root"
	fail=1
fi

# --- 200,000 vars in one rule (2.7 MB): merged, not quadratic
awk 'BEGIN {
	print "version: v1alpha1\ncompatibilities:\n- rules:\n  - name: r\n    vars:"
	for (i = 0; i < 200000; i++) printf "      v%06d: x\n", i
	print "    matchFeatures:\n    - feature: kernel.version\n      matchExpressions:\n        major: {op: Exists}"
}' >"$tmp/vars.yaml"
expect 0 "" "$nfd" compat validate-node --spec "$tmp/vars.yaml" --features "$tmp/f.json"

# --- a spec over the size limit names the limit and the size
head -c 5000000 /dev/zero | tr '\0' '#' >"$tmp/big.yaml"
expect 2 "4194304" "$nfd" compat validate-node --spec "$tmp/big.yaml" --features "$tmp/f.json"

# --- the work budget of one evaluation (doc/limits.md): each spec below
# would run for minutes with only the per-call limits; each must stop with
# the budget's error (exit 2), whatever the machine's speed
budget_msg="used up its work budget of"
a170=$(awk 'BEGIN { while (n++ < 170) printf "a" }')
printf '{"attributes":{"x.y":{"elements":{"v":"%s"}}}}\n' "$a170" >"$tmp/a.json"
# 60,000 regexes near the per-match limit (was 188 s)
awk 'BEGIN {
	printf "version: v1alpha1\ncompatibilities:\n- rules:\n  - name: r\n    matchFeatures:\n"
	printf "    - feature: x.y\n      matchExpressions:\n        v: {op: InRegexp, value: ["
	for (i = 0; i < 60000; i++) printf "%s\"(.*a){4}[^a]\"", i ? ", " : ""
	print "]}"
}' >"$tmp/regex.yaml"
expect 2 "$budget_msg 40000000 units" "$nfd" compat validate-node --spec "$tmp/regex.yaml" \
	--features "$tmp/a.json"
# a 4 MiB spec of rules whose templates stay just under a run's step limit
awk 'BEGIN {
	print "version: v1alpha1\ncompatibilities:\n- rules:"
	for (i = 0; i < 23000; i++) {
		printf "  - name: r%d\n    varsTemplate: \"{{$l := until 900}}", i
		print "{{range $l}}{{range $l}}{{end}}{{end}}\""
		print "    matchFeatures:\n    - feature: x.y\n      matchExpressions:"
		print "        v: {op: Exists}"
	}
}' >"$tmp/tmpl.yaml"
expect 2 "$budget_msg" "$nfd" compat validate-node --spec "$tmp/tmpl.yaml" --features "$tmp/a.json"
# three nested ranges with empty bodies (288 bytes, was 67 s): one run's
# step limit in validate-node; 100 of them as NodeFeatureRule rules, which
# nfd-master skips one by one, spend the budget
cat >"$tmp/ranges.yaml" <<'Y'
version: v1alpha1
compatibilities:
- rules:
  - name: r
    varsTemplate: "{{range until 1000}}{{range until 1000}}{{range until 1000}}{{end}}{{end}}{{end}}"
    matchFeatures:
    - feature: x.y
      matchExpressions:
        v: {op: Exists}
Y
expect 2 'rule "r": template: ' "$nfd" compat validate-node --spec "$tmp/ranges.yaml" \
	--features "$tmp/a.json"
awk 'BEGIN {
	print "apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n  name: t"
	print "spec:\n  rules:"
	for (i = 0; i < 100; i++) {
		printf "  - name: r%d\n    varsTemplate: \"{{range until 1000}}", i
		print "{{range until 1000}}{{range until 1000}}{{end}}{{end}}{{end}}\""
		print "    matchFeatures:\n    - feature: x.y\n      matchExpressions:"
		print "        v: {op: Exists}"
	}
}' >"$tmp/ranges-nfr.yaml"
expect 2 "$budget_msg" "$nfd" rule dryrun --rule "$tmp/ranges-nfr.yaml" --features "$tmp/a.json"
# the budget is the caller's to set: a tiny one stops the plainest spec, and
# unlimited, the default and a generous one give the same answers
sed 's/{op: Exists}/{op: In, value: ["6", "7"]}/' "$tmp/spec.yaml" >"$tmp/in.yaml"
expect 0 "" "$nfd" compat validate-node --spec "$tmp/in.yaml" --features "$tmp/f.json"
expect 2 "$budget_msg 1 units; raise it with --work-budget" "$nfd" compat validate-node \
	--spec "$tmp/in.yaml" --features "$tmp/f.json" --work-budget 1
expect 2 "--work-budget wants a number" "$nfd" compat validate-node --spec "$tmp/spec.yaml" \
	--features "$tmp/f.json" --work-budget -5
top="${NFD_TOP_SRCDIR:?}"
for spec in "$top"/examples/*.yaml; do
	for root in gpu-server sriov-nic cpu-intel arm64-host; do
		root="$top/tests/fixtures/roots/$root"
		for b in "" --work-budget=unlimited; do
			rc=0
			"$nfd" compat validate-node --spec "$spec" --root "$root" --output-json $b \
				>"$tmp/out$b" 2>"$tmp/err$b" </dev/null || rc=$?
			echo "$rc" >>"$tmp/out$b"
		done
		if ! cmp -s "$tmp/out" "$tmp/out--work-budget=unlimited" ||
			grep -q "$budget_msg" "$tmp/err"; then
			echo "FAIL: $spec on $root differs under the default work budget"
			fail=1
		fi
	done
done
echo "ok: the examples on four fixture roots evaluate the same under the default budget"

exit $fail
