"""Points forms. Explicit fields; choices narrowed to the user's scope; writes go through
:mod:`dangjian.points.services` and :mod:`dangjian.points.violations`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, name_field_messages, restrict
from dangjian.core.scoping import orgs_where, within_scope
from dangjian.points.choices import Trigger
from dangjian.points.models import (
    OrgPointSettings,
    PointCategory,
    PointRule,
    PointScheme,
    ViolationKind,
)


def _style(form: forms.BaseForm) -> None:
    name_field_messages(form)
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        if isinstance(field.widget, forms.CheckboxInput):
            css = "form-check-input"
        field.widget.attrs.setdefault("class", css)
        if isinstance(field, forms.DateField):
            field.widget.input_type = "date"  # type: ignore[attr-defined]


def members_for(user: Any, area: str, action: str) -> Any:
    from dangjian.members.models import Member

    return within_scope(Member.objects.visible_to(user, "view").filter(is_active=True), user, area, action)\
        .select_related("org").order_by("org__path", "name")


class SchemeForm(ScopedModelForm):
    class Meta:
        model = PointScheme
        fields = ("year", "base", "floor", "star_thresholds", "objection_working_days", "violation_cycle",
                  "violation_thresholds", "appeal_days", "source")


class CategoryForm(ScopedModelForm):
    class Meta:
        model = PointCategory
        fields = ("year", "code", "name", "cap", "sort_order")


class RuleForm(ScopedModelForm):
    class Meta:
        model = PointRule
        fields = ("year", "code", "category", "description", "points", "trigger", "meeting_kinds", "needs_approval",
                  "source", "is_active")


class ViolationKindForm(ScopedModelForm):
    class Meta:
        model = ViolationKind
        fields = ("year", "code", "name", "points", "clause", "is_active")


class OrgSettingsForm(ScopedModelForm):
    class Meta:
        model = OrgPointSettings
        fields = ("org", "rankings_public", "daily_quota")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "points", "change"))


class AwardForm(forms.Form):
    """A scorer's manual award or deduction (or, for the member themselves, a claim)."""

    member = forms.ModelChoiceField(queryset=PointRule.objects.none(), label=_("member"))
    rule = forms.ModelChoiceField(queryset=PointRule.objects.none(), label=_("rule"))
    day = forms.DateField(label=_("date"))
    note = forms.CharField(label=_("what for"), max_length=300)
    file = forms.FileField(label=_("evidence file"), required=False)

    def __init__(self, *args: Any, user: Any, claim: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["day"].initial = today
        triggers = (Trigger.CLAIM,) if claim else (Trigger.MANUAL, Trigger.CLAIM)
        catalog = PointRule.objects.select_related("category")  # scope-ok: a global rules table
        rules = PointRule.rows_in_force(today.year, catalog).filter(is_active=True, trigger__in=triggers)
        restrict(self, "rule", rules)
        if claim:
            del self.fields["member"]
            self.fields["file"].required = True
        else:
            restrict(self, "member", members_for(user, "points", "add"))
        _style(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    org = forms.ModelChoiceField(queryset=PointRule.objects.none(), label=_("branch"))
    month = forms.DateField(label=_("month"), help_text=_("Any day of the month to publish."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(user, "points", "change").filter(kind="branch"))
        self.fields["month"].initial = timezone.localdate().replace(day=1)
        _style(self)


class CopyCatalogForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        _style(self)


class ViolationForm(forms.Form):
    member = forms.ModelChoiceField(queryset=PointRule.objects.none(), label=_("officer"))
    kind = forms.ModelChoiceField(queryset=ViolationKind.objects.none(), label=_("violation kind"))
    occurred_on = forms.DateField(label=_("occurred on"))
    description = forms.CharField(label=_("what happened"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("evidence"), max_length=300, required=False,
                               help_text=_("Where the evidence is kept: a video, a report, a document number."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["occurred_on"].initial = today
        restrict(self, "member", members_for(user, "discipline", "add"))
        restrict(self, "kind", ViolationKind.rows_in_force(today.year).filter(is_active=True))
        _style(self)
