"""A loopback RFC 3161 timestamping service for tests: pyHanko's DummyTimeStamper (RSA key of
the dev PKI) behind a tiny HTTP server on 127.0.0.1, so the code path for a configured TSA URL
(an HTTP POST of a TimeStampReq) is exercised without any network."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import tsp
from pyhanko.sign.timestamps import DummyTimeStamper


class _Handler(BaseHTTPRequestHandler):
    stamper: DummyTimeStamper
    requests: list[bytes]

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append(body)
        try:
            response = self.server.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            status = 200
        except Exception:  # noqa: BLE001 - a malformed request gets a 400, as a real TSA would
            response, status = b"bad request", 400
        self.send_response(status)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(response)))
        self.end_headers()
        self.wfile.write(response)

    def log_message(self, *args):
        pass


@contextmanager
def loopback_tsa(tsa_cert, tsa_key, chain=()):
    """Serve timestamps on a free 127.0.0.1 port; yields (url, server) — ``server.requests``
    holds the raw requests received."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.stamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key, certs_to_embed=list(chain))
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
