# SPDX-License-Identifier: LGPL-2.1-or-later
"""Features: builder, JSON round trip, mapping access, errors, lifetime."""

import errno
import gc
import json

import pytest

import nfd


def build_sample() -> nfd.Features:
    b = nfd.Features.build()
    b.add_flag("cpu.cpuid", "AVX2").add_flag("cpu.cpuid", "SSE4").add_flag("cpu.cpuid", "AVX2")
    b.set_attribute("kernel.version", "major", "6").set_attribute("kernel.version", "minor", "1")
    assert b.add_instance("pci.device", {"vendor": "10de", "class": "0302"}) == 0
    assert b.add_instance("pci.device", {"vendor": "8086", "class": "0600"}) == 1
    assert b.add_instance("usb.device") == 0
    b.declare(nfd.FeatureType.FLAG, "kernel.loadedmodule")
    return b.seal()


def test_builder_and_access():
    f = build_sample()
    assert set(f.flags) == {"cpu.cpuid", "kernel.loadedmodule"}
    assert f.flags["cpu.cpuid"] == frozenset({"AVX2", "SSE4"})
    assert "AVX2" in f.flags["cpu.cpuid"] and "AVX512F" not in f.flags["cpu.cpuid"]
    assert len(f.flags["kernel.loadedmodule"]) == 0
    assert f.attributes["kernel.version"]["major"] == "6"
    assert dict(f.attributes["kernel.version"]) == {"major": "6", "minor": "1"}
    assert f.attributes["kernel.version"].get("revision") is None
    inst = f.instances["pci.device"]
    assert len(inst) == 2
    assert inst[0]["vendor"] == "10de" and inst[-1]["class"] == "0600"
    assert [dict(i) for i in inst[1:]] == [{"vendor": "8086", "class": "0600"}]
    assert dict(f.instances["usb.device"][0]) == {}
    with pytest.raises(KeyError):
        f.flags["cpu.nothing"]
    with pytest.raises(KeyError):
        f.attributes["kernel.version"]["nothing"]
    with pytest.raises(IndexError):
        inst[2]
    assert "pci.device" in f.instances and "pci.device" not in f.attributes


def test_sealed_is_immutable():
    b = nfd.Features.build()
    b.add_flag("a.b", "c")
    f = b.seal()
    with pytest.raises(ValueError):
        b.add_flag("a.b", "d")  # the builder is closed by seal()
    # A builder wrapping the same, now sealed, object is refused by the library.
    again = nfd.FeaturesBuilder(nfd._lib.lib.nfd_features_ref(f._ptr), None)
    with pytest.raises(nfd.Error) as e:
        again.add_flag("a.b", "d")
    assert e.value.errno == errno.EPERM
    again.close()
    assert f.flags["a.b"] == {"c"}


def test_json_round_trip(features_json):
    f = nfd.Features.from_json(features_json)
    assert f.to_json() == features_json
    g = nfd.Features.from_json(f.to_json(compact=True).encode())
    assert g.to_dict() == f.to_dict()
    assert json.loads(f.to_json(compact=True, newline=False)) == json.loads(features_json)
    assert "\n" not in f.to_json(compact=True, newline=False)
    assert f.to_dict()["instances"]["pci.device"][1]["vendor"] == "10de"


def test_builder_json_matches_parse():
    f = build_sample()
    g = nfd.Features.from_json(f.to_json())
    assert g.to_json() == f.to_json()
    assert "kernel.loadedmodule" in g.flags


def test_from_file(data, tmp_path):
    f = nfd.Features.from_json(data / "features.json")
    assert f.flags["kernel.loadedmodule"] == {"kvm", "nvidia"}
    g = nfd.Features.from_file(str(data / "features.json"))
    assert g.to_json() == f.to_json()
    with pytest.raises(nfd.Error) as e:
        nfd.Features.from_file(tmp_path / "missing.json")
    assert e.value.errno == errno.ENOENT
    assert isinstance(e.value, OSError)


def test_merge(features_json):
    base = nfd.Features.from_json(features_json)
    b = nfd.Features.build()
    b.add_flag("cpu.cpuid", "AVX512F").set_attribute("kernel.version", "major", "7")
    b.merge(base)
    f = b.seal()
    assert {"AVX512F", "AVX2"} <= f.flags["cpu.cpuid"]
    assert f.attributes["kernel.version"]["major"] == "6"


def test_bad_json_raises_ebadmsg():
    with pytest.raises(nfd.Error) as e:
        nfd.Features.from_json('{"flags": {"cpu.cpuid": ')
    err = e.value
    assert err.errno == errno.EBADMSG
    assert err.strerror and err.strerror != "Bad message"  # the library's message
    assert "1:" in err.strerror  # line:column
    with pytest.raises(nfd.Error) as e:
        nfd.Features.from_json(b"[1, 2")
    assert e.value.errno == errno.EBADMSG


def test_error_message_is_per_context():
    ctx = nfd.Context()
    assert ctx.last_error == ""
    with pytest.raises(nfd.Error) as e:
        nfd.Features.from_json("{", ctx=ctx)
    assert ctx.last_error
    assert e.value.strerror == ctx.last_error


def test_close_and_with():
    f = build_sample()
    with f as g:
        assert g is f
        assert g.flags["cpu.cpuid"]
    assert f.closed
    f.close()  # idempotent
    with pytest.raises(ValueError):
        f.to_json()
    with pytest.raises(ValueError):
        f.flags["cpu.cpuid"]
    assert "closed" in repr(f)


def test_views_keep_features_alive(features_json):
    f = nfd.Features.from_json(features_json)
    attrs = f.attributes["kernel.version"]
    inst = f.instances["pci.device"][1]
    del f
    gc.collect()
    assert attrs["full"] == "6.1.0-13-amd64"
    assert inst["vendor"] == "10de"


def test_objects_outlive_context(features_json):
    ctx = nfd.Context()
    f = nfd.Features.from_json(features_json, ctx=ctx)
    ctx.close()
    del ctx
    gc.collect()
    assert f.attributes["kernel.version"]["major"] == "6"
    with pytest.raises(ValueError):
        c = nfd.Context()
        c.close()
        nfd.Features.from_json(features_json, ctx=c)
