"""The dues events on real transactions: a points ledger subscribing to ``bill_paid`` with
``derive`` commits or fails together with the payment; a reminder subscribing with ``notify`` is
sent only for a committed write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from dangjian.core.context import acting_as
from dangjian.core.events import Occurrence, Timing
from dangjian.core.testing.personas import Personas, build_personas
from dangjian.dues import services, signals
from dangjian.dues.models import DuesBill, DuesPayment
from dangjian.dues.rules import with_paid
from dangjian.dues.tests.conftest import assess, bill_months, pay


class LedgerDown(Exception):
    pass


@pytest.fixture
def world(flushable_audit_log: Any) -> tuple[Personas, Any, Any]:
    personas = build_personas()
    officer = personas.user("officer_b1")
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")  # 40.00 a month
    bill_months(officer, personas.b1, 2026, range(1, 8))
    return personas, officer, member


def paid_of(member: Any, month: dt.date) -> Decimal:
    return with_paid(DuesBill.objects.filter(member=member, month=month)).get().paid


def test_a_failing_derive_receiver_fails_the_payment(world: Any) -> None:
    _, officer, member = world

    def ledger(occurrence: Occurrence) -> None:
        raise LedgerDown

    with signals.bill_paid.subscribed(ledger, timing=Timing.DERIVE), pytest.raises(LedgerDown):
        pay(officer, member, "40.00", dt.date(2026, 1, 20), months=[dt.date(2026, 1, 1)])
    assert not DuesPayment.objects.filter(member=member).exists()
    assert paid_of(member, dt.date(2026, 1, 1)) == Decimal("0.00")


def test_a_derive_receiver_runs_inside_the_payment_transaction(world: Any) -> None:
    _, officer, member = world
    seen: list[tuple[bool, bool, int]] = []

    def ledger(occurrence: Occurrence) -> None:
        payment = occurrence["payment"]
        seen.append((transaction.get_connection().in_atomic_block, occurrence["on_time"], payment.pk))

    with signals.bill_paid.subscribed(ledger, timing=Timing.DERIVE):
        result = pay(officer, member, "80.00", dt.date(2026, 3, 5), months=[dt.date(2026, 2, 1), dt.date(2026, 3, 1)])
    assert seen == [(True, False, result.payment.pk), (True, True, result.payment.pk)]  # February late, March on time


def test_a_notify_receiver_hears_only_committed_payments(world: Any) -> None:
    _, officer, member = world
    told: list[tuple[bool, dt.date]] = []

    def reminder(occurrence: Occurrence) -> None:
        told.append((transaction.get_connection().in_atomic_block, occurrence.evidence.month))

    def ledger(occurrence: Occurrence) -> None:
        raise LedgerDown

    with signals.bill_paid.subscribed(reminder, timing=Timing.NOTIFY):
        with signals.bill_paid.subscribed(ledger, timing=Timing.DERIVE), pytest.raises(LedgerDown):
            pay(officer, member, "40.00", dt.date(2026, 1, 20), months=[dt.date(2026, 1, 1)])
        with pytest.raises(LedgerDown), transaction.atomic():
            pay(officer, member, "40.00", dt.date(2026, 1, 21), months=[dt.date(2026, 1, 1)])
            raise LedgerDown  # the caller's transaction fails after the service returned
        assert told == [] and not DuesPayment.objects.filter(member=member).exists()
        pay(officer, member, "40.00", dt.date(2026, 1, 22), months=[dt.date(2026, 1, 1)])
    assert told == [(False, dt.date(2026, 1, 1))]


def test_the_arrears_reminder_goes_out_after_the_scan_commits(world: Any) -> None:
    personas, officer, member = world
    told: list[Occurrence] = []
    with signals.arrears_warning.subscribed(told.append, timing=Timing.NOTIFY), acting_as(officer, reason="test"):
        services.scan_arrears(actor=officer, org=personas.b1, as_of=dt.date(2026, 5, 1))
    warned = {o.evidence.pk: o for o in told}
    assert member.pk in warned
    assert warned[member.pk]["months"] == 4 and warned[member.pk]["outstanding"] == Decimal("160.00")
    assert warned[member.pk].actor == officer and warned[member.pk]["org"] == personas.b1
