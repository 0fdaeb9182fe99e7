"""Drivers for the outbox tests: a real HTTP receiver on 127.0.0.1, a test channel on the
kernel's signed-webhook base, and outbox workers run as separate processes (PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from django.db import connection
from django.utils import timezone

from core import outbox
from core.outbox.webhook import Endpoint, SignedWebhook

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec-core-test"
CHANNEL = "testhook"


class UrlWebhook(SignedWebhook):
    """A test channel: the recipient key is the URL itself, signed with SECRET."""

    def endpoints(self, messages):
        return {m.pk: Endpoint(m.recipient, SECRET) for m in messages}


DELIVERERS = {CHANNEL: "tests.core.outbox_support.UrlWebhook"}


class Receiver:
    """Records every POST (headers, body, JSON or form fields); answers with the queued status
    codes, then ``default``; ``delay`` seconds before answering; HTTP/1.1 keep-alive."""

    def __init__(self, *, delay: float = 0.0, default: int = 200, answer: dict | None = None):
        self.requests: list[dict] = []
        self.responses: list[int] = []
        self.delay = delay
        self.default = default
        self.answer = answer
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    parsed = {k: v[0] for k, v in parse_qs(raw).items()}
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": raw, "data": parsed})
                    status = receiver.responses.pop(0) if receiver.responses else receiver.default
                if receiver.delay:
                    time.sleep(receiver.delay)
                payload = json.dumps(receiver.answer or {"status": status}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def event_ids(self) -> list[str]:
        with self.lock:
            return [r["headers"]["X-S2B2B-Event-Id"] for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def make_messages(n: int, url: str, *, prefix: str = "m", held: bool = False) -> list[outbox.OutboxMessage]:
    """``n`` messages of the test channel to ``url``. In a test whose writes commit, the
    after-commit kick drains at once in this process: ``held`` ones are due only in an hour,
    until ``release``."""
    not_before = timezone.now() + timedelta(hours=1) if held else None
    outbox.enqueue_many(
        outbox.Message(
            dedup_key=f"{prefix}:{i}",
            topic="test.event",
            channel=CHANNEL,
            recipient=url,
            payload={"n": i, "amount": "1.00"},
            reference=f"{prefix}-{i}",
            not_before=not_before,
        )
        for i in range(n)
    )
    return list(outbox.OutboxMessage.objects.filter(dedup_key__startswith=f"{prefix}:").order_by("id"))


WORKER_SCRIPT = """
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from core import outbox
from tests.core.outbox_support import CHANNEL, DELIVERERS
options = json.loads(sys.argv[1])
go = options.pop("go_file", None)
if go:  # several workers start draining together: each says it is ready, then waits for the word
    print("READY", flush=True)
    while not os.path.exists(go):
        time.sleep(0.01)
report = outbox.run(channels=(CHANNEL,), deliverers=DELIVERERS, **options)
print("REPORT " + json.dumps(report.__dict__), flush=True)
"""


def release(messages) -> None:
    """Make held messages due now (a plain UPDATE: no after-commit kick)."""
    outbox.OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(next_attempt_at=timezone.now())


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_worker(**options) -> subprocess.Popen:
    """An outbox worker in its own process (its own database connection and thread pool)."""
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_TASK_ALWAYS_EAGER": "1", "DJANGO_ENV": "test"}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, json.dumps(options)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_together(go_file: Path, count: int, before_go=None, **options) -> list[subprocess.Popen]:
    """``count`` workers, started once every one of them has set Django up."""
    workers = [start_worker(go_file=str(go_file), **options) for _ in range(count)]
    for worker in workers:
        line = worker.stdout.readline()
        assert line.strip() == "READY", (line, worker.stderr.read()[-3000:] if worker.poll() is not None else "")
    if before_go:
        before_go()
    go_file.touch()
    return workers


def report_of(process: subprocess.Popen, timeout: float = 120) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    line = next(x for x in out.splitlines() if x.startswith("REPORT "))
    return json.loads(line[len("REPORT ") :])


def wait_until(predicate, timeout: float = 60, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(step)
