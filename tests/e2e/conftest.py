"""Fixtures of the browser flows: a live server over a transactional database.

The audit log is append-only in the database itself (triggers, SECURITY.md AUD-03), so the
flush that ends a transactional test would fail. ``live_db`` lifts the triggers just for that
flush, and the teardown hook below puts them back once the flush is done, so later tests still
run against an append-only log.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

_append_only = importlib.import_module("dangjian.core.migrations.0002_audit_append_only")


def _triggers(forward: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return list(_append_only.SQLITE if forward else _append_only.SQLITE_REVERSE)
    if connection.vendor == "postgresql":
        return list(_append_only.POSTGRES if forward else _append_only.POSTGRES_REVERSE)
    return []


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def live_db(transactional_db: Any, django_db_blocker: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional database whose end-of-test flush may empty the audit log."""
    request.node.stash[_BLOCKER] = django_db_blocker
    yield
    _run(_triggers(forward=False))  # runs before transactional_db's flush


_BLOCKER = pytest.StashKey[Any]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield  # every fixture of the test is torn down now, the flush included
    blocker = item.stash.get(_BLOCKER, None)
    # after the last test the test database is gone (the connection points at the real one again)
    if blocker is not None and nextitem is not None:
        with blocker.unblock():
            _run(_triggers(forward=True))
