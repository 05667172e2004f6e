#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Running in a cluster (doc/kubernetes.md): the NFD_HOST_PREFIX default, and
# `nfd compat publish` writing a feature file that libnfd's own local source
# (NFD's rules: expiry, dot-files skipped) reads back.
set -eu
nfd=${NFD_BIN:?}
src=${NFD_TOP_SRCDIR:?}
roots=${NFD_FIXTURE_ROOTS:-$src/tests/fixtures/roots}
python=${PYTHON3:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-k8s.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() {
	want=$1 what=$2
	shift 2
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $what: exit $got, expected $want"
		cat "$tmp/err"
		fail=1
	else
		echo "ok: $what"
	fi
}
stderr_has() {
	grep -q -- "$1" "$tmp/err" || { echo "FAIL: stderr lacks '$1':"; cat "$tmp/err"; fail=1; }
}
same() {
	if cmp -s "$1" "$2"; then echo "ok: $3"; else echo "FAIL: $3"; diff "$1" "$2" | head; fail=1; fi
}

# --- NFD_HOST_PREFIX: NFD's /host-* layout without a flag -------------------
ln -s "$roots/nfd-pci/sys" "$tmp/host-sys"
expect 0 "NFD_HOST_PREFIX alone" env NFD_HOST_PREFIX="$tmp/host-" "$nfd" export features --sources pci
same "$tmp/out" "$roots/nfd-pci/expected.json" "NFD_HOST_PREFIX reads <prefix>sys"
expect 0 "--host-prefix wins over NFD_HOST_PREFIX" env NFD_HOST_PREFIX="$tmp/none-" \
	"$nfd" export features --sources pci --host-prefix "$tmp/host-"
same "$tmp/out" "$roots/nfd-pci/expected.json" "--host-prefix output"
expect 0 "--root wins over NFD_HOST_PREFIX" env NFD_HOST_PREFIX="$tmp/none-" \
	"$nfd" export features --sources pci --root "$roots/nfd-pci"
same "$tmp/out" "$roots/nfd-pci/expected.json" "--root output"
expect 2 "relative NFD_HOST_PREFIX" env NFD_HOST_PREFIX=host- "$nfd" export features --sources pci
stderr_has "^nfd: NFD_HOST_PREFIX: host prefix must be an absolute path"
# validate-node reads it too: the same verdict as with the flag
expect 0 "validate-node under NFD_HOST_PREFIX" env NFD_HOST_PREFIX="$tmp/host-" \
	"$nfd" compat validate-node --spec "$src/tests/oci/fixtures/compatible.yaml" \
	--features "$src/tests/oci/fixtures/features.json"

# --- nfd compat publish -----------------------------------------------------
ex=$src/examples/oci-layout
fix=$src/tests/oci/fixtures
features=$fix/features.json
fd=$tmp/root/etc/kubernetes/node-feature-discovery/features.d
mkdir -p "$fd"
cp -r "$ex" "$tmp/bad" && chmod -R u+w "$tmp/bad"
"$nfd" compat attach --image "oci:$tmp/bad:v1" "$fix/incompatible.yaml" >/dev/null

cat >"$tmp/images" <<EOF
# images whose verdicts this node publishes
oci:$ex:v1
oci:$tmp/bad:v1   bad-image   # an explicit label name
EOF
expect 0 "publish one round" "$nfd" compat publish --images "$tmp/images" --features-d "$fd" \
	--features "$features" --interval-expiry 10m
[ "$(ls -A "$fd")" = nfd-compat ] && echo "ok: one file, no dot-file left" ||
	{ echo "FAIL: features.d holds: $(ls -A "$fd")"; fail=1; }
lab=$(grep '^compat\.feature\.node\.kubernetes\.io/oci-layout-[0-9a-f]\{12\}=true$' "$fd/nfd-compat" | cut -d= -f1) ||
	{ echo "FAIL: no derived label for the compatible image"; cat "$fd/nfd-compat"; fail=1; }
grep -q '^compat.feature.node.kubernetes.io/bad-image=false$' "$fd/nfd-compat" &&
	echo "ok: explicit label, incompatible" || { echo "FAIL: bad-image line"; fail=1; }
grep -q '^# +expiry-time=20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$' \
	"$fd/nfd-compat" && echo "ok: expiry directive" || { echo "FAIL: expiry line"; fail=1; }
grep -q "^$lab=true	oci:$ex:v1\$" "$tmp/out" && echo "ok: the round is reported on stdout" ||
	{ echo "FAIL: stdout"; cat "$tmp/out"; fail=1; }

# the local source reads exactly the published verdicts back
readback() {
	"$nfd" export features --root "$tmp/root" --sources local >"$tmp/local.json"
	"$python" - "$tmp/local.json" "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
got = doc["attributes"].get("local.feature", {}).get("elements", {})
want = dict(a.split("=", 1) for a in sys.argv[2:])
if got != want:
    sys.exit("local.feature is %r, expected %r" % (got, want))
EOF
}
readback "$lab=true" "compat.feature.node.kubernetes.io/bad-image=false" &&
	echo "ok: local source reads the verdicts back" || fail=1

# the same line gives the same label next round
cp "$fd/nfd-compat" "$tmp/round1"
expect 0 "second round" "$nfd" compat publish --images "$tmp/images" --features-d "$fd" \
	--features "$features"
grep -v '^#' "$tmp/round1" >"$tmp/a"
grep -v '^#' "$fd/nfd-compat" >"$tmp/b"
same "$tmp/a" "$tmp/b" "labels stable across rounds"

# an expired file is ignored, as nfd-worker does
sed 's/^# +expiry-time=.*/# +expiry-time=2001-01-01T00:00:00Z/' "$fd/nfd-compat" >"$fd/nfd-compat.new"
mv "$fd/nfd-compat.new" "$fd/nfd-compat"
readback && echo "ok: expired verdicts are dropped" || fail=1

# a failing image: no line, the others published, exit status of the failure
printf 'oci:%s/missing:v1\noci:%s:v1 good\n' "$tmp" "$ex" >"$tmp/images2"
expect 3 "an image without a layout" "$nfd" compat publish --images "$tmp/images2" \
	--features-d "$fd" --features "$features"
stderr_has "missing:v1: no verdict published"
readback "compat.feature.node.kubernetes.io/good=true" && echo "ok: the good image still published" ||
	fail=1

# --domain and --file-name
expect 3 "--domain" "$nfd" compat publish \
	--images "$tmp/images2" --features-d "$fd" --features "$features" --domain example.com \
	--file-name other
grep -q '^compat.example.com/good=true$' "$fd/other" && echo "ok: compat.<domain>/" ||
	{ echo "FAIL: --domain"; cat "$fd/other"; fail=1; }

# --every: the DaemonSet's loop; killed by timeout(1) after a few rounds
rm -f "$fd/other"
rm -f "$fd/nfd-compat"
expect 124 "--every loops until killed" timeout 3 "$nfd" compat publish --every 1s \
	--images "$tmp/images" --features-d "$fd" --features "$features"
[ "$(grep -c '^compat.feature.node.kubernetes.io/bad-image=false' "$tmp/out")" -ge 2 ] &&
	echo "ok: several rounds" || { echo "FAIL: --every rounds"; cat "$tmp/out"; fail=1; }
readback "$lab=true" "compat.feature.node.kubernetes.io/bad-image=false" &&
	echo "ok: --every published" || fail=1
expect 2 "--every 0" "$nfd" compat publish --every 0 --images "$tmp/images" --features-d "$fd"

# usage errors write nothing
rm -f "$fd/nfd-compat" "$fd/other"
expect 2 "no --features-d" "$nfd" compat publish --images "$tmp/images"
expect 2 "features.d missing" "$nfd" compat publish --images "$tmp/images" --features-d "$tmp/no"
stderr_has "No such file or directory"
expect 2 "bad domain" "$nfd" compat publish --images "$tmp/images" --features-d "$fd" --domain Ex_ample
expect 2 "bad duration" "$nfd" compat publish --images "$tmp/images" --features-d "$fd" \
	--interval-expiry 10x
expect 2 "dot file name" "$nfd" compat publish --images "$tmp/images" --features-d "$fd" \
	--file-name .x
printf 'oci:%s:v1 -bad-\n' "$ex" >"$tmp/images3"
expect 2 "invalid label name" "$nfd" compat publish --images "$tmp/images3" --features-d "$fd" \
	--features "$features"
stderr_has "line 1: '-bad-' is not a label name"
printf 'oci:%s:v1 same\noci:%s/bad:v1 same\n' "$ex" "$tmp" >"$tmp/images4"
expect 2 "duplicate label" "$nfd" compat publish --images "$tmp/images4" --features-d "$fd" \
	--features "$features"
stderr_has "label compat.feature.node.kubernetes.io/same is also that of"
expect 2 "--root with --features" "$nfd" compat publish --images "$tmp/images" --features-d "$fd" \
	--features "$features" --root /
[ -z "$(ls -A "$fd")" ] && echo "ok: nothing written on usage errors" ||
	{ echo "FAIL: features.d holds $(ls -A "$fd")"; fail=1; }
expect 0 "--help" "$nfd" compat publish --help
exit $fail
