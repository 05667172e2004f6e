#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The referrers API (pagination, artifactType filtering, OCI-Filters-Applied)
# and injected faults, against tests/oci/fake-registry.py on 127.0.0.1.
# Each fault must end with a clear message and the right exit code.
. "$(dirname "$0")/lib.sh"
need curl
[[ -x $PY ]] || skip "$PY not installed"

layout=$T/layout
"$NFD_TOP_SRCDIR/examples/make-oci-layout.sh" "$layout" >/dev/null
$PY "$NFD_TOP_SRCDIR/tests/oci/fake-registry.py" "$layout" "$T/port" 120 2>"$T/fake.log" &
PIDS+=($!)
for _ in $(seq 100); do [[ -s $T/port ]] && break; sleep 0.1; done
[[ -s $T/port ]] || { echo "fake registry did not start"; cat "$T/fake.log"; exit 1; }
R=127.0.0.1:$(cat "$T/port")
wait_http "http://$R/v2/"
F=("$OCI_FETCH" --plain-http --platform linux/amd64 --registry-timeout 5)

# fetch MODE WANT-EXIT DESCRIPTION [extra flags]
fetch() {
	local mode=$1 want=$2 what=$3
	shift 3
	expect "$want" "$mode: $what" -- "${F[@]}" "$@" "$R/$mode/app:v1"
	# a failed fetch hands nothing on: no partial or unverified spec
	if [[ $want != 0 && -s $T/out ]]; then fail "$mode: output despite the error"; fi
}

fetch ok 0 "referrers API, server-side filter"
grep -q '^# artifact: newest' "$T/out" && pass "ok: newest created wins" || fail "ok: chose $(head -1 "$T/out")"
expect 0 "ok: by digest" -- "${F[@]}" "$R/ok/app@$($PY -c 'import json,sys
print([m["digest"] for m in json.load(open(sys.argv[1]))["manifests"] if "artifactType" not in m][0])' "$layout/index.json")"
grep -q '^# artifact: newest' "$T/out" && pass "ok: by digest finds the index's artifact" || fail "ok: by digest"
fetch ok 0 "platform manifest's own artifact" --platform linux/arm64
grep -q '^# artifact: arm64' "$T/out" && pass "ok: arm64 artifact preferred over the index's" || fail "ok: arm64 chose $(head -1 "$T/out")"
fetch ok 0 "platform names are normalised" --platform linux/aarch64
grep -q '^# artifact: arm64' "$T/out" && pass "ok: aarch64 = arm64" || fail "ok: aarch64"
fetch ok 3 "no manifest for the platform" --platform linux/s390x
expect_err 'no manifest for platform linux/s390x'
fetch paged 0 "paginated, unfiltered referrers"
grep -q '^# artifact: newest' "$T/out" && pass "paged: other artifact types skipped, newest wins" || fail "paged: chose $(head -1 "$T/out")"
fetch tie 0 "equal created times"
win=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/tie/app/manifests/winner" |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
if curl -s "http://$R/v2/tie/app/blobs/$win" | cmp -s - "$T/out"; then pass "tie: highest digest wins"; else fail "tie: wrong artifact"; fi
fetch fallback 0 "no referrers API: sha256-<hex> tag schema"
grep -q '^# artifact: newest' "$T/out" && pass "fallback: newest wins" || fail "fallback: chose $(head -1 "$T/out")"
fetch wrongct 0 "referrers with a non-index Content-Type: tag schema"
fetch none 3 "no artifact"
expect_err 'no compatibility artifact attached'
fetch nameunknown 3 "referrers NAME_UNKNOWN"
expect_err 'repository not found.*NAME_UNKNOWN'
fetch missing 3 "image not found"
expect_err 'HTTP 404: MANIFEST_UNKNOWN'
fetch e401 4 "401 without credentials"
expect_err 'wants a username and password'
fetch e500 3 "HTTP 500"
expect_err 'HTTP 500'
fetch busy 0 "503 twice per request, then success (retried)"
grep -q '^# artifact: newest' "$T/out" && pass "busy: right artifact after retries" || fail "busy: chose $(head -1 "$T/out")"
fetch throttled 3 "429 every time: bounded retries, then an error"
expect_err 'HTTP 429: TOOMANYREQUESTS'
fetch baddigest 3 "spec blob digest mismatch"
expect_err 'digest mismatch'
fetch badmanifest 3 "artifact manifest digest mismatch"
expect_err 'digest mismatch'
fetch oversize 3 "spec blob over 4 MiB"
expect_err 'over the 4 MiB limit for blobs'
fetch bigdesc 3 "spec descriptor over the limit"
expect_err 'spec layer: 5 MiB is over the 4 MiB limit for spec blobs'
fetch ok 3 "--max-spec-size smaller than the spec" --max-spec-size 16
expect_err 'over the 16 bytes limit for spec blobs'
fetch wrongmedia 3 "spec layer of another media type"
expect_err 'no layer of media type application/vnd.nfd.image-compatibility.spec.v1alpha1\+yaml'
fetch truncated 3 "truncated body"
expect_err 'transfer closed|partial|end of response|Transferred a partial file'
fetch loop 3 "redirect loop"
expect_err 'more than 5 redirects'
start=$(date +%s)
fetch stall 3 "stalled server" --registry-timeout 1
expect_err 'timed out|Timeout'
(($(date +%s) - start <= 5)) && pass "stall: gave up within the timeout" || fail "stall: took too long"
fetch chunked 0 "every body chunked"
grep -q '^# artifact: newest' "$T/out" && pass "chunked: newest wins" || fail "chunked: chose $(head -1 "$T/out")"
fetch garbage 3 "malformed status line"
expect_err 'malformed response: bad status line'
fetch hugeheaders 3 "header section over the limit"
expect_err 'response header section is over the 64 KiB limit'
fetch badchunk 3 "invalid chunk size"
expect_err 'malformed response: bad chunk size line'
start=$(date +%s)
fetch early 3 "body shorter than its Content-Length, connection kept open" --registry-timeout 1
expect_err 'timed out after 1000 ms'
(($(date +%s) - start <= 5)) && pass "early: gave up within the timeout" || fail "early: took too long"
fetch xorigin 4 "Basic auth required, no credentials"
printf '%s\n' nfd-secret >"$T/pw"
"${F[@]}" --registry-username nfduser --registry-password-stdin "$R/xorigin/app:v1" <"$T/pw" >"$T/out" 2>"$T/err"
rc=$?
if [[ $rc -eq 0 ]] && grep -q '^# artifact: faulty' "$T/out"; then
	pass "xorigin: redirect to another origin followed without the credentials"
else
	fail "xorigin: exit $rc"; sed 's/^/    /' "$T/err"
fi
grep -q nfd-secret "$T/err" && fail "the password appears in messages" || pass "password not in messages"
printf 'wrong\n' >"$T/pw"
"${F[@]}" --registry-username nfduser --registry-password-stdin "$R/xorigin/app:v1" <"$T/pw" >"$T/out" 2>"$T/err"
[[ $? -eq 4 ]] && pass "xorigin: wrong password exits 4" || fail "xorigin: wrong password"

# attach through the referrers API: OCI-Subject means no tag-schema index
if "$NFD_BIN" compat attach --help >/dev/null 2>&1; then
	printf 'version: v1alpha1\ncompatibilities:\n- description: pushed\n  rules: []\n' >"$T/spec.yaml"
	expect 0 "attach with the referrers API" -- "$NFD_BIN" compat attach --plain-http \
		--image "$R/ok/app:v1" "$T/spec.yaml"
	art=$(cat "$T/out")
	expect 0 "fetch after attach" -- "${F[@]}" "$R/ok/app:v1"
	cmp -s "$T/out" "$T/spec.yaml" && pass "the attached spec is the newest" || fail "fetched another spec"
	curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$R/v2/ok/app/manifests/$art" |
		$PY -c 'import json,sys; m=json.load(sys.stdin); assert m["artifactType"]=="application/vnd.nfd.image-compatibility.v1alpha1" and m["subject"]["digest"]' &&
		pass "artifact manifest has artifactType and subject" || fail "artifact manifest"
	expect 3 "attach to a missing image" -- "$NFD_BIN" compat attach --plain-http \
		--image "$R/missing/app:v1" "$T/spec.yaml"
	printf 'version: v1alpha1\ncompatibilities: [\n' >"$T/bad.yaml"
	expect 2 "attach an invalid spec" -- "$NFD_BIN" compat attach --plain-http \
		--image "$R/ok/app:v1" "$T/bad.yaml"
else
	fail "nfd compat attach is not available"
fi
finish
