"""A minutes book entered at once (``meetings.enter_past_meetings``) derives its points through
the batch form of the attendance receiver: the same entries, caps, balances and audit entries
as one event per attendance, in a number of statements that does not grow with the rows. (A
balance changed by the batch is updated, and its update audited, once, not once per entry.)"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas, make_member
from dangjian.meetings import services as meetings
from dangjian.meetings import signals
from dangjian.meetings.choices import AttendanceStatus
from dangjian.meetings.tests.factories import at, kind
from dangjian.points.models import PointBalance, PointCategory, PointEntry
from dangjian.points.tests.conftest import attend, meeting

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def book(personas: Personas, members: list[Any], count: int) -> list[meetings.PastMeeting]:
    host = members[0]
    records = []
    for n in range(count):
        absent = members[1 + n % (len(members) - 1)]
        excused = members[1 + (n + 1) % (len(members) - 1)]
        records.append(meetings.PastMeeting(
            org=personas.b1, kind=kind("branch_general_meeting"), topic=f"第{n + 1}次党员大会",
            starts_at=at(2026, 1 + n % 10, 10 + n // 10, 9), ends_at=at(2026, 1 + n % 10, 10 + n // 10, 11),
            minutes="会议纪要", host=host, recorder=host,
            exceptions={absent.pk: (AttendanceStatus.ABSENT, ""), excused.pk: (AttendanceStatus.EXCUSED, "出差")}))
    return records


def outcome() -> tuple[Any, ...]:
    entries = sorted(PointEntry.objects.values_list("member_id", "rule__code", "points", "rule_points",
                                                    "capped_reason", "status", "kind", "live", "month"))
    balances = sorted(PointBalance.objects.values_list("member_id", "year", "ledger", "pending", "score", "org_id"))
    audited = Counter(AuditEntry.objects.filter(object_type__startswith="points.", event="create")
                      .values_list("object_type", "event"))
    return entries, balances, audited


def test_the_batch_form_writes_what_one_event_per_attendance_writes(personas: Personas,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    p, officer = personas, personas.user("officer_b1")
    with acting_as(None, reason="test"):
        members = [p.members["m_b1"], p.members["m_b1_2"], *(make_member(p.b1) for _ in range(3))]
    PointCategory.objects.filter(year=2026, code="meetings").update(cap=4)  # the cap bites within the book
    attend(officer, meeting(p.b1), members[1], "present")  # an earlier entry counts toward the cap
    records = book(p, members, 7)

    def enter() -> tuple[Any, ...]:
        try:
            with transaction.atomic():
                meetings.enter_past_meetings(actor=None, meetings=records, now=at(2026, 12, 1, 9))
                result = outcome()
                raise Rollback
        except Rollback:
            return result

    batched = enter()

    def one_by_one(*, actor: Any, evidences: list[Any], **data: Any) -> list[Any]:
        return [signals.attendance_recorded.send(actor=actor, evidence=e, **data) for e in evidences]

    monkeypatch.setattr(signals.attendance_recorded, "send_batch", one_by_one)
    single = enter()
    assert batched == single
    entries, balances, audited = batched
    assert any(e[4] for e in entries)  # some entries were capped
    assert {e[1] for e in entries} == {"attend_meeting", "absent_meeting"}
    assert len(balances) == len(members)
    assert sum(audited.values()) == len(entries) + len(balances)  # one "create" per entry and per balance


def test_statements_do_not_grow_with_the_attendances(personas: Personas) -> None:
    p = personas

    def statements(size: int) -> int:
        with acting_as(None, reason="test"):
            members = [make_member(p.b1) for _ in range(size)]
        from dangjian.meetings.models import Attendance

        with CaptureQueriesContext(connection) as queries:
            [entered] = meetings.enter_past_meetings(actor=None, meetings=book(p, members, 1), now=at(2026, 12, 1, 9))
        assert Attendance.objects.filter(meeting=entered).count() >= size
        return len(queries)

    statements(2)  # first: every balance is new; later books meet earlier balances too
    small = statements(3)
    assert statements(30) == small
