# SPDX-License-Identifier: LGPL-2.1-or-later
"""Specs and reports: evaluation, the CLI's verdict and JSON, errors, threads."""

import errno
import gc
import json
import threading

import pytest

import nfd


@pytest.fixture
def spec(data):
    return nfd.Spec.from_file(data / "spec.yaml")


@pytest.fixture
def features(features_json):
    return nfd.Features.from_json(features_json)


def test_spec_fields(spec, data):
    assert spec.version == "v1alpha1"
    assert spec.sets == [nfd.SpecSet("gpu", "NVIDIA GPU node", 10),
                         nfd.SpecSet("avx512", "AVX-512 node", 20)]
    assert spec.warnings == []
    assert spec.sources == ["cpu", "kernel", "pci", "system"]
    text = (data / "spec.yaml").read_text()
    assert nfd.Spec.from_string(text).sets == spec.sets
    assert nfd.Spec.from_string(text.encode(), name="x.yaml").version == "v1alpha1"


def test_evaluate_compatible(spec, features):
    r = spec.evaluate(features)
    assert r.compatible and bool(r)
    assert r.best_set == 0
    sets = r.sets
    assert [s.tag for s in sets] == ["gpu", "avx512"]
    assert [s.compatible for s in sets] == [True, False]
    gpu, avx = sets
    assert (gpu.weight, gpu.description, gpu.spec_index) == (10, "NVIDIA GPU node", 0)
    assert [rule.name for rule in gpu] == ["kernel and gpu", "avx2"]
    assert all(rule.is_match for rule in gpu)
    rows = {(row.feature, row.name): row for s in r for rule in s for row in rule}
    major = rows[("kernel.version", "major")]
    assert (major.op, major.values, major.is_match) == ("Gt", ["4"], True)
    assert major.node_value == "6" and major.any_index is None
    full = rows[("kernel.version", "full")]
    assert full.type == "version" and full.values == ["5.10.0", "6.9.0"]
    avx512 = rows[("cpu.cpuid", "AVX512F")]
    assert not avx512.is_match and avx512.node_value is None
    assert avx512.expression == '{op: "Exists"}'
    osr = rows[("system.osrelease", "ID")]
    assert not osr.is_match and osr.node_value == "debian"
    assert osr.expression == '{op: "In", value: ["rhel" "centos"]}'
    anyrule = avx.rules[1]
    assert anyrule.is_match
    assert [row.any_index for row in anyrule] == [0, 1]
    assert anyrule.rows[0].is_match_name and anyrule.rows[0].name == ""
    assert not anyrule.rows[0].is_match and anyrule.rows[1].is_match


def test_evaluate_tags(spec, features):
    r = spec.evaluate(features, tags=["avx512"])
    assert not r.compatible and r.best_set is None
    assert [(s.tag, s.spec_index) for s in r] == [("avx512", 1)]
    assert len(spec.evaluate(features, tags=["none"])) == 0
    assert len(spec.evaluate(features, tags=[])) == 2
    with pytest.raises(TypeError):
        spec.evaluate(features, tags="gpu")


@pytest.mark.parametrize("tags", [None, "avx512", "gpu"])
def test_same_result_as_cli(spec, features, data, cli, tags):
    args = ["compat", "validate-node", "--spec", str(data / "spec.yaml"),
            "--features", str(data / "features.json"), "--output-json"]
    if tags:
        args += ["--tags", tags]
    p = cli(*args)
    r = spec.evaluate(features, tags=[tags] if tags else None)
    assert p.returncode == (0 if r.compatible else 1), p.stderr
    assert r.to_json() == p.stdout
    doc = json.loads(r.to_json())
    assert len(doc) == len(r.sets)


def test_text(spec, features):
    r = spec.evaluate(features, tags=["avx512"])
    plain = r.to_text()
    assert "COMPATIBILITY SET #1" in plain and "\x1b[" not in plain
    assert "debian" in plain  # the node's value of a failed row
    nfd_only = r.to_text(nfd_only=True)
    assert "debian" not in nfd_only
    assert "\x1b[" in r.to_text(color=True)


def test_bad_spec_raises_ebadmsg(data):
    with pytest.raises(nfd.Error) as e:
        nfd.Spec.from_file(data / "bad-spec.yaml")
    assert e.value.errno == errno.EBADMSG
    assert "bad-spec.yaml:" in e.value.strerror
    with pytest.raises(nfd.Error) as e:
        nfd.Spec.from_string("version: v1alpha1\ncompatibilities: [\n", name="inline")
    assert e.value.errno == errno.EBADMSG and "inline:" in e.value.strerror
    with pytest.raises(nfd.Error) as e:
        nfd.Spec.from_file(data / "missing.yaml")
    assert e.value.errno == errno.ENOENT


def test_problems(data, features, cli):
    spec = nfd.Spec.from_file(data / "problem-spec.yaml")
    assert spec.warnings == []
    problems = spec.problems
    assert len(problems) == 1 and "problem-spec.yaml:11:" in problems[0]
    with pytest.raises(nfd.Error) as e:
        spec.evaluate(features)
    assert e.value.errno == errno.EBADMSG and e.value.strerror
    p = cli("compat", "validate-node", "--spec", str(data / "problem-spec.yaml"),
            "--features", str(data / "features.json"))
    assert p.returncode == 2


def test_report_outlives_everything(data, features_json):
    ctx = nfd.Context()
    spec = nfd.Spec.from_file(data / "spec.yaml", ctx=ctx)
    features = nfd.Features.from_json(features_json, ctx=ctx)
    report = spec.evaluate(features, ctx=ctx)
    row = report.sets[1].rules[0].rows[0]
    expected = report.to_json()
    for obj in (spec, features):
        obj.close()
    ctx.close()
    del spec, features, ctx
    gc.collect()
    assert report.to_json() == expected
    assert row.feature == "cpu.cpuid"
    report.close()
    with pytest.raises(ValueError):
        row.feature  # borrowed from a closed report


def test_threads_share_spec_and_features(spec, features):
    expected = spec.evaluate(features).to_json()
    results, errors = [], []

    def work():
        try:
            for _ in range(50):
                results.append(spec.evaluate(features).to_json())
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 400 and set(results) == {expected}


def test_lazy_discovery(data):
    spec = nfd.Spec.from_file(data / "hugepages.spec.yaml")
    assert spec.sources == ["memory"]
    f = spec.discover(root=data / "root")
    assert f.attributes["memory.hugepages"]["hugepages-1Gi"] == "2"
    assert spec.evaluate(f).compatible


def test_work_budget(spec, features):
    ctx = nfd.Context()
    assert ctx.work_budget == 40_000_000
    base = spec.evaluate(features, ctx=ctx).to_json()
    ctx.work_budget = 1
    assert ctx.work_budget == 1
    with pytest.raises(nfd.Error) as e:
        spec.evaluate(features, ctx=ctx)
    assert e.value.errno == errno.ETIME
    assert "work budget of 1 units" in str(e.value)
    ctx.work_budget = nfd.Context.WORK_BUDGET_UNLIMITED
    assert spec.evaluate(features, ctx=ctx).to_json() == base
    ctx.work_budget = 0
    assert ctx.work_budget == 40_000_000
    with pytest.raises(ValueError):
        ctx.work_budget = -1
    with pytest.raises(TypeError):
        ctx.work_budget = "1"
