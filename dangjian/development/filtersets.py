"""Filters of the development screens."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.development.choices import Stage, StepKind
from dangjian.development.models import Case, Step
from dangjian.orgs.filtersets import SubtreeFilter


class CaseFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("name"))
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))

    class Meta:
        model = Case
        fields = ("q", "within", "stage")


class StepFilterSet(ScopedFilterSet):
    case = django_filters.NumberFilter(field_name="case_id", widget=django_filters.widgets.forms.HiddenInput)
    member = django_filters.NumberFilter(field_name="case__member_id", widget=django_filters.widgets.forms.HiddenInput)
    kind = django_filters.ChoiceFilter(choices=StepKind.choices, label=_("step"))
    within = SubtreeFilter(field_name="case__org__path", label=_("within organization"))

    class Meta:
        model = Step
        fields = ("case", "member", "kind", "within")
