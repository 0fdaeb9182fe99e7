"""Start-up shared by the benchmark scripts: Django with the project's settings on a throwaway
SQLite file (or on DATABASE_URL when set, or on a throwaway PostgreSQL 15 cluster with
``--postgres``), without DEBUG, with e-mails kept in memory (the demo data sends some) so that
the output holds only the figures.

Also the measuring helpers every script uses: ``interleaved`` runs two variants A/B/A/B… so
drift on these shared machines hits both alike, and reports min and median of each and their
ratios; ``queries`` counts a run's SQL statements even past Django's 9,000-query log.
"""

import atexit
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "25"))
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres() -> str:
    """A throwaway PostgreSQL 15 cluster (as bin/test starts one), removed at exit; its URL."""
    work = Path(tempfile.mkdtemp(prefix="s2b2b-bench-pg-"))
    port = _free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    pg = work / "pg"

    def run(*args, check=True):  # fixed programs from PG_BIN, arguments built here
        subprocess.run([*as_postgres, *map(str, args)], check=check, capture_output=True)  # noqa: S603

    run(PG_BIN / "initdb", "-D", pg, "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    run(PG_BIN / "pg_ctl", "-D", pg, "-l", work / "pg.log", "-w", "-o", options, "start")

    def stop():
        run(PG_BIN / "pg_ctl", "-D", pg, "-m", "immediate", "stop", check=False)
        shutil.rmtree(work, ignore_errors=True)

    atexit.register(stop)
    # a benchmark stopped with SIGTERM still removes its cluster (atexit runs on SystemExit)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "bench")
    return f"postgres://postgres@127.0.0.1:{port}/bench"


def start_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("EMAIL_URL", "memorymail://")
    if "--postgres" in sys.argv:
        sys.argv.remove("--postgres")
        os.environ["DATABASE_URL"] = start_postgres()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='s2b2b-bench-')}/bench.sqlite3")
    os.environ["DEBUG"] = "false"

    import django

    django.setup()


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def queries(action: Callable[[], object]) -> int:
    """SQL statements one run of ``action`` issues (an execute wrapper: no 9,000-query cap)."""
    from django.db import connection

    counter = _Counter()
    with connection.execute_wrapper(counter):
        action()
    return counter.count


def peak_kib(action: Callable[[], object]) -> int:
    """Peak Python memory allocated during one run of ``action`` (tracemalloc), in KiB."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] // 1024
    finally:
        tracemalloc.stop()


@dataclass
class Timing:
    """Wall-clock seconds of each run, and this process's CPU seconds (``time.process_time``):
    on a shared machine the CPU time of the process is far steadier than the wall clock (it
    leaves out the time spent waiting for a core); with SQLite it holds the database's work too,
    with PostgreSQL the server's work is only in the wall clock."""

    runs: list[float]
    cpu: list[float]

    @property
    def min_ms(self) -> float:
        return min(self.runs) * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs) * 1000

    @property
    def cpu_min_ms(self) -> float:
        return min(self.cpu) * 1000

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu) * 1000


def interleaved(
    a: Callable[[], object], b: Callable[[], object], runs: int = RUNS, warmup: int = 2
) -> tuple[Timing, Timing]:
    """Time ``a`` and ``b`` alternately (A B, B A, B A, A B …: each goes first half the time)."""
    for _ in range(warmup):
        a()
        b()
    out = {a: Timing([], []), b: Timing([], [])}
    for n in range(runs):
        for action in (a, b) if n % 4 in (0, 3) else (b, a):
            start, cpu = time.perf_counter(), time.process_time()
            action()
            out[action].runs.append(time.perf_counter() - start)
            out[action].cpu.append(time.process_time() - cpu)
    return out[a], out[b]


def ratio_text(a: Timing, b: Timing) -> str:
    """Wall-clock ratio a/b, min/median."""
    return f"{a.min_ms / b.min_ms:.2f}/{a.median_ms / b.median_ms:.2f}"


def cpu_ratio_text(a: Timing, b: Timing) -> str:
    """CPU-time ratio a/b, min/median."""
    return f"{a.cpu_min_ms / b.cpu_min_ms:.2f}/{a.cpu_median_ms / b.cpu_median_ms:.2f}"
