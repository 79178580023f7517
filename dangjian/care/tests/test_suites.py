"""Generated screen and approval suites of the care models (dangjian.core.testing)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.urls import reverse

from dangjian.care.models import CareDonation, CareReason, CareVisit
from dangjian.care.views import CareReasonViews, DonationViews, VisitViews
from dangjian.core.testing.facilities import ApprovalSuite
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "care.carefundaccount": "The lock row of an organization's fund, created and locked only by the services; it holds "
                            "no figure (test_fund.py and test_concurrency.py).",
}


def _visit(p: Personas, requested_by: Any = None, amount: str = "0.00") -> CareVisit:
    row = CareVisit(org=p.b1, beneficiary=p.members["m_b1"], reason=CareReason.objects.get(code="old_member"),
                    visited_on=dt.date(2026, 4, 1), amount=Decimal(amount), visitor=f"走访人{next(_n)}",
                    items="慰问品", circumstances="独居老党员", requested_by=requested_by)
    row.save()
    return row


class TestVisitSuite(ModelSuite):
    views = VisitViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"items": "米、油"}
    marker = "visitor"

    @classmethod
    def make_row(cls, p: Personas) -> CareVisit:
        return _visit(p)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "beneficiary": p.members["m_b1"].pk,
                "reason": CareReason.objects.get(code="hardship").pk, "visited_on": "2026-05-10", "amount": "0.00",
                "items": "慰问信", "visitor": f"走访人{next(_n)}", "circumstances": "家庭困难"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "beneficiary": p.members["m_b3"].pk}


class TestDonationSuite(ModelSuite):
    views = DonationViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    marker = "receipt_number"

    @classmethod
    def make_row(cls, p: Personas) -> CareDonation:
        row = CareDonation(org=p.b1, donor="张三", amount=Decimal("50.00"), received_on=dt.date(2026, 3, 1),
                           receipt_number=f"S{next(_n):05d}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "donor": "李四", "amount": "100.00", "received_on": "2026-03-02",
                "receipt_number": f"A{next(_n):05d}"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestCareReasonSuite(ModelSuite):
    views = CareReasonViews
    allowed = "c1_staff"
    outsider = "inspector_c1"
    edit = {"description": "修改后的说明"}

    @classmethod
    def make_row(cls, p: Personas) -> CareReason:
        n = next(_n)
        row = CareReason(code=f"t{n}", name=f"测试原因{n}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"new{n}", "name": f"新原因{n}", "order": "1", "is_active": "on"}


class TestVisitApprovalSuite(ApprovalSuite):
    model = CareVisit
    allowed = "c1_staff"
    peer = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> CareVisit:
        CareDonation(org=p.b1, donor="捐款人", amount=Decimal("100.00"), received_on=dt.date(2026, 3, 1),
                     receipt_number=f"P{next(_n):05d}").save()
        return _visit(p, requested_by, amount="12.50")

    @classmethod
    def decide_url(cls, row: Any) -> str:
        return reverse("care:visit_decide", args=[row.pk])

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        return reverse("care:visit_withdraw", args=[row.pk])
