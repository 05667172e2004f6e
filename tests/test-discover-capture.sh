#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/fixtures/capture-root.sh must copy everything discovery reads: capture
# each fixture tree (as if it were a live machine) into a scratch directory
# and require discovery over the copy to print exactly what it prints over
# the original.  The cpu source is left out (CPUID is not in the tree).
set -eu

top="${NFD_TOP_SRCDIR:?}"
nfd="${NFD_BIN:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-capture.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset NODE_NAME
export LC_ALL=C
sources=kernel,local,memory,network,pci,storage,system,usb

fail=0
for name in this-vm gpu-server sriov-nic arm64-host nfd-pci nfd-local nfd-hugepages; do
	src="${NFD_FIXTURE_ROOTS:-$top/tests/fixtures/roots}/$name"
	[ -d "$src" ] || continue
	if ! bash "$top/tests/fixtures/capture-root.sh" "$tmp/$name" "$src" \
		>"$tmp/$name.log" 2>&1; then
		echo "FAIL: $name: capture-root.sh failed"
		cat "$tmp/$name.log"
		fail=1
		continue
	fi
	NFD_LOG=err "$nfd" export features --root "$src" --sources "$sources" \
		>"$tmp/$name.orig.json" 2>/dev/null || true
	NFD_LOG=err "$nfd" export features --root "$tmp/$name" --sources "$sources" \
		>"$tmp/$name.copy.json" 2>/dev/null || true
	if ! cmp -s "$tmp/$name.orig.json" "$tmp/$name.copy.json"; then
		echo "FAIL: $name: discovery over the capture differs"
		diff -u "$tmp/$name.orig.json" "$tmp/$name.copy.json" | head -40
		fail=1
		continue
	fi
	echo "ok: $name ($(tail -n 1 "$tmp/$name.log"))"
done
exit $fail
