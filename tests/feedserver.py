#!/usr/bin/env python3
"""feedserver.py - a small HTTP(S) server on 127.0.0.1 for the update tests.

    feedserver.py DIR [--tls CERT KEY] [--lifetime SECONDS] [--log FILE]

Binds a free port (port 0), prints it on the first line of stdout, and
serves until killed or until --lifetime seconds have passed (default 120),
so a test that dies cannot leave it running.

Routes, each a case the downloader must handle:
  /f/NAME          DIR/NAME with an ETag and Last-Modified; 304 when the
                   request's If-None-Match matches
  /status/CODE     that status with a short body
  /slow            headers at once, then one byte a second for 60 s
  /truncated       Content-Length 100000, 1000 bytes sent, connection closed
  /big/N           N bytes with Content-Length
  /bigchunked/N    N bytes without Content-Length (ends at close)
  /loop            302 to itself
  /redirect/NAME   302 to /f/NAME
  /d/SUB/.../NAME  DIR/SUB/NAME, as /f/ does (a second tree of fixtures)
  /f/.../A/B/      (and /d/SUB/.../A/B/) a directory listing: the file
                   index-A-B.html of DIR (or DIR/SUB), 404 without one
The error routes also answer below themselves (/status/404/a/b).
Each request line and its If-None-Match header are appended to --log.
"""
import hashlib
import os
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler

import testserver

ROOT = None
LOG = None
LAST_MODIFIED = "Wed, 27 Jan 2021 21:34:18 GMT"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        if LOG:
            with open(LOG, "a") as fp:
                fp.write("%s inm=%s\n" % (self.path, self.headers.get("If-None-Match", "-")))

    def simple(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        # Routes ignore the query string (a token rides there); the log
        # keeps the whole request path.
        p = self.path.split("?", 1)[0]
        # The error routes also answer below themselves
        # (/status/404/any/path), so that a --base-url prefix can send
        # every archive of `update --as-of` to one of them.
        seg = p.split("/")
        if len(seg) > 3 and seg[1] in ("status", "big", "bigchunked"):
            p = "/".join(seg[:3])
        elif len(seg) > 2 and seg[1] in ("slow", "truncated", "loop"):
            p = "/".join(seg[:2])
        try:
            if p.startswith("/d/") and len(seg) > 3 and not seg[2].startswith("."):
                # /d/SUB/.../NAME: DIR/SUB/NAME, a second fixture tree
                p = "/f/" + seg[2] + "/" + seg[-1]
                name = os.path.join(seg[2], os.path.basename(p))
            else:
                name = None
            if p.startswith("/f/") and self.path.split("?", 1)[0].endswith("/") and len(seg) > 4:
                # A directory's listing: DIR[/SUB]/index-A-B.html for
                # .../A/B/ (CAIDA's month directories: index-2017-03.html)
                sub = seg[2] if self.path.startswith("/d/") else ""
                name = os.path.join(sub, "index-%s-%s.html" % (seg[-3], seg[-2]))
            if p.startswith("/f/"):
                if name is None:
                    name = os.path.basename(p[3:])
                path = os.path.join(ROOT, name)
                if not os.path.isfile(path):
                    return self.simple(404, b"not found\n")
                data = open(path, "rb").read()
                etag = '"%s"' % hashlib.sha1(data).hexdigest()[:16]
                if self.headers.get("If-None-Match") == etag:
                    return self.simple(304, b"", [("ETag", etag)])
                return self.simple(200, data, [("ETag", etag), ("Last-Modified", LAST_MODIFIED)])
            if p.startswith("/status/"):
                code = int(p[8:])
                return self.simple(code, b"<html><body>error %d</body></html>\n" % code)
            if p == "/slow":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(60):
                    self.wfile.write(b"1")
                    self.wfile.flush()
                    time.sleep(1)
                return None
            if p == "/truncated":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"192.0.2.1\n" * 100)
                self.wfile.flush()
                self.close_connection = True
                return None
            if p.startswith("/big/") or p.startswith("/bigchunked/"):
                n = int(p.rsplit("/", 1)[1])
                self.send_response(200)
                if p.startswith("/big/"):
                    self.send_header("Content-Length", str(n))
                self.end_headers()
                line = b"192.0.2.1\n"
                while n > 0:
                    chunk = line * 1000
                    chunk = chunk[:n]
                    self.wfile.write(chunk)
                    n -= len(chunk)
                return None
            if p == "/loop":
                return self.simple(302, b"", [("Location", "/loop")])
            if p.startswith("/redirect/"):
                return self.simple(302, b"", [("Location", "/f/" + p[10:])])
            return self.simple(404, b"no such route\n")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            return None


def main():
    global ROOT, LOG
    o = testserver.parse_args("feedserver", __doc__, sys.argv[1:])
    if o is None:
        return 2
    ROOT, LOG = o.root, o.log
    return testserver.serve(Handler, o)


if __name__ == "__main__":
    sys.exit(main())
