"""Dues computations as plain functions (DOMAIN.md section 1).

Pure parts (bands, rounding, the base) take plain values and are table- and property-tested.
The parts over the database take querysets and return a :class:`Total` — the amount *and*
the rows that make it up — so every total on a page opens into its entries.
Nothing here writes; writes are in :mod:`dangjian.dues.services`.
"""

from __future__ import annotations

from dangjian.core.periods import add_months as add_months
from dangjian.core.periods import month_end as month_end
from dangjian.core.periods import month_start as month_start
from dangjian.core.periods import months_apart as months_apart
from dangjian.core.periods import months_between as months_between
from dangjian.dues.choices import PaymentState
from dangjian.dues.rules.bills import (
    Arrears,
    Collection,
    CollectionCell,
    Total,
    allocated,
    amount_due,
    arrears,
    arrears_warnings,
    assessment_for_month,
    bill_state,
    bills_in,
    cents,
    collection,
    left_to_pay,
    outstanding,
    payments_in,
    relief_for_month,
    with_allocated,
    with_paid,
)
from dangjian.dues.rules.budget import (
    BudgetRow,
    BudgetSummary,
    CareFund,
    approved_spending,
    budget_summary,
    budget_vs_actual,
    care_fund,
    with_budget_total,
)
from dangjian.dues.rules.disclosure import Disclosure, MemberLine, collected_by_child, disclosure
from dangjian.dues.rules.pure import (
    CENT,
    HUNDRED,
    ZERO,
    Band,
    BaseBreakdown,
    BaseLine,
    Computation,
    compute_base,
    due_date,
    dues_from_bands,
    find_band,
    fixed_dues,
    percent_of,
    round_amount,
)
from dangjian.dues.rules.standards import (
    auxiliary_standard_for,
    care_fund_percent_for,
    compute_for_kind,
    remit_percent_for,
    rounding_for,
    standard_in_force,
)
from dangjian.dues.rules.statements import (
    BranchMonth,
    Income,
    Reconciliation,
    ReconRow,
    branch_month,
    income,
    reconciliation,
    remittances_received,
    remittances_sent,
)

__all__ = [
    "PaymentState", "Arrears", "Band", "BaseBreakdown", "BaseLine", "BranchMonth", "BudgetRow", "BudgetSummary", "CENT", "CareFund",
    "Collection", "CollectionCell", "Computation", "Disclosure", "HUNDRED", "Income", "MemberLine", "ReconRow",
    "Reconciliation", "Total", "ZERO", "add_months", "allocated", "amount_due", "approved_spending", "arrears",
    "arrears_warnings", "assessment_for_month", "auxiliary_standard_for", "bill_state", "bills_in", "branch_month",
    "budget_summary", "budget_vs_actual", "care_fund", "care_fund_percent_for", "cents", "collected_by_child",
    "collection", "compute_base", "compute_for_kind", "disclosure", "due_date", "dues_from_bands", "find_band",
    "fixed_dues", "income", "left_to_pay", "month_end", "month_start", "months_apart", "months_between",
    "outstanding", "payments_in", "percent_of", "reconciliation", "relief_for_month", "remit_percent_for",
    "remittances_received", "remittances_sent", "round_amount", "rounding_for", "standard_in_force",
    "with_allocated", "with_budget_total", "with_paid"
]
