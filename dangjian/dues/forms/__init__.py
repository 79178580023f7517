"""Dues forms. Explicit fields (AC-03); every choice narrowed to the user's scope; writes go
through :mod:`dangjian.dues.services` so the business rules hold whichever screen is used."""

from __future__ import annotations

from dangjian.dues.forms.config import (
    AuxiliaryBandForm,
    AuxiliaryStandardForm,
    BandForm,
    DisclosureTemplateForm,
    FixedAmountForm,
    OrgSettingsForm,
    PayItemForm,
    SpendingCategoryForm,
    StandardForm,
)
from dangjian.dues.forms.fields import (
    TOKEN_MAX_AGE,
    TOKEN_SALT,
    ArrearsForm,
    MonthField,
    MonthInput,
    OrgMonthForm,
    OrgPeriodForm,
    OrgYearForm,
    StyledForm,
    branch_choices,
    dues_members,
    issue_token,
    month_inputs,
    token_key,
)
from dangjian.dues.forms.ledger import BudgetForm, BudgetLineForm, RemittanceForm, SpendingForm
from dangjian.dues.forms.payments import BulkHeaderForm, BulkRowForm, BulkRowFormSet, PaymentForm
from dangjian.dues.forms.records import (
    AssessmentForm,
    CaseForm,
    ComponentForm,
    ComponentFormSet,
    ReliefForm,
    VoidForm,
)

__all__ = [
    "ArrearsForm", "AssessmentForm", "AuxiliaryBandForm", "AuxiliaryStandardForm", "BandForm", "BudgetForm",
    "BudgetLineForm", "BulkHeaderForm", "BulkRowForm", "BulkRowFormSet", "CaseForm", "ComponentForm",
    "ComponentFormSet", "DisclosureTemplateForm", "FixedAmountForm", "MonthField", "MonthInput", "OrgMonthForm",
    "OrgPeriodForm", "OrgSettingsForm", "OrgYearForm", "PayItemForm", "PaymentForm", "ReliefForm", "RemittanceForm",
    "SpendingCategoryForm", "SpendingForm", "StandardForm", "StyledForm", "TOKEN_MAX_AGE", "TOKEN_SALT", "VoidForm",
    "branch_choices", "dues_members", "issue_token", "month_inputs", "token_key"
]
