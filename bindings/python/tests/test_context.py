# SPDX-License-Identifier: LGPL-2.1-or-later
"""Context settings and discovery under a fixture root."""

import errno
import os

import pytest

import nfd


def test_version_and_sources():
    assert nfd.library_version().count(".") == 2
    names = nfd.source_names()
    assert {"cpu", "kernel", "memory", "pci"} <= set(names)


def test_context_paths(tmp_path):
    ctx = nfd.Context()
    assert ctx.root == "/"
    ctx.root = tmp_path
    assert ctx.root == str(tmp_path)
    assert ctx.get_path(nfd.Path.SYS) == os.path.join(str(tmp_path), "sys")
    ctx.set_path(nfd.Path.PROC, "/elsewhere/proc")
    assert ctx.get_path(nfd.Path.PROC) == "/elsewhere/proc"
    ctx.set_host_prefix("/host-")
    assert ctx.get_path(nfd.Path.ETC) == "/host-etc"
    with pytest.raises(nfd.Error) as e:
        ctx.root = "relative/dir"
    assert e.value.errno == errno.EINVAL
    ctx.log_priority = 7
    assert ctx.log_priority == 7
    assert "root=" in repr(ctx)


def test_unknown_source_is_einval(data):
    with pytest.raises(nfd.Error) as e:
        nfd.discover(["no-such-source"], root=data / "root")
    assert e.value.errno == errno.EINVAL


def test_discover_fixture_root(data):
    f = nfd.discover(["memory"], root=data / "root")
    hp = f.attributes["memory.hugepages"]
    assert hp["enabled"] == "true"
    assert hp["hugepages-1Gi"] == "2"
    assert hp["hugepages-2Mi"] == "0"
    assert f.attributes["memory.swap"]["enabled"] == "true"
    # Only the source asked for ran.
    assert not any(n.startswith("cpu.") for n in f.flags)


def test_discover_with_context(data):
    ctx = nfd.Context(root=data / "root")
    f = nfd.discover(["memory"], ctx=ctx)
    assert f.attributes["memory.hugepages"]["enabled"] == "true"
    with pytest.raises(TypeError):
        nfd.discover(["memory"], root="/", ctx=ctx)


def test_log_hook(tmp_path):
    import syslog
    ctx = nfd.Context(root=tmp_path / "nothing")
    got = []
    ctx.set_log_fn(lambda *args: got.append(args))
    ctx.log_priority = syslog.LOG_DEBUG
    nfd.discover(["kernel"], ctx=ctx)
    warnings = [g for g in got if g[0] == syslog.LOG_WARNING]
    assert warnings, got
    prio, msg, file, line, func = warnings[0]
    assert str(tmp_path) in msg and "%" not in msg  # formatted by the library's printf
    assert file.endswith(".c") and line > 0 and func
    ctx.log_priority = syslog.LOG_ERR
    n = len(got)
    nfd.discover(["kernel"], ctx=ctx)
    assert len(got) == n  # warnings are above LOG_ERR
    ctx.log_priority = syslog.LOG_DEBUG
    ctx.set_log_fn(None)
    nfd.discover(["kernel"], ctx=ctx)
    assert len(got) == n
    # A features object keeps the context (and its hook) alive.
    ctx.set_log_fn(lambda *args: got.append(args))
    f = nfd.discover(["kernel"], ctx=ctx)
    ctx.close()
    del ctx
    assert f.to_json()


def test_embedded_nul_is_value_error(tmp_path):
    # a C string would end at the NUL: '/tmp\0/x' must not discover /tmp
    with pytest.raises(ValueError):
        nfd.discover(["system"], root=str(tmp_path) + "\0/x")
    with pytest.raises(ValueError):
        nfd.Context().root = "/tmp\0/x"
    b = nfd.Features.build()
    with pytest.raises(ValueError):
        b.add_flag("a.b", "x\0y")
    with pytest.raises(ValueError):
        b.add_flag("a.b\0c", "x")
