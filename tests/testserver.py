"""testserver.py - the start-up the test servers share (feedserver.py,
rdapserver.py): their arguments

    DIR [--tls CERT KEY] [--lifetime SECONDS] [--log FILE]

a free port on 127.0.0.1 printed on the first line of stdout, TLS when
asked, and a timer that ends the process after --lifetime seconds
(default 120), so that a test that dies cannot leave a server running.
"""
import os
import ssl
import sys
import threading
from http.server import ThreadingHTTPServer


class Options:
    def __init__(self, root):
        self.root = root
        self.tls = None
        self.lifetime = 120.0
        self.log = None


def parse_args(name, usage, args):
    """The options, or None after printing why (the caller exits 2)."""
    if not args:
        sys.stderr.write(usage)
        return None
    o = Options(args.pop(0))
    while args:
        a = args.pop(0)
        if a == "--tls":
            o.tls = (args.pop(0), args.pop(0))
        elif a == "--lifetime":
            o.lifetime = float(args.pop(0))
        elif a == "--log":
            o.log = args.pop(0)
        else:
            sys.stderr.write("%s: unknown option %s\n" % (name, a))
            return None
    return o


def serve(handler, o, on_bound=None):
    """Bind, call on_bound(base_url) if given, print the port, serve."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    if o.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(o.tls[0], o.tls[1])
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    if on_bound:
        on_bound("%s://127.0.0.1:%d" % ("https" if o.tls else "http", port))
    # Stop by itself even if the test never kills it.
    timer = threading.Timer(o.lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    print(port, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
