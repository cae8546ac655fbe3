#!/usr/bin/env python3
"""rdapserver.py - a small RDAP server on 127.0.0.1 for the RDAP tests.

    rdapserver.py DIR [--tls CERT KEY] [--lifetime SECONDS] [--log FILE]

Binds a free port (port 0), prints it on the first line of stdout, and
serves until killed or until --lifetime seconds have passed (default 120),
so that a test that dies cannot leave it running.

DIR/routes.txt maps prefixes to answers ("PREFIX STATUS FILE" lines).
  /bootstrap/ipv4.json, /bootstrap/ipv6.json
        an RFC 9224 file whose services are the route prefixes, with this
        server as their base URL, plus 10.0.0.0/8 offered over http only
  /rdap/ip/ADDR
        the answer of the route covering ADDR, as application/rdap+json;
        404 when none does
Each request is appended to --log as "PATH accept=ACCEPT".
"""
import ipaddress
import json
import os
import ssl
import sys
from http.server import BaseHTTPRequestHandler

import testserver

ROOT = None
LOG = None
ROUTES = []
BASE = None


def load_routes():
    with open(os.path.join(ROOT, "routes.txt")) as fp:
        for line in fp:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            prefix, status, name = line.split()
            ROUTES.append((ipaddress.ip_network(prefix), int(status), name))


def bootstrap(version):
    nets = [str(n) for n, _, _ in ROUTES if n.version == version]
    services = [[nets, [BASE + "/rdap/"]]]
    if version == 4:
        # The covering service has only clear-text URLs: must not be used.
        services.append([["10.0.0.0/8"], ["http://127.0.0.1:9/rdap/"]])
    return json.dumps({"version": "1.0", "publication": "2025-01-01T00:00:00Z",
                       "services": services}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        if LOG:
            with open(LOG, "a") as fp:
                fp.write("%s accept=%s\n" % (self.path, self.headers.get("Accept", "-")))

    def reply(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path
        try:
            if p in ("/bootstrap/ipv4.json", "/bootstrap/ipv6.json"):
                return self.reply(200, bootstrap(4 if "ipv4" in p else 6),
                                  "application/json")
            if p.startswith("/rdap/ip/"):
                try:
                    a = ipaddress.ip_address(p[len("/rdap/ip/"):])
                except ValueError:
                    return self.reply(400, b'{"errorCode": 400}', "application/rdap+json")
                for net, status, name in ROUTES:
                    if a.version == net.version and a in net:
                        with open(os.path.join(ROOT, name), "rb") as fp:
                            body = fp.read()
                        return self.reply(status, body, "application/rdap+json")
                return self.reply(404, b'{"errorCode": 404, "title": "Not Found"}',
                                  "application/rdap+json")
            return self.reply(404, b"no such route\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            return None


def main():
    global ROOT, LOG
    o = testserver.parse_args("rdapserver", __doc__, sys.argv[1:])
    if o is None:
        return 2
    ROOT, LOG = o.root, o.log
    load_routes()

    def bound(url):
        global BASE
        BASE = url
    return testserver.serve(Handler, o, bound)


if __name__ == "__main__":
    sys.exit(main())
