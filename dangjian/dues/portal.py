"""The dues module's card of the member portal: what is owed, the bills with their state (an
unpaid one with its online payment when a gateway is offered), the payments with their receipt
numbers and the online orders with their receipts (the same reads as ``dues:mine``, narrowed to
the member)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from dangjian.dues import rules
from dangjian.dues.models import DuesAllocation, DuesBill, DuesPayment, PaymentOrder

BILLS = 12
PAYMENTS = 6
ORDERS = 6
PAYABLE = frozenset({rules.PaymentState.UNPAID, rules.PaymentState.PARTIAL})


def mine(viewer: Any, member: Any) -> Any:
    from dangjian.dues.forms import issue_token
    from dangjian.dues.payments.services import active_gateway

    bills = list(rules.with_paid(DuesBill.objects.visible_to(viewer, "view").filter(member=member))
                 .order_by("-month")[:BILLS])
    for bill in bills:
        bill.paid = rules.cents(bill.paid)
    payments = list(DuesPayment.objects.visible_to(viewer, "view").filter(member=member)
                    .prefetch_related(Prefetch("allocations", queryset=DuesAllocation.objects.select_related("bill")))
                    .order_by("-paid_on", "-id")[:PAYMENTS])
    orders = list(PaymentOrder.objects.visible_to(viewer, "view").filter(member=member)
                  .order_by("-created_at", "-id")[:ORDERS])
    # only the member pays their own bills (a secretary's preview reads, it never pays)
    own = getattr(viewer, "member_id", None) == member.pk
    gateway = active_gateway() if own else None
    rows = [(b, rules.PaymentState(rules.bill_state(b.amount_due, b.paid))) for b in bills]
    return {"bills": [(b, state, gateway is not None and state in PAYABLE) for b, state in rows],
            "payments": payments, "orders": orders, "outstanding": rules.outstanding(bills),
            "pay_token": issue_token(viewer) if gateway is not None else ""}
