"""Online dues payment (网上缴纳党费): the operator's gateways, a member's payment orders and
their refunds. The gateway adapters live in :mod:`dangjian.dues.payments`."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.approvals import ApprovalBase
from dangjian.core.models import ScopedModel
from dangjian.dues.models.collection import DuesBill, DuesPayment
from dangjian.dues.models.standards import money


class GatewayKind(models.TextChoices):
    FAKE = "fake", _("Test gateway (no real money)")
    WECHAT_V3 = "wechat_v3", _("WeChat Pay (API v3)")


class OrderStatus(models.TextChoices):
    CREATED = "created", _("Awaiting payment")
    PAID = "paid", pgettext_lazy("order status", "Paid")
    CLOSED = "closed", pgettext_lazy("order status", "Closed")  # no payment arrived in time
    EXCEPTION = "exception", _("Paid, needs staff attention")
    REFUNDED = "refunded", _("Refunded")


class PaymentGateway(ScopedModel):
    """A payment gateway configured by the operator. Secrets never live in this row: ``secret_ref``
    names them in the deployment's settings (``DANGJIAN["PAYMENT_SECRETS"][ref]``) or environment
    (``DANGJIAN_PAYMENT_<REF>_KEY`` / ``_PRIVATE_KEY``)."""

    scope_area = "config"
    scope_path = None

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("gateway kind"), max_length=12, choices=GatewayKind.choices)
    is_active = models.BooleanField(_("offered to members"), default=False)
    api_base = models.URLField(_("gateway address"), blank=True,
                               help_text=_("Empty for the test gateway: it then runs inside this server."))
    merchant_id = models.CharField(_("merchant number"), max_length=32, blank=True)
    app_id = models.CharField(_("application id"), max_length=32, blank=True)
    merchant_serial = models.CharField(_("merchant certificate serial number"), max_length=64, blank=True)
    platform_public_key = models.TextField(_("gateway's public key (PEM)"), blank=True)
    secret_ref = models.SlugField(_("secret name"), max_length=30, blank=True,
                                  help_text=_("The name under which the deployment keeps this gateway's keys."))
    posting_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("posting account"),
        help_text=_("Paid orders are recorded as dues payments by this account; its dues scope must cover the "
                    "members' branches."))
    order_minutes = models.PositiveSmallIntegerField(_("minutes an order stays payable"), default=30)

    class Meta:
        ordering = ("code",)
        verbose_name = _("payment gateway")
        verbose_name_plural = _("payment gateways")

    def __str__(self) -> str:
        return self.name


class PaymentOrder(ScopedModel):
    """A member's online payment of one or more month bills. Becomes one ``DuesPayment`` (through
    the dues payment service) exactly once, however many notifications the gateway sends."""

    scope_area = "dues"
    scope_path = "org"
    owner_path = "member"

    out_trade_no = models.CharField(_("order number"), max_length=32, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_orders",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    gateway = models.ForeignKey(PaymentGateway, on_delete=models.PROTECT, related_name="orders",
                                verbose_name=_("payment gateway"))
    bills = models.ManyToManyField(DuesBill, related_name="orders", verbose_name=_("dues bills"))
    amount = money(_("amount"))
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.CREATED)
    idempotency_key = models.CharField(max_length=100, unique=True, editable=False)
    gateway_order_id = models.CharField(_("gateway transaction number"), max_length=64, blank=True)
    pay_url = models.URLField(_("payment page"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("payable until"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment = models.OneToOneField(DuesPayment, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="online_order", verbose_name=_("dues payment"))
    notices = models.PositiveIntegerField(_("notifications received"), default=0)
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("online payment order")
        verbose_name_plural = _("online payment orders")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_order_amount_positive",
                violation_error_message=_("The amount paid must be greater than 0.")),
        ]

    def __str__(self) -> str:
        return f"{self.out_trade_no} {self.amount:.2f}"

    @property
    def amount_cents(self) -> int:
        return int(self.amount * 100)


class PaymentRefund(ApprovalBase):
    """Money of a paid online order sent back to the member: requested by the branch, approved by
    the level above (the decider re-authenticates); approval refunds through the gateway and
    voids the dues payment."""

    approval_moves_money = True  # the decider re-authenticates first (SESS-02)

    scope_area = "dues"
    scope_path = "org"
    approval_self_message = _("A refund cannot be approved by the person who requested it.")
    approval_decided_message = _("This refund has already been decided.")

    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="refunds",
                              verbose_name=_("online payment order"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    amount = money(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    gateway_refund_id = models.CharField(_("gateway refund number"), max_length=64, blank=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("online payment refund")
        verbose_name_plural = _("online payment refunds")

    def __str__(self) -> str:
        return f"{self.order.out_trade_no} {self.amount:.2f}"

    def check_decision(self, *, approve: bool) -> None:
        from dangjian.dues.payments import services

        if approve:
            services.check_refundable(self.order)

    def after_decision(self, *, actor: Any, approve: bool) -> None:
        from dangjian.dues.payments import services

        if approve:
            services.carry_out_refund(actor=actor, refund=self)
