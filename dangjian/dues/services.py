"""Dues writes with their business rules: keyword-only, actor first, one transaction each.

Every row written is a ``ScopedModel`` (audited in the same transaction) and is re-read through
the actor's scope before commit (``ensure_in_scope``): a write that would land outside the
actor's organizations rolls back. Errors a user can fix raise
:class:`dangjian.core.errors.RuleError` with a gettext message (naming its field when it has
one); the core screens and the API show it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import approvals, audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers, ensure_in_scope
from dangjian.dues import rules, signals
from dangjian.dues.choices import ApprovalStatus, Arrangement, CaseStatus, DuesKind, ReliefKind
from dangjian.dues.models import (
    ArrearsCase,
    DuesAllocation,
    DuesAssessment,
    DuesBaseComponent,
    DuesBill,
    DuesBudget,
    DuesPayment,
    DuesRemittance,
    DuesSpending,
    DuesStatement,
    FixedDuesAmount,
    HardshipRelief,
    PayItem,
)
from dangjian.dues.rules import ZERO
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


def require(user: Any, action: str, org: Organization) -> None:
    if not covers(user, "dues", action, org):
        raise RuleError(gettext("You may not handle the dues of this organization."))


def _today() -> dt.date:
    return timezone.localdate()


# --- assessment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentInput:
    item: PayItem
    amount: Decimal


def assess_member(
    *, actor: Any, member: Member, year: int, kind: str, components: Sequence[ComponentInput] = (),
    fixed: FixedDuesAmount | None = None, fixed_amount: Decimal | None = None,
    effective_month: dt.date | None = None, reason: str = "", note: str = "", assessed_on: dt.date | None = None,
) -> DuesAssessment:
    """Assess a member's monthly dues for ``year`` (核定) from the base components.

    The first assessment of a year applies from January — or, for a probationary member
    admitted that year, from the month of the branch meeting that admitted them (DUES08
    art. 8). Any later one is a recorded mid-year re-assessment: it needs a reason and a later
    month, and re-bills the unpaid months from then on. The row keeps the standard, band,
    rate, unrounded figure and rounding it was computed with.
    """
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
        require(actor, "add", member.org)
        existing = list(DuesAssessment.objects.filter(member=member, year=year).order_by("effective_month"))
        admitted = rules.month_start(member.joined_party_on)
        if admitted.year > year:
            joined = member.joined_party_on
            raise RuleError(gettext("This member joined the Party on %(y)s-%(m)s-%(d)s and pays no dues for %(year)s.")
                            % {"y": joined.year, "m": f"{joined.month:02d}", "d": f"{joined.day:02d}", "year": year})
        if existing:
            if not reason.strip():
                raise RuleError(gettext("This year is already assessed; a mid-year reassessment needs a reason."), field="reason")
            if effective_month is None:
                raise RuleError(gettext("A mid-year reassessment needs the month it takes effect."), field="effective_month")
            effective_month = rules.month_start(effective_month)
            if effective_month <= existing[-1].effective_month:
                raise RuleError(gettext("A reassessment must take effect after the previous assessment's month."),
                                field="effective_month")
        else:
            default = dt.date(year, 1, 1) if admitted.year < year else admitted
            effective_month = max(rules.month_start(effective_month), default) if effective_month else default
        if effective_month.year != year:
            raise RuleError(gettext("The effective month must lie in the assessed year."), field="effective_month")
        standard = rules.standard_in_force(effective_month)
        lines = [rules.BaseLine(c.item.name, Decimal(c.amount), c.item.treatment, c.item.reason) for c in components]
        if any(c.amount < 0 for c in components):
            raise RuleError(gettext("A pay item amount cannot be negative."))
        base = rules.compute_base(lines).base if kind != DuesKind.FIXED else ZERO
        computation, aux = rules.compute_for_kind(kind=kind, standard=standard, base=base, org=member.org,
                                                  day=effective_month, fixed=fixed, fixed_amount=fixed_amount)
        band = computation.band
        assessment = DuesAssessment(
            member=member, year=year, effective_month=effective_month, kind=kind, standard=standard,
            band=band if band is not None and type(band).__name__ == "DuesBand" else None,
            auxiliary_standard=aux,
            auxiliary_band=band if band is not None and type(band).__name__ == "AuxiliaryPoliceBand" else None,
            fixed_amount=fixed if kind == DuesKind.FIXED else None,
            base=computation.base, rate_percent=computation.rate_percent,
            unrounded_amount=computation.unrounded.quantize(Decimal("0.000001")), rounding=computation.rounding,
            capped=computation.capped, monthly_amount=computation.amount, is_reassessment=bool(existing),
            reason=reason.strip(), note=note, assessed_on=assessed_on or _today(), assessed_by=actor,
        )
        assessment.save()
        for c in components:
            DuesBaseComponent(assessment=assessment, item=c.item, amount=Decimal(c.amount),
                              treatment=c.item.treatment).save()
        ensure_in_scope(actor, assessment, "add")
        if existing:
            audit.record("reassess", obj=assessment, reason=reason.strip(), changes={
                "monthly_amount": [str(existing[-1].monthly_amount), str(assessment.monthly_amount)],
                "effective_month": str(effective_month),
            })
        rebill(member, effective_month, dt.date(year, 12, 1))
    return assessment


def rebill(member: Member, first: dt.date, last: dt.date) -> int:
    """Bring existing bills of the months in line with the assessment and relief governing them."""
    changed = 0
    for bill in DuesBill.objects.select_for_update().filter(member=member, month__gte=first, month__lte=last):
        assessment = rules.assessment_for_month(member, bill.month)
        if assessment is None:
            continue
        relief = rules.relief_for_month(member, bill.month)
        due = rules.amount_due(assessment, relief)
        if (bill.assessment_id, bill.relief_id, bill.amount_due) != (assessment.pk, getattr(relief, "pk", None), due):
            bill.assessment, bill.relief, bill.amount_due = assessment, relief, due
            bill.save()
            changed += 1
    return changed


# --- hardship relief --------------------------------------------------------------------------


def propose_relief(
    *, actor: Any, member: Member, kind: str, from_month: dt.date, to_month: dt.date | None,
    reduced_amount: Decimal | None, reason: str, branch_decided_on: dt.date, branch_decision_ref: str,
) -> HardshipRelief:
    """Record the branch's decision to reduce or waive a member's dues; it waits for the
    higher committee's approval and changes nothing until then (DUES08 art. 7)."""
    if kind == ReliefKind.REDUCE and (reduced_amount is None or reduced_amount < 0):
        raise RuleError(gettext("A reduction needs the reduced monthly amount."), field="reduced_amount")
    from_month = rules.month_start(from_month)
    if to_month is not None and rules.month_start(to_month) < from_month:
        raise RuleError(gettext("The end month cannot be earlier than the start month."), field="to_month")
    with transaction.atomic():
        require(actor, "add", member.org)
        relief = HardshipRelief(
            member=member, kind=kind, from_month=from_month,
            to_month=rules.month_start(to_month) if to_month else None,
            reduced_amount=reduced_amount if kind == ReliefKind.REDUCE else None, reason=reason,
            branch_decided_on=branch_decided_on, branch_decision_ref=branch_decision_ref,
            requested_by=actor if getattr(actor, "pk", None) else None,
        )
        relief.save()
        ensure_in_scope(actor, relief, "add")
    return relief


def decide_relief(*, actor: Any, relief: HardshipRelief, approve: bool, approval_ref: str = "",
                  decided_on: dt.date | None = None) -> HardshipRelief:
    """The next-higher committee approves or rejects a relief (the core approvals rule);
    approval re-bills the months (``HardshipRelief.after_decision``)."""
    return approvals.decide(actor=actor, row=relief, approve=approve, reference=approval_ref, decided_on=decided_on)


# --- bills ------------------------------------------------------------------------------------


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


# --- payments ---------------------------------------------------------------------------------


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
        for allocation in list(payment.allocations.all()):
            allocation.delete()
        payment.delete()


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


# --- arrears ----------------------------------------------------------------------------------


@dataclass
class ScanResult:
    warnings: list[rules.Arrears]
    opened: list[ArrearsCase]
    cleared: list[ArrearsCase]


def scan_arrears(*, actor: Any, org: Organization, as_of: dt.date) -> ScanResult:
    """Find members of ``org``'s subtree in arrears: a reminder from 3 months, and at 6
    consecutive unpaid months exactly one open decision item for the branch. Never changes a
    member's status. Open items whose run was broken by a payment are marked as cleared."""
    with transaction.atomic():
        require(actor, "change", org)
        standard = rules.standard_in_force(as_of)
        bills = DuesBill.objects.filter(org__path__startswith=org.path)
        warnings = rules.arrears_warnings(bills, as_of, months=standard.reminder_months)
        open_cases = {c.member_id: c for c in ArrearsCase.objects.select_for_update()
                      .filter(org__path__startswith=org.path, status=CaseStatus.OPEN)}
        opened: list[ArrearsCase] = []
        long_runs = {a.member.pk: a for a in warnings if a.consecutive >= standard.decision_months}
        for member_id, info in long_runs.items():
            if member_id in open_cases:
                continue
            assert info.first_of_run is not None
            case = ArrearsCase(member=info.member, org=info.org, opened_on=as_of, first_unpaid_month=info.first_of_run,
                               months_unpaid=info.consecutive, amount_outstanding=info.outstanding)
            case.save()
            ensure_in_scope(actor, case, "add")
            opened.append(case)
        cleared = []
        for member_id, case in open_cases.items():
            if member_id not in long_runs and case.cleared_on is None:
                case.cleared_on = as_of
                case.save()
                cleared.append(case)
        for info in warnings:
            signals.arrears_warning.send(actor=actor, evidence=info.member, org=info.org,
                                         months=info.consecutive, outstanding=info.outstanding)
    return ScanResult(warnings, opened, cleared)


def record_case_decision(*, actor: Any, case: ArrearsCase, talk_on: dt.date | None, talk_by: str, talk_record: str,
                         decision: str, decided_on: dt.date | None, decision_ref: str) -> ArrearsCase:
    """Record the talk with the member and the branch's decision. The decision is a record:
    removal from the roll follows the party's own procedure, entered by a person elsewhere."""
    with transaction.atomic():
        case = ArrearsCase.objects.select_for_update().get(pk=case.pk)
        require(actor, "change", case.org)
        if decision and not (decided_on and decision_ref.strip()):
            raise RuleError(gettext("Recording the branch's decision needs the decision date and the meeting (minutes)."))
        case.talk_on, case.talk_by, case.talk_record = talk_on, talk_by, talk_record
        case.decision, case.decided_on, case.decision_ref = decision, decided_on, decision_ref
        case.status = CaseStatus.DECIDED if decision else CaseStatus.OPEN
        case.save()
        ensure_in_scope(actor, case, "change")
    return case


# --- statements and remittances -------------------------------------------------------------


def close_statement(*, actor: Any, org: Organization, month: dt.date, note: str = "") -> DuesStatement:
    """Close (or re-close) a branch's monthly statement with the totals as they stand."""
    month = rules.month_start(month)
    with transaction.atomic():
        require(actor, "change", org)
        figures = rules.branch_month(org, month)
        statement = DuesStatement.objects.select_for_update().filter(org=org, month=month).first() or \
            DuesStatement(org=org, month=month)
        statement.members_billed = figures.members_billed
        statement.amount_due = figures.due.amount
        statement.members_paid = figures.members_paid
        statement.amount_collected = figures.collected.amount
        statement.closed_by = actor
        statement.closed_on = _today()
        statement.note = note
        statement.save()
        ensure_in_scope(actor, statement, "change")
    return statement


def record_remittance(*, actor: Any, from_org: Organization, period_start: dt.date, period_end: dt.date,
                      amount: Decimal | None, remitted_on: dt.date, reference: str = "", note: str = "") -> DuesRemittance:
    """Record dues passed up to the parent organization (or outside, from the top), with the
    share expected from the period's income; ``amount`` defaults to that share."""
    first, last = rules.month_start(period_start), rules.month_start(period_end)
    if last < first:
        raise RuleError(gettext("The remittance period cannot end before it starts."), field="period_end")
    with transaction.atomic():
        require(actor, "add", from_org)
        standard = rules.standard_in_force(rules.month_end(last))
        income = rules.income(from_org, first, last, standard)
        overlapping = DuesRemittance.objects.filter(from_org=from_org, period_start__lte=last, period_end__gte=first)
        if overlapping.exists():
            raise RuleError(gettext("A remittance is already recorded for this period; do not record it twice."))
        parent = Organization.objects.get_parent(from_org)
        settings_row = getattr(from_org, "dues_settings", None) if hasattr(from_org, "dues_settings") else None
        remittance = DuesRemittance(
            from_org=from_org, to_org=parent, recipient_name="" if parent else
            (getattr(settings_row, "remit_to_name", "") or "上级党组织"),
            period_start=first, period_end=last, income=income.total, remit_percent=income.remit_percent,
            expected_amount=income.to_remit, amount=income.to_remit if amount is None else amount,
            remitted_on=remitted_on, reference=reference, note=note,
        )
        remittance.save()
        ensure_in_scope(actor, remittance, "add")
    return remittance


# --- budget and spending ----------------------------------------------------------------------


def approve_budget(*, actor: Any, budget: DuesBudget, approved_on: dt.date, approval_ref: str) -> DuesBudget:
    """The level above approves a budget (the core approvals rule)."""
    return approvals.decide(actor=actor, row=budget, approve=True, reference=approval_ref, decided_on=approved_on)


def decide_spending(*, actor: Any, spending: DuesSpending, approve: bool, decision_ref: str,
                    decided_on: dt.date | None = None) -> DuesSpending:
    """Approve or reject a spending request by collective decision of the level above (DUES08
    art. 19; the core approvals rule): not by the person who requested it; spending from the
    care fund may not overdraw it (``DuesSpending.check_decision``)."""
    return approvals.decide(actor=actor, row=spending, approve=approve, reference=decision_ref, decided_on=decided_on)
