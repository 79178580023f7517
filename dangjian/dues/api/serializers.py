"""Serializers of the dues API. Money is a Decimal serialized as a string with two decimals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.core.api.serializers import IdField, ScopedModelSerializer
from dangjian.dues import rules
from dangjian.dues.choices import Arrangement, DuesKind, PaymentMethod, PaymentState
from dangjian.dues.models import (
    ArrearsCase,
    DuesAllocation,
    DuesAssessment,
    DuesBaseComponent,
    DuesBill,
    DuesPayment,
)

CENT = Decimal("0.01")


def money_str(value: Decimal | None) -> str:
    return str((value or Decimal(0)).quantize(CENT))


def Money(**kwargs: Any) -> serializers.DecimalField:
    """A read-only money value: ``"12.30"`` (string, two decimals)."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, coerce_to_string=True, **kwargs)


class BaseComponentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = DuesBaseComponent
        fields = ("id", "item", "item_name", "amount", "treatment")
        read_only_fields = fields


class AssessmentSerializer(ScopedModelSerializer):
    """A yearly assessment (核定) with the base components it was computed from."""

    member_name = serializers.CharField(source="member.name", read_only=True)
    components = BaseComponentSerializer(many=True, read_only=True)

    class Meta:
        model = DuesAssessment
        fields = ("id", "display", "member", "member_name", "year", "effective_month", "kind", "standard", "band",
                  "auxiliary_standard", "auxiliary_band", "fixed_amount", "base", "rate_percent",
                  "unrounded_amount", "rounding", "capped", "monthly_amount", "is_reassessment", "reason",
                  "assessed_on", "note", "components", "version")
        read_only_fields = fields


class BillSerializer(ScopedModelSerializer):
    """A member's bill for one month, with what was paid towards it and what is still owed."""

    member_name = serializers.CharField(source="member.name", read_only=True)
    paid = Money(help_text="sum of the payments allocated to this month")
    outstanding = serializers.SerializerMethodField(help_text="amount due minus paid, never below 0.00")
    state = serializers.SerializerMethodField()

    class Meta:
        model = DuesBill
        fields = ("id", "display", "member", "member_name", "org", "month", "assessment", "relief", "amount_due",
                  "due_on", "paid", "outstanding", "state", "version")
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_outstanding(self, obj: DuesBill) -> str:
        return money_str(max(obj.amount_due - getattr(obj, "paid", Decimal(0)), Decimal(0)))

    @extend_schema_field(serializers.ChoiceField(choices=PaymentState.choices))
    def get_state(self, obj: DuesBill) -> str:
        return str(rules.bill_state(obj.amount_due, getattr(obj, "paid", Decimal(0))))


class ArrearsCaseSerializer(ScopedModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ArrearsCase
        fields = ("id", "display", "member", "member_name", "org", "opened_on", "first_unpaid_month",
                  "months_unpaid", "amount_outstanding", "status", "talk_on", "talk_by", "talk_record", "decision",
                  "decided_on", "decision_ref", "cleared_on", "version")
        read_only_fields = fields


class AllocationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    month = serializers.DateField(source="bill.month", read_only=True)

    class Meta:
        model = DuesAllocation
        fields = ("bill", "month", "amount")
        read_only_fields = fields


class PaymentSerializer(ScopedModelSerializer):
    """A recorded payment and the month bills it pays; ``unallocated`` is an over-payment."""

    member_name = serializers.CharField(source="member.name", read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)
    unallocated = serializers.SerializerMethodField(help_text="money not allocated to any month (over-payment)")
    is_proxy = serializers.BooleanField(read_only=True)

    class Meta:
        model = DuesPayment
        fields = ("id", "display", "member", "member_name", "org", "amount", "paid_on", "method", "arrangement",
                  "collector", "receipt_number", "is_proxy", "proxy_payer", "proxy_relation", "back_payment_reason",
                  "note", "allocations", "unallocated", "version")
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_unallocated(self, obj: DuesPayment) -> str:
        return money_str(obj.amount - sum((a.amount for a in obj.allocations.all()), Decimal(0)))


class PaymentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /dues/payments/``: recorded by the same service as the payment screen."""

    member = IdField(help_text="id of a member of a branch in your dues scope (else 404)")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=CENT, coerce_to_string=True,
                                      help_text='the money received, a decimal string such as "12.30"')
    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    arrangement = serializers.ChoiceField(choices=Arrangement.choices, default=Arrangement.MONTHLY,
                                          help_text="quarterly needs the branch's consent; late months become back")
    months = serializers.ListField(child=serializers.DateField(), required=False, allow_empty=True,
                                   help_text="months paid (any day of the month); empty: oldest unpaid first")
    bills = serializers.ListField(child=IdField(), required=False, allow_empty=True,
                                  help_text="ids of the member's bills paid (instead of, or with, months)")
    collector = IdField(required=False, allow_null=True, help_text="member who collected it")
    receipt_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    proxy_payer = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                        help_text="who paid on the member's behalf (代交)")
    proxy_relation = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    back_payment_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")



class ComponentInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    item = serializers.IntegerField(help_text="id of an active pay item (工资项目)")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0), coerce_to_string=True,
                                      help_text='the monthly amount of the item, a decimal string such as "4321.57"')


class AssessmentCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /dues/assessments/``: assessed by the same service as the assessment screen."""

    member = serializers.IntegerField(help_text="id of an active member of a branch in your dues scope (else 404)")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=DuesKind.choices)
    components = ComponentInputSerializer(many=True, required=False, default=list,
                                          help_text="the base: pay items and their monthly amounts")
    fixed = serializers.IntegerField(required=False, allow_null=True, help_text="id of a fixed dues amount (定额)")
    fixed_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True,
                                            coerce_to_string=True, help_text="the monthly amount within its range")
    effective_month = serializers.DateField(required=False, allow_null=True,
                                            help_text="only for a mid-year re-assessment or a later start")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                   help_text="required for a mid-year re-assessment")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_components(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items = [row["item"] for row in value]
        if len(items) != len(set(items)):
            raise serializers.ValidationError(gettext("Each pay item may appear only once."))
        return value
