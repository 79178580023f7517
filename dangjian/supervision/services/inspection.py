"""Inspection services: stages, findings, clue transfer, rectification to 销号, the revisit.

Keyword-only, actor first; each re-reads its row under a lock through the actor's scope and
refuses a broken rule with ``RuleError``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.errors import RuleError
from dangjian.core.periods import add_months
from dangjian.core.rectification import RectificationStatus
from dangjian.core.scoping import ensure_in_scope, get_scoped_or_404
from dangjian.supervision import signals
from dangjian.supervision.models import (
    STAGE_ORDER,
    Clue,
    Finding,
    Inspection,
    InspectionDeadlines,
    InspectionRectification,
    Stage,
)
from dangjian.supervision.models.visibility import team_inspections


def deadlines(year: int) -> InspectionDeadlines:
    row = InspectionDeadlines.in_force(year)
    return row if row is not None else InspectionDeadlines(year=year)


def on_team(user: Any, inspection: Inspection) -> bool:
    return bool(user and user.pk) and Inspection.objects.filter(pk__in=team_inspections(user), pk=inspection.pk).exists()  # scope-ok: the user's own teams


def _locked(actor: Any, inspection: Inspection) -> Inspection:
    row = get_scoped_or_404(actor, Inspection.objects.select_for_update(of=("self",)), "change", pk=inspection.pk)
    if not on_team(actor, row):
        raise RuleError(gettext("Only the inspection team does this."))
    return row  # type: ignore[no-any-return]


def advance(*, actor: Any, inspection: Inspection, stage: str, on: dt.date | None = None) -> Inspection:
    """Move the inspection to ``stage`` (forward only); feedback needs both feedback texts."""
    day = on or timezone.localdate()
    with transaction.atomic():
        row = _locked(actor, inspection)
        if stage not in STAGE_ORDER or STAGE_ORDER.index(stage) <= STAGE_ORDER.index(row.stage):
            raise RuleError(gettext("An inspection moves forward one stage at a time."), field="stage")
        if stage == Stage.STATIONED:
            row.stationed_on = row.stationed_on or day
        if stage == Stage.FEEDBACK:
            if not (row.feedback_leadership.strip() and row.feedback_head.strip()):
                raise RuleError(gettext("Feedback goes to the leadership team and to its head separately: write both."),
                                field="feedback_leadership")
            if not row.evaluation:
                raise RuleError(gettext("Evaluate the committee's main responsibility before the feedback."),
                                field="evaluation")
            row.feedback_on = day
        if STAGE_ORDER.index(stage) > STAGE_ORDER.index(Stage.STATIONED) and row.stationed_on is None:
            row.stationed_on = day
        row.stage = stage
        row.save()
    return row


def confirm_finding(*, actor: Any, finding: Finding) -> Finding:
    with transaction.atomic():
        row = get_scoped_or_404(actor, Finding.objects.select_for_update(of=("self",)).select_related("inspection"),
                                "change", pk=finding.pk)
        if not on_team(actor, row.inspection):
            raise RuleError(gettext("Only the inspection team does this."))
        if row.confirmed:
            return row  # type: ignore[no-any-return]
        if not row.evidence.strip():
            raise RuleError(gettext("A finding is confirmed only with its evidence."), field="evidence")
        row.confirmed = True
        row.save()
        signals.finding_confirmed.send(actor=actor, evidence=row, target=row.inspection.target, area=row.area)
    return row  # type: ignore[no-any-return]


def transfer_clue(*, actor: Any, inspection: Inspection, department: Any, summary: str,
                  finding: Finding | None = None) -> Clue:
    """移交: a clue to a named department; the clue is seen by the team, the department and the leadership."""
    if not summary.strip():
        raise RuleError(gettext("Describe the clue."), field="summary")
    with transaction.atomic():
        row = _locked(actor, inspection)
        if finding is not None and finding.inspection_id != row.pk:
            raise RuleError(gettext("The finding belongs to another inspection."), field="finding")
        clue = Clue(inspection=row, finding=finding, department=department, summary=summary.strip())
        clue.save()
        if actor is not None:
            ensure_in_scope(actor, clue, "view")
    return clue


def default_deadline(inspection: Inspection) -> dt.date:
    """The rectification report's default deadline: two months after feedback (DOMAIN.md 7)."""
    base = inspection.feedback_on or timezone.localdate()
    return add_months(base, deadlines(base.year).report_months)


def plan_deadline(inspection: Inspection) -> dt.date:
    base = inspection.feedback_on or timezone.localdate()
    return add_months(base, deadlines(base.year).plan_months)


def open_item(*, actor: Any, finding: Finding, content: str, owner: Any,
              deadline: dt.date | None = None) -> InspectionRectification:
    with transaction.atomic():
        row = get_scoped_or_404(actor, Finding.objects.select_related("inspection"), "change", pk=finding.pk)
        if not row.confirmed:
            raise RuleError(gettext("Rectification follows a confirmed finding."))
        item = InspectionRectification(org=row.inspection.target, finding=row, content=content, owner=owner,
                                       deadline=deadline or default_deadline(row.inspection))
        item.save()
        if actor is not None:
            ensure_in_scope(actor, item, "add")
    return item


def report_done(*, actor: Any, item: InspectionRectification, evidence: str) -> InspectionRectification:
    """The target reports an item done with its evidence; it waits for the inspector's sign-off."""
    with transaction.atomic():
        row = get_scoped_or_404(actor, InspectionRectification.objects.select_for_update(of=("self",)), "change",
                                pk=item.pk)
        if row.status == RectificationStatus.CLOSED:
            raise RuleError(gettext("The item is already closed."))
        if not (evidence.strip() or row.attachments.exists()):
            raise RuleError(gettext("An item is closed only with its evidence."), field="evidence")
        row.evidence = evidence.strip() or row.evidence
        row.status = RectificationStatus.DONE
        row.save()
    return row  # type: ignore[no-any-return]


def may_sign_off(user: Any, item: InspectionRectification) -> bool:
    return on_team(user, item.finding.inspection)


def sign_off(*, actor: Any, item: InspectionRectification, on: dt.date | None = None) -> InspectionRectification:
    """销号: the inspector signs off the evidence and closes the item (late when after its deadline)."""
    day = on or timezone.localdate()
    with transaction.atomic():
        row = get_scoped_or_404(actor, InspectionRectification.objects.select_for_update(of=("self",))
                                .select_related("finding__inspection"), "change", pk=item.pk)
        if not may_sign_off(actor, row):
            raise RuleError(gettext("Only the inspection team signs off a rectification item."))
        if row.status == RectificationStatus.CLOSED:
            raise RuleError(gettext("The item is already closed."))
        if not (row.evidence.strip() or row.attachments.exists()):
            raise RuleError(gettext("An item is closed only with its evidence."), field="evidence")
        close(row, actor, day)
        row.save()
        signals.rectification_closed.send(actor=actor, evidence=row, late=row.closed_late)
    return row  # type: ignore[no-any-return]


def close(row: InspectionRectification, actor: Any, day: dt.date) -> None:
    row.status = RectificationStatus.CLOSED
    row.closed_on = day
    row.signed_off_by = actor
    row.signed_off_on = day


def revisit(*, actor: Any, item: InspectionRectification, held: bool, note: str = "",
            deadline: dt.date | None = None) -> InspectionRectification:
    """回头看: a closed item that did not hold is reopened with a new deadline."""
    with transaction.atomic():
        row = get_scoped_or_404(actor, InspectionRectification.objects.select_for_update(of=("self",))
                                .select_related("finding__inspection"), "change", pk=item.pk)
        if not may_sign_off(actor, row):
            raise RuleError(gettext("Only the inspection team revisits a rectification item."))
        if row.status != RectificationStatus.CLOSED:
            raise RuleError(gettext("Only a closed item is revisited."))
        if held:
            audit.record("revisit", obj=row, changes={"held": True, "note": note})
            return row  # type: ignore[no-any-return]
        if not note.strip():
            raise RuleError(gettext("Say what did not hold."), field="note")
        row.status = RectificationStatus.OPEN
        row.reopened += 1
        row.closed_on = row.signed_off_on = None
        row.signed_off_by = None
        row.content = f"{row.content}\n[{timezone.localdate():%Y-%m-%d}] {note.strip()}"
        row.deadline = deadline or add_months(timezone.localdate(), 1)
        row.save()
    return row  # type: ignore[no-any-return]


def read_clue(*, actor: Any, clue: Clue, listing: bool = False) -> None:
    """Every read of a clue is audited (a list records the ids it showed)."""
    audit.record("clue_read", obj=clue, changes={"listing": listing})
