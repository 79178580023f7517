"""Meetings API: meetings (plan, record, confirm; amendments stay on the screens for now),
check-in by the QR token, attendance (read-only; a member's token sees only their own rows) and
the compliance of a subtree (the matrix's engine, ``rules.obligations``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import context
from dangjian.core.api.exceptions import Conflict
from dangjian.core.api.idempotency import idempotent
from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.core.scoping import get_scoped_or_404
from dangjian.meetings import rules, services
from dangjian.meetings.api.serializers import (
    AttendanceSerializer,
    CheckinRequestSerializer,
    CheckinResultSerializer,
    ComplianceQuerySerializer,
    ComplianceSerializer,
    MeetingSerializer,
)
from dangjian.meetings.filtersets import AttendanceFilterSet, MeetingFilterSet
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.views import CHECKIN_MESSAGES, compliance_scope

ERRORS = {
    400: OpenApiResponse(description="Invalid request (error shape)"),
    403: OpenApiResponse(description="Refused (error shape)"),
    404: OpenApiResponse(description="Not found or outside the caller's organizations (error shape)"),
    409: OpenApiResponse(description="Conflict (error shape)"),
}


class MeetingViewSet(ScopedModelViewSet):
    """Meetings are cancelled or amended, never deleted."""

    queryset = Meeting.objects.select_related("org", "kind")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        summary="Check in to a meeting with its QR token",
        description="The same rules as the check-in screen: only an expected attendee, only inside the "
                    "check-in window; a second scan answers `already` and changes nothing. A caller not on the "
                    "attendee list gets 403 (`not_expected`); before the window opens or after it closes, 409 "
                    "(`not_open_yet` / `closed`); an unknown token, 404.",
        request=CheckinRequestSerializer,
        responses={200: CheckinResultSerializer, **{k: ERRORS[k] for k in (400, 403, 404, 409)}},
    )
    @action(detail=False, methods=["post"], url_path="checkin")
    def checkin(self, request: Request) -> Response:
        data = CheckinRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = data.validated_data["token"].strip()
        meeting = (Meeting.objects.select_related("org", "kind")  # scope-ok: the unguessable token is the grant
                   .filter(checkin_token=token).first() if token else None)
        if meeting is None:
            raise exceptions.NotFound(_("Not found."))
        result, attendance = services.check_in(user=request.user, meeting=meeting)
        text = str(CHECKIN_MESSAGES[result][1])
        if result == services.CheckinResult.NOT_EXPECTED:
            raise exceptions.PermissionDenied(text, code=result.value)
        if result in (services.CheckinResult.NOT_OPEN_YET, services.CheckinResult.CLOSED):
            raise Conflict(text, code=result.value)
        assert attendance is not None  # noqa: S101  (checked in or already: the row exists)
        return Response(CheckinResultSerializer({
            "result": result.value, "detail": text, "meeting": meeting.pk, "attendance": attendance.pk,
            "checked_in_at": attendance.checked_in_at,
        }).data)

    @extend_schema(
        summary="Confirm a recorded meeting",
        description="Locks its record and makes it count for compliance (minutes entered, everyone's attendance "
                    "recorded, the meeting started). Needs the right to change the meeting.",
        request=None,
        responses={200: MeetingSerializer, **{k: ERRORS[k] for k in (400, 404)}},
    )
    @action(detail=True, methods=["post"], url_path="confirm")
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        def run() -> Response:
            meetings = Meeting.objects.select_related("org", "kind")  # scope-ok: narrowed by get_scoped_or_404
            meeting = get_scoped_or_404(request.user, meetings, "change", pk=pk)
            services.confirm_meeting(actor=request.user, meeting=meeting)
            return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

        return idempotent(request, run)


class AttendanceViewSet(ScopedModelViewSet):
    queryset = Attendance.objects.select_related("member", "meeting", "meeting__kind")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    http_method_names = ["get", "head", "options"]


class ComplianceView(APIView):
    """Obligations of organizational life for a subtree and a year (``rules.obligations``)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        context.with_user(request.user)

    @extend_schema(
        summary="Compliance of a subtree for a year",
        description="Per organization, meeting kind and period: done / due / overdue and the meetings that "
                    "satisfy it, with the totals and the compliance rate (the compliance matrix's figures). "
                    "`org` must be visible to the caller, else 404.",
        parameters=[ComplianceQuerySerializer],
        responses={200: ComplianceSerializer, **{k: ERRORS[k] for k in (400, 404)}},
    )
    def get(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        paths, org = compliance_scope(request.user, params.get("org"))
        today = timezone.localdate()
        year = params.get("year") or today.year
        cols = rules.columns(year, params["period"])
        items = rules.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths)
        tally = rules.Tally()
        rows = []
        for ob in items:
            tally.add(ob.status)
            column = next((c.key for c in cols if c.start <= ob.period.end <= c.end), ob.period.key)
            rows.append({
                "org": ob.org_id, "org_name": ob.org_name, "kind": ob.kind.pk, "kind_code": ob.kind.code,
                "kind_name": ob.kind.name, "period": ob.period.key, "period_start": ob.period.start,
                "period_end": ob.period.end, "column": column, "due_on": ob.due_on, "needed": ob.needed,
                "status": str(ob.status), "meetings": [m.id for m in ob.meetings],
                "meetings_without_quorum": [m.id for m in ob.without_quorum],
            })
        return Response(ComplianceSerializer({
            "org": org.pk if org else None, "year": year, "period": params["period"], "done": tally.done,
            "due": tally.due, "overdue": tally.overdue, "rate": tally.rate, "obligations": rows,
        }).data)
