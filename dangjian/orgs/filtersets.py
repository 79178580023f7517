"""Filters of the organization screens."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization, OrganizationTerm, PoliceUnit


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows whose organization lies in the chosen organization's subtree (path prefix).

    The choices are the committees and general branches (a province has ~500 of them, but
    ~9,000 branches): a single branch is reached from the tree or the branch's own page.
    """

    def __init__(self, *args: Any, field_name: str = "org__path", **kwargs: Any) -> None:
        committees = Organization.objects.filter(  # scope-ok: narrowed later
            kind__in=(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)).only("id", "name", "path", "kind")
        kwargs.setdefault("queryset", committees)
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__startswith": value.path})


class OrganizationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("organization kind"))
    unit = django_filters.ModelChoiceFilter(queryset=PoliceUnit.objects.all(), label=_("police unit"))
    within = SubtreeFilter(field_name="path", label=_("within organization"))
    # Reached from the tree's links (?parent=…), never typed: no box asking for a database id.
    parent = django_filters.NumberFilter(method="children_of", label=_("parent organization"),
                                         widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = Organization
        fields = ("q", "kind", "unit", "within")

    def search(self, qs: QuerySet[Organization], name: str, value: str) -> QuerySet[Organization]:
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(short_name__icontains=value))

    def children_of(self, qs: QuerySet[Organization], name: str, value: Any) -> QuerySet[Organization]:
        parent = Organization.objects.visible_to(self.request.user, "view").filter(pk=value).first()
        if parent is None:
            return qs.none()
        return qs.filter(path__startswith=parent.path, depth=parent.depth + 1)


class TermFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", label=_("organization"),
                                      widget=django_filters.widgets.forms.HiddenInput)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    # The 换届提醒 page's rows (its Excel link: the terms export with ?expiring=true), never typed.
    expiring = django_filters.BooleanFilter(method="expiring_only", label=_("Term expiry"),
                                            widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = OrganizationTerm
        fields = ("org", "within")

    def expiring_only(self, qs: QuerySet[OrganizationTerm], name: str, value: Any) -> QuerySet[OrganizationTerm]:
        from django.utils import timezone

        from dangjian.orgs.rules import expiring_q

        return qs.filter(expiring_q(timezone.localdate())).order_by("ends_on") if value else qs
