"""Helpers of the meetings tests: aware datetimes, meetings with attendance, committees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.core.testing.personas import make_member
from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting, MeetingKind
from dangjian.members.models import CommitteePost


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware datetime in the project's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))  # noqa: DTZ001


def kind(code: str) -> MeetingKind:
    return MeetingKind.objects.get(code=code)


def make_meeting(org: Any, code: str, start: dt.datetime, *, status: str = MeetingStatus.CONFIRMED,
                 present: int | None = None, hours: int = 2, topic: str = "") -> Meeting:
    """A meeting of ``org`` with its computed attendees; the first ``present`` of them present
    (all when None), the others absent; then given ``status``."""
    k = kind(code)
    meeting = Meeting.objects.create(org=org, kind=k, topic=topic or f"{k.name}测试", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=hours), minutes="会议记录")
    services.sync_expected(actor=None, meeting=meeting)
    ids = list(meeting.attendances.order_by("id").values_list("id", flat=True))
    cut = len(ids) if present is None else present
    Attendance.objects.filter(id__in=ids[:cut]).update(status=AttendanceStatus.PRESENT)
    Attendance.objects.filter(id__in=ids[cut:]).update(status=AttendanceStatus.ABSENT)
    if status != MeetingStatus.PLANNED:
        meeting.status = status
        meeting.save()
    return meeting


def give_committee(org: Any, size: int = 3, since: dt.date = dt.date(2020, 1, 1)) -> list[Any]:
    """Give a branch a committee of ``size`` current post holders (new members of the branch)."""
    posts = ["secretary", "organization", "propaganda", "discipline", "deputy"]
    members = [make_member(org, name=f"支委{i}") for i in range(size)]
    for member, post in zip(members, posts, strict=False):
        CommitteePost.objects.create(org=org, member=member, post=post, started_on=since)
    return members
