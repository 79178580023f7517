"""The member endpoints' answers: the portal cards' data (each module's own scoped read) as JSON."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class MyReminderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_on = serializers.DateField()


class MyTasksSerializer(serializers.Serializer):
    rows = MyReminderSerializer(many=True)


class MyNoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="announcement.pk")
    title = serializers.CharField(source="announcement.title")
    org = serializers.CharField(source="announcement.org.name")
    published_at = serializers.DateTimeField(source="announcement.published_at")
    pinned = serializers.BooleanField(source="announcement.pinned")
    read_at = serializers.DateTimeField(allow_null=True)


class MyNoticesSerializer(serializers.Serializer):
    rows = MyNoticeSerializer(many=True)
    unread = serializers.IntegerField()


class MyMeetingRowSerializer(serializers.Serializer):
    """One of my meetings with my attendance (``can_*``: what I may do now)."""

    attendance = serializers.IntegerField(source="a.pk")
    meeting = serializers.IntegerField(source="m.pk")
    topic = serializers.CharField(source="m.topic")
    kind = serializers.CharField(source="m.kind.name")
    org = serializers.CharField(source="m.org.name")
    place = serializers.CharField(source="m.place")
    starts_at = serializers.DateTimeField(source="m.starts_at")
    ends_at = serializers.DateTimeField(source="m.ends_at")
    status = serializers.CharField(source="a.status")
    checked_in_at = serializers.DateTimeField(source="a.checked_in_at", allow_null=True)
    leave_status = serializers.CharField(source="a.leave_status")
    leave_reason = serializers.CharField(source="a.leave_reason")
    checkin_opens = serializers.DateTimeField(source="opens")
    checkin_closes = serializers.DateTimeField(source="closes")
    can_check_in = serializers.BooleanField()
    can_ask_leave = serializers.BooleanField()


class MyPastMeetingSerializer(serializers.Serializer):
    attendance = serializers.IntegerField(source="pk")
    meeting = serializers.IntegerField(source="meeting.pk")
    topic = serializers.CharField(source="meeting.topic")
    kind = serializers.CharField(source="meeting.kind.name")
    starts_at = serializers.DateTimeField(source="meeting.starts_at")
    status = serializers.CharField()
    leave_status = serializers.CharField()


class MyCountsSerializer(serializers.Serializer):
    present = serializers.IntegerField()
    total = serializers.IntegerField()


class MyMeetingsSerializer(serializers.Serializer):
    today = MyMeetingRowSerializer(many=True)
    upcoming = MyMeetingRowSerializer(many=True)
    history = MyPastMeetingSerializer(many=True)
    history_counts = MyCountsSerializer()


class MyLeaveRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MyLeaveResultSerializer(serializers.Serializer):
    attendance = serializers.IntegerField(source="pk")
    leave_status = serializers.CharField()
    leave_reason = serializers.CharField()
    leave_requested_at = serializers.DateTimeField()


class MyPointEntrySerializer(serializers.Serializer):
    """One entry with its reason: the rule, the evidence, the note, the cap applied."""

    id = serializers.IntegerField(source="pk")
    month = serializers.DateField()
    points = serializers.IntegerField()
    rule_points = serializers.IntegerField()
    status = serializers.CharField()
    rule = serializers.CharField(source="rule.description")
    category = serializers.CharField(source="rule.category.name")
    rule_source = serializers.CharField(source="rule.source")
    evidence = serializers.CharField(source="evidence_label")
    note = serializers.CharField()
    capped_reason = serializers.CharField()


class MyPointsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    base = serializers.IntegerField(source="x.base")
    total = serializers.IntegerField(source="x.total")
    floor_adjustment = serializers.IntegerField(source="x.floor_adjustment")
    entries = MyPointEntrySerializer(many=True)


class MyBillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.DateField()
    amount_due = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid = serializers.DecimalField(max_digits=10, decimal_places=2)
    due_on = serializers.DateField()
    state = serializers.CharField()
    payable_online = serializers.BooleanField()


class MyAllocationSerializer(serializers.Serializer):
    month = serializers.DateField(source="bill.month")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class MyPaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    method = serializers.CharField()
    receipt_number = serializers.CharField()
    months = MyAllocationSerializer(source="allocations.all", many=True)


class MyOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    out_trade_no = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    receipt_url = serializers.SerializerMethodField()

    def get_receipt_url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("dues:order_detail", args=[obj.pk])


class MyDuesSerializer(serializers.Serializer):
    outstanding = serializers.DecimalField(max_digits=10, decimal_places=2)
    bills = MyBillSerializer(many=True)
    payments = MyPaymentSerializer(many=True)
    orders = MyOrderSerializer(many=True)


class MyExamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    taken = serializers.BooleanField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class MyCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    required_by = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)


class MyResultSerializer(serializers.Serializer):
    exam = serializers.CharField(source="exam.title")
    submitted_at = serializers.DateTimeField()
    score = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    max_score = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)


class MyStudySerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    tests = MyExamSerializer(many=True)
    courses = MyCourseSerializer(many=True)
    results = MyResultSerializer(many=True)


class MySolicitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    org = serializers.CharField(source="org.name")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    opinion_url = serializers.CharField()


class MySolicitationsSerializer(serializers.Serializer):
    rows = MySolicitationSerializer(many=True)
