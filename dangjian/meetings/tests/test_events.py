"""The event contract on real transactions: a derive receiver commits or rolls back with the
attendance that caused it, a notify receiver runs only after a commit.

Transactional tests (``flushable_audit_log``): the service's own ``transaction.atomic`` is the
outermost one, so commit and rollback are real, as in production.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from dangjian.core import audit
from dangjian.core.context import acting_as
from dangjian.core.events import Occurrence, Timing
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas, build_personas
from dangjian.meetings import services, signals
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.tests.factories import at, make_meeting


class LedgerDown(Exception):
    pass


@pytest.fixture
def world(flushable_audit_log: Any) -> tuple[Personas, Meeting, Attendance]:
    """Personas and a planned meeting of branch B1 with 张三's attendance still pending."""
    importlib.import_module("dangjian.meetings.migrations.0002_seed_kinds_and_requirements").seed(apps, None)
    personas = build_personas()
    with acting_as(None, reason="test"):
        meeting = make_meeting(personas.b1, "themed_party_day", at(2026, 5, 8, 9), status=MeetingStatus.PLANNED,
                               present=0)
        meeting.attendances.update(status=AttendanceStatus.PENDING)
    return personas, meeting, meeting.attendances.get(member=personas.members["m_b1"])


def mark_present(personas: Personas, meeting: Meeting, row: Attendance) -> None:
    officer = personas.user("officer_b1")
    with acting_as(officer, reason="test"):
        services.record_attendance(actor=officer, meeting=meeting, statuses={row.pk: AttendanceStatus.PRESENT})


def updates_of(row: Attendance) -> int:
    return AuditEntry.objects.filter(object_type="meetings.attendance", object_id=str(row.pk), event="update").count()


def test_a_failing_derive_receiver_rolls_the_attendance_back(world: Any) -> None:
    personas, meeting, row = world

    def ledger(occurrence: Occurrence) -> None:
        raise LedgerDown

    with signals.attendance_recorded.subscribed(ledger, timing=Timing.DERIVE), pytest.raises(LedgerDown):
        mark_present(personas, meeting, row)
    stored = Attendance.objects.get(pk=row.pk)
    assert stored.status == AttendanceStatus.PENDING and stored.version == row.version
    assert updates_of(row) == 0  # the audit entry of the change went with it


def test_derived_records_commit_and_roll_back_with_the_attendance(world: Any) -> None:
    personas, meeting, row = world
    seen: list[tuple[bool, str]] = []

    def ledger(occurrence: Occurrence) -> None:
        seen.append((transaction.get_connection().in_atomic_block, occurrence.evidence_key))
        audit.record("test.points", obj=occurrence.evidence, actor=occurrence.actor)

    with signals.attendance_recorded.subscribed(ledger, timing=Timing.DERIVE):
        mark_present(personas, meeting, row)
    assert seen == [(True, f"meetings.attendance:{row.pk}")]  # inside the writing transaction
    assert AuditEntry.objects.filter(event="test.points", object_id=str(row.pk)).count() == 1

    # The same write inside a transaction that then fails: the derived record goes too.
    other = meeting.attendances.get(member=personas.members["m_b1_2"])
    with signals.attendance_recorded.subscribed(ledger, timing=Timing.DERIVE), pytest.raises(LedgerDown):
        with transaction.atomic():
            mark_present(personas, meeting, other)
            raise LedgerDown
    assert Attendance.objects.get(pk=other.pk).status == AttendanceStatus.PENDING
    assert not AuditEntry.objects.filter(event="test.points", object_id=str(other.pk)).exists()


def test_a_notify_receiver_runs_after_commit_and_never_for_a_rolled_back_write(world: Any) -> None:
    personas, meeting, row = world
    sent: list[tuple[bool, str]] = []

    def inbox(occurrence: Occurrence) -> None:
        stored = Attendance.objects.get(pk=occurrence.evidence.pk).status  # what another request would read
        sent.append((transaction.get_connection().in_atomic_block, stored))

    def failing_ledger(occurrence: Occurrence) -> None:
        raise LedgerDown

    other = meeting.attendances.get(member=personas.members["m_b1_2"])
    with signals.attendance_recorded.subscribed(inbox, timing=Timing.NOTIFY):
        with signals.attendance_recorded.subscribed(failing_ledger, timing=Timing.DERIVE), pytest.raises(LedgerDown):
            mark_present(personas, meeting, other)
        assert sent == []  # the write rolled back: nobody is told
        mark_present(personas, meeting, row)
    assert sent == [(False, AttendanceStatus.PRESENT)]  # after commit, the change already visible


def test_a_failing_notification_does_not_undo_the_write(world: Any) -> None:
    personas, meeting, row = world

    def sms(occurrence: Occurrence) -> None:
        raise LedgerDown

    with signals.attendance_recorded.subscribed(sms, timing=Timing.NOTIFY):
        mark_present(personas, meeting, row)
    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.PRESENT


def test_confirming_a_meeting_sends_its_final_attendance_with_the_actor(world: Any) -> None:
    personas, meeting, _ = world
    officer = personas.user("officer_b1")
    with acting_as(officer, reason="test"):
        services.record_attendance(actor=officer, meeting=meeting, statuses=dict.fromkeys(
            meeting.attendances.values_list("pk", flat=True), AttendanceStatus.PRESENT))
    got: list[Occurrence] = []
    with signals.meeting_confirmed.subscribed(got.append, timing=Timing.NOTIFY), acting_as(officer, reason="test"):
        services.confirm_meeting(actor=officer, meeting=meeting, now=at(2026, 5, 8, 12))
    assert len(got) == 1 and got[0].actor == officer and got[0].evidence.pk == meeting.pk
    assert {a.status for a in got[0]["attendances"]} == {AttendanceStatus.PRESENT}
    assert len(got[0]["attendances"]) == meeting.attendances.count()
