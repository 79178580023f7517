"""Dues API: assessments, bills, arrears cases and payments (read-only, the caller's scope; a
member's token sees only their own rows), and assessing a member and recording a payment
through the same services as their screens, exactly once per ``Idempotency-Key`` (SECURITY.md
REL-02)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from dangjian.core.api.idempotency import HEADER, idempotent
from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.core.scoping import within_scope
from dangjian.dues import rules, services
from dangjian.dues.api.serializers import (
    ArrearsCaseSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    BillSerializer,
    PaymentCreateSerializer,
    PaymentSerializer,
)
from dangjian.dues.filtersets import AssessmentFilterSet, BillFilterSet, CaseFilterSet, PaymentFilterSet
from dangjian.dues.models import (
    ArrearsCase,
    DuesAllocation,
    DuesAssessment,
    DuesBill,
    DuesPayment,
    FixedDuesAmount,
    PayItem,
)
from dangjian.members.models import Member

READ_ONLY = ["get", "head", "options"]


ErrorSerializer = inline_serializer("DuesPaymentError", fields={
    "code": serializers.CharField(),
    "detail": serializers.CharField(),
    "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
})


class IdempotencyKeyRequired(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_required"


def dues_members(user: Any) -> Any:
    """Active members the caller may write dues for."""
    return within_scope(Member.objects.visible_to(user, "view").filter(is_active=True), user, "dues", "add")


def require_key(request: Request, message: str) -> str:
    """The request's Idempotency-Key (money is written once per key), else 400 with ``message``."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise IdempotencyKeyRequired(message)
    return key


def _assessments() -> Any:
    return DuesAssessment.objects.select_related("member").prefetch_related(  # scope-ok: ScopedModelViewSet
        "components__item")


@extend_schema_view(
    create=extend_schema(
        request=AssessmentCreateSerializer,
        parameters=[OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                                     description="唯一的请求键：重试时使用同一个键，只核定一次")],
        responses={
            201: OpenApiResponse(AssessmentSerializer, description="assessed (or replayed for the same key)"),
            400: OpenApiResponse(ErrorSerializer, description="missing Idempotency-Key, invalid data or a dues rule"),
            404: OpenApiResponse(ErrorSerializer, description="member outside your dues scope"),
            409: OpenApiResponse(ErrorSerializer, description="the same key is still being processed"),
            422: OpenApiResponse(ErrorSerializer, description="the key was used with another payload"),
        },
    ),
)
class AssessmentViewSet(ScopedModelViewSet):
    """Assessments are listed read-only; ``POST`` assesses (or re-assesses mid-year) through the
    dues service, like the assessment screen; there is no edit: a correction is a re-assessment."""

    queryset = _assessments()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_key(request, gettext(
            "Assessing dues needs an Idempotency-Key header: a new unique key for each assessment, "
            "the same key when you retry it."))
        return idempotent(request, lambda: self._assess(request))

    def _assess(self, request: Request) -> Response:
        form = AssessmentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = request.user
        member = dues_members(user).filter(pk=data["member"]).first()
        if member is None:
            raise exceptions.NotFound(gettext("Not found."))
        wanted = [row["item"] for row in data["components"]]
        items = PayItem.objects.visible_to(user, "view").filter(is_active=True).in_bulk(wanted)
        if set(items) != set(wanted):
            raise exceptions.ValidationError({"components": [gettext("Not found.")]})
        fixed = None
        if data.get("fixed"):
            fixed = FixedDuesAmount.objects.visible_to(user, "view").filter(pk=data["fixed"]).first()
            if fixed is None:
                raise exceptions.ValidationError({"fixed": [gettext("Not found.")]})
        assessment = services.assess_member(  # a RuleError answers 400 through the core exception handler
            actor=user, member=member, year=data["year"], kind=data["kind"],
            components=[services.ComponentInput(items[row["item"]], row["amount"]) for row in data["components"]],
            fixed=fixed, fixed_amount=data.get("fixed_amount"), effective_month=data.get("effective_month"),
            reason=data["reason"], note=data["note"],
        )
        return Response(AssessmentSerializer(_assessments().get(pk=assessment.pk),
                                             context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class BillViewSet(ScopedModelViewSet):
    # grouped by the paid sum: Meta.ordering does not apply, so it is repeated here
    queryset = rules.with_paid(DuesBill.objects.select_related("member")).order_by(  # scope-ok: ScopedModelViewSet
        "-month", "org__path", "member__name", "id")
    serializer_class = BillSerializer
    filterset_class = BillFilterSet
    http_method_names = READ_ONLY


class ArrearsCaseViewSet(ScopedModelViewSet):
    queryset = ArrearsCase.objects.select_related("member")
    serializer_class = ArrearsCaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = READ_ONLY


def _payments() -> Any:
    allocations = DuesAllocation.objects.select_related("bill").order_by("bill__month", "id")  # scope-ok: prefetch
    return DuesPayment.objects.select_related("member").prefetch_related(  # scope-ok: ScopedModelViewSet
        Prefetch("allocations", queryset=allocations))


@extend_schema_view(
    create=extend_schema(
        request=PaymentCreateSerializer,
        parameters=[OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                                     description="唯一的请求键：重试时使用同一个键，只记录一次")],
        responses={
            201: OpenApiResponse(PaymentSerializer, description="recorded (or replayed for the same key)"),
            400: OpenApiResponse(ErrorSerializer, description="missing Idempotency-Key, or invalid data"),
            404: OpenApiResponse(ErrorSerializer, description="member outside your dues scope"),
            422: OpenApiResponse(ErrorSerializer, description="the key was used with another payload"),
        },
    ),
)
class PaymentViewSet(ScopedModelViewSet):
    """Payments are listed read-only; ``POST`` records one through the dues service."""

    queryset = _payments()
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require_key(request, gettext(
            "Recording a payment needs an Idempotency-Key header: a new unique key for each payment, "
            "the same key when you retry it."))
        return idempotent(request, lambda: self._record(request))

    def _record(self, request: Request) -> Response:
        form = PaymentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = request.user
        members = dues_members(user)
        member = members.filter(pk=data["member"]).first()
        if member is None:
            raise exceptions.NotFound(gettext("Not found."))
        collector = None
        if data.get("collector"):
            collector = members.filter(pk=data["collector"]).first()
            if collector is None:
                raise exceptions.ValidationError({"collector": [gettext("Not found.")]})
        months = [rules.month_start(m) for m in data.get("months") or []]
        bill_ids = data.get("bills") or []
        if bill_ids:
            bills = DuesBill.objects.visible_to(user, "view").filter(member=member, pk__in=bill_ids)
            found = {b.pk: b.month for b in bills}
            if set(found) != set(bill_ids):
                raise exceptions.ValidationError({"bills": [gettext("Not found.")]})
            months.extend(found.values())
        key = request.headers[HEADER].strip()
        token = "api-" + hashlib.sha256(f"{user.pk}:{key}".encode()).hexdigest()[:64]
        result = services.record_payment(  # a RuleError answers 400 through the core exception handler
            actor=user, member=member, amount=data["amount"], paid_on=data["paid_on"], method=data["method"],
            idempotency_key=token, months=sorted(set(months)) or None, arrangement=data["arrangement"],
            collector=collector, receipt_number=data["receipt_number"], proxy_payer=data["proxy_payer"],
            proxy_relation=data["proxy_relation"], back_payment_reason=data["back_payment_reason"],
            note=data["note"],
        )
        payment = _payments().get(pk=result.payment.pk)
        return Response(PaymentSerializer(payment, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
