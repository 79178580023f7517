"""The generic screens of the meetings models (declarations) and their helpers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.attachments import AttachmentForm
from dangjian.core.excel import Column
from dangjian.core.links import absolute_url
from dangjian.core.views import ModelViews, Related, can
from dangjian.meetings import rules, services
from dangjian.meetings.choices import LeaveStatus, MeetingStatus
from dangjian.meetings.filtersets import (
    AgendaItemFilterSet,
    AttendanceFilterSet,
    CriticismFilterSet,
    MeetingFilterSet,
    OpinionFilterSet,
    RectificationFilterSet,
    RequirementFilterSet,
    SolicitationFilterSet,
    TalkFilterSet,
)
from dangjian.meetings.forms import (
    AgendaItemForm,
    CollateForm,
    CriticismForm,
    LeaveForm,
    MeetingForm,
    MeetingKindForm,
    MeetingRulesForm,
    RecordedOpinionForm,
    RectificationForm,
    RequirementForm,
    SolicitationForm,
    TalkForm,
)
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
from dangjian.meetings.tables import (
    AgendaItemTable,
    AttendanceTable,
    CriticismTable,
    MeetingKindTable,
    MeetingRulesTable,
    MeetingTable,
    OpinionTable,
    RectificationTable,
    RequirementTable,
    SolicitationTable,
    TalkTable,
)


def checkin_path(meeting: Meeting) -> str:
    return reverse("meetings:checkin") + f"?t={meeting.checkin_token}"


class MeetingViews(ModelViews):
    model = Meeting
    name = "meeting"
    namespace = "meetings"
    queryset = Meeting.objects.select_related("org", "kind", "host", "recorder", "confirmed_by")
    table = MeetingTable
    filterset = MeetingFilterSet
    form = MeetingForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "meetings/meeting_detail.html"
    detail_fields = ("org", "kind", "topic", "starts_at", "ends_at", "place", "host", "recorder", "status",
                     "confirmed_at", "confirmed_by")
    export_columns = (
        Column("开始时间", "starts_at", 18), Column("会议类型", "kind__name", 14), Column("主题", "topic", 30),
        Column("党组织", "org__name", 28), Column("地点", "place", 16), Column("主持人", "host__name", 10),
        Column("记录人", "recorder__name", 10), Column("状态", "get_status_display", 10),
    )

    @classmethod
    def edit_elsewhere(cls, request: HttpRequest, obj: Any) -> str | None:
        """A confirmed meeting changes by amendment, a cancelled one not at all."""
        if obj.status == MeetingStatus.CONFIRMED:
            messages.info(request, gettext("This meeting is confirmed and locked: correct it by an amendment with the reason."))
            return reverse("meetings:amend", args=[obj.pk])
        if obj.status == MeetingStatus.CANCELLED:
            messages.info(request, gettext("This meeting was cancelled; its record can no longer be changed."))
            return cls.url("detail", obj)
        return None

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        counts = Meeting.objects.filter(pk=obj.pk).visible_to(user, "view").aggregate(**rules.attendance_counts())
        attendances = (Attendance.objects.visible_to(user, "view").filter(meeting=obj)
                       .select_related("member", "leave_decided_by").order_by("-expected", "member__name"))
        can_change = Meeting.objects.filter(pk=obj.pk).visible_to(user, "change").exists()
        mine = next((a for a in attendances if a.member_id and a.member_id == getattr(user, "member_id", None)), None)
        opens, closes = obj.checkin_window(services.checkin_rules(obj))
        return {
            "quorum": rules.quorum_state(obj.kind, counts),
            "counts": counts,
            "attendances": attendances,
            "mine": mine,
            "can_manage": can_change,
            "can_edit": can_change and not obj.is_locked,
            "can_amend": can_change and obj.status == MeetingStatus.CONFIRMED,
            "can_confirm": can_change and obj.status in (MeetingStatus.PLANNED, MeetingStatus.HELD),
            "checkin_url": absolute_url(request, checkin_path(obj)) if can_change and not obj.is_locked else "",
            "checkin_opens": opens, "checkin_closes": closes,
            "attachments": MeetingAttachment.objects.visible_to(user, "view").filter(meeting=obj),
            "amendments": obj.amendments.select_related("amended_by"),
            "attachment_form": AttachmentForm() if can_change and not obj.is_locked else None,
            "solicitations": Solicitation.objects.visible_to(user, "view").filter(meeting=obj),
            "can_leave": mine is not None and not obj.is_locked and timezone.now() < obj.starts_at
            and mine.leave_status != LeaveStatus.APPROVED,
        }


class AttendanceViews(ModelViews):
    model = Attendance
    name = "attendance"
    namespace = "meetings"
    queryset = Attendance.objects.select_related("meeting", "meeting__kind", "member")
    table = AttendanceTable
    filterset = AttendanceFilterSet
    actions = ("list", "detail", "export")
    detail_template = "meetings/attendance_detail.html"
    detail_fields = ("meeting", "member", "expected", "change_reason", "status", "checked_in_at", "checkin_method",
                     "leave_reason", "leave_requested_at", "leave_status", "leave_decided_by", "leave_decided_at")
    export_columns = (
        Column("会议", "meeting__topic", 30), Column("开始时间", "meeting__starts_at", 18),
        Column("党员", "member__name", 10), Column("应到", "expected", 6),
        Column("出勤", "get_status_display", 8), Column("签到时间", "checked_in_at", 18),
        Column("请假事由", "leave_reason", 20),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        own = obj.member_id == getattr(request.user, "member_id", None)
        manage = Attendance.objects.filter(pk=obj.pk).visible_to(request.user, "change").exists()
        return {
            "can_request_leave": (own or manage) and not obj.meeting.is_locked and timezone.now() < obj.meeting.starts_at,
            "can_decide_leave": manage and obj.leave_status == LeaveStatus.REQUESTED and not obj.meeting.is_locked,
            "leave_form": LeaveForm(),
        }


class MeetingKindViews(ModelViews):
    model = MeetingKind
    name = "kind"
    namespace = "meetings"
    table = MeetingKindTable
    form = MeetingKindForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("name", "short_name", "attendee_source", "quorum", "quorum_voting_only", "is_democratic_life",
                     "sort_order", "is_active")


class RequirementViews(ModelViews):
    model = MeetingRequirement
    name = "requirement"
    namespace = "meetings"
    queryset = MeetingRequirement.objects.select_related("kind")
    table = RequirementTable
    filterset = RequirementFilterSet
    form = RequirementForm
    actions = ("list", "detail", "add", "edit")  # rule rows are superseded by next year's, never deleted
    detail_fields = ("year", "kind", "org_kinds_display", "needs_committee", "frequency", "times",
                     "due_days_before_end", "remind_days", "remind_from_display", "source")


class MeetingRulesViews(ModelViews):
    model = MeetingRules
    name = "settings"
    namespace = "meetings"
    table = MeetingRulesTable
    form = MeetingRulesForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("year", "checkin_minutes_before", "checkin_minutes_after_end", "reminder_days",
                     "owe_from_first_full_month", "committee_min_members", "attachment_max_mb", "attachment_types")


class SolicitationViews(ModelViews):
    model = Solicitation
    name = "solicitation"
    namespace = "meetings"
    queryset = Solicitation.objects.select_related("org", "meeting", "meeting__kind")
    table = SolicitationTable
    filterset = SolicitationFilterSet
    form = SolicitationForm
    actions = ("list", "detail", "add", "edit", "delete")
    detail_template = "meetings/solicitation_detail.html"
    detail_fields = ("org", "meeting", "title", "description", "opens_on", "closes_on", "allow_anonymous",
                     "agenda_published_on")

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        dlm = can(request.user, Opinion, "view")
        manage = Solicitation.objects.filter(pk=obj.pk).visible_to(request.user, "change").exists()
        related = (
            Related(gettext("Opinions"), "meetings:opinion_list", "solicitation"),
            Related(gettext("One-to-one talks"), "meetings:talk_list", "solicitation"),
            Related(gettext("Agenda items"), "meetings:agendaitem_list", "solicitation"),
        ) if dlm else ()
        return {
            "workflow": related,
            "manage": manage,
            "form_url": absolute_url(request, reverse("meetings:opinion_form") + f"?t={obj.token}")
            if manage else "",
            "is_open": obj.is_open(),
            "agenda": AgendaItem.objects.filter(solicitation=obj).visible_to(request.user, "view")
            if dlm else AgendaItem.objects.none(),  # scope-ok: empty
        }


class OpinionViews(ModelViews):
    model = Opinion
    name = "opinion"
    namespace = "meetings"
    queryset = Opinion.objects.select_related("solicitation", "about_member", "agenda_item")
    table = OpinionTable
    filterset = OpinionFilterSet
    form = CollateForm
    add_form = RecordedOpinionForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_fields = ("solicitation", "submitted_on", "topic", "about_member", "content", "is_anonymous",
                     "author_name", "source", "agenda_item")
    export_columns = (
        Column("日期", "submitted_on", 12), Column("方面", "get_topic_display", 12),
        Column("涉及支委", "about_member__name", 10), Column("意见", "content", 60),
        Column("提出人", "author_name", 10), Column("来源", "get_source_display", 10),
        Column("归入议题", "agenda_item__title", 30),
    )

    @classmethod
    def detail_rows(cls, obj: Any) -> list[tuple[str, Any]]:
        rows = super().detail_rows(obj)
        return [(label, value) for label, value in rows if value not in (None, "")]


class AgendaItemViews(ModelViews):
    model = AgendaItem
    name = "agendaitem"
    namespace = "meetings"
    queryset = AgendaItem.objects.select_related("solicitation")
    table = AgendaItemTable
    filterset = AgendaItemFilterSet
    form = AgendaItemForm
    actions = ("list", "detail", "add", "edit", "delete")
    detail_fields = ("solicitation", "order", "title", "description")
    related = (Related(_("Opinions"), "meetings:opinion_list", "agenda_item"),)


class TalkViews(ModelViews):
    model = Talk
    name = "talk"
    namespace = "meetings"
    queryset = Talk.objects.select_related("org", "talker", "interviewee")
    table = TalkTable
    filterset = TalkFilterSet
    form = TalkForm
    detail_fields = ("org", "solicitation", "held_on", "talker", "interviewee", "interviewee_name", "summary")
    export_columns = (
        Column("日期", "held_on", 12), Column("党组织", "org__name", 28), Column("谈话人", "talker__name", 10),
        Column("谈话对象", "interviewee__name", 10), Column("谈话对象（非党员）", "interviewee_name", 12),
        Column("听取的意见", "summary", 60),
    )


class CriticismViews(ModelViews):
    model = CriticismRecord
    name = "criticism"
    namespace = "meetings"
    queryset = CriticismRecord.objects.select_related("meeting", "meeting__kind", "member")
    table = CriticismTable
    filterset = CriticismFilterSet
    form = CriticismForm
    detail_fields = ("meeting", "member", "self_criticism", "criticism_received", "commitments")
    export_columns = (
        Column("会议", "meeting__topic", 30), Column("支委成员", "member__name", 10),
        Column("自我批评", "self_criticism", 60), Column("相互批评", "criticism_received", 60),
        Column("整改承诺", "commitments", 40),
    )


class RectificationViews(ModelViews):
    model = RectificationItem
    name = "rectification"
    namespace = "meetings"
    queryset = RectificationItem.objects.select_related("org", "owner", "meeting", "meeting__kind")
    table = RectificationTable
    filterset = RectificationFilterSet
    form = RectificationForm
    detail_fields = ("org", "meeting", "content", "owner", "deadline", "status", "is_overdue", "evidence",
                     "closed_on")
    export_columns = (
        Column("党组织", "org__name", 28), Column("问题及措施", "content", 60), Column("责任人", "owner__name", 10),
        Column("完成时限", "deadline", 12), Column("状态", "get_status_display", 12),
        Column("逾期", "is_overdue", 6), Column("整改佐证", "evidence", 40), Column("销号日期", "closed_on", 12),
    )
