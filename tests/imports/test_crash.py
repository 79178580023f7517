"""REL-06: an import killed (SIGKILL) at any row leaves nothing — no member, no audit entry, no
ImportBatch. The import runs in a subprocess (tests/imports/kill_import.py) over a temporary
SQLite database built by ``manage.py migrate``; counts are read from the file afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = Path(__file__).with_name("kill_import.py")
ROWS = 23


def run(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DANGJIAN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "dangjian.settings_test",
           "DATABASE_URL": ""}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
                          check=False)


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:  # opening the file recovers it like the next server start would
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # type: ignore[return-value]  # noqa: S608
                     for table in ("members_member", "core_auditentry", "core_importbatch"))


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the test personas, copied for every case."""
    var_dir = tmp_path_factory.mktemp("kill-template")
    migrate = run(var_dir, "manage.py", "migrate", "--noinput", "-v0")
    assert migrate.returncode == 0, migrate.stderr
    setup = run(var_dir, str(WRAPPER), "setup")
    assert setup.returncode == 0, setup.stderr
    assert not (var_dir / "dangjian.sqlite3-wal").exists() or (var_dir / "dangjian.sqlite3-wal").stat().st_size == 0
    return var_dir / "dangjian.sqlite3"


def fresh_copy(template_db: Path, tmp_path: Path) -> Path:
    shutil.copy(template_db, tmp_path / "dangjian.sqlite3")
    return tmp_path / "dangjian.sqlite3"


@pytest.mark.parametrize("kill_after", [1, ROWS // 2, ROWS])
def test_an_import_killed_at_any_row_leaves_the_counts_unchanged(template_db: Path, tmp_path: Path,
                                                                 kill_after: int) -> None:
    db = fresh_copy(template_db, tmp_path)
    before = counts(db)
    result = run(tmp_path, str(WRAPPER), "import", str(ROWS), str(kill_after))
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stdout, result.stderr)
    assert f"killed at row {kill_after}" in result.stdout
    if kill_after > 5:  # rows had reached the database inside the open transaction
        inside = int(result.stdout.split(" with ")[1].split()[0])
        assert inside > before[0]
    assert counts(db) == before


def test_the_same_wrapper_without_a_kill_imports_every_row(template_db: Path, tmp_path: Path) -> None:
    db = fresh_copy(template_db, tmp_path)
    members, entries, batches = counts(db)
    result = run(tmp_path, str(WRAPPER), "import", str(ROWS), "0")
    assert result.returncode == 0, result.stderr
    assert f"imported {ROWS} rows" in result.stdout
    after = counts(db)
    assert after[0] == members + ROWS and after[2] == batches + 1
    assert after[1] == entries + ROWS + 1  # one audit entry per member and one for the import
