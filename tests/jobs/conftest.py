"""Real processes for the job tests: this process and ``manage.py worker`` / ``scheduler``
subprocesses on one test database, one media folder and one progress cache."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def shared(live_db: None, settings: Any, tmp_path: Path) -> dict[str, str]:
    """This process and the subprocesses on one database, one media folder, one progress cache."""
    settings.TASKS = DB_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {**settings.CACHES, "jobs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "cache" / "jobs")}}
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "dangjian.settings_test", "DANGJIAN_TASKS": "database",
            "DANGJIAN_VAR_DIR": str(tmp_path), "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"}


def manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture
def worker(shared: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    proc = manage(shared, "worker", "--interval", "0.1", "--no-startup-delay", "--no-reload")
    yield proc
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
