"""Assessment, relief and arrears-case forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.errors import RuleError
from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.dues import rules, services
from dangjian.dues.choices import CaseDecision, DuesKind
from dangjian.dues.forms.fields import MonthField, StyledForm, dues_members, month_inputs
from dangjian.dues.models import (
    ArrearsCase,
    FixedDuesAmount,
    HardshipRelief,
    PayItem,
)
from dangjian.members.models import Member


class AssessmentForm(StyledForm):
    """A yearly assessment or a mid-year re-assessment; the components come in a formset."""

    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("member"))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(choices=DuesKind.choices, label=_("dues kind"))
    fixed = forms.ModelChoiceField(queryset=FixedDuesAmount.objects.none(), required=False,
                                   label=_("fixed dues amount"))
    fixed_amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False,
                                      label=_("fixed monthly amount (within the range)"))
    effective_month = MonthField(required=False, label=_("applies from month"),
                                 help_text=_("Only for a mid-year re-assessment or a later start."))
    reason = forms.CharField(max_length=200, required=False, label=_("reason for the re-assessment"))
    note = forms.CharField(max_length=200, required=False, label=_("note"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        restrict(self, "member", dues_members(user, "add"))
        try:
            standard = rules.standard_in_force(timezone.localdate())
            restrict(self, "fixed", FixedDuesAmount.objects.visible_to(user, "view").filter(standard=standard))
        except RuleError:
            pass


class ComponentForm(StyledForm):
    item = forms.ModelChoiceField(queryset=PayItem.objects.none(), required=False, label=_("pay item"))
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=Decimal("0"),
                                label=_("monthly amount"))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "item", PayItem.objects.visible_to(user, "view").filter(is_active=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("item")) != (data.get("amount") is not None):
            raise ValidationError(gettext("Enter both the pay item and its amount."))
        return data


ComponentFormSet = forms.formset_factory(ComponentForm, extra=8, max_num=30)


class ReliefForm(ScopedModelForm):
    """The branch's decision to reduce or waive; saved through the service (pending approval)."""

    from_month = MonthField(label=_("from month"))
    to_month = MonthField(label=_("to month"), required=False)

    class Meta:
        model = HardshipRelief
        fields = ("member", "kind", "from_month", "to_month", "reduced_amount", "reason", "branch_decided_on",
                  "branch_decision_ref")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "member", dues_members(self.user, "add"))
        month_inputs(self)

    def save(self, commit: bool = True) -> HardshipRelief:
        data = self.cleaned_data
        return services.propose_relief(
            actor=self.user, member=data["member"], kind=data["kind"], from_month=data["from_month"],
            to_month=data.get("to_month"), reduced_amount=data.get("reduced_amount"), reason=data["reason"],
            branch_decided_on=data["branch_decided_on"], branch_decision_ref=data["branch_decision_ref"],
        )


class VoidForm(StyledForm):
    reason = forms.CharField(max_length=200, label=_("reason"))


class CaseForm(ScopedModelForm):
    """The talk record and the branch's decision on an arrears case (saved through the service)."""

    class Meta:
        model = ArrearsCase
        fields = ("talk_on", "talk_by", "talk_record", "decision", "decided_on", "decision_ref")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") and not (data.get("decided_on") and data.get("decision_ref")):
            raise ValidationError(gettext("A decision needs its date and the meeting that took it."))
        if data.get("decision") and data["decision"] not in CaseDecision.values:
            self.add_error("decision", gettext("Choose a decision."))
        return data

    def save(self, commit: bool = True) -> ArrearsCase:
        data = self.cleaned_data
        self.instance.refresh_from_db(fields=["version"])
        if (self.cleaned_data.get("version") or 0) != self.instance.version:  # missing or 0 is stale too
            from dangjian.core.models import VersionConflict

            raise VersionConflict
        return services.record_case_decision(
            actor=self.user, case=self.instance, talk_on=data.get("talk_on"), talk_by=data.get("talk_by", ""),
            talk_record=data.get("talk_record", ""), decision=data.get("decision", ""),
            decided_on=data.get("decided_on"), decision_ref=data.get("decision_ref", ""),
        )
