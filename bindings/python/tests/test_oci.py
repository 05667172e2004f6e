# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fetching specs from an OCI layout (examples/oci-layout, when present)."""

import errno
import os
import pathlib

import pytest

import nfd

TOP = pathlib.Path(os.environ.get("NFD_TOP_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[3]))
LAYOUT = TOP / "examples" / "oci-layout"


def test_has_registry_is_bool():
    assert nfd.has_registry() in (True, False)


def test_missing_layout_is_enoent(tmp_path):
    with pytest.raises(nfd.Error) as e:
        nfd.fetch_spec(f"oci:{tmp_path}/nothing:latest")
    assert e.value.errno == errno.ENOENT
    assert e.value.strerror


@pytest.mark.skipif(not (LAYOUT / "index.json").exists(),
                    reason="examples/oci-layout is not in this tree yet")
def test_fetch_from_layout(cli):
    ref = f"oci:{LAYOUT}:v1"
    data = nfd.fetch_spec_data(ref, timeout_ms=5000)
    assert b"compatibilities" in data
    spec = nfd.fetch_spec(ref, platform="linux/amd64")
    assert spec.version == "v1alpha1"
    assert spec.sets
    assert nfd.Spec.from_string(data).sets == spec.sets
