"""Dues computations as plain functions (DOMAIN.md section 1).

Pure parts (bands, rounding, the base) take plain values and are table- and property-tested.
The parts over the database take querysets and return a :class:`Total` — the amount *and*
the rows that make it up — so every total on a page opens into its entries.
Nothing here writes; writes are in :mod:`dangjian.dues.services`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.core.periods import add_months as add_months
from dangjian.core.periods import month_end as month_end
from dangjian.core.periods import month_start as month_start
from dangjian.core.periods import months_apart as months_apart
from dangjian.core.periods import months_between as months_between
from dangjian.dues.choices import (
    ApprovalStatus,
    AuxiliaryMethod,
    BandKind,
    DuesKind,
    PaymentState,
    ReliefKind,
    Treatment,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")




# --- months -------------------------------------------------------------------------------------
# Month arithmetic is core's (dangjian.core.periods); services and views use it as rules.month_start etc.


def due_date(month: dt.date, due_day: int) -> dt.date:
    """The day a month's dues fall due: a fixed day, or the month's last day when 0."""
    return month_end(month) if not due_day else month.replace(day=min(due_day, 28))


# --- rounding and bands (pure) -----------------------------------------------------------------


def round_amount(value: Decimal, rounding: str = "0.01") -> Decimal:
    """ROUND_HALF_UP to the step ("0.01", "0.1" or "1" yuan), always returned with two decimals."""
    step = Decimal(rounding)
    return value.quantize(step, rounding=ROUND_HALF_UP).quantize(CENT)


def percent_of(amount: Decimal, pct: Decimal) -> Decimal:
    """``pct`` % of ``amount``, to the cent (ROUND_HALF_UP)."""
    return round_amount(amount * pct / HUNDRED)


@dataclass(frozen=True)
class Band:
    """A band as plain values (the models' rows have the same attributes)."""

    upper_bound: Decimal | None
    rate_percent: Decimal | None
    amount: Decimal | None = None


def find_band(bands: Iterable[Any], base: Decimal) -> Any:
    """The band whose inclusive upper bound is the first at or above ``base``; the rate then
    applies to the whole base (a lookup, not a progressive tax)."""
    ordered = sorted(bands, key=lambda b: (b.upper_bound is None, b.upper_bound or ZERO))
    for band in ordered:
        if band.upper_bound is None or base <= band.upper_bound:
            return band
    raise RuleError(gettext("No dues band applies to this base; check the bands of the dues standard."))


@dataclass(frozen=True)
class Computation:
    """How a monthly amount came about: base, band, rate, unrounded and rounded figures."""

    base: Decimal
    band: Any
    rate_percent: Decimal | None
    unrounded: Decimal
    amount: Decimal
    capped: bool
    rounding: str


def dues_from_bands(base: Decimal, bands: Sequence[Any], *, cap: Decimal | None, rounding: str = "0.01") -> Computation:
    """The monthly dues for ``base``: band lookup, rate on the whole base, rounding, then the cap."""
    if base < 0:
        raise RuleError(gettext("The dues base cannot be negative."))
    band = find_band(bands, base)
    rate = getattr(band, "rate_percent", None)
    if rate is not None:
        unrounded = base * rate / HUNDRED
    else:
        unrounded = Decimal(band.amount)
    amount = round_amount(unrounded, rounding)
    capped = cap is not None and amount > cap
    if capped:
        assert cap is not None
        amount = cap.quantize(CENT)
    return Computation(base=base.quantize(CENT), band=band, rate_percent=rate, unrounded=unrounded,
                       amount=amount, capped=capped, rounding=rounding)


def fixed_dues(amount: Decimal, *, low: Decimal, high: Decimal, rounding: str = "0.01") -> Computation:
    """A fixed monthly amount (members without salary income), within its allowed range."""
    if not low <= amount <= high:
        raise RuleError(gettext("Fixed dues must lie between %(low)s and %(high)s yuan.") % {"low": low, "high": high},
                        field="fixed_amount")
    return Computation(base=ZERO, band=None, rate_percent=None, unrounded=amount, amount=amount.quantize(CENT),
                       capped=False, rounding=rounding)


# --- the base (pure) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseLine:
    name: str
    amount: Decimal
    treatment: str
    reason: str = ""


@dataclass(frozen=True)
class BaseBreakdown:
    """The base and why: included items minus deducted tax; excluded items listed with reasons."""

    included: Decimal
    deducted: Decimal
    excluded: Decimal
    lines: tuple[BaseLine, ...]

    @property
    def base(self) -> Decimal:
        return (self.included - self.deducted).quantize(CENT)


def compute_base(lines: Iterable[BaseLine]) -> BaseBreakdown:
    """Σ included items − individual income tax (DUES-QA "税后"); excluded items do not count."""
    rows = tuple(lines)
    sums = {t: sum((r.amount for r in rows if r.treatment == t), ZERO) for t in Treatment.values}
    breakdown = BaseBreakdown(sums[Treatment.INCLUDE], sums[Treatment.DEDUCT], sums[Treatment.EXCLUDE], rows)
    if breakdown.base < 0:
        raise RuleError(gettext("The base after income tax is negative; check the pay items."))
    return breakdown


# --- standards over the database ---------------------------------------------------------------


def standard_in_force(day: dt.date) -> Any:
    """The dues standard in force on ``day`` (the latest effective on or before it)."""
    from dangjian.dues.models import DuesStandard

    standard = DuesStandard.in_force(day)
    if standard is None:
        raise RuleError(gettext("No dues standard has been set up yet."))
    return standard


def auxiliary_standard_for(org: Any, day: dt.date) -> Any:
    """The auxiliary-police standard for a member of ``org`` on ``day``: the one set for the
    nearest ancestor organization, else the general one."""
    from dangjian.dues.models import AuxiliaryPoliceStandard

    candidates = list(
        AuxiliaryPoliceStandard.objects.filter(effective_from__lte=day)
        .filter(Q(org__isnull=True) | Q(org__path__in=org.ancestor_paths()))
        .select_related("org").order_by("-effective_from")
    )
    if not candidates:
        raise RuleError(gettext("No dues standard for auxiliary police members has been set up yet."))
    return max(candidates, key=lambda s: (s.org.depth if s.org else 0, s.effective_from))


def _settings_chain(org: Any) -> list[Any]:
    """The dues settings of ``org`` and its ancestors, nearest first."""
    from dangjian.dues.models import DuesOrgSettings

    rows = {s.org.path: s for s in DuesOrgSettings.objects.filter(org__path__in=org.ancestor_paths())
            .select_related("org")}
    return [rows[p] for p in reversed(org.ancestor_paths()) if p in rows]


def rounding_for(org: Any, standard: Any) -> str:
    """The rounding step for members of ``org``: its own or an ancestor's setting, else the standard's."""
    for row in _settings_chain(org):
        if row.rounding:
            return str(row.rounding)
    return str(standard.rounding)


def remit_percent_for(org: Any, standard: Any) -> Decimal:
    """The share ``org`` passes upwards: its own setting, else by level (DOMAIN 1.5 defaults)."""
    from dangjian.orgs.choices import OrgKind

    own = getattr(_own_settings(org), "remit_percent", None)
    if own is not None:
        return Decimal(own)
    if org.kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.GROUP):
        return Decimal(standard.branch_remit_percent)
    return Decimal(standard.top_remit_percent if org.depth == 1 else standard.committee_remit_percent)


def care_fund_percent_for(org: Any, standard: Any) -> Decimal:
    own = getattr(_own_settings(org), "care_fund_percent", None)
    return Decimal(own if own is not None else standard.care_fund_percent)


def _own_settings(org: Any) -> Any:
    from dangjian.dues.models import DuesOrgSettings

    return DuesOrgSettings.objects.filter(org=org).first()


def compute_for_kind(*, kind: str, standard: Any, base: Decimal, org: Any, day: dt.date,
                     fixed: Any = None, fixed_amount: Decimal | None = None,
                     rounding: str | None = None) -> tuple[Computation, Any]:
    """The monthly amount of a member of ``kind``; returns (computation, auxiliary standard)."""
    rounding = rounding or rounding_for(org, standard)
    cap = Decimal(standard.monthly_cap)
    if kind == DuesKind.FIXED:
        if fixed is None:
            raise RuleError(gettext("Choose the fixed dues category."), field="fixed")
        amount = fixed.amount if fixed_amount is None else fixed_amount
        return fixed_dues(Decimal(amount), low=fixed.min_amount, high=fixed.max_amount, rounding=rounding), None
    if kind == DuesKind.AUXILIARY:
        aux = auxiliary_standard_for(org, day)
        if aux.method == AuxiliaryMethod.FIXED:
            amount = Decimal(aux.fixed_amount or ZERO)
            return Computation(base, None, None, amount, amount.quantize(CENT), False, rounding), aux
        bands = list(aux.bands.all()) if aux.method == AuxiliaryMethod.OWN_BANDS else \
            list(standard.bands.filter(kind=BandKind.EMPLOYED))
        return dues_from_bands(base, bands, cap=cap, rounding=rounding), aux
    band_kind = BandKind.RETIRED if kind == DuesKind.RETIRED else BandKind.EMPLOYED
    return dues_from_bands(base, list(standard.bands.filter(kind=band_kind)), cap=cap, rounding=rounding), None


# --- bills and payments -------------------------------------------------------------------------


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
                 "党员缴纳")


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


# --- arrears ---------------------------------------------------------------------------------


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


# --- statements, remittance, reconciliation ---------------------------------------------------


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
        rows.append(ReconRow(org, f"{month.year}年{month.month}月", "党员缴纳 = 支部月报",
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


# --- budget, spending, care fund --------------------------------------------------------------


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


# --- disclosure (收支公示) ----------------------------------------------------------------------


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
