"""A webhook receiver for benchmarks/outbox.py, run in its own process: a threaded HTTP/1.1
server with keep-alive that answers every POST with 200 (after ``--delay`` seconds) and counts
them; ``GET /count`` returns the count. Prints its port on the first line of stdout.

    python benchmarks/outbox_receiver.py [--delay 0.05]
"""

import argparse
import contextlib
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    lock = threading.Lock()
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if args.delay:
                time.sleep(args.delay)
            with lock:
                count[0] += 1
            self._answer(b'{"ok":true}')

        def do_GET(self):
            with lock:
                n = count[0]
            self._answer(str(n).encode())

        def _answer(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    server = Server(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
