#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# nfd-oci-hook end to end with a real runtime: podman + runc run containers
# from images built here FROM scratch (Debian's static busybox), pushed to a
# docker-registry on 127.0.0.1, with specs attached by `nfd compat attach`.
# podman runs with its own storage under the test's temporary directory.
# The tools are part of the test dependencies (bootstrap.sh): a missing one
# is a failure, not a skip.
. "$NFD_TOP_SRCDIR/tests/oci/lib.sh"

HOOK=$NFD_TOP_BUILDDIR/tools/nfd-oci-hook
FIX=$NFD_TOP_SRCDIR/tests/oci/fixtures
BUSYBOX=/bin/busybox

missing=()
for t in podman runc curl; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
# FROM scratch needs the static build (ldd fails on a static executable)
[[ -x $BUSYBOX ]] && ! ldd "$BUSYBOX" >/dev/null 2>&1 ||
	missing+=("busybox-static ($BUSYBOX)")
[[ -n ${REGISTRY:-} && $REGISTRY != no && -x $REGISTRY ]] || missing+=(docker-registry)
if ((${#missing[@]})); then
	echo "not ok - missing test dependencies: ${missing[*]} (see bootstrap.sh)"
	exit 1
fi
[[ $(id -u) -eq 0 ]] || skip "podman with its own --root needs root"

# podman as these VMs need it (tests/oci/lib.sh), with the test's hooks
use_podman --hooks-dir "$T/hooks.d"
RUN=(run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1000:1000)

# The hooks.d file the build generated for installation, pointed at the
# build tree's hook, the test's policy and log: podman must accept it as is.
# hooks_json STAGE CONFIG
hooks_json() {
	mkdir -p "$T/hooks.d"
	$PY - "$NFD_TOP_BUILDDIR/tools/50-nfd-compat.json" "$HOOK" "$2" "$T/hook.log" "$1" \
		>"$T/hooks.d/50-nfd-compat.json" <<'PY'
import json, sys
src, hook, config, log, stage = sys.argv[1:]
j = json.load(open(src))
assert j["version"] == "1.0.0" and j["when"] == {"always": True}
assert j["hook"]["timeout"] > 0 and j["hook"]["env"] and j["hook"]["path"].endswith("/oci/hooks.d/nfd-oci-hook")
j["hook"]["path"] = hook
j["hook"]["args"] = ["nfd-oci-hook", "--config", config, "--log-file", log, stage]
j["stages"] = [stage]
json.dump(j, sys.stdout, indent=2)
PY
}

# run_ctr WANT DESCRIPTION IMAGE-ANNOTATION: podman run an image, compare the
# exit status (0 ran, 126 refused by the hook)
run_ctr() {
	local want=$1 what=$2 ann=$3 img=$4
	local args=()
	[[ -n $ann ]] && args=(--annotation "nfd.libnfd.io/image=$ann")
	: >"$T/hook.log"
	expect "$want" "$what" -- "${P[@]}" "${RUN[@]}" "${args[@]}" "$img" /bin/busybox echo ran
	if [[ $want == 0 ]]; then
		grep -qx ran "$T/out" && pass "$what: the container ran" || fail "$what: no output"
	fi
}
log_has() {
	if grep -Eq -- "$1" "$T/hook.log"; then pass "hook log: $1"; else
		fail "hook log lacks /$1/:"; sed 's/^/    /' "$T/hook.log" | head -5; fi
}

# ------------------------------------------------------------- images, registry
start_registry reg
wait_http "http://$REG/v2/" || { fail "registry did not start"; finish; }
REG_PID=${PIDS[-1]}
mkdir -p "$T/ctx"
cp "$BUSYBOX" "$T/ctx/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\n' >"$T/ctx/Containerfile"
# three images (distinct manifests: a label each), one per kind of spec
for kind in good bad none; do
	"${P[@]}" build -q --label "nfd.test=$kind" -t "localhost/nfd-$kind:v1" "$T/ctx" \
		>/dev/null 2>"$T/err" || { fail "build $kind"; cat "$T/err"; finish; }
	"${P[@]}" push -q --tls-verify=false --format oci "localhost/nfd-$kind:v1" \
		"$REG/app-$kind:v1" 2>"$T/err" || { fail "push $kind"; cat "$T/err"; finish; }
done
pass "three images built FROM scratch and pushed"
expect 0 "attach a spec this host satisfies" -- "$NFD_BIN" compat attach --plain-http \
	--image "$REG/app-good:v1" "$FIX/compatible.yaml"
expect 0 "attach a spec this host fails" -- "$NFD_BIN" compat attach --plain-http \
	--image "$REG/app-bad:v1" "$FIX/incompatible.yaml"
good_digest=$(curl -s -o /dev/null -D - -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$REG/v2/app-good/manifests/v1" | awk 'tolower($1)=="docker-content-digest:"{print $2}' | tr -d '\r')

policy() { # policy FILE [key = value lines]
	local f=$1
	shift
	{
		echo "cache-dir = $T/cache"
		echo "plain-http = $REG"
		printf '%s\n' "$@"
	} >"$f"
}
policy "$T/enforce.conf"
policy "$T/strict.conf" "on-no-artifact = deny" "on-registry-error = deny" "on-no-image = deny"
policy "$T/warn.conf" "mode = warn"
hooks_json createRuntime "$T/enforce.conf"

# ------------------------------------------------------------------ enforce
run_ctr 0 "compatible spec (by tag)" "$REG/app-good:v1" localhost/nfd-good:v1
log_has "compatible with this node"
run_ctr 0 "compatible spec (by digest)" "$REG/app-good@$good_digest" localhost/nfd-good:v1
run_ctr 126 "incompatible spec refused" "$REG/app-bad:v1" localhost/nfd-bad:v1
expect_err "nfd-oci-hook: refused: $REG/app-bad:v1 = sha256:[0-9a-f]{64} is not compatible with this node"
expect_err "best set #1 'needs Linux 7', 1 of 1 rules fail"
expect_err "rule kernel-7: kernel.version major Gt 6 \(node: [0-9]+\)"
log_has "refused: .*app-bad:v1.*not compatible"
run_ctr 0 "no artifact: allowed by default" "$REG/app-none:v1" localhost/nfd-none:v1
log_has "has no compatibility artifact; allowed \(on-no-artifact = allow\)"
run_ctr 0 "no annotation: allowed" "" localhost/nfd-none:v1
log_has "nothing to check; allowed"

hooks_json createRuntime "$T/strict.conf"
run_ctr 126 "no artifact with on-no-artifact = deny" "$REG/app-none:v1" localhost/nfd-none:v1
expect_err "has no compatibility artifact; refused \(on-no-artifact = deny\)"
run_ctr 126 "no annotation with on-no-image = deny" "" localhost/nfd-none:v1
expect_err "no annotation names the image"

# podman 4.x writes hooks.d "prestart" hooks into config.json's prestart
hooks_json prestart "$T/enforce.conf"
run_ctr 126 "prestart stage: incompatible refused" "$REG/app-bad:v1" localhost/nfd-bad:v1
expect_err "is not compatible with this node"

# ------------------------------------------------------------ warn mode
hooks_json createRuntime "$T/warn.conf"
run_ctr 0 "warn mode: incompatible runs" "$REG/app-bad:v1" localhost/nfd-bad:v1
log_has "app-bad:v1.*is not compatible with this node.*mode = warn: allowed"

# ------------------------------------------------- the registry goes away
kill "$REG_PID"
wait "$REG_PID" 2>/dev/null
curl -s -o /dev/null "http://$REG/v2/" && fail "registry still answers"
hooks_json createRuntime "$T/enforce.conf"
run_ctr 0 "registry stopped, warm cache: compatible runs" "$REG/app-good:v1" localhost/nfd-good:v1
run_ctr 126 "registry stopped, warm cache: incompatible refused" "$REG/app-bad:v1" localhost/nfd-bad:v1
expect_err "rule kernel-7: kernel.version major Gt 6"

# a cold cache (another cache directory) meets the stopped registry
policy "$T/cold.conf" "cache-dir = $T/cache-cold"
policy "$T/cold-deny.conf" "cache-dir = $T/cache-cold" "on-registry-error = deny"
hooks_json createRuntime "$T/cold.conf"
run_ctr 0 "registry stopped, cold cache: fail open" "$REG/app-bad:v1" localhost/nfd-bad:v1
log_has "cannot get its compatibility spec.*allowed \(on-registry-error = allow\)"
hooks_json createRuntime "$T/cold-deny.conf"
run_ctr 126 "registry stopped, cold cache, on-registry-error = deny" "$REG/app-bad:v1" \
	localhost/nfd-bad:v1
expect_err "cannot get its compatibility spec.*refused \(on-registry-error = deny\)"

finish
