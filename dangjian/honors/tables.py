"""Tables of the honors lists."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.honors.models import Commendation, CommendationKind, HonorCeremony, Pennant


class CommendationKindTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = CommendationKind
        fields = ("year", "order", "code", "name", "nominee", "yearly_cap", "is_active")


class CommendationTable(BaseTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    nominee = tables.Column(accessor="nominee_name", verbose_name=_("nominee"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Commendation
        fields = ("org", "kind", "nominee", "review_from", "review_until", "status", "revoked_on")


class CeremonyTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = HonorCeremony
        fields = ("org", "held_on", "kind", "title")


class PennantTable(BaseTable):
    from_whom = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Pennant
        fields = ("org", "received_on", "from_whom", "case", "inscription")
