"""The standard screens of the online payment rows: the operator's gateways (config), the
orders (branch staff list them; the member opens their own, with the receipt) and refunds
(decided by the level above)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.http import HttpRequest

from dangjian.core.approvals import can_decide, can_withdraw
from dangjian.core.forms import ScopedModelForm
from dangjian.core.scoping import covers
from dangjian.core.tables import BaseTable
from dangjian.core.views import ModelViews
from dangjian.dues.models import DuesAllocation, OrderStatus, PaymentGateway, PaymentOrder, PaymentRefund


class GatewayForm(ScopedModelForm):
    class Meta:
        model = PaymentGateway
        fields = ("code", "name", "kind", "is_active", "api_base", "merchant_id", "app_id", "merchant_serial",
                  "platform_public_key", "secret_ref", "posting_account", "order_minutes")


class GatewayTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PaymentGateway
        fields = ("code", "name", "kind", "is_active", "merchant_id", "posting_account")


class OrderTable(BaseTable):
    out_trade_no = tables.Column(linkify=True)
    member = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PaymentOrder
        fields = ("out_trade_no", "member", "org", "amount", "status", "gateway", "paid_at", "created_at")


class RefundTable(BaseTable):
    order = tables.Column(linkify=lambda record: PaymentRefundViews.url("detail", record))

    class Meta(BaseTable.Meta):
        model = PaymentRefund
        fields = ("order", "org", "amount", "reason", "status", "requested_by", "decided_by", "decided_on")


class GatewayViews(ModelViews):
    namespace = "dues"
    model = PaymentGateway
    name = "gateway"
    queryset = PaymentGateway.objects.select_related("posting_account")
    table = GatewayTable
    form = GatewayForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("code", "name", "kind", "is_active", "api_base", "merchant_id", "app_id", "merchant_serial",
                     "secret_ref", "posting_account", "order_minutes")


class OrderViews(ModelViews):
    namespace = "dues"
    model = PaymentOrder
    name = "order"
    queryset = PaymentOrder.objects.select_related("member", "org", "gateway", "payment")
    table = OrderTable
    actions = ("list", "detail")
    detail_template = "dues/order_detail.html"
    detail_fields = ("out_trade_no", "member", "org", "amount", "status", "gateway", "gateway_order_id", "paid_at",
                     "payment", "notices", "problem")

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        allocations = []
        if obj.payment_id:
            allocations = list(DuesAllocation.objects.visible_to(request.user, "view")
                               .filter(payment_id=obj.payment_id).select_related("bill"))
        staff = covers(request.user, "dues", "change", obj.org)
        return {"order": obj, "bills": list(obj.bills.order_by("month")), "allocations": allocations,
                "receipt": obj.status == OrderStatus.PAID, "can_refund": staff and obj.status == OrderStatus.PAID,
                "refunds": PaymentRefund.objects.visible_to(request.user, "view").filter(order=obj)
                .select_related("requested_by", "decided_by")}


class PaymentRefundViews(ModelViews):
    namespace = "dues"
    model = PaymentRefund
    name = "refund"
    queryset = PaymentRefund.objects.select_related("order", "org", "requested_by", "decided_by")
    table = RefundTable
    actions = ("list", "detail")
    detail_template = "dues/refund_detail.html"
    detail_fields = ("order", "org", "amount", "reason", "status", "requested_by", "decided_by", "decided_on",
                     "decision_ref", "gateway_refund_id")

    @classmethod
    def get_queryset(cls, request: HttpRequest) -> QuerySet[Any]:
        return cls.queryset.all() if cls.queryset is not None else PaymentRefund.objects.none()

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_decide": can_decide(request.user, obj), "can_withdraw": can_withdraw(request.user, obj)}
