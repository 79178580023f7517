"""Screens of organizational life: the generic declarations, plus the attendance grid,
check-in, the calendar, the compliance matrix and the solicitation form (the inbox sections
are in inbox.py, shown by the core's inbox page).

Every custom view reads through ``visible_to`` / ``get_scoped_or_404`` and answers 404 outside
the user's scope. The two token pages (check-in, opinion form) find their row by an
unguessable token; holding the token is what lets a signed-in user reach them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from typing import Any

import segno
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import attachments
from dangjian.core.errors import RuleError, as_message, on_form
from dangjian.core.excel import Column
from dangjian.core.links import absolute_url
from dangjian.core.periods import add_months, month_end
from dangjian.core.scoping import chosen_subtree, get_scoped_or_404
from dangjian.core.views import ModelViews, Related, can
from dangjian.meetings import rules, services
from dangjian.meetings.choices import AttendanceStatus, ComplianceStatus, LeaveStatus, MeetingStatus
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
    AddAttendeeForm,
    AgendaItemForm,
    AmendmentForm,
    AttachmentForm,
    CollateForm,
    CriticismForm,
    LeaveForm,
    MeetingForm,
    MeetingKindForm,
    MeetingRulesForm,
    OpinionForm,
    ReasonForm,
    RecordedOpinionForm,
    RectificationForm,
    RequirementForm,
    SolicitationForm,
    TalkForm,
    attendance_choices,
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
from dangjian.orgs.models import Organization

# --- Generic screens -------------------------------------------------------------------------------


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
    detail_fields = ("code", "name", "attendee_source", "quorum", "quorum_voting_only", "is_democratic_life",
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
                     "due_days_before_end", "remind_days", "source")


class MeetingRulesViews(ModelViews):
    model = MeetingRules
    name = "settings"
    namespace = "meetings"
    table = MeetingRulesTable
    form = MeetingRulesForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("year", "checkin_minutes_before", "checkin_minutes_after_end", "reminder_days",
                     "committee_min_members", "attachment_max_mb", "attachment_types")


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


# --- Meeting workflow: attendance grid, leave, confirmation, amendment, attachments -------------------


def _meeting_for_change(request: HttpRequest, pk: int) -> Meeting:
    return get_scoped_or_404(request.user, Meeting.objects.select_related("org", "kind"), "change", pk=pk)  # type: ignore[no-any-return]  # scope-ok: get_scoped_or_404


def _redirect(meeting: Meeting) -> HttpResponseRedirect:
    return HttpResponseRedirect(MeetingViews.url("detail", meeting))


@require_http_methods(["GET", "POST"])
def attendance_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The organizer's grid: every expected attendee with present / excused / absent."""
    meeting = _meeting_for_change(request, pk)
    rows = list(Attendance.objects.visible_to(request.user, "change").filter(meeting=meeting)
                .select_related("member").order_by("-expected", "member__name"))
    status = 200
    if request.method == "POST":
        statuses = {a.pk: request.POST.get(f"status-{a.pk}", "") for a in rows if a.expected}
        with as_message(request):
            changed = services.record_attendance(actor=request.user, meeting=meeting, statuses=statuses)
            messages.success(request, gettext("Attendance saved (%(n)d changed).") % {"n": len(changed)})
            return HttpResponseRedirect(reverse("meetings:attendance_grid", args=[meeting.pk]))
        status = 400  # reached only when the service refused
    counts = Meeting.objects.filter(pk=meeting.pk).visible_to(request.user, "view").aggregate(**rules.attendance_counts())
    return render(request, "meetings/attendance_grid.html", {
        "meeting": meeting, "rows": rows, "choices": attendance_choices(),
        "quorum": rules.quorum_state(meeting.kind, counts), "locked": meeting.is_locked,
        "add_form": AddAttendeeForm(user=request.user), "reason_form": ReasonForm(),
    }, status=status)


@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_change(request, pk)
    form = AddAttendeeForm(request.POST, user=request.user)
    if form.is_valid():
        with as_message(request):
            services.add_attendee(actor=request.user, meeting=meeting, member=form.cleaned_data["member"],
                                  reason=form.cleaned_data["reason"])
            messages.success(request, gettext("Attendee added."))
    else:
        messages.error(request, gettext("Choose a member and give the reason."))
    return HttpResponseRedirect(reverse("meetings:attendance_grid", args=[meeting.pk]))


@require_POST
def attendee_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_scoped_or_404(request.user, Attendance.objects.select_related("meeting"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    form = ReasonForm(request.POST)
    with as_message(request):
        if not form.is_valid():
            raise RuleError(gettext("Give the reason for changing the expected attendees."), field="reason")
        services.exclude_attendee(actor=request.user, attendance=attendance, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("Excluded from the expected attendees."))
    return HttpResponseRedirect(reverse("meetings:attendance_grid", args=[attendance.meeting_id]))


@require_POST
def leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A member asks for leave from their own attendance (or the organizer records it for them)."""
    attendance = get_scoped_or_404(request.user, Attendance.objects.select_related("meeting"), "view", pk=pk)
    own = attendance.member_id == getattr(request.user, "member_id", None)
    if not own and not Attendance.objects.filter(pk=pk).visible_to(request.user, "change").exists():
        raise Http404
    form = LeaveForm(request.POST)
    with as_message(request):
        if not form.is_valid():
            raise RuleError(gettext("Give the reason for the leave."), field="reason")
        services.request_leave(actor=request.user, attendance=attendance, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("Leave requested; the organizer will decide."))
    return HttpResponseRedirect(AttendanceViews.url("detail", attendance))


@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_scoped_or_404(request.user, Attendance.objects.select_related("meeting"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    with as_message(request):
        services.decide_leave(actor=request.user, attendance=attendance, approve=request.POST.get("approve") == "1")
        messages.success(request, gettext("Leave decided."))
    return HttpResponseRedirect(AttendanceViews.url("detail", attendance))


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_change(request, pk)
    with as_message(request):
        services.confirm_meeting(actor=request.user, meeting=meeting)
        messages.success(request, gettext("Meeting confirmed; its record is now locked."))
    return _redirect(meeting)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_change(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with as_message(request):
            services.cancel_meeting(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
            messages.success(request, gettext("Meeting cancelled."))
        return _redirect(meeting)
    return render(request, "meetings/reason_form.html", {
        "meeting": meeting, "form": form, "title": gettext("Cancel the meeting"),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a confirmed meeting: fields and attendance, with the reason (audited)."""
    meeting = _meeting_for_change(request, pk)
    if meeting.status != MeetingStatus.CONFIRMED:
        return _redirect(meeting)
    rows = list(meeting.attendances.filter(expected=True).select_related("member").order_by("member__name"))
    form = AmendmentForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        attendance = {a.pk: request.POST.get(f"status-{a.pk}", a.status) for a in rows}
        with on_form(form):
            services.amend_meeting(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"],
                                   changes=form.changes(), attendance=attendance)
            messages.success(request, gettext("Amendment recorded."))
            return _redirect(meeting)
    return render(request, "meetings/amend.html", {
        "meeting": meeting, "form": form, "rows": rows, "choices": attendance_choices(),
    }, status=400 if form.errors else 200)


@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_change(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with as_message(request):
            with transaction.atomic():
                services.add_attachment(actor=request.user, meeting=meeting, upload=form.cleaned_data["file"])
            messages.success(request, gettext("Attachment uploaded."))
    else:
        messages.error(request, gettext("Choose a file."))
    return _redirect(meeting)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment only to users who may see its meeting (never from a public URL)."""
    return attachments.serve(request, MeetingAttachment, pk)


# --- Check-in (签到) --------------------------------------------------------------------------------


def checkin_path(meeting: Meeting) -> str:
    return reverse("meetings:checkin") + f"?t={meeting.checkin_token}"


def _qr(request: HttpRequest, pk: int) -> segno.QRCode:
    meeting = _meeting_for_change(request, pk)  # organizers only: a member must not check in from afar
    return segno.make(absolute_url(request, checkin_path(meeting)), error="m")


@require_GET
def qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    buffer = io.BytesIO()
    _qr(request, pk).save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
                         title=gettext("Meeting check-in"))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
def qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    buffer = io.BytesIO()
    _qr(request, pk).save(buffer, kind="png", scale=10, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    """The page the QR code opens on a phone. GET shows the meeting and a confirm button;
    only POST checks in (no state change on GET). Login first if needed: ?next= returns here."""
    token = (request.GET.get("t") or "").strip()
    meeting = (Meeting.objects.select_related("org", "kind").filter(checkin_token=token).first()  # scope-ok: the unguessable token is the grant
               if token else None)
    if meeting is None:
        return render(request, "meetings/checkin.html", {"invalid": True}, status=404)
    attendance = Attendance.objects.filter(  # scope-ok: the user's own row of this meeting
        meeting=meeting, member_id=getattr(request.user, "member_id", None) or 0, expected=True).first()
    opens, closes = meeting.checkin_window(services.checkin_rules(meeting))
    ctx: dict[str, Any] = {"meeting": meeting, "attendance": attendance, "opens": opens, "closes": closes,
                           "token": token}
    status = 200
    if request.method == "POST":
        result, attendance = services.check_in(user=request.user, meeting=meeting)
        level, text = services.CHECKIN_MESSAGES[result]
        ctx.update(result=result.value, level=level, text=text, attendance=attendance)
        status = 403 if result == services.CheckinResult.NOT_EXPECTED else 200
    elif attendance is None:
        level, text = services.CHECKIN_MESSAGES[services.CheckinResult.NOT_EXPECTED]
        ctx.update(result="not_expected", level=level, text=text)
    elif attendance.status == AttendanceStatus.PRESENT:
        level, text = services.CHECKIN_MESSAGES[services.CheckinResult.ALREADY]
        ctx.update(result="already", level=level, text=text)
    return render(request, "meetings/checkin.html", ctx, status=status)


# --- Calendar ------------------------------------------------------------------------------------------


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in (value or "").split("-", 1))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """A month of meetings of the user's organizations (optionally one subtree)."""
    if not can(request.user, Meeting, "view"):
        raise Http404
    first = _month(request.GET.get("month"))
    last = month_end(first)
    low, high = rules._local_bounds(first - dt.timedelta(days=7), last + dt.timedelta(days=7))
    meetings = (Meeting.objects.visible_to(request.user, "view").select_related("kind", "org")
                .filter(starts_at__gte=low, starts_at__lt=high).exclude(status=MeetingStatus.CANCELLED))
    _, org = chosen_subtree(request.user, Meeting.scope_area, _int(request.GET.get("org")))
    if org is not None:
        meetings = meetings.filter(org__path__startswith=org.path)
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings.order_by("starts_at"):
        by_day.setdefault(timezone.localdate(meeting.starts_at), []).append(meeting)
    weeks = [[(day, by_day.get(day, []), day.month == first.month) for day in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)]
    prev_month, next_month = add_months(first, -1), add_months(first, 1)
    return render(request, "meetings/calendar.html", {
        "weeks": weeks, "month": first, "org": org, "today": timezone.localdate(),
        "prev": f"{prev_month:%Y-%m}", "next": f"{next_month:%Y-%m}",
        "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        "can_add": can(request.user, Meeting, "add"),
    })


# --- Compliance matrix ---------------------------------------------------------------------------


def _compliance_paths(request: HttpRequest) -> tuple[list[str] | None, Organization | None]:
    """The organization paths the matrix covers: the chosen subtree, else the user's scope."""
    return chosen_subtree(request.user, Meeting.scope_area, _int(request.GET.get("org")))


#: Organizations per page of the matrix (the totals and the chart cover the whole subtree).
MATRIX_ROWS_PER_PAGE = 100


@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """Organizations x months (or quarters) x kinds for a subtree: done / due / overdue."""
    paths, org = _compliance_paths(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    granularity = "quarter" if request.GET.get("by") == "quarter" else "month"
    cols = rules.columns(year, granularity)
    items = rules.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths)
    grid = rules.matrix(items, cols)
    page = max(_int(request.GET.get("page")) or 1, 1)
    pages = max((len(grid.rows) + MATRIX_ROWS_PER_PAGE - 1) // MATRIX_ROWS_PER_PAGE, 1)
    page = min(page, pages)
    grid.rows = grid.rows[(page - 1) * MATRIX_ROWS_PER_PAGE: page * MATRIX_ROWS_PER_PAGE]
    chart = {
        "kinds": list(grid.by_kind),
        "done": [t.done for t in grid.by_kind.values()],
        "due": [t.due for t in grid.by_kind.values()],
        "overdue": [t.overdue for t in grid.by_kind.values()],
        "labels": {"done": str(ComplianceStatus.DONE.label), "due": str(ComplianceStatus.DUE.label),
                   "overdue": str(ComplianceStatus.OVERDUE.label)},
    }
    return render(request, "meetings/compliance.html", {
        "grid": grid, "year": year, "granularity": granularity, "org": org, "chart": chart, "today": today,
        "page": page, "pages": pages, "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "years": list(range(today.year - 3, today.year + 2)),
        "meeting_list": reverse("meetings:meeting_list"), "meeting_add": reverse("meetings:meeting_add"),
        "can_add": can(request.user, Meeting, "add"),
    })


# --- Democratic life meeting: the opinion form and the published agenda ------------------------------


@require_http_methods(["GET", "POST"])
def opinion_form(request: HttpRequest) -> HttpResponse:
    """The solicitation's form, reached by its link (members and non-member police of the unit)."""
    token = (request.GET.get("t") or "").strip()
    solicitation = (Solicitation.objects.select_related("org").filter(token=token).first()  # scope-ok: the unguessable token is the grant
                    if token else None)
    if solicitation is None:
        raise Http404
    form = OpinionForm(request.POST or None, solicitation=solicitation)
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            services.submit_opinion(user=request.user, solicitation=solicitation,
                                    content=form.cleaned_data["content"], topic=form.cleaned_data["topic"],
                                    anonymous=bool(form.cleaned_data.get("anonymous")))
            return render(request, "meetings/opinion_thanks.html", {"solicitation": solicitation})
    return render(request, "meetings/opinion_form.html", {
        "solicitation": solicitation, "form": form, "is_open": solicitation.is_open(),
    }, status=400 if form.errors else 200)


@require_GET
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The published agenda of a democratic life meeting, for the unit's members."""
    solicitation = get_scoped_or_404(request.user, Solicitation.objects.select_related("org"), "view", pk=pk)  # scope-ok: get_scoped_or_404
    if solicitation.agenda_published_on is None:
        raise Http404
    items = solicitation.agenda_items.order_by("order", "id")  # published: every member of the unit may read it
    return render(request, "meetings/agenda.html", {"solicitation": solicitation, "items": items})


@require_POST
def agenda_publish(request: HttpRequest, pk: int) -> HttpResponse:
    solicitation = get_scoped_or_404(request.user, Solicitation, "change", pk=pk)
    with as_message(request):
        services.publish_agenda(actor=request.user, solicitation=solicitation)
        messages.success(request, gettext("Agenda published to the members."))
    return HttpResponseRedirect(SolicitationViews.url("detail", solicitation))
