"""Forms of the supervision screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.rectification import RectificationStatus
from dangjian.core.scoping import orgs_where
from dangjian.supervision.models import (
    Accountability,
    Clue,
    CoverageRule,
    FilingRequirement,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionRectification,
    InspectionRound,
    Mistake,
    WorkingNote,
)
from dangjian.supervision.services.inspection import may_sign_off


class FilingRequirementForm(ScopedModelForm):
    class Meta:
        model = FilingRequirement
        fields = ("year", "org_kind", "code", "name", "source", "due_days", "order", "basis")


class MistakeForm(ScopedModelForm):
    class Meta:
        model = Mistake
        fields = ("topic", "title", "rule", "fix", "examples")


class CoverageRuleForm(ScopedModelForm):
    class Meta:
        model = CoverageRule
        fields = ("year", "target_kind", "unit_kind", "max_depth", "times", "term_years", "basis")


def staff_users(user: Any, area: str) -> Any:
    """Users holding an active grant inside the organizations where ``user`` works in ``area``:
    the people a plan's leadership or a team is picked from."""
    from dangjian.accounts.models import User

    orgs = orgs_where(user, area, "change")
    return User.objects.filter(grants__revoked_at__isnull=True, grants__org__in=orgs,  # scope-ok: narrowed to the user's organizations
                               is_active=True).distinct().order_by("username")


class PlanForm(ScopedModelForm):
    class Meta:
        model = InspectionPlan
        fields = ("committee", "title", "term_start", "term_years", "rounds_per_year", "capacity", "leaders")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "committee", orgs_where(self.user, "inspection_plans", "add").filter(kind="committee"))
        self.fields["leaders"].queryset = staff_users(self.user, "inspection_plans")  # type: ignore[attr-defined]


class RoundForm(ScopedModelForm):
    class Meta:
        model = InspectionRound
        fields = ("plan", "year", "number", "starts_on")


class InspectionForm(ScopedModelForm):
    class Meta:
        model = Inspection
        fields = ("round", "target", "leader", "team", "views_collected", "methods", "feedback_leadership",
                  "feedback_head")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from dangjian.accounts.models import User

        people = Q(pk__in=staff_users(self.user, "inspection").values("pk"))
        if not self.instance._state.adding:
            people |= Q(pk=self.instance.leader_id) | Q(pk__in=self.instance.team.values("pk"))
        self.fields["leader"].queryset = User.objects.filter(people).order_by("username")  # type: ignore[attr-defined]  # scope-ok: narrowed above
        self.fields["team"].queryset = User.objects.filter(people).order_by("username")  # type: ignore[attr-defined]  # scope-ok: narrowed above


class FindingForm(ScopedModelForm):
    class Meta:
        model = Finding
        fields = ("inspection", "area", "text", "evidence")


class NoteForm(ScopedModelForm):
    class Meta:
        model = WorkingNote
        fields = ("inspection", "text")

    def save(self, commit: bool = True) -> Any:
        self.instance.written_by = self.user
        return super().save(commit)


class ClueForm(ScopedModelForm):
    class Meta:
        model = Clue
        fields = ("inspection", "finding", "department", "summary", "transferred_on", "outcome")


class RectificationForm(ScopedModelForm):
    """Closing here is the inspector's sign-off (销号): only the team may choose "closed"."""

    class Meta:
        model = InspectionRectification
        fields = ("org", "finding", "content", "owner", "deadline", "status", "evidence", "closed_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        closing = data.get("status") == RectificationStatus.CLOSED and (
            self.instance._state.adding or self.instance.status != RectificationStatus.CLOSED)
        if closing:
            finding = data.get("finding")
            probe = InspectionRectification(finding=finding) if finding is not None else None
            if probe is None or not may_sign_off(self.user, probe):
                self.add_error("status", gettext("Only the inspection team signs off a rectification item."))
        return data

    def save(self, commit: bool = True) -> Any:
        if self.instance.status == RectificationStatus.CLOSED and self.instance.signed_off_by_id is None:
            self.instance.signed_off_by = self.user
            self.instance.signed_off_on = timezone.localdate()
            self.instance.closed_on = self.instance.closed_on or timezone.localdate()
            self.instance._just_closed = True
        return super().save(commit)


class AccountabilityForm(ScopedModelForm):
    class Meta:
        model = Accountability
        fields = ("finding", "kind", "person", "decision", "decided_on")


class ReturnItemForm(forms.Form):
    comment = forms.CharField(label=_("reviewer's comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
