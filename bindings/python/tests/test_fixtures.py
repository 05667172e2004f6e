# SPDX-License-Identifier: LGPL-2.1-or-later
"""The project's fixture host roots and example specs, through the binding.

Discovery of every tests/fixtures/roots/<scenario> must give its
expected.json byte for byte, and evaluating every examples/*.yaml spec on a
few of those hosts must give what `nfd compat validate-node --root` prints.
"""

import errno
import os
import pathlib

import pytest

import nfd

TOP = pathlib.Path(os.environ.get("NFD_TOP_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[3]))
# make check exports where the trees are (unpacked into the build tree when
# built from a tarball).
ROOTS = pathlib.Path(os.environ.get("NFD_FIXTURE_ROOTS") or TOP / "tests" / "fixtures" / "roots")
SCENARIOS = sorted(p.parent for p in ROOTS.glob("*/expected.json"))
SPECS = sorted((TOP / "examples").glob("*.yaml"))


def _ctx(root: pathlib.Path) -> nfd.Context:
    ctx = nfd.Context(root=root)
    if (root / "cpuid.dump").exists():
        ctx.set_cpuid_dump(root / "cpuid.dump")
    return ctx


@pytest.fixture(autouse=True)
def _no_node_name(monkeypatch):
    monkeypatch.delenv("NODE_NAME", raising=False)  # system.name comes from it


def test_fixture_roots_exist():
    assert ROOTS.is_dir(), f"{ROOTS} is missing"
    assert SCENARIOS, f"no */expected.json under {ROOTS}"


# Verdicts known from the trees themselves, not from libnfd's output:
# gpu-server has NVIDIA display controllers (vendor 10de, class 0300) and
# the nvidia modules loaded but no SR-IOV NIC and no vfio; sriov-nic has
# SR-IOV NICs, vfio-pci and an IOMMU, and a RHEL kernel (4.18.0-...el8),
# which NFD's semver parse rejects.  See tests/fixtures/roots/README.md.
@pytest.mark.parametrize("root,spec,compatible,failing", [
    ("gpu-server", "nvidia-gpu", True, set()),
    ("gpu-server", "sriov-dpdk", False, {"sriov-capable-nic", "vfio-and-iommu"}),
    ("sriov-nic", "sriov-dpdk", True, set()),
    ("sriov-nic", "nvidia-gpu", False, {"nvidia-gpu"}),
])
def test_known_verdicts(root, spec, compatible, failing):
    s = nfd.Spec.from_file(TOP / "examples" / f"{spec}.yaml")
    report = s.evaluate(s.discover(ctx=_ctx(ROOTS / root)))
    assert report.compatible is compatible
    first = report.sets[0]
    assert {r.name for r in first.rules if not r.is_match} >= failing
    if compatible:
        assert report.best_set == 0 and first.compatible


def test_known_version_error():
    s = nfd.Spec.from_file(TOP / "examples" / "min-kernel.yaml")
    features = s.discover(ctx=_ctx(ROOTS / "sriov-nic"))
    with pytest.raises(nfd.Error) as e:
        s.evaluate(features)
    assert e.value.errno == errno.EBADMSG
    assert "not a version" in e.value.strerror


@pytest.mark.parametrize("root", SCENARIOS, ids=lambda p: p.name)
def test_discover_fixture(root):
    sources = (root / "sources").read_text().strip().split(",")
    f = nfd.discover(sources, ctx=_ctx(root))
    assert f.to_json() == (root / "expected.json").read_text()


@pytest.mark.parametrize("root", [r for r in SCENARIOS
                                  if r.name in ("gpu-server", "sriov-nic", "this-vm")],
                         ids=lambda p: p.name)
@pytest.mark.parametrize("spec_path", SPECS, ids=lambda p: p.stem)
def test_examples_same_as_cli(root, spec_path, cli):
    spec = nfd.Spec.from_file(spec_path)
    features = spec.discover(ctx=_ctx(root))
    p = cli("compat", "validate-node", "--spec", str(spec_path), "--root", str(root),
            "--output-json")
    try:
        report = spec.evaluate(features)
    except nfd.Error as e:
        # An expression error (NFD's "not a version" and the like) in both.
        assert e.errno == errno.EBADMSG
        assert p.returncode == 2 and p.stdout == ""
        assert e.strerror in p.stderr
        return
    assert p.returncode == (0 if report.compatible else 1), p.stderr
    assert report.to_json() == p.stdout
