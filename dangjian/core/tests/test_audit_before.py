"""The audit's "before" values are the ones the writer actually started from."""

from __future__ import annotations

from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas
from dangjian.members.models import Member


def _last_update(pk: int) -> dict[str, list[str]]:
    entry = AuditEntry.objects.filter(event="update", object_id=str(pk)).order_by("-id").first()
    assert entry is not None
    return entry.changes


def test_refresh_from_db_resets_the_audit_before_state(personas: Personas) -> None:
    mine = Member.objects.get(pk=personas.members["m_b1"].pk)
    with acting_as(None, reason="someone else"):
        theirs = Member.objects.get(pk=mine.pk)
        theirs.phone = "13900000000"
        theirs.save()
    mine.refresh_from_db()
    mine.rank = "一级警司"
    mine.save()
    assert _last_update(mine.pk) == {"rank": ["", "一级警司"]}  # not also their phone change


def test_partial_refresh_keeps_the_other_before_values(personas: Personas) -> None:
    mine = Member.objects.get(pk=personas.members["m_b1"].pk)
    mine.job_title = "大队长"
    mine.refresh_from_db(fields=["phone"])
    mine.save()
    assert _last_update(mine.pk) == {"job_title": ["", "大队长"]}
