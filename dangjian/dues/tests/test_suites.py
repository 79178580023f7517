"""Generated screen suites of the dues models (see dangjian.core.testing.suites).

Config tables are global (``scope_path = None``): committee staff edit them, and the outsider is
someone without the config area at all. Dues rows belong to a branch: ``officer_b1`` may do
everything on B1's rows, ``officer_b2`` (the sibling branch) must not reach them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas, make_member
from dangjian.core.testing.suites import ModelSuite
from dangjian.dues import services
from dangjian.dues.documents import DEFAULT_TEMPLATE
from dangjian.dues.forms import issue_token
from dangjian.dues.models import (
    ArrearsCase,
    AuxiliaryPoliceBand,
    AuxiliaryPoliceStandard,
    DisclosureTemplate,
    DuesAssessment,
    DuesBand,
    DuesBill,
    DuesBudget,
    DuesBudgetLine,
    DuesOrgSettings,
    DuesPayment,
    DuesRemittance,
    DuesSpending,
    DuesStandard,
    DuesStatement,
    FixedDuesAmount,
    HardshipRelief,
    PayItem,
    SpendingCategory,
)
from dangjian.dues.payments import declarations as online_declarations
from dangjian.dues.views import declarations
from dangjian.orgs.models import Organization

_n = itertools.count(1)
D = Decimal

SUITE_EXEMPTIONS = {
    "dues.duesbasecomponent": "Written only by the assessment service and shown on the assessment page; tested in "
                              "test_services.py (components, treatments and reasons).",
    "dues.duesallocation": "Written only by the payment service (allocation of money to month bills) and shown on "
                           "the payment and bill pages; tested in test_services.py.",
}


def _standard() -> DuesStandard:
    return DuesStandard.objects.get(code="2008")


def _month() -> dt.date:
    """A distinct month per call (2030-01, 2030-02 ...)."""
    n = next(_n)
    return dt.date(2030 + n // 12, n % 12 + 1, 1)


def _assessed(p: Personas, org: Any = None) -> Any:
    """A new member of B1 (or ``org``) assessed for 2026 at 4000.00 (40.00 a month)."""
    member = make_member(org or p.b1)
    officer = p.users["officer_b1"] if org is None else p.users["officer_b2"]
    with acting_as(officer):
        services.assess_member(actor=officer, member=member, year=2026, kind="employed",
                               components=[services.ComponentInput(PayItem.objects.get(code="post_salary"),
                                                                   D("4000.00"))])
    return member


class ConfigSuite(ModelSuite):
    allowed = "c1_staff"
    outsider = "inspector_c1"


class TestStandardSuite(ConfigSuite):
    views = declarations.StandardViews
    edit = {"name": "党费收缴标准（修订）"}

    @classmethod
    def make_row(cls, p: Personas) -> DuesStandard:
        n = next(_n)
        row = DuesStandard(code=f"T{n}", name=f"测试标准{n}", effective_from=dt.date(2040, 1, 1) + dt.timedelta(days=n))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"NEW{n}", "name": f"新标准{n}", "effective_from": (dt.date(2050, 1, 1) + dt.timedelta(days=n))
                .isoformat(), "monthly_cap": "1000.00", "rounding": "0.01", "assessment_month": "1", "due_day": "0",
                "back_payment_window_months": "6", "reminder_months": "3", "decision_months": "6",
                "branch_remit_percent": "100", "committee_remit_percent": "20", "top_remit_percent": "5",
                "care_fund_percent": "60"}


class TestBandSuite(ConfigSuite):
    views = declarations.BandViews
    edit = {"rate_percent": "1.25"}

    @classmethod
    def make_row(cls, p: Personas) -> DuesBand:
        row = DuesBand(standard=_standard(), kind="employed", upper_bound=D(20000 + next(_n)), rate_percent=D("2.00"))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"standard": _standard().pk, "kind": "retired", "upper_bound": str(30000 + next(_n)),
                "rate_percent": "1.00"}


class TestFixedAmountSuite(ConfigSuite):
    views = declarations.FixedAmountViews
    edit = {"amount": "0.50"}

    @classmethod
    def make_row(cls, p: Personas) -> FixedDuesAmount:
        row = FixedDuesAmount(standard=_standard(), category=f"测试类别{next(_n)}", amount=D("0.20"),
                              min_amount=D("0.20"), max_amount=D("1.00"))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"standard": _standard().pk, "category": f"新类别{next(_n)}", "amount": "0.30", "min_amount": "0.20",
                "max_amount": "1.00"}


class TestAuxiliaryStandardSuite(ConfigSuite):
    views = declarations.AuxiliaryStandardViews
    edit = {"source": "城区公安机关辅警党员党费缴纳标准"}

    @classmethod
    def make_row(cls, p: Personas) -> AuxiliaryPoliceStandard:
        row = AuxiliaryPoliceStandard(name=f"辅警标准{next(_n)}", effective_from=dt.date(2026, 1, 1), org=p.c1,
                                      method="fixed", fixed_amount=D("5.00"))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"name": f"新辅警标准{next(_n)}", "effective_from": "2026-01-01", "org": p.c1.pk, "method": "own_bands"}


class TestAuxiliaryBandSuite(ConfigSuite):
    views = declarations.AuxiliaryBandViews
    edit = {"amount": "6.00"}

    @classmethod
    def make_row(cls, p: Personas) -> AuxiliaryPoliceBand:
        standard = TestAuxiliaryStandardSuite.make_row(p)
        row = AuxiliaryPoliceBand(standard=standard, upper_bound=D("3000.00"), amount=D("5.00"))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        standard = TestAuxiliaryStandardSuite.make_row(p)
        return {"standard": standard.pk, "upper_bound": "3000.00", "rate_percent": "0.50"}


class TestPayItemSuite(ConfigSuite):
    views = declarations.PayItemViews
    edit = {"reason": "地方规定"}

    @classmethod
    def make_row(cls, p: Personas) -> PayItem:
        n = next(_n)
        row = PayItem(code=f"t{n}", name=f"测试项目{n}", treatment="exclude", reason="测试")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"new{n}", "name": f"新项目{n}", "treatment": "include", "order": "5", "is_active": "on"}


class TestSpendingCategorySuite(ConfigSuite):
    views = declarations.SpendingCategoryViews
    edit = {"description": "修改后的说明"}

    @classmethod
    def make_row(cls, p: Personas) -> SpendingCategory:
        n = next(_n)
        row = SpendingCategory(code=f"t{n}", name=f"测试类别{n}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"new{n}", "name": f"新类别{n}", "order": "1", "is_active": "on"}


class TestDisclosureTemplateSuite(ConfigSuite):
    views = declarations.DisclosureTemplateViews
    edit = {"name": "改名的模板"}

    @classmethod
    def make_row(cls, p: Personas) -> DisclosureTemplate:
        row = DisclosureTemplate(name=f"模板{next(_n)}", is_active=False)
        row.file.save("test.docx", SimpleUploadedFile("test.docx", DEFAULT_TEMPLATE.read_bytes()), save=False)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"name": f"新模板{next(_n)}", "file": SimpleUploadedFile("new.docx", DEFAULT_TEMPLATE.read_bytes())}


class BranchSuite(ModelSuite):
    allowed = "officer_b1"
    outsider = "officer_b2"


def _new_group(p: Personas) -> Organization:
    parent = Organization.objects.get(pk=p.b1.pk)
    n = next(_n)
    return Organization.objects.add_child(parent, {"name": f"测试党小组{n}", "code": f"DG{n}", "kind": "group"})


class TestOrgSettingsSuite(BranchSuite):
    views = declarations.OrgSettingsViews
    edit = {"rounding": "0.1"}

    @classmethod
    def make_row(cls, p: Personas) -> DuesOrgSettings:
        row = DuesOrgSettings(org=_new_group(p), remit_percent=D("100"))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        with acting_as(None):
            group = _new_group(p)
        return {"org": group.pk, "remit_percent": "100"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b3.pk, "remit_percent": "100"}


class TestAssessmentSuite(BranchSuite):
    views = declarations.AssessmentViews
    marker = "member__name"

    @classmethod
    def make_row(cls, p: Personas) -> DuesAssessment:
        return DuesAssessment.objects.get(member=_assessed(p))


class TestReliefSuite(BranchSuite):
    views = declarations.ReliefViews
    marker = "reason"

    @classmethod
    def make_row(cls, p: Personas) -> HardshipRelief:
        row = HardshipRelief(member=make_member(p.b1), kind="waive", from_month=dt.date(2026, 3, 1),
                             reason=f"困难{next(_n)}", branch_decided_on=dt.date(2026, 2, 20), branch_decision_ref="支委会")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        with acting_as(None):
            member = make_member(p.b1)
        return {"member": member.pk, "kind": "reduce", "from_month": "2026-04", "reduced_amount": "5.00",
                "reason": "家庭困难", "branch_decided_on": "2026-03-20", "branch_decision_ref": "支委会纪要"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "member": p.members["m_b3"].pk}


class TestBillSuite(BranchSuite):
    views = declarations.BillViews
    marker = "member__name"

    @classmethod
    def make_row(cls, p: Personas) -> DuesBill:
        member = _assessed(p)
        with acting_as(p.users["officer_b1"]):
            services.generate_bills(actor=p.users["officer_b1"], org=p.b1, month=dt.date(2026, 5, 1))
        return DuesBill.objects.get(member=member)


class TestPaymentSuite(BranchSuite):
    views = declarations.PaymentViews
    marker = "receipt_number"

    @classmethod
    def make_row(cls, p: Personas) -> DuesPayment:
        member = _assessed(p)
        with acting_as(p.users["officer_b1"]):
            result = services.record_payment(
                actor=p.users["officer_b1"], member=member, amount=D("40.00"), paid_on=dt.date(2026, 1, 10),
                method="cash", idempotency_key=f"suite-{next(_n)}", months=[dt.date(2026, 1, 1)],
                receipt_number=f"SJ{next(_n):05d}")
        return result.payment

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        with acting_as(None):
            member = _assessed(p)
        return {"token": issue_token(p.users["officer_b1"]), "member": member.pk, "amount": "40.00",
                "paid_on": "2026-02-10", "method": "bank", "arrangement": "monthly", "first_month": "2026-02",
                "receipt_number": f"ADD{next(_n):05d}"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "member": p.members["m_b3"].pk}


class TestCaseSuite(BranchSuite):
    views = declarations.CaseViews
    edit = {"talk_by": "支部书记", "talk_record": "谈心谈话记录"}
    marker = "member__name"

    @classmethod
    def make_row(cls, p: Personas) -> ArrearsCase:
        row = ArrearsCase(member=make_member(p.b1), org=p.b1, opened_on=dt.date(2026, 7, 1),
                          first_unpaid_month=dt.date(2026, 1, 1), months_unpaid=6, amount_outstanding=D("240.00"))
        row.save()
        return row


class TestStatementSuite(BranchSuite):
    views = declarations.StatementViews

    @classmethod
    def make_row(cls, p: Personas) -> DuesStatement:
        row = DuesStatement(org=p.b1, month=_month(), amount_due=D("100.00"), amount_collected=D("80.00"),
                            closed_on=dt.date(2026, 2, 1))
        row.save()
        return row


class TestRemittanceSuite(BranchSuite):
    views = declarations.RemittanceViews
    marker = "reference"

    @classmethod
    def make_row(cls, p: Personas) -> DuesRemittance:
        month = _month()
        row = DuesRemittance(from_org=p.b1, to_org=p.c1, period_start=month, period_end=month, income=D("10.00"),
                             remit_percent=D("100"), expected_amount=D("10.00"), amount=D("10.00"),
                             remitted_on=dt.date(2026, 2, 1), reference=f"YH{next(_n):05d}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        month = _month()
        return {"from_org": p.b1.pk, "period_start": f"{month:%Y-%m}", "period_end": f"{month:%Y-%m}",
                "remitted_on": "2026-03-01", "reference": "YH-ADD"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "from_org": p.b3.pk}


class TestBudgetSuite(BranchSuite):
    views = declarations.BudgetViews
    edit = {"note": "调整说明"}

    @classmethod
    def make_row(cls, p: Personas) -> DuesBudget:
        row = DuesBudget(org=p.b1, year=2100 + next(_n))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "year": str(2500 + next(_n))}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestBudgetLineSuite(BranchSuite):
    views = declarations.BudgetLineViews
    edit = {"amount": "500.00"}

    @classmethod
    def make_row(cls, p: Personas) -> DuesBudgetLine:
        row = DuesBudgetLine(budget=TestBudgetSuite.make_row(p), category=SpendingCategory.objects.get(code="training"),
                             amount=D("300.00"))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        with acting_as(None):
            budget = TestBudgetSuite.make_row(p)
        return {"budget": budget.pk, "category": SpendingCategory.objects.get(code="materials").pk, "amount": "200.00"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        with acting_as(None):
            budget = DuesBudget(org=p.b3, year=2900 + next(_n))
            budget.save()
        return {**cls.add_data(p), "budget": budget.pk}


class TestSpendingSuite(BranchSuite):
    views = declarations.SpendingViews
    edit = {"purpose": "购买学习资料（修改）"}
    marker = "purpose"

    @classmethod
    def make_row(cls, p: Personas) -> DuesSpending:
        row = DuesSpending(org=p.b1, category=SpendingCategory.objects.get(code="training"), spent_on=dt.date(2026, 4, 1),
                           amount=D("12.50"), payee="书店", purpose=f"学习资料{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "category": SpendingCategory.objects.get(code="training").pk, "spent_on": "2026-04-02",
                "amount": "20.00", "payee": "培训中心", "purpose": "党员培训"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


# --- online payment ----------------------------------------------------------------------------


def _gateway() -> Any:
    from dangjian.dues.models import PaymentGateway

    row = PaymentGateway.objects.filter(code="suite").first()
    if row is None:
        row = PaymentGateway(code="suite", name="测试网关", kind="fake", is_active=True)
        row.save()
    return row


def _order(p: Personas, *, paid: bool = False) -> Any:
    """An online order of a new B1 member for 2026-05 (``paid``: posted as its dues payment)."""
    from dangjian.dues.models import PaymentOrder

    member = _assessed(p)
    with acting_as(p.users["officer_b1"]):
        services.generate_bills(actor=p.users["officer_b1"], org=p.b1, month=dt.date(2026, 5, 1))
    n = next(_n)
    row = PaymentOrder(out_trade_no=f"SUITE{n}", member=member, org=p.b1, gateway=_gateway(), amount=D("40.00"),
                       idempotency_key=f"suite-order-{n}", expires_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    row.save()
    row.bills.set(DuesBill.objects.filter(member=member))
    if paid:
        with acting_as(p.users["officer_b1"]):
            result = services.record_payment(actor=p.users["officer_b1"], member=member, amount=D("40.00"),
                                             paid_on=dt.date(2026, 5, 10), method="wechat",
                                             idempotency_key=f"order:{row.out_trade_no}", months=[dt.date(2026, 5, 1)],
                                             receipt_number=row.out_trade_no)
        row.payment, row.status = result.payment, "paid"
        row.save()
    return row


class TestGatewaySuite(ConfigSuite):
    views = online_declarations.GatewayViews
    edit = {"name": "改名的网关"}

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        from dangjian.dues.models import PaymentGateway

        n = next(_n)
        row = PaymentGateway(code=f"gw{n}", name=f"网关{n}", kind="fake")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"newgw{n}", "name": f"新网关{n}", "kind": "wechat_v3", "merchant_id": "1900000001",
                "order_minutes": "30"}


class TestOrderSuite(BranchSuite):
    views = online_declarations.OrderViews
    marker = "out_trade_no"

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        return _order(p)


class TestRefundSuite(BranchSuite):
    views = online_declarations.PaymentRefundViews
    marker = "reason"

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        from dangjian.dues.models import PaymentRefund

        order = _order(p)
        row = PaymentRefund(order=order, org=p.b1, amount=order.amount, reason=f"重复缴纳{next(_n)}")
        row.save()
        return row
