"""Reconciliation to the cent on a generated branch-year: member payments = branch statements
= remittances; a payment recorded after its statement was closed shows up as a difference."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas, make_member
from dangjian.dues import rules, services
from dangjian.dues.models import DuesBill
from dangjian.dues.tests.conftest import assess, bill_months, key, pay

D = Decimal
pytestmark = pytest.mark.django_db
YEAR = 2025  # a closed year: no payment in it is dated after today


def build_branch_year(personas: Personas, seed: int = 7) -> dict[str, Any]:
    """B1 with seven members on random bases (both kinds), billed all year, paying in every way:
    monthly, late, partly, quarterly in advance, with over-payments and months left unpaid."""
    rng = random.Random(seed)
    officer = personas.user("officer_b1")
    members = [personas.members["m_b1"], personas.members["m_b1_2"]] + [make_member(personas.b1) for _ in range(5)]
    for i, member in enumerate(members):
        base = D(rng.randrange(150000, 1500000)) / 100
        assess(officer, member, YEAR, base, kind="retired" if i == 6 else "employed")
    bill_months(officer, personas.b1, YEAR, range(1, 13))
    expected = D("0.00")
    for member in members:
        style = rng.choice(["monthly", "late", "partial", "quarterly", "over", "skip"])
        for month in range(1, 13):
            first = dt.date(YEAR, month, 1)
            due = DuesBill.objects.get(member=member, month=first).amount_due
            if style == "skip" and month > 4:
                continue
            if style == "quarterly":
                if month % 3 == 1:
                    amount = due * 3
                    pay(officer, member, amount, first + dt.timedelta(days=4), arrangement="quarterly",
                        months=[first, rules.add_months(first, 1), rules.add_months(first, 2)])
                    expected += amount
                continue
            amount = {"partial": (due / 2).quantize(D("0.01")), "over": due + D("1.11")}.get(style, due)
            paid_on = first + dt.timedelta(days=rng.randrange(0, 28))
            if style == "late" and month < 12:
                paid_on = rules.month_end(first) + dt.timedelta(days=rng.randrange(1, 20))
            pay(officer, member, amount, paid_on, months=[first])
            expected += amount
    # close every month's statement and remit the month's collections to the committee
    with acting_as(officer):
        for month in range(1, 13):
            services.close_statement(actor=officer, org=personas.b1, month=dt.date(YEAR, month, 1))
            services.record_remittance(actor=officer, from_org=personas.b1, period_start=dt.date(YEAR, month, 1),
                                       period_end=dt.date(YEAR, month, 1), amount=None,
                                       remitted_on=rules.month_end(dt.date(YEAR, month, 1)))
    staff = personas.user("c1_staff")
    with acting_as(staff):
        services.record_remittance(actor=staff, from_org=personas.c1, period_start=dt.date(YEAR, 1, 1),
                                   period_end=dt.date(YEAR, 12, 1), amount=None, remitted_on=dt.date(YEAR + 1, 1, 15))
    return {"members": members, "expected": expected}


def test_generated_branch_year_reconciles_to_the_cent(personas: Personas) -> None:
    data = build_branch_year(personas)
    # payments dated in January of the next year would leave the period: none are generated after Dec
    result = rules.reconciliation(personas.c1, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1))
    assert result.differences == [], [(r.org, r.period, r.check, r.expected, r.actual) for r in result.differences]
    assert result.payments_total == data["expected"]
    assert result.statements_total == result.payments_total
    assert result.branch_remitted_total == result.payments_total == result.branch_expected_total
    # the committee's year: 20 % of what its branches remitted goes up, 60 % of the rest to the care fund
    income = rules.income(personas.c1, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1))
    assert income.received.amount == result.branch_remitted_total
    assert income.to_remit == rules.percent_of(income.total, D("20"))
    assert income.retained + income.to_remit == income.total
    # the disclosure's member lines add up to the same money
    disclosure = rules.disclosure(personas.b1, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1))
    assert sum(m.paid for m in disclosure.members) == data["expected"] == disclosure.income.collected.amount
    assert sum(a for _m, a in disclosure.monthly) == data["expected"]
    # every total opens into its rows
    total = rules.payments_in(personas.b1, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 1))
    assert total.amount == sum(p.amount for p in total.entries)


def test_late_payment_after_closing_is_listed(personas: Personas) -> None:
    build_branch_year(personas, seed=11)
    officer = personas.user("officer_b1")
    newcomer = make_member(personas.b1)
    assess(officer, newcomer, YEAR, "4000.00")
    with acting_as(officer):
        services.record_payment(actor=officer, member=newcomer, amount=D("40.00"), paid_on=dt.date(YEAR, 5, 20),
                                method="cash", idempotency_key=key(), months=[dt.date(YEAR, 5, 1)])
    result = rules.reconciliation(personas.c1, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1))
    diffs = [(r.period, r.difference) for r in result.differences if r.org == personas.b1]
    assert (f"{YEAR}年5月", D("-40.00")) in diffs  # the statement lacks it
    assert (f"{YEAR}-05—{YEAR}-05", D("-40.00")) in diffs  # and so does May's remittance
    assert result.payments_total - result.statements_total == D("40.00")
