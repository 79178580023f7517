"""Tables of the points screens."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.points.models import (
    Objection,
    OrgPointSettings,
    PointCategory,
    PointEntry,
    PointRule,
    PointScheme,
    Publication,
    ViolationKind,
    ViolationProposal,
    ViolationRecord,
)


class EntryTable(BaseTable):
    member = tables.Column(linkify=True)
    rule = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("rule"))
    month = tables.DateColumn(format="Y-m")

    class Meta(BaseTable.Meta):
        model = PointEntry
        fields = ("month", "member", "org", "rule", "kind", "points", "status", "capped_reason")


class PublicationTable(BaseTable):
    org = tables.Column(linkify=lambda record: record.get_absolute_url())
    month = tables.DateColumn(format="Y-m")

    class Meta(BaseTable.Meta):
        model = Publication
        fields = ("org", "month", "published_on", "window_ends_on", "closed_at")


class ObjectionTable(BaseTable):
    entry = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = Objection
        fields = ("entry", "member", "reason", "outcome", "answered_at")


class SchemeTable(BaseTable):
    year = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PointScheme
        fields = ("year", "base", "floor", "star_thresholds", "objection_working_days", "violation_cycle",
                  "violation_thresholds", "appeal_days")


class CategoryTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PointCategory
        fields = ("year", "code", "name", "cap")


class RuleTable(BaseTable):
    description = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = PointRule
        fields = ("year", "code", "category", "description", "points", "trigger", "needs_approval", "is_active")


class ViolationKindTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ViolationKind
        fields = ("year", "code", "name", "points", "clause", "is_active")


class OrgSettingsTable(BaseTable):
    org = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = OrgPointSettings
        fields = ("org", "rankings_public", "daily_quota")


class ViolationTable(BaseTable):
    member = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("officer"))

    class Meta(BaseTable.Meta):
        model = ViolationRecord
        fields = ("occurred_on", "member", "org", "kind", "points", "status")


class ProposalTable(BaseTable):
    member = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("officer"))

    class Meta(BaseTable.Meta):
        model = ViolationProposal
        fields = ("member", "org", "cycle", "threshold", "total", "measure", "decision_maker", "status")
