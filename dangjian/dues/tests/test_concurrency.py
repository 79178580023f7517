"""Two requests racing to record the same payment (same form token) record it once.

Needs PostgreSQL: real concurrent connections with row locks. SQLite serializes every writer
(IMMEDIATE transactions), so the race cannot happen there and the test is skipped.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from dangjian.core.testing.personas import PASSWORD, build_personas
from dangjian.dues import services
from dangjian.dues.models import DuesAllocation, DuesPayment
from dangjian.dues.tests.conftest import assess, bill_months

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes writers, so two requests cannot race (set DATABASE_URL)",
)


def test_same_token_from_two_concurrent_requests_records_once(flushable_audit_log: Any,
                                                                monkeypatch: Any) -> None:
    personas = build_personas()
    officer = personas.user("officer_b1")
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 3))

    clients = []
    for _ in range(2):
        client = Client()
        assert client.post("/accounts/login/", {"username": "officer_b1", "password": PASSWORD}).status_code == 302
        clients.append(client)
    page = clients[0].get("/dues/payments/add/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"token": token, "member": member.pk, "amount": "80.00", "paid_on": "2026-02-10", "method": "cash",
            "arrangement": "monthly"}

    # Both requests pass the "already recorded?" check, then meet inside their transactions.
    barrier = threading.Barrier(2, timeout=20)
    original = services.billing.require  # where record_payment looks it up

    def require_then_wait(user: Any, action: str, org: Any) -> None:
        original(user, action, org)
        barrier.wait()

    monkeypatch.setattr(services.billing, "require", require_then_wait)
    responses: list[Any] = [None, None]
    failures: list[BaseException] = []

    def post(i: int) -> None:
        try:
            responses[i] = clients[i].post("/dues/payments/add/", data)
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    payment = DuesPayment.objects.get()
    assert payment.amount == Decimal("80.00")
    assert sum(a.amount for a in DuesAllocation.objects.filter(payment=payment)) == Decimal("80.00")
    assert DuesAllocation.objects.count() == 2  # January and February once each, not twice
