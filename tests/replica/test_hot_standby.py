"""The hot standby's read path on a real streaming replica (docs/replica.md).

On PostgreSQL this test makes (or finds) the pair with scripts/pg-replica (default: clusters
dj_primary on 5434 and dj_standby on 5435; PG_REPLICA_PRIMARY / PG_REPLICA_STANDBY name others)
and runs tests/replica/standby_cases.py in a pytest of its own whose ``default`` database is the
pair's primary and whose ``replica`` alias is the standby: the suite's own database (DATABASE_URL)
is not a primary with a standby, and Django's database aliases are fixed when a process starts.
If the script cannot make the pair, this test fails: it never skips on PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CASES = "tests/replica/standby_cases.py"


def test_dashboards_read_from_a_real_hot_standby(tmp_path: Path) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a hot standby needs PostgreSQL streaming replication: run with DATABASE_URL=postgres://...")
    made = subprocess.run([str(ROOT / "scripts" / "pg-replica"), "ensure"], capture_output=True, text=True,
                          timeout=300, check=False)
    assert made.returncode == 0, f"scripts/pg-replica ensure failed:\n{made.stdout}{made.stderr}"
    urls = dict(line.split("=", 1) for line in made.stdout.splitlines() if line.startswith("DATABASE_"))
    assert set(urls) == {"DATABASE_URL", "DATABASE_REPLICA_URL"}, made.stdout
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(urls, DANGJIAN_VAR_DIR=str(tmp_path / "var"))
    # --reuse-db: the pair keeps its test database between runs (migrate brings it up to date)
    run = subprocess.run([sys.executable, "-m", "pytest", CASES, "-p", "no:randomly", "--reuse-db",
                          "-o", "addopts=--strict-markers -p no:cacheprovider", "-rfEs"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert run.returncode == 0, f"{CASES} on the real pair:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 6 and "skipped" not in summary and "error" not in summary, summary
