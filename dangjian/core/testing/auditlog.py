"""Transactional tests over an append-only audit log.

The audit table refuses UPDATE and DELETE (triggers, SECURITY.md AUD-03), so the flush that
ends a transactional test (a live server, concurrent requests) would fail. The
``flushable_audit_log`` fixture lifts the triggers just for that flush, and the teardown hook
puts them back once it is done, so every later test still runs against an append-only log.
Both are registered by the root conftest.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

_BLOCKER = pytest.StashKey[Any]()


def set_triggers(*, on: bool) -> None:
    """Create (``on``) or drop the audit log's append-only triggers on this database."""
    from django.db import connection

    module = importlib.import_module("dangjian.core.migrations.0002_audit_append_only")
    name = {"sqlite": "SQLITE", "postgresql": "POSTGRES"}.get(connection.vendor)
    if name is None:
        return
    with connection.cursor() as cursor:
        for sql in getattr(module, name if on else f"{name}_REVERSE"):
            cursor.execute(sql)


@pytest.fixture
def flushable_audit_log(django_db_serialized_rollback: None, transactional_db: Any, django_db_blocker: Any,
                        request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional database whose end-of-test flush may empty the audit log.

    The flush also empties the rows the data migrations seed (rules, catalogs, schedules), so
    the database is restored from its serialized state at the start of every such test
    (serialized rollback): a browser flow finds the seeded rules whatever ran before it."""
    request.node.stash[_BLOCKER] = django_db_blocker
    yield
    set_triggers(on=False)  # torn down before transactional_db's flush


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield  # every fixture is torn down now, the flush included
    blocker = item.stash.get(_BLOCKER, None)
    if blocker is not None and nextitem is not None:  # after the last test the test database is gone
        with blocker.unblock():
            set_triggers(on=True)
