"""Filters of the organizational-life lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.core.rectification import OverdueFilter, RectificationStatus
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import (
    AgendaItem,
    Attendance,
    CriticismRecord,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    Opinion,
    RectificationItem,
    Solicitation,
    Talk,
)
from dangjian.orgs.filtersets import SubtreeFilter

HIDDEN = django_filters.widgets.forms.HiddenInput


class MeetingFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="topic", lookup_expr="icontains", label=_("topic"))
    org = django_filters.NumberFilter(field_name="org_id", widget=HIDDEN)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    kind = django_filters.ModelChoiceFilter(queryset=MeetingKind.objects.all(), label=_("meeting kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("status"))
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("to"))

    class Meta:
        model = Meeting
        fields = ("q", "org", "within", "kind", "status", "date_from", "date_to")


class AttendanceFilterSet(ScopedFilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", widget=HIDDEN)
    member = django_filters.NumberFilter(field_name="member_id", widget=HIDDEN)
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices, label=_("attendance"))

    class Meta:
        model = Attendance
        fields = ("meeting", "member", "status")


class RequirementFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    kind = django_filters.ModelChoiceFilter(queryset=MeetingKind.objects.all(), label=_("meeting kind"))

    class Meta:
        model = MeetingRequirement
        fields = ("year", "kind")


class SolicitationFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    meeting = django_filters.NumberFilter(field_name="meeting_id", widget=HIDDEN)

    class Meta:
        model = Solicitation
        fields = ("within", "meeting")


class OpinionFilterSet(ScopedFilterSet):
    solicitation = django_filters.NumberFilter(field_name="solicitation_id", widget=HIDDEN)
    agenda_item = django_filters.NumberFilter(field_name="agenda_item_id", widget=HIDDEN)
    uncollated = django_filters.BooleanFilter(field_name="agenda_item", lookup_expr="isnull", label=_("not collated"))

    class Meta:
        model = Opinion
        fields = ("solicitation", "agenda_item", "uncollated")


class AgendaItemFilterSet(ScopedFilterSet):
    solicitation = django_filters.NumberFilter(field_name="solicitation_id", widget=HIDDEN)

    class Meta:
        model = AgendaItem
        fields = ("solicitation",)


class TalkFilterSet(ScopedFilterSet):
    solicitation = django_filters.NumberFilter(field_name="solicitation_id", widget=HIDDEN)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))

    class Meta:
        model = Talk
        fields = ("solicitation", "within")


class CriticismFilterSet(ScopedFilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", widget=HIDDEN)

    class Meta:
        model = CriticismRecord
        fields = ("meeting",)


class RectificationFilterSet(ScopedFilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", widget=HIDDEN)
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices, label=_("status"))
    overdue = OverdueFilter()

    class Meta:
        model = RectificationItem
        fields = ("meeting", "within", "status", "overdue")
