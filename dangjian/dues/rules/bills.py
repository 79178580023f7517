"""Bills, payments, collection and arrears over the database (totals that explain themselves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from dangjian.core.periods import month_end, month_start
from dangjian.dues.choices import (
    ApprovalStatus,
    PaymentState,
    ReliefKind,
)
from dangjian.dues.rules.pure import CENT, ZERO


def _money_sum(expr: str, **extra: Any) -> Any:
    return Coalesce(Sum(expr, **extra), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))


def with_paid(bills: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate each bill with ``paid``: the sum of the allocations to it (one aggregate query)."""
    return bills.annotate(paid=_money_sum("allocations__amount"))


def bill_state(due: Decimal, paid: Decimal) -> str:
    """Unpaid, underpaid, paid or overpaid: shown plainly on every bill."""
    if paid == due:
        return PaymentState.PAID
    if paid <= 0:
        return PaymentState.UNPAID
    return PaymentState.PARTIAL if paid < due else PaymentState.OVERPAID


def assessment_for_month(member: Any, month: dt.date) -> Any:
    """The assessment that governs ``month``: the latest of that year effective by then."""
    from dangjian.dues.models import DuesAssessment

    return (DuesAssessment.objects.filter(member=member, year=month.year, effective_month__lte=month)
            .order_by("-effective_month").first())


def relief_for_month(member: Any, month: dt.date) -> Any:
    """An approved hardship relief covering ``month`` (the latest), else ``None``."""
    from dangjian.dues.models import HardshipRelief

    return (HardshipRelief.objects.filter(member=member, status=ApprovalStatus.APPROVED, from_month__lte=month)
            .filter(Q(to_month__isnull=True) | Q(to_month__gte=month)).order_by("-from_month").first())


def amount_due(assessment: Any, relief: Any) -> Decimal:
    """The month's amount: the assessed amount, reduced or waived by an approved relief."""
    if relief is None:
        return Decimal(assessment.monthly_amount)
    if relief.kind == ReliefKind.WAIVE:
        return ZERO
    return min(Decimal(relief.reduced_amount or ZERO), Decimal(assessment.monthly_amount))


def cents(value: Any) -> Decimal:
    """A summed amount with exactly two decimals (SQLite's SUM drops trailing zeros)."""
    return Decimal(value or 0).quantize(CENT)


@dataclass
class Total:
    """A total and the rows that make it up (a lazy queryset: opened only when shown)."""

    amount: Decimal
    entries: Any
    label: str = ""

    def __post_init__(self) -> None:
        self.amount = cents(self.amount)


def payments_in(orgs: QuerySet[Any] | Any, first: dt.date, last: dt.date, *, subtree: bool = False) -> Total:
    """Money received by ``orgs`` (an organization or a queryset) from members in the months."""
    from dangjian.dues.models import DuesPayment

    rows: QuerySet[Any] = DuesPayment.objects.filter(paid_on__gte=month_start(first), paid_on__lte=month_end(last))
    rows = _for_orgs(rows, "org", orgs, subtree)
    return Total(rows.aggregate(total=_money_sum("amount"))["total"], rows.select_related("member", "org"),
                 "党员交纳")


def bills_in(orgs: Any, first: dt.date, last: dt.date, *, subtree: bool = False) -> Total:
    from dangjian.dues.models import DuesBill

    rows: QuerySet[Any] = DuesBill.objects.filter(month__gte=month_start(first), month__lte=month_start(last))
    rows = _for_orgs(rows, "org", orgs, subtree)
    return Total(rows.aggregate(total=_money_sum("amount_due"))["total"], rows.select_related("member", "org"),
                 "应缴党费")


def with_allocated(payments: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate each payment with ``allocated``: the part of it put on bills (one aggregate query)."""
    return payments.annotate(allocated=_money_sum("allocations__amount"))


def allocated(allocations: Iterable[Any]) -> Decimal:
    """The sum of a payment's allocations (the rows shown beside it)."""
    return sum((a.amount for a in allocations), ZERO)


def left_to_pay(bill: Any) -> Decimal:
    """What remains due on a bill annotated by :func:`with_paid` (negative when overpaid)."""
    return Decimal(bill.amount_due) - cents(bill.paid)


def outstanding(bills: Iterable[Any]) -> Decimal:
    """The unpaid remainder of bills annotated by :func:`with_paid` (overpayments do not offset)."""
    return sum((left_to_pay(b) for b in bills if cents(b.paid) < b.amount_due), ZERO)


@dataclass
class CollectionCell:
    """One organization's month: what its bills ask and what its members paid."""

    org: Any
    month: dt.date
    due: Decimal
    collected: Decimal

    @property
    def diff(self) -> Decimal:
        return self.collected - self.due


@dataclass
class Collection:
    """Collection per organization and month under an organization, with the grand totals."""

    cells: list[CollectionCell]
    due: Decimal
    collected: Decimal


def collection(*, bills: QuerySet[Any], payments: QuerySet[Any], orgs: QuerySet[Any], root: Any,
               first: dt.date, last: dt.date) -> Collection:
    """Due and collected per organization and month in ``root``'s subtree (two grouped queries).

    ``bills``, ``payments`` and ``orgs`` are the caller's scoped querysets, so a user sees only
    the organizations they may see."""
    from django.db.models.functions import TruncMonth

    due = (bills.filter(org__path__startswith=root.path, month__gte=first, month__lte=last)
           .values("org_id", "month").annotate(total=_money_sum("amount_due")))
    paid = (payments.filter(org__path__startswith=root.path, paid_on__gte=first, paid_on__lte=month_end(last))
            .annotate(m=TruncMonth("paid_on")).values("org_id", "m").annotate(total=_money_sum("amount")))
    values: dict[tuple[int, dt.date], dict[str, Decimal]] = {}
    for row in due:
        values.setdefault((row["org_id"], row["month"]), {})["due"] = cents(row["total"])
    for row in paid:
        month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
        values.setdefault((row["org_id"], month), {})["collected"] = cents(row["total"])
    by_id = orgs.in_bulk({key[0] for key in values})
    cells = [CollectionCell(by_id[org_id], month, v.get("due", ZERO), v.get("collected", ZERO))
             for (org_id, month), v in sorted(values.items(), key=lambda kv: (by_id[kv[0][0]].path, kv[0][1]))]
    return Collection(cells, sum((c.due for c in cells), ZERO), sum((c.collected for c in cells), ZERO))


def _for_orgs(rows: QuerySet[Any], path: str, orgs: Any, subtree: bool) -> QuerySet[Any]:
    if isinstance(orgs, QuerySet):
        return rows.filter(**{f"{path}__in": orgs})
    if subtree:
        return rows.filter(**{f"{path}__path__startswith": orgs.path})
    return rows.filter(**{path: orgs})


@dataclass
class Arrears:
    """A member's unpaid months up to a date; ``consecutive`` counts the trailing run."""

    member: Any
    org: Any
    unpaid: list[Any] = field(default_factory=list)
    consecutive: int = 0
    first_of_run: dt.date | None = None
    outstanding: Decimal = ZERO

    @property
    def months(self) -> int:
        return len(self.unpaid)


def arrears(bills: QuerySet[Any], as_of: dt.date) -> list[Arrears]:
    """Members with overdue unpaid or underpaid bills (due before ``as_of``), with the length of
    their current run of consecutive unpaid months (a paid month ends a run). One query."""
    from django.db.models import F

    overdue = bills.filter(due_on__lt=as_of)
    in_arrears = with_paid(overdue).filter(paid__lt=F("amount_due")).values("member_id")
    rows = (with_paid(overdue.filter(member_id__in=in_arrears.distinct())).select_related("member", "org")
            .order_by("member_id", "month"))
    per_member: dict[int, Arrears] = {}
    for bill in rows:
        info = per_member.setdefault(bill.member_id, Arrears(bill.member, bill.org))
        info.org = bill.org
        if bill.paid < bill.amount_due:
            info.unpaid.append(bill)
            info.outstanding += bill.amount_due - bill.paid
            if info.consecutive == 0:
                info.first_of_run = bill.month
            info.consecutive += 1
        else:
            info.consecutive = 0
            info.first_of_run = None
    return [a for a in per_member.values() if a.unpaid]


def arrears_warnings(bills: QuerySet[Any], as_of: dt.date, *, months: int) -> list[Arrears]:
    """Members whose current run of unpaid months reached ``months`` (the reminder threshold)."""
    return [a for a in arrears(bills, as_of) if a.consecutive >= months]
