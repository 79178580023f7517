"""What every standalone bench script shares: a fresh database of its own and a median timer.

``prepare(name, db)`` points Django at a new SQLite file under ``bench/out/<name>/`` or a newly
created PostgreSQL database, sets it up and migrates it; ``median_ms`` times a callable.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def prepare(name: str, db: str, pg_name: str | None = None) -> None:
    """A new, migrated database for the bench ``name`` (``db``: "sqlite" or "postgres")."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ["DANGJIAN_TESTING"] = "1"
    if db == "postgres":
        pg_name = pg_name or f"dangjian_bench_{name}"
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_name}")
            conn.execute(f"CREATE DATABASE {pg_name}")
    else:
        out = ROOT / "bench" / "out" / name
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        os.environ["DANGJIAN_VAR_DIR"] = str(out)
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def median_ms(fn: Callable[[], Any], repeat: int = 7, before: Callable[[], Any] | None = None) -> float:
    """The median wall time of ``repeat`` calls of ``fn`` in ms (``before`` runs untimed first)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)
