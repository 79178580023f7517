"""What the assessment module hears: evidence changed somewhere, so the organization's live
grade is marked for the recompute job; a confirmed commendation becomes a bonus entry of the
encouragement list (a revoked one removes it).

Events (docs/events.md) where the source module sends one; Django's ``post_save`` on the
source's model (named by label, so nothing is imported) where it sends none (dues remittances,
rectification items of meetings, filings submitted).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from dangjian.assessment import services
from dangjian.core.events import Occurrence
from dangjian.honors.signals import commendation_confirmed, commendation_revoked
from dangjian.meetings.signals import meeting_confirmed
from dangjian.points.signals import violation_confirmed, violation_withdrawn
from dangjian.supervision.signals import filing_accepted, filing_returned, rectification_closed


def _mark(org: Any, day: Any) -> None:
    if org is not None and day is not None:
        services.mark_with_ancestors(org, day.year)


@meeting_confirmed.derive
def meeting_held(occurrence: Occurrence) -> None:
    meeting = occurrence.evidence
    _mark(meeting.org, timezone.localtime(meeting.starts_at).date())


@violation_confirmed.derive
@violation_withdrawn.derive
def violation_changed(occurrence: Occurrence) -> None:
    _mark(occurrence.evidence.org, occurrence.evidence.occurred_on)


@filing_returned.derive
@filing_accepted.derive
def filing_reviewed(occurrence: Occurrence) -> None:
    filing = occurrence.evidence
    services.mark_with_ancestors(filing.org, filing.year)


@rectification_closed.derive
def rectification_done(occurrence: Occurrence) -> None:
    _mark(occurrence.evidence.org, occurrence.evidence.deadline)


def _commendation_target(row: Any) -> Any:
    if row.nominee_org_id is not None:
        return row.nominee_org
    return row.member.org if row.member_id is not None else None


@commendation_confirmed.derive
def bonus_for_commendation(occurrence: Occurrence) -> None:
    """The encouragement list's item whose kinds name this commendation's kind earns one bonus
    entry for the organization commended (or the commended member's organization)."""
    from dangjian.assessment.models import BonusEntry, ListItem

    row = occurrence.evidence
    org = _commendation_target(row)
    year = row.kind.year
    item = next((i for i in ListItem.rows_in_force(year).filter(kind="bonus") if row.kind.code in i.kind_codes), None)
    if org is None or item is None:
        return
    BonusEntry.objects.get_or_create(item=item, evidence=occurrence.evidence_key, org=org, defaults={
        "year": year, "label": str(row)[:200], "on": row.decided_on or timezone.localdate()})
    services.mark_with_ancestors(org, year)


@commendation_revoked.derive
def bonus_withdrawn(occurrence: Occurrence) -> None:
    from dangjian.assessment.models import BonusEntry

    for entry in BonusEntry.objects.filter(evidence=occurrence.evidence_key).select_related("org"):
        entry.delete()
        services.mark_with_ancestors(entry.org, entry.year)


def _saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    org = getattr(instance, "org", None) or getattr(instance, "from_org", None)
    day = (getattr(instance, "deadline", None) or getattr(instance, "period_end", None)
           or getattr(instance, "due_on", None))
    _mark(org, day)


for label in ("dues.DuesRemittance", "meetings.RectificationItem", "supervision.Filing"):
    post_save.connect(_saved, sender=label, dispatch_uid=f"assessment-{label}")
    post_delete.connect(_saved, sender=label, dispatch_uid=f"assessment-del-{label}")


def _own(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The module's own evidence (evaluations, projects, bonuses, vetoes) changed."""
    year = getattr(instance, "year", None) or getattr(getattr(instance, "item", None), "year", None)
    org = getattr(instance, "org", None)
    if org is not None and year:
        services.mark_with_ancestors(org, year)


for label in ("assessment.ItemEvaluation", "assessment.Project", "assessment.BonusEntry", "assessment.VetoCase"):
    post_save.connect(_own, sender=label, dispatch_uid=f"assessment-own-{label}")
    post_delete.connect(_own, sender=label, dispatch_uid=f"assessment-own-del-{label}")
