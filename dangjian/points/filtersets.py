"""Filters of the points lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.members.filtersets import search_members
from dangjian.orgs.filtersets import SubtreeFilter
from dangjian.points.choices import EntryKind, EntryStatus, ObjectionOutcome, ProposalStatus, ViolationStatus
from dangjian.points.models import (
    Objection,
    PointBalance,
    PointEntry,
    PointRule,
    Publication,
    ViolationProposal,
    ViolationRecord,
)

Hidden = forms.HiddenInput


class _MemberSearch(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name, pinyin initials or police number"))

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:  # type: ignore[type-arg]
        from dangjian.members.models import Member

        return qs.filter(member__in=search_members(Member.objects.visible_to(self.request.user, "view"), value))


class EntryFilterSet(_MemberSearch):
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    publication = django_filters.NumberFilter(field_name="publication_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    year = django_filters.NumberFilter(label=_("year"))
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices, label=_("status"))
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label=_("entry kind"))

    class Meta:
        model = PointEntry
        fields = ("q", "member", "org", "publication", "within", "year", "status", "kind")


class ObjectionFilterSet(ScopedFilterSet):
    entry = django_filters.NumberFilter(field_name="entry_id", widget=Hidden)
    outcome = django_filters.ChoiceFilter(choices=ObjectionOutcome.choices, label=_("outcome"))

    class Meta:
        model = Objection
        fields = ("entry", "outcome")


class RuleFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = PointRule
        fields = ("year", "trigger")


class ViolationFilterSet(_MemberSearch):
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=ViolationStatus.choices, label=_("status"))

    class Meta:
        model = ViolationRecord
        fields = ("q", "member", "within", "status")


class ProposalFilterSet(ScopedFilterSet):
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("status"))

    class Meta:
        model = ViolationProposal
        fields = ("member", "status")


class BalanceFilterSet(ScopedFilterSet):
    member = django_filters.NumberFilter(field_name="member_id", widget=Hidden)
    within = SubtreeFilter(field_name="org_path", label=_("within organization"))
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = PointBalance
        fields = ("member", "within", "year")


class PublicationFilterSet(ScopedFilterSet):
    org = django_filters.NumberFilter(field_name="org_id", widget=Hidden)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))

    class Meta:
        model = Publication
        fields = ("org", "within", "month")
