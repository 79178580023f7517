"""The meeting workflow: attendance grid, leave, confirmation, amendment, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import attachments
from dangjian.core.attachments import AttachmentForm
from dangjian.core.errors import RuleError, as_message, on_form, text
from dangjian.core.scoping import get_scoped_or_404
from dangjian.meetings import rules, services
from dangjian.meetings.choices import MeetingStatus
from dangjian.meetings.forms import (
    AddAttendeeForm,
    AmendmentForm,
    LeaveForm,
    ReasonForm,
    attendance_choices,
)
from dangjian.meetings.models import (
    Attendance,
    Meeting,
    MeetingAttachment,
)
from dangjian.meetings.views.screens import AttendanceViews, MeetingViews


def _meeting_for_change(request: HttpRequest, pk: int) -> Meeting:
    return get_scoped_or_404(request.user, Meeting.objects.select_related("org", "kind"), "change", pk=pk)  # type: ignore[no-any-return]  # scope-ok: get_scoped_or_404


def _redirect(meeting: Meeting) -> HttpResponseRedirect:
    return HttpResponseRedirect(MeetingViews.url("detail", meeting))


@require_http_methods(["GET", "POST"])
def attendance_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The organizer's grid: every expected attendee with present / excused / absent.

    A refused save keeps every selection and leave reason entered and shows each refused
    row's message on that row (and linked from the top of the page)."""
    meeting = _meeting_for_change(request, pk)
    rows = list(Attendance.objects.visible_to(request.user, "change").filter(meeting=meeting)
                .select_related("member").order_by("-expected", "member__name"))
    status = 200
    selected = {a.pk: a.status for a in rows}
    reasons = {a.pk: a.leave_reason for a in rows}
    row_errors: dict[int, str] = {}
    if request.method == "POST":
        statuses = {a.pk: request.POST.get(f"status-{a.pk}", "") for a in rows if a.expected}
        leave_reasons = {a.pk: request.POST.get(f"leave-{a.pk}", "") for a in rows if a.expected}
        try:
            changed = services.record_attendance(actor=request.user, meeting=meeting, statuses=statuses,
                                                 leave_reasons=leave_reasons)
        except ValidationError as exc:
            by_key = {services.attendance_row_key(a.pk): a.pk for a in rows}
            for key, errors in getattr(exc, "error_dict", {}).items():
                if key in by_key:
                    row_errors[by_key[key]] = text(ValidationError(errors))
            if not row_errors:
                messages.error(request, text(exc))
            selected.update({k: v for k, v in statuses.items() if v})
            reasons.update(leave_reasons)
            status = 400
        else:
            messages.success(request, gettext("Attendance saved (%(n)d changed).") % {"n": len(changed)})
            return HttpResponseRedirect(reverse("meetings:attendance_grid", args=[meeting.pk]))
    counts = Meeting.objects.filter(pk=meeting.pk).visible_to(request.user, "view").aggregate(**rules.attendance_counts())
    officials = {meeting.host_id: gettext("host"), meeting.recorder_id: gettext("recorder")}
    grid = [{"a": a, "selected": selected.get(a.pk, ""), "reason": reasons.get(a.pk, ""),
             "error": row_errors.get(a.pk, ""), "role": officials.get(a.member_id, "")} for a in rows]
    return render(request, "meetings/attendance_grid.html", {
        "meeting": meeting, "grid": grid, "choices": attendance_choices(), "row_errors": row_errors,
        "counts": counts, "quorum": rules.quorum_state(meeting.kind, counts), "locked": meeting.is_locked,
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
    # the member portal sends its own page back (a path on this site only)
    back = request.POST.get("next") or ""
    if own and back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(AttendanceViews.url("detail", attendance))


@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_scoped_or_404(request.user, Attendance.objects.select_related("meeting"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    with as_message(request):
        services.decide_leave(actor=request.user, attendance=attendance, approve=request.POST.get("approve") == "1")
        messages.success(request, gettext("Leave decided."))
    return HttpResponseRedirect(AttendanceViews.url("detail", attendance))


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and lock: the GET shows what will be locked and asks; the POST confirms."""
    meeting = _meeting_for_change(request, pk)
    if meeting.is_locked:
        return _redirect(meeting)
    if request.method == "POST":
        with as_message(request):
            services.confirm_meeting(actor=request.user, meeting=meeting)
            messages.success(request, gettext("Meeting confirmed; its record is now locked."))
        return _redirect(meeting)
    counts = Meeting.objects.filter(pk=meeting.pk).visible_to(request.user, "view").aggregate(**rules.attendance_counts())
    return render(request, "meetings/confirm.html", {
        "meeting": meeting, "counts": counts, "quorum": rules.quorum_state(meeting.kind, counts),
    })


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
