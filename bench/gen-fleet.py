#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""gen-fleet.py ROOTS OUTDIR [NODES] [SPECS]

A realistic fleet for the many-node benchmarks, built from the fixture roots
(tests/fixtures/roots/*/expected.json): NODES NodeFeature objects in the
List that `kubectl get nodefeatures -A -o json` prints (OUTDIR/fleet.json,
about 45 KB per node: ~1,700 kernel.config entries from the this-vm capture), with
varied values (kernel versions, OS releases, PCI devices, CPU flags, loaded
modules, kconfig options), every 10th node with a third-party object as
well; OUTDIR/node-N.json, the first 20 nodes as single export documents;
OUTDIR/spec-10.yaml, a 10-rule spec, OUTDIR/spec-100.yaml, a 100-rule spec in
4 sets (the single-node process benchmark), and OUTDIR/specs/spec-NNN.yaml,
SPECS varied specs.  Deterministic (fixed seed)."""
import copy
import glob
import json
import os
import random
import sys

roots, out = sys.argv[1], sys.argv[2]
n_nodes = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
n_specs = int(sys.argv[4]) if len(sys.argv) > 4 else 100
# kubectl indents by 4 (about 2.3 times the size); FLEET_INDENT=0 writes each
# item on one line, which gives the 45 KB per node of a compact export
pretty = os.environ.get("FLEET_INDENT", "0") != "0"
rnd = random.Random(11)

bases = {}
for p in sorted(glob.glob(os.path.join(roots, "*", "expected.json"))):
    with open(p) as f:
        bases[os.path.basename(os.path.dirname(p))] = json.load(f)
full = [b for b in bases.values() if "pci.device" in b["instances"]]
kconfig = bases["this-vm"]["attributes"]["kernel.config"]["elements"]
cpuid = sorted(bases["h200-gpu-vm"]["flags"]["cpu.cpuid"]["elements"])
extra_flags = ["AVX512F", "AVX512BW", "AVX512VL", "AVX512_VNNI", "AMX_TILE", "AMX_BF16",
               "SHA", "VAES", "VPCLMULQDQ", "GFNI"]
os_releases = [("ubuntu", "22.04"), ("ubuntu", "24.04"), ("debian", "12"), ("rhel", "9.4"),
               ("rocky", "9.3"), ("flatcar", "3815.2.0")]
gpus = [("10de", "0302", "2330"), ("10de", "0302", "20b5"), ("10de", "0300", "2684"),
        ("1002", "0380", "740f"), ("8086", "0380", "0bd5")]
nics = [("15b3", "0200", "101d"), ("8086", "0200", "1592"), ("14e4", "0200", "16d7")]


def vary_node(i):
    base = copy.deepcopy(full[i % len(full)])
    name = "node-%05d" % i
    attrs = base["attributes"]
    major, minor = rnd.choice([(5, 4), (5, 15), (6, 1), (6, 5), (6, 8), (6, 11)])
    rev = rnd.randrange(0, 200)
    attrs["kernel.version"] = {"elements": {
        "full": "%d.%d.%d-%d-generic" % (major, minor, rev, rnd.randrange(10, 120)),
        "major": str(major), "minor": str(minor), "revision": str(rev)}}
    osid, ver = rnd.choice(os_releases)
    attrs["system.osrelease"] = {"elements": {
        "ID": osid, "VERSION_ID": ver, "VERSION_ID.major": ver.split(".")[0],
        "VERSION_ID.minor": ver.split(".")[1] if "." in ver else ""}}
    attrs["system.name"] = {"elements": {"nodename": name}}
    kc = {}
    for k, v in kconfig.items():
        r = rnd.random()
        if r < 0.03:
            continue
        kc[k] = ("m" if v == "y" else "y") if r < 0.08 else v
    attrs["kernel.config"] = {"elements": kc}
    attrs["memory.hugepages"] = {"elements": {
        "enabled": rnd.choice(["true", "false"]),
        "hugepages-1Gi": str(rnd.choice([0, 0, 8, 16, 64])),
        "hugepages-2Mi": str(rnd.choice([0, 512, 1024]))}}
    flags = base["flags"]
    cpu = [f for f in cpuid if rnd.random() > 0.05]
    cpu += [f for f in extra_flags if rnd.random() < 0.4]
    flags["cpu.cpuid"] = {"elements": {f: {} for f in sorted(cpu)}}
    mods = dict(flags.get("kernel.loadedmodule", {}).get("elements") or {})
    devs = [d for d in base["instances"]["pci.device"]["elements"] if rnd.random() > 0.2]
    for _ in range(rnd.choice([0, 0, 1, 2, 4, 8])):
        v, c, d = rnd.choice(gpus)
        devs.append({"attributes": {"vendor": v, "class": c, "device": d,
                                    "sriov_totalvfs": "0"}})
        if v == "10de":
            mods.update({"nvidia": {}, "nvidia_uvm": {}})
    v, c, d = rnd.choice(nics)
    devs.append({"attributes": {"vendor": v, "class": c, "device": d,
                                "sriov_totalvfs": str(rnd.choice([0, 8, 64]))}})
    base["instances"]["pci.device"] = {"elements": devs}
    flags["kernel.loadedmodule"] = {"elements": mods}
    return name, base


def nodefeature(name, ns, objname, features):
    return {
        "apiVersion": "nfd.k8s-sigs.io/v1alpha1",
        "kind": "NodeFeature",
        "metadata": {
            "annotations": {"nfd.node.kubernetes.io/worker.version": "v0.19.0"},
            "creationTimestamp": "2026-07-30T10:00:00Z",
            "generation": 1,
            "labels": {"nfd.node.kubernetes.io/node-name": name},
            "name": objname,
            "namespace": ns,
            "resourceVersion": str(rnd.randrange(10 ** 6, 10 ** 7)),
            "uid": "%08x-0000-4000-8000-%012x" % (rnd.getrandbits(32), rnd.getrandbits(48)),
        },
        "spec": {"features": features, "labels": {}},
    }


def indent(text, n):
    pad = " " * n
    return "\n".join(pad + line if line else line for line in text.split("\n"))


os.makedirs(os.path.join(out, "specs"), exist_ok=True)
# FLEET_SPECS_ONLY=1: (re)write the specs only, next to an existing fleet
specs_only = os.environ.get("FLEET_SPECS_ONLY", "0") != "0"
with open(os.devnull if specs_only else os.path.join(out, "fleet.json"), "w") as f:
    f.write('{\n    "apiVersion": "v1",\n    "items": [\n')
    first = True
    for i in range(0 if specs_only else n_nodes):
        name, feats = vary_node(i)
        objs = [nodefeature(name, "node-feature-discovery", name, feats)]
        if i % 10 == 0:
            objs.append(nodefeature(name, "gpu-vendor", "vendor-" + name, {
                "flags": {"local.feature": {"elements": {"vendor-validated": {}}}},
                "attributes": {"kernel.version": {"elements": {"vendor": "patched"}}},
                "instances": {}}))
        if i < 20:
            with open(os.path.join(out, "node-%d.json" % i), "w") as s:
                json.dump(feats, s, indent=4, sort_keys=True)
        for o in objs:
            if not first:
                f.write(",\n")
            first = False
            if pretty:
                f.write(indent(json.dumps(o, indent=4, sort_keys=True), 8))
            else:
                f.write("        " + json.dumps(o, sort_keys=True))
    f.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')

RULES = [
    ("x86-64-v3", "cpu.cpuid", "AVX2: {op: Exists}\n        FMA3: {op: Exists}"),
    ("kernel-6", "kernel.version", 'major: {op: Gt, value: ["%d"]}'),
    ("kconfig", "kernel.config", 'NUMA: {op: In, value: ["y"]}\n        BPF_SYSCALL: {op: In, value: ["y"]}'),
    ("nvidia", "pci.device", 'vendor: {op: In, value: ["10de"]}\n        class: {op: In, value: ["0300", "0302"]}'),
    ("os", "system.osrelease", 'ID: {op: In, value: ["%s"]}'),
    ("driver", "kernel.loadedmodule", "nvidia: {op: Exists}"),
    ("hugepages", "memory.hugepages", 'enabled: {op: IsTrue}'),
    ("nic", "pci.device", 'vendor: {op: In, value: ["15b3", "8086"]}'),
    ("minor", "kernel.version", 'minor: {op: Ge, value: ["%d"]}'),
    ("sriov", "pci.device", 'sriov_totalvfs: {op: Gt, value: ["%d"]}'),
]


def spec(k):
    lines = ["version: v1alpha1", "compatibilities:",
             "- description: fleet spec %d" % k, "  tag: t%d" % k, "  rules:"]
    for j, (name, feat, expr) in enumerate(RULES):
        if "%d" in expr:
            expr = expr % (k % 7 if j != 1 else 4 + k % 3)
        elif "%s" in expr:
            expr = expr % os_releases[k % len(os_releases)][0]
        lines += ["  - name: %s" % name, "    matchFeatures:",
                  "    - feature: %s" % feat, "      matchExpressions:",
                  "        " + expr]
    return "\n".join(lines) + "\n"


with open(os.path.join(out, "spec-10.yaml"), "w") as f:
    f.write(spec(0))
for k in range(n_specs):
    with open(os.path.join(out, "specs", "spec-%03d.yaml" % k), "w") as f:
        f.write(spec(k))


def spec_100():
    """100 rules in 4 weighted sets: the 10 kinds above with varied values."""
    lines = ["version: v1alpha1", "compatibilities:"]
    for st in range(4):
        lines += ["- description: set %d" % st, "  weight: %d" % (100 - st),
                  "  tag: t%d" % st, "  rules:"]
        for i in range(25):
            k = st * 25 + i
            name, feat, expr = RULES[k % len(RULES)]
            if "%d" in expr:
                expr = expr % (k % 7 if k % len(RULES) != 1 else 4 + k % 3)
            elif "%s" in expr:
                expr = expr % os_releases[k % len(os_releases)][0]
            lines += ["  - name: %s-%d" % (name, k), "    matchFeatures:",
                      "    - feature: %s" % feat, "      matchExpressions:",
                      "        " + expr]
    return "\n".join(lines) + "\n"


with open(os.path.join(out, "spec-100.yaml"), "w") as f:
    f.write(spec_100())
