"""The demo's online payments: the test gateway offered, a few members paid this month online
(one dues payment each, the order's number as the receipt number), and a second run pays nothing twice."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.core.testing.personas import Personas
from dangjian.dues.models import DuesPayment, OrderStatus, PaymentGateway, PaymentOrder
from dangjian.dues.payments.demo import build_online
from dangjian.dues.tests.conftest import assess, bill_months
from dangjian.points.tests.conftest import member_user

pytestmark = pytest.mark.django_db


def test_a_few_demo_members_paid_this_month_online(personas: Personas) -> None:
    today = timezone.localdate()
    officer = personas.user("officer_b1")
    for key in ("m_b1", "m_b1_2"):
        assess(officer, personas.members[key], today.year, "4000.00")
    bill_months(officer, personas.b1, today.year, range(today.month, today.month + 1))
    users = {"shi": personas.user("root_staff"), "dangyuan": personas.user("member_b1"),
             "zhibu": member_user(personas.members["m_b1_2"], "zhibu_demo"), "danwei": personas.user("c1_staff")}
    ctx = DemoContext(seed=1, rng=random.Random(1), today=today, root=personas.root, users=users)
    with acting_as(None, reason="demo test"):
        assert build_online(ctx) == {"paid": 2}
        assert build_online(ctx) == {"paid": 0}  # already paid: nothing twice
    assert PaymentGateway.objects.get(code="demo-test").is_active
    orders = PaymentOrder.objects.all()
    assert [o.status for o in orders] == [OrderStatus.PAID] * 2
    for order in orders:
        payment = DuesPayment.objects.get(member=order.member)
        assert payment.receipt_number == order.out_trade_no and payment.amount == order.amount
        assert payment.paid_on <= today + dt.timedelta(days=1)
