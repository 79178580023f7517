"""Statements, remittances, income and the reconciliation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from dangjian.core.periods import month_end, month_start, months_between
from dangjian.dues.rules.bills import Total, _money_sum, bills_in, cents, payments_in
from dangjian.dues.rules.pure import ZERO, percent_of
from dangjian.dues.rules.standards import care_fund_percent_for, remit_percent_for, standard_in_force


@dataclass
class BranchMonth:
    org: Any
    month: dt.date
    due: Total
    collected: Total
    members_billed: int
    members_paid: int


def branch_month(org: Any, month: dt.date) -> BranchMonth:
    """A branch's month: what was due, what was collected (cash received that month)."""
    due = bills_in(org, month, month)
    collected = payments_in(org, month, month)
    return BranchMonth(org, month, due, collected, due.entries.count(),
                       collected.entries.values("member_id").distinct().count())


def remittances_received(org: Any, first: dt.date, last: dt.date) -> Total:
    from dangjian.dues.models import DuesRemittance

    rows = DuesRemittance.objects.filter(to_org=org, period_start__gte=month_start(first),
                                         period_end__lte=month_start(last)).select_related("from_org")
    return Total(rows.aggregate(total=_money_sum("amount"))["total"], rows, "下级上缴")


def remittances_sent(org: Any, first: dt.date, last: dt.date) -> Total:
    from dangjian.dues.models import DuesRemittance

    rows = DuesRemittance.objects.filter(from_org=org, period_start__gte=month_start(first),
                                         period_end__lte=month_start(last)).select_related("to_org")
    return Total(rows.aggregate(total=_money_sum("amount"))["total"], rows, "向上级上缴")


@dataclass
class Income:
    """An organization's dues income for a period and how it splits (DOMAIN 1.5)."""

    org: Any
    collected: Total
    received: Total
    remit_percent: Decimal
    care_fund_percent: Decimal

    @property
    def total(self) -> Decimal:
        return self.collected.amount + self.received.amount

    @property
    def to_remit(self) -> Decimal:
        return percent_of(self.total, self.remit_percent)

    @property
    def retained(self) -> Decimal:
        return self.total - self.to_remit

    @property
    def care_fund(self) -> Decimal:
        return percent_of(self.retained, self.care_fund_percent)


def income(org: Any, first: dt.date, last: dt.date, standard: Any = None) -> Income:
    standard = standard or standard_in_force(month_end(last))
    return Income(org, payments_in(org, first, last), remittances_received(org, first, last),
                  remit_percent_for(org, standard), care_fund_percent_for(org, standard))


@dataclass
class ReconRow:
    """One line of the reconciliation: two figures that must agree, and their difference."""

    org: Any
    period: str
    check: str
    expected: Decimal
    actual: Decimal | None
    link: str = ""

    @property
    def difference(self) -> Decimal:
        return (self.actual or ZERO) - self.expected

    @property
    def ok(self) -> bool:
        return self.actual is not None and self.difference == 0


@dataclass
class Reconciliation:
    rows: list[ReconRow]
    payments_total: Decimal
    statements_total: Decimal
    branch_remitted_total: Decimal
    branch_expected_total: Decimal

    @property
    def differences(self) -> list[ReconRow]:
        return [r for r in self.rows if not r.ok]


def reconciliation(root: Any, first: dt.date, last: dt.date) -> Reconciliation:
    """Member payments = branch statements = remittances, to the cent, under ``root``.

    Level 1, per organization and month: Σ payments received vs the closed statement.
    Level 2, per remittance: the share of the period's income (payments + remittances received)
    vs the amount remitted; months with collections that no remittance covers are listed too.
    """
    from django.db.models.functions import TruncMonth

    from dangjian.dues.models import DuesPayment, DuesRemittance, DuesStatement
    from dangjian.orgs.models import Organization

    first, last = month_start(first), month_start(last)
    subtree = Q(org__path__startswith=root.path)
    paid = (DuesPayment.objects.filter(subtree, paid_on__gte=first, paid_on__lte=month_end(last))
            .annotate(m=TruncMonth("paid_on")).values("org_id", "m").annotate(total=_money_sum("amount")))
    payments: dict[tuple[int, dt.date], Decimal] = {}
    for row in paid:
        month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
        payments[(row["org_id"], month)] = cents(row["total"])
    statements = {(s.org_id, s.month): s for s in DuesStatement.objects.filter(subtree, month__gte=first, month__lte=last)}
    org_ids = {k[0] for k in payments} | {k[0] for k in statements}
    remits = list(DuesRemittance.objects.filter(from_org__path__startswith=root.path, period_start__gte=first,
                                                period_end__lte=last).select_related("from_org", "to_org"))
    org_ids |= {r.from_org_id for r in remits}
    orgs = Organization.objects.in_bulk(org_ids)
    rows: list[ReconRow] = []
    for key in sorted(set(payments) | set(statements), key=lambda k: (orgs[k[0]].path, k[1])):
        org, month = orgs[key[0]], key[1]
        statement = statements.get(key)
        rows.append(ReconRow(org, f"{month.year}年{month.month}月", "党员交纳 = 支部月报",
                             payments.get(key, ZERO), statement.amount_collected if statement else None))
    standard = standard_in_force(month_end(last))
    covered: set[tuple[int, dt.date]] = set()
    branch_expected = branch_remitted = ZERO
    by_receiver: dict[int, list[Any]] = defaultdict(list)
    for r in remits:
        if r.to_org_id:
            by_receiver[r.to_org_id].append(r)
    for remit in sorted(remits, key=lambda r: (r.from_org.path, r.period_start)):
        # the period's income, from the figures already loaded: payments + remittances received
        months = months_between(remit.period_start, remit.period_end)
        collected = sum((payments.get((remit.from_org_id, m), ZERO) for m in months), ZERO)
        received = sum((Decimal(r.amount) for r in by_receiver[remit.from_org_id]
                        if r.period_start >= remit.period_start and r.period_end <= remit.period_end), ZERO)
        expected = percent_of(collected + received, Decimal(remit.remit_percent))
        rows.append(ReconRow(remit.from_org, f"{remit.period_start:%Y-%m}—{remit.period_end:%Y-%m}",
                             f"应上缴（{remit.remit_percent}%）= 实际上缴", expected, Decimal(remit.amount)))
        for month in months_between(remit.period_start, remit.period_end):
            covered.add((remit.from_org_id, month))
        if remit.from_org.kind != "committee":
            branch_expected += expected
            branch_remitted += Decimal(remit.amount)
    percents: dict[int, Decimal] = {}
    for key, amount in sorted(payments.items(), key=lambda kv: (orgs[kv[0][0]].path, kv[0][1])):
        if key not in covered and amount:
            org = orgs[key[0]]
            if org.pk not in percents:
                percents[org.pk] = remit_percent_for(org, standard)
            pct = percents[org.pk]
            if pct:
                rows.append(ReconRow(org, f"{key[1].year}年{key[1].month}月", "已收党费尚未上缴",
                                     percent_of(amount, pct), None))
    return Reconciliation(
        rows=rows, payments_total=sum(payments.values(), ZERO),
        statements_total=sum((s.amount_collected for s in statements.values()), ZERO),
        branch_remitted_total=branch_remitted, branch_expected_total=branch_expected,
    )
