"""Filters of the honors lists; ``org`` (hidden) selects one unit's rows for its page."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import ApprovalStatus
from dangjian.core.filtersets import ScopedFilterSet
from dangjian.honors.choices import CeremonyKind
from dangjian.honors.models import Commendation, CommendationKind, HonorCeremony, Pennant
from dangjian.orgs.filtersets import SubtreeFilter

Hidden = forms.HiddenInput


class CommendationKindFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = CommendationKind
        fields = ("year",)


class CommendationFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="kind__year", label=_("year"))
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices, label=_("status"))

    class Meta:
        model = Commendation
        fields = ("org", "within", "year", "status")


class CeremonyFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    kind = django_filters.ChoiceFilter(choices=CeremonyKind.choices, label=_("ceremony"))
    year = django_filters.NumberFilter(field_name="held_on__year", label=_("year"))

    class Meta:
        model = HonorCeremony
        fields = ("org", "within", "kind", "year")


class PennantFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="received_on__year", label=_("year"))
    q = django_filters.CharFilter(method="search", label=_("search"))

    class Meta:
        model = Pennant
        fields = ("org", "within", "year", "q")

    def search(self, qs: Any, name: str, value: str) -> Any:
        return qs.filter(Q(from_whom__icontains=value) | Q(case__icontains=value) | Q(story__icontains=value))
