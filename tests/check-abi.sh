#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The ABI promise (doc/abi.md), checked with libabigail against the baseline
# of the last release:
#
#   check-abi.sh [BASELINE.abi LIBRARY.so PUBLIC_HEADER_DIR...]
#
# Without arguments: abi/libnfd.so.1.abi against the freshly built
# libnfd.so.1 with include/nfd/ (source and build tree) as the public headers.
#
# Fails on any change abidiff reports besides added symbols: a removed
# symbol, a changed parameter or return type, a changed layout of a type
# reachable from an exported symbol, a changed enumerator.  Added symbols are
# listed and allowed, but only in a version node the baseline does not have
# (a released node is frozen).
set -uo pipefail

if [[ $# -ge 2 ]]; then
	baseline=$1
	lib=$2
	shift 2
	hdrs=("$@")
else
	src=${NFD_TOP_SRCDIR:?}
	build=${NFD_TOP_BUILDDIR:?}
	baseline=$src/abi/libnfd.so.1.abi
	lib=${NFD_LIBRARY:?}
	hdrs=("$src/include/nfd" "$build/include/nfd")
fi

# appended members of versioned options structs (doc/abi.md §2); beside this
# script so that the self-test's libraries get the same rules
supp=$(dirname "$0")/../abi/suppressions.ini
[[ -f $supp ]] || { echo "FAIL: $supp is missing"; exit 1; }

for tool in abidiff readelf nm; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: $tool not found (Debian: abigail-tools, binutils)"
		exit 77
	fi
done
if ! readelf -S --wide "$lib" | grep -q '\.debug_info'; then
	echo "SKIP: $lib has no debug info; build with -g (the default CFLAGS) to check the ABI"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hd=()
for d in "${hdrs[@]}"; do
	hd+=(--hd2 "$d")
done

status=0
abidiff --no-added-syms --fail-no-debug-info --suppressions "$supp" "${hd[@]}" "$baseline" "$lib" >"$tmp/changes" 2>&1
rc=$?
if ((rc & 3)); then
	echo "FAIL: abidiff could not compare $baseline and $lib (exit $rc):"
	cat "$tmp/changes"
	exit 1
fi
if ((rc & 12)); then
	echo "FAIL: the ABI of $lib differs from the baseline $baseline" \
		"(abidiff exit $rc: $( ((rc & 8)) && echo incompatible || echo changed)):"
	cat "$tmp/changes"
	status=1
fi

# Added symbols: reported; allowed only outside the baseline's version nodes.
abidiff --suppressions "$supp" "${hd[@]}" "$baseline" "$lib" >"$tmp/all" 2>&1
grep -E "^  \[A\] " "$tmp/all" >"$tmp/added" || true
if [[ -s $tmp/added ]]; then
	echo "added (allowed in a new version node):"
	cat "$tmp/added"
fi
grep -oE "version='[A-Z0-9_.]+'" "$baseline" | sort -u | sed "s/version='//; s/'//" >"$tmp/nodes"
grep -oE "<elf-symbol name='[A-Za-z0-9_]+'" "$baseline" | sed "s/.*name='//; s/'//" |
	sort -u >"$tmp/old"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRBW]$/ { print $3 }' >"$tmp/now"
while IFS=@ read -r sym _ node; do
	if grep -qxF "$node" "$tmp/nodes" && ! grep -qxF "$sym" "$tmp/old"; then
		echo "FAIL: $sym was added to the released version node $node; use a new node"
		status=1
	fi
done < <(grep '@@' "$tmp/now")

if [[ $status -eq 0 ]]; then
	echo "ok: $(wc -l <"$tmp/old") baseline symbols unchanged, $(wc -l <"$tmp/added") added"
fi
exit $status
