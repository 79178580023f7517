"""Party dues (党费, F8): standards as data, yearly assessments, monthly bills and payments,
arrears cases, statements, remittances, budgets, spending and the care fund.

Money is ``Decimal`` in ``DecimalField(max_digits=12, decimal_places=2)`` everywhere. Every
computed figure keeps the standard (rule version) it was computed with, so editing a standard
never changes what was assessed under an earlier one. The computations live in
:mod:`dangjian.dues.rules`, the writes in :mod:`dangjian.dues.services`.
"""

from __future__ import annotations

from dangjian.dues.models.assessment import DuesAssessment, DuesBaseComponent, HardshipRelief
from dangjian.dues.models.collection import ArrearsCase, DuesAllocation, DuesBill, DuesPayment
from dangjian.dues.models.ledger import (
    DuesBudget,
    DuesBudgetLine,
    DuesRemittance,
    DuesSpending,
    DuesStatement,
)
from dangjian.dues.models.online import GatewayKind, OrderStatus, PaymentGateway, PaymentOrder, PaymentRefund
from dangjian.dues.models.standards import (
    ZERO,
    AuxiliaryPoliceBand,
    AuxiliaryPoliceStandard,
    DisclosureTemplate,
    DuesBand,
    DuesOrgSettings,
    DuesStandard,
    FixedDuesAmount,
    PayItem,
    SpendingCategory,
    money,
    month_label,
    percent,
)

__all__ = [
    "ArrearsCase", "AuxiliaryPoliceBand", "AuxiliaryPoliceStandard", "DisclosureTemplate", "DuesAllocation",
    "DuesAssessment", "DuesBand", "DuesBaseComponent", "DuesBill", "DuesBudget", "DuesBudgetLine",
    "DuesOrgSettings", "DuesPayment", "DuesRemittance", "DuesSpending", "DuesStandard", "DuesStatement",
    "FixedDuesAmount", "GatewayKind", "HardshipRelief", "OrderStatus", "PayItem", "PaymentGateway", "PaymentOrder",
    "PaymentRefund", "SpendingCategory", "ZERO", "money", "month_label", "percent"
]
