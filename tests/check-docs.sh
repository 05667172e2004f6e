#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every function exported by libnfd.so has a doc block in include/nfd/: a
# "/**" comment right above its declaration that names it ("name:"), has one
# "@param:" line per parameter and, unless it returns void, a "Returns:" line;
# and every call that can fail for more than a bad argument (a constructor, an
# int call with a ret output or that may run out of memory) carries
# NFD_WARN_UNUSED.  See doc/conventions.md §6.
set -eu
lib=${NFD_LIBRARY:?}
src=${NFD_TOP_SRCDIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRBW]$/ { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$tmp/exported"

# One record per declaration: "name<TAB>return type<TAB>params<TAB>attributes<TAB>doc".
awk '
function flush_decl(    name, ret, params, attrs, rest) {
	# decl: "type name(params) [NFD_WARN_UNUSED];"
	gsub(/[ \t]+/, " ", decl)
	if (!match(decl, /nfd_[a-z0-9_]+\(/))
		return
	name = substr(decl, RSTART, RLENGTH - 1)
	ret = substr(decl, 1, RSTART - 1)
	rest = substr(decl, RSTART + RLENGTH)
	params = rest
	sub(/\).*/, "", params)
	attrs = rest
	sub(/^[^)]*\)/, "", attrs)
	gsub(/\t/, " ", doc)
	printf "%s\t%s\t%s\t%s\t%s\n", name, ret, params, attrs, doc
}
/^\/\*\*/ { indoc = 1; doc = ""; }
indoc { doc = doc " " $0; if ($0 ~ /\*\//) { indoc = 0; lastdoc = doc; gap = 0 } ; next }
indecl {
	decl = decl " " $0
	if ($0 ~ /;[ \t]*$/) { indecl = 0; doc = lastdoc; flush_decl(); lastdoc = "" }
	next
}
/^[a-z]/ && !/^(static|typedef|struct [a-z_]+;|struct [a-z_]+ \{|enum|extern)/ && /nfd_[a-z0-9_]+\(/ {
	decl = $0
	if ($0 ~ /;[ \t]*$/) { doc = lastdoc; flush_decl(); lastdoc = "" }
	else indecl = 1
	next
}
/^[ \t]*$/ { next }
{ lastdoc = "" }
' "$src"/include/nfd/*.h "$src"/include/nfd/*.h.in >"$tmp/decls"

status=0
fail() {
	echo "FAIL: $*"
	status=1
}

while read -r sym; do
	line=$(awk -F '\t' -v s="$sym" '$1 == s' "$tmp/decls")
	if [ -z "$line" ]; then
		fail "$sym: no declaration in include/nfd/"
		continue
	fi
	ret=$(printf '%s\n' "$line" | cut -f2)
	params=$(printf '%s\n' "$line" | cut -f3)
	attrs=$(printf '%s\n' "$line" | cut -f4)
	doc=$(printf '%s\n' "$line" | cut -f5)
	case $doc in
	*" $sym:"*) ;;
	*)
		fail "$sym: no doc block (\"/**\" ... \"$sym:\") right above its declaration"
		continue
		;;
	esac
	# parameter names: the last identifier of each comma-separated part
	printf '%s\n' "$params" | tr ',' '\n' | sed 's/\[.*\]//; s/[^A-Za-z0-9_]*$//' |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*$' | grep -vxE 'void' >"$tmp/params" || true
	while read -r p; do
		case $doc in
		*"@$p:"*) ;;
		*) fail "$sym: no \"@$p:\" line" ;;
		esac
	done <"$tmp/params"
	case $ret in
	"void "*) ;;
	*)
		case $doc in
		*"Returns:"*) ;;
		*) fail "$sym: no \"Returns:\" line" ;;
		esac
		;;
	esac
	# fallible: it creates an object, or returns int and can fail for more
	# than a bad argument (it has a ret output or may run out of memory)
	fallible=no
	case $sym in
	*_new) fallible=yes ;;
	esac
	case $ret in
	int*)
		if grep -qxE 'ret(_[a-z]+)?' "$tmp/params"; then fallible=yes; fi
		case $doc in *"-ENOMEM"*) fallible=yes ;; esac
		;;
	esac
	if [ $fallible = yes ]; then
		case $attrs in
		*NFD_WARN_UNUSED*) ;;
		*) fail "$sym: can fail but is not declared NFD_WARN_UNUSED" ;;
		esac
	fi
done <"$tmp/exported"

n=$(wc -l <"$tmp/exported")
if [ "$status" -eq 0 ]; then
	echo "ok: $n exported functions documented"
fi
exit $status
