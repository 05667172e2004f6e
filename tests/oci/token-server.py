#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A distribution token server for docker-registry's auth.token, for tests.

GET /token?service=S&scope=repository:NAME:ACTIONS... with HTTP Basic
USER:PASSWORD gets an RS256 JWT granting those scopes; without credentials a
token granting nothing (as real token servers treat anonymous users); wrong
credentials get 401.  POST /token (OAuth2, grant_type=refresh_token) with
the refresh token "refresh-PASSWORD" gets the same as USER.  The JWT carries the signing certificate in "x5c", which
the registry checks against its rootcertbundle.  Signing uses the openssl
command, so only the Python standard library is needed.

Usage: token-server.py PORTFILE KEY CERT USER:PASSWORD ISSUER [LIFETIME]
"""

import base64
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def reply(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        """OAuth2: grant_type=refresh_token with the refresh token
        "refresh-<password>" (what docker keeps as an identity token)."""
        srv = self.server
        if urlsplit(self.path).path != "/token":
            return self.reply(404, {})
        n = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(min(n, 65536)).decode())
        if (form.get("grant_type") != ["refresh_token"] or
                form.get("refresh_token") != ["refresh-" + srv.cred.split(":", 1)[1]]):
            return self.reply(400, {"error": "invalid_grant"})
        scopes = " ".join(form.get("scope", [])).split()
        token = self.token(srv.cred.split(":")[0], scopes, form.get("service", [""])[0])
        self.reply(200, {"access_token": token, "expires_in": 300})

    def do_GET(self):
        srv = self.server
        u = urlsplit(self.path)
        if u.path != "/token":
            return self.reply(404, {})
        q = parse_qs(u.query)
        auth = self.headers.get("Authorization", "")
        user = ""
        if auth:
            if auth != "Basic " + base64.b64encode(srv.cred.encode()).decode():
                return self.reply(401, {"details": "invalid credentials"})
            user = srv.cred.split(":")[0]
        token = self.token(user, q.get("scope", []), q.get("service", [""])[0])
        self.reply(200, {"token": token, "access_token": token, "expires_in": 300})

    def token(self, user, scopes, service):
        srv = self.server
        access = []
        if user:
            for s in scopes:
                typ, _, rest = s.partition(":")
                name, _, actions = rest.rpartition(":")
                access.append({"type": typ, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        header = {"alg": "RS256", "typ": "JWT", "x5c": [srv.cert_der]}
        claims = {"iss": srv.issuer, "sub": user, "aud": service,
                  "exp": now + 300, "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex,
                  "access": access}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode())).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", srv.key],
                             input=signing_input, capture_output=True, check=True).stdout
        return signing_input.decode() + "." + b64url(sig)


def main():
    portfile, key, cert, cred, issuer = sys.argv[1:6]
    lifetime = float(sys.argv[6]) if len(sys.argv) > 6 else 300
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                         capture_output=True, check=True).stdout
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.key, srv.cred, srv.issuer = key, cred, issuer
    srv.cert_der = base64.b64encode(der).decode()
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
