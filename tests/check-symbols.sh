#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The ABI contract: the symbols libnfd.so exports, the version script and the
# functions declared in include/nfd/ must be the same set, every exported
# symbol must be nfd_* and carry the LIBNFD_1.0 version (or a later node).
set -eu
lib=${NFD_LIBRARY:?}
src=${NFD_TOP_SRCDIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRBW]$/ { print $3 }' >"$tmp/raw"
sed 's/@.*//' "$tmp/raw" | sort -u >"$tmp/exported"
grep -E '^[[:space:]]+nfd_[a-z0-9_]+;' "$src/libnfd/libnfd.sym" | tr -d ' \t;' | sort -u >"$tmp/script"
# declarations start at column 0 with their return type; comments and
# static inline helpers do not count
grep -hE '^[a-z]' "$src"/include/nfd/*.h "$src"/include/nfd/*.h.in | grep -vE '^(static|typedef|struct [a-z_]+;|enum|#)' |
	grep -oE '\bnfd_[a-z0-9_]+\(' | tr -d '(' | sort -u >"$tmp/headers"

status=0
compare() {
	if ! diff -u "$tmp/$1" "$tmp/$2" >"$tmp/diff"; then
		echo "FAIL: $1 and $2 differ:"
		cat "$tmp/diff"
		status=1
	fi
}
compare exported script
compare script headers
if grep -vE '^nfd_' "$tmp/exported"; then
	echo "FAIL: exported symbols without the nfd_ prefix (above)"
	status=1
fi
if grep -vE '@@?LIBNFD_[0-9]+\.[0-9]+$' "$tmp/raw"; then
	echo "FAIL: unversioned exported symbols (above)"
	status=1
fi
n=$(wc -l <"$tmp/exported")
if [ "$status" -eq 0 ]; then
	echo "ok: $n symbols exported, versioned and declared"
fi
exit $status
