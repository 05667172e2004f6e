# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the nfd command's script tests (tests/cli-*.sh): the variables
# make check sets, a scratch directory $tmp removed on exit, and fail(),
# which reports and goes on; the test ends with `exit $failed`.
set -u
: "${NFD_BIN:?run through make check}" "${NFD_TOP_SRCDIR:?run through make check}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}
