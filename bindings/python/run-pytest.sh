#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check: the Python binding's tests (pytest) against the freshly built
# libnfd ($NFD_LIBRARY) and nfd ($NFD_BIN), both exported by Makefile.am.
set -eu

: "${NFD_TOP_SRCDIR:?run through make check}"
src="$NFD_TOP_SRCDIR/bindings/python"

# Debian's python3-pytest lives in /usr/bin/python3; the python3 first on
# PATH (and so $PYTHON3) may be another build without it.
py=
for cand in "${PYTHON3:-}" /usr/bin/python3; do
	if [ -n "$cand" ] && [ "$cand" != no ] && "$cand" -c 'import pytest' 2>/dev/null; then
		py=$cand
		break
	fi
done
if [ -z "$py" ]; then
	echo "SKIP: no python3 with pytest (apt-get install python3-pytest)" >&2
	[ "${NFD_NO_SKIP:-0}" = 1 ] && exit 1
	exit 77
fi

# The source tree may be read-only (distcheck): no caches, no bytecode.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH="$src${PYTHONPATH:+:$PYTHONPATH}"
# An ASan build of libnfd needs its runtime loaded first (Makefile.am);
# python3's own allocations are not ours to check for leaks.
if [ -n "${NFD_SAN_PRELOAD:-}" ]; then
	export LD_PRELOAD="$NFD_SAN_PRELOAD" ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi
set +e
"$py" -m pytest -p no:cacheprovider --rootdir="$src" -ra -q "$src/tests" --basetemp="$tmp/pytest"
rc=$?
set -e
# 5: no tests collected, which must count as a failure here.
[ "$rc" -eq 5 ] && echo "FAIL: pytest collected no tests" >&2 && exit 1
exit "$rc"
