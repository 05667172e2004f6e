#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Style gate (`make check-format`, run by .ci/run): every C file is as
# clang-format (the .clang-format at the top) writes it, and starts with the
# one SPDX line.  In a git checkout the tracked files are checked, in a
# release tarball every C file.  See doc/conventions.md §9.
set -euo pipefail
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
	echo "check-format: $CLANG_FORMAT not found (Debian: apt-get install clang-format)" >&2
	exit 1
fi
if [[ -e .git ]] && command -v git >/dev/null; then
	mapfile -d '' files < <(git ls-files -z -- '*.c' '*.h' '*.cc' '*.h.in')
else
	mapfile -d '' files < <(find . -path './build*' -prune -o -type f \
		\( -name '*.c' -o -name '*.h' -o -name '*.cc' -o -name '*.h.in' \) -print0)
fi

status=0
spdx='/* SPDX-License-Identifier: LGPL-2.1-or-later */'
c_files=()
for f in "${files[@]}"; do
	[[ $f == *.h.in ]] || c_files+=("$f")
done
"$CLANG_FORMAT" --dry-run --Werror --style=file "${c_files[@]}" || status=1
for f in "${files[@]}"; do
	if [[ $(head -n 1 "$f") != "$spdx" ]]; then
		echo "$f:1: the first line must be: $spdx"
		status=1
	fi
done
if [[ $status -ne 0 ]]; then
	echo "check-format: run clang-format -i on the files above" >&2
else
	echo "check-format: ${#files[@]} files clean"
fi
exit $status
