"""Helpers of the points tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import PASSWORD, Personas, make_member

_n = itertools.count(1)


def rule(code: str, year: int = 2026) -> Any:
    from dangjian.points.models import PointRule

    return PointRule.objects.select_related("category").get(code=code, year=year)


def member_user(member: Any, username: str | None = None) -> Any:
    from dangjian.accounts.models import User

    with acting_as(None, reason="test"):
        user = User(username=username or f"m{next(_n)}", member=member, password_changed_at=timezone.now())
        user.set_password(PASSWORD)
        user.save()
    return user


def meeting(org: Any, code: str = "branch_general_meeting", day: dt.date = dt.date(2026, 3, 10)) -> Any:
    from dangjian.meetings import services
    from dangjian.meetings.models import Meeting, MeetingKind

    start = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))  # noqa: DTZ001 + dt.timedelta(minutes=next(_n))
    with acting_as(None, reason="test"):
        row = Meeting(org=org, kind=MeetingKind.objects.get(code=code), topic=f"测试会议{next(_n)}", starts_at=start,
                      ends_at=start + dt.timedelta(hours=2))
        row.save()
        services.sync_expected(actor=None, meeting=row)
    return row


def attend(actor: Any, meeting_row: Any, member: Any, status: str) -> Any:
    from dangjian.meetings import services

    row = meeting_row.attendances.get(member=member)
    with acting_as(actor, reason="test"):
        services.record_attendance(actor=actor, meeting=meeting_row, statuses={row.pk: status})
    row.refresh_from_db()
    return row


def award(actor: Any, member: Any, code: str, day: dt.date = dt.date(2026, 3, 5), note: str = "测试加分") -> Any:
    from dangjian.points import services

    with acting_as(actor, reason="test"):
        return services.record(actor=actor, member=member, rule=rule(code, day.year), day=day, note=note)


def to_final(p: Personas, entry: Any, member_user_: Any, *, approver: str = "c1_staff",
             today: dt.date = dt.date(2026, 4, 1)) -> Any:
    """Take a recorded entry through confirmation, approval, publication and the window."""
    from dangjian.points import services
    from dangjian.points.models import Publication

    if entry.status == "recorded":
        with acting_as(member_user_, reason="test"):
            entry = services.confirm(actor=member_user_, entry=entry, accept=True)
    if entry.status == "confirmed":
        with acting_as(p.user(approver), reason="test"):
            entry = services.approve(actor=p.user(approver), entry=entry, accept=True)
    officer = p.user("officer_b1")
    publication = Publication.objects.filter(org=entry.org, month=entry.month).first()
    with acting_as(officer, reason="test"):
        if publication is None:
            publication = services.publish(actor=officer, org=entry.org, month=entry.month, today=today)
        services.close(actor=officer, publication=publication, today=today + dt.timedelta(days=10))
    entry.refresh_from_db()
    return entry


def balance(member: Any, year: int = 2026) -> Any:
    from dangjian.points.models import PointBalance

    return PointBalance.objects.filter(member=member, year=year).first()


__all__ = ["make_member"]
