"""Generated screen suites of the meeting models (see dangjian.core.testing.suites)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse
from django.utils import timezone

from dangjian.core.testing.facilities import AttachmentSuite, InboxSuite, RectificationSuite
from dangjian.core.testing.personas import Personas, make_member
from dangjian.core.testing.suites import ModelSuite
from dangjian.meetings import services, views
from dangjian.meetings.models import (
    AgendaItem,
    Attendance,
    CriticismRecord,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingRequirement,
    MeetingRules,
    Opinion,
    RectificationItem,
    Solicitation,
    Talk,
)

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "meetings.meetingamendment": "No screens of its own: written only by services.amend_meeting/cancel_meeting and "
                                 "shown on the meeting page; tested in test_services.py and test_views.py.",
    "meetings.obligation": "Derived rows (the stored compliance obligations), written only by meetings.stored and "
                           "shown through the compliance matrix; tested in test_stored_obligations.py.",
    "meetings.obligationyear": "Which years of obligations are stored; written by meetings.stored and the rebuild "
                               "job; tested in test_stored_obligations.py.",
}


def _meeting(org: Any, code: str = "themed_party_day", topic: str | None = None) -> Meeting:
    start = timezone.make_aware(dt.datetime(2026, 3, 1, 9)) + dt.timedelta(days=next(_n))  # noqa: DTZ001
    meeting = Meeting(org=org, kind=MeetingKind.objects.get(code=code), topic=topic or f"测试会议{next(_n)}",
                      starts_at=start, ends_at=start + dt.timedelta(hours=2))
    meeting.save()
    return meeting


def _solicitation(org: Any) -> Solicitation:
    row = Solicitation(org=org, title=f"征求意见{next(_n)}", opens_on=dt.date(2026, 6, 1), closes_on=dt.date(2026, 6, 15))
    row.save()
    return row


class BranchSuite(ModelSuite):
    allowed = "officer_b1"
    outsider = "officer_b2"


class ConfigSuite(ModelSuite):
    allowed = "c1_staff"
    outsider = "inspector_c1"  # no role in the configuration area


class TestMeetingSuite(BranchSuite):
    views = views.MeetingViews
    edit = {"topic": "改后的会议主题", "place": "二楼会议室"}
    marker = "topic"

    @classmethod
    def make_row(cls, p: Personas) -> Meeting:
        return _meeting(p.b1)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "kind": MeetingKind.objects.get(code="party_lecture").pk, "topic": f"党课{next(_n)}",
                "starts_at": "2026-04-02T09:00", "ends_at": "2026-04-02T10:30", "place": "党员活动室"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestAttendanceSuite(BranchSuite):
    views = views.AttendanceViews
    marker = "member__name"

    @classmethod
    def make_row(cls, p: Personas) -> Attendance:
        row = Attendance(meeting=_meeting(p.b1), member=make_member(p.b1))
        row.save()
        return row


class TestMeetingKindSuite(ConfigSuite):
    views = views.MeetingKindViews
    edit = {"name": "改名的会议类型"}

    @classmethod
    def make_row(cls, p: Personas) -> MeetingKind:
        n = next(_n)
        row = MeetingKind(code=f"kind-{n}", name=f"测试会议类型{n}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"new-kind-{n}", "name": f"新会议类型{n}", "attendee_source": "members", "quorum": "none",
                "sort_order": "200", "is_active": "on"}


class TestRequirementSuite(ConfigSuite):
    views = views.RequirementViews
    edit = {"times": "2"}
    marker = "year"

    @classmethod
    def make_row(cls, p: Personas) -> MeetingRequirement:
        row = MeetingRequirement(year=2100 + next(_n), kind=MeetingKind.objects.get(code="party_lecture"),
                                 org_kinds="branch", frequency="quarter")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": str(2200 + next(_n)), "kind": MeetingKind.objects.get(code="party_lecture").pk,
                "org_kind_choices": ["branch", "general_branch"], "frequency": "quarter", "times": "1",
                "due_days_before_end": "0"}


class TestMeetingRulesSuite(ConfigSuite):
    views = views.MeetingRulesViews
    edit = {"reminder_days": "10"}

    @classmethod
    def make_row(cls, p: Personas) -> MeetingRules:
        row = MeetingRules(year=2100 + next(_n))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": str(2200 + next(_n)), "checkin_minutes_before": "30", "checkin_minutes_after_end": "0",
                "reminder_days": "7", "committee_min_members": "3", "attachment_max_mb": "10",
                "attachment_types": "pdf,docx"}


class TestSolicitationSuite(BranchSuite):
    views = views.SolicitationViews
    edit = {"title": "改后的征求意见"}

    @classmethod
    def make_row(cls, p: Personas) -> Solicitation:
        return _solicitation(p.b1)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "title": f"民主生活会征求意见{next(_n)}", "opens_on": "2026-06-01",
                "closes_on": "2026-06-10", "allow_anonymous": "on"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestOpinionSuite(BranchSuite):
    views = views.OpinionViews
    edit = {"agenda_item": ""}  # the edit screen collates: here it takes the opinion out of its item
    marker = "content"

    @classmethod
    def make_row(cls, p: Personas) -> Opinion:
        solicitation = _solicitation(p.b1)
        item = AgendaItem(solicitation=solicitation, title="议题")
        item.save()
        row = Opinion(solicitation=solicitation, submitted_on=dt.date(2026, 6, 2), content=f"意见{next(_n)}",
                      author_name="王警官", agenda_item=item)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"solicitation": _solicitation(p.b1).pk, "submitted_on": "2026-06-03", "topic": "work",
                "content": f"纸质意见{next(_n)}", "source": "paper"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "solicitation": _solicitation(p.b3).pk}


class TestAgendaItemSuite(BranchSuite):
    views = views.AgendaItemViews
    edit = {"title": "改后的议题"}

    @classmethod
    def make_row(cls, p: Personas) -> AgendaItem:
        row = AgendaItem(solicitation=_solicitation(p.b1), title=f"议题{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"solicitation": _solicitation(p.b1).pk, "order": "1", "title": f"新议题{next(_n)}"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "solicitation": _solicitation(p.b3).pk}


class TestTalkSuite(BranchSuite):
    views = views.TalkViews
    edit = {"summary": "补充记录的意见"}
    marker = "summary"

    @classmethod
    def make_row(cls, p: Personas) -> Talk:
        row = Talk(org=p.b1, held_on=dt.date(2026, 6, 5), talker=p.members["m_b1"], interviewee_name="辅警小李",
                   summary=f"谈话意见{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "held_on": "2026-06-06", "talker": p.members["m_b1"].pk,
                "interviewee": p.members["m_b1_2"].pk, "summary": f"新谈话{next(_n)}"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "talker": p.members["m_b3"].pk, "interviewee": ""}


class TestCriticismSuite(BranchSuite):
    views = views.CriticismViews
    edit = {"commitments": "每月走访困难党员"}

    @classmethod
    def make_row(cls, p: Personas) -> CriticismRecord:
        row = CriticismRecord(meeting=_meeting(p.b1, "democratic_life_meeting"), member=make_member(p.b1),
                              self_criticism="理论学习不够深入")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"meeting": _meeting(p.b1, "democratic_life_meeting").pk, "member": p.members["m_b1"].pk,
                "self_criticism": "联系群众不够"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "meeting": _meeting(p.b3, "democratic_life_meeting").pk,
                "member": p.members["m_b3"].pk}


class TestRectificationSuite(RectificationSuite, BranchSuite):
    views = views.RectificationViews
    edit = {"status": "in_progress"}
    marker = "content"

    @classmethod
    def make_row(cls, p: Personas) -> RectificationItem:
        row = RectificationItem(org=p.b1, content=f"整改事项{next(_n)}", owner=p.members["m_b1"],
                                deadline=dt.date(2026, 9, 30))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "content": f"新整改事项{next(_n)}", "owner": p.members["m_b1"].pk,
                "deadline": "2026-10-31", "status": "open"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "owner": p.members["m_b3"].pk}


class TestMeetingAttachmentSuite(AttachmentSuite):
    """Attachments of a planned meeting: the core attachment rules through the meeting page."""

    model = MeetingAttachment
    record_field = "meeting"
    allowed = "officer_b1"
    outsider = "officer_b2"
    max_mb = 10  # MeetingRules' default

    @classmethod
    def make_record(cls, p: Personas) -> Meeting:
        return _meeting(p.b1)

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("meetings:attachment_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("meetings:attachment_download", args=[attachment.pk])


class TestMeetingsInboxMine(InboxSuite):
    """A member is reminded of their branch's coming meeting."""

    section = "meetings_mine"
    allowed = "member_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        start = timezone.now() + dt.timedelta(days=2)
        topic = f"近期主题党日{next(_n)}"
        meeting = Meeting.objects.create(org=p.b1, kind=MeetingKind.objects.get(code="themed_party_day"),
                                         topic=topic, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        services.sync_expected(actor=None, meeting=meeting)
        return topic


class TestMeetingsInboxToAct(InboxSuite):
    """A branch officer is asked to decide a member's leave request; the other branch is not."""

    section = "meetings_to_act"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        start = timezone.now() + dt.timedelta(days=3)
        meeting = Meeting.objects.create(org=p.b1, kind=MeetingKind.objects.get(code="themed_party_day"),
                                         topic=f"请假测试会议{next(_n)}", starts_at=start,
                                         ends_at=start + dt.timedelta(hours=2))
        services.sync_expected(actor=None, meeting=meeting)
        reason = f"外出办案{next(_n)}"
        row = meeting.attendances.get(member=p.members["m_b1"])
        services.request_leave(actor=None, attendance=row, reason=reason)
        return reason
