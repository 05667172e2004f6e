#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Proof that tests/check-abi.sh can fail.  In a temporary tree, a small
# library is built from copies of the real public headers twice: once as
# they are (the "release", recorded with abidw as the baseline) and once
# with one deliberate change.  check-abi.sh must reject each break and accept
# a symbol added in a new version node:
#   - a field inserted into struct nfd_oci_options (a caller-allocated struct)
#   - a parameter added to nfd_ctx_get_root()
#   - nfd_ctx_get_root() removed
#   - an enumerator of enum nfd_path renumbered
#   - a new symbol added to the released node LIBNFD_1.0
#   + a new symbol in LIBNFD_1.1 (must pass)
set -uo pipefail
src=${NFD_TOP_SRCDIR:?}
build=${NFD_TOP_BUILDDIR:?}
CC=${CC:-cc}
for tool in abidw abidiff "$CC"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found (Debian: abigail-tools)"
		exit 77
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[[ -n ${NFD_KEEP_TMP:-} ]] && trap - EXIT && echo "keeping $tmp"

cat >"$tmp/lib.c" <<'EOF'
#include <nfd/nfd.h>
#define API __attribute__((visibility("default")))

API int nfd_oci_options_init(struct nfd_oci_options *o, unsigned int version)
{
	return o && version ? 0 : -22;
}

#ifdef CHANGED_SIGNATURE
API const char *nfd_ctx_get_root(const struct nfd_ctx *ctx, int which)
{
	return ctx && which ? "/" : 0;
}
#elif !defined(REMOVED)
API const char *nfd_ctx_get_root(const struct nfd_ctx *ctx)
{
	return ctx ? "/" : 0;
}
#endif

API const char *nfd_ctx_get_path(const struct nfd_ctx *ctx, enum nfd_path which)
{
	return ctx && which == NFD_PATH_SYS ? "/sys" : 0;
}

#ifdef ADDED
API int nfd_selftest_added(void)
{
	return 1;
}
#endif
EOF

# build NAME NODE_OF_ADDED SED_EXPR_FOR_HEADERS CFLAGS...
build_variant() {
	local name=$1 node=$2 edit=$3
	shift 3
	local dir=$tmp/$name
	mkdir -p "$dir/include/nfd"
	cp "$src"/include/nfd/*.h "$build"/include/nfd/version.h "$dir/include/nfd/"
	if [[ -n $edit ]]; then
		sed -i -e "$edit" "$dir"/include/nfd/*.h
	fi
	{
		echo "LIBNFD_1.0 { global: nfd_oci_options_init; nfd_ctx_get_root; nfd_ctx_get_path;"
		[[ $node == LIBNFD_1.0 ]] && echo " nfd_selftest_added;"
		echo "local: *; };"
		[[ $node == LIBNFD_1.1 ]] && echo "LIBNFD_1.1 { global: nfd_selftest_added; } LIBNFD_1.0;"
	} >"$dir/lib.sym"
	"$CC" -g -O0 -shared -fPIC -fvisibility=hidden -I"$dir/include" "$@" \
		-Wl,--version-script="$dir/lib.sym" -Wl,-soname,libnfd.so.1 \
		-o "$dir/libnfd.so.1" "$tmp/lib.c" || {
		echo "FAIL: could not build the $name variant"
		exit 1
	}
}

status=0
expect() {
	local want=$1 name=$2 why=$3 rc
	"$src/tests/check-abi.sh" "$tmp/release.abi" "$tmp/$name/libnfd.so.1" \
		"$tmp/$name/include/nfd" >"$tmp/$name.log" 2>&1
	rc=$?
	if [[ $want == fail && $rc -eq 1 ]] || [[ $want == pass && $rc -eq 0 ]]; then
		echo "ok: $why: check-abi.sh $([[ $want == pass ]] && echo passes || echo fails)"
	else
		echo "FAIL: $why: check-abi.sh exited $rc, expected to $want:"
		cat "$tmp/$name.log"
		status=1
	fi
}

build_variant release "" ""
abidw --no-corpus-path --no-comp-dir-path --short-locs --drop-private-types \
	--hd "$tmp/release/include/nfd" --out-file "$tmp/release.abi" "$tmp/release/libnfd.so.1" || {
	echo "FAIL: abidw"
	exit 1
}

build_variant same "" ""
expect pass same "an identical rebuild"

build_variant struct "" 's/^\(struct nfd_oci_options {\)$/\1\n\tint inserted;/'
grep -q 'int inserted;' "$tmp/struct/include/nfd/oci.h" || {
	echo "FAIL: the self-test could not edit struct nfd_oci_options"
	exit 1
}
expect fail struct "a field inserted into struct nfd_oci_options"

build_variant signature "" \
	's/^const char \*nfd_ctx_get_root(const struct nfd_ctx \*ctx);/const char *nfd_ctx_get_root(const struct nfd_ctx *ctx, int which);/' \
	-DCHANGED_SIGNATURE
grep -q 'int which);' "$tmp/signature/include/nfd/ctx.h" || {
	echo "FAIL: the self-test could not edit nfd_ctx_get_root()"
	exit 1
}
expect fail signature "a parameter added to nfd_ctx_get_root()"

build_variant removed "" "" -DREMOVED
expect fail removed "nfd_ctx_get_root() removed"

build_variant enum "" 's/^\tNFD_PATH_SYS = 0,$/\tNFD_PATH_SYS = 7,/'
grep -q 'NFD_PATH_SYS = 7' "$tmp/enum/include/nfd/ctx.h" || {
	echo "FAIL: the self-test could not edit enum nfd_path"
	exit 1
}
expect fail enum "enum nfd_path renumbered"

build_variant added10 LIBNFD_1.0 "" -DADDED
expect fail added10 "a symbol added to the released node LIBNFD_1.0"

build_variant added11 LIBNFD_1.1 "" -DADDED
expect pass added11 "a symbol added in LIBNFD_1.1"

exit $status
