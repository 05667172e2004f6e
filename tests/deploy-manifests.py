#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""deploy/: every manifest parses, names only fields its Kubernetes API
version has (checked against the models of Debian's python3-kubernetes, the
generated OpenAPI client), and mounts the host the way NFD's worker does
(doc/kubernetes.md)."""
import os
import re
import sys

import yaml
from kubernetes import client

top = os.environ.get("NFD_TOP_SRCDIR") or os.path.join(os.path.dirname(__file__), "..")
deploy = os.path.join(top, "deploy")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def ok(msg):
    print("ok: " + msg)


# apiVersion/kind -> the model class that describes it
KINDS = {
    ("batch/v1", "Job"): client.V1Job,
    ("apps/v1", "DaemonSet"): client.V1DaemonSet,
    ("v1", "ConfigMap"): client.V1ConfigMap,
    ("v1", "Secret"): client.V1Secret,
}
SCALARS = {"str": str, "int": int, "bool": bool, "float": (int, float), "datetime": str}


def check(value, typ, path):
    """Walk value against the model type name typ ('V1PodSpec',
    'list[V1Container]', 'dict(str, str)', 'str', 'object')."""
    m = re.fullmatch(r"list\[(.+)\]", typ)
    if m:
        if not isinstance(value, list):
            return fail(f"{path}: expected a list")
        for i, v in enumerate(value):
            check(v, m.group(1), f"{path}[{i}]")
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", typ)
    if m:
        if not isinstance(value, dict):
            return fail(f"{path}: expected a map")
        for k, v in value.items():
            check(v, m.group(1), f"{path}.{k}")
        return
    if typ == "object":  # IntOrString, Quantity: a string or a number
        if not isinstance(value, (str, int, float)):
            fail(f"{path}: expected a string or a number")
        return
    if typ in SCALARS:
        if not isinstance(value, SCALARS[typ]) or (typ == "int" and isinstance(value, bool)):
            fail(f"{path}: expected {typ}, got {type(value).__name__}")
        return
    cls = getattr(client, typ, None)
    if cls is None:
        return fail(f"{path}: no model {typ}")
    if not isinstance(value, dict):
        return fail(f"{path}: expected an object ({typ})")
    by_json = {j: a for a, j in cls.attribute_map.items()}
    for k, v in value.items():
        if k not in by_json:
            fail(f"{path}.{k}: not a field of {typ}")
            continue
        check(v, cls.openapi_types[by_json[k]], f"{path}.{k}")


# kustomize's own file is no Kubernetes API object: the fields used here
KUSTOMIZATION = {"apiVersion", "kind", "namespace", "labels", "resources", "images"}

kust = yaml.safe_load(open(os.path.join(deploy, "kustomization.yaml")))
if kust.get("apiVersion") != "kustomize.config.k8s.io/v1beta1" or kust.get("kind") != "Kustomization":
    fail("kustomization.yaml: not a kustomize.config.k8s.io/v1beta1 Kustomization")
extra = set(kust) - KUSTOMIZATION
if extra:
    fail(f"kustomization.yaml: unexpected fields {sorted(extra)}")
listed = set(kust.get("resources", []))
present = {f for f in os.listdir(deploy) if f.endswith(".yaml") and f != "kustomization.yaml"}
if listed != present:
    fail(f"kustomization.yaml resources {sorted(listed)} != files {sorted(present)}")
else:
    ok("kustomization.yaml lists every manifest")

docs = {}
for name in sorted(present):
    with open(os.path.join(deploy, name)) as f:
        for doc in yaml.safe_load_all(f):
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key not in KINDS:
                fail(f"{name}: unexpected {key}")
                continue
            n = len(failures)
            check(doc, KINDS[key].__name__, f"{name}:{doc['kind']}")
            if len(failures) == n:
                ok(f"{name}: {doc['kind']} uses only {doc['apiVersion']} fields")
            docs[doc["kind"]] = doc

# NFD's worker layout: hostPath -> mountPath, all read-only
NFD_MOUNTS = {
    "/boot": "/host-boot",
    "/etc/os-release": "/host-etc/os-release",
    "/sys": "/host-sys",
    "/proc": "/host-proc",
    "/usr/lib": "/host-usr/lib",
    "/lib": "/host-lib",
}
FEATURES_D = "/etc/kubernetes/node-feature-discovery/features.d"


def mounts(kind):
    pod = docs[kind]["spec"]["template"]["spec"]
    vols = {v["name"]: v for v in pod["volumes"]}
    (c,) = pod["containers"]
    out = {}
    for m in c["volumeMounts"]:
        v = vols.get(m["name"])
        if v is None:
            fail(f"{kind}: mount {m['name']} has no volume")
            continue
        out[m["mountPath"]] = (v, m.get("readOnly", False))
    used = {m["name"] for m in c["volumeMounts"]}
    if set(vols) - used:
        fail(f"{kind}: volumes never mounted: {sorted(set(vols) - used)}")
    return pod, c, out


def host_layout(kind, got):
    hp = {p: (v["hostPath"]["path"], ro) for p, (v, ro) in got.items() if "hostPath" in v}
    for host, path in NFD_MOUNTS.items():
        if hp.get(path) != (host, True):
            fail(f"{kind}: {host} is not mounted read-only at {path} (got {hp.get(path)})")
    env = {e["name"]: e.get("value") for e in pod.get("containers")[0].get("env", [])}
    if env.get("NFD_HOST_PREFIX") != "/host-":
        fail(f"{kind}: NFD_HOST_PREFIX is not /host-")
    return hp


n = len(failures)
pod, c, got = mounts("Job")
hp = host_layout("Job", got)
if set(hp) != set(NFD_MOUNTS.values()) or len(got) != len(hp):
    fail(f"Job: mounts beyond NFD's layout: {sorted(got)}")
if not pod.get("nodeName") or pod.get("restartPolicy") != "Never":
    fail("Job: needs nodeName and restartPolicy Never")
if docs["Job"]["spec"].get("backoffLimit") != 0:
    fail("Job: backoffLimit is not 0 (a retry would hide the verdict)")
if c["args"][:3] != ["compat", "validate-node", "--image"]:
    fail("Job: does not run compat validate-node --image")
if pod.get("automountServiceAccountToken") is not False:
    fail("Job: mounts a service account token it does not need")
if len(failures) == n:
    ok("Job: NFD's read-only /host-* mounts, one node, no retries, no token")

n = len(failures)
pod, c, got = mounts("DaemonSet")
hp = host_layout("DaemonSet", got)
if hp.get(FEATURES_D) != (FEATURES_D, False):
    fail("DaemonSet: features.d is not mounted read-write at its own path")
args = c["args"]
opt = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
if args[:2] != ["compat", "publish"] or opt.get("features-d") != FEATURES_D:
    fail("DaemonSet: does not run compat publish into features.d")
cm = got.get(os.path.dirname(opt.get("images", "")), ({}, False))[0]
if cm.get("configMap", {}).get("name") != docs["ConfigMap"]["metadata"]["name"]:
    fail("DaemonSet: --images is not in the ConfigMap's mount")
sec = got.get(os.path.dirname(opt.get("authfile", "")), ({}, False))[0]
if "secret" not in sec:
    fail("DaemonSet: --authfile is not in a Secret mount")
if not c.get("resources", {}).get("requests"):
    fail("DaemonSet: no resource requests")
if pod.get("automountServiceAccountToken") is not False:
    fail("DaemonSet: mounts a service account token it does not need")
caps = c.get("securityContext", {}).get("capabilities", {})
if caps.get("drop") != ["ALL"] or caps.get("add"):
    fail("DaemonSet: capabilities are not all dropped")
if len(failures) == n:
    ok("DaemonSet: NFD's mounts, features.d read-write, images and auth mounted, no token")

sys.exit(1 if failures else 0)
