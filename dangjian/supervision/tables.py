"""Tables of the supervision lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.supervision.models import (
    Accountability,
    Clue,
    CoverageRule,
    Filing,
    FilingRequirement,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionRectification,
    InspectionRound,
    Mistake,
    WorkingNote,
)


class FilingRequirementTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=_("item"))

    class Meta(BaseTable.Meta):
        model = FilingRequirement
        fields = ("year", "org_kind", "order", "name", "source", "due_days")


class MistakeTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("mistake"))

    class Meta(BaseTable.Meta):
        model = Mistake
        fields = ("topic", "title", "rule")


class FilingTable(BaseTable):
    org = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("organization"),
                        order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Filing
        fields = ("year", "quarter", "org", "status", "round", "due_on", "submitted_at")


class CoverageRuleTable(BaseTable):
    target_kind = tables.Column(linkify=True, verbose_name=_("target kind"))

    class Meta(BaseTable.Meta):
        model = CoverageRule
        fields = ("year", "target_kind", "unit_kind", "max_depth", "times", "term_years", "basis")


class PlanTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("title"))

    class Meta(BaseTable.Meta):
        model = InspectionPlan
        fields = ("title", "committee", "term_start", "term_years", "rounds_per_year", "capacity")


class RoundTable(BaseTable):
    number = tables.Column(linkify=True, verbose_name=_("round"))

    class Meta(BaseTable.Meta):
        model = InspectionRound
        fields = ("plan", "year", "number", "starts_on")


class InspectionTable(BaseTable):
    target = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("inspected organization"),
                           order_by=("target__path",))

    class Meta(BaseTable.Meta):
        model = Inspection
        fields = ("round", "target", "leader", "stage", "stationed_on", "feedback_on")


class FindingTable(BaseTable):
    text = tables.Column(linkify=True, verbose_name=_("finding"))

    class Meta(BaseTable.Meta):
        model = Finding
        fields = ("inspection", "area", "text", "confirmed")


class NoteTable(BaseTable):
    text = tables.Column(linkify=True, verbose_name=_("note"))

    class Meta(BaseTable.Meta):
        model = WorkingNote
        fields = ("inspection", "text", "written_by")


class ClueTable(BaseTable):
    summary = tables.Column(linkify=True, verbose_name=_("clue"))

    class Meta(BaseTable.Meta):
        model = Clue
        fields = ("transferred_on", "inspection", "department", "summary")


class RectificationTable(BaseTable):
    content = tables.Column(linkify=True, verbose_name=_("problem and measure"))
    is_overdue = tables.BooleanColumn(verbose_name=_("overdue"), orderable=False)

    class Meta(BaseTable.Meta):
        model = InspectionRectification
        fields = ("org", "content", "owner", "deadline", "status", "is_overdue", "closed_on", "reopened")


class AccountabilityTable(BaseTable):
    person = tables.Column(linkify=True, verbose_name=_("person held accountable"))

    class Meta(BaseTable.Meta):
        model = Accountability
        fields = ("finding", "kind", "person", "decided_on")
