"""The dues module's card of the member portal: what is owed, the bills with their state and
the payments with their receipt numbers (the same reads as ``dues:mine``, narrowed to the member)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from dangjian.dues import rules
from dangjian.dues.models import DuesAllocation, DuesBill, DuesPayment

BILLS = 12
PAYMENTS = 6


def mine(viewer: Any, member: Any) -> Any:
    bills = list(rules.with_paid(DuesBill.objects.visible_to(viewer, "view").filter(member=member))
                 .order_by("-month")[:BILLS])
    for bill in bills:
        bill.paid = rules.cents(bill.paid)
    payments = list(DuesPayment.objects.visible_to(viewer, "view").filter(member=member)
                    .prefetch_related(Prefetch("allocations", queryset=DuesAllocation.objects.select_related("bill")))
                    .order_by("-paid_on", "-id")[:PAYMENTS])
    return {"bills": [(b, rules.PaymentState(rules.bill_state(b.amount_due, b.paid))) for b in bills],
            "payments": payments, "outstanding": rules.outstanding(bills)}
