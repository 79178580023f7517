"""Tables of the dues screens."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable, MoneyColumn
from dangjian.dues import rules
from dangjian.dues.choices import PaymentState
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

STATE_CSS = {PaymentState.PAID: "bg-green-lt", PaymentState.UNPAID: "bg-red-lt",
             PaymentState.PARTIAL: "bg-yellow-lt", PaymentState.OVERPAID: "bg-blue-lt"}


def month_text(value: Any) -> str:
    return f"{value.year}年{value.month}月" if value else ""


class StandardTable(BaseTable):
    name = tables.Column(linkify=True)
    monthly_cap = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = DuesStandard
        fields = ("name", "code", "effective_from", "monthly_cap", "rounding", "back_payment_window_months",
                  "reminder_months", "decision_months", "care_fund_percent")


class BandTable(BaseTable):
    kind = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = DuesBand
        fields = ("standard", "kind", "upper_bound", "rate_percent")


class FixedAmountTable(BaseTable):
    category = tables.Column(linkify=True)
    amount = MoneyColumn()
    min_amount = MoneyColumn()
    max_amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = FixedDuesAmount
        fields = ("standard", "category", "amount", "min_amount", "max_amount")


class AuxiliaryStandardTable(BaseTable):
    name = tables.Column(linkify=True)
    fixed_amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = AuxiliaryPoliceStandard
        fields = ("name", "effective_from", "org", "method", "fixed_amount", "source")


class AuxiliaryBandTable(BaseTable):
    upper_bound = tables.Column(linkify=True, default="—")
    amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = AuxiliaryPoliceBand
        fields = ("standard", "upper_bound", "rate_percent", "amount")


class PayItemTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PayItem
        fields = ("code", "name", "treatment", "reason", "is_active")


class SpendingCategoryTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = SpendingCategory
        fields = ("code", "name", "description", "is_care_fund", "is_active")


class DisclosureTemplateTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = DisclosureTemplate
        fields = ("name", "is_active", "created_at")


class OrgSettingsTable(BaseTable):
    org = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = DuesOrgSettings
        fields = ("org", "remit_percent", "care_fund_percent", "rounding", "remit_to_name")


class AssessmentTable(BaseTable):
    member = tables.Column(linkify=True)
    base = MoneyColumn()
    monthly_amount = MoneyColumn()
    org = tables.Column(accessor="member__org", verbose_name=_("branch"), orderable=False)
    effective_month = tables.Column(verbose_name=_("applies from month"))

    class Meta(BaseTable.Meta):
        model = DuesAssessment
        fields = ("member", "org", "year", "effective_month", "kind", "base", "rate_percent", "monthly_amount",
                  "is_reassessment")

    def render_effective_month(self, value: Any) -> str:
        return month_text(value)


class ReliefTable(BaseTable):
    member = tables.Column(linkify=True)
    reduced_amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = HardshipRelief
        fields = ("member", "kind", "from_month", "to_month", "reduced_amount", "branch_decided_on", "status")

    def render_from_month(self, value: Any) -> str:
        return month_text(value)

    def render_to_month(self, value: Any) -> str:
        return month_text(value)


class BillTable(BaseTable):
    member = tables.Column(linkify=True)
    month = tables.Column(linkify=True)
    amount_due = MoneyColumn()
    paid = MoneyColumn(verbose_name=_("amount paid"), orderable=True)
    state = tables.Column(empty_values=(), verbose_name=_("payment state"), orderable=False)

    class Meta(BaseTable.Meta):
        model = DuesBill
        fields = ("member", "org", "month", "amount_due", "paid", "state", "due_on")

    def render_month(self, value: Any) -> str:
        return month_text(value)

    def render_state(self, record: Any) -> str:
        state = PaymentState(rules.bill_state(record.amount_due, record.paid))
        return format_html('<span class="badge {}">{}</span>', STATE_CSS[state], state.label)


class PaymentTable(BaseTable):
    member = tables.Column(linkify=True)
    amount = MoneyColumn(linkify=True)
    allocated = MoneyColumn(verbose_name=_("allocated to months"))

    class Meta(BaseTable.Meta):
        model = DuesPayment
        fields = ("member", "org", "amount", "allocated", "paid_on", "method", "arrangement", "receipt_number",
                  "proxy_payer")


class CaseTable(BaseTable):
    member = tables.Column(linkify=True)
    amount_outstanding = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = ArrearsCase
        fields = ("member", "org", "opened_on", "first_unpaid_month", "months_unpaid", "amount_outstanding",
                  "status", "decision", "cleared_on")

    def render_first_unpaid_month(self, value: Any) -> str:
        return month_text(value)


class StatementTable(BaseTable):
    org = tables.Column(linkify=True)
    month = tables.Column(linkify=True)
    amount_due = MoneyColumn()
    amount_collected = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = DuesStatement
        fields = ("org", "month", "members_billed", "amount_due", "members_paid", "amount_collected", "closed_on")

    def render_month(self, value: Any) -> str:
        return month_text(value)


class RemittanceTable(BaseTable):
    from_org = tables.Column(linkify=True)
    amount = MoneyColumn(linkify=True)
    income = MoneyColumn()
    expected_amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = DuesRemittance
        fields = ("from_org", "to_org", "recipient_name", "period_start", "period_end", "income", "remit_percent",
                  "expected_amount", "amount", "remitted_on")

    def render_period_start(self, value: Any) -> str:
        return month_text(value)

    def render_period_end(self, value: Any) -> str:
        return month_text(value)


class BudgetTable(BaseTable):
    org = tables.Column(linkify=True)
    year = tables.Column(linkify=True)
    total = MoneyColumn(verbose_name=_("planned total"))

    class Meta(BaseTable.Meta):
        model = DuesBudget
        fields = ("org", "year", "total", "status", "decided_on")



class BudgetLineTable(BaseTable):
    category = tables.Column(linkify=True)
    amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = DuesBudgetLine
        fields = ("budget", "category", "amount", "note")


class SpendingTable(BaseTable):
    purpose = tables.Column(linkify=True)
    amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = DuesSpending
        fields = ("org", "spent_on", "category", "amount", "payee", "purpose", "from_care_fund", "status")
