"""Serializers of the meetings API (explicit fields; relations narrowed to the caller's scope)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers

from dangjian.core.api.serializers import IdField, ScopedModelSerializer
from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus, ComplianceStatus
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
                gettext("This meeting is confirmed or cancelled; correct it by an amendment with a reason."))
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": gettext("The end must be after the start.")})
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


# --- Attendance, amendment, cancellation -----------------------------------------------------


class AttendanceStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    attendance = serializers.IntegerField(help_text="id of an expected attendance row of this meeting")
    status = serializers.ChoiceField(choices=[c for c in AttendanceStatus.choices if c[0] != AttendanceStatus.PENDING])
    version = serializers.IntegerField(min_value=1, help_text="the row's version as you loaded it (else 412)")


class AttendanceRecordSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /meetings/{id}/attendance/``: the organizer's attendance grid (present / excused / absent)."""

    statuses = AttendanceStatusSerializer(many=True, allow_empty=False)

    def validate_statuses(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [row["attendance"] for row in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(gettext("Each attendance row may appear only once."))
        return value


class AttendanceRecordResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    changed = serializers.ListField(child=serializers.IntegerField(), help_text="ids of the rows that changed")
    attendance = AttendanceSerializer(many=True, help_text="every attendance row of the meeting after the write")


class AmendmentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /meetings/{id}/amend/``: correct a confirmed meeting (the fields of the amendment screen)."""

    reason = serializers.CharField(max_length=255)
    topic = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    minutes = serializers.CharField(required=False)
    attendance = AttendanceStatusSerializer(many=True, required=False,
                                            help_text="attendance statuses to correct (each with its row version)")

    def changes(self) -> dict[str, Any]:
        return {name: self.validated_data[name] for name in ("topic", "starts_at", "ends_at", "place", "minutes")
                if name in self.validated_data}


class CancelSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /meetings/{id}/cancel/``: a confirmed meeting is cancelled by amendment, keeping the reason."""

    reason = serializers.CharField(max_length=200)


# --- Check-in and confirmation ---------------------------------------------------------------


class CheckinRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(max_length=64, help_text="The check-in token of the meeting's QR code (?t=)")


class CheckinResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    result = serializers.ChoiceField(choices=[("checked_in", "checked_in"), ("already", "already")],
                                     help_text="checked_in, or already (a second scan changes nothing)")
    detail = serializers.CharField()
    meeting = serializers.IntegerField()
    attendance = serializers.IntegerField()
    checked_in_at = serializers.DateTimeField(allow_null=True)


# --- Compliance --------------------------------------------------------------------------------


class ComplianceQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    org = IdField(required=False, help_text="Root of the subtree (default: every organization the caller sees)")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Default: this year")
    period = serializers.ChoiceField(choices=[("month", "month"), ("quarter", "quarter")], default="month",
                                     help_text="The columns obligations are grouped in (``column``)")
    as_of = serializers.DateField(required=False, help_text="Judge the obligations as on this day (default: "
                                  "today; the default year is this day's year): due, due soon or overdue")


class ObligationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    org = serializers.IntegerField()
    org_name = serializers.CharField()
    kind = serializers.IntegerField()
    kind_code = serializers.CharField()
    kind_name = serializers.CharField()
    period = serializers.CharField(help_text="The obligation's own period: 2026-03, 2026Q1, 2026H1 or 2026")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    column = serializers.CharField(help_text="The month or quarter (per ``period``) the obligation ends in")
    due_on = serializers.DateField()
    needed = serializers.IntegerField(help_text="Meetings required in the period")
    status = serializers.ChoiceField(choices=ComplianceStatus.choices)
    due_soon = serializers.BooleanField(help_text="Still due and inside its reminder window (shown as due soon)")
    remind_on = serializers.DateField(help_text="The first day it is reminded of (DOMAIN.md 2.1)")
    meetings = serializers.ListField(child=serializers.IntegerField(),
                                     help_text="Confirmed meetings (quorum met) that satisfy it")
    meetings_without_quorum = serializers.ListField(child=serializers.IntegerField())


class ComplianceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    org = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    period = serializers.CharField()
    as_of = serializers.DateField()
    done = serializers.IntegerField()
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="done / (done + overdue); null when nothing is decided")
    obligations = ObligationSerializer(many=True)
