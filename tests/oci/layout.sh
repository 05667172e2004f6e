#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OCI layouts through the nfd command: the committed example is what
# examples/make-oci-layout.sh writes, validate-node reads it offline, and
# `nfd compat attach` adds a newer spec to a copy (oras style).
. "$(dirname "$0")/lib.sh"

FIX=$NFD_TOP_SRCDIR/tests/oci/fixtures
ex=$NFD_TOP_SRCDIR/examples/oci-layout

"$NFD_TOP_SRCDIR/examples/make-oci-layout.sh" "$T/regen" >/dev/null
diff -r "$ex" "$T/regen" >/dev/null && pass "examples/oci-layout is what make-oci-layout.sh writes" ||
	fail "examples/oci-layout differs from make-oci-layout.sh's output"

expect 0 "fetch oci:examples/oci-layout:v1" -- "$OCI_FETCH" "oci:$ex:v1"
grep -q 'version: v1alpha1' "$T/out" && pass "the example spec" || fail "not the example spec"
expect 0 "oci-layout:// and no tag" -- "$OCI_FETCH" "oci-layout://$ex"
expect 3 "missing layout" -- "$OCI_FETCH" "oci:$T/none:v1"
expect_err 'not an OCI layout'

expect 0 "validate-node on the example layout" -- "$NFD_BIN" compat validate-node \
	--image "oci:$ex:v1" --features "$FIX/features.json" --output-json
grep -q '"name":"kernel-4-or-later","isMatch":true' "$T/out" && ! grep -q '"isMatch":false' "$T/out" &&
	pass "every rule of the example layout's spec matched" || fail "validate-node JSON: $(head -c 300 "$T/out")"

# attach into a copy whose path has a ':' in it
cp -r "$ex" "$T/my:layout" && chmod -R u+w "$T/my:layout"  # distcheck: read-only srcdir
expect 0 "attach into a layout" -- "$NFD_BIN" compat attach --image "oci:$T/my:layout:v1" "$FIX/incompatible.yaml"
art=$(cat "$T/out")
[[ -f $T/my:layout/blobs/sha256/${art#sha256:} ]] && pass "artifact manifest stored as a blob" || fail "no artifact blob"
grep -q "$art" "$T/my:layout/index.json" && pass "artifact listed in index.json" || fail "index.json lacks the artifact"
expect 0 "the newer spec wins" -- "$OCI_FETCH" "oci:$T/my:layout:v1"
cmp -s "$T/out" "$FIX/incompatible.yaml" && pass "attached spec fetched" || fail "fetched another spec"
expect 1 "validate-node: the attached spec is incompatible" -- "$NFD_BIN" compat validate-node \
	--image "oci:$T/my:layout:v1" --features "$FIX/features.json"
grep -q 'RULE: KERNEL-7 -  FAIL' "$T/out" && pass "rule kernel-7 is shown failing" || fail "no failing rule in: $(head -5 "$T/out")"
expect 0 "attach to the arm64 manifest" -- "$NFD_BIN" compat attach --platform linux/arm64 \
	--image "oci:$T/my:layout:v1" "$FIX/compatible.yaml"
expect 0 "arm64 finds its own artifact" -- "$OCI_FETCH" --platform linux/arm64 "oci:$T/my:layout:v1"
cmp -s "$T/out" "$FIX/compatible.yaml" && pass "platform artifact fetched" || fail "platform artifact"

cp -r "$ex" "$T/ro" && chmod -R u+w "$T/ro"
before=$(cd "$T/ro" && find . -type f | sort | xargs sha256sum)
expect 2 "attach an invalid spec" -- "$NFD_BIN" compat attach --image "oci:$T/ro:v1" "$FIX/invalid.yaml"
after=$(cd "$T/ro" && find . -type f | sort | xargs sha256sum)
[[ $before == "$after" ]] && pass "nothing written for an invalid spec" || fail "layout changed"
expect 3 "attach to a missing tag" -- "$NFD_BIN" compat attach --image "oci:$T/ro:v9" "$FIX/compatible.yaml"
after=$(cd "$T/ro" && find . -type f | sort | xargs sha256sum)
[[ $before == "$after" ]] && pass "nothing written for a missing tag" || fail "layout changed"
# concurrent attaches into one layout are serialised (no lost index entry)
cp -r "$ex" "$T/par" && chmod -R u+w "$T/par"
for i in 1 2 3 4; do
	sed "1s/.*/# parallel $i/" "$FIX/compatible.yaml" >"$T/par$i.yaml"
	"$NFD_BIN" compat attach --image "oci:$T/par:v1" "$T/par$i.yaml" >/dev/null 2>&1 &
done
wait
n=$(grep -c '"digest"' "$T/par/index.json")
[[ $n == 6 ]] && pass "4 parallel attaches: 4 new index.json entries" || fail "parallel attaches: $n entries, wanted 6"
expect 2 "attach without --image" -- "$NFD_BIN" compat attach "$FIX/compatible.yaml"
finish
