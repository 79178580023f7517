"""Generated approval suites (dangjian.core.testing.facilities.ApprovalSuite) of the dues
requests: a hardship relief, a spending and a budget of branch B1 are decided by the party
committee above it (``c1_staff``), not by the branch (``officer_b1``), never by their requester."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.urls import reverse

from dangjian.core.testing.facilities import ApprovalSuite
from dangjian.core.testing.personas import Personas, make_member
from dangjian.dues.models import DuesBudget, DuesSpending, HardshipRelief, PaymentRefund, SpendingCategory

_n = itertools.count(1)


class BranchRequests(ApprovalSuite):
    allowed = "c1_staff"
    peer = "officer_b1"
    outsider = "officer_b2"


class TestReliefApprovalSuite(BranchRequests):
    model = HardshipRelief

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> HardshipRelief:
        row = HardshipRelief(member=make_member(p.b1), kind="waive", from_month=dt.date(2026, 3, 1),
                             reason=f"困难{next(_n)}", branch_decided_on=dt.date(2026, 2, 20),
                             branch_decision_ref="支委会", requested_by=requested_by)
        row.save()
        return row

    @classmethod
    def decide_url(cls, row: Any) -> str:
        return reverse("dues:relief_decide", args=[row.pk])

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        return reverse("dues:relief_withdraw", args=[row.pk])


class TestSpendingApprovalSuite(BranchRequests):
    model = DuesSpending

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> DuesSpending:
        row = DuesSpending(org=p.b1, category=SpendingCategory.objects.get(code="training"),
                           spent_on=dt.date(2026, 4, 1), amount=Decimal("12.50"), payee="书店",
                           purpose=f"学习资料{next(_n)}", requested_by=requested_by)
        row.save()
        return row

    @classmethod
    def decide_url(cls, row: Any) -> str:
        return reverse("dues:spending_decide", args=[row.pk])

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        return reverse("dues:spending_withdraw", args=[row.pk])


class TestBudgetApprovalSuite(BranchRequests):
    model = DuesBudget

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> DuesBudget:
        row = DuesBudget(org=p.b1, year=2200 + next(_n), requested_by=requested_by)
        row.save()
        return row

    @classmethod
    def decide_url(cls, row: Any) -> str:
        return reverse("dues:budget_approve", args=[row.pk])

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        return reverse("dues:budget_withdraw", args=[row.pk])


class TestRefundApprovalSuite(BranchRequests):
    """A refund of B1's online order is decided by the committee above (the decider re-authenticates)."""

    model = PaymentRefund

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> PaymentRefund:
        from dangjian.dues.tests.test_suites import _order

        order = _order(p, paid=True)
        row = PaymentRefund(order=order, org=p.b1, amount=order.amount, reason=f"误缴{next(_n)}",
                            requested_by=requested_by)
        row.save()
        return row

    @classmethod
    def decide_url(cls, row: Any) -> str:
        return reverse("dues:refund_decide", args=[row.pk])

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        return reverse("dues:refund_withdraw", args=[row.pk])
