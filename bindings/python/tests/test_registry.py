# SPDX-License-Identifier: LGPL-2.1-or-later
"""fetch_spec against the project's fake OCI registry on 127.0.0.1.

Checks that every field of the options struct reaches the library: platform,
plain_http, username/password, timeout_ms.
"""

import errno
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

import pytest

import nfd

TOP = pathlib.Path(os.environ.get("NFD_TOP_SRCDIR",
                                  pathlib.Path(__file__).resolve().parents[3]))
FAKE = TOP / "tests" / "oci" / "fake-registry.py"
LAYOUT = TOP / "examples" / "oci-layout"

pytestmark = [
    pytest.mark.skipif(not nfd.has_registry(), reason="libnfd built without the registry client"),
    pytest.mark.skipif(not FAKE.exists() or not (LAYOUT / "index.json").exists(),
                       reason="tests/oci/fake-registry.py or examples/oci-layout missing"),
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        os.environ.pop(var, None)
    portfile = tmp_path_factory.mktemp("registry") / "port"
    proc = subprocess.Popen([sys.executable, str(FAKE), str(LAYOUT), str(portfile), "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if portfile.exists() and portfile.read_text().strip():
                break
            time.sleep(0.1)
        addr = f"127.0.0.1:{portfile.read_text().strip()}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{addr}/v2/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield addr
    finally:
        proc.kill()
        proc.wait()


def fetch(registry, mode, **kw):
    kw.setdefault("plain_http", True)
    kw.setdefault("platform", "linux/amd64")
    kw.setdefault("timeout_ms", 5000)
    return nfd.fetch_spec_data(f"{registry}/{mode}/app:v1", **kw)


def test_plain_http_and_platform(registry):
    assert fetch(registry, "ok").startswith(b"# artifact: newest")
    assert fetch(registry, "ok", platform="linux/arm64").startswith(b"# artifact: arm64")
    spec = nfd.fetch_spec(f"{registry}/ok/app:v1", plain_http=True, platform="linux/amd64")
    assert spec.version == "v1alpha1"
    with pytest.raises(nfd.Error):
        fetch(registry, "ok", plain_http=False)  # TLS to a plain HTTP server


def test_not_found(registry):
    with pytest.raises(nfd.Error) as e:
        fetch(registry, "missing")
    assert e.value.errno == errno.ENOENT and "MANIFEST_UNKNOWN" in e.value.strerror


def test_no_artifact(registry):
    with pytest.raises(nfd.NoArtifact) as e:
        nfd.fetch(f"{registry}/none/app:v1", plain_http=True, platform="linux/amd64")
    assert e.value.errno == errno.ENODATA and isinstance(e.value, nfd.Error)
    assert "no compatibility artifact attached" in e.value.strerror
    # the 1.0 call keeps ENOENT
    with pytest.raises(FileNotFoundError):
        fetch(registry, "none")
    with pytest.raises(FileNotFoundError):
        nfd.fetch(f"{registry}/missing/app:v1", plain_http=True, platform="linux/amd64")
    assert nfd.list_artifacts(f"{registry}/none/app:v1", plain_http=True,
                              platform="linux/amd64") == []


def test_fetch_digests(registry):
    a = nfd.fetch(f"{registry}/ok/app:v1", plain_http=True, platform="linux/amd64")
    assert a.data.startswith(b"# artifact: newest")
    for d in (a.image_digest, a.subject_digest, a.digest, a.spec_digest):
        assert d.startswith("sha256:") and len(d) == 71
    assert a.spec().version == "v1alpha1"
    listed = nfd.list_artifacts(f"{registry}/ok/app:v1", plain_http=True,
                                platform="linux/amd64")
    assert [x["digest"] for x in listed if x["chosen"]] == [a.digest]
    older = [x["digest"] for x in listed if not x["chosen"]]
    if older:
        b = nfd.fetch(f"{registry}/ok/app:v1", plain_http=True, platform="linux/amd64",
                      artifact_digest=older[0])
        assert b.digest == older[0]


def test_credentials(registry):
    with pytest.raises(nfd.Error) as e:
        fetch(registry, "e401")
    assert e.value.errno == errno.EACCES
    with pytest.raises(nfd.Error) as e:
        fetch(registry, "xorigin")
    assert e.value.errno == errno.EACCES
    assert fetch(registry, "xorigin", username="nfduser", password="nfd-secret")
    with pytest.raises(nfd.Error) as e:
        fetch(registry, "xorigin", username="nfduser", password="wrong")
    assert e.value.errno == errno.EACCES


def test_auth_file(registry, tmp_path):
    import base64
    import json
    auth = tmp_path / "auth.json"
    token = base64.b64encode(b"nfduser:nfd-secret").decode()
    auth.write_text(json.dumps({"auths": {registry: {"auth": token}}}))
    assert fetch(registry, "xorigin", auth_file=auth)
    auth.write_text(json.dumps({"auths": {}}))
    with pytest.raises(nfd.Error) as e:
        fetch(registry, "xorigin", auth_file=auth)
    assert e.value.errno == errno.EACCES


def test_timeout(registry):
    start = time.monotonic()
    with pytest.raises(nfd.Error) as e:
        fetch(registry, "stall", timeout_ms=500)
    assert e.value.errno == errno.ETIMEDOUT
    assert time.monotonic() - start < 5


def test_same_as_cli(registry, data, cli):
    ref = f"{registry}/ok/app:v1"
    features = nfd.Features.from_file(data / "features.json")
    report = nfd.fetch_spec(ref, plain_http=True, platform="linux/amd64").evaluate(features)
    p = cli("compat", "validate-node", "--image", ref, "--plain-http", "--platform",
            "linux/amd64", "--features", str(data / "features.json"), "--output-json")
    assert p.returncode == (0 if report.compatible else 1), p.stderr
    assert report.to_json() == p.stdout
