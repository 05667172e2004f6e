#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# nfd export features: options, output files, and the errors a user meets.
set -eu
nfd=${NFD_BIN:?}
src=${NFD_TOP_SRCDIR:?}
roots=${NFD_FIXTURE_ROOTS:-$src/tests/fixtures/roots}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() {
	want=$1 what=$2
	shift 2
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $what: exit $got, expected $want"
		cat "$tmp/err"
		fail=1
	else
		echo "ok: $what"
	fi
}
stderr_has() {
	grep -q "$1" "$tmp/err" || { echo "FAIL: stderr lacks '$1':"; cat "$tmp/err"; fail=1; }
}

# a root that is not there is a typo, not an empty host
expect 2 "missing --root" "$nfd" export features --root "$tmp/nope"
stderr_has "^nfd: $tmp/nope: No such file or directory$"
: >"$tmp/file"
expect 2 "--root on a file" "$nfd" export features --root "$tmp/file"
stderr_has "not a directory"
expect 2 "unknown source" "$nfd" export features --sources cpu,gpu
stderr_has "gpu"
expect 2 "--from with discovery options" "$nfd" export features --from x --root /
expect 2 "unknown option" "$nfd" export features --frobnicate
expect 2 "stray argument" "$nfd" export features extra

# --path writes the same document as standard output
expect 0 "--path" "$nfd" export features --root "$roots/nfd-pci" --sources pci --path "$tmp/pci.json"
cmp -s "$tmp/pci.json" "$roots/nfd-pci/expected.json" || { echo "FAIL: --path output"; fail=1; }

# --from normalises: compact in, NFD's indented form out, byte for byte
tr -d ' \n' <"$roots/nfd-pci/expected.json" >"$tmp/compact.json"
expect 0 "--from" "$nfd" export features --from "$tmp/compact.json"
cmp -s "$tmp/out" "$roots/nfd-pci/expected.json" || { echo "FAIL: --from output"; fail=1; }
expect 0 "--from stdin, --compact" sh -c "'$nfd' export features --from - --compact <'$tmp/compact.json'"
[ "$(cat "$tmp/out")" = "$(cat "$tmp/compact.json")" ] || { echo "FAIL: --compact output"; fail=1; }
printf '{"flags": [' >"$tmp/bad.json"
expect 2 "--from malformed" "$nfd" export features --from "$tmp/bad.json"
stderr_has "bad.json:1:"
expect 0 "--help" "$nfd" export features --help
expect 2 "no command" "$nfd"
expect 2 "unknown group command" "$nfd" export nosuch
expect 0 "version" "$nfd" version
exit $fail
