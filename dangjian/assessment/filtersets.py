"""Filters of the assessment lists; ``org`` (hidden) selects one organization's rows."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

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
from dangjian.core.filtersets import ScopedFilterSet
from dangjian.orgs.filtersets import SubtreeFilter

WITHIN = _("within organization")
YEAR = _("year")


def _filterset(model_: type, year: str | None = "year", org: str | None = "org",
               parent: str | None = None) -> type[ScopedFilterSet]:
    attrs: dict[str, Any] = {}
    fields = []
    if parent:
        attrs[parent] = django_filters.NumberFilter(field_name=f"{parent}_id", widget=forms.HiddenInput)
        fields.append(parent)
    if org:
        attrs["org"] = django_filters.NumberFilter(field_name=f"{org}_id", widget=forms.HiddenInput)
        attrs["within"] = SubtreeFilter(field_name=f"{org}__path", label=WITHIN)
        fields += ["org", "within"]
    if year:
        attrs["year"] = django_filters.NumberFilter(field_name=year, label=YEAR)
        fields.append("year")
    attrs["Meta"] = type("Meta", (), {"model": model_, "fields": tuple(fields)})
    return type(f"{model_.__name__}FilterSet", (ScopedFilterSet,), attrs)


SchemeFilterSet = _filterset(GradeScheme, org=None)
ItemFilterSet = _filterset(ListItem, org=None)
DeductionFilterSet = _filterset(DeductionRule, org=None)
EvaluationFilterSet = _filterset(ItemEvaluation, year="item__year")
ProjectFilterSet = _filterset(Project)
ProgressFilterSet = _filterset(ProjectReport, year="project__year", org="project__org", parent="project")
BonusFilterSet = _filterset(BonusEntry)
VetoFilterSet = _filterset(VetoCase)
RoundFilterSet = _filterset(ReviewRound)
ReportFilterSet = _filterset(ReviewReport, year="round__year", parent="round")
MemberRoundFilterSet = _filterset(MemberReviewRound)
MemberReviewFilterSet = _filterset(MemberReview, year="round__year", org="round__org", parent="round")
