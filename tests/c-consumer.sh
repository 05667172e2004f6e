#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A C consumer of the installed library: install into a DESTDIR, build
# examples/c/check-host.c out of tree with nothing but
# `pkg-config --cflags --libs libnfd` pointed into that tree, and run it
# against the installed libnfd.so.1 (not the build tree's).
set -eu

: "${NFD_TOP_SRCDIR:?run through make check}" "${NFD_TOP_BUILDDIR:?}"
data="$NFD_TOP_SRCDIR/bindings/python/tests/data"
cc=${CC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest="$tmp/dest"

# The build is non-recursive, so this installs only what is already built.
make -s -C "$NFD_TOP_BUILDDIR" install DESTDIR="$dest" >"$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log" >&2
	echo "FAIL: make install DESTDIR=$dest" >&2
	exit 1
}

pc=$(find "$dest" -path '*/pkgconfig/libnfd.pc' | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no libnfd.pc installed" >&2; exit 1; }
pcdir=$(dirname "$pc")

# Only the installed tree: no uninstalled .pc, no build-tree library.
unset LD_LIBRARY_PATH
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_DISABLE_UNINSTALLED=1
export PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags libnfd)
libs=$(pkg-config --libs libnfd)
case "$cflags $libs" in
*"$NFD_TOP_BUILDDIR"* | *"$NFD_TOP_SRCDIR/include"*)
	echo "FAIL: pkg-config points into the build or source tree: $cflags $libs" >&2
	exit 1 ;;
esac

# Consumers write #include <nfd/nfd.h>.
includedir=$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=includedir libnfd)
if [ ! -f "$dest$includedir/nfd/nfd.h" ]; then
	echo "FAIL: <nfd/nfd.h> is not installed under $includedir; installed headers:" >&2
	find "$dest" -name '*.h' >&2
	exit 1
fi

mkdir "$tmp/out"
cp "$NFD_TOP_SRCDIR/examples/c/check-host.c" "$tmp/out/"
cd "$tmp/out"
# shellcheck disable=SC2086
$cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o check-host check-host.c $cflags $libs

libdir=$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=libdir libnfd)
export LD_LIBRARY_PATH="$dest$libdir"
# an ASan build of the library needs its runtime loaded first (Makefile.am)
[ -z "${NFD_SAN_PRELOAD:-}" ] || export LD_PRELOAD="$NFD_SAN_PRELOAD"
if command -v ldd >/dev/null; then
	ldd ./check-host | grep -q "$dest$libdir/libnfd.so.1" || {
		ldd ./check-host >&2
		echo "FAIL: check-host does not load the installed libnfd.so.1" >&2
		exit 1
	}
fi

fail=0
expect() {
	want=$1
	shift
	set +e
	./check-host "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	set -e
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL: check-host $* exited $rc, want $want" >&2
		cat "$tmp/stdout" "$tmp/stderr" >&2
		fail=1
	fi
}

# The same golden output as the Python and Go examples.
expect 0 --features "$data/features.json" "$data/spec.yaml"
diff -u "$data/check-host.out" "$tmp/stdout" >&2 || fail=1
expect 1 --features "$data/features.json" --tags avx512 "$data/spec.yaml"
diff -u "$data/check-host-avx512.out" "$tmp/stdout" >&2 || fail=1

expect 0 --root "$data/root" "$data/hugepages.spec.yaml"
# the tree has two free 1 GiB pages (data/root/sys/kernel/mm/hugepages)
grep -qx "set #1: compatible" "$tmp/stdout" && grep -qx "compatible (best set #1, weight 0)" "$tmp/stdout" ||
	{ echo "FAIL: hugepages: set #1 is not reported compatible" >&2; cat "$tmp/stdout" >&2; fail=1; }
expect 2 --features "$data/features.json" "$data/bad-spec.yaml"
grep -q "bad-spec.yaml:" "$tmp/stderr" || { echo "FAIL: no parse error position" >&2; fail=1; }
expect 2 "$data/missing.yaml"
expect 2

exit "$fail"
