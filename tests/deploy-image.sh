#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The nfd container image (Containerfile, `make image`): build it offline
# with podman into a private store, run it with exactly the hostPath mounts
# deploy/job-validate.yaml declares (read from the YAML), and expect the
# exit code and output nfd gives on the host.  Run by `make check-image`
# (needs root, podman, runc).
set -euo pipefail
src=${NFD_TOP_SRCDIR:?} build=${NFD_TOP_BUILDDIR:?} nfd=${NFD_BIN:?}
python=${PYTHON3:-python3}
tmp=$(mktemp -d /var/tmp/nfd-image.XXXXXX)
pod=(podman --root "$tmp/root" --runroot "$tmp/runroot" --storage-driver vfs
	--cgroup-manager cgroupfs --runtime runc)
cleanup() { "${pod[@]}" rm -af >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

"$src/tools/image-rootfs.sh" "$src" "$build" "$tmp/ctx/rootfs"
"${pod[@]}" build --pull=never --network=none --format oci -q -f "$src/Containerfile" \
	-t localhost/libnfd:test "$tmp/ctx" >/dev/null && ok "offline build" || { bad "build"; exit 1; }
size=$("${pod[@]}" image inspect localhost/libnfd:test --format '{{.Size}}')
echo "# image size: $size bytes"
((size <= 15 * 1024 * 1024)) && ok "image <= 15 MiB" || bad "image is $size bytes"
"${pod[@]}" image inspect localhost/libnfd:test --format '{{.Config.User}} {{index .Config.Labels "org.opencontainers.image.title"}}' |
	grep -qx '65534:65534 nfd' && ok "non-root, OCI labels" || bad "user/labels"

# the Job's mounts, as podman -v options
mapfile -t vols < <("$python" - "$src/deploy/job-validate.yaml" <<'PY'
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]
vols = {v["name"]: v for v in pod["volumes"]}
for m in pod["containers"][0]["volumeMounts"]:
    host = vols[m["name"]]["hostPath"]["path"]
    print(f"-v={host}:{m['mountPath']}" + (":ro" if m.get("readOnly") else ""))
PY
)
((${#vols[@]} == 6)) && ok "six hostPath mounts from the Job" || bad "mounts: ${vols[*]}"
env=$("$python" -c 'import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]["containers"][0]
print(" ".join("--env=%s=%s" % (e["name"], e["value"]) for e in c["env"]))' "$src/deploy/job-validate.yaml")

layout=$tmp/layout
cp -r "$src/examples/oci-layout" "$layout" && chmod -R a+rX "$layout"
run() {
	"${pod[@]}" run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
		--read-only $env "${vols[@]}" -v "$layout:/layout:ro" localhost/libnfd:test "$@"
}
for args in "compat validate-node --image oci:/layout:v1" \
	"compat validate-node --image oci:/layout:v1 --output-json" \
	"compat validate-node --image oci:/nothing:v1" "export features --sources kernel,system"; do
	hostargs=${args//\/layout/$layout}
	set +e
	"$nfd" $hostargs >"$tmp/host.out" 2>/dev/null; want=$?
	run $args >"$tmp/ctr.out" 2>"$tmp/ctr.err"; got=$?
	set -e
	if [[ $got == "$want" ]] && cmp -s "$tmp/host.out" "$tmp/ctr.out"; then
		ok "nfd $args: exit $got, output as on the host"
	else
		bad "nfd $args: exit $got (host $want)"; diff "$tmp/host.out" "$tmp/ctr.out" | head; cat "$tmp/ctr.err"
	fi
done
exit $fail
