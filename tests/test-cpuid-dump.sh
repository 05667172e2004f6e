#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# End to end through the tools: capture this CPU with nfd-cpuid-dump, replay
# it with `nfd export features --cpuid-dump`, and require the cpu source's
# output to be byte-identical to live discovery (same sysfs, same CPUID).
# Then check that a malformed dump is refused with its line number.
set -eu

nfd="${NFD_BIN:?}"
dumper="${NFD_TOP_BUILDDIR:?}/tools/nfd-cpuid-dump"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-cpuid.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case $(uname -m) in
x86_64 | i?86) ;;
*)
	echo "SKIP: no CPUID on $(uname -m)"
	[ "${NFD_NO_SKIP:-0}" = 1 ] && exit 1
	exit 77
	;;
esac

"$dumper" "$tmp/live.dump"
grep -q '^CPUID 00000000:0 = ' "$tmp/live.dump"
grep -q '^XGETBV 0 = ' "$tmp/live.dump"

NFD_LOG=err "$nfd" export features --sources cpu >"$tmp/live.json"
NFD_LOG=err "$nfd" export features --sources cpu --cpuid-dump "$tmp/live.dump" >"$tmp/replay.json"
if ! cmp -s "$tmp/live.json" "$tmp/replay.json"; then
	echo "FAIL: replaying the live dump differs from live discovery"
	diff -u "$tmp/live.json" "$tmp/replay.json" | head -40
	exit 1
fi
grep -q '"SSE2": {}' "$tmp/live.json"

printf 'CPUID 0:0 = 1 2 3 4\nCPUID 1:0 = 1 2 3\n' >"$tmp/bad.dump"
# A dump the caller gave that cannot be replayed is an error (exit 2), not
# a host without CPUID features.
rc=0
"$nfd" export features --sources cpu --cpuid-dump "$tmp/bad.dump" >"$tmp/bad.json" 2>"$tmp/bad.err" || rc=$?
if [ "$rc" -ne 2 ]; then
	echo "FAIL: a malformed dump exited $rc, not 2"
	exit 1
fi
rc=0
"$nfd" export features --sources cpu --cpuid-dump /dev/zero >/dev/null 2>"$tmp/zero.err" || rc=$?
if [ "$rc" -ne 2 ] || ! grep -q 'not a regular file' "$tmp/zero.err"; then
	echo "FAIL: --cpuid-dump /dev/zero exited $rc:"
	cat "$tmp/zero.err"
	exit 1
fi
grep -q 'bad.dump:2:' "$tmp/bad.err" || {
	echo "FAIL: no line number for the malformed dump:"
	cat "$tmp/bad.err"
	exit 1
}
echo "ok: live and replayed cpu features are identical"
