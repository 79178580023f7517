"""Assessment (核定), re-billing, hardship relief."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dangjian.core import approvals, audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import ensure_in_scope
from dangjian.dues import rules
from dangjian.dues.choices import DuesKind, ReliefKind
from dangjian.dues.models import (
    DuesAssessment,
    DuesBaseComponent,
    DuesBill,
    FixedDuesAmount,
    HardshipRelief,
    PayItem,
)
from dangjian.dues.rules import ZERO
from dangjian.dues.services.common import _today, require
from dangjian.members.models import Member


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
