"""Two concurrent manual awards that together exceed a category cap: the cap holds.

Needs PostgreSQL: real concurrent connections with row locks (SQLite serializes every writer, so the
race cannot happen there and the test is skipped).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import build_personas
from dangjian.points import services
from dangjian.points.models import PointBalance, PointEntry, PointRule

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes writers, so two awards cannot race (set DATABASE_URL)",
)


def test_two_concurrent_awards_over_the_cap_count_only_up_to_it(flushable_audit_log: Any,
                                                                monkeypatch: Any) -> None:
    p = build_personas()
    officer, member = p.user("officer_b1"), p.members["m_b1"]
    training = PointRule.objects.get(year=2026, code="training")          # 集中学习 +1, capped at 12 a year
    months = PointRule.objects.get(year=2026, code="study_months")        # 集中学习 +3
    with acting_as(officer, reason="test"):
        for i in range(10):
            services.record(actor=officer, member=member, rule=training, day=dt.date(2026, 1, 1 + i), note="轮训")
    # 10 of 12 used: two +3 awards racing may add 2 between them, not 6 and not 4
    barrier = threading.Barrier(2, timeout=20)
    original = services.locked_balance

    def wait_then_lock(m: Any, year: int) -> Any:
        barrier.wait()
        return original(m, year)

    monkeypatch.setattr(services, "locked_balance", wait_then_lock)
    failures: list[BaseException] = []

    def award(i: int) -> None:
        try:
            with acting_as(officer, reason="test"):
                services.record(actor=officer, member=member, rule=months, day=dt.date(2026, 3, 1 + i), note="脱产学习")
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=award, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures, failures
    racing = sorted(PointEntry.objects.filter(member=member, rule=months).values_list("points", flat=True))
    assert racing == [0, 2]
    used = PointEntry.objects.filter(member=member, rule__category__code="study").aggregate(s=Sum("points"))["s"]
    assert used == 12
    assert PointBalance.objects.get(member=member, year=2026).pending == 12
