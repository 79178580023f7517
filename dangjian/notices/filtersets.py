"""Filters of the notices lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.notices.models import Announcement, AnnouncementKind, AnnouncementReceipt, ChannelConfig
from dangjian.orgs.filtersets import SubtreeFilter

READ_STATES = (("read", _("Read")), ("unread", _("Not read yet")))


class AnnouncementFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=AnnouncementKind.choices, label=_("kind"))
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"))
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))

    class Meta:
        model = Announcement
        fields = ("kind", "title", "within")


class ReceiptFilterSet(ScopedFilterSet):
    announcement = django_filters.NumberFilter(field_name="announcement_id", widget=forms.HiddenInput)
    state = django_filters.ChoiceFilter(choices=READ_STATES, method="by_state", label=_("read"))
    within = SubtreeFilter(field_name="member__org__path", label=_("within organization"))

    class Meta:
        model = AnnouncementReceipt
        fields = ("announcement", "state", "within")

    def by_state(self, qs: Any, name: str, value: str) -> Any:
        return qs.filter(read_at__isnull=value == "unread")


class ChannelConfigFilterSet(ScopedFilterSet):
    class Meta:
        model = ChannelConfig
        fields = ("enabled",)
