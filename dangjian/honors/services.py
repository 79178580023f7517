"""Writes of the honors module: keyword-only, actor first, lock, re-check, audit.

Decisions on nominations go through ``dangjian.core.approvals.decide`` (the model's
``check_decision`` holds the window and the cap; ``after_decision`` emits the event).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.approvals import ApprovalStatus
from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers, ensure_in_scope
from dangjian.honors import signals
from dangjian.honors.choices import Nominee
from dangjian.honors.models import Commendation


def check_nomination(row: Commendation) -> None:
    """The rules of a nomination (the screen and the demo share them)."""
    if row.kind_id is None:
        return
    if row.kind.nominee == Nominee.MEMBER:
        if row.member is None:
            raise RuleError(gettext("Choose the member nominated."), field="member")
        if not row.member.org.path.startswith(row.org.path):
            raise RuleError(gettext("The member must belong to the nominating organization or one below it."),
                            field="member")
        row.nominee_org = None
    else:
        if row.nominee_org is None:
            raise RuleError(gettext("Choose the organization nominated."), field="nominee_org")
        if not row.nominee_org.path.startswith(row.org.path):
            raise RuleError(gettext("The organization must be the nominating one or one below it."),
                            field="nominee_org")
        row.member = None
    if row.review_from and row.review_until and row.review_until < row.review_from:
        raise RuleError(gettext("The review window must end on or after its start."), field="review_until")
    if row.pk and Commendation.objects.filter(pk=row.pk).exclude(status=ApprovalStatus.PENDING).exists():
        raise RuleError(gettext("A decided nomination cannot be changed."))


def nominate(*, actor: Any, row: Commendation) -> Commendation:
    """Save a nomination (new or still pending) for the level above to decide."""
    new = row.pk is None
    with transaction.atomic():
        if not covers(actor, "honors", "add" if new else "change", row.org):
            raise RuleError(gettext("You may not nominate for this organization."), field="org")
        check_nomination(row)
        if new:
            row.requested_by = actor if getattr(actor, "pk", None) else None
        row.save()
        ensure_in_scope(actor, row, "add" if new else "change")
    return row


def revoke(*, actor: Any, row: Commendation, reason: str) -> Commendation:
    """Revoke a confirmed commendation (by the level that could decide it); the points ledger
    writes the reversing entry through ``honors.commendation_revoked``."""
    from dangjian.core.approvals import deciding_path

    with transaction.atomic():
        locked = Commendation.objects.select_for_update(of=("self",)).select_related("org", "kind", "member").get(pk=row.pk)
        if not locked.is_confirmed:
            raise RuleError(gettext("Only a confirmed commendation can be revoked."))
        if not covers(actor, "honors", "change", deciding_path(locked)):
            raise RuleError(locked.approval_level_message)
        if not reason.strip():
            raise RuleError(gettext("Give the reason for revoking."), field="reason")
        locked.revoked_on = timezone.localdate()
        locked.revoke_reason = reason.strip()
        locked.save()
        audit.record("revoke", obj=locked, reason=locked.revoke_reason)
        signals.commendation_revoked.send(actor=actor, evidence=locked, reason=locked.revoke_reason)
    return locked
