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
	# an oversized input names its limit and size (doc/limits.md), never
	# strerror(E2BIG)
	if grep -q "Argument list too long" "$tmp/err"; then
		echo "FAIL: $* printed strerror(E2BIG):"
		head -5 "$tmp/err"
		fail=1
	fi
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

# --- `nfd compat attach` writes only inside the layout: links to outside
# directories and files are never written through (doc/limits.md); the
# directory "outside" must stay as it is
top="${NFD_TOP_SRCDIR:?}"
aspec="$top/tests/oci/fixtures/compatible.yaml"
out="$tmp/outside"
mkdir -p "$out/blobs" "$tmp/w"
echo marker >"$out/marker"
newlay() { # a writable copy of the example layout at $tmp/w/$1
	rm -rf "${tmp:?}/w/$1"
	cp -r "$top/examples/oci-layout" "$tmp/w/$1"
	chmod -R u+w "$tmp/w/$1"
}
snap() { (cd "$out" && find . -printf '%p %y %s\n' | sort && cat marker); }
untouched() {
	if [ "$(snap)" != "$before" ]; then
		echo "FAIL: attach ($1) changed the directory outside the layout:"
		snap
		fail=1
	fi
}
before=$(snap)
# blobs/sha256 -> ../../../outside: inside the layout (where ".." stops at
# its top) that is L/outside, which holds the blobs; the kernel would take
# it to $tmp/outside.  The new blobs go to L/outside.
newlay L
mv "$tmp/w/L/blobs/sha256" "$tmp/w/L/outside"
ln -s ../../../outside "$tmp/w/L/blobs/sha256"
expect 0 "" "$nfd" compat attach --image "oci:$tmp/w/L:v1" "$aspec"
art=$(cat "$tmp/out")
if [ ! -f "$tmp/w/L/outside/${art#sha256:}" ]; then
	echo "FAIL: the artifact is not in the layout"
	fail=1
fi
untouched "a relative link"
# blobs/sha256 -> an absolute outside directory: nowhere inside the layout
newlay A
cp -r "$tmp/w/A/blobs/sha256/." "$out/blobs/"
rm -rf "$tmp/w/A/blobs/sha256"
ln -s "$out/blobs" "$tmp/w/A/blobs/sha256"
before=$(snap)
expect 3 "not found" "$nfd" compat attach --image "oci:$tmp/w/A:v1" "$aspec"
untouched "an absolute link"
# index.json and oci-layout linked to outside files
newlay I
mv "$tmp/w/I/index.json" "$out/index.json"
ln -s "$out/index.json" "$tmp/w/I/index.json"
newlay O
mv "$tmp/w/O/oci-layout" "$out/oci-layout"
ln -s "$out/oci-layout" "$tmp/w/O/oci-layout"
before=$(snap)
expect 3 "not an OCI layout (no index.json)" "$nfd" compat attach --image "oci:$tmp/w/I:v1" "$aspec"
expect 3 "not an OCI layout (no oci-layout)" "$nfd" compat attach --image "oci:$tmp/w/O:v1" "$aspec"
untouched "linked index.json and oci-layout"
# index.json a link inside the layout: read, but never written through
newlay J
mv "$tmp/w/J/index.json" "$tmp/w/J/real.json"
ln -s real.json "$tmp/w/J/index.json"
cp "$tmp/w/J/real.json" "$tmp/real.json"
expect 2 "index.json is not a regular file (a link?); refusing to write it" \
	"$nfd" compat attach --image "oci:$tmp/w/J:v1" "$aspec"
if ! cmp -s "$tmp/w/J/real.json" "$tmp/real.json" || [ ! -L "$tmp/w/J/index.json" ]; then
	echo "FAIL: index.json was written through its link"
	fail=1
fi
# the spec blob planted as a dangling link to an outside file
newlay D
sd=$(sha256sum "$aspec" | cut -d' ' -f1)
ln -s "$out/planted" "$tmp/w/D/blobs/sha256/$sd"
expect 2 "blobs/sha256/$sd is not a regular file" \
	"$nfd" compat attach --image "oci:$tmp/w/D:v1" "$aspec"
untouched "a dangling link"
[ "$fail" -ne 0 ] || echo "ok: nothing written outside the layouts"

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

# --- an input over its size limit names the file, its size and the limit
# (doc/limits.md): a spec, features, a NodeFeatureRule file, an auth file, a
# CA file, a CPUID dump, a blob of an OCI layout, a local feature file
head -c 5452595 /dev/zero | tr '\0' '#' >"$tmp/big.yaml"
expect 2 "big.yaml: 5.2 MiB is over the 4 MiB limit for specs (doc/limits.md)" \
	"$nfd" compat validate-node --spec "$tmp/big.yaml" --features "$tmp/f.json"
# (the file's name once: "nfd: FILE: ...", not "nfd: FILE: FILE: ...")
expect 2 "^nfd: [^ ]*big.yaml: 5.2 MiB is over the 4 MiB limit for specs (doc/limits.md)" \
	"$nfd" compat validate-spec "$tmp/big.yaml"
expect 2 "^nfd: [^ ]*big.yaml: 5.2 MiB is over the 4 MiB limit for NodeFeatureRule files" \
	"$nfd" rule validate "$tmp/big.yaml"
expect 2 "<stdin>\\|-: 5.2 MiB is over the 4 MiB limit for specs" \
	sh -c '"$0" compat validate-spec - <"$1"' "$nfd" "$tmp/big.yaml"
truncate -s 65M "$tmp/big.json"
expect 2 "big.json: 65 MiB is over the 64 MiB limit for features (doc/limits.md)" \
	"$nfd" export features --from "$tmp/big.json"
truncate -s 769M "$tmp/big.json"
expect 2 "big.json: 769 MiB is over the 768 MiB limit for features (a list of nodes)" \
	"$nfd" compat validate-node --spec "$tmp/spec.yaml" --features "$tmp/big.json"
rm "$tmp/big.json"
truncate -s 1048577 "$tmp/auth.json"
expect 3 "auth.json: 1048577 bytes is over the 1 MiB limit for auth files (doc/limits.md)" \
	"$nfd" compat validate-node --image 127.0.0.1:1/x:y --plain-http --authfile "$tmp/auth.json" \
	--features "$tmp/f.json"
expect 3 "auth.json: 1048577 bytes is over the 1 MiB limit for auth files" \
	env REGISTRY_AUTH_FILE="$tmp/auth.json" "$nfd" compat validate-node \
	--image 127.0.0.1:1/x:y --plain-http --features "$tmp/f.json"
truncate -s 5M "$tmp/ca.pem"
expect 3 "ca.pem: 5 MiB is over the 4 MiB limit for CA files" "$nfd" compat validate-node \
	--image 127.0.0.1:1/x:y --ca-file "$tmp/ca.pem" --features "$tmp/f.json"
truncate -s 1200K "$tmp/dump"
expect 2 "dump: 1.2 MiB is over the 1 MiB limit for CPUID dumps" \
	"$nfd" export features --sources cpu --cpuid-dump "$tmp/dump"
rm "$tmp/auth.json" "$tmp/ca.pem" "$tmp/dump"
# an OCI layout whose manifest blob and index.json are too large
big="$tmp/big-layout"
mkdir -p "$big/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' >"$big/oci-layout"
head -c 4194305 /dev/zero | tr '\0' ' ' >"$big/m.json"
d=$(sha256sum "$big/m.json" | cut -d' ' -f1)
mv "$big/m.json" "$big/blobs/sha256/$d"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":4194305,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}\n' \
	"$d" >"$big/index.json"
expect 3 "blob sha256:$d: 4194305 bytes is over the 4 MiB limit for manifests (doc/limits.md)" \
	"$nfd" compat validate-node --image "oci:$big:v1" --features "$tmp/f.json"
truncate -s 6M "$big/index.json"
expect 3 "index.json: 6 MiB is over the 4 MiB limit for index.json and oci-layout" \
	"$nfd" compat validate-node --image "oci:$big:v1" --features "$tmp/f.json"
rm -rf "$big"
# discovery: a local feature file over its cap is a warning that says so
mkdir -p "$root/etc/kubernetes/node-feature-discovery/features.d"
truncate -s 70K "$root/etc/kubernetes/node-feature-discovery/features.d/big"
expect 0 "big', ignoring: 70 KiB is over the 64 KiB limit for this host file (doc/limits.md)" \
	env NFD_LOG=warning "$nfd" export features --root "$root" --sources local

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
