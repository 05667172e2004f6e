#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A CONNECT-only proxy that writes every request head it receives to a log.

tests/oci/proxy.sh checks with it what a proxy gets to see of an https
request: the CONNECT line, Host and Proxy-Authorization, never the
registry's Authorization header.

Usage: connect-recorder.py PORTFILE LOG [LIFETIME_SECONDS]
"""

import os
import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            d = src.recv(65536)
            if not d:
                break
            dst.sendall(d)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def handle(c, log, lock):
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = c.recv(4096)
        if not d or len(buf) > 65536:
            c.close()
            return
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    with lock:
        log.write(head + b"\r\n\r\n")
        log.flush()
    words = head.split(b"\r\n")[0].split()
    if len(words) != 3 or words[0] != b"CONNECT":
        c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        c.close()
        return
    host, port = words[1].rsplit(b":", 1)
    try:
        u = socket.create_connection((host.decode().strip("[]"), int(port)), timeout=10)
    except OSError:
        c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        c.close()
        return
    u.settimeout(None)
    c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    if rest:
        u.sendall(rest)
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    pipe(u, c)


def main():
    portfile, logfile = sys.argv[1], sys.argv[2]
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 300
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    log = open(logfile, "ab")
    lock = threading.Lock()
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    while True:
        c, _ = srv.accept()
        threading.Thread(target=handle, args=(c, log, lock), daemon=True).start()


if __name__ == "__main__":
    main()
