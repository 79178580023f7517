"""Budget, spending, the care fund."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from dangjian.dues.choices import (
    ApprovalStatus,
)
from dangjian.dues.rules.bills import Total, _money_sum, cents
from dangjian.dues.rules.pure import HUNDRED, ZERO, round_amount
from dangjian.dues.rules.statements import Income, income


def approved_spending(org: Any, year: int, *, category: Any = None, care_fund: bool | None = None) -> Total:
    from dangjian.dues.models import DuesSpending

    rows = DuesSpending.objects.filter(org=org, spent_on__year=year, status=ApprovalStatus.APPROVED)
    if category is not None:
        rows = rows.filter(category=category)
    if care_fund is not None:
        rows = rows.filter(from_care_fund=care_fund)
    return Total(rows.aggregate(total=_money_sum("amount"))["total"], rows.select_related("category"), "已批准支出")


@dataclass
class BudgetRow:
    category: Any
    budget: Decimal
    actual: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual

    @property
    def used_percent(self) -> Decimal | None:
        return round_amount(self.actual * HUNDRED / self.budget) if self.budget else None


def budget_vs_actual(org: Any, year: int) -> list[BudgetRow]:
    """Per category: the approved budget line vs the approved spending of the year (2 queries)."""
    from dangjian.dues.models import DuesBudgetLine, DuesSpending, SpendingCategory

    budget = {line.category_id: cents(line.amount) for line in
              DuesBudgetLine.objects.filter(budget__org=org, budget__year=year)}
    actual = {c: cents(t) for c, t in DuesSpending.objects.filter(org=org, spent_on__year=year,
                                                                   status=ApprovalStatus.APPROVED)
              .values("category_id").annotate(total=_money_sum("amount")).values_list("category_id", "total")}
    ids = set(budget) | set(actual)
    categories = SpendingCategory.objects.filter(Q(is_active=True) | Q(pk__in=ids)).order_by("order", "code")
    return [BudgetRow(c, budget.get(c.pk, ZERO), actual.get(c.pk, ZERO)) for c in categories]


@dataclass
class BudgetSummary:
    """The budget-vs-actual rows of an organization's year and their totals."""

    rows: list[BudgetRow]

    @property
    def budget(self) -> Decimal:
        return sum((r.budget for r in self.rows), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((r.actual for r in self.rows), ZERO)


def budget_summary(org: Any, year: int) -> BudgetSummary:
    return BudgetSummary(budget_vs_actual(org, year))


def with_budget_total(budgets: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate each budget with ``total``: the sum of its lines (``None`` for a budget without lines)."""
    return budgets.annotate(total=Sum("lines__amount"))


@dataclass
class CareFund:
    """The care fund (暖心工程) balance of an organization for a year."""

    org: Any
    year: int
    opening: Decimal
    inflow: Decimal
    outflow: Total
    income: Income

    @property
    def closing(self) -> Decimal:
        return self.opening + self.inflow - self.outflow.amount


def care_fund(org: Any, year: int) -> CareFund:
    """Opening balance (every earlier year's share minus its spending) + this year's share of
    retained dues − approved spending from the fund."""
    from dangjian.dues.models import DuesPayment, DuesRemittance

    first_year = min(
        [d.year for d in (DuesPayment.objects.filter(org=org).order_by("paid_on").values_list("paid_on", flat=True)[:1])]
        + [d.year for d in (DuesRemittance.objects.filter(to_org=org).order_by("period_start")
                            .values_list("period_start", flat=True)[:1])] + [year]
    )
    opening = ZERO
    for y in range(first_year, year):
        inc = income(org, dt.date(y, 1, 1), dt.date(y, 12, 1))
        opening += inc.care_fund - approved_spending(org, y, care_fund=True).amount
    inc = income(org, dt.date(year, 1, 1), dt.date(year, 12, 1))
    return CareFund(org, year, opening, inc.care_fund, approved_spending(org, year, care_fund=True), inc)
