"""Meetings API: meetings (plan, record, confirm, record attendance, amend, cancel: each
through the same service as its screen), check-in by the QR token, attendance (read-only; a
member's token sees only their own rows) and the compliance of a subtree (the matrix's
engine, ``rules.obligations``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import context
from dangjian.core.api.exceptions import Conflict, PreconditionFailed
from dangjian.core.api.idempotency import idempotent
from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.core.scoping import chosen_subtree, get_scoped_or_404
from dangjian.meetings import aggregates, rules, services, stored
from dangjian.meetings.api.serializers import (
    AmendmentSerializer,
    AttendanceRecordResultSerializer,
    AttendanceRecordSerializer,
    AttendanceSerializer,
    CancelSerializer,
    CheckinRequestSerializer,
    CheckinResultSerializer,
    ComplianceQuerySerializer,
    ComplianceSerializer,
    MeetingSerializer,
)
from dangjian.meetings.filtersets import AttendanceFilterSet, MeetingFilterSet
from dangjian.meetings.models import Attendance, Meeting

ERRORS = {
    400: OpenApiResponse(description="Invalid request (error shape)"),
    403: OpenApiResponse(description="Refused (error shape)"),
    404: OpenApiResponse(description="Not found or outside the caller's organizations (error shape)"),
    409: OpenApiResponse(description="Conflict (error shape)"),
    412: OpenApiResponse(description="Changed since the caller loaded it (error shape)"),
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
            raise exceptions.NotFound(gettext("Not found."))
        result, attendance = services.check_in(user=request.user, meeting=meeting)
        text = str(services.CHECKIN_MESSAGES[result][1])
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

    # -- the workflow writes of the screens: attendance grid, amendment, cancellation -------------
    def _meeting_for_change(self, pk: str | None) -> Meeting:
        meetings = Meeting.objects.select_related("org", "kind")  # scope-ok: narrowed by get_scoped_or_404
        return get_scoped_or_404(self.request.user, meetings, "change", pk=pk)  # type: ignore[no-any-return]

    def _statuses(self, meeting: Meeting, entries: list[dict[str, Any]], field: str) -> dict[int, str]:
        """The submitted statuses by row, after locking the rows and checking each one's version.

        Only expected rows of this meeting that the caller may change are accepted (else 400
        on ``field``); a row changed since the caller loaded it answers 412 (REL-03).
        """
        ids = [entry["attendance"] for entry in entries]
        rows = {row.pk: row for row in Attendance.objects.visible_to(self.request.user, "change")
                .filter(meeting=meeting, expected=True, pk__in=ids).select_for_update(of=("self",))}
        unknown = [pk for pk in ids if pk not in rows]
        if unknown:
            raise exceptions.ValidationError({field: [
                gettext("No expected attendee of this meeting has the attendance id %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}]})
        stale = [rows[e["attendance"]] for e in entries if rows[e["attendance"]].version != e["version"]]
        if stale:
            raise PreconditionFailed(gettext("The attendance of %(names)s changed since you loaded it. Reload it.")
                                     % {"names": "、".join(row.member.name for row in stale)})
        return {entry["attendance"]: entry["status"] for entry in entries}

    def _attendance_of(self, meeting: Meeting) -> list[Attendance]:
        return list(Attendance.objects.visible_to(self.request.user, "view").filter(meeting=meeting)
                    .select_related("member", "meeting", "meeting__kind").order_by("-expected", "member__name"))

    @extend_schema(
        summary="Record the attendance of a meeting",
        description="The organizer's attendance grid: present / excused / absent per expected attendee, through "
                    "the same service as the screen (excused only with an approved leave; a confirmed or "
                    "cancelled meeting is refused). Each row carries the version it was loaded with: a row changed "
                    "since answers 412 and nothing is written. Answers the meeting's attendance rows.",
        request=AttendanceRecordSerializer,
        responses={200: AttendanceRecordResultSerializer, **{k: ERRORS[k] for k in (400, 404, 412)}},
    )
    @action(detail=True, methods=["post"], url_path="attendance")
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        def run() -> Response:
            meeting = self._meeting_for_change(pk)
            form = AttendanceRecordSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            with transaction.atomic():
                statuses = self._statuses(meeting, form.validated_data["statuses"], "statuses")
                changed = services.record_attendance(actor=request.user, meeting=meeting, statuses=statuses)
            return Response(AttendanceRecordResultSerializer({
                "changed": [row.pk for row in changed], "attendance": self._attendance_of(meeting),
            }, context=self.get_serializer_context()).data)

        return idempotent(request, run)

    @extend_schema(
        summary="Amend a confirmed meeting",
        description="Corrects the record of a confirmed meeting (the fields of the amendment screen and "
                    "attendance statuses) with the reason, through the same service as the screen: the amendment "
                    "keeps every before/after and the audit entries carry the reason. Send the meeting's version "
                    "in `If-Match` (412 when it changed since).",
        request=AmendmentSerializer,
        responses={200: MeetingSerializer, **{k: ERRORS[k] for k in (400, 404, 409, 412)}},
    )
    @action(detail=True, methods=["post"], url_path="amend")
    def amend(self, request: Request, pk: str | None = None) -> Response:
        def run() -> Response:
            meeting = self._meeting_for_change(pk)
            form = AmendmentSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            with transaction.atomic():
                self.check_version(meeting)
                attendance = self._statuses(meeting, form.validated_data.get("attendance", []), "attendance")
                services.amend_meeting(actor=request.user, meeting=meeting, reason=form.validated_data["reason"],
                                       changes=form.changes(), attendance=attendance)
            return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)

        return idempotent(request, run)

    @extend_schema(
        summary="Cancel a meeting",
        description="Cancels a meeting with the reason, through the same service as the screen (a confirmed "
                    "meeting is cancelled by an amendment, which reopens its obligation). Send the meeting's "
                    "version in `If-Match` (412 when it changed since).",
        request=CancelSerializer,
        responses={200: MeetingSerializer, **{k: ERRORS[k] for k in (400, 404, 409, 412)}},
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        def run() -> Response:
            meeting = self._meeting_for_change(pk)
            form = CancelSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            with transaction.atomic():
                self.check_version(meeting)
                services.cancel_meeting(actor=request.user, meeting=meeting, reason=form.validated_data["reason"])
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
                    "`org` must be visible to the caller, else 404. `as_of` judges the year as on that day.",
        parameters=[ComplianceQuerySerializer],
        responses={200: ComplianceSerializer, **{k: ERRORS[k] for k in (400, 404)}},
    )
    def get(self, request: Request) -> Response:
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        paths, org = chosen_subtree(request.user, Meeting.scope_area, params.get("org"))
        today = params.get("as_of") or timezone.localdate()
        year = params.get("year") or today.year
        cols = rules.columns(year, params["period"])
        items: Iterable[Any]
        if aggregates.is_stored(year):  # the stored rows read as they are, no engine objects built
            items = aggregates.lines(paths, year, today)
        else:
            items = stored.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=today, paths=paths)
        tally = rules.Tally()
        rows = []
        columns: dict[dt.date, str] = {}
        for ob in items:
            tally.add(ob.status)
            column = columns.get(ob.period.end)
            if column is None:
                column = columns[ob.period.end] = next((c.key for c in cols if c.start <= ob.period.end <= c.end),
                                                       ob.period.key)
            rows.append({
                "org": ob.org_id, "org_name": ob.org_name, "kind": ob.kind.pk, "kind_code": ob.kind.code,
                "kind_name": ob.kind.name, "period": ob.period.key, "period_start": ob.period.start,
                "period_end": ob.period.end, "column": column, "due_on": ob.due_on, "needed": ob.needed,
                "status": str(ob.status), "due_soon": ob.due_soon, "remind_on": ob.remind_on,
                "meetings": _ids(ob.meetings), "meetings_without_quorum": _ids(ob.without_quorum),
            })
        return Response(ComplianceSerializer({
            "org": org.pk if org else None, "year": year, "period": params["period"], "as_of": today, "done": tally.done,
            "due": tally.due, "overdue": tally.overdue, "rate": tally.rate, "obligations": rows,
        }).data)


def _ids(refs: list[Any]) -> list[int]:
    """Meeting ids of an obligation's evidence (the engine's references, or ids already)."""
    return [ref if isinstance(ref, int) else ref.id for ref in refs]
