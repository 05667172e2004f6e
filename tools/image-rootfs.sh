#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Stage the root file system of the nfd container image (Containerfile,
# `make image`, doc/kubernetes.md): the built nfd and libnfd.so.1, every
# library they link AND every library libnfd dlopen()s at run time (named
# in the .note.dlopen notes its loaders leave), the closure of their
# DT_NEEDED entries, the ELF interpreter, and the CA bundle.  Libraries come from this host's loader
# paths (ldconfig -p); nothing is downloaded.
#
#   tools/image-rootfs.sh SRCDIR BUILDDIR ROOTFS
set -euo pipefail
src=$1 build=$2 root=$3

die() { echo "image-rootfs: $*" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/etc/ssl/certs" "$root/tmp"

# the real binaries behind libtool's wrappers
nfd=$build/tools/.libs/nfd
[[ -x $nfd ]] || nfd=$build/tools/nfd
lib=$(ls "$build"/libnfd/.libs/libnfd.so.1.* 2>/dev/null | head -n1)
[[ -x $nfd && -n $lib ]] || die "build nfd and libnfd first"
file "$nfd" | grep -q ELF || die "$nfd is not an ELF file"
install -m 0755 "$nfd" "$root/usr/bin/nfd"
install -m 0644 "$lib" "$root/usr/lib/libnfd.so.1"
strip --strip-unneeded "$root/usr/bin/nfd" "$root/usr/lib/libnfd.so.1"

# where the loader finds a soname (this machine's architecture)
declare -A where
while read -r name _ arrow path; do
	[[ $arrow == "=>" && -z ${where[$name]:-} ]] && where[$name]=$path
done < <(ldconfig -p | tail -n +2 | sed 's/^[[:space:]]*//; s/ (\([^)]*\))/ \1/')

# The libraries libnfd opens at run time, as the binaries themselves name
# them: the ELF notes NFD_DLOPEN() leaves (.note.dlopen, libnfd/dl.h), in
# libnfd.so.1 and in nfd (which may hold libnfd's objects itself).  A build
# with --disable-dlopen has none: it links them, and DT_NEEDED finds them.
dlopen_sonames() {
	local f
	for f; do
		objcopy -O binary --only-section=.note.dlopen "$f" "$root/.notes" 2>/dev/null &&
			grep -aoE '"soname":\["[^]]*\]' "$root/.notes" | grep -oE 'lib[^"]+\.so\.[0-9]+'
	done
	rm -f "$root/.notes"
	return 0
}
sonames=$(dlopen_sonames "$nfd" "$lib" | sort -u)
echo "image-rootfs: opened at run time:" $sonames
queue=($sonames)
declare -A seen
add_needed() {
	local f=$1 n
	for n in $(objdump -p "$f" | awk '$1 == "NEEDED" { print $2 }'); do
		queue+=("$n")
	done
}
add_needed "$root/usr/bin/nfd"
add_needed "$root/usr/lib/libnfd.so.1"
while ((${#queue[@]})); do
	so=${queue[0]}
	queue=("${queue[@]:1}")
	[[ -n ${seen[$so]:-} || $so == libnfd.so.1 ]] && continue
	seen[$so]=1
	path=${where[$so]:-}
	[[ -n $path ]] || die "$so: not found by the loader (install its package)"
	mkdir -p "$root$(dirname "$path")"
	cp -L "$path" "$root$path"
	add_needed "$path"
done

# the ELF interpreter at exactly the path the binary names; where the
# closure already holds it (libc NEEDs it), as a link to that copy, as
# Debian lays it out (/lib64/ld-linux-x86-64.so.2 -> the multiarch one)
interp=$(readelf -l "$nfd" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[[ -n $interp ]] || die "no PT_INTERP in nfd"
mkdir -p "$root$(dirname "$interp")"
copy=${where[$(basename "$interp")]:-}
if [[ -n $copy && $copy != "$interp" && -f $root$copy ]]; then
	ln -sf "$(realpath -m --relative-to="$(dirname "$interp")" "$copy")" "$root$interp"
else
	cp -L "$interp" "$root$interp"
fi
# the loader's default path must find /usr/lib/libnfd.so.1: keep it there and
# make the multiarch directory the loader searches hold a link
for d in "$root"/usr/lib/*-linux-gnu; do
	[[ -d $d ]] && ln -sf ../libnfd.so.1 "$d/libnfd.so.1"
done

cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
# glibc resolves names from files and DNS; resolv.conf and hosts come from the runtime
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
echo "image-rootfs: $(find "$root" -type f | wc -l) files, $(du -sk "$root" | cut -f1) KiB in $root"
