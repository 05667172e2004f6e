# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fetching specs from an OCI layout (examples/oci-layout, when present)."""

import ctypes
import errno
import inspect
import os
import pathlib

import pytest

import nfd

TOP = pathlib.Path(os.environ.get("NFD_TOP_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[3]))
LAYOUT = TOP / "examples" / "oci-layout"


def test_has_registry_is_bool():
    assert nfd.has_registry() in (True, False)


def test_docstrings_name_every_parameter():
    # the connection options' lines are written in by one decorator
    for f in (nfd.oci.fetch_spec_data, nfd.oci.fetch_spec, nfd.oci.attach_spec, nfd.oci.fetch,
              nfd.oci.list_artifacts, nfd.oci.remove_artifact):
        doc = inspect.getdoc(f)
        assert "{connection}" not in doc, f.__name__
        for p in inspect.signature(f).parameters:
            assert f":param {p}:" in doc, (f.__name__, p)


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


@pytest.mark.skipif(not (LAYOUT / "index.json").exists(),
                    reason="examples/oci-layout is not in this tree yet")
def test_fetched_spec_same_as_cli(data, cli):
    ref = f"oci:{LAYOUT}:v1"
    features = nfd.Features.from_file(data / "features.json")
    report = nfd.fetch_spec(ref).evaluate(features)
    p = cli("compat", "validate-node", "--image", ref, "--features",
            str(data / "features.json"), "--output-json")
    assert p.returncode == (0 if report.compatible else 1), p.stderr
    assert report.to_json() == p.stdout


def test_options_struct_matches_library():
    # nfd_oci_options_init() clears the whole struct the library knows and sets
    # the version: it must write exactly ctypes.sizeof(OciOptions) bytes.
    size = ctypes.sizeof(nfd._lib.OciOptions)
    buf = (ctypes.c_ubyte * (size + 16))(*([0xAA] * (size + 16)))
    o = nfd._lib.OciOptions.from_buffer(buf)
    assert nfd._lib.lib.nfd_oci_options_init(o, nfd._lib.NFD_OCI_OPTIONS_VERSION) == 0
    assert o.version == nfd._lib.NFD_OCI_OPTIONS_VERSION
    assert o.platform is None and o.timeout_ms == 0 and o.max_spec_size == 0
    assert bytes(buf[4:size]) == bytes(size - 4)
    assert bytes(buf[size:]) == b"\xaa" * 16
    assert nfd._lib.lib.nfd_oci_options_init(o, 99) == -errno.EINVAL


@pytest.mark.skipif(not (LAYOUT / "index.json").exists(),
                    reason="examples/oci-layout is not in this tree yet")
def test_attach_then_fetch(tmp_path, data):
    import shutil
    layout = tmp_path / "layout"
    shutil.copytree(LAYOUT, layout)
    layout.chmod(0o755)
    for p in layout.rglob("*"):  # the source tree may be read-only
        p.chmod(0o755 if p.is_dir() else 0o644)
    ref = f"oci:{layout}:v1"
    text = (data / "hugepages.spec.yaml").read_text()
    digest = nfd.attach_spec(ref, text)
    assert digest.startswith("sha256:")
    assert nfd.fetch_spec_data(ref) == text.encode()
    assert nfd.fetch_spec(ref).sets[0].description == "1 GiB huge pages"
    with pytest.raises(nfd.Error) as e:
        nfd.attach_spec(ref, "version: [\n")
    assert e.value.errno == errno.EBADMSG
