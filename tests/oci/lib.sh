# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers for the OCI script tests (sourced).  Everything runs on 127.0.0.1,
# every server is started by these helpers and stopped by PID on exit.

set -u

: "${NFD_TOP_SRCDIR:?run through make check}"
: "${NFD_TOP_BUILDDIR:?run through make check}"
NFD_BIN=${NFD_BIN:-$NFD_TOP_BUILDDIR/tools/nfd}
OCI_FETCH=${OCI_FETCH:-$NFD_TOP_BUILDDIR/tests/oci/oci-fetch}
PY=/usr/bin/python3
# everything is on 127.0.0.1: a CI proxy must not get in the way
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# exit 77 (SKIP); NFD_NO_SKIP=1 (CI, which installs every dependency) fails instead
skip() {
	echo "SKIP: $*"
	[[ ${NFD_NO_SKIP:-0} == 1 ]] && { echo "FAIL: NFD_NO_SKIP=1 makes a skip a failure"; exit 1; }
	exit 77
}
need() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 || skip "$t not installed"; done; }

T=$(mktemp -d "${TMPDIR:-/tmp}/nfd-oci.XXXXXX")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# use_podman [podman options...]: P=(podman ...) as these VMs need it (its
# own store under $T, vfs, cgroupfs, runc, plus the options given), and an
# EXIT trap that removes its containers, images and leftover mounts before
# cleanup()
use_podman() {
	P=(podman --root "$T/storage" --runroot "$T/run" --storage-driver vfs
		--cgroup-manager cgroupfs --runtime runc "$@")
	trap podman_cleanup EXIT
}
podman_cleanup() {
	"${P[@]}" rm -af -t 0 >/dev/null 2>&1
	"${P[@]}" rmi -af >/dev/null 2>&1
	# vfs needs no mounts, but podman may leave its run directory's
	local m
	for m in $(findmnt -rn -o TARGET | grep -F "$T/" | sort -r); do umount -l "$m"; done
	cleanup
}

failures=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failures=$((failures + 1)); }
finish() { [[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }; exit 0; }

# expect CODE DESCRIPTION -- COMMAND...: run, compare the exit code
expect() {
	local want=$1 what=$2 rc
	shift 3
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [[ $rc -eq $want ]]; then
		pass "$what (exit $rc)"
	else
		fail "$what: exit $rc, wanted $want"
		sed 's/^/    /' "$T/err" | head -20
	fi
}
# the last command's stderr must match a regexp
expect_err() {
	if grep -Eq -- "$1" "$T/err"; then pass "message: $1"; else
		fail "stderr lacks /$1/:"; sed 's/^/    /' "$T/err" | head -5; fi
}

free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [curl args]: poll until the server answers (bounded: 10 s)
wait_http() {
	local url=$1
	shift
	for _ in $(seq 100); do
		curl -s -o /dev/null "$@" "$url" && return 0
		sleep 0.1
	done
	echo "server at $url did not start" >&2
	return 1
}

# make_test_tls: a test CA and a certificate for 127.0.0.1 and localhost
# signed by it, in $T (ca.crt; tls.crt and tls.key for the server); fails the
# test when openssl does
make_test_tls() {
	{
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.crt" \
			-days 2 -subj '/CN=nfd test CA' &&
			openssl req -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.csr" \
				-subj '/CN=127.0.0.1' &&
			printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$T/san.ext" &&
			openssl x509 -req -in "$T/tls.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" \
				-CAcreateserial -out "$T/tls.crt" -days 2 -extfile "$T/san.ext"
	} >/dev/null 2>&1 || fail "openssl: the test CA and server certificate"
}

# start_registry NAME [extra YAML for the top level]: docker-registry on a
# free port; sets REG (host:port) and REG_DIR
start_registry() {
	local name=$1 extra=${2:-} port
	port=$(free_port)
	REG_DIR=$T/$name
	mkdir -p "$REG_DIR/data"
	cat >"$REG_DIR/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $REG_DIR/data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
  secret: nfd-test-secret
$extra
YAML
	"$REGISTRY" serve "$REG_DIR/config.yml" >"$REG_DIR/log" 2>&1 &
	PIDS+=($!)
	REG=127.0.0.1:$port
}

# push_layout URL-BASE REPO LAYOUT TAG [curl args]: copy an OCI layout's
# blobs, then its manifests (children before indexes), then tag the entry
# named TAG.  Digests are preserved (unlike skopeo without
# --preserve-digests).
push_layout() {
	local base=$1 repo=$2 layout=$3 tag=$4
	shift 4
	local f d loc sep mt
	for f in "$layout"/blobs/sha256/*; do
		d=sha256:$(basename "$f")
		loc=$(curl -sf -o /dev/null -D - -X POST "$@" "$base/v2/$repo/blobs/uploads/" |
			awk 'tolower($1)=="location:"{print $2}' | tr -d '\r') || return 1
		case $loc in http*) ;; *) loc=$base$loc ;; esac
		sep='?'; case $loc in *\?*) sep='&' ;; esac
		curl -sf -o /dev/null -X PUT "$@" -H 'Content-Type: application/octet-stream' \
			--data-binary "@$f" "$loc${sep}digest=$d" || return 1
	done
	# manifests first, then indexes, so every reference exists when pushed
	for pass in manifest index; do
		for f in "$layout"/blobs/sha256/*; do
			mt=$($PY -c 'import json,sys
try: print(json.load(open(sys.argv[1])).get("mediaType",""))
except Exception: print("")' "$f")
			case "$pass:$mt" in
			manifest:application/vnd.oci.image.manifest.v1+json | \
			index:application/vnd.oci.image.index.v1+json) ;;
			*) continue ;;
			esac
			curl -sf -o /dev/null -X PUT "$@" -H "Content-Type: $mt" --data-binary "@$f" \
				"$base/v2/$repo/manifests/sha256:$(basename "$f")" || return 1
		done
	done
	d=$($PY -c 'import json,sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    if m.get("annotations",{}).get("org.opencontainers.image.ref.name")==sys.argv[2]:
        print(m["mediaType"], m["digest"])' "$layout/index.json" "$tag")
	mt=${d% *}
	d=${d#* }
	curl -sf -o /dev/null -X PUT "$@" -H "Content-Type: $mt" \
		--data-binary "@$layout/blobs/sha256/${d#sha256:}" "$base/v2/$repo/manifests/$tag"
}

# image_layout DIR: the example image without its attached spec
image_layout() {
	"$NFD_TOP_SRCDIR/examples/make-oci-layout.sh" "$1" >/dev/null
	$PY - "$1/index.json" <<'PY'
import json, sys
p = sys.argv[1]
j = json.load(open(p))
j["manifests"] = [m for m in j["manifests"] if "artifactType" not in m]
json.dump(j, open(p, "w"))
PY
}
