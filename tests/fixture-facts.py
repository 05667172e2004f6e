#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check a features document against facts that do not come from libnfd.

    fixture-facts.py TREE FEATURES.json

The facts come from the system's own tools when the tree was captured live
(TREE/capture-facts/, written by tests/fixtures/capture-root.sh: uname -r,
lspci -n, lsmod, the flags line of /proc/cpuinfo, /etc/os-release), or else
are read straight from the tree's files with this script's own small
parsers (sysfs vendor/device/class, /proc/modules, osrelease, os-release).
Either way none of libnfd's code is involved, so an expected.json written by
libnfd, or a live discovery, is checked by an outside source:

- pci.device: the set of (vendor, device, class) equals lspci's / sysfs's;
- kernel.loadedmodule: the module names equal lsmod's / /proc/modules';
- kernel.version.full equals uname -r / proc/sys/kernel/osrelease;
- system.osrelease ID and VERSION_ID equal os-release's;
- cpu.cpuid: every flag of a fixed list present in /proc/cpuinfo is there.

Prints one "ok:" or "FAIL:" line per check; exits 1 on any failure.
"""

import json
import os
import re
import sys

# /proc/cpuinfo flag -> NFD's cpu.cpuid name (the Linux names that NFD
# renames; the rest are the same name in upper case)
CPUINFO_TO_NFD = {
    "sse4_1": "SSE4", "sse4_2": "SSE42", "avx2": "AVX2", "avx512f": "AVX512F",
    "avx512bw": "AVX512BW", "avx512vl": "AVX512VL", "avx512_vnni": "AVX512VNNI",
    "avx512_bf16": "AVX512BF16", "avx512_fp16": "AVX512FP16", "amx_tile": "AMXTILE",
    "amx_bf16": "AMXBF16", "amx_int8": "AMXINT8", "fma": "FMA3", "aes": "AESNI",
    "sha_ni": "SHA", "adx": "ADX", "bmi1": "BMI1", "bmi2": "BMI2", "avx": "AVX",
    "f16c": "F16C", "movbe": "MOVBE", "popcnt": "POPCNT", "rdrand": "RDRAND",
    "rdseed": "RDSEED", "vaes": "VAES", "vpclmulqdq": "VPCLMULQDQ", "gfni": "GFNI",
}

failed = False


def check(ok, what, detail=""):
    global failed
    print(("ok: " if ok else "FAIL: ") + what + ("" if ok else f": {detail}"))
    failed = failed or not ok


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def sysfs_hex(path, digits):
    text = read(path)
    if text is None:
        return None
    return text.strip().lower().removeprefix("0x")[:digits].rjust(digits, "0")


def pci_facts(tree):
    """(vendor, device, class) of every device, from lspci -n or sysfs."""
    lspci = read(os.path.join(tree, "capture-facts", "lspci-n"))
    if lspci is not None:
        devs = set()
        for line in lspci.splitlines():
            # "00:06.0 0302: 10de:2335 (rev a1)"
            m = re.match(r"\S+ ([0-9a-f]{4}): ([0-9a-f]{4}):([0-9a-f]{4})", line)
            if m:
                devs.add((m.group(2), m.group(3), m.group(1)))
        return devs, "lspci -n"
    base = os.path.join(tree, "sys", "bus", "pci", "devices")
    if not os.path.isdir(base):
        return None, None
    devs = set()
    for name in os.listdir(base):
        d = os.path.join(base, name)
        vendor, device = sysfs_hex(f"{d}/vendor", 4), sysfs_hex(f"{d}/device", 4)
        cls = sysfs_hex(f"{d}/class", 6)
        if vendor and device and cls:  # NFD skips a device it cannot read
            devs.add((vendor, device, cls[:4]))
    return devs, "sysfs vendor/device/class files"


def module_facts(tree):
    lsmod = read(os.path.join(tree, "capture-facts", "lsmod"))
    if lsmod is not None:
        return {l.split()[0] for l in lsmod.splitlines()[1:] if l.strip()}, "lsmod"
    modules = read(os.path.join(tree, "proc", "modules"))
    if modules is None:
        return None, None
    return {l.split()[0] for l in modules.splitlines() if l.strip()}, "proc/modules"


def kernel_facts(tree):
    uname = read(os.path.join(tree, "capture-facts", "uname-r"))
    if uname is not None:
        return uname.strip(), "uname -r"
    rel = read(os.path.join(tree, "proc", "sys", "kernel", "osrelease"))
    return (rel.strip(), "proc/sys/kernel/osrelease") if rel is not None else (None, None)


def os_release_facts(tree):
    text = read(os.path.join(tree, "capture-facts", "os-release"))
    what = "/etc/os-release sourced by sh"
    if text is None:
        text = read(os.path.join(tree, "etc", "os-release"))
        what = "etc/os-release"
    if text is None:
        return None, None
    values = {}
    for line in text.splitlines():
        m = re.match(r'([A-Z_]+)=(["\']?)(.*)\2$', line.strip())
        if m:
            values[m.group(1)] = m.group(3)
    return values, what


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tree, doc_path = sys.argv[1], sys.argv[2]
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    flags, attrs, insts = doc.get("flags") or {}, doc.get("attributes") or {}, doc.get("instances") or {}
    name = os.path.basename(os.path.normpath(tree))

    devs, src = pci_facts(tree)
    if devs is not None and "pci.device" in insts:
        got = {(e["attributes"]["vendor"], e["attributes"]["device"], e["attributes"]["class"])
               for e in insts["pci.device"]["elements"]}
        check(got == devs, f"{name}: pci.device equals {src} ({len(devs)} devices)",
              f"only in discovery {sorted(got - devs)}, only in {src} {sorted(devs - got)}")

    mods, src = module_facts(tree)
    if mods is not None and "kernel.loadedmodule" in flags:
        got = set(flags["kernel.loadedmodule"]["elements"])
        check(got == mods, f"{name}: kernel.loadedmodule equals {src} ({len(mods)} modules)",
              f"only in discovery {sorted(got - mods)}, only in {src} {sorted(mods - got)}")

    rel, src = kernel_facts(tree)
    if rel is not None and "kernel.version" in attrs:
        got = attrs["kernel.version"]["elements"].get("full")
        check(got == rel, f"{name}: kernel.version.full equals {src}", f"{got!r} != {rel!r}")

    osr, src = os_release_facts(tree)
    if osr is not None and "system.osrelease" in attrs:
        got = attrs["system.osrelease"]["elements"]
        for key in ("ID", "VERSION_ID"):
            if key in osr:
                check(got.get(key) == osr[key], f"{name}: system.osrelease.{key} equals {src}",
                      f"{got.get(key)!r} != {osr[key]!r}")

    cpuinfo = read(os.path.join(tree, "capture-facts", "cpuinfo-flags"))
    if cpuinfo and "cpu.cpuid" in flags:
        have = set(cpuinfo.split(":", 1)[1].split())
        got = set(flags["cpu.cpuid"]["elements"])
        missing = sorted(n for f, n in CPUINFO_TO_NFD.items() if f in have and n not in got)
        check(not missing, f"{name}: cpu.cpuid has the /proc/cpuinfo flags of the list",
              f"missing {missing}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
