"""Generated API suites of the dues viewsets (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from dangjian.core.context import acting_as
from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.personas import Personas, make_member
from dangjian.dues import services
from dangjian.dues.api.views import ArrearsCaseViewSet, AssessmentViewSet, BillViewSet, PaymentViewSet
from dangjian.dues.models import ArrearsCase, DuesAssessment, DuesBill, DuesPayment, PayItem
from dangjian.dues.tests.test_suites import _assessed

_n = itertools.count(1)


class BranchAPISuite(ViewSetSuite):
    allowed = "officer_b1"
    outsider = "officer_b2"


class TestAssessmentAPISuite(BranchAPISuite):
    """Assessed through the dues service (Idempotency-Key required); corrected by re-assessing."""

    viewset = AssessmentViewSet

    @classmethod
    def make_row(cls, p: Personas) -> DuesAssessment:
        return DuesAssessment.objects.get(member=_assessed(p))

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"member": make_member(p.b1).pk, "year": 2026, "kind": "employed",
                "components": [{"item": PayItem.objects.get(code="post_salary").pk, "amount": "4321.57"}]}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "member": make_member(p.b3).pk}


class TestBillAPISuite(BranchAPISuite):
    viewset = BillViewSet

    @classmethod
    def make_row(cls, p: Personas) -> DuesBill:
        member = _assessed(p)
        with acting_as(p.users["officer_b1"]):
            services.generate_bills(actor=p.users["officer_b1"], org=p.b1, month=dt.date(2026, 5, 1))
        return DuesBill.objects.get(member=member)


class TestArrearsCaseAPISuite(BranchAPISuite):
    viewset = ArrearsCaseViewSet

    @classmethod
    def make_row(cls, p: Personas) -> ArrearsCase:
        row = ArrearsCase(member=make_member(p.b1), org=p.b1, opened_on=dt.date(2026, 7, 1),
                          first_unpaid_month=dt.date(2026, 1, 1), months_unpaid=6, amount_outstanding=Decimal("240.00"))
        row.save()
        return row


class TestPaymentAPISuite(BranchAPISuite):
    """Payments are recorded through the dues service (Idempotency-Key required), never edited."""

    viewset = PaymentViewSet

    @classmethod
    def make_row(cls, p: Personas) -> DuesPayment:
        member = _assessed(p)
        officer = p.users["officer_b1"]
        with acting_as(officer):
            result = services.record_payment(actor=officer, member=member, amount=Decimal("40.00"),
                                             paid_on=dt.date(2026, 1, 10), method="cash",
                                             idempotency_key=f"api-suite-{next(_n)}", months=[dt.date(2026, 1, 1)])
        return result.payment

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"member": _assessed(p).pk, "amount": "40.00", "paid_on": "2026-02-10", "method": "bank",
                "months": ["2026-02-01"], "receipt_number": f"API{next(_n):05d}"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "member": p.members["m_b3"].pk}
