"""Two SUCCESS notifications of one order arriving at the same moment (the gateway resends
before the first answer) record exactly one dues payment: the order's row lock serializes them
and the second finds the order paid.

Needs PostgreSQL: real concurrent connections with row locks (SQLite serializes every writer,
so the race cannot happen there and the test is skipped).
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import build_personas
from dangjian.dues.models import (
    DuesAllocation,
    DuesBill,
    DuesPayment,
    OrderStatus,
    PaymentGateway,
    PaymentOrder,
)
from dangjian.dues.payments import fake, services
from dangjian.dues.tests.conftest import assess, bill_months

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes writers, so two notifications cannot race (set DATABASE_URL)",
)


def test_two_simultaneous_success_notifications_record_one_payment(flushable_audit_log: Any,
                                                                    monkeypatch: Any) -> None:
    personas = build_personas()
    officer, member = personas.user("officer_b1"), personas.members["m_b1"]
    month = timezone.localdate().replace(day=1)
    assess(officer, member, month.year, "4000.00")
    bill_months(officer, personas.b1, month.year, range(month.month, month.month + 1))
    gateway = PaymentGateway(code="race", name="测试支付", kind="fake", is_active=True,
                             posting_account=personas.user("c1_staff"))
    gateway.save()
    order = services.create_order(actor=personas.user("member_b1"), bills=list(DuesBill.objects.filter(member=member)),
                                  idempotency_key="race", site="http://testserver")
    body = json.dumps({"out_trade_no": order.out_trade_no, "transaction_id": "T1", "amount": "40.00",
                       "state": "SUCCESS", "paid_at": timezone.now().isoformat()}).encode()
    headers: dict[str, Any] = {f"HTTP_{k.upper().replace('-', '_')}": v
               for k, v in fake.signed_headers(fake.fake_key(gateway), body).items() if k != "Content-Type"}

    # both requests verify the signature, then meet just before taking the order's lock
    barrier = threading.Barrier(2, timeout=20)
    original = services.apply_notice

    def meet_then_apply(**kwargs: Any) -> Any:
        barrier.wait()
        return original(**kwargs)

    monkeypatch.setattr(services, "apply_notice", meet_then_apply)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def notify() -> None:
        try:
            statuses.append(Client().post("/dues/pay/notify/", body, content_type="application/json",
                                          **headers).status_code)
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=notify) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert statuses == [200, 200]  # both answered "handled": the gateway stops resending
    order = PaymentOrder.objects.get(pk=order.pk)
    assert order.status == OrderStatus.PAID and order.notices == 2
    payment = DuesPayment.objects.get()
    assert payment.amount == Decimal("40.00") and order.payment_id == payment.pk
    assert DuesAllocation.objects.filter(payment=payment).count() == 1
    assert AuditEntry.objects.filter(event="payment_posted").count() == 1
