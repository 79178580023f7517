"""Serializers of the meetings API (explicit fields; relations narrowed to the caller's scope)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from dangjian.core.api.serializers import ScopedModelSerializer
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting


class MeetingSerializer(ScopedModelSerializer):
    """A meeting; ``status`` moves only through the workflow (record, confirm, amend)."""

    kind_name = serializers.CharField(source="kind.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Meeting
        fields = ("id", "display", "org", "org_name", "kind", "kind_name", "topic", "starts_at", "ends_at", "place",
                  "host", "recorder", "minutes", "status", "confirmed_at", "version")
        read_only_fields = ("status", "confirmed_at", "version")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and self.instance.is_locked:
            raise serializers.ValidationError(
                _("This meeting is confirmed or cancelled; correct it by an amendment with a reason."))
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": _("The end must be after the start.")})
        return attrs

    def save(self, **kwargs: Any) -> Meeting:
        meeting: Meeting = super().save(**kwargs)
        user = self.context["request"].user
        services.mark_recorded(actor=user, meeting=meeting)
        services.sync_expected(actor=user, meeting=meeting)
        return meeting


class AttendanceSerializer(ScopedModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    checkin_method = serializers.CharField(read_only=True, help_text="qr / manual, empty when not checked in")

    class Meta:
        model = Attendance
        fields = ("id", "display", "meeting", "member", "member_name", "expected", "status", "checked_in_at",
                  "checkin_method", "leave_status", "leave_reason", "version")
        read_only_fields = fields
