#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One-step set-up on a fresh Debian 12 machine (as root, or with sudo):
# installs the build and test dependencies, builds libnfd in ./build, then
#
#   ./bootstrap.sh run     validates this host against examples/host-basic.yaml
#   ./bootstrap.sh check   runs the whole test suite (make check)
#   ./bootstrap.sh deps    only installs the packages
#
# NFD_SKIP_APT=1 skips the package installation (for machines already set up).
set -euo pipefail

mode=${1:-run}
top=$(cd "$(dirname "$0")" && pwd)
build=${NFD_BUILD_DIR:-$top/build}
jobs=$(nproc 2>/dev/null || echo 2)

packages=(
	# build
	build-essential g++ autoconf automake libtool pkg-config scdoc
	# style and ABI gates (make check-format, tests/check-abi.sh)
	clang-format abigail-tools
	# libraries
	libjansson-dev libyaml-dev libpcre2-dev libssl-dev zlib1g-dev
	libcpuid-dev libpci-dev libkmod-dev libblkid-dev
	# tests
	libcmocka-dev python3 python3-pytest python3-setuptools golang-go
	docker-registry apache2-utils openssl curl ca-certificates e2fsprogs
	# tests/oci/proxy.sh: a real HTTP proxy (CONNECT for https)
	tinyproxy
	# nfd-oci-hook's end-to-end test: a real runtime and a static busybox image
	podman runc buildah busybox-static uidmap slirp4netns
	# deploy/: manifests checked against the Kubernetes API models
	python3-yaml python3-kubernetes
	# the shell tools the discovery benchmark compares against
	pciutils usbutils kmod util-linux
	# .ci/fuzz: clang's libFuzzer with ASan and UBSan
	clang libclang-rt-14-dev
	# make coverage
	lcov
)

install_deps() {
	[[ ${NFD_SKIP_APT:-0} == 1 ]] && return 0
	local sudo=()
	[[ $(id -u) -ne 0 ]] && sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"
}

build() {
	cd "$top"
	[[ -x configure && configure -nt configure.ac ]] || ./autogen.sh
	mkdir -p "$build"
	cd "$build"
	[[ -f Makefile ]] || "$top/configure" --enable-werror
	make -j"$jobs"
}

case $mode in
deps)
	install_deps
	;;
run)
	install_deps
	build
	# exit 0: compatible; 1: incompatible; >= 2: an error (see nfd(1))
	"$build/tools/nfd" compat validate-node --spec "$top/examples/host-basic.yaml"
	;;
check)
	install_deps
	build
	# every test dependency was just installed: a test that skips is broken
	export NFD_NO_SKIP=1
	make -j"$jobs" check || { cat test-suite.log 2>/dev/null | tail -200; exit 1; }
	;;
*)
	echo "usage: $0 run|check|deps" >&2
	exit 2
	;;
esac
