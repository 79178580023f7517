"""Check-in (签到) by a one-time code."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core.links import absolute_url
from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus
from dangjian.meetings.models import (
    Attendance,
    Meeting,
)
from dangjian.meetings.views.screens import checkin_path
from dangjian.meetings.views.workflow import _meeting_for_change


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
        # The phone's offline queue sends its client-generated key: a key answered once is
        # answered again from the record of that answer, never checked in a second time (the
        # service itself is idempotent too: a present attendance stays as it was).
        key = (request.POST.get("key") or "")[:64]
        seen_key = f"meetings:checkin:{request.user.pk}:{meeting.pk}:{key}" if key else ""
        seen = cache.get(seen_key) if seen_key else None
        if seen:
            result = services.CheckinResult(seen)
        else:
            result, attendance = services.check_in(user=request.user, meeting=meeting)
            if seen_key:
                cache.set(seen_key, result.value, 7 * 86400)
        level, text = services.CHECKIN_MESSAGES[result]
        ctx.update(result=result.value, level=level, text=text, attendance=attendance)
        status = 403 if result == services.CheckinResult.NOT_EXPECTED else 200
        if request.headers.get("X-Queued-Replay"):
            return JsonResponse({"result": result.value, "message": str(text), "replayed": bool(seen)}, status=status)
    elif attendance is None:
        level, text = services.CHECKIN_MESSAGES[services.CheckinResult.NOT_EXPECTED]
        ctx.update(result="not_expected", level=level, text=text)
    elif attendance.status == AttendanceStatus.PRESENT:
        level, text = services.CHECKIN_MESSAGES[services.CheckinResult.ALREADY]
        ctx.update(result="already", level=level, text=text)
    return render(request, "meetings/checkin.html", ctx, status=status)
