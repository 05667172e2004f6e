#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bundled GPU spec against real and synthetic GPU nodes, and against
# nodes without a GPU: the verdict and the exit code must follow the node.
set -eu
nfd=${NFD_BIN:?}
src=${NFD_TOP_SRCDIR:?}
roots=${NFD_FIXTURE_ROOTS:-$src/tests/fixtures/roots}
spec=$src/examples/nvidia-gpu.yaml
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-gpu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() {
	want=$1 root=$2
	set +e
	"$nfd" compat validate-node --spec "$spec" --root "$roots/$root" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $root: exit $got, expected $want"
		cat "$tmp/err" "$tmp/out"
		fail=1
		return
	fi
	echo "ok: $root: exit $got"
}

# a real H200 server: the cuda set (weight 100) is the best compatible set
expect 0 h200-gpu-vm
grep -q '^Compatible: best set #1 (weight 100, tag "cuda")' "$tmp/out" || {
	echo "FAIL: h200-gpu-vm: no verdict naming the cuda set"; cat "$tmp/out"; fail=1; }
# same through NFD's JSON: every rule of set 1 matched
"$nfd" compat validate-node --spec "$spec" --root "$roots/h200-gpu-vm" --output-json >"$tmp/json"
grep -q '^\[{"rules":\[{"name":"nvidia-gpu","isMatch":true' "$tmp/json" || {
	echo "FAIL: h200-gpu-vm: JSON does not start with a matching nvidia-gpu rule"; fail=1; }
# NFD's container layout (/host-sys, /host-proc, /host-etc): the same verdict
for area in sys proc etc; do
	ln -s "$roots/h200-gpu-vm/$area" "$tmp/host-$area"
done
if "$nfd" compat validate-node --spec "$spec" --host-prefix "$tmp/host-" >"$tmp/out" 2>&1 &&
	grep -q '^Compatible: best set #1 (weight 100, tag "cuda")' "$tmp/out"; then
	echo "ok: h200-gpu-vm through --host-prefix"
else
	echo "FAIL: h200-gpu-vm through --host-prefix"; cat "$tmp/out"; fail=1
fi
# a synthetic GPU server
expect 0 gpu-server
# no NVIDIA device: incompatible, and the text says what the node has instead
expect 1 sriov-nic
grep -q 'pci.device.vendor .*: node has: ' "$tmp/out" || {
	echo "FAIL: sriov-nic: no explanation of the vendor row"; cat "$tmp/out"; fail=1; }
expect 1 nfd-pci

# the CPU side of a node comes from a CPUID dump: the AVX-512 image runs on
# the H200 server's Sapphire Rapids, and falls back to nothing on Nehalem
spec=$src/examples/avx512-hpc.yaml
if "$nfd" compat validate-node --spec "$spec" --root "$roots/h200-gpu-vm" \
	--cpuid-dump "$roots/h200-gpu-vm/cpuid.dump" >"$tmp/out" 2>&1 &&
	grep -q 'tag "avx512"' "$tmp/out"; then
	echo "ok: avx512-hpc on the H200 server's CPU"
else
	echo "FAIL: avx512-hpc on the H200 server's CPU"; cat "$tmp/out"; fail=1
fi
set +e
"$nfd" compat validate-node --spec "$spec" --root "$roots/nfd-pci" \
	--cpuid-dump "$src/tests/fixtures/cpuid/nehalem.dump" >"$tmp/out" 2>&1
got=$?
set -e
if [ "$got" -eq 1 ]; then
	echo "ok: avx512-hpc on Nehalem: incompatible"
else
	echo "FAIL: avx512-hpc on Nehalem: exit $got"; cat "$tmp/out"; fail=1
fi
exit $fail
