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
	if [ ! -d "$src" ]; then
		echo "FAIL: $name: fixture root $src is missing"
		fail=1
		continue
	fi
	if ! bash "$top/tests/fixtures/capture-root.sh" "$tmp/$name" "$src" \
		>"$tmp/$name.log" 2>&1; then
		echo "FAIL: $name: capture-root.sh failed"
		cat "$tmp/$name.log"
		fail=1
		continue
	fi
	# both runs must succeed and print a document: two failed runs would
	# otherwise leave two empty files that compare equal
	bad=0
	for which in orig copy; do
		if [ $which = orig ]; then r=$src; else r=$tmp/$name; fi
		if ! NFD_LOG=err "$nfd" export features --root "$r" --sources "$sources" \
			>"$tmp/$name.$which.json" 2>"$tmp/$name.$which.err"; then
			echo "FAIL: $name: nfd export features over the $which tree failed"
			cat "$tmp/$name.$which.err"
			bad=1
		fi
		if ! grep -q '"attributes"' "$tmp/$name.$which.json"; then
			echo "FAIL: $name: no features document from the $which tree"
			bad=1
		fi
	done
	if [ $bad = 1 ]; then
		fail=1
		continue
	fi
	if ! cmp -s "$tmp/$name.orig.json" "$tmp/$name.copy.json"; then
		echo "FAIL: $name: discovery over the capture differs"
		diff -u "$tmp/$name.orig.json" "$tmp/$name.copy.json" | head -40
		fail=1
		continue
	fi
	echo "ok: $name ($(tail -n 1 "$tmp/$name.log"))"
done
exit $fail
