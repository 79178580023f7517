"""Forms of the dues config tables (standards, bands, amounts, pay items, templates, settings)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where, scope_paths
from dangjian.dues.models import (
    AuxiliaryPoliceBand,
    AuxiliaryPoliceStandard,
    DisclosureTemplate,
    DuesBand,
    DuesOrgSettings,
    DuesStandard,
    FixedDuesAmount,
    PayItem,
    SpendingCategory,
)


class StandardForm(ScopedModelForm):
    class Meta:
        model = DuesStandard
        fields = ("code", "name", "effective_from", "source", "monthly_cap", "rounding", "assessment_month",
                  "due_day", "back_payment_window_months", "reminder_months", "decision_months",
                  "branch_remit_percent", "committee_remit_percent", "top_remit_percent", "care_fund_percent",
                  "notes")


class BandForm(ScopedModelForm):
    class Meta:
        model = DuesBand
        fields = ("standard", "kind", "upper_bound", "rate_percent")


class FixedAmountForm(ScopedModelForm):
    class Meta:
        model = FixedDuesAmount
        fields = ("standard", "category", "amount", "min_amount", "max_amount")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high, amount = data.get("min_amount"), data.get("max_amount"), data.get("amount")
        if low is not None and high is not None and amount is not None and not low <= amount <= high:
            raise ValidationError(gettext("The default amount must lie between the lowest and the highest amount."))
        return data


class AuxiliaryStandardForm(ScopedModelForm):
    class Meta:
        model = AuxiliaryPoliceStandard
        fields = ("name", "effective_from", "org", "method", "fixed_amount", "base_rule", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == "fixed" and data.get("fixed_amount") is None:
            self.add_error("fixed_amount", gettext("A fixed standard needs its monthly amount."))
        return data


class AuxiliaryBandForm(ScopedModelForm):
    class Meta:
        model = AuxiliaryPoliceBand
        fields = ("standard", "upper_bound", "rate_percent", "amount")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("rate_percent") is None) == (data.get("amount") is None):
            raise ValidationError(gettext("Enter either a rate or a fixed amount, not both."))
        return data


class PayItemForm(ScopedModelForm):
    class Meta:
        model = PayItem
        fields = ("code", "name", "treatment", "reason", "order", "is_active")


class SpendingCategoryForm(ScopedModelForm):
    class Meta:
        model = SpendingCategory
        fields = ("code", "name", "description", "source", "is_care_fund", "order", "is_active")


class DisclosureTemplateForm(ScopedModelForm):
    class Meta:
        model = DisclosureTemplate
        fields = ("name", "file", "is_active")

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "read"):
            return upload
        if not upload.name.lower().endswith(".docx") or upload.size > 5 * 1024 * 1024:
            raise ValidationError(gettext("Upload a Word document (.docx) of at most 5 MB."))
        from dangjian.dues.documents import check_template

        try:
            check_template(upload)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload


class OrgSettingsForm(ScopedModelForm):
    """An organization's shares and rounding are set by the level above it: a user's own top
    organizations are not a choice (a branch cannot lower what it remits)."""

    class Meta:
        model = DuesOrgSettings
        fields = ("org", "remit_percent", "care_fund_percent", "rounding", "remit_to_name")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = orgs_where(self.user, "dues", "change")
        tops = scope_paths(self.user, "dues", "change")
        if tops is not None:
            orgs = orgs.exclude(path__in=tops)
        restrict(self, "org", orgs)
