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

exit $fail
