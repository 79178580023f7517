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
from dangjian.orgs.structure import placement_problem, subtree_kind_problem


class OrganizationForm(ScopedModelForm):
    parent = forms.ModelChoiceField(
        queryset=Organization.objects.all(), label=_("parent organization"),
        help_text=_("A party group sits under a branch; a branch under a party committee or a general branch."),
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if self.instance.pk is None:
            if kind and "parent" not in self.errors:
                problem = placement_problem(kind, cleaned.get("parent"))
                if problem:
                    self.add_error("parent", problem)
        elif kind and kind != self.instance.kind:
            self._check_kind_change(kind)
        return cleaned

    def _check_kind_change(self, kind: str) -> None:
        """A changed kind must still fit under the parent and above the children."""
        node = self.instance
        parent = Organization.objects.get_parent(node) if node.depth > 1 else None  # scope-ok: the edited row's own parent
        problem = placement_problem(kind, parent) if parent is not None else None
        if problem is None:
            for child in Organization.objects.get_children(node):  # scope-ok: structure check of the edited row's own children
                problem = placement_problem(child.kind, Organization(kind=kind))
                if problem:
                    problem = gettext("The organizations below it do not fit under this kind: %(why)s") % {"why": problem}
                    break
        if problem:
            self.add_error("kind", problem)

    def save(self, commit: bool = True) -> Organization:
        org: Organization = self.instance
        if org.pk is not None:
            return super().save(commit=commit)  # type: ignore[no-any-return]
        parent = self.cleaned_data["parent"]
        return Organization.objects.add_child(parent, instance=org)  # type: ignore[no-any-return]  # scope-ok: re-checked by ensure_in_scope


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("new parent organization"))

    def __init__(self, *args: Any, user: Any, node: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.node = node
        restrict(self, "target", Organization.objects.visible_to(user, "change").exclude(path__startswith=node.path))
        self.fields["target"].widget.attrs["class"] = "form-select"

    def clean_target(self) -> Organization:
        target: Organization = self.cleaned_data["target"]
        problem = subtree_kind_problem(self.node, target)
        if problem:
            raise forms.ValidationError(problem)
        return target


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
