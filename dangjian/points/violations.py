"""Police daily-violation scoring (F6): record, confirm, appeal, totals per cycle, proposals.

Thresholds (default 4, 8, 12 per calendar year; rolling 24 months as an option) create
*proposals* for a named decision-maker — reminder talk, admonition talk, suspension and training —
never a sanction. A confirmed violation is announced (``signals.violation_confirmed``) and the
points ledger deducts member points from it; an upheld appeal withdraws both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.core.periods import add_months
from dangjian.core.scoping import covers
from dangjian.points import signals
from dangjian.points.choices import Measure, ProposalStatus, ViolationCycle, ViolationStatus
from dangjian.points.models import PointScheme, ViolationKind, ViolationProposal, ViolationRecord
from dangjian.points.services import scheme_for

MEASURES = (Measure.REMINDER_TALK, Measure.ADMONITION_TALK, Measure.SUSPENSION_TRAINING)


def _locked(record: ViolationRecord) -> ViolationRecord:
    fresh = ViolationRecord.objects.select_for_update().select_related("member__org", "kind").get(pk=record.pk)
    if fresh.version != record.version:
        from dangjian.core.models import VersionConflict

        raise VersionConflict
    return fresh


@transaction.atomic
def record(*, actor: Any, member: Any, kind: ViolationKind, occurred_on: dt.date, description: str,
           evidence: str = "") -> ViolationRecord:
    if not covers(actor, "discipline", "add", member.org):
        raise RuleError(gettext("You may not record violations of this organization."), field="member")
    if getattr(actor, "member_id", None) == member.pk:
        raise RuleError(gettext("You may not record a violation of your own."), field="member")
    if occurred_on > timezone.localdate():
        raise RuleError(gettext("The date cannot be in the future."), field="occurred_on")
    in_force = ViolationKind.rows_in_force(occurred_on.year).filter(is_active=True)
    if not in_force.filter(pk=kind.pk).exists():
        raise RuleError(gettext("This violation kind is not in the catalog of %(year)s.")
                        % {"year": occurred_on.year}, field="kind")
    if not description.strip():
        raise RuleError(gettext("Describe what happened."), field="description")
    row = ViolationRecord(member=member, org_id=member.org_id, kind=kind, points=kind.points,
                          occurred_on=occurred_on, description=description.strip(), evidence=evidence.strip(),
                          recorded_by=actor)
    row.save()
    return row


@transaction.atomic
def confirm(*, actor: Any, record: ViolationRecord, accept: bool, today: dt.date | None = None) -> ViolationRecord:
    """Confirmed by someone other than the recorder; the deduction and the thresholds follow."""
    today = today or timezone.localdate()
    row = _locked(record)
    if not covers(actor, "discipline", "change", row.org):
        raise RuleError(gettext("You may not confirm violations of this organization."))
    if row.status != ViolationStatus.RECORDED:
        raise RuleError(gettext("This record is not waiting for confirmation."))
    if row.recorded_by_id == actor.pk:
        raise RuleError(gettext("A violation is confirmed by someone other than who recorded it."))
    row.confirmed_by, row.confirmed_on = actor, today
    row.status = ViolationStatus.CONFIRMED if accept else ViolationStatus.REJECTED
    row.save()
    if accept:
        signals.violation_confirmed.send(actor=actor, evidence=row)
        review_thresholds(member=row.member, today=today)
    return row


def appeal_deadline(row: ViolationRecord) -> dt.date | None:
    if row.confirmed_on is None:
        return None
    return row.confirmed_on + dt.timedelta(days=scheme_for(row.occurred_on.year).appeal_days)


@transaction.atomic
def appeal(*, actor: Any, record: ViolationRecord, reason: str, today: dt.date | None = None) -> ViolationRecord:
    today = today or timezone.localdate()
    row = _locked(record)
    if getattr(actor, "member_id", None) != row.member_id:
        raise RuleError(gettext("Only the officer concerned may appeal."))
    if row.status != ViolationStatus.CONFIRMED:
        raise RuleError(gettext("Only a confirmed record can be appealed, once."))
    deadline = appeal_deadline(row)
    if deadline is not None and today > deadline:
        raise RuleError(gettext("The appeal window closed on %(date)s.") % {"date": f"{deadline:%Y-%m-%d}"})
    if not reason.strip():
        raise RuleError(gettext("Give the grounds of the appeal."), field="reason")
    row.status, row.appeal_reason, row.appealed_at = ViolationStatus.APPEALED, reason.strip(), timezone.now()
    row.save()
    return row


@transaction.atomic
def decide_appeal(*, actor: Any, record: ViolationRecord, upheld: bool, decision: str,
                  today: dt.date | None = None) -> ViolationRecord:
    today = today or timezone.localdate()
    row = _locked(record)
    if not covers(actor, "discipline", "change", row.org):
        raise RuleError(gettext("You may not decide appeals of this organization."))
    if row.status != ViolationStatus.APPEALED:
        raise RuleError(gettext("This record has no pending appeal."))
    if actor.pk in (row.recorded_by_id, row.confirmed_by_id):
        raise RuleError(gettext("An appeal is decided by someone other than who recorded or confirmed the record."))
    if not decision.strip():
        raise RuleError(gettext("Record the decision and its grounds."), field="decision")
    row.status = ViolationStatus.APPEAL_UPHELD if upheld else ViolationStatus.APPEAL_DISMISSED
    row.appeal_decision, row.appeal_decided_by = decision.strip(), actor
    row.save()
    if upheld:
        signals.violation_withdrawn.send(actor=actor, evidence=row)
        review_thresholds(member=row.member, today=today)
    return row


def cycle_total(member: Any, today: dt.date, scheme: PointScheme) -> tuple[str, int]:
    """(cycle key, violation points counting in the cycle that contains ``today``)."""
    rows = ViolationRecord.objects.filter(member=member, status__in=ViolationStatus.counting())
    if scheme.violation_cycle == ViolationCycle.ROLLING_24:
        rows = rows.filter(occurred_on__gt=add_months(today, -24), occurred_on__lte=today)
        first = rows.order_by("occurred_on").values_list("occurred_on", flat=True).first()
        key = f"24m:{first:%Y-%m-%d}" if first else "24m"
    else:
        rows = rows.filter(occurred_on__year=today.year)
        key = str(today.year)
    return key, rows.aggregate(s=Sum("points"))["s"] or 0


def decision_maker_for(org: Any) -> Any:
    """The nearest committee staff above the branch (the named decision-maker), else ``None``."""
    from dangjian.accounts.models import RoleGrant
    from dangjian.accounts.roles import Role

    paths = [org.path[:i] for i in range(len(org.path) - org.steplen, 0, -org.steplen)] or [org.path]
    grants = RoleGrant.objects.filter(role=Role.COMMITTEE_STAFF, org__path__in=paths, revoked_at__isnull=True)\
        .select_related("user", "org").order_by("-org__depth", "id")
    grant = grants.first()
    return grant.user if grant else None


def review_thresholds(*, member: Any, today: dt.date) -> list[ViolationProposal]:
    """One proposal per threshold reached in the cycle; open proposals no longer reached are withdrawn."""
    scheme = scheme_for(today.year)
    key, total = cycle_total(member, today, scheme)
    made = []
    for threshold, measure in zip(scheme.thresholds, MEASURES, strict=False):
        existing = ViolationProposal.objects.select_for_update().filter(member=member, cycle=key,
                                                                        threshold=threshold).first()
        if total >= threshold:
            if existing is None:
                proposal = ViolationProposal(member=member, org_id=member.org_id, cycle=key, threshold=threshold,
                                             total=total, measure=measure, scheme=scheme,
                                             decision_maker=decision_maker_for(member.org))
                proposal.save()
                made.append(proposal)
            elif existing.status == ProposalStatus.WITHDRAWN:
                existing.status, existing.total = ProposalStatus.OPEN, total
                existing.save()
                made.append(existing)
        elif existing is not None and existing.status == ProposalStatus.OPEN:
            existing.status = ProposalStatus.WITHDRAWN
            existing.decision = gettext("Withdrawn: the cycle's total fell to %(total)s.") % {"total": total}
            existing.save()
    return made


@transaction.atomic
def decide_proposal(*, actor: Any, proposal: ViolationProposal, decision: str) -> ViolationProposal:
    row = ViolationProposal.objects.select_for_update().select_related("org").get(pk=proposal.pk)
    if row.version != proposal.version:
        from dangjian.core.models import VersionConflict

        raise VersionConflict
    if row.decision_maker_id not in (None, actor.pk) or not covers(actor, "discipline", "change", row.org):
        raise RuleError(gettext("This proposal is decided by its named decision-maker."))
    if row.status != ProposalStatus.OPEN:
        raise RuleError(gettext("This proposal is not open."))
    if not decision.strip():
        raise RuleError(gettext("Record the decision taken."), field="decision")
    row.status, row.decision, row.decided_at = ProposalStatus.DECIDED, decision.strip(), timezone.now()
    if row.decision_maker_id is None:
        row.decision_maker = actor
    row.save()
    return row
