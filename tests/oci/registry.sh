#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# End to end against a real registry: Debian's docker-registry (distribution
# 2.8, no referrers API, so the sha256-<hex> tag schema) on 127.0.0.1 —
# anonymous, basic auth (htpasswd), TLS with a test CA made here by openssl,
# and bearer tokens from tests/oci/token-server.py.  Image pushed with curl,
# spec attached with `nfd compat attach`, checked with
# `nfd compat validate-node --image`.
. "$(dirname "$0")/lib.sh"
[[ -n ${REGISTRY:-} && $REGISTRY != no && -x $REGISTRY ]] || skip "docker-registry not installed"
need curl openssl htpasswd
[[ -x $PY ]] || skip "$PY not installed"

FIX=$NFD_TOP_SRCDIR/tests/oci/fixtures
GOOD=$FIX/compatible.yaml
BAD=$FIX/incompatible.yaml
img=$T/image
image_layout "$img"
index=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$img/index.json")

have_validate=0
"$NFD_BIN" compat validate-node --help >/dev/null 2>&1 && have_validate=1
[[ $have_validate == 1 ]] || echo "# nfd compat validate-node missing: checking with oci-fetch only"

# validate WANT-EXIT DESCRIPTION REF [flags]: evaluate the attached spec
# against the fixture node; WANT is 0 (compatible) or 1 (incompatible)
validate() {
	local want=$1 what=$2 ref=$3
	shift 3
	if [[ $have_validate == 1 ]]; then
		expect "$want" "$what: validate-node" -- "$NFD_BIN" compat validate-node --image "$ref" \
			--features "$FIX/features.json" --output-json "$@"
		[[ $want -gt 1 ]] || $PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" ||
			fail "$what: --output-json is not JSON"
	else
		local spec=$GOOD
		[[ $want == 1 ]] && spec=$BAD
		expect $((want > 1 ? want : 0)) "$what: fetch" -- "$OCI_FETCH" "$@" "$ref"
		[[ $want -gt 1 ]] || cmp -s "$T/out" "$spec" || fail "$what: fetched another spec"
	fi
}

attach() { "$NFD_BIN" compat attach "$@" 2>"$T/err" </dev/null; }

# ------------------------------------------------------------ anonymous, http
start_registry plain
wait_http "http://$REG/v2/"
push_layout "http://$REG" demo/app "$img" v1 || { fail "push image"; finish; }
pass "image pushed with curl"

# nothing attached yet: its own exit code (5), not the fetch errors' 3
if [[ $have_validate == 1 ]]; then
	expect 5 "no artifact: validate-node exits 5" -- "$NFD_BIN" compat validate-node --plain-http \
		--image "$REG/demo/app:v1" --features "$FIX/features.json"
	expect_err 'no compatibility artifact attached'
	expect 0 "no artifact: --allow-missing is compatible" -- "$NFD_BIN" compat validate-node \
		--plain-http --allow-missing --image "$REG/demo/app:v1" --features "$FIX/features.json"
	grep -q 'No compatibility artifact attached' "$T/out" && pass "--allow-missing says why" ||
		fail "--allow-missing printed: $(cat "$T/out")"
	expect 3 "image not found is 3, not 5" -- "$NFD_BIN" compat validate-node --plain-http \
		--allow-missing --image "$REG/demo/none:v1" --features "$FIX/features.json"
	expect 0 "compat list: nothing attached" -- "$NFD_BIN" compat list --plain-http --image "$REG/demo/app:v1"
	grep -q 'No compatibility artifact attached' "$T/out" && pass "compat list says none" ||
		fail "compat list printed: $(cat "$T/out")"
	expect 5 "compat show: nothing attached" -- "$NFD_BIN" compat show --plain-http --image "$REG/demo/app:v1"
fi
# the LIBNFD_1.0 call keeps ENOENT (exit 3) for a missing artifact
expect 3 "no artifact: nfd_oci_fetch_spec_data() still says ENOENT" -- "$OCI_FETCH" --plain-http "$REG/demo/app:v1"

expect 0 "attach" -- "$NFD_BIN" compat attach --plain-http --image "$REG/demo/app:v1" "$GOOD"
art=$(cat "$T/out")
[[ $art =~ ^sha256:[0-9a-f]{64}$ ]] && pass "attach prints the digest" || fail "attach printed '$art'"
curl -s "http://$REG/v2/demo/app/tags/list" | grep -q "sha256-${index#sha256:}" &&
	pass "tag-schema index created" || fail "no sha256-<hex> tag"
validate 0 "by tag" "$REG/demo/app:v1" --plain-http
validate 0 "by digest" "$REG/demo/app@$index" --plain-http
validate 0 "tag and digest (digest wins)" "$REG/demo/app:nosuchtag@$index" --plain-http
expect 3 "without --plain-http (https to an http server)" -- "$OCI_FETCH" "$REG/demo/app:v1"
expect 3 "unknown tag" -- "$OCI_FETCH" --plain-http "$REG/demo/app:nope"
expect_err 'MANIFEST_UNKNOWN'
expect 2 "invalid reference" -- "$OCI_FETCH" --plain-http "$REG/Demo/App:v1"

# a second, newer artifact wins; the index keeps both, the old one is deleted
old_idx=$(curl -s -o /dev/null -D - -H 'Accept: application/vnd.oci.image.index.v1+json' \
	"http://$REG/v2/demo/app/manifests/sha256-${index#sha256:}" | awk 'tolower($1)=="docker-content-digest:"{print $2}' | tr -d '\r')
expect 0 "attach a second spec" -- "$NFD_BIN" compat attach --plain-http --image "$REG/demo/app:v1" "$BAD"
art2=$(cat "$T/out")
validate 1 "newest artifact wins" "$REG/demo/app:v1" --plain-http
n=$(curl -s -H 'Accept: application/vnd.oci.image.index.v1+json' \
	"http://$REG/v2/demo/app/manifests/sha256-${index#sha256:}" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["manifests"]))')
[[ $n == 2 ]] && pass "tag-schema index lists both artifacts" || fail "index lists $n artifacts"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
	"http://$REG/v2/demo/app/manifests/$old_idx")
[[ $code == 404 ]] && pass "old referrers index deleted" || fail "old index still there ($code)"

# multi-platform: an artifact on the arm64 manifest only
expect 0 "attach to linux/arm64" -- "$NFD_BIN" compat attach --plain-http --platform linux/arm64 \
	--image "$REG/demo/app:v1" "$GOOD"
validate 0 "platform manifest's artifact" "$REG/demo/app:v1" --plain-http --platform linux/arm64
validate 1 "amd64 falls back to the index's artifact" "$REG/demo/app:v1" --plain-http --platform linux/amd64
expect 3 "platform absent from the index" -- "$OCI_FETCH" --plain-http --platform linux/riscv64 "$REG/demo/app:v1"
expect_err 'no manifest for platform linux/riscv64'
if [[ $have_validate == 1 ]]; then
	# what is attached: list, show, the digests in the text output, remove
	expect 0 "compat list --json" -- "$NFD_BIN" compat list --plain-http --platform linux/amd64 \
		--json --image "$REG/demo/app:v1"
	$PY - "$T/out" "$art" "$art2" "$index" <<'PY' && pass "compat list: both index artifacts, newest chosen" || fail "compat list --json: $(cat "$T/out")"
import json, sys
l = json.load(open(sys.argv[1]))
assert [e["digest"] for e in l] == [sys.argv[3], sys.argv[2]], l
assert [e["chosen"] for e in l] == [True, False], l
assert all(e["subject"] == sys.argv[4] and e["size"] > 0 and e["created"] for e in l), l
PY
	expect 0 "compat list (arm64)" -- "$NFD_BIN" compat list --plain-http --platform linux/arm64 \
		--image "$REG/demo/app:v1"
	[[ $(grep -c '^\* sha256:' "$T/out") == 1 && $(grep -c ' sha256:' "$T/out") == 3 ]] &&
		pass "compat list: the platform's artifact is marked, the index's listed" ||
		fail "compat list (arm64): $(cat "$T/out")"
	expect 0 "compat show" -- "$NFD_BIN" compat show --plain-http --platform linux/amd64 --image "$REG/demo/app:v1"
	cmp -s "$T/out" "$BAD" && pass "compat show prints the newest spec" || fail "compat show printed another spec"
	expect 0 "compat show --digest" -- "$NFD_BIN" compat show --plain-http --platform linux/amd64 \
		--digest "$art" -v --image "$REG/demo/app:v1"
	cmp -s "$T/out" "$GOOD" && pass "compat show --digest prints that spec" || fail "compat show --digest"
	expect_err "compatibility artifact $art"
	expect 5 "compat show --digest of a non-artifact" -- "$NFD_BIN" compat show --plain-http \
		--digest "$index" --image "$REG/demo/app:v1"
	expect 1 "validate-node text output" -- "$NFD_BIN" compat validate-node --plain-http \
		--platform linux/amd64 --image "$REG/demo/app:v1" --features "$FIX/features.json"
	grep -q "^Image $REG/demo/app:v1: manifest sha256:[0-9a-f]\{64\} (index $index), compatibility artifact $art2" "$T/out" &&
		pass "text output names the manifest and artifact digests" || fail "text output: $(head -3 "$T/out")"
	expect 1 "validate-node --verbose" -- "$NFD_BIN" compat validate-node --plain-http --verbose \
		--platform linux/amd64 --image "$REG/demo/app:v1" --features "$FIX/features.json" --output-json
	expect_err "^nfd: Image $REG/demo/app:v1: manifest sha256:.*compatibility artifact $art2"
	grep -q '^Image' "$T/out" && fail "--output-json gained a line" || pass "--output-json stays NFD's"
	expect 0 "compat remove --digest" -- "$NFD_BIN" compat remove --plain-http --platform linux/amd64 \
		--digest "$art" --image "$REG/demo/app:v1"
	[[ $(cat "$T/out") == "$art" ]] && pass "compat remove prints the digest" || fail "remove printed $(cat "$T/out")"
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"http://$REG/v2/demo/app/manifests/$art")
	[[ $code == 404 ]] && pass "removed artifact manifest is gone" || fail "artifact still there ($code)"
	n=$(curl -s -H 'Accept: application/vnd.oci.image.index.v1+json' \
		"http://$REG/v2/demo/app/manifests/sha256-${index#sha256:}" | $PY -c 'import json,sys; print([m["digest"] for m in json.load(sys.stdin)["manifests"]])')
	[[ $n == "['$art2']" ]] && pass "tag-schema index updated" || fail "index lists $n"
	expect 0 "compat remove (the newest)" -- "$NFD_BIN" compat remove --plain-http --platform linux/amd64 \
		--image "$REG/demo/app:v1"
	[[ $(cat "$T/out") == "$art2" ]] && pass "compat remove took the newest" || fail "removed $(cat "$T/out")"
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
		"http://$REG/v2/demo/app/manifests/sha256-${index#sha256:}")
	[[ $code == 404 ]] && pass "empty tag-schema index deleted" || fail "empty index still there ($code)"
	expect 5 "after remove: no artifact" -- "$NFD_BIN" compat validate-node --plain-http \
		--platform linux/amd64 --image "$REG/demo/app:v1" --features "$FIX/features.json"
	expect 5 "compat remove: nothing left" -- "$NFD_BIN" compat remove --plain-http \
		--platform linux/amd64 --image "$REG/demo/app:v1"
	expect 2 "compat remove from a layout" -- "$NFD_BIN" compat remove --image "oci:$img:v1"
	expect_err 'not supported'
fi
expect 3 "attach to a missing image" -- "$NFD_BIN" compat attach --plain-http --image "$REG/demo/none:v1" "$GOOD"
expect 2 "attach an invalid spec" -- "$NFD_BIN" compat attach --plain-http --image "$REG/demo/app:v1" \
	"$FIX/invalid.yaml"
expect 3 "nothing listens" -- "$OCI_FETCH" --plain-http "127.0.0.1:$(free_port)/demo/app:v1"

# ------------------------------------------------------------ basic auth
htpasswd -Bbn nfduser 'pa:ss w0rd' >"$T/htpasswd" 2>/dev/null
start_registry basic "auth: {htpasswd: {realm: nfd-test, path: $T/htpasswd}}"
wait_http "http://$REG/v2/"
push_layout "http://$REG" demo/app "$img" v1 -u 'nfduser:pa:ss w0rd' || fail "push image (basic)"
printf 'pa:ss w0rd\n' >"$T/pw"
"$NFD_BIN" compat attach --plain-http --registry-username nfduser --registry-password-stdin \
	--image "$REG/demo/app:v1" "$GOOD" <"$T/pw" >"$T/out" 2>"$T/err" &&
	pass "basic: attach with --registry-password-stdin" || { fail "basic: attach"; cat "$T/err"; }
expect 4 "basic: anonymous" -- "$OCI_FETCH" --plain-http "$REG/demo/app:v1"
"$OCI_FETCH" --plain-http --registry-username nfduser --registry-password-stdin "$REG/demo/app:v1" \
	<"$T/pw" >"$T/out" 2>"$T/err" && cmp -s "$T/out" "$GOOD" && pass "basic: fetch with a password" ||
	fail "basic: fetch with a password"
printf 'wrong\n' | "$OCI_FETCH" --plain-http --registry-username nfduser --registry-password-stdin \
	"$REG/demo/app:v1" >/dev/null 2>"$T/err"
[[ $? == 4 ]] && pass "basic: wrong password exits 4" || fail "basic: wrong password"
grep -q 'pa:ss' "$T/err" && fail "basic: password in a message" || pass "basic: password not in messages"
auth=$(printf '%s' 'nfduser:pa:ss w0rd' | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG" "$auth" >"$T/auth.json"
validate 0 "basic: --authfile" "$REG/demo/app:v1" --plain-http --authfile "$T/auth.json"
printf '{"auths":{"http://%s/v2/":{"username":"nfduser","password":"pa:ss w0rd"}},"credsStore":"none"}' "$REG" >"$T/auth2.json"
REGISTRY_AUTH_FILE=$T/auth2.json expect 0 "basic: \$REGISTRY_AUTH_FILE, URL key, username/password" -- \
	"$OCI_FETCH" --plain-http "$REG/demo/app:v1"
mkdir -p "$T/home/.docker"
cp "$T/auth.json" "$T/home/.docker/config.json"
HOME=$T/home XDG_RUNTIME_DIR=$T/nonexistent expect 0 "basic: ~/.docker/config.json" -- \
	"$OCI_FETCH" --plain-http "$REG/demo/app:v1"
# docker credential helpers: credHelpers for the registry, credsStore
mkdir -p "$T/bin"
cat >"$T/bin/docker-credential-nfdtest" <<'SH'
#!/bin/sh
[ "$1" = get ] || exit 2
server=$(cat)
echo "$server" >>"$NFDTEST_LOG"
if [ "$server" = "$NFDTEST_SERVER" ]; then
	printf '{"ServerURL":"%s","Username":"nfduser","Secret":"pa:ss w0rd"}\n' "$server"
else
	echo "credentials not found in native keychain"
	exit 1
fi
SH
chmod +x "$T/bin/docker-credential-nfdtest"
export NFDTEST_LOG=$T/helper.log
printf '{"auths":{},"credHelpers":{"%s":"nfdtest"}}' "$REG" >"$T/helpers.json"
PATH=$T/bin:$PATH NFDTEST_SERVER=$REG expect 0 "basic: credHelpers runs docker-credential-nfdtest get" -- \
	"$OCI_FETCH" --plain-http --authfile "$T/helpers.json" "$REG/demo/app:v1"
grep -qx "$REG" "$T/helper.log" && pass "the helper was asked for $REG" || fail "helper log: $(cat "$T/helper.log")"
printf '{"auths":{"%s":{}},"credsStore":"nfdtest"}' "$REG" >"$T/store.json"
PATH=$T/bin:$PATH NFDTEST_SERVER=$REG expect 0 "basic: credsStore" -- \
	"$OCI_FETCH" --plain-http --authfile "$T/store.json" "$REG/demo/app:v1"
printf '{"auths":{"%s":{"auth":"%s"}},"credsStore":"nfdtest"}' "$REG" "$auth" >"$T/store2.json"
PATH=$T/bin:$PATH NFDTEST_SERVER=elsewhere expect 0 "basic: the store has none: the auths entry" -- \
	"$OCI_FETCH" --plain-http --authfile "$T/store2.json" "$REG/demo/app:v1"
PATH=$T/bin:$PATH NFDTEST_SERVER=elsewhere expect 4 "basic: the store has none, no auths entry" -- \
	"$OCI_FETCH" --plain-http --authfile "$T/store.json" "$REG/demo/app:v1"
printf '{"auths":{},"credHelpers":{"%s":"nfd-no-such-helper"}}' "$REG" >"$T/nohelper.json"
expect 4 "basic: the registry's credential helper is not installed" -- \
	"$OCI_FETCH" --plain-http --authfile "$T/nohelper.json" "$REG/demo/app:v1"
expect_err 'docker-credential-nfd-no-such-helper .*not found in \$PATH'
printf '{"auths":{"%s":{"auth":"%s"}},"credsStore":"nfd-no-such-helper"}' "$REG" "$auth" >"$T/nohelper2.json"
expect 0 "basic: a credsStore that is not installed: the auths entry" -- \
	"$OCI_FETCH" --plain-http --authfile "$T/nohelper2.json" "$REG/demo/app:v1"
grep -q 'pa:ss' "$T/err" && fail "helper secret in a message" || pass "helper secret not in messages"
printf 'a-token\n' | "$OCI_FETCH" --plain-http --registry-token-stdin "$REG/demo/app:v1" >/dev/null 2>"$T/err"
[[ $? == 4 ]] && pass "basic: a token cannot answer a Basic challenge (exit 4)" || fail "basic: token"

# ------------------------------------------------------------ TLS, test CA
make_test_tls
start_registry tls "$(printf '  tls: {certificate: %s, key: %s}' "$T/tls.crt" "$T/tls.key")"
wait_http "https://$REG/v2/" --cacert "$T/ca.crt"
push_layout "https://$REG" demo/app "$img" v1 --cacert "$T/ca.crt" || fail "push image (tls)"
expect 0 "tls: attach with --ca-file" -- "$NFD_BIN" compat attach --ca-file "$T/ca.crt" \
	--image "$REG/demo/app:v1" "$GOOD"
validate 0 "tls: --ca-file" "$REG/demo/app:v1" --ca-file "$T/ca.crt"
expect 3 "tls: unknown CA refused" -- "$OCI_FETCH" "$REG/demo/app:v1"
expect_err 'certificate'
mkdir -p "$T/certs.d/$REG" && cp "$T/ca.crt" "$T/certs.d/$REG/ca.crt"
NFD_REGISTRY_CERTS_DIRS=$T/none:$T/certs.d expect 0 "tls: certs.d/<host:port>/*.crt" -- "$OCI_FETCH" "$REG/demo/app:v1"
SSL_CERT_FILE=$T/ca.crt expect 0 "tls: \$SSL_CERT_FILE names the CA bundle" -- "$OCI_FETCH" "$REG/demo/app:v1"
expect 3 "tls: --plain-http to an https server" -- "$OCI_FETCH" --plain-http "$REG/demo/app:v1"

# ------------------------------------------------------------ bearer tokens
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tok.key" -out "$T/tok.crt" -days 2 \
	-subj '/CN=nfd test token issuer' >/dev/null 2>&1
$PY "$NFD_TOP_SRCDIR/tests/oci/token-server.py" "$T/tport" "$T/tok.key" "$T/tok.crt" \
	'nfduser:tokpass' nfd-test-issuer 300 2>"$T/token.log" &
PIDS+=($!)
for _ in $(seq 100); do [[ -s $T/tport ]] && break; sleep 0.1; done
TOK=127.0.0.1:$(cat "$T/tport")
start_registry token "$(printf 'auth:\n  token: {realm: "http://%s/token", service: nfd-test, issuer: nfd-test-issuer, rootcertbundle: %s}' "$TOK" "$T/tok.crt")"
wait_http "http://$REG/v2/"
push_token=$(curl -s -u nfduser:tokpass "http://$TOK/token?service=nfd-test&scope=repository:demo/app:pull,push" |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["token"])')
push_layout "http://$REG" demo/app "$img" v1 -H "Authorization: Bearer $push_token" || fail "push image (token)"
printf 'tokpass\n' >"$T/pw"
"$NFD_BIN" compat attach --plain-http --registry-username nfduser --registry-password-stdin \
	--image "$REG/demo/app:v1" "$GOOD" <"$T/pw" >"$T/out" 2>"$T/err" &&
	pass "token: attach (token endpoint, pull+push scope)" || { fail "token: attach"; cat "$T/err"; }
"$OCI_FETCH" --plain-http --registry-username nfduser --registry-password-stdin "$REG/demo/app:v1" \
	<"$T/pw" >"$T/out" 2>"$T/err" && cmp -s "$T/out" "$GOOD" && pass "token: fetch with a password" ||
	{ fail "token: fetch with a password"; cat "$T/err"; }
expect 4 "token: anonymous token lacks access" -- "$OCI_FETCH" --plain-http "$REG/demo/app:v1"
expect_err "no credentials for $REG"
printf 'wrong\n' | "$OCI_FETCH" --plain-http --registry-username nfduser --registry-password-stdin \
	"$REG/demo/app:v1" >/dev/null 2>"$T/err"
[[ $? == 4 ]] && pass "token: wrong password exits 4" || fail "token: wrong password"
pull_token=$(curl -s -u nfduser:tokpass "http://$TOK/token?service=nfd-test&scope=repository:demo/app:pull" |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["token"])')
printf '%s\n' "$pull_token" >"$T/tok"
if [[ $have_validate == 1 ]]; then
	"$NFD_BIN" compat validate-node --plain-http --registry-token-stdin --image "$REG/demo/app:v1" \
		--features "$FIX/features.json" --output-json <"$T/tok" >"$T/out" 2>"$T/err"
	[[ $? == 0 ]] && pass "token: validate-node --registry-token-stdin" || { fail "token: --registry-token-stdin"; cat "$T/err"; }
else
	"$OCI_FETCH" --plain-http --registry-token-stdin "$REG/demo/app:v1" <"$T/tok" >"$T/out" 2>"$T/err" &&
		pass "token: --registry-token-stdin" || { fail "token: --registry-token-stdin"; cat "$T/err"; }
fi
grep -q "$pull_token" "$T/err" && fail "token in a message" || pass "token not in messages"
# docker login's identity token (an OAuth2 refresh token) in an auth file
printf '{"auths":{"%s":{"auth":"%s","identitytoken":"refresh-tokpass"}}}' "$REG" \
	"$(printf '<token>:' | base64 -w0)" >"$T/id.json"
validate 0 "token: identity token from an auth file (OAuth2)" "$REG/demo/app:v1" --plain-http --authfile "$T/id.json"
printf '{"auths":{"%s":{"identitytoken":"refresh-wrong"}}}' "$REG" >"$T/id2.json"
expect 4 "token: a refused identity token" -- "$OCI_FETCH" --plain-http --authfile "$T/id2.json" "$REG/demo/app:v1"
expect_err 'refused the identity token'
grep -q 'refresh-' "$T/err" && fail "identity token in a message" || pass "identity token not in messages"
finish
