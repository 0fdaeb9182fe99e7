"""Start-up shared by the benchmark scripts: Django with the project's settings on a throwaway
SQLite file (or on DATABASE_URL when set), without DEBUG, with e-mails kept in memory (the demo
data sends some) so that the output holds only the figures."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "25"))


def start_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("EMAIL_URL", "memorymail://")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='s2b2b-bench-')}/bench.sqlite3")
    os.environ["DEBUG"] = "false"

    import django

    django.setup()
