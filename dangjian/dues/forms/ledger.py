"""Statements, remittances, budget and spending forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where
from dangjian.dues import services
from dangjian.dues.forms.fields import MonthField, month_inputs
from dangjian.dues.models import (
    DuesBudget,
    DuesBudgetLine,
    DuesRemittance,
    DuesSpending,
    SpendingCategory,
)


class RemittanceForm(ScopedModelForm):
    """Dues passed upwards; the expected share is computed by the service."""

    period_start = MonthField(label=_("period from month"))
    period_end = MonthField(label=_("period to month"))
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=Decimal("0"),
                                label=_("amount remitted"), help_text=_("Empty: the computed share."))

    class Meta:
        model = DuesRemittance
        fields = ("from_org", "period_start", "period_end", "amount", "remitted_on", "reference", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "from_org", orgs_where(self.user, "dues", "add"))
        month_inputs(self)

    def save(self, commit: bool = True) -> DuesRemittance:
        data = self.cleaned_data
        return services.record_remittance(
            actor=self.user, from_org=data["from_org"], period_start=data["period_start"],
            period_end=data["period_end"], amount=data.get("amount"), remitted_on=data["remitted_on"],
            reference=data.get("reference", ""), note=data.get("note", ""),
        )


class BudgetForm(ScopedModelForm):
    class Meta:
        model = DuesBudget
        fields = ("org", "year", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "dues", "add"))

    def save(self, commit: bool = True) -> DuesBudget:
        if self.instance.pk is None:
            self.instance.requested_by = self.user
        return super().save(commit)


class BudgetLineForm(ScopedModelForm):
    class Meta:
        model = DuesBudgetLine
        fields = ("budget", "category", "amount", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "budget", DuesBudget.objects.visible_to(self.user, "change"))
        restrict(self, "category", SpendingCategory.objects.visible_to(self.user, "view").filter(is_active=True))


class SpendingForm(ScopedModelForm):
    """A spending request; it counts once approved by a collective decision."""

    class Meta:
        model = DuesSpending
        fields = ("org", "category", "spent_on", "amount", "payee", "purpose", "voucher_number", "from_care_fund")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "dues", "add"))
        restrict(self, "category", SpendingCategory.objects.visible_to(self.user, "view").filter(is_active=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk and self.instance.status != "pending":
            raise ValidationError(gettext("Approved or rejected spending cannot be changed."))
        return data

    def save(self, commit: bool = True) -> DuesSpending:
        if self.instance.pk is None:
            self.instance.requested_by = self.user
        return super().save(commit)
