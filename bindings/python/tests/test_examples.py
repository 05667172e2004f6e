# SPDX-License-Identifier: LGPL-2.1-or-later
"""examples/check_host.py prints what examples/c/check-host.c prints (golden files)."""

import os
import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "check_host.py"


def run(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True,
                          text=True, env=env, check=False)


@pytest.mark.parametrize("tags,rc,golden", [(None, 0, "check-host.out"),
                                            ("avx512", 1, "check-host-avx512.out")])
def test_check_host(data, tags, rc, golden):
    args = ["--features", str(data / "features.json"), str(data / "spec.yaml")]
    if tags:
        args[:0] = ["--tags", tags]
    p = run(*args)
    assert p.returncode == rc, p.stderr
    assert p.stdout == (data / golden).read_text()


def test_check_host_errors(data):
    p = run(str(data / "bad-spec.yaml"))
    assert p.returncode == 2 and "bad-spec.yaml:" in p.stderr
    assert run("--root", str(data / "root"), str(data / "hugepages.spec.yaml")).returncode == 0
