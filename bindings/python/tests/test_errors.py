# SPDX-License-Identifier: LGPL-2.1-or-later
"""Errors map to Python's OSError subclasses; report and features helpers."""

import errno
import json

import pytest

import nfd


def test_errno_subclasses():
    e = nfd.Error(errno.ENOENT, "gone")
    assert isinstance(e, FileNotFoundError) and isinstance(e, nfd.Error)
    assert e.errno == errno.ENOENT and e.strerror == "gone"
    assert isinstance(nfd.Error(errno.EACCES), PermissionError)
    assert isinstance(nfd.Error(errno.ETIMEDOUT), TimeoutError)
    assert isinstance(nfd.Error(errno.ECONNREFUSED), ConnectionRefusedError)
    assert type(nfd.Error(errno.EBADMSG)) is nfd.Error
    assert e.strerror == "gone"
    na = nfd.Error(errno.ENODATA, "no artifact")
    assert isinstance(na, nfd.NoArtifact) and not isinstance(na, FileNotFoundError)
    assert nfd.NoArtifact(errno.ENODATA).errno == errno.ENODATA


def test_missing_file_is_filenotfounderror(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        nfd.Spec.from_file(tmp_path / "nope.yaml")
    assert isinstance(e.value, nfd.Error) and e.value.errno == errno.ENOENT
    with pytest.raises(nfd.Error):
        nfd.Features.from_file(tmp_path / "nope.json")


def test_best_and_node_values(data):
    spec = nfd.Spec.from_file(data / "spec.yaml")
    features = nfd.Features.from_file(data / "features.json")
    r = spec.evaluate(features)
    assert r.best_set == 0
    assert r.best.tag == "gpu"
    assert spec.evaluate(features, tags=["avx512"]).best is None
    rows = {(row.feature, row.name): row for s in r for rule in s for row in rule}
    assert rows[("kernel.version", "major")].node_values == ["6"]
    assert rows[("cpu.cpuid", "AVX512F")].node_values is None


def test_node_values_keep_commas():
    """Items come from the library, not from splitting the joined string."""
    f = nfd.Features.from_dict({"instances": {"pci.device": {"elements": [
        {"attributes": {"vendor": "10de", "label": "a, b"}},
        {"attributes": {"vendor": "8086", "label": "c"}},
        {"attributes": {"vendor": "1af4", "label": "c"}}]}},
        "attributes": {"kernel.version": {"elements": {"full": "6.1, custom"}}}})
    spec = nfd.Spec.from_string("""
version: v1alpha1
compatibilities:
- rules:
  - name: r
    matchFeatures:
    - feature: pci.device
      matchExpressions:
        label: {op: In, value: ["nope"]}
    - feature: kernel.version
      matchExpressions:
        full: {op: Exists}
""")
    rows = {row.name: row for s in spec.evaluate(f) for rule in s for row in rule}
    assert rows["label"].node_value == "a, b, c"
    assert rows["label"].node_values == ["a, b", "c"]
    assert rows["full"].node_values == ["6.1, custom"]


def test_features_from_dict(data):
    f = nfd.Features.from_file(data / "features.json")
    d = f.to_dict()
    g = nfd.Features.from_dict(d)
    assert g.to_dict() == d
    assert json.loads(g.to_json()) == json.loads(f.to_json())
    with pytest.raises(nfd.Error) as e:
        nfd.Features.from_dict({"flags": 5})
    assert e.value.errno == errno.EBADMSG
