"""The figures of a dues disclosure (收支公示)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum, Value

from dangjian.core.periods import month_end, month_start, months_between
from dangjian.dues.choices import (
    ApprovalStatus,
)
from dangjian.dues.rules.bills import Total, _money_sum, bills_in, cents, payments_in
from dangjian.dues.rules.pure import ZERO
from dangjian.dues.rules.statements import Income, income, remittances_sent


@dataclass
class MemberLine:
    member: Any
    months: int
    due: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.paid - self.due


@dataclass
class Disclosure:
    """Income and spending of an organization for a period, as published to its members."""

    org: Any
    first: dt.date
    last: dt.date
    income: Income
    due: Total
    members: list[MemberLine]
    monthly: list[tuple[dt.date, Decimal]]
    children: list[tuple[Any, Decimal]]
    spending: list[tuple[Any, Decimal]]
    spending_total: Decimal
    sent: Total
    #: money paid by members anywhere in the organization's subtree, and per sub-organization
    within: Total
    within_children: list[tuple[Any, Decimal]]

    @property
    def period_label(self) -> str:
        return f"{self.first.year}年{self.first.month}月至{self.last.year}年{self.last.month}月"

    @property
    def balance(self) -> Decimal:
        return self.income.retained - self.spending_total


def disclosure(org: Any, first: dt.date, last: dt.date) -> Disclosure:
    """The figures of a 收支公示: per member (for a branch), per month, per sub-organization,
    the remitted and retained shares, and approved spending by category."""
    from django.db.models.functions import TruncMonth

    from dangjian.dues.models import DuesBill, DuesSpending

    first, last = month_start(first), month_start(last)
    inc = income(org, first, last)
    due = bills_in(org, first, last)
    bills = (DuesBill.objects.filter(org=org, month__gte=first, month__lte=last).values("member_id")
             .annotate(n=Sum(Value(1)), due=_money_sum("amount_due")))
    paid = {m: cents(t) for m, t in inc.collected.entries.values("member_id").annotate(total=_money_sum("amount"))
            .values_list("member_id", "total")}
    from dangjian.members.models import Member

    member_ids = {b["member_id"] for b in bills} | set(paid)
    members = Member.objects.in_bulk(member_ids)
    due_by_member = {b["member_id"]: b for b in bills}
    lines = [MemberLine(members[mid], int(due_by_member.get(mid, {}).get("n") or 0),
                        cents(due_by_member.get(mid, {}).get("due", ZERO)), paid.get(mid, ZERO))
             for mid in member_ids]
    lines.sort(key=lambda line: line.member.name_initials + line.member.name)
    monthly_q = (inc.collected.entries.order_by().annotate(m=TruncMonth("paid_on")).values("m")
                 .annotate(total=_money_sum("amount")).values_list("m", "total"))
    monthly_map = {(m.date() if isinstance(m, dt.datetime) else m): cents(t) for m, t in monthly_q}
    monthly = [(m, monthly_map.get(m, ZERO)) for m in months_between(first, last)]
    children = [(r.from_org, cents(r.amount)) for r in inc.received.entries.order_by("from_org__path", "period_start")]
    spend_q = (DuesSpending.objects.filter(org=org, status=ApprovalStatus.APPROVED, spent_on__gte=first,
                                           spent_on__lte=month_end(last))
               .values("category_id").annotate(total=_money_sum("amount")))
    totals = {row["category_id"]: cents(row["total"]) for row in spend_q}
    from dangjian.dues.models import SpendingCategory

    spending = [(c, totals[c.pk]) for c in SpendingCategory.objects.filter(pk__in=totals).order_by("order")]
    within = payments_in(org, first, last, subtree=True)
    return Disclosure(org, first, last, inc, due, lines, monthly, children, spending,
                      sum(totals.values(), ZERO), remittances_sent(org, first, last), within,
                      collected_by_child(org, first, last))


def collected_by_child(org: Any, first: dt.date, last: dt.date) -> list[tuple[Any, Decimal]]:
    """Member payments within each direct sub-organization's subtree (one grouped query)."""
    from django.db.models.functions import Substr

    from dangjian.dues.models import DuesPayment
    from dangjian.orgs.models import Organization

    width = len(org.path) + Organization.steplen
    rows = (DuesPayment.objects.filter(org__path__startswith=org.path, paid_on__gte=month_start(first),
                                       paid_on__lte=month_end(last))
            .annotate(prefix=Substr("org__path", 1, width)).values("prefix").annotate(total=_money_sum("amount"))
            .values_list("prefix", "total"))
    totals = {prefix: cents(total) for prefix, total in rows}
    orgs = {o.path: o for o in Organization.objects.filter(path__in=totals)}
    return [(orgs[p], totals[p]) for p in sorted(totals) if p in orgs and p != org.path]
