#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The registry client through a real HTTP proxy (Debian's tinyproxy, on a
# loopback port with its own configuration, stopped by PID): http
# registries in the absolute form, https ones through a CONNECT tunnel,
# proxy credentials from the proxy URL, the variables curl reads
# (http_proxy lower case only, https_proxy/HTTPS_PROXY, all_proxy/ALL_PROXY)
# and no_proxy/NO_PROXY bypasses.  doc/http.md.
. "$(dirname "$0")/lib.sh"
[[ -n ${REGISTRY:-} && $REGISTRY != no && -x $REGISTRY ]] || skip "docker-registry not installed"
need curl openssl tinyproxy htpasswd
[[ -x $PY ]] || skip "$PY not installed"
unset no_proxy NO_PROXY

GOOD=$NFD_TOP_SRCDIR/tests/oci/fixtures/compatible.yaml
img=$T/image
image_layout "$img"

# ---------------------------------------------------------------- registries
start_registry plain
PLAIN=$REG
wait_http "http://$PLAIN/v2/"
push_layout "http://$PLAIN" demo/app "$img" v1 || { fail "push image"; finish; }
"$NFD_BIN" compat attach --plain-http --image "$PLAIN/demo/app:v1" "$GOOD" >/dev/null 2>&1 ||
	fail "attach (plain)"

make_test_tls
start_registry tls "$(printf '  tls: {certificate: %s, key: %s}' "$T/tls.crt" "$T/tls.key")"
TLS=$REG
wait_http "https://$TLS/v2/" --cacert "$T/ca.crt"
push_layout "https://$TLS" demo/app "$img" v1 --cacert "$T/ca.crt" || fail "push image (tls)"
"$NFD_BIN" compat attach --ca-file "$T/ca.crt" --image "$TLS/demo/app:v1" "$GOOD" >/dev/null 2>&1 ||
	fail "attach (tls)"

# the TLS registry again, with Basic auth: what must the proxy never see
htpasswd -Bbn nfduser reg-s3cret >"$T/htpasswd" 2>/dev/null
start_registry tlsauth "$(printf '  tls: {certificate: %s, key: %s}\nauth: {htpasswd: {realm: nfd-test, path: %s}}' \
	"$T/tls.crt" "$T/tls.key" "$T/htpasswd")"
TLSAUTH=$REG
wait_http "https://$TLSAUTH/v2/" --cacert "$T/ca.crt"
push_layout "https://$TLSAUTH" demo/app "$img" v1 --cacert "$T/ca.crt" -u nfduser:reg-s3cret ||
	fail "push image (tls, auth)"
printf 'reg-s3cret\n' >"$T/pw"
"$NFD_BIN" compat attach --ca-file "$T/ca.crt" --registry-username nfduser \
	--registry-password-stdin --image "$TLSAUTH/demo/app:v1" "$GOOD" <"$T/pw" >/dev/null 2>&1 ||
	fail "attach (tls, auth)"

# ---------------------------------------------------------------- proxies
# start_proxy NAME [extra config]: tinyproxy in the foreground; sets PROXY (host:port)
start_proxy() {
	local name=$1 extra=${2:-} port
	port=$(free_port)
	cat >"$T/$name.conf" <<CONF
Port $port
Listen 127.0.0.1
Timeout 30
LogFile "$T/$name.log"
LogLevel Connect
MaxClients 20
Allow 127.0.0.1
DisableViaHeader Yes
$extra
CONF
	tinyproxy -d -c "$T/$name.conf" >"$T/$name.out" 2>&1 &
	PIDS+=($!)
	PROXY=127.0.0.1:$port
	wait_http "http://$PLAIN/v2/" -x "http://$PROXY" --proxy-user nfdproxy:p-ss ||
		{ fail "tinyproxy $name did not start"; cat "$T/$name.out"; finish; }
}
start_proxy open
OPEN=$PROXY
start_proxy auth "BasicAuth nfdproxy p-ss"
AUTH=$PROXY
DEAD=127.0.0.1:$(free_port)

# fetch WANT DESCRIPTION ENV... -- FLAGS... REF: oci-fetch with the variables set
fetch() {
	local want=$1 what=$2
	shift 2
	local envs=()
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	expect "$want" "$what" -- env "${envs[@]}" "$OCI_FETCH" "$@"
	if [[ $want == 0 ]]; then cmp -s "$T/out" "$GOOD" || fail "$what: fetched another spec"; fi
}
# the proxy's log holds a request line matching the pattern
proxied() {
	local log=$1 pattern=$2 what=$3
	if grep -Eq -- "$pattern" "$log"; then pass "$what"; else
		fail "$what: no /$pattern/ in the proxy's log"; tail -5 "$log" | sed 's/^/    /'; fi
}

fetch 0 "http registry through http_proxy" http_proxy="http://$OPEN" -- --plain-http \
	"$PLAIN/demo/app:v1"
proxied "$T/open.log" "Request .*: GET http://$PLAIN/v2/demo/app/manifests/v1 HTTP/1.1" \
	"http: absolute-form request seen by the proxy"
fetch 0 "https registry through https_proxy (CONNECT)" https_proxy="http://$OPEN" -- \
	--ca-file "$T/ca.crt" "$TLS/demo/app:v1"
proxied "$T/open.log" "Request .*: CONNECT $TLS HTTP/1.1" "https: CONNECT tunnel seen by the proxy"
if grep -q "GET https://$TLS" "$T/open.log"; then fail "https request sent in the clear"; else
	pass "https: nothing in the clear"; fi
before=$(grep -c CONNECT "$T/open.log")
fetch 0 "HTTPS_PROXY (upper case)" HTTPS_PROXY="http://$OPEN" -- --ca-file "$T/ca.crt" \
	"$TLS/demo/app:v1"
fetch 0 "all_proxy, no scheme (http:// implied)" all_proxy="$OPEN" -- --ca-file "$T/ca.crt" \
	"$TLS/demo/app:v1"
fetch 0 "ALL_PROXY for http" ALL_PROXY="http://$OPEN" -- --plain-http "$PLAIN/demo/app:v1"
(($(grep -c CONNECT "$T/open.log") >= before + 2)) && pass "HTTPS_PROXY, all_proxy used" ||
	fail "HTTPS_PROXY or all_proxy not used"
if "$NFD_BIN" compat validate-node --help >/dev/null 2>&1; then
	expect 0 "validate-node through the proxy" -- env https_proxy="http://$OPEN" \
		"$NFD_BIN" compat validate-node --image "$TLS/demo/app:v1" --ca-file "$T/ca.crt" \
		--features "$NFD_TOP_SRCDIR/tests/oci/fixtures/features.json"
fi

# a proxy that is down: used, so the request fails, unless no_proxy matches
fetch 3 "a dead proxy is not bypassed" https_proxy="http://$DEAD" -- --ca-file "$T/ca.crt" \
	"$TLS/demo/app:v1"
expect_err "could not connect to proxy 127.0.0.1 port"
fetch 0 "no_proxy=127.0.0.1 bypasses it" https_proxy="http://$DEAD" no_proxy=127.0.0.1 -- \
	--ca-file "$T/ca.crt" "$TLS/demo/app:v1"
fetch 0 "NO_PROXY=localhost,127.0.0.0/8 bypasses it" http_proxy="http://$DEAD" \
	NO_PROXY=localhost,127.0.0.0/8 -- --plain-http "$PLAIN/demo/app:v1"
fetch 0 "no_proxy=* bypasses it" all_proxy="http://$DEAD" no_proxy='*' -- --plain-http \
	"$PLAIN/demo/app:v1"
fetch 0 "no_proxy with the registry's port bypasses it" https_proxy="http://$DEAD" \
	no_proxy="$TLS" -- --ca-file "$T/ca.crt" "$TLS/demo/app:v1"
fetch 3 "no_proxy with another port does not" https_proxy="http://$DEAD" \
	no_proxy="127.0.0.1:1" -- --ca-file "$T/ca.crt" "$TLS/demo/app:v1"
fetch 3 "no_proxy for another host does not" https_proxy="http://$DEAD" no_proxy=example.com \
	-- --ca-file "$T/ca.crt" "$TLS/demo/app:v1"
fetch 0 "HTTP_PROXY (upper case) is ignored, as curl does" HTTP_PROXY="http://$DEAD" -- \
	--plain-http "$PLAIN/demo/app:v1"
fetch 2 "socks proxies are refused" all_proxy="socks5://$OPEN" -- --plain-http \
	"$PLAIN/demo/app:v1"
expect_err "unsupported proxy URL"

# what a proxy sees of an https request with registry credentials: the
# CONNECT line, Host, Proxy-Authorization, never Authorization
$PY "$NFD_TOP_SRCDIR/tests/oci/connect-recorder.py" "$T/rec.port" "$T/rec.log" 120 &
PIDS+=($!)
for _ in $(seq 100); do [[ -s $T/rec.port ]] && break; sleep 0.1; done
REC=127.0.0.1:$(cat "$T/rec.port")
printf '{"auths":{"%s":{"auth":"%s"}}}' "$TLSAUTH" "$(printf nfduser:reg-s3cret | base64 -w0)" \
	>"$T/auth.json"
fetch 0 "registry credentials through a CONNECT tunnel" https_proxy="http://px:px-pw@$REC" -- \
	--ca-file "$T/ca.crt" --authfile "$T/auth.json" "$TLSAUTH/demo/app:v1"
proxied "$T/rec.log" "^CONNECT $TLSAUTH HTTP/1.1" "CONNECT to the registry"
proxied "$T/rec.log" "^Proxy-Authorization: Basic $(printf px:px-pw | base64 -w0)" \
	"Proxy-Authorization sent to the proxy"
if grep -qi '^Authorization:' "$T/rec.log" || grep -q "$(printf nfduser:reg-s3cret | base64 -w0)" "$T/rec.log"; then
	fail "the registry's Authorization reached the proxy"
else
	pass "the registry's Authorization never reaches the proxy"
fi

# credentials from the proxy URL (percent-decoded: p%2Dss is p-ss)
fetch 0 "proxy credentials, https (CONNECT)" https_proxy="http://nfdproxy:p%2Dss@$AUTH" -- \
	--ca-file "$T/ca.crt" "$TLS/demo/app:v1"
fetch 0 "proxy credentials, http" http_proxy="http://nfdproxy:p-ss@$AUTH" -- --plain-http \
	"$PLAIN/demo/app:v1"
fetch 3 "no proxy credentials: refused" https_proxy="http://$AUTH" -- --ca-file "$T/ca.crt" \
	"$TLS/demo/app:v1"
expect_err "proxy authentication required"
fetch 3 "wrong proxy password, https" https_proxy="http://nfdproxy:wrong-pw@$AUTH" -- \
	--ca-file "$T/ca.crt" "$TLS/demo/app:v1"
expect_err "the proxy refused the tunnel to $TLS: HTTP 4"
grep -q wrong-pw "$T/err" && fail "the proxy password appears in messages" ||
	pass "proxy password not in messages"
# tinyproxy answers a wrong password with 401: in the absolute form that is
# the answer the client gets, as from the registry (curl does the same)
fetch 4 "wrong proxy password, http" http_proxy="http://nfdproxy:wrong-pw@$AUTH" -- \
	--plain-http "$PLAIN/demo/app:v1"
finish
