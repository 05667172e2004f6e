# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared fixtures: test data and the nfd command of the build tree."""

import os
import pathlib
import subprocess

import pytest

DATA = pathlib.Path(__file__).resolve().parent / "data"


@pytest.fixture
def data() -> pathlib.Path:
    return DATA


@pytest.fixture
def features_json() -> str:
    return (DATA / "features.json").read_text()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the build tree's nfd; skip outside `make check` (no $NFD_BIN)."""
    nfd_bin = os.environ.get("NFD_BIN")
    if not nfd_bin:
        pytest.skip("NFD_BIN is not set (run through make check)")
    return subprocess.run([nfd_bin, *args], capture_output=True, text=True, check=False)


@pytest.fixture
def cli():
    return run_cli


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under NFD_NO_SKIP=1 (CI installs every dependency) a skip is a failure."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("NFD_NO_SKIP") == "1" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under NFD_NO_SKIP=1: {report.longrepr}"
