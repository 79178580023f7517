"""Filters of the care fund lists; the hidden ones let a statement line open into its rows."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.care.models import CareDonation, CareReason, CareVisit
from dangjian.core.approvals import ApprovalStatus
from dangjian.core.filtersets import ScopedFilterSet
from dangjian.orgs.filtersets import SubtreeFilter

Hidden = forms.HiddenInput


class CareReasonFilterSet(ScopedFilterSet):
    class Meta:
        model = CareReason
        fields = ("is_active",)


class DonationFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="received_on__year", label=_("year"))
    donor = django_filters.CharFilter(lookup_expr="icontains", label=_("donor"))

    class Meta:
        model = CareDonation
        fields = ("org", "within", "year", "donor")


class VisitFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    reason = django_filters.NumberFilter(field_name="reason_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(field_name="visited_on__year", label=_("year"))
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices, label=_("status"))

    class Meta:
        model = CareVisit
        fields = ("org", "reason", "within", "year", "status")
