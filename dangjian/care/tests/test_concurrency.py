"""Two approvals racing for the last yuan of the fund: one is approved, the other refused.

Needs PostgreSQL: real concurrent connections with row locks. SQLite serializes every writer,
so the race cannot happen there and the test is skipped.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from dangjian.care import rules
from dangjian.care.models import CareVisit
from dangjian.care.tests.conftest import donate, request
from dangjian.core.approvals import ApprovalStatus, DecisionForm
from dangjian.core.testing.personas import PASSWORD, build_personas

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes writers, so two approvals cannot race (set DATABASE_URL)",
)


def test_two_concurrent_approvals_cannot_overdraw_the_fund(flushable_audit_log: Any, monkeypatch: Any) -> None:
    p = build_personas()
    officer = p.user("officer_b1")
    donate(officer, p.b1, "100.00")
    first = request(officer, p.b1, p.members["m_b1"], "70.00")
    second = request(officer, p.b1, p.members["m_b1_2"], "60.00")

    # Both requests have read their page and validated their form before either decides:
    # each saw 100 yuan in the fund. The decisions then meet at the locks (the request row,
    # the fund's account) and the second sees the first one's spending.
    barrier = threading.Barrier(2, timeout=20)
    original = DecisionForm.is_valid

    def valid_then_wait(self: DecisionForm) -> bool:
        result = original(self)
        barrier.wait()
        return result

    monkeypatch.setattr(DecisionForm, "is_valid", valid_then_wait)
    responses: list[Any] = [None, None]
    failures: list[BaseException] = []

    def decide(i: int, visit: CareVisit) -> None:
        try:
            client = Client()
            client.post("/accounts/login/", {"username": "c1_staff", "password": PASSWORD})
            responses[i] = client.post(f"/care/visits/{visit.pk}/decide/", {
                "approve": "1", "reference": "党委会议纪要第3号", "decided_on": "2026-05-02", "version": visit.version})
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(i, v)) for i, v in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert sorted(r.status_code for r in responses) == [302, 400]
    statuses = sorted(CareVisit.objects.values_list("status", flat=True))
    assert statuses == sorted([ApprovalStatus.APPROVED, ApprovalStatus.PENDING])
    closing = rules.fund(p.b1, 2026).closing
    assert closing in (Decimal("30.00"), Decimal("40.00"))
    assert closing >= 0
