"""Forms of the honors module; nominations are saved through ``services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where, within_scope
from dangjian.honors import services
from dangjian.honors.models import Commendation, CommendationKind, HonorCeremony, Pennant
from dangjian.members.models import Member


def _not_future(form: forms.BaseForm, name: str) -> None:
    day: dt.date | None = form.cleaned_data.get(name)
    if day is not None and day > timezone.localdate():
        form.add_error(name, gettext("The date cannot be in the future."))


class CommendationKindForm(ScopedModelForm):
    class Meta:
        model = CommendationKind
        fields = ("year", "code", "name", "nominee", "yearly_cap", "source", "order", "is_active")


class NominationForm(ScopedModelForm):
    class Meta:
        model = Commendation
        fields = ("org", "kind", "member", "nominee_org", "merits", "review_from", "review_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = orgs_where(self.user, "honors", "add")
        restrict(self, "org", orgs)
        restrict(self, "nominee_org", orgs)
        restrict(self, "member", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "honors", "add"))
        restrict(self, "kind", CommendationKind.objects.visible_to(self.user, "view").filter(is_active=True))

    def save(self, commit: bool = True) -> Commendation:
        return services.nominate(actor=self.user, row=self.instance)


class CeremonyForm(ScopedModelForm):
    class Meta:
        model = HonorCeremony
        fields = ("org", "kind", "held_on", "title", "people", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "honors", "add"))
        restrict(self, "people", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "honors", "add"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_future(self, "held_on")
        return data


class PennantForm(ScopedModelForm):
    class Meta:
        model = Pennant
        fields = ("org", "received_on", "from_whom", "case", "inscription", "officers", "story")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "honors", "add"))
        restrict(self, "officers", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "honors",
                                                "add"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_future(self, "received_on")
        org, officers = data.get("org"), data.get("officers")
        if org is not None and officers and any(not m.org.path.startswith(org.path) for m in officers):
            raise ValidationError({"officers": gettext("The officers credited must belong to the unit credited.")})
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(max_length=300, label=_("reason for revoking"),
                             widget=forms.TextInput(attrs={"class": "form-control"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
