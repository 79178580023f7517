"""Dues forms. Explicit fields (AC-03); every choice narrowed to the user's scope; writes go
through :mod:`dangjian.dues.services` so the business rules hold whichever screen is used."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.errors import RuleError
from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where, scope_paths, within_scope
from dangjian.dues import rules, services
from dangjian.dues.choices import CaseDecision, DuesKind, PaymentMethod
from dangjian.dues.models import (
    ArrearsCase,
    AuxiliaryPoliceBand,
    AuxiliaryPoliceStandard,
    DisclosureTemplate,
    DuesBand,
    DuesBudget,
    DuesBudgetLine,
    DuesOrgSettings,
    DuesPayment,
    DuesRemittance,
    DuesSpending,
    DuesStandard,
    FixedDuesAmount,
    HardshipRelief,
    PayItem,
    SpendingCategory,
)
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

TOKEN_SALT = "dangjian.dues.form-token"  # noqa: S105  (a signing salt, not a secret)
TOKEN_MAX_AGE = 24 * 3600


# --- one-time form tokens (idempotency keys) --------------------------------------------------


def issue_token(user: Any) -> str:
    """A one-time token for a payment form, bound to the user; its nonce is the idempotency key."""
    return signing.dumps({"u": user.pk, "n": uuid.uuid4().hex}, salt=TOKEN_SALT, compress=True)


def token_key(user: Any, token: str) -> str:
    """The idempotency key carried by ``token``; refuses tokens of another user or too old."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(gettext("This form has expired. Reload the page and enter the payment again.")) from exc
    if data.get("u") != user.pk or not re.fullmatch(r"[0-9a-f]{32}", str(data.get("n", ""))):
        raise ValidationError(gettext("This form has expired. Reload the page and enter the payment again."))
    return f"u{user.pk}-{data['n']}"


# --- fields and helpers -----------------------------------------------------------------------


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.DateField):
    """A month entered as YYYY-MM (or a date): the first day of that month."""

    widget = MonthInput

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}", value.strip()):
            year, month = (int(x) for x in value.strip().split("-"))
            if not 1 <= month <= 12:
                raise ValidationError(gettext("Enter a valid month."))
            return dt.date(year, month, 1)
        day = super().to_python(value)
        return rules.month_start(day) if day else None


def month_inputs(form: forms.BaseForm) -> None:
    """Month pickers stay month pickers (ScopedModelForm turns every date field into a date input)."""
    for field in form.fields.values():
        if isinstance(field, MonthField):
            field.widget.input_type = "month"  # type: ignore[attr-defined]


def dues_members(user: Any, action: str = "add") -> QuerySet[Member]:
    """Active members of organizations in the user's dues scope."""
    return within_scope(Member.objects.visible_to(user, "view").filter(is_active=True), user, "dues", action)


def branch_choices(user: Any, action: str = "view") -> QuerySet[Organization]:
    return orgs_where(user, "dues", action).filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE])


class StyledForm(forms.Form):
    """A plain form with Tabler classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)
            if isinstance(field, forms.DateField) and not isinstance(field, MonthField):
                field.widget.input_type = "date"  # type: ignore[attr-defined]


class OrgMonthForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("branch"))
    month = MonthField(label=_("month"))

    def __init__(self, *args: Any, user: Any, action: str = "add", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, action))


class OrgPeriodForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    first = MonthField(label=_("from month"))
    last = MonthField(label=_("to month"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, "view"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise ValidationError(gettext("The end month cannot be before the start month."))
        return data


class OrgYearForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, "view"))


class ArrearsForm(StyledForm):
    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    as_of = forms.DateField(label=_("as of"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", branch_choices(user, "view"))


# --- config tables ------------------------------------------------------------------------------


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


# --- assessment -------------------------------------------------------------------------------


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


# --- relief, cases --------------------------------------------------------------------------


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


# --- payments ---------------------------------------------------------------------------------


class PaymentForm(ScopedModelForm):
    """One payment. The hidden one-time ``token`` makes a double submission record it once."""

    token = forms.CharField(widget=forms.HiddenInput)
    first_month = MonthField(label=_("pays from month"), required=False,
                             help_text=_("Empty: the oldest unpaid months first."))
    last_month = MonthField(label=_("pays to month"), required=False)

    class Meta:
        model = DuesPayment
        fields = ("member", "amount", "paid_on", "method", "arrangement", "collector", "receipt_number",
                  "proxy_payer", "proxy_relation", "back_payment_reason", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "member", dues_members(self.user, "add"))
        restrict(self, "collector", dues_members(self.user, "add"))
        if not self.is_bound:
            self.initial["token"] = issue_token(self.user)
            self.initial.setdefault("paid_on", timezone.localdate())
        self.order_fields(["member", "first_month", "last_month", *self.Meta.fields])
        month_inputs(self)

    def clean_token(self) -> str:
        return token_key(self.user, self.cleaned_data["token"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_month"), data.get("last_month")
        if last and not first:
            self.add_error("first_month", gettext("Enter the first month as well."))
        if first and last and last < first:
            self.add_error("last_month", gettext("The end month cannot be before the start month."))
        return data

    def months(self) -> list[dt.date] | None:
        first, last = self.cleaned_data.get("first_month"), self.cleaned_data.get("last_month")
        if not first:
            return None
        return rules.months_between(first, last or first)

    def save(self, commit: bool = True) -> DuesPayment:
        data = self.cleaned_data
        result = services.record_payment(
            actor=self.user, member=data["member"], amount=data["amount"], paid_on=data["paid_on"],
            method=data["method"], idempotency_key=data["token"], months=self.months(),
            arrangement=data["arrangement"], collector=data.get("collector"),
            receipt_number=data.get("receipt_number", ""), proxy_payer=data.get("proxy_payer", ""),
            proxy_relation=data.get("proxy_relation", ""), back_payment_reason=data.get("back_payment_reason", ""),
            note=data.get("note", ""),
        )
        self.created = result.created
        return result.payment


class BulkRowForm(StyledForm):
    """One member's line on the bulk entry screen."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    paid = forms.BooleanField(required=False, label=_("paid"))
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False, min_value=Decimal("0.01"),
                                label=_("amount"))
    method = forms.ChoiceField(choices=PaymentMethod.choices, initial=PaymentMethod.CASH, label=_("payment method"))
    receipt_number = forms.CharField(max_length=40, required=False, label=_("receipt number"))
    proxy_payer = forms.CharField(max_length=50, required=False, label=_("paid on the member's behalf by"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("paid") and not data.get("amount"):
            self.add_error("amount", gettext("Enter the amount paid."))
        return data


BulkRowFormSet = forms.formset_factory(BulkRowForm, extra=0, max_num=500)


class BulkHeaderForm(StyledForm):
    token = forms.CharField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("paid on"))
    collector = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, label=_("collector"))

    def __init__(self, *args: Any, user: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        restrict(self, "collector", dues_members(user, "add").filter(org=org))
        if not self.is_bound:
            self.initial["token"] = issue_token(user)
            self.initial.setdefault("paid_on", timezone.localdate())

    def clean_token(self) -> str:
        return token_key(self.user, self.cleaned_data["token"])


# --- statements, remittance, budget, spending -----------------------------------------------


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
