"""Query budgets of the dues writes: recording a payment and billing a branch do not grow with
the member's history or the branch's size beyond one statement per row written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.testing.personas import make_member
from dangjian.dues.tests.conftest import assess, bill_months, pay

pytestmark = pytest.mark.django_db


def test_payment_costs_the_same_with_a_long_history(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 13))
    # the year's first payment also opens the member's points balance (once a year): start after it
    pay(officer, member, "40.00", dt.date(2026, 1, 10), months=[dt.date(2026, 1, 1)])
    with CaptureQueriesContext(connection) as first:
        pay(officer, member, "40.00", dt.date(2026, 2, 10), months=[dt.date(2026, 2, 1)])
    for month in range(3, 10):
        pay(officer, member, "40.00", dt.date(2026, month, 10), months=[dt.date(2026, month, 1)])
    with CaptureQueriesContext(connection) as later:
        pay(officer, member, "40.00", dt.date(2026, 10, 10), months=[dt.date(2026, 10, 1)])
    assert len(later) == len(first), "\n".join(q["sql"] for q in later.captured_queries)
    # measured: 24 on SQLite, 26 on PostgreSQL (audit-chain locks) for the payment itself, plus the
    # points entry derived in the same transaction (issue 13: entry, balance lock and update, audit)
    assert len(first) <= 56, len(first)


def test_billing_a_branch_is_a_few_queries_per_new_bill(personas: Any, officer: Any) -> None:
    members = [personas.members["m_b1"], personas.members["m_b1_2"]] + [make_member(personas.b1) for _ in range(8)]
    for member in members:
        assess(officer, member, 2026, "4000.00")
    with CaptureQueriesContext(connection) as queries:
        bill_months(officer, personas.b1, 2026, range(1, 2))
    per_bill = (len(queries) - 10) / len(members)
    assert per_bill <= 10, (len(queries), per_bill)  # measured: about 7 on SQLite, 8 on PostgreSQL (audit-chain lock)
