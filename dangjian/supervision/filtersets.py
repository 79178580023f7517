"""Filters of the supervision lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.core.rectification import OverdueFilter, RectificationStatus
from dangjian.orgs.filtersets import SubtreeFilter
from dangjian.supervision.models import (
    Area7,
    Clue,
    Filing,
    FilingStatus,
    Finding,
    Inspection,
    InspectionRectification,
    Mistake,
    Stage,
)


class MistakeFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("search"))

    class Meta:
        model = Mistake
        fields = ("q",)

    def search(self, qs: QuerySet[Mistake], name: str, value: str) -> QuerySet[Mistake]:
        return qs.filter(Q(title__icontains=value) | Q(rule__icontains=value) | Q(fix__icontains=value)
                         | Q(examples__icontains=value) | Q(topic__icontains=value))


class FilingFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(label=_("year"))
    quarter = django_filters.NumberFilter(label=_("quarter"))
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label=_("status"))

    class Meta:
        model = Filing
        fields = ("within", "year", "quarter", "status")


class InspectionFilterSet(ScopedFilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    year = django_filters.NumberFilter(field_name="round__year", label=_("year"))

    class Meta:
        model = Inspection
        fields = ("stage", "year")


class FindingFilterSet(ScopedFilterSet):
    inspection = django_filters.NumberFilter(field_name="inspection_id", widget=django_filters.widgets.forms.HiddenInput)
    area = django_filters.ChoiceFilter(choices=Area7.choices, label=_("area"))

    class Meta:
        model = Finding
        fields = ("inspection", "area")


class RectificationFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices, label=_("status"))
    overdue = OverdueFilter()
    finding = django_filters.NumberFilter(field_name="finding_id", widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = InspectionRectification
        fields = ("within", "status", "overdue", "finding")


class ClueFilterSet(ScopedFilterSet):
    inspection = django_filters.NumberFilter(field_name="inspection_id", widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = Clue
        fields = ("inspection",)
