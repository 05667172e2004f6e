#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Discovery over every fixture host tree: for each
# tests/fixtures/roots/<scenario>/ with an expected.json, run
#   nfd export features --root <scenario> --sources <its sources file>
# and require the output to be byte-identical to expected.json (the export is
# canonical: sorted keys, NFD's indentation).  The trees are only read, so
# this works from a read-only source tree (make distcheck).
set -eu

roots="${NFD_FIXTURE_ROOTS:-${NFD_TOP_SRCDIR:?}/tests/fixtures/roots}"
nfd="${NFD_BIN:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-roots.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# system.name comes from the environment, not the tree
unset NODE_NAME
export LC_ALL=C

fail=0 n=0
for expected in "$roots"/*/expected.json; do
	dir=$(dirname "$expected")
	name=$(basename "$dir")
	sources=$(cat "$dir/sources")
	n=$((n + 1))
	# a scenario with a CPUID dump covers cpu as well (replayed, not live)
	dump=
	[ -f "$dir/cpuid.dump" ] && dump="--cpuid-dump=$dir/cpuid.dump"
	if ! NFD_LOG=err "$nfd" export features --root "$dir" --sources "$sources" $dump \
		>"$tmp/$name.json" 2>"$tmp/$name.err"; then
		echo "FAIL: $name: nfd exited with $?"
		cat "$tmp/$name.err"
		fail=1
		continue
	fi
	if ! cmp -s "$expected" "$tmp/$name.json"; then
		echo "FAIL: $name: output differs from expected.json"
		diff -u "$expected" "$tmp/$name.json" | head -50
		fail=1
		continue
	fi
	echo "ok: $name ($sources)"
done

if [ "$n" -eq 0 ]; then
	echo "FAIL: no fixture roots found under $roots"
	exit 1
fi
exit $fail
