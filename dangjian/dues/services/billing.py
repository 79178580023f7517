"""Bills and payments (recorded exactly once, allocated to month bills)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import ensure_in_scope
from dangjian.dues import rules, signals
from dangjian.dues.choices import ApprovalStatus, Arrangement, CaseStatus
from dangjian.dues.models import (
    ArrearsCase,
    DuesAllocation,
    DuesAssessment,
    DuesBill,
    DuesPayment,
    DuesRemittance,
    DuesStatement,
    HardshipRelief,
)
from dangjian.dues.rules import ZERO
from dangjian.dues.services.common import _today, require
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


@dataclass
class BillRun:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: list[Member] = field(default_factory=list)


def generate_bills(*, actor: Any, org: Organization, month: dt.date) -> BillRun:
    """Bill every active member of ``org`` for ``month`` from their assessment (idempotent:
    existing bills are only brought up to date). Members without an assessment are listed."""
    month = rules.month_start(month)
    result = BillRun()
    with transaction.atomic():
        require(actor, "add", org)
        standard = rules.standard_in_force(month)
        members = list(Member.objects.filter(org=org, is_active=True).order_by("name"))
        assessments: dict[int, DuesAssessment] = {}
        for a in DuesAssessment.objects.filter(member__in=members, year=month.year, effective_month__lte=month)\
                .order_by("effective_month"):
            assessments[a.member_id] = a  # the latest effective wins
        reliefs: dict[int, HardshipRelief] = {}
        for r in HardshipRelief.objects.filter(member__in=members, status=ApprovalStatus.APPROVED,
                                               from_month__lte=month).order_by("from_month"):
            if r.covers(month):
                reliefs[r.member_id] = r
        bills = {b.member_id: b for b in DuesBill.objects.select_for_update().filter(member__in=members, month=month)}
        for member in members:
            assessment = assessments.get(member.pk)
            if assessment is None:
                if rules.month_start(member.joined_party_on) <= month:
                    result.missing.append(member)
                continue
            relief = reliefs.get(member.pk)
            due = rules.amount_due(assessment, relief)
            bill = bills.get(member.pk)
            if bill is None:
                DuesBill(member=member, org=org, month=month, assessment=assessment, relief=relief, amount_due=due,
                         due_on=rules.due_date(month, standard.due_day)).save()
                result.created += 1
            elif (bill.assessment_id, bill.relief_id, bill.amount_due) != (assessment.pk, getattr(relief, "pk", None), due):
                bill.assessment, bill.relief, bill.amount_due = assessment, relief, due
                bill.save()
                result.updated += 1
            else:
                result.unchanged += 1
        if result.created or result.updated:
            audit.record("generate_bills", obj=org, object_type="dues.duesbill", object_repr=f"{org} {month:%Y-%m}",
                         changes={"created": result.created, "updated": result.updated})
    return result


def _bill_for(member: Member, month: dt.date) -> DuesBill:
    """The member's bill for ``month``, created from the assessment when it does not exist yet
    (a quarterly or advance payment may pay months not billed yet)."""
    bill = DuesBill.objects.select_for_update().filter(member=member, month=month).first()
    if bill is not None:
        return bill
    assessment = rules.assessment_for_month(member, month)
    if assessment is None:
        raise RuleError(gettext("%(name)s has no dues assessment for %(month)s/%(year)s yet; assess first.")
                        % {"name": member.name, "year": month.year, "month": month.month})
    relief = rules.relief_for_month(member, month)
    standard = rules.standard_in_force(month)
    bill = DuesBill(member=member, org=member.org, month=month, assessment=assessment, relief=relief,
                    amount_due=rules.amount_due(assessment, relief), due_on=rules.due_date(month, standard.due_day))
    bill.save()
    return bill


@dataclass
class PaymentResult:
    payment: DuesPayment
    created: bool
    #: bills that became fully paid by this payment
    settled: list[DuesBill] = field(default_factory=list)

    @property
    def unallocated(self) -> Decimal:
        return self.payment.amount - sum((a.amount for a in self.payment.allocations.all()), ZERO)


def record_payment(
    *, actor: Any, member: Member, amount: Decimal, paid_on: dt.date, method: str, idempotency_key: str,
    months: Sequence[dt.date] | None = None, arrangement: str = Arrangement.MONTHLY, collector: Member | None = None,
    receipt_number: str = "", proxy_payer: str = "", proxy_relation: str = "", back_payment_reason: str = "",
    note: str = "",
) -> PaymentResult:
    """Record money received from a member and allocate it to month bills, exactly once.

    ``idempotency_key`` is the one-time token of the submitting form: a repeated or racing
    submission returns the payment already recorded (``created`` False) instead of a second one.
    Without ``months`` the money pays the oldest outstanding bills first. Paying a month older
    than the back-payment window needs ``back_payment_reason``. Money beyond what the months
    owe stays unallocated and is shown as an over-payment; a voluntary surplus above the
    monthly cap is 大额党费, which goes to the Centre and is not recorded here.
    """
    if not idempotency_key:
        raise RuleError(gettext("The form token is missing; reload the page and submit again."))
    if amount is None or amount <= 0:
        raise RuleError(gettext("The amount paid must be greater than 0."), field="amount")
    if paid_on is not None and paid_on > _today():
        raise RuleError(gettext("The payment date cannot be later than today (%(today)s).")
                        % {"today": _today().isoformat()}, field="paid_on")
    existing = DuesPayment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return PaymentResult(existing, False)
    try:
        with transaction.atomic():
            result = _record_payment(
                actor=actor, member=member, amount=amount, paid_on=paid_on, method=method,
                idempotency_key=idempotency_key, months=months, arrangement=arrangement, collector=collector,
                receipt_number=receipt_number.strip(), proxy_payer=proxy_payer.strip(),
                proxy_relation=proxy_relation.strip(), back_payment_reason=back_payment_reason.strip(), note=note,
            )
    except IntegrityError:
        existing = DuesPayment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return PaymentResult(existing, False)  # a racing request recorded it first
        if receipt_number and DuesPayment.objects.filter(receipt_number=receipt_number.strip()).exists():
            raise RuleError(gettext("Receipt number %(number)s is already used.") % {"number": receipt_number},
                            field="receipt_number") from None
        raise
    return result


def _record_payment(*, actor: Any, member: Member, amount: Decimal, paid_on: dt.date, method: str,
                    idempotency_key: str, months: Sequence[dt.date] | None, arrangement: str,
                    collector: Member | None, receipt_number: str, proxy_payer: str, proxy_relation: str,
                    back_payment_reason: str, note: str) -> PaymentResult:
    member = Member.objects.select_related("org").get(pk=member.pk)
    require(actor, "add", member.org)
    standard = rules.standard_in_force(paid_on)
    if months:
        bills = [_bill_for(member, rules.month_start(m)) for m in sorted(set(months))]
    else:
        bills = list(DuesBill.objects.select_for_update().filter(member=member).order_by("month"))
    paid_so_far = {b.pk: b.paid for b in rules.with_paid(DuesBill.objects.filter(pk__in=[b.pk for b in bills]))}
    allocations: list[tuple[DuesBill, Decimal]] = []
    remaining = Decimal(amount)
    for bill in bills:
        outstanding = bill.amount_due - paid_so_far.get(bill.pk, ZERO)
        if remaining <= 0 or outstanding <= 0:
            continue
        take = min(remaining, outstanding)
        allocations.append((bill, take))
        remaining -= take
    late = [b for b, _ in allocations if rules.months_apart(b.month, paid_on) > standard.back_payment_window_months]
    if late and not back_payment_reason:
        oldest = min(b.month for b in late)
        raise RuleError(
            gettext("Paying the dues of %(month)s/%(year)s late is beyond %(window)s months; give the reason for the "
              "back payment.") % {"year": oldest.year, "month": oldest.month,
                                  "window": standard.back_payment_window_months},
            field="back_payment_reason")
    if remaining > standard.monthly_cap:
        raise RuleError(
            gettext("The amount beyond what is due, %(extra)s yuan, exceeds %(cap)s yuan: a large voluntary one-off "
              "payment goes entirely to the Central Committee; handle it separately as a large dues payment.")
            % {"extra": remaining, "cap": standard.monthly_cap}, field="amount")
    if late and arrangement == Arrangement.MONTHLY:
        arrangement = Arrangement.BACK
    payment = DuesPayment(
        member=member, org=member.org, amount=Decimal(amount), paid_on=paid_on, method=method,
        arrangement=arrangement, collector=collector, receipt_number=receipt_number, proxy_payer=proxy_payer,
        proxy_relation=proxy_relation if proxy_payer else "", back_payment_reason=back_payment_reason,
        idempotency_key=idempotency_key, recorded_by=actor if getattr(actor, "pk", None) else None, note=note,
    )
    payment.save()
    settled: list[DuesBill] = []
    for bill, take in allocations:
        DuesAllocation(payment=payment, bill=bill, amount=take).save()
        if paid_so_far.get(bill.pk, ZERO) + take >= bill.amount_due:
            settled.append(bill)
    ensure_in_scope(actor, payment, "add")
    _clear_cases(member, paid_on)

    for bill in settled:
        signals.bill_paid.send(actor=actor, evidence=bill, payment=payment, on_time=paid_on <= bill.due_on)
    return PaymentResult(payment, True, settled)


def _clear_cases(member: Member, day: dt.date) -> None:
    """Note on an open arrears case that the run of unpaid months is broken (the branch still
    records its own decision: nothing about the member changes automatically)."""
    case = ArrearsCase.objects.select_for_update().filter(member=member, status=CaseStatus.OPEN,
                                                          cleared_on__isnull=True).first()
    if case is None:
        return
    standard = rules.standard_in_force(day)
    runs = rules.arrears(DuesBill.objects.filter(member=member), day + dt.timedelta(days=1))
    if not runs or runs[0].consecutive < standard.decision_months:
        case.cleared_on = day
        case.save()


def void_payment(*, actor: Any, payment: DuesPayment, reason: str) -> None:
    """Undo a payment recorded by mistake: its allocations and the payment are deleted, each
    audited, with one ``void`` entry carrying the reason. Refused once the month's statement is
    closed or the money was remitted: then the correction is a new payment or a note, not an erasure."""
    if not reason.strip():
        raise RuleError(gettext("Voiding a payment needs a reason."), field="reason")
    with transaction.atomic():
        payment = DuesPayment.objects.select_for_update().select_related("org", "member").get(pk=payment.pk)
        require(actor, "delete", payment.org)
        month = rules.month_start(payment.paid_on)
        if DuesStatement.objects.filter(org=payment.org, month=month).exists():
            raise RuleError(gettext("The month's collection statement is closed, so it cannot be voided; record a "
                              "correcting payment and explain it in the note."))
        if DuesRemittance.objects.filter(from_org=payment.org, period_start__lte=month, period_end__gte=month).exists():
            raise RuleError(gettext("The month's dues have been remitted, so it cannot be voided."))
        audit.record("void", obj=payment, reason=reason.strip(), changes={
            "amount": str(payment.amount), "paid_on": str(payment.paid_on), "receipt_number": payment.receipt_number,
        })
        allocations = list(payment.allocations.select_related("bill"))
        bills = {a.bill_id: a.bill for a in allocations}
        paid_before = {b.pk: b.paid for b in rules.with_paid(DuesBill.objects.filter(pk__in=list(bills)))}
        for allocation in allocations:
            allocation.delete()
        payment.delete()
        paid_after = {b.pk: b.paid for b in rules.with_paid(DuesBill.objects.filter(pk__in=list(bills)))}
        for bill_id, bill in sorted(bills.items()):
            if paid_before.get(bill_id, ZERO) >= bill.amount_due > paid_after.get(bill_id, ZERO):
                signals.bill_unpaid.send(actor=actor, evidence=bill, reason=reason.strip())


@dataclass(frozen=True)
class BulkRow:
    member: Member
    amount: Decimal
    paid_on: dt.date
    method: str
    receipt_number: str = ""
    proxy_payer: str = ""
    back_payment_reason: str = ""


class BulkPaymentError(RuleError):
    """Some rows of a bulk entry were refused; nothing was recorded. ``errors``: member id -> message."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(list(errors.values()))
        self.errors = errors


def record_bulk_payments(*, actor: Any, org: Organization, month: dt.date, rows: Sequence[BulkRow],
                         batch_key: str, collector: Member | None = None) -> list[PaymentResult]:
    """A month's payments of a whole branch from one screen, in one transaction: every row is
    recorded or none is. Each row's idempotency key derives from the screen's one-time token."""
    month = rules.month_start(month)
    errors: dict[int, str] = {}
    results: list[PaymentResult] = []
    with transaction.atomic():
        require(actor, "add", org)
        for row in rows:
            if row.member.org_id != org.pk:
                errors[row.member.pk] = gettext("%(name)s is not a member of this branch.") % {"name": row.member.name}
                continue
            try:
                with transaction.atomic():
                    results.append(record_payment(
                        actor=actor, member=row.member, amount=row.amount, paid_on=row.paid_on, method=row.method,
                        idempotency_key=f"{batch_key}:{row.member.pk}", months=[month], collector=collector,
                        receipt_number=row.receipt_number, proxy_payer=row.proxy_payer,
                        back_payment_reason=row.back_payment_reason,
                    ))
            except RuleError as exc:
                errors[row.member.pk] = gettext("%(name)s: %(error)s") % {"name": row.member.name, "error": exc}
        if errors:
            raise BulkPaymentError(errors)
    return results
