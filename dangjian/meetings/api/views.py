"""Meetings API: meetings (plan and record; confirmation and amendments stay on the screens for
now) and attendance (read-only; a member's token sees only their own rows)."""

from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.meetings.api.serializers import AttendanceSerializer, MeetingSerializer
from dangjian.meetings.filtersets import AttendanceFilterSet, MeetingFilterSet
from dangjian.meetings.models import Attendance, Meeting


class MeetingViewSet(ScopedModelViewSet):
    """Meetings are cancelled or amended, never deleted."""

    queryset = Meeting.objects.select_related("org", "kind")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]


class AttendanceViewSet(ScopedModelViewSet):
    queryset = Attendance.objects.select_related("member", "meeting", "meeting__kind")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    http_method_names = ["get", "head", "options"]
