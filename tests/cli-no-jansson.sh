#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# jansson is opened on first use (libnfd/jansson-dl.h).  A libjansson.so.4
# that cannot serve (here: one found first on LD_LIBRARY_PATH that exports
# none of jansson's functions, as an unrelated or truncated file would)
# must cost only what needs JSON trees, with a message that names the
# library: NodeFeatureRule dry runs and OCI documents fail with exit 2 and
# no "out of memory", while export and validate-node, which need no
# jansson, still work.
. "${NFD_TOP_SRCDIR:?}/tests/cli-lib.sh"
: "${CC:?}"
top=$NFD_TOP_SRCDIR

mkdir "$tmp/lib"
echo 'int nfd_test_not_jansson;' >"$tmp/empty.c"
$CC -shared -fPIC -Wl,-soname,libjansson.so.4 -o "$tmp/lib/libjansson.so.4" "$tmp/empty.c" ||
	{ echo "cannot build the stand-in library"; exit 99; }
export LD_LIBRARY_PATH="$tmp/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
features=${NFD_FIXTURE_ROOTS:-$top/tests/fixtures/roots}/this-vm/expected.json
[ -r "$features" ] || { echo "cannot read $features"; exit 99; }

# expect STATUS WORDS -- CMD...: exit status STATUS and WORDS in stderr, no "out of memory"
expect() {
	local want=$1 words=$2 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || fail "$* exited $rc, not $want: $(cat "$tmp/err")"
	grep -qF -- "$words" "$tmp/err" || fail "$*: stderr lacks '$words': $(cat "$tmp/err")"
	! grep -qi 'out of memory' "$tmp/err" || fail "$*: says out of memory: $(cat "$tmp/err")"
}

expect 2 "libjansson.so.4 has no json_array" -- \
	"$NFD_BIN" rule dryrun --rule "$top/tests/fixtures/rules/group.yaml" --features "$features"
# features from stdin: no NodeFeature labels to read, the library's own check
expect 2 "NodeFeatureRule outputs need jansson: libjansson.so.4 has no json_array" -- \
	"$NFD_BIN" rule dryrun --rule "$top/tests/fixtures/rules/group.yaml" --features - <"$features"
expect 2 "cannot read JSON: libjansson.so.4 has no json_array" -- \
	"$NFD_BIN" compat validate-node --image "oci:$top/examples/oci-layout" --features "$features"

# what needs no JSON tree is not affected
"$NFD_BIN" export features --from "$features" >"$tmp/out" 2>"$tmp/err" ||
	fail "export features --from: $(cat "$tmp/err")"
"$NFD_BIN" compat validate-node --spec "$top/examples/host-basic.yaml" --features "$features" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -le 1 ] || fail "validate-node --spec exited $rc: $(cat "$tmp/err")"

exit $failed
