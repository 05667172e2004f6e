#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A small OCI registry for the paths docker-registry 2.8 lacks, with faults.

Serves the example image (examples/oci-layout, tag v1) under every
repository.  The first path component of the repository picks the
behaviour, so one server covers every case:

  ok/app           referrers API, server-side artifactType filter
                   (OCI-Filters-Applied), several artifacts: newest wins; a
                   linux/arm64-only artifact; accepts pushes (OCI-Subject)
  paged/app        referrers API paginated with Link, 1 per page, not
                   filtered (a newer artifact of another type must be skipped)
  tie/app          two artifacts with the same created time: highest digest
  fallback/app     plain-text 404 on referrers: the sha256-<hex> tag schema
  wrongct/app      referrers 200 with a non-index Content-Type: fallback
  nameunknown/app  referrers 404 NAME_UNKNOWN: an error
  missing/app      every manifest 404 MANIFEST_UNKNOWN
  none/app         no artifacts at all
  e401/app         401 with a Basic challenge, whatever is sent
  e500/app         500 on every request
  busy/app         every path answers 503 (Retry-After: 0) twice, then works
  throttled/app    429 on every request
  baddigest/app    the spec blob's bytes do not match its digest
  badmanifest/app  the artifact manifest's bytes do not match its digest
  oversize/app     the spec blob is 5 MiB (its descriptor says 64 bytes)
  bigdesc/app      the descriptor says the spec is 5 MiB
  wrongmedia/app   the spec layer has media type text/plain
  truncated/app    the spec blob's body ends early (Content-Length lies)
  loop/app         the spec blob redirects to itself forever
  stall/app        the manifest request never gets an answer
  xorigin/app      Basic auth (user/pass); the spec blob redirects to another
                   origin (localhost instead of 127.0.0.1), which fails if it
                   receives an Authorization header
  chunked/app      as ok, every body in chunked transfer coding (small chunks,
                   chunk extensions, a trailer)
  garbage/app      manifests answer a malformed status line
  hugeheaders/app  manifests answer 80 header fields of 1000 bytes
  badchunk/app     manifests answer a chunked body with an invalid chunk size
  early/app        manifests answer a body shorter than its Content-Length
                   and keep the connection open (a stall, not a truncation)

Usage: fake-registry.py LAYOUT PORTFILE [LIFETIME_SECONDS]
The chosen port is written to PORTFILE; the server exits by itself after
LIFETIME_SECONDS (default 300) so a forgotten one never lingers.
"""

import base64
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NFD_TYPE = "application/vnd.nfd.image-compatibility.v1alpha1"
SPEC_TYPE = "application/vnd.nfd.image-compatibility.spec.v1alpha1+yaml"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
EMPTY = "application/vnd.oci.empty.v1+json"
USER, PASSWORD = "nfduser", "nfd-secret"

blobs = {}      # digest -> bytes
manifests = {}  # digest -> (media type, bytes)
referrers = {}  # (mode, subject digest) -> [descriptor]
overrides = {}  # (mode, digest) -> bytes served instead (faults)
tags = {}       # (mode, tag) -> digest
busy_count = {}  # path -> requests seen (busy mode)
lock = threading.Lock()


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def load_layout(path):
    for name in os.listdir(os.path.join(path, "blobs", "sha256")):
        with open(os.path.join(path, "blobs", "sha256", name), "rb") as f:
            b = f.read()
        blobs["sha256:" + name] = b
        try:
            mt = json.loads(b).get("mediaType")
        except (ValueError, AttributeError):
            mt = None
        if mt in (MANIFEST, INDEX):
            manifests["sha256:" + name] = (mt, b)
    with open(os.path.join(path, "index.json")) as f:
        for m in json.load(f)["manifests"]:
            if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == "v1":
                return m["digest"]
    raise SystemExit("no v1 in the layout")


def add_artifact(mode, subject, spec, created=None, layer_type=SPEC_TYPE,
                 artifact_type=NFD_TYPE, layer_size=None):
    sd = digest(spec)
    blobs[sd] = spec
    blobs[digest(b"{}")] = b"{}"
    m = {"schemaVersion": 2, "mediaType": MANIFEST, "artifactType": artifact_type,
         "config": {"mediaType": EMPTY, "digest": digest(b"{}"), "size": 2},
         "layers": [{"mediaType": layer_type, "digest": sd,
                     "size": len(spec) if layer_size is None else layer_size}],
         "subject": {"mediaType": manifests[subject][0], "digest": subject,
                     "size": len(manifests[subject][1])}}
    if created:
        m["annotations"] = {"org.opencontainers.image.created": created}
    b = json.dumps(m, separators=(",", ":")).encode()
    d = digest(b)
    manifests[d] = (MANIFEST, b)
    desc = {"mediaType": MANIFEST, "digest": d, "size": len(b), "artifactType": artifact_type}
    if created:
        desc["annotations"] = m["annotations"]
    referrers.setdefault((mode, subject), []).append(desc)
    return d, sd


def setup(index):
    idx = json.loads(manifests[index][1])
    plat = {e["platform"]["architecture"]: e["digest"] for e in idx["manifests"]}
    old = b"# artifact: old\nversion: v1alpha1\ncompatibilities:\n- tag: any\n  rules: []\n"
    new = b"# artifact: newest\nversion: v1alpha1\ncompatibilities:\n- tag: any\n  rules: []\n"
    for mode in ("ok", "paged", "fallback", "wrongct", "nameunknown", "e401", "e500",
                 "stall", "missing", "busy", "throttled", "chunked"):
        add_artifact(mode, index, old, "2025-01-01T00:00:00Z")
        add_artifact(mode, index, new, "2025-06-01T12:00:00+02:00")
        add_artifact(mode, index, b"# artifact: undated\nversion: v1alpha1\n")
    # another type, newer: must never be chosen
    add_artifact("paged", index, b"not a spec", "2030-01-01T00:00:00Z",
                 layer_type="application/spdx+json", artifact_type="application/spdx+json")
    add_artifact("ok", plat["arm64"], b"# artifact: arm64\nversion: v1alpha1\n",
                 "2025-01-01T00:00:00Z")
    a, _ = add_artifact("tie", index, b"# artifact: tie-a\n", "2025-01-01T00:00:00Z")
    b, _ = add_artifact("tie", index, b"# artifact: tie-b\n", "2025-01-01T00:00:00Z")
    print("tie winner", max(a, b), file=sys.stderr)
    tags[("tie", "winner")] = max(a, b)

    spec = b"# artifact: faulty\nversion: v1alpha1\ncompatibilities: []\n"
    _, sd = add_artifact("baddigest", index, spec, "2025-01-01T00:00:00Z")
    overrides[("baddigest", sd)] = spec.replace(b"faulty", b"FAULTY")
    md, _ = add_artifact("badmanifest", index, spec, "2025-01-01T00:00:00Z")
    overrides[("badmanifest", md)] = manifests[md][1].replace(b'"size":2', b'"size":2 ')
    big = b"#" * (5 * 1024 * 1024)
    add_artifact("oversize", index, big, "2025-01-01T00:00:00Z", layer_size=64)
    add_artifact("bigdesc", index, spec, "2025-01-01T00:00:00Z", layer_size=5 * 1024 * 1024)
    add_artifact("wrongmedia", index, spec, "2025-01-01T00:00:00Z", layer_type="text/plain")
    for mode in ("truncated", "loop", "xorigin"):
        add_artifact(mode, index, spec, "2025-01-01T00:00:00Z")
    # the fallback modes keep their list in the tag schema
    for mode in ("fallback", "wrongct"):
        body = json.dumps({"schemaVersion": 2, "mediaType": INDEX,
                           "manifests": referrers[(mode, index)]}).encode()
        d = digest(body)
        manifests[d] = (INDEX, body)
        tags[(mode, "sha256-" + index.split(":")[1])] = d


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("FAKE_REGISTRY_LOG"):
            sys.stderr.write("fake-registry: " + fmt % args + "\n")

    def send(self, status, body=b"", ctype=None, headers=None, length=None):
        if getattr(self, "mode", None) == "chunked" and length is None:
            return self.send_chunked(status, body, ctype, headers)
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_chunked(self, status, body, ctype, headers):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        for i in range(0, len(body), 100):
            part = body[i:i + 100]
            self.wfile.write(b"%x;offset=%d\r\n" % (len(part), i) + part + b"\r\n")
        self.wfile.write(b"0\r\nX-Checksum: none\r\n\r\n")

    def raw(self, data, close=True):
        """Bytes as they are, no HTTP framing of ours."""
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = close

    def malformed(self, mode):
        if mode == "garbage":
            return self.raw(b"HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n")
        if mode == "hugeheaders":
            return self.raw(b"HTTP/1.1 200 OK\r\n" + b"".join(
                b"X-Filler-%d: %s\r\n" % (i, b"a" * 1000) for i in range(80)) + b"\r\n")
        if mode == "badchunk":
            return self.raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            b"zz\r\nxx\r\n0\r\n\r\n")
        # early: 10 of 100 bytes, then silence
        self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", close=False)
        time.sleep(20)
        return None

    def error(self, status, code, msg, headers=None):
        body = json.dumps({"errors": [{"code": code, "message": msg}]}).encode()
        self.send(status, body, "application/json", headers)

    def route(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        parts = u.path.split("/")
        if u.path.startswith("/external/"):  # the other origin of xorigin
            if self.headers.get("Authorization"):
                return self.error(400, "LEAK", "credentials crossed origins")
            d = parts[2]
            return self.send(200, blobs[d], "application/octet-stream")
        if u.path == "/v2/":
            return self.send(200, b"{}", "application/json")
        # /v2/<mode>/app/<kind>/<ref>
        if len(parts) < 6 or parts[1] != "v2":
            return self.error(404, "NAME_UNKNOWN", "no such path")
        mode, kind, ref = parts[2], parts[4], "/".join(parts[5:])
        self.mode = mode
        if mode in ("garbage", "hugeheaders", "badchunk", "early") and kind == "manifests":
            return self.malformed(mode)
        if mode == "stall":
            time.sleep(20)
            return None
        if mode == "e500":
            return self.error(500, "INTERNAL", "injected failure")
        if mode == "throttled":
            return self.error(429, "TOOMANYREQUESTS", "slow down", {"Retry-After": "0"})
        if mode == "busy":
            with lock:
                n = busy_count[self.path] = busy_count.get(self.path, 0) + 1
            if n <= 2:
                return self.error(503, "UNAVAILABLE", "try again", {"Retry-After": "0"})
        if mode == "e401":
            return self.error(401, "UNAUTHORIZED", "authentication required",
                              {"WWW-Authenticate": 'Basic realm="fake"'})
        if mode == "xorigin":
            want = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.error(401, "UNAUTHORIZED", "authentication required",
                                  {"WWW-Authenticate": 'Basic realm="fake"'})
        if mode == "missing" and kind == "manifests":
            return self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")
        if kind == "manifests":
            return self.manifest(mode, ref)
        if kind == "blobs" and ref == "uploads/":
            return self.send(202, headers={"Location": f"/v2/{mode}/app/blobs/uploads/x1?s=1"})
        if kind == "blobs" and ref.startswith("uploads/"):
            return self.upload(q)
        if kind == "blobs":
            return self.blob(mode, ref)
        if kind == "referrers":
            return self.referrers(mode, ref, q)
        return self.error(404, "NAME_UNKNOWN", "no such path")

    def manifest(self, mode, ref):
        if self.command == "PUT":
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            d = digest(body)
            mt = self.headers.get("Content-Type")
            with lock:
                manifests[d] = (mt, body)
                if not ref.startswith("sha256:"):
                    tags[(mode, ref)] = d
                m = json.loads(body)
                subj = m.get("subject", {}).get("digest")
                if subj:
                    desc = {"mediaType": mt, "digest": d, "size": len(body),
                            "artifactType": m.get("artifactType")}
                    if m.get("annotations"):
                        desc["annotations"] = m["annotations"]
                    referrers.setdefault((mode, subj), []).append(desc)
            hdrs = {"Docker-Content-Digest": d, "Location": f"/v2/{mode}/app/manifests/{d}"}
            if subj:
                hdrs["OCI-Subject"] = subj
            return self.send(201, headers=hdrs)
        d = ref if ref.startswith("sha256:") else tags.get((mode, ref), tags.get(("*", ref)))
        if d not in manifests:
            return self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")
        mt, body = manifests[d]
        body = overrides.get((mode, d), body)
        return self.send(200, body, mt, {"Docker-Content-Digest": d})

    def blob(self, mode, d):
        if d not in blobs:
            return self.error(404, "BLOB_UNKNOWN", "blob unknown")
        body = overrides.get((mode, d), blobs[d])
        if blobs[d].startswith(b"# artifact: faulty") or len(body) > 1024 * 1024:
            if mode == "truncated":
                self.send_response(200)
                self.send_header("Content-Length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                self.close_connection = True
                return None
            if mode == "loop":
                return self.send(307, headers={"Location": f"/v2/loop/app/blobs/{d}"})
            if mode == "xorigin":
                port = self.server.server_address[1]
                return self.send(307, headers={"Location": f"http://localhost:{port}/external/{d}"})
        return self.send(200, body, "application/octet-stream", {"Docker-Content-Digest": d})

    def upload(self, q):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        d = q.get("digest", [""])[0]
        if digest(body) != d:
            return self.error(400, "DIGEST_INVALID", "digest mismatch")
        with lock:
            blobs[d] = body
        return self.send(201, headers={"Docker-Content-Digest": d})

    def referrers(self, mode, subject, q):
        if mode in ("fallback", "missing"):
            return self.send(404, b"404 page not found\n", "text/plain; charset=utf-8")
        if mode == "nameunknown":
            return self.error(404, "NAME_UNKNOWN", "repository name not known to registry")
        want = q.get("artifactType", [None])[0]
        descs = list(referrers.get((mode, subject), []))
        hdrs = {}
        if mode == "wrongct":
            return self.send(200, b"{}", "application/json")
        if mode != "paged" and want:
            descs = [x for x in descs if x.get("artifactType") == want]
            hdrs["OCI-Filters-Applied"] = "artifactType"
        if mode == "paged":
            page = int(q.get("page", ["0"])[0])
            if page + 1 < len(descs):
                hdrs["Link"] = (f'</v2/paged/app/referrers/{subject}?artifactType='
                                f'{want}&page={page + 1}>; rel="next"')
            descs = descs[page:page + 1]
        body = json.dumps({"schemaVersion": 2, "mediaType": INDEX, "manifests": descs}).encode()
        return self.send(200, body, INDEX, hdrs)

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = route


def main():
    layout, portfile = sys.argv[1], sys.argv[2]
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 300
    index = load_layout(layout)
    tags[("*", "v1")] = index
    setup(index)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
