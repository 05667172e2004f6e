#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Replay every seed corpus through its fuzz target (fuzz/<target>-replay, the
# target linked with fuzz/replay.c): each input must be handled without a
# crash, an abort() of the target's own checks, or (in an --enable-asan /
# --enable-ubsan build) a sanitizer report.  The corpora are only read.
set -eu

corpus="${NFD_TOP_SRCDIR:?}/fuzz/corpus"
build="${NFD_TOP_BUILDDIR:?}/fuzz"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export TMPDIR="$tmp"

fail=0 n=0
for dir in "$corpus"/*/; do
	target=$(basename "$dir")
	# fuzz-http needs the registry client (configure --without-registry has
	# none), fuzz-gunzip zlib (--without-zlib)
	case $target in
	fuzz-http) needs=HAVE_LIBSSL ;;
	fuzz-gunzip) needs=HAVE_ZLIB ;;
	*) needs= ;;
	esac
	if [ -n "$needs" ] && [ ! -x "$build/$target-replay" ] &&
		grep -q "^#define $needs 0" "$NFD_TOP_BUILDDIR/config.h"; then
		echo "$target: not built (configured without $needs), corpus not replayed"
		continue
	fi
	n=$((n + 1))
	if ! "$build/$target-replay" "$dir"; then
		echo "FAIL: $target: replaying $dir" >&2
		fail=1
	fi
done
if [ "$n" -eq 0 ]; then
	echo "FAIL: no corpora under $corpus" >&2
	exit 1
fi
exit $fail
