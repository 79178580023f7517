"""Filters of the library's lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.library.models import FlagStatus, QualityCheck, QualityFlag
from dangjian.orgs.filtersets import SubtreeFilter


class QualityFlagFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    reason = django_filters.ChoiceFilter(choices=QualityCheck.choices, label=_("check"))
    status = django_filters.ChoiceFilter(choices=FlagStatus.choices, label=_("status"))
    date_from = django_filters.DateFilter(field_name="meeting__starts_at", lookup_expr="date__gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="meeting__starts_at", lookup_expr="date__lte", label=_("to"))

    class Meta:
        model = QualityFlag
        fields = ("within", "reason", "status", "date_from", "date_to")
