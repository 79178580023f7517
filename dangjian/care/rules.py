"""The care fund's figures: each a ``Total`` (the amount and the rows that make it up).

The fund of an organization for a year (cash basis, like the dues statements)::

    opening   = dues module's opening of the fund (its shares minus its own care spending)
              + donations before the year − approved visits before the year
    inflows   = the dues module's care-fund share of the year (read, never recomputed)
              + donations of the year
    outflows  = dues spending marked "from the care fund" (approved in the dues module)
              + approved visits and condolences of the year
    closing   = opening + inflows − outflows

The dues figures come from ``dangjian.dues.rules.care_fund`` (a lower module's rules,
ARCHITECTURE.md: the care fund reads dues' care-fund figure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.approvals import ApprovalStatus
from dangjian.dues.rules import Total, care_fund, cents

ZERO = Decimal("0.00")


def _sum(rows: QuerySet[Any], field: str = "amount") -> Decimal:
    total = rows.aggregate(total=Coalesce(Sum(field), Value(ZERO), output_field=DecimalField()))["total"]
    return cents(total)


def donations(org: Any, year: int, *, before: bool = False) -> Total:
    """Donations received by ``org`` in ``year`` (or, with ``before``, in every earlier year)."""
    from dangjian.care.models import CareDonation

    rows = CareDonation.objects.filter(org=org)
    rows = rows.filter(received_on__year__lt=year) if before else rows.filter(received_on__year=year)
    return Total(_sum(rows), rows.select_related("member"), "donations")


def visits(org: Any, year: int, *, before: bool = False) -> Total:
    """Approved visits and condolences paid by ``org``'s fund in ``year`` (or before it)."""
    from dangjian.care.models import CareVisit

    rows = CareVisit.objects.filter(org=org, status=ApprovalStatus.APPROVED)
    rows = rows.filter(visited_on__year__lt=year) if before else rows.filter(visited_on__year=year)
    return Total(_sum(rows), rows.select_related("beneficiary", "reason"), "visits")


@dataclass
class FundStatement:
    """The fund of one organization for one year; every line opens into its rows."""

    org: Any
    year: int
    dues: Any  # dangjian.dues.rules.CareFund: the dues module's own figure
    donations: Total
    visits: Total
    donations_before: Decimal
    visits_before: Decimal

    @property
    def opening(self) -> Decimal:
        return cents(self.dues.opening + self.donations_before - self.visits_before)

    @property
    def dues_share(self) -> Decimal:
        return cents(self.dues.inflow)

    @property
    def dues_spending(self) -> Total:
        return self.dues.outflow  # type: ignore[no-any-return]

    @property
    def inflows(self) -> Decimal:
        return self.dues_share + self.donations.amount

    @property
    def outflows(self) -> Decimal:
        return self.dues_spending.amount + self.visits.amount

    @property
    def closing(self) -> Decimal:
        return self.opening + self.inflows - self.outflows

    def lines(self) -> list[tuple[str, Decimal]]:
        """(key, amount) of every line, in the statement's order (the 公示 documents use it)."""
        return [("opening", self.opening), ("dues_share", self.dues_share), ("donations", self.donations.amount),
                ("dues_spending", self.dues_spending.amount), ("visits", self.visits.amount),
                ("closing", self.closing)]


def fund(org: Any, year: int) -> FundStatement:
    """The statement of ``org``'s care fund for ``year`` (module docstring)."""
    return FundStatement(org, year, care_fund(org, year), donations(org, year), visits(org, year),
                         donations(org, year, before=True).amount, visits(org, year, before=True).amount)


def lowest_closing(org: Any, year: int, today: dt.date | None = None) -> Decimal:
    """The lowest closing balance from ``year`` to the current year: what a new outflow of
    ``year`` may take without any later year's fund going below zero."""
    last = max(year, (today or timezone.localdate()).year)
    return min(fund(org, y).closing for y in range(year, last + 1))


def reason_totals(statement: FundStatement) -> list[tuple[Any, int, Decimal]]:
    """(reason, count, amount) of the year's approved visits, for the statement's breakdown."""
    from dangjian.care.models import CareReason

    grouped = {r["reason_id"]: (r["n"], cents(r["total"])) for r in
               statement.visits.entries.order_by().values("reason_id").annotate(n=Count("id"), total=Sum("amount"))}
    reasons = CareReason.objects.filter(pk__in=grouped).order_by("order", "code")
    return [(r, *grouped[r.pk]) for r in reasons]

