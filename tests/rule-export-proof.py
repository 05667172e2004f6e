#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The proof behind `nfd compat export-rule`: for every example spec, every
fixture node (tests/fixtures/roots/*/expected.json, tests/fixtures/features/)
and generated variants of each node that flip the spec's expressions, the
generated NodeFeatureRule labels the node (`nfd rule dryrun`) if and only if
`nfd compat validate-node` calls it compatible.  Also with --tags per set."""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

NFD = os.environ["NFD_BIN"]
TOP = os.environ["NFD_TOP_SRCDIR"]
ROOTS = os.environ.get("NFD_FIXTURE_ROOTS") or os.path.join(TOP, "tests/fixtures/roots")


def run(*args):
    return subprocess.run([NFD, *args], capture_output=True, text=True)


def spec_exprs(spec_path):
    """(feature, name, op, values) of every expression, via the exported rule."""
    out = []
    # The spec itself is YAML; read it through validate-node's JSON-free path:
    # the generated rule lists every term as JSON-quoted flow YAML.
    gen = run("compat", "export-rule", "--spec", spec_path, "--label", "x")
    feature = None
    for line in gen.stdout.splitlines():
        s = line.strip()
        if s.startswith("- feature: "):
            raw = s[len("- feature: "):]
            feature = json.loads(raw) if raw.startswith('"') else raw
        elif s.startswith('"') and ": {op: " in s and feature and feature != "rule.matched":
            name = json.loads(s[: s.index('": {op') + 1])
            body = s[s.index("{op: ") + 5:]
            op = json.loads(body.split(",")[0].rstrip("}"))
            values = []
            if "value: [" in body:
                values = json.loads("[" + body.split("value: [", 1)[1].split("]", 1)[0] + "]")
            out.append((feature, name, op, values))
    return out


def variants(node, exprs):
    seen = set()
    for n in all_variants(node, exprs):
        key = json.dumps(n, sort_keys=True)
        if key not in seen:
            seen.add(key)
            yield n


def all_variants(node, exprs):
    """The node, and for each expression the node with that element removed
    and set to values around the expression's own."""
    yield node
    for feature, name, op, values in exprs:
        # the expression's first value, and just above and below it
        cands = set(values[:1]) or {"x"}
        for v in values[:1]:
            try:
                i = int(v)
                cands.update({str(i + 1), str(i - 1)})
            except ValueError:
                parts = v.split(".")
                if len(parts) > 1 and all(p.isdigit() for p in parts):
                    cands.add(".".join(parts[:-1] + [str(int(parts[-1]) + 1)]))
        if op in ("IsTrue", "IsFalse"):
            cands.update({"true", "false"})
        gone = copy.deepcopy(node)
        for kind in ("flags", "attributes"):
            el = gone.get(kind, {}).get(feature, {}).get("elements")
            if isinstance(el, dict):
                el.pop(name, None)
        for inst in (gone.get("instances", {}).get(feature, {}).get("elements") or []):
            inst.get("attributes", {}).pop(name, None)
        yield gone
        for v in sorted(cands):
            n = copy.deepcopy(node)
            if feature in n.get("flags", {}) or not v:
                n.setdefault("flags", {}).setdefault(feature, {"elements": {}})
                (n["flags"][feature].setdefault("elements", None) or {}).update({name: {}})
            if feature in n.get("instances", {}):
                for inst in n["instances"][feature].get("elements") or []:
                    inst.setdefault("attributes", {})[name] = v
            else:
                n.setdefault("attributes", {}).setdefault(feature, {"elements": {}})
                if n["attributes"][feature].get("elements") is None:
                    n["attributes"][feature]["elements"] = {}
                n["attributes"][feature]["elements"][name] = v
            yield n


def main():
    specs = sorted(glob.glob(os.path.join(TOP, "examples", "*.yaml")))
    nodes = sorted(glob.glob(os.path.join(ROOTS, "*", "expected.json")))
    nodes += sorted(glob.glob(os.path.join(TOP, "tests/fixtures/features/*.json")))
    assert specs and nodes, "no specs or no nodes"
    checked = labelled = failed = errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            tags = [None]
            for line in open(spec):
                if line.strip().startswith("tag:"):
                    tags.append(line.split(":", 1)[1].strip().strip("\"'"))
            exprs = spec_exprs(spec)
            assert exprs, spec
            for tag in tags:
                targs = ["--tags", tag] if tag else []
                rule = os.path.join(tmp, "rule.yaml")
                gen = run("compat", "export-rule", "--spec", spec, "--label", "example.com/ok",
                          *targs)
                assert gen.returncode == 0, gen.stderr
                open(rule, "w").write(gen.stdout)
                for node_path in nodes:
                    base = json.load(open(node_path))
                    # the flipped variants: of every node for all sets; with
                    # --tags the nodes themselves
                    nv = variants(base, exprs) if tag is None else [base]
                    for k, node in enumerate(nv):
                        f = os.path.join(tmp, "node.json")
                        json.dump(node, open(f, "w"))
                        v = run("compat", "validate-node", "--spec", spec, "--features", f,
                                *targs)
                        d = run("rule", "dryrun", "--rule", rule, "--features", f,
                                "--output-json")
                        if d.returncode != 0 or v.returncode not in (0, 1, 2):
                            print(f"FAIL: {spec} {node_path}#{k}: dryrun {d.returncode} "
                                  f"{d.stderr.strip()} / validate-node {v.returncode}")
                            failed += 1
                            continue
                        got = json.loads(d.stdout)["labels"].get("example.com/ok") == "true"
                        if v.returncode == 2:
                            # validate-node evaluates every expression and
                            # fails on any error; nfd-master stops at the
                            # first failing term or matching matchAny element
                            # (doc/nodefeaturerule.md): no verdict to compare
                            errors += 1
                            continue
                        want = v.returncode == 0
                        checked += 1
                        labelled += got
                        if got != want:
                            failed += 1
                            print(f"FAIL: {os.path.basename(spec)} tag={tag} "
                                  f"{node_path} variant {k}: labelled={got}, "
                                  f"validate-node exit {v.returncode}")
    print(f"{checked} (spec, tags, node) cases, {labelled} labelled, {failed} failures, "
          f"{errors} without a verdict (validate-node error)")
    # the proof must see both outcomes, or it proves nothing
    if labelled == 0 or labelled == checked:
        print("FAIL: every case had the same outcome")
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
