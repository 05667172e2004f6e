# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Nodes and nfd.evaluate_nodes: per-node verdicts from NodeFeature lists."""

import json
import os
import pathlib
import threading

import pytest

import nfd
from conftest import run_cli

TOP = pathlib.Path(os.environ.get("NFD_TOP_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[3]))
NODES = TOP / "tests" / "fixtures" / "nodes"
ROOTS = pathlib.Path(os.environ.get("NFD_FIXTURE_ROOTS", TOP / "tests" / "fixtures" / "roots"))


def nodefeature(node, features, name=None, namespace="node-feature-discovery"):
    return {"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeature",
            "metadata": {"name": name or node, "namespace": namespace,
                         "labels": {"nfd.node.kubernetes.io/node-name": node}},
            "spec": {"features": features}}


@pytest.fixture
def chimera_list(tmp_path):
    items = [nodefeature(n, json.loads((ROOTS / n / "expected.json").read_text()))
             for n in ("gpu-server", "arm64-host")]
    p = tmp_path / "two.json"
    p.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    return p


def test_merge_order_known_answers():
    with nfd.Nodes.load(NODES / "merge.json") as nodes:
        assert nodes.names == ["worker-1", "worker-2"]
        assert len(nodes) == 2 and "worker-1" in nodes and "orphan" not in nodes
        assert len(nodes.warnings) == 1 and "orphan" in nodes.warnings[0]
        f = nodes["worker-1"]
        # worker object, zzz-override, then the third-party namespace wins
        assert f.attributes["kernel.version"]["major"] == "6"
        assert f.attributes["kernel.version"]["minor"] == "9"
        assert [i["vendor"] for i in f.instances["pci.device"]] == ["8086", "15b3", "10de"]
        assert "gpu-ready" in f.flags["local.feature"] and "x" in f.flags["local.feature"]
        with pytest.raises(KeyError):
            nodes["orphan"]


def test_namespace_option():
    with nfd.Nodes.load(NODES / "merge.json", nfd_namespace="third-party") as nodes:
        assert nodes["worker-1"].attributes["kernel.version"]["major"] == "7"


def test_evaluate_nodes_known_answers():
    spec = nfd.Spec.from_file(NODES / "kernel6.yaml")
    got = [(node, report.compatible)
           for node, report in nfd.evaluate_nodes(spec, NODES / "merge.json")]
    assert got == [("worker-1", True), ("worker-2", False)]


def test_chimera_is_incompatible_everywhere(chimera_list):
    spec = nfd.Spec.from_file(NODES / "chimera.yaml")
    got = dict((n, r.compatible) for n, r in nfd.evaluate_nodes(spec, str(chimera_list)))
    assert got == {"gpu-server": False, "arm64-host": False}
    # one features object is one node: the list is refused, not merged
    with pytest.raises(nfd.Error) as e:
        nfd.Features.from_file(chimera_list)
    assert "2 nodes" in str(e.value)


def test_same_verdicts_as_cli_and_single_nodes(tmp_path):
    items = []
    for p in sorted(ROOTS.glob("*/expected.json")):
        items.append(nodefeature(p.parent.name, json.loads(p.read_text())))
    lst = tmp_path / "list.json"
    lst.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    spec_path = TOP / "examples" / "nvidia-gpu.yaml"
    spec = nfd.Spec.from_file(spec_path)
    got = {n: r.compatible for n, r in nfd.evaluate_nodes(spec, lst, threads=3)}
    assert got["gpu-server"] is True and got["arm64-host"] is False
    for p in sorted(ROOTS.glob("*/expected.json")):
        assert got[p.parent.name] == spec.evaluate(nfd.Features.from_file(p)).compatible
    out = run_cli("compat", "validate-node", "--spec", str(spec_path), "--features", str(lst),
                  "--output-json")
    assert out.returncode == 0, out.stderr
    assert {d["node"]: d["compatible"] for d in json.loads(out.stdout)} == got


def test_threads_share_nodes():
    spec = nfd.Spec.from_file(NODES / "kernel6.yaml")
    nodes = nfd.Nodes.load(NODES / "merge.json", only_for=[spec])
    results = []

    def work():
        results.append([(n, r.compatible) for n, r in nodes.evaluate(spec, threads=2)])

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert results == [[("worker-1", True), ("worker-2", False)]] * 4
    # only what the spec references was kept
    assert "local.feature" in nodes["worker-1"].flags
    assert "pci.device" not in nodes["worker-1"].instances


@pytest.fixture(scope="module")
def long_list(tmp_path_factory):
    """A list of ~13 MB: long enough for the reader to cut it into runs."""
    roots = ["this-vm", "h200-gpu-vm", "gpu-server", "arm64-host"]
    feats = {r: json.loads((ROOTS / r / "expected.json").read_text()) for r in roots}
    items = []
    for i in range(480):
        items.append(nodefeature(f"node-{i:04d}", feats[roots[i % len(roots)]]))
        if i % 37 == 5:  # skipped items (no node-name label) inside later runs
            orphan = nodefeature("x", feats["arm64-host"], name=f"orphan-{i}")
            del orphan["metadata"]["labels"]
            items.append(orphan)
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    assert len(text) > 10 << 20
    p = tmp_path_factory.mktemp("long") / "list.json"
    p.write_text(text)
    return p


def test_threads_option_reads_long_lists_alike(long_list):
    """threads (struct nfd_nodes_options version 2) reaches the reader: any
    count gives the same nodes, warnings, features and verdicts."""
    spec = nfd.Spec.from_file(TOP / "examples" / "nvidia-gpu.yaml")
    seen = []
    for threads in (1, 2, 4, 0):
        with nfd.Nodes.load(long_list, threads=threads) as nodes:
            seen.append((nodes.names, nodes.warnings,
                         [nodes[n].to_json() for n in ("node-0000", "node-0081", "node-0159")]))
        got = [(n, r.compatible) for n, r in
               nfd.evaluate_nodes(spec, long_list, threads=threads)]
        assert len(got) == 480
        seen.append(got)
    assert len(seen[0][0]) == 480 and len(seen[0][1]) == 13
    assert seen[0::2] == [seen[0]] * 4 and seen[1::2] == [seen[1]] * 4
    # the same data as the single-node reader
    assert seen[0][2][0] == nfd.Features.from_file(ROOTS / "this-vm" / "expected.json").to_json()


def test_threads_truncated_long_list(long_list, tmp_path):
    """A list cut deep inside is refused with the same message on any thread count."""
    data = long_list.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[:len(data) * 2 // 3])
    msgs = set()
    for threads in (1, 4):
        with pytest.raises(nfd.Error) as e:
            nfd.Nodes.load(cut, threads=threads)
        msgs.add(str(e.value))
        with pytest.raises(nfd.Error):
            nfd.evaluate_nodes(nfd.Spec.from_file(NODES / "kernel6.yaml"), cut, threads=threads)
    assert len(msgs) == 1


def test_threads_bad_counts():
    spec = nfd.Spec.from_file(NODES / "kernel6.yaml")
    for bad in (-1, 1 << 32):
        with pytest.raises(ValueError):
            nfd.Nodes.load(NODES / "merge.json", threads=bad)
        with pytest.raises(ValueError):
            nfd.evaluate_nodes(spec, NODES / "merge.json", threads=bad)
    with pytest.raises(TypeError):
        nfd.Nodes.load(NODES / "merge.json", threads="2")


def test_bad_lists():
    with pytest.raises(nfd.Error) as e:
        nfd.Nodes.load(b'{"kind":"List","items":[{"kind":"Pod","metadata":{"name":"p"}}]}')
    assert "items[0]: expected kind NodeFeature, got kind 'Pod'" in str(e.value)
    with pytest.raises(nfd.Error):
        nfd.Nodes.load(b'{"kind":"List","items":[{"kind":"NodeFeature"')
    with pytest.raises(nfd.Error) as e:
        nfd.Nodes.load((NODES / "merge.json").read_bytes(), max_bytes=10)
    assert e.value.errno == 7  # E2BIG
