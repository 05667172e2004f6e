#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check: go vet and go test of the Go binding against the freshly built
# libnfd, through the uninstalled pkg-config file of the build tree
# (PKG_CONFIG_PATH and LD_LIBRARY_PATH are exported by Makefile.am).
set -eu

: "${NFD_TOP_SRCDIR:?run through make check}"
src="$NFD_TOP_SRCDIR/bindings/go"

go=
for cand in "${GO:-}" /usr/lib/go/bin/go; do
	if [ -n "$cand" ] && [ "$cand" != no ] && [ -x "$cand" ]; then
		go=$cand
		break
	fi
done
if [ -z "$go" ]; then
	echo "SKIP: no Go toolchain (apt-get install golang-go)" >&2
	[ "${NFD_NO_SKIP:-0}" = 1 ] && exit 1
	exit 77
fi
if ! pkg-config --exists libnfd; then
	echo "FAIL: pkg-config does not find libnfd in PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-}" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Nothing is downloaded and nothing is written to the (maybe read-only)
# source tree; the build cache is thrown away afterwards.
export GOPATH="$tmp/gopath" GOCACHE="$tmp/gocache" GOFLAGS=-mod=mod GOPROXY=off
export GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=1 GOTMPDIR="$tmp"
unset GOROOT 2>/dev/null || true

cd "$src"
# An ASan build of libnfd needs its runtime loaded first in the programs that
# load it (Makefile.am); the Go runtime's allocations are not ours to check.
run=
if [ -n "${NFD_SAN_PRELOAD:-}" ]; then
	run="env LD_PRELOAD=$NFD_SAN_PRELOAD ASAN_OPTIONS=detect_leaks=0"
fi
gofmt="$(dirname "$go")/gofmt"
if [ -x "$gofmt" ]; then
	unformatted=$("$gofmt" -l .)
	[ -z "$unformatted" ] || { echo "FAIL: not gofmt-formatted: $unformatted" >&2; exit 1; }
fi
"$go" vet ./...
"$go" test -count=1 ${run:+-exec "$run"} ./...
# The example program prints what examples/c/check-host.c prints.
data="$NFD_TOP_SRCDIR/bindings/python/tests/data"
"$go" build -o "$tmp/check-host" ./examples/check-host
$run "$tmp/check-host" -features "$data/features.json" "$data/spec.yaml" >"$tmp/out"
diff -u "$data/check-host.out" "$tmp/out"
rc=0
$run "$tmp/check-host" -features "$data/features.json" -tags avx512 "$data/spec.yaml" >"$tmp/out" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: check-host -tags avx512 exited $rc, want 1" >&2; exit 1; }
diff -u "$data/check-host-avx512.out" "$tmp/out"
# 8 goroutines sharing one Spec and one Features, under the race detector
# (its runtime ships with Go only for some architectures; it cannot share the
# process with ASan).
if [ "$("$go" env GOARCH)" = amd64 ] && [ -z "$run" ]; then
	"$go" test -race -count=1 -run TestConcurrent ./...
fi
