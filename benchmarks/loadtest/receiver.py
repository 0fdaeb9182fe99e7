"""The suppliers' systems during the load test: a threaded HTTP server that takes every webhook
POST (answers 200) and appends one JSON line per delivery to a log (event id, topic, supplier
order number), so the consistency check can count what each supplier order's forwarding
delivered. Prints its port on the first line of stdout.

    python benchmarks/loadtest/receiver.py LOG.jsonl
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    log = open(sys.argv[1], "a", encoding="utf-8")  # noqa: SIM115  open for the server's lifetime
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                number = json.loads(body)["supplier_order"]["number"]
            except (ValueError, KeyError, TypeError):
                number = ""
            record = {
                "event_id": self.headers.get("X-S2B2B-Event-Id", ""),
                "topic": self.headers.get("X-S2B2B-Event", ""),
                "number": number,
            }
            with lock:
                log.write(json.dumps(record) + "\n")
                log.flush()
            answer = b'{"ok":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
