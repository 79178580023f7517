"""Fixtures of the notices tests: the personas and the reminder helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.modules import reminder_sources
from dangjian.core.testing.personas import Personas


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas


def source(key: str) -> Any:
    return next(s for s in reminder_sources() if s.key == key)


def yielded(key: str, day: dt.date) -> set[tuple[str, str, dt.date]]:
    """What the source ``key`` yields on ``day``: (object, recipient, due date)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return {(d.object_key, d.recipient, d.due_on) for d in source(key).collect(day)}


def run(day: dt.date, *only: str) -> list[Any]:
    from dangjian.notices import reminders

    with acting_as(None, reason="test"):
        return reminders.materialize(actor=None, day=day, only=only)


def appears_on(key: str, first: dt.date, object_key: str, recipient: str | None = None) -> None:
    """The item of ``object_key`` is yielded on ``first`` and not on the day before."""
    def has(day: dt.date) -> bool:
        return any(k == object_key and (recipient is None or r == recipient) for k, r, _d in yielded(key, day))

    assert not has(first - dt.timedelta(days=1)), f"{key}: {object_key} already on {first - dt.timedelta(days=1)}"
    assert has(first), f"{key}: {object_key} missing on {first}"
