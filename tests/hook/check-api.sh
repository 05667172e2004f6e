#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nfd_hook_check() through examples/c/runtime-hook and the nfd-oci-hook
# binary without a runtime or registry: specs named by the spec-file
# annotation, the image annotations' order, policy files, hostile input.
. "$NFD_TOP_SRCDIR/tests/oci/lib.sh"

EX=$NFD_TOP_BUILDDIR/examples/c/runtime-hook
HOOK=$NFD_TOP_BUILDDIR/tools/nfd-oci-hook
FIX=$NFD_TOP_SRCDIR/tests/oci/fixtures
mkdir -p "$T/specs" "$T/bundle"
cp "$FIX/compatible.yaml" "$T/specs/good.yaml"
cp "$FIX/incompatible.yaml" "$T/specs/bad.yaml"
cat >"$T/policy" <<CONF
# a comment, then keys with spaces around '='
cache-dir = $T/cache
spec-dir=$T/specs
CONF

# bundle ANNOTATIONS-JSON: write config.json and the state naming it
bundle() {
	printf '{"ociVersion":"1.0.2","annotations":%s}\n' "$1" >"$T/bundle/config.json"
	printf '{"ociVersion":"1.0.2-dev","id":"c1","status":"creating","pid":1,"bundle":"%s"}\n' \
		"$T/bundle" >"$T/state"
}

bundle '{"nfd.libnfd.io/spec":"good.yaml"}'
expect 0 "spec file satisfied" -- "$EX" --policy "$T/policy" "$T/state"
grep -q "^allow (compatible): spec $T/specs/good.yaml: compatible with this node (set #1" "$T/out" &&
	pass "message names the spec and the set" || fail "message: $(cat "$T/out")"
expect 0 "again, from the verdict cache" -- "$EX" --policy "$T/policy" "$T/state"
grep -q "^allow (compatible)" "$T/out" && pass "cached verdict" || fail "cached: $(cat "$T/out")"

bundle '{"nfd.libnfd.io/spec":"bad.yaml"}'
expect 1 "spec file failed" -- "$EX" --policy "$T/policy" "$T/state"
grep -q "rule kernel-7: kernel.version major Gt 6 (node: [0-9]*)" "$T/out" &&
	pass "failing rule with the node's value" || fail "message: $(cat "$T/out")"
expect 0 "warn mode allows" -- "$EX" --policy "$T/policy" --set mode=warn "$T/state"
grep -q "mode = warn: allowed" "$T/out" && pass "warn message" || fail "warn: $(cat "$T/out")"
expect 0 "tags: no set has the tag" -- "$EX" --policy "$T/policy" --set tags=gpu "$T/state"
grep -q "no compatibility set with the policy's tags" "$T/out" && pass "tags filter" ||
	fail "tags: $(cat "$T/out")"
# the hook binary: same answer, distinct exit status, the reason on stderr
expect 1 "hook refuses (exit 1)" -- sh -c "'$HOOK' --config '$T/policy' createRuntime <'$T/state'"
expect_err "^nfd-oci-hook: refused: spec .*bad.yaml is not compatible"
expect 0 "hook at poststop does nothing" -- sh -c "'$HOOK' --config '$T/policy' poststop <'$T/state'"

# hostile or broken input
for name in ../bad.yaml /etc/passwd .hidden 'a b'; do
	bundle "{\"nfd.libnfd.io/spec\":\"$name\"}"
	expect 2 "spec annotation '$name' refused" -- "$EX" --policy "$T/policy" "$T/state"
	expect_err "is not a file name in"
done
bundle '{"nfd.libnfd.io/spec":"missing.yaml"}'
expect 2 "missing spec file" -- "$EX" --policy "$T/policy" "$T/state"
printf '{"bundle":"%s","annotations":' "$T/bundle" >"$T/state"
expect 2 "truncated state" -- "$EX" --policy "$T/policy" "$T/state"
expect_err "OCI state: 1:"
printf '{"id":"x"}' >"$T/state"
expect 2 "state without a bundle" -- "$EX" --policy "$T/policy" "$T/state"
expect_err 'no absolute "bundle"'
expect 2 "hook: broken state is refused (exit 2)" -- sh -c "'$HOOK' --config '$T/policy' <'$T/state'"

# which annotation names the image: CRI-O's digest first; an OCI layout is
# refused unless the policy allows it; no annotation at all: allowed
printf '{"id":"c1","bundle":"%s"}' "$T/bundle" >"$T/state"
bundle '{"io.kubernetes.cri-o.ImageRepoDigests":"oci:/nonexistent@sha256:0000000000000000000000000000000000000000000000000000000000000000","io.kubernetes.cri-o.ImageName":"oci:/elsewhere:v1","nfd.libnfd.io/image":"x"}'
expect 0 "layout refused by policy: fail open" -- "$EX" --policy "$T/policy" "$T/state"
grep -q "oci:/nonexistent@sha256:0* (from io.kubernetes.cri-o.ImageRepoDigests): .*not allowed by the policy" "$T/out" &&
	pass "CRI-O's digest reference wins" || fail "image: $(cat "$T/out")"
expect 1 "on-registry-error = deny" -- "$EX" --policy "$T/policy" --set on-registry-error=deny "$T/state"
bundle '{"io.kubernetes.cri.image-name":"nginx"}'
expect 0 "containerd short name" -- "$EX" --policy "$T/policy" --set fetch-timeout=1ms "$T/state"
grep -q "docker.io/library/nginx:latest (from io.kubernetes.cri.image-name)" "$T/out" &&
	pass "short name normalised" || fail "containerd: $(cat "$T/out")"
bundle '{"other":"x"}'
expect 0 "no annotation: allowed" -- "$EX" --policy "$T/policy" "$T/state"
grep -q "^allow (no image): no annotation names the image" "$T/out" && pass "no image message" ||
	fail "no image: $(cat "$T/out")"

# layouts allowed: the example image and its attached spec, through the cache
bundle "{\"nfd.libnfd.io/image\":\"oci:$NFD_TOP_SRCDIR/examples/oci-layout:v1\"}"
expect 0 "OCI layout (allowed by policy)" -- "$EX" --policy "$T/policy" --set allow-oci-layouts=true \
	--set mode=warn "$T/state"
grep -Eq "oci-layout:v1 = sha256:[0-9a-f]{64}" "$T/out" && pass "tag resolved to a digest" ||
	fail "layout: $(cat "$T/out")"
ls "$T/cache" | grep -Eqx '[0-9a-f]{32}' && pass "cache entries written" || fail "no cache entries"
ls -ld "$T/cache" | grep -q '^drwx------' && pass "cache directory is 0700" || fail "cache mode"

# nfd_oci_fetch() tells "no artifact" (-ENODATA: on-no-artifact) from "no
# such image" (-ENOENT: a fetch error, on-registry-error); only the first is
# cached as "no artifact"
image_layout "$T/plain"
bundle "{\"nfd.libnfd.io/image\":\"oci:$T/plain:v1\"}"
expect 1 "image without artifact: on-no-artifact = deny" -- "$EX" --policy "$T/policy" \
	--set allow-oci-layouts=true --set on-no-artifact=deny "$T/state"
grep -Eq "^deny \(no artifact\): oci:$T/plain:v1 = sha256:[0-9a-f]{64} has no compatibility artifact" "$T/out" &&
	pass "ENODATA read as no artifact" || fail "no artifact: $(cat "$T/out")"
gone=sha256:$(printf 'not there' | sha256sum | cut -d' ' -f1)
bundle "{\"nfd.libnfd.io/image\":\"oci:$T/plain@$gone\"}"
expect 0 "image not in the layout: on-no-artifact = deny does not apply" -- "$EX" --policy "$T/policy" \
	--set allow-oci-layouts=true --set on-no-artifact=deny "$T/state"
grep -q "^allow (registry error): oci:$T/plain@$gone (from nfd.libnfd.io/image): cannot get its compatibility spec: .*allowed (on-registry-error = allow)" "$T/out" &&
	pass "ENOENT read as a fetch error" || fail "not found: $(cat "$T/out")"
expect 1 "and on-registry-error = deny refuses it" -- "$EX" --policy "$T/policy" \
	--set allow-oci-layouts=true --set on-registry-error=deny "$T/state"

# concurrent container starts on an empty cache: every one answers, the
# entries are whole (atomic rename), no temporary file is left
bundle '{"nfd.libnfd.io/spec":"bad.yaml"}'
printf 'cache-dir = %s\nspec-dir = %s\n' "$T/cache-par" "$T/specs" >"$T/par-policy"
pids=()
for i in $(seq 8); do
	"$HOOK" --config "$T/par-policy" <"$T/state" >/dev/null 2>"$T/par-$i.err" &
	pids+=($!)
done
bad=0
for i in "${!pids[@]}"; do wait "${pids[$i]}"; [[ $? == 1 ]] || bad=$((bad + 1)); done
[[ $bad == 0 ]] && pass "8 concurrent hooks all refused" || fail "$bad concurrent hooks answered otherwise"
ls -A "$T/cache-par" | grep -q '^\.tmp' && fail "temporary files left" || pass "no temporary files left"
expect 1 "and the cache they wrote answers" -- sh -c "'$HOOK' --config '$T/par-policy' <'$T/state'"
grep -h . "$T"/par-*.err | grep -v "^nfd-oci-hook: refused: spec\|^rule kernel-7" &&
	fail "unexpected messages from concurrent hooks" || pass "no cache warnings"

# bounded: with a tiny limit only the newest entry stays
printf 'cache-dir = %s\nspec-dir = %s\ncache-max-size = 1K\n' "$T/cache-small" "$T/specs" >"$T/small-policy"
bundle '{"nfd.libnfd.io/spec":"good.yaml"}'
expect 0 "small cache: good" -- "$EX" --policy "$T/small-policy" "$T/state"
bundle '{"nfd.libnfd.io/spec":"bad.yaml"}'
expect 1 "small cache: bad" -- "$EX" --policy "$T/small-policy" "$T/state"
n=$(ls "$T/cache-small" | wc -l)
[[ $n == 1 ]] && pass "evicted down to the newest entry" || fail "$n entries in a 1K cache"

# a corrupt entry is removed and rebuilt, not believed
printf 'cache-dir = %s\nspec-dir = %s\n' "$T/cache-c" "$T/specs" >"$T/c-policy"
expect 1 "fill" -- "$EX" --policy "$T/c-policy" "$T/state"
for f in "$T"/cache-c/*; do printf 'nfd-cache 1 verdict 1 5 9999\nxx' >"$f"; done
expect 1 "corrupt entries: same answer" -- "$EX" --policy "$T/c-policy" "$T/state"
# a cache directory others can write to is not used
chmod 0777 "$T/cache-c"
expect 1 "world-writable cache ignored, still checked" -- "$EX" --policy "$T/c-policy" "$T/state"
chmod 0700 "$T/cache-c"

# policy files
printf 'mode = enforce\nbogus = 1\n' >"$T/bad-policy"
expect 2 "unknown key" -- "$EX" --policy "$T/bad-policy" "$T/state"
expect_err "bad-policy:2: unknown policy key 'bogus'"
for kv in mode=maybe on-no-artifact=sometimes fetch-timeout=0 fetch-timeout=10x cache-dir=relative \
	cache-max-size=-1 tag-ttl=5d; do
	expect 2 "bad value $kv" -- "$EX" --set "$kv" "$T/state"
	expect_err "invalid value"
done
expect 2 "missing policy file" -- "$EX" --policy "$T/nope" "$T/state"
expect 2 "hook: explicit missing config is an error" -- sh -c "'$HOOK' --config '$T/nope' <'$T/state'"
expect_err "refused: policy: .*nope"

finish
