"""Online payment orders: create, apply a gateway's word (notification or query) exactly once,
refund. Keyword-only, actor first, one transaction each, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError, text
from dangjian.dues import rules
from dangjian.dues.choices import Arrangement, PaymentMethod
from dangjian.dues.models import DuesBill, OrderStatus, PaymentGateway, PaymentOrder, PaymentRefund
from dangjian.dues.payments.base import Ack, GatewayError, InvalidNotification, Notice, adapter
from dangjian.dues.rules import ZERO
from dangjian.dues.services import billing
from dangjian.members.models import Member

METHODS = {"wechat_v3": PaymentMethod.WECHAT}


def active_gateway() -> PaymentGateway | None:
    """The gateway offered to members (the operator activates one)."""
    return PaymentGateway.objects.filter(is_active=True).order_by("code").first()


def outstanding(bills: Sequence[DuesBill]) -> dict[int, Decimal]:
    """What each bill still asks (``rules.left_to_pay`` of the bill with its payments summed)."""
    annotated = rules.with_paid(DuesBill.objects.filter(pk__in=[b.pk for b in bills]))
    return {b.pk: rules.left_to_pay(b) for b in annotated}


def _new_number() -> str:
    return timezone.localtime().strftime("DJ%Y%m%d%H%M%S") + secrets.token_hex(4).upper()


def create_order(*, actor: Any, bills: Sequence[DuesBill], idempotency_key: str, site: str,
                 gateway: PaymentGateway | None = None) -> PaymentOrder:
    """A member's order to pay their own ``bills`` online. The amount is what the bills still
    owe (never a figure from the client); ``site`` is this server's address as the gateway and
    the member's browser reach it (for the notification and return addresses). The same ``idempotency_key`` returns the same order; an
    order still payable for the same bills is returned instead of a second one."""
    member_id = getattr(actor, "member_id", None)
    if not member_id:
        raise RuleError(gettext("Only a party member can pay dues online, for their own bills."))
    if not idempotency_key:
        raise RuleError(gettext("The form token is missing; reload the page and submit again."))
    gateway = gateway or active_gateway()
    if gateway is None or not gateway.is_active:
        raise RuleError(gettext("Online payment is not offered: no payment gateway is configured."))
    # one page's token may serve several forms (one per month): the key is the token and the bills
    key = f"{member_id}:{idempotency_key}:{','.join(str(pk) for pk in sorted({b.pk for b in bills}))}"[:100]
    existing = PaymentOrder.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if not bills:
        raise RuleError(gettext("Choose the month to pay."))
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("org").get(pk=member_id)
        locked = list(DuesBill.objects.select_for_update().filter(pk__in=[b.pk for b in bills]).order_by("month"))
        if any(b.member_id != member.pk for b in locked) or len(locked) != len({b.pk for b in bills}):
            raise RuleError(gettext("Only a party member can pay dues online, for their own bills."))
        owed = outstanding(locked)
        if any(owed[b.pk] <= 0 for b in locked):
            raise RuleError(gettext("This month is already paid."))
        now = timezone.now()
        open_order = PaymentOrder.objects.filter(member=member, status=OrderStatus.CREATED, expires_at__gt=now,
                                                 bills__in=locked).distinct().first()
        if open_order is not None and set(open_order.bills.values_list("pk", flat=True)) == {b.pk for b in locked}:
            return open_order
        order = PaymentOrder(out_trade_no=_new_number(), member=member, org=member.org, gateway=gateway,
                             amount=sum(owed.values(), ZERO), idempotency_key=key, created_by=actor,
                             expires_at=now + dt.timedelta(minutes=gateway.order_minutes))
        order.save()
        order.bills.set(locked)
        try:
            created = adapter(gateway).create(
                order, notify_url=site + reverse("dues:payment_notify"),
                return_url=site + reverse("dues:order_return", args=[order.out_trade_no]))
        except GatewayError as exc:
            raise RuleError(str(exc)) from exc
        order.gateway_order_id, order.pay_url = created.gateway_order_id, created.pay_url
        order.save()
    return order


@dataclass(frozen=True)
class Outcome:
    """What applying a gateway's word did: ``recorded`` True exactly once per order."""

    order: PaymentOrder | None
    recorded: bool
    reason: str


def receive_from_any(*, gateways: Sequence[PaymentGateway], headers: Mapping[str, str],
                     body: bytes) -> tuple[Outcome, Ack]:
    """A notification at the shared address: handled by the gateway whose signature verifies it."""
    for gateway in gateways:
        try:
            adapter(gateway).parse_notification(headers, body)
        except InvalidNotification:
            continue
        return receive_notification(gateway=gateway, headers=headers, body=body)
    return receive_notification(gateway=gateways[0], headers=headers, body=body)  # refused and audited


def receive_notification(*, gateway: PaymentGateway, headers: Mapping[str, str], body: bytes) -> tuple[Outcome, Ack]:
    """A notification from ``gateway``: verified, then applied exactly once. Answered so that the
    gateway stops resending what was handled (even a duplicate) and resends what failed."""
    gw = adapter(gateway)
    try:
        notice = gw.parse_notification(headers, body)
    except InvalidNotification as exc:
        with transaction.atomic():
            audit.record("payment_notice", object_type="dues.paymentorder", object_repr=gateway.code, success=False,
                         reason=f"refused: {exc}"[:255])
        return Outcome(None, False, "invalid"), gw.ack(False, "invalid notification")
    outcome = apply_notice(gateway=gateway, notice=notice)
    return outcome, gw.ack(outcome.reason != "unknown", outcome.reason)


def apply_notice(*, gateway: PaymentGateway, notice: Notice) -> Outcome:
    """Apply a verified notice under the order's row lock: a paid notice with the order's exact
    amount records one dues payment (through the dues service); anything else changes no money."""
    with transaction.atomic():
        # of=self: PostgreSQL locks no row of the nullable side of an outer join
        order = PaymentOrder.objects.select_for_update(of=("self",))\
            .filter(gateway=gateway, out_trade_no=notice.out_trade_no)\
            .select_related("member", "gateway__posting_account").first()
        if order is None:
            audit.record("payment_notice", object_type="dues.paymentorder", object_repr=notice.out_trade_no,
                         success=False, reason="unknown order")
            return Outcome(None, False, "unknown")
        order.notices += 1
        if order.status in (OrderStatus.PAID, OrderStatus.REFUNDED) or order.payment_id:
            order.save()
            return Outcome(order, False, "duplicate")
        if order.status == OrderStatus.EXCEPTION:
            order.save()  # in question (another amount, a refused posting): staff decide, nothing automatic
            return Outcome(order, False, "held")
        if not notice.paid:
            order.save()  # not paid (yet): never undoes anything, never closes a paid order
            return Outcome(order, False, "not paid")
        if notice.amount != order.amount:
            order.status = OrderStatus.EXCEPTION
            order.problem = gettext("The gateway reports %(paid)s yuan paid for an order of %(amount)s yuan.") % {
                "paid": notice.amount, "amount": order.amount}
            order.save()
            audit.record("payment_mismatch", obj=order, success=False, reason=order.problem,
                         changes={"paid": str(notice.amount), "amount": str(order.amount)})
            return Outcome(order, False, "amount mismatch")
        return _record(order, notice)


def _record(order: PaymentOrder, notice: Notice) -> Outcome:
    poster = order.gateway.posting_account
    paid_at = notice.paid_at or timezone.now()
    paid_on = timezone.localtime(paid_at).date() if timezone.is_aware(paid_at) else paid_at.date()
    paid_on = min(paid_on, timezone.localdate())
    bills = list(order.bills.order_by("month"))
    standard = rules.standard_in_force(paid_on)
    late = any(rules.months_apart(b.month, paid_on) > standard.back_payment_window_months for b in bills)
    order.gateway_order_id = notice.gateway_order_id or order.gateway_order_id
    order.paid_at = paid_at
    try:
        if poster is None:
            raise RuleError(gettext("The payment gateway has no posting account."))
        with transaction.atomic(), acting_as(poster, reason=f"online payment {order.out_trade_no}", source="system"):
            result = billing.record_payment(
                actor=poster, member=order.member, amount=order.amount, paid_on=paid_on,
                method=METHODS.get(order.gateway.kind, PaymentMethod.OTHER), idempotency_key=f"order:{order.out_trade_no}",
                months=[b.month for b in bills], arrangement=Arrangement.MONTHLY, receipt_number=order.out_trade_no,
                back_payment_reason=gettext("Paid online by the member") if late else "",
                note=gettext("Online payment, gateway transaction %(id)s") % {"id": order.gateway_order_id})
    except (RuleError, IntegrityError) as exc:
        order.status = OrderStatus.EXCEPTION
        order.problem = (text(exc) if isinstance(exc, RuleError) else str(exc))[:300]
        order.save()
        audit.record("payment_exception", obj=order, success=False, reason=order.problem)
        return Outcome(order, False, "exception")
    order.status = OrderStatus.PAID
    order.payment = result.payment
    order.problem = ""
    order.save()
    audit.record("payment_posted", obj=order, changes={"payment": result.payment.pk, "amount": str(order.amount)})
    return Outcome(order, result.created, "recorded")


def refresh_order(*, actor: Any, order: PaymentOrder) -> Outcome:
    """Ask the gateway about an order (the member came back, or a notification was lost)."""
    if order.status != OrderStatus.CREATED:
        return Outcome(order, False, "final")
    try:
        notice = adapter(order.gateway).query(order)
    except GatewayError:
        return Outcome(order, False, "unreachable")
    if notice.out_trade_no != order.out_trade_no:
        return Outcome(order, False, "mismatch")
    outcome = apply_notice(gateway=order.gateway, notice=notice)
    if not notice.paid and order.expires_at <= timezone.now() and notice.state in ("CLOSED", "NOTPAY", "NOTFOUND"):
        with transaction.atomic():
            locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
            if locked.status == OrderStatus.CREATED:
                locked.status = OrderStatus.CLOSED
                locked.save()
    return outcome


# --- refunds -----------------------------------------------------------------------------------


def check_refundable(order: PaymentOrder) -> None:
    if order.status != OrderStatus.PAID or order.payment_id is None:
        raise RuleError(gettext("Only a paid online order can be refunded."))


def request_refund(*, actor: Any, order: PaymentOrder, reason: str) -> PaymentRefund:
    """The branch asks to send a paid order's money back; the level above decides."""
    if not reason.strip():
        raise RuleError(gettext("A refund needs a reason."), field="reason")
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        billing.require(actor, "change", order.org)
        check_refundable(order)
        if order.refunds.filter(status="pending").exists():
            raise RuleError(gettext("A refund of this order is already awaiting approval."))
        refund = PaymentRefund(order=order, org=order.org, amount=order.amount, reason=reason.strip(),
                               requested_by=actor if getattr(actor, "pk", None) else None)
        refund.save()
    return refund


def carry_out_refund(*, actor: Any, refund: PaymentRefund) -> None:
    """An approved refund (inside the decision's transaction): the gateway sends the money back,
    then the dues payment is voided (refused, and the approval rolled back, when it can no longer be)."""
    order = PaymentOrder.objects.select_for_update(of=("self",)).select_related("payment").get(pk=refund.order_id)
    check_refundable(order)
    payment = order.payment
    assert payment is not None
    billing.void_payment(actor=actor, payment=payment, reason=gettext("Refund of online order %(no)s: %(reason)s")
                         % {"no": order.out_trade_no, "reason": refund.reason})
    try:
        result = adapter(order.gateway).refund(refund)  # after the void: a refused void sends no money back
    except GatewayError as exc:
        raise RuleError(str(exc)) from exc
    refund.gateway_refund_id = result.refund_id
    refund.save()
    order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
    order.status = OrderStatus.REFUNDED
    order.save()
