"""Payment forms: one payment, a bulk entry, voiding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.dues import rules, services
from dangjian.dues.choices import PaymentMethod
from dangjian.dues.forms.fields import (
    MonthField,
    StyledForm,
    dues_members,
    issue_token,
    month_inputs,
    token_key,
)
from dangjian.dues.models import (
    DuesPayment,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


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
            if not self.initial.get("paid_on"):  # a new payment is dated today unless told otherwise
                self.initial["paid_on"] = timezone.localdate()
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
            if not self.initial.get("paid_on"):  # a new payment is dated today unless told otherwise
                self.initial["paid_on"] = timezone.localdate()

    def clean_token(self) -> str:
        return token_key(self.user, self.cleaned_data["token"])
