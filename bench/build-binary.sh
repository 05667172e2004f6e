# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the bench scripts that time a whole `nfd` process.
#
# build_binary PATH: in REPLY, the binary to time for PATH.  A build tree's
# tools/nfd is libtool's wrapper script; the real binary is in .libs/ and
# needs the build's libnfd (exported in LD_LIBRARY_PATH), or the wrapper's
# own bash start-up would be counted.  Any other PATH is returned as given.
build_binary() {
	local dir
	dir=$(dirname "$1")
	REPLY=$1
	if [[ $1 == */* && -x $dir/.libs/$(basename "$1") ]]; then
		REPLY=$dir/.libs/$(basename "$1")
		LD_LIBRARY_PATH=$(cd "$dir/../libnfd/.libs" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
		export LD_LIBRARY_PATH
	fi
}
