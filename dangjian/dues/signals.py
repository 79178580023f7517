"""Events the dues module emits; other modules (points, notices) subscribe. Dues imports none of them.

Declared with the core contract (:mod:`dangjian.core.events`): each carries the evidence row and
the actor, derive receivers run inside the writing transaction, notify receivers on commit.
"""

from dangjian.core.events import Event

bill_paid = Event(
    "dues.bill_paid", evidence="dues.DuesBill", data=("payment", "on_time"),
    doc="A month's bill became fully paid. evidence: the ``DuesBill`` (its ``member`` and ``month``); "
        "``payment``: the ``DuesPayment`` that completed it; ``on_time``: paid on or before the due day.",
)

bill_unpaid = Event(
    "dues.bill_unpaid", evidence="dues.DuesBill", data=("reason",),
    doc="A month's bill that was fully paid is no longer: the payment that paid it was voided. evidence: "
        "the ``DuesBill`` (its ``member`` and ``month``); ``reason``: why the payment was voided. What was "
        "derived from ``bill_paid`` for this bill is to be withdrawn (a later payment sends ``bill_paid`` again).",
)

arrears_warning = Event(
    "dues.arrears_warning", evidence="members.Member", data=("org", "months", "outstanding"),
    doc="A member's run of unpaid months reached the reminder threshold (default 3) during an arrears "
        "scan. evidence: the ``Member``; ``org``: their organization; ``months``: consecutive unpaid "
        "months; ``outstanding``: the amount owed. A notification: subscribe with ``notify``.",
)

care_fund_spent = Event(
    "dues.care_fund_spent", evidence="dues.DuesSpending",
    doc="A spending paid from the care fund (``from_care_fund``) was approved; the row is saved as "
        "approved. evidence: the ``DuesSpending`` (its ``org``, ``spent_on`` and ``amount``). The care "
        "fund's keeper subscribes with ``derive``: it locks the fund and refuses (raises ``RuleError``, "
        "so the approval rolls back) when the combined fund (dues share, donations, visits) would go "
        "below zero.",
)
