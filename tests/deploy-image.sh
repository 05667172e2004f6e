#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The nfd container image (Containerfile, `make image`) end to end, offline:
#  - built with podman --pull=never --network=none into a private store;
#  - its size printed (uncompressed as podman reports it, and gzip-compressed
#    as a registry would store it), its CA bundle the whole of Debian's;
#  - run with exactly the mounts deploy/job-validate.yaml declares (read from
#    the YAML) against a local docker-registry over TLS with an attached spec,
#    and with every discovery source: exit codes and output as the CLI gives
#    them on the host;
#  - one `nfd compat publish` round with the DaemonSet's mounts, args and
#    user, whose features.d file libnfd's local source reads back.
# Needs root, podman, runc, docker-registry, openssl (bootstrap.sh installs
# them); `make check-image` runs only this test.
. "$NFD_TOP_SRCDIR/tests/oci/lib.sh"

src=$NFD_TOP_SRCDIR build=$NFD_TOP_BUILDDIR
python=${PYTHON3:-python3}
IMG=localhost/libnfd:test

missing=()
for t in podman runc openssl curl; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
[[ -n ${REGISTRY:-} && $REGISTRY != no && -x $REGISTRY ]] || missing+=(docker-registry)
"$python" -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if ((${#missing[@]})); then
	echo "not ok - missing test dependencies: ${missing[*]} (see bootstrap.sh)"
	exit 1
fi
[[ $(id -u) -eq 0 ]] || skip "podman with its own --root needs root"

# podman as these VMs need it (tests/oci/lib.sh)
use_podman

# ------------------------------------------------------------------ build
"$src/tools/image-rootfs.sh" "$src" "$build" "$T/ctx/rootfs" >"$T/rootfs.log" 2>&1 ||
	{ fail "image-rootfs.sh"; cat "$T/rootfs.log"; finish; }
expect 0 "offline build (--pull=never --network=none)" -- "${P[@]}" build --pull=never \
	--network=none --format oci -q -f "$src/Containerfile" -t "$IMG" "$T/ctx"
size=$("${P[@]}" image inspect "$IMG" --format '{{.Size}}')
"${P[@]}" push -q --compression-format gzip "$IMG" "oci:$T/pushed:x" >/dev/null 2>&1 &&
	gz=$("$python" - "$T/pushed" <<'PY'
import json, os, sys
d = sys.argv[1]
blob = lambda dg: os.path.join(d, "blobs", *dg.split(":"))
m = json.load(open(blob(json.load(open(os.path.join(d, "index.json")))["manifests"][0]["digest"])))
print(sum(l["size"] for l in m["layers"]))
PY
) || gz=?
echo "# image size: $size bytes uncompressed, $gz bytes compressed (gzip layer); target <= 15 MB"
"${P[@]}" image inspect "$IMG" --format '{{.Config.User}} {{index .Config.Labels "org.opencontainers.image.title"}} {{.Config.Entrypoint}}' |
	grep -qx '65534:65534 nfd \[/usr/bin/nfd\]' && pass "non-root, OCI labels, nfd entrypoint" ||
	fail "user/labels/entrypoint"
# the whole CA bundle of the build host (Debian's), byte for byte
"${P[@]}" create --name bundle "$IMG" >/dev/null && "${P[@]}" export bundle |
	tar -xOf - etc/ssl/certs/ca-certificates.crt | cmp -s - /etc/ssl/certs/ca-certificates.crt &&
	pass "the whole CA bundle is in the image" || fail "CA bundle differs from the host's"
"${P[@]}" rm -f bundle >/dev/null

# ---------------------------------------------- a TLS registry with a spec
make_test_tls
chmod 0644 "$T/ca.crt"
start_registry tls "$(printf '  tls: {certificate: %s, key: %s}' "$T/tls.crt" "$T/tls.key")"
wait_http "https://$REG/v2/" --cacert "$T/ca.crt" || { fail "registry did not start"; finish; }
image_layout "$T/img"
push_layout "https://$REG" demo/app "$T/img" v1 --cacert "$T/ca.crt" || fail "push app"
push_layout "https://$REG" demo/none "$T/img" v1 --cacert "$T/ca.crt" || fail "push none"
expect 0 "attach a spec this host satisfies" -- "$NFD_BIN" compat attach --ca-file "$T/ca.crt" \
	--image "$REG/demo/app:v1" "$src/tests/oci/fixtures/compatible.yaml"
cp -r "$src/examples/oci-layout" "$T/layout" && chmod -R a+rX "$T/layout"
: >"$T/spec.yaml"

# ------------------------------------------- the Job's mounts, from the YAML
# manifest_opts FILE: podman options for the pod's volumes (hostPath: the
# path; configMap / secret: $T/<name>, filled below), its env, its user
manifest_opts() {
	"$python" - "$1" "$T" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
pod = docs[0]["spec"]["template"]["spec"]
c = pod["containers"][0]
vols = {v["name"]: v for v in pod.get("volumes", [])}
for m in c.get("volumeMounts", []):
    v = vols[m["name"]]
    host = v["hostPath"]["path"] if "hostPath" in v else f"{sys.argv[2]}/{m['name']}"
    print(f"-v={host}:{m['mountPath']}" + (":ro" if m.get("readOnly") else ""))
for e in c.get("env", []):
    print(f"--env={e['name']}={e['value']}")
sc = {**pod.get("securityContext", {}), **c.get("securityContext", {})}
if "runAsUser" in sc:
    print(f"--user={sc['runAsUser']}:{sc.get('runAsGroup', sc['runAsUser'])}")
if sc.get("readOnlyRootFilesystem"):
    print("--read-only")
for cap in sc.get("capabilities", {}).get("drop", []):
    print(f"--cap-drop={cap}")
if sc.get("allowPrivilegeEscalation") is False:
    print("--security-opt=no-new-privileges")
PY
}
mapfile -t job < <(manifest_opts "$src/deploy/job-validate.yaml")
(($(printf '%s\n' "${job[@]}" | grep -c '^-v=/') == 6)) && pass "six hostPath mounts from the Job" ||
	fail "Job options: ${job[*]}"

# The registry is on the host's loopback: host network (no outside network
# exists here).  The test CA and the layout are mounted at the paths they
# have on the host, so the output is the same text.
run_job() {
	"${P[@]}" run --rm --network host --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 \
		"${job[@]}" -v "$T/ca.crt:$T/ca.crt:ro" -v "$T/layout:$T/layout:ro" \
		-v "$T/spec.yaml:$T/spec.yaml:ro" "$IMG" "$@"
}
# same_as_host DESCRIPTION NFD-ARGS...: exit status ($got) and stdout equal
same_as_host() {
	local what=$1 want
	shift
	"$NFD_BIN" "$@" >"$T/host.out" 2>"$T/host.err" </dev/null
	want=$?
	run_job "$@" >"$T/ctr.raw" 2>"$T/ctr.err" </dev/null
	got=$?
	# an explanation names the file it could not read: /host-proc/modules
	# in the container is /proc/modules on the host
	sed -E "s#'/host-([a-z]+)/#'/\1/#g" "$T/ctr.raw" >"$T/ctr.out"
	if [[ $got == "$want" ]] && cmp -s "$T/host.out" "$T/ctr.out"; then
		pass "$what: exit $got and output as on the host"
	else
		fail "$what: exit $got (host: $want)"
		diff "$T/host.out" "$T/ctr.out" | head -20
		head -5 "$T/ctr.err"
	fi
	cp "$T/ctr.err" "$T/err"
}
same_as_host "registry over TLS, compatible" compat validate-node --image "$REG/demo/app:v1" \
	--ca-file "$T/ca.crt"
grep -q "^Compatible" "$T/ctr.out" || fail "not compatible: $(head -3 "$T/ctr.out")"
same_as_host "registry over TLS, --output-json" compat validate-node --image "$REG/demo/app:v1" \
	--ca-file "$T/ca.crt" --output-json
same_as_host "registry over TLS, no artifact attached" compat validate-node \
	--image "$REG/demo/none:v1" --ca-file "$T/ca.crt"
[[ $got == 5 ]] || fail "no artifact: exit $got, wanted 5 (nfd(1))"
# without the test CA the image's own bundle is all there is: refused
same_as_host "registry over TLS, CA not trusted" compat validate-node --image "$REG/demo/app:v1"
expect_err "certificate"
same_as_host "OCI layout" compat validate-node --image "oci:$T/layout:v1"
# Every source through NFD's /host-* mounts.  local: the Job does not
# mount /etc/kubernetes/node-feature-discovery/features.d, so the host
# reads its own (absent here) and the container none: same output.
# (with NFD_LOG=info a library that cannot be opened is logged, even where
# a source falls back without it, as pci does to sysfs)
job+=(--env=NFD_LOG=info)
NFD_LOG=info same_as_host "export features, every source" export features
if grep -E "cannot be loaded|has no [a-z_0-9]+: too old" "$T/ctr.err"; then
	fail "a library nfd opens is missing from the image"
else
	pass "every library opened at run time is in the image"
fi
unset 'job[-1]'
# a spec with a regular expression (PCRE2, opened at run time) over
# kernel modules (libkmod) and PCI devices
cat >"$T/spec.yaml" <<'YAML'
version: v1alpha1
compatibilities:
- description: regexps over modules and devices
  rules:
  - name: kernel
    matchFeatures:
    - feature: kernel.version
      matchExpressions:
        full: {op: InRegexp, value: ["^[0-9]+[.]"]}
  - name: anything
    matchAny:
    - matchFeatures:
      - feature: kernel.loadedmodule
        matchName: {op: InRegexp, value: ["^nonexistent-module$"]}
    - matchFeatures:
      - feature: pci.device
        matchExpressions:
          vendor: {op: InRegexp, value: ["^[0-9a-f]{4}$"]}
    - matchFeatures:
      - feature: system.osrelease
        matchExpressions:
          ID: {op: Exists}
YAML
chmod 0644 "$T/spec.yaml"
same_as_host "a spec with regexps over modules and devices" compat validate-node \
	--spec "$T/spec.yaml"

# ---------------------------------------- one DaemonSet round, its mounts
ds=$src/deploy/daemonset-compat-labels.yaml
mapfile -t dsopts < <(manifest_opts "$ds")
mapfile -t dsargs < <("$python" - "$ds" <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]["containers"][0]
print("\n".join(a for a in c["args"] if not a.startswith("--every")))
PY
)
# The writable hostPath, the node's features.d, is a directory of the test
# (this host's /etc is not written); the ConfigMap and the Secret are files
# under $T named after their volumes, as the kubelet would project them.
fd=/etc/kubernetes/node-feature-discovery/features.d
mkdir -p "$T/root$fd" "$T/images" "$T/registry-auth"
dsopts=("${dsopts[@]/#-v=$fd:/-v=$T/root$fd:}")
printf '# the ConfigMap\n%s/demo/app:v1 app\n' "$REG" >"$T/images/images"
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$REG" "$(printf 'nobody:none' | base64)" \
	>"$T/registry-auth/auth.json"
chmod -R a+rX "$T/images" "$T/registry-auth"
printf '%s\n' "${dsopts[@]}" | grep -q -- '--user=0:0' && pass "DaemonSet runs as uid 0" ||
	fail "DaemonSet options: ${dsopts[*]}"
expect 0 "one publish round with the DaemonSet's mounts and args" -- "${P[@]}" run --rm \
	--network host --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 "${dsopts[@]}" \
	-v "$T/ca.crt:$T/ca.crt:ro" "$IMG" "${dsargs[@]}" --ca-file "$T/ca.crt"
[[ $(ls -A "$T/root$fd") == nfd-compat ]] && pass "one file, no dot-file left" ||
	fail "features.d holds: $(ls -A "$T/root$fd")"
grep -Eq '^# \+expiry-time=20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$' \
	"$T/root$fd/nfd-compat" && pass "expiry directive" || fail "no expiry line"
"$NFD_BIN" export features --root "$T/root" --sources local >"$T/local.json" &&
	"$python" - "$T/local.json" <<'PY' && pass "the local source reads the verdict back" || fail "read back"
import json, sys
got = json.load(open(sys.argv[1]))["attributes"]["local.feature"]["elements"]
want = {"compat.feature.node.kubernetes.io/app": "true"}
sys.exit(0 if got == want else "local.feature is %r" % got)
PY
finish
