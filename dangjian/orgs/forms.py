"""Forms of the organization screens (explicit fields, AC-03)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization, OrganizationTerm, OrgRules
from dangjian.orgs.rules import default_term_end


class OrganizationForm(ScopedModelForm):
    parent = forms.ModelChoiceField(
        queryset=Organization.objects.all(), required=False, label=_("parent organization"),
        help_text=_("Leave empty only for a top-level committee."),
    )

    class Meta:
        model = Organization
        fields = ("name", "short_name", "code", "kind", "unit", "founded_on", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["parent"]  # moving is its own audited action
        else:
            restrict(self, "parent", Organization.objects.visible_to(self.user, "add"))

    def save(self, commit: bool = True) -> Organization:
        org: Organization = self.instance
        if org.pk is not None:
            return super().save(commit=commit)  # type: ignore[no-any-return]
        parent = self.cleaned_data.get("parent")
        if parent is not None:
            return Organization.objects.add_child(parent, instance=org)  # type: ignore[no-any-return]  # scope-ok: re-checked by ensure_in_scope
        return Organization.objects.add_root(instance=org)  # type: ignore[no-any-return]  # scope-ok: re-checked by ensure_in_scope


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("new parent organization"))

    def __init__(self, *args: Any, user: Any, node: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.node = node
        restrict(self, "target", Organization.objects.visible_to(user, "change").exclude(path__startswith=node.path))
        self.fields["target"].widget.attrs["class"] = "form-select"


class TermForm(ScopedModelForm):
    """A term of office. Its end may be left empty: it then follows the organization rules
    (the start plus the term length of the organization's kind, DOMAIN.md 2.4)."""

    class Meta:
        model = OrganizationTerm
        fields = ("org", "number", "started_on", "ends_on", "extended_to", "extension_reason", "closed_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = OrgRules.for_year(timezone.localdate().year)
        ends_on = self.fields["ends_on"]
        ends_on.required = False
        ends_on.help_text = gettext(
            "Leave empty for the usual term: %(committee)d years for a party committee, %(branch)d years for a "
            "general branch or branch, counted from the start."
        ) % {"committee": rules.term_years(OrgKind.COMMITTEE), "branch": rules.term_years(OrgKind.BRANCH)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("ends_on") and data.get("org") and data.get("started_on"):
            data["ends_on"] = default_term_end(data["org"], data["started_on"])
        return data
