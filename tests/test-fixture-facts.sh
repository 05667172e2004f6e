#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Outside checks of discovery (tests/fixture-facts.py; none of libnfd's code):
#  - every fixture tree's expected.json (written by libnfd) against the
#    tree's own files, or the tool output captured beside it;
#  - this machine: capture-root.sh stores uname -r, lspci -n, lsmod and the
#    /proc/cpuinfo flags beside its copy, and live discovery must agree;
#  - the checker itself must reject a doctored document.
set -u
: "${NFD_BIN:?}" "${NFD_TOP_SRCDIR:?}" "${NFD_FIXTURE_ROOTS:?}"
py=${PYTHON3:-python3}
facts=$NFD_TOP_SRCDIR/tests/fixture-facts.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfd-facts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset NODE_NAME
fail=0

n=0
for exp in "$NFD_FIXTURE_ROOTS"/*/expected.json; do
	tree=$(dirname "$exp")
	"$py" "$facts" "$tree" "$exp" >"$tmp/out" 2>&1 || fail=1
	cat "$tmp/out"
	n=$((n + $(grep -c '^ok:' "$tmp/out")))
done
# gpu-server, sriov-nic, arm64-host, this-vm and h200-gpu-vm have PCI devices,
# modules, kernel and OS facts: far more than 20 checks must have run
[ "$n" -ge 20 ] || { echo "FAIL: only $n outside checks ran over the fixture trees"; fail=1; }

# the checker catches a device that discovery lost
"$py" - "$NFD_FIXTURE_ROOTS/gpu-server/expected.json" >"$tmp/doctored.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["instances"]["pci.device"]["elements"].pop()
json.dump(d, sys.stdout)
PY
if "$py" "$facts" "$NFD_FIXTURE_ROOTS/gpu-server" "$tmp/doctored.json" >"$tmp/out" 2>&1; then
	echo "FAIL: fixture-facts.py accepted a document that lost a PCI device"
	fail=1
else
	echo "ok: fixture-facts.py rejects a document that lost a PCI device"
fi

# this machine, live
if ! bash "$NFD_TOP_SRCDIR/tests/fixtures/capture-root.sh" "$tmp/live" / >"$tmp/capture.log" 2>&1; then
	echo "FAIL: capture-root.sh of this machine failed"
	cat "$tmp/capture.log"
	fail=1
elif ! NFD_LOG=err "$NFD_BIN" export features >"$tmp/live.json" 2>"$tmp/live.err"; then
	echo "FAIL: nfd export features on this machine failed"
	cat "$tmp/live.err"
	fail=1
else
	"$py" "$facts" "$tmp/live" "$tmp/live.json" | sed 's/live: /this machine: /' || fail=1
	[ -s "$tmp/live/capture-facts/uname-r" ] || { echo "FAIL: no uname -r captured"; fail=1; }
fi
exit $fail
