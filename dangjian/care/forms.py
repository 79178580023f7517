"""Forms of the care fund; writes go through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.care import services
from dangjian.care.models import CareDonation, CareReason, CareVisit
from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where, within_scope
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class CareReasonForm(ScopedModelForm):
    class Meta:
        model = CareReason
        fields = ("code", "name", "description", "order", "is_active")


class DonationForm(ScopedModelForm):
    """A donation with its receipt (recorded once, by the service)."""

    class Meta:
        model = CareDonation
        fields = ("org", "donor", "member", "amount", "received_on", "receipt_number", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "care", "add"))
        restrict(self, "member", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "care", "add"))
        self.fields["received_on"].initial = timezone.localdate()

    def save(self, commit: bool = True) -> CareDonation:
        data = self.cleaned_data
        return services.record_donation(actor=self.user, org=data["org"], donor=data["donor"], member=data.get("member"),
                                        amount=data["amount"], received_on=data["received_on"],
                                        receipt_number=data["receipt_number"], note=data.get("note") or "")


class VisitForm(ScopedModelForm):
    """A visit or condolence request. The circumstances are write-only here: the field is
    never filled from the stored value (a branch officer editing the request must not read
    them); left empty on an edit, the stored text is kept."""

    circumstances = forms.CharField(label=_("circumstances"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Sensitive: shown only to committee staff, every view audited. "
                                                "Left empty on an edit, the recorded text is kept."))

    class Meta:
        model = CareVisit
        fields = ("org", "beneficiary", "reason", "visited_on", "amount", "items", "visitor", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "care", "add"))
        restrict(self, "beneficiary", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "care",
                                                   "add"))
        restrict(self, "reason", CareReason.objects.visible_to(self.user, "view").filter(is_active=True))
        self.fields["circumstances"].initial = ""
        self.initial["circumstances"] = ""

    def save(self, commit: bool = True) -> CareVisit:
        visit = self.instance
        text = (self.cleaned_data.get("circumstances") or "").strip()
        if text:
            visit.circumstances = text
        return services.request_visit(actor=self.user, visit=visit)


class StatementForm(forms.Form):
    """Which fund and year the statement shows."""

    org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("year"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(user, "care", "view").order_by("path"))
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")
