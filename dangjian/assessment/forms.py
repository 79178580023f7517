"""Forms of the assessment module. A score of the committee above (an item's, a project's) and
a veto decision are refused unless the user holds the level above the organization."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.assessment import services
from dangjian.assessment.choices import DisposalStep, MemberGrade
from dangjian.assessment.models import (
    BonusEntry,
    DeductionRule,
    GradeScheme,
    ItemEvaluation,
    ListItem,
    MemberReview,
    MemberReviewRound,
    Project,
    ProjectReport,
    ReviewReport,
    ReviewRound,
    VetoCase,
)
from dangjian.core.errors import RuleError
from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where, within_scope
from dangjian.members.models import Member


class _OrgForm(ScopedModelForm):
    org_field = "org"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.org_field in self.fields:
            restrict(self, self.org_field, orgs_where(self.user, "assessment", "add"))

    def level_above(self, org: Any, field: str, what: Any) -> None:
        """A value of ``field`` set or changed by someone who is not the level above is refused."""
        if org is None or field not in self.changed_data:
            return
        try:
            services.check_level_above(self.user, org, str(what))
        except RuleError as exc:
            raise ValidationError({field: exc.messages}) from exc


class SchemeForm(ScopedModelForm):
    class Meta:
        model = GradeScheme
        fields = ("year", "name", "weight_basic", "weight_project", "weight_mandated", "weight_review",
                  "weight_bonus", "routine_base", "bonus_cap", "basis")


class ItemForm(ScopedModelForm):
    class Meta:
        model = ListItem
        fields = ("year", "kind", "code", "name", "post", "level", "score", "cap", "deadline", "commendation_kinds",
                  "basis", "order")


class DeductionForm(ScopedModelForm):
    class Meta:
        model = DeductionRule
        fields = ("year", "code", "source", "name", "points", "cap", "threshold", "basis")


class EvaluationForm(_OrgForm):
    class Meta:
        model = ItemEvaluation
        fields = ("org", "item", "holder", "self_score", "self_note", "evidence", "done_on", "score", "comment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "item", ListItem.objects.visible_to(self.user, "view").filter(kind__in=("basic", "mandated")))
        restrict(self, "holder", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "assessment",
                                              "add"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item = data.get("item")
        for name in ("self_score", "score"):
            value = data.get(name)
            if item is not None and value is not None and not 0 <= value <= item.score:
                self.add_error(name, gettext("Between 0 and the item's points."))
        self.level_above(data.get("org"), "score", gettext("the score of the committee above"))
        return data


class ProjectForm(_OrgForm):
    class Meta:
        model = Project
        fields = ("org", "year", "theme", "carrier", "goals", "measures", "standard", "milestones", "mid_check",
                  "score", "evaluation")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.level_above(data.get("org"), "score", gettext("the year-end evaluation"))
        self.level_above(data.get("org"), "mid_check", gettext("the mid-year check"))
        return data


class ProgressForm(ScopedModelForm):
    class Meta:
        model = ProjectReport
        fields = ("project", "reported_on", "progress", "evidence")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "project", within_scope(Project.objects.visible_to(self.user, "view"), self.user,
                                               "assessment", "add"))


class BonusForm(_OrgForm):
    class Meta:
        model = BonusEntry
        fields = ("org", "item", "year", "label", "evidence", "on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "item", ListItem.objects.visible_to(self.user, "view").filter(kind="bonus"))


class VetoForm(_OrgForm):
    class Meta:
        model = VetoCase
        fields = ("org", "year", "rule", "reason", "decision_ref")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.level_above(data.get("org"), "rule", gettext("a veto decision"))
        return data


class RoundForm(_OrgForm):
    class Meta:
        model = ReviewRound
        fields = ("org", "year", "title", "opens_on", "closes_on", "session_on")


class ReportForm(_OrgForm):
    class Meta:
        model = ReviewReport
        fields = ("round", "org", "secretary", "summary", "remarks", "rectification")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "round", ReviewRound.objects.visible_to(self.user, "view"))
        restrict(self, "secretary", within_scope(Member.objects.visible_to(self.user, "view"), self.user,
                                                 "assessment", "add"))

    def save(self, commit: bool = True) -> ReviewReport:
        row = super().save(commit=commit)
        if commit:
            services.open_counters(row)
        return row


class MemberRoundForm(_OrgForm):
    class Meta:
        model = MemberReviewRound
        fields = ("org", "year", "excellent_max_share", "held_on")


class MemberReviewForm(ScopedModelForm):
    class Meta:
        model = MemberReview
        fields = ("round", "member", "self_assessment", "peer_review", "votes_excellent", "votes_qualified",
                  "votes_basic", "votes_unqualified", "proposal")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "round", within_scope(MemberReviewRound.objects.visible_to(self.user, "view"), self.user,
                                             "assessment", "add"))
        restrict(self, "member", within_scope(Member.objects.visible_to(self.user, "view"), self.user, "assessment",
                                              "add"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        round_, member = data.get("round"), data.get("member")
        if round_ is not None and member is not None and not member.org.path.startswith(round_.org.path):
            self.add_error("member", gettext("The member must belong to the branch evaluated."))
        return data


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=pgettext_lazy("assessment", "grade"), choices=MemberGrade.choices,
                              widget=forms.Select(attrs={"class": "form-select"}))
    decision_ref = forms.CharField(label=_("decision (meeting, document)"), max_length=200,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))


class DisposalForm(forms.Form):
    step = forms.ChoiceField(label=_("step"), choices=DisposalStep.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    decided_on = forms.DateField(label=_("decided on"), widget=forms.DateInput(attrs={"class": "form-control",
                                                                                     "type": "date"}))
    decision_ref = forms.CharField(label=_("decision (meeting, document)"), max_length=200,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"class": "form-control",
                                                                                       "rows": 2}))


class PublishForm(forms.Form):
    decision_ref = forms.CharField(label=_("decision (meeting, document)"), max_length=200,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))
