"""The member endpoints of the versioned API (``/api/v1/me/…``): the member portal's cards for
app and WeChat clients. Each answer is the module's own portal read (``data(viewer, member)``,
``visible_to`` narrowed to the member), the same rows the portal shows; nothing is read here
around them. Check-in is ``POST /api/v1/meetings/checkin/`` (the QR code's token)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dangjian.core import context
from dangjian.core.scoping import get_scoped_or_404
from dangjian.members.models import Member
from dangjian.portal.api import serializers as s

NOT_A_MEMBER = OpenApiResponse(description="The caller has no party-member record (error shape)")


def own_member(request: Request) -> Member:
    member_id = getattr(request.user, "member_id", None)
    if not member_id:
        raise Http404
    member: Member = get_scoped_or_404(request.user, Member.objects.select_related("org"), "view",  # scope-ok: get_scoped_or_404
                                       pk=member_id)
    return member


class MemberView(APIView):
    """A GET of one portal read, serialized."""

    serializer: type[Any]
    read: Callable[[Any, Member], Any]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        context.with_user(request.user)

    def data(self, request: Request, member: Member) -> Any:
        return type(self).read(request.user, member)

    def get(self, request: Request) -> Response:
        return Response(self.serializer(self.data(request, own_member(request))).data)



class MyTasksView(MemberView):
    serializer = s.MyTasksSerializer

    @extend_schema(summary="My open to-dos", responses={200: s.MyTasksSerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from dangjian.notices import portal

        return portal.tasks(request.user, member)


class MyNoticesView(MemberView):
    serializer = s.MyNoticesSerializer

    @extend_schema(summary="Announcements that reached me", responses={200: s.MyNoticesSerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from dangjian.notices import portal

        return portal.latest(request.user, member) or {"rows": [], "unread": 0}


class MyMeetingsView(MemberView):
    serializer = s.MyMeetingsSerializer

    @extend_schema(summary="My meetings: today, to come, my attendance record",
                   description="`can_check_in`: the check-in window is open (check in with the code shown at the "
                               "meeting, `POST /api/v1/meetings/checkin/`); `can_ask_leave`: a leave request "
                               "(`POST /api/v1/me/attendance/{id}/leave/`) is still possible.",
                   responses={200: s.MyMeetingsSerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from dangjian.meetings import portal

        today = portal.today(request.user, member) or {"rows": []}
        history = portal.history(request.user, member)
        return {"today": today["rows"], "upcoming": portal.upcoming(request.user, member)["rows"],
                "history": history["rows"], "history_counts": history["counts"]}


class MyLeaveView(APIView):
    """POST: ask leave from one of my meetings (the meetings service's rules)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        context.with_user(request.user)

    @extend_schema(summary="Ask leave from one of my meetings",
                   description="Only from my own attendance, before the meeting starts, with a reason; "
                               "another member's attendance is 404.",
                   request=s.MyLeaveRequestSerializer,
                   responses={200: s.MyLeaveResultSerializer, 400: OpenApiResponse(description="Refused (error shape)"),
                              404: OpenApiResponse(description="Not my attendance (error shape)")})
    def post(self, request: Request, pk: int) -> Response:
        from dangjian.meetings import services
        from dangjian.meetings.models import Attendance

        member = own_member(request)
        attendance = get_scoped_or_404(request.user, Attendance.objects.select_related("meeting"), "view", pk=pk)  # scope-ok: get_scoped_or_404
        if attendance.member_id != member.pk:
            raise Http404
        data = s.MyLeaveRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = services.request_leave(actor=request.user, attendance=attendance,
                                            reason=data.validated_data["reason"])
        return Response(s.MyLeaveResultSerializer(attendance).data)


class MyPointsView(MemberView):
    serializer = s.MyPointsSerializer

    @extend_schema(summary="My points this year, every entry with its reason",
                   responses={200: s.MyPointsSerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from dangjian.points import portal

        return portal.mine(request.user, member)


class MyDuesView(MemberView):
    serializer = s.MyDuesSerializer

    @extend_schema(summary="My dues: bills, payments with receipt numbers, online orders",
                   description="`payable_online`: the month can be paid online (the portal's form; the amount is "
                               "always what the bill still owes). `receipt_url`: the order's electronic receipt.",
                   responses={200: s.MyDuesSerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from dangjian.dues import portal

        data = portal.mine(request.user, member)
        bills = [{"id": b.pk, "month": b.month, "amount_due": b.amount_due, "paid": b.paid, "due_on": b.due_on,
                  "state": state.value, "payable_online": payable} for b, state, payable in data["bills"]]
        return {**data, "bills": bills}


class MyStudyView(MemberView):
    serializer = s.MyStudySerializer

    @extend_schema(summary="My courses and tests", responses={200: s.MyStudySerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from dangjian.study import portal

        data = portal.mine(request.user, member)
        tests = [{"id": e.pk, "title": e.title, "opens_at": e.opens_at, "closes_at": e.closes_at,
                  "taken": bool(a and a.submitted_at), "percent": a.percent if a and a.submitted_at else None}
                 for e, a in data["exams"]]
        courses = [{"id": c.pk, "title": c.title, "hours": c.hours, "required_by": c.required_by,
                    "completed_on": done.completed_on if done else None} for c, done in data["courses"]]
        return {"hours": data["hours"], "tests": tests, "courses": courses, "results": data["recent"]}


class MySolicitationsView(MemberView):
    serializer = s.MySolicitationsSerializer

    @extend_schema(summary="Opinion solicitations open to me",
                   responses={200: s.MySolicitationsSerializer, 404: NOT_A_MEMBER})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def data(self, request: Request, member: Member) -> Any:
        from urllib.parse import quote

        from dangjian.meetings import portal

        data = portal.solicitations(request.user, member) or {"rows": []}
        form = reverse("meetings:opinion_form")
        for row in data["rows"]:
            row.opinion_url = f"{form}?t={quote(row.token)}"
        return data
