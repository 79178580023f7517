"""Screens of supervision: the standard ones declared here, the workflow in :mod:`.work`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian.core import audit
from dangjian.core.excel import Column
from dangjian.core.views import ModelViews, Related
from dangjian.supervision import forms, signals, tables
from dangjian.supervision.filtersets import (
    FilingFilterSet,
    FindingFilterSet,
    InspectionFilterSet,
    MistakeFilterSet,
    RectificationFilterSet,
)
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


class RequirementViews(ModelViews):
    model = FilingRequirement
    name = "requirement"
    namespace = "supervision"
    actions = ("list", "detail", "add", "edit")  # configuration rows are kept (results cite them)
    table = tables.FilingRequirementTable
    form = forms.FilingRequirementForm
    detail_fields = ("year", "org_kind", "code", "name", "source", "due_days", "order", "basis")
    export_columns = (Column(_("year"), "year", 8), Column(_("item"), "name", 30),
                      Column(_("days after quarter end"), "due_days", 10))


class MistakeViews(ModelViews):
    model = Mistake
    name = "mistake"
    namespace = "supervision"
    table = tables.MistakeTable
    filterset = MistakeFilterSet
    form = forms.MistakeForm
    detail_fields = ("topic", "title", "rule", "fix", "examples")
    export_columns = (Column(_("mistake"), "title", 30), Column(_("rule it breaks"), "rule", 40),
                      Column(_("how to fix it"), "fix", 40), Column(_("examples"), "examples", 40))


class FilingViews(ModelViews):
    model = Filing
    name = "filing"
    namespace = "supervision"
    queryset = Filing.objects.select_related("org")
    table = tables.FilingTable
    filterset = FilingFilterSet
    actions = ("list", "detail", "export")
    detail_template = "supervision/filing_detail.html"
    detail_fields = ("org", "year", "quarter", "status", "round", "due_on", "submitted_at", "decided_at", "note")
    export_columns = (Column(_("organization"), "org__name", 28), Column(_("year"), "year", 8),
                      Column(_("quarter"), "quarter", 8), Column(_("status"), "get_status_display", 14),
                      Column(_("round"), "round", 6), Column(_("due on"), "due_on", 12))

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from dangjian.supervision.views.work import filing_context

        return filing_context(request, obj)


class CoverageRuleViews(ModelViews):
    model = CoverageRule
    name = "coverage_rule"
    namespace = "supervision"
    actions = ("list", "detail", "add", "edit")  # configuration rows are kept (results cite them)
    table = tables.CoverageRuleTable
    form = forms.CoverageRuleForm
    detail_fields = ("year", "target_kind", "unit_kind", "max_depth", "times", "term_years", "basis")
    export_columns = (Column(_("year"), "year", 8), Column(_("target kind"), "get_target_kind_display", 14),
                      Column(_("inspections required in the term"), "times", 10))


class PlanViews(ModelViews):
    model = InspectionPlan
    name = "plan"
    namespace = "supervision"
    queryset = InspectionPlan.objects.select_related("committee")
    table = tables.PlanTable
    form = forms.PlanForm
    detail_template = "supervision/plan_detail.html"
    detail_fields = ("committee", "title", "term_start", "term_years", "rounds_per_year", "capacity")
    related = (Related(_("Inspection rounds"), "supervision:round_list", "plan"),)
    export_columns = (Column(_("title"), "title", 30), Column(_("inspecting committee"), "committee__name", 28),
                      Column(_("first year of the term"), "term_start", 10))

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from dangjian.supervision.views.work import coverage_context

        return coverage_context(request, obj)


class RoundViews(ModelViews):
    model = InspectionRound
    name = "round"
    namespace = "supervision"
    queryset = InspectionRound.objects.select_related("plan")
    table = tables.RoundTable
    form = forms.RoundForm
    detail_fields = ("plan", "year", "number", "starts_on")
    related = (Related(_("Inspections"), "supervision:inspection_list", "round"),)
    export_columns = (Column(_("inspection plan"), "plan__title", 30), Column(_("year"), "year", 8),
                      Column(_("round"), "number", 6), Column(_("starts on"), "starts_on", 12))

    @classmethod
    def filtered(cls, request: HttpRequest, action: str, *, listing: bool = False) -> tuple[Any, Any]:
        qs, fs = super().filtered(request, action, listing=listing)
        plan = request.GET.get("plan", "")
        return (qs.filter(plan_id=int(plan)) if plan.isdigit() else qs), fs


class InspectionViews(ModelViews):
    model = Inspection
    name = "inspection"
    namespace = "supervision"
    queryset = Inspection.objects.select_related("round", "round__plan", "target", "leader")
    table = tables.InspectionTable
    filterset = InspectionFilterSet
    form = forms.InspectionForm
    detail_template = "supervision/inspection_detail.html"
    detail_fields = ("round", "target", "leader", "stage", "stationed_on", "feedback_on", "views_collected", "methods",
                     "feedback_leadership", "feedback_head")
    related = (Related(_("Findings"), "supervision:finding_list", "inspection"),)
    export_columns = (Column(_("inspected organization"), "target__name", 28), Column(_("year"), "round__year", 8),
                      Column(_("round"), "round__number", 6), Column(_("stage"), "get_stage_display", 14),
                      Column(_("feedback given on"), "feedback_on", 12))

    @classmethod
    def filtered(cls, request: HttpRequest, action: str, *, listing: bool = False) -> tuple[Any, Any]:
        qs, fs = super().filtered(request, action, listing=listing)
        value = request.GET.get("round", "")
        ids = request.GET.get("ids", "")
        if value.isdigit():
            qs = qs.filter(round_id=int(value))
        if ids:
            qs = qs.filter(pk__in=[int(i) for i in ids.split(",") if i.isdigit()])
        return qs, fs

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from dangjian.supervision.views.work import inspection_context

        return inspection_context(request, obj)


class FindingViews(ModelViews):
    model = Finding
    name = "finding"
    namespace = "supervision"
    queryset = Finding.objects.select_related("inspection", "inspection__target", "inspection__round")
    actions = ("list", "detail", "add", "edit", "export")  # the record of an inspection is kept
    table = tables.FindingTable
    filterset = FindingFilterSet
    form = forms.FindingForm
    detail_template = "supervision/finding_detail.html"
    detail_fields = ("inspection", "area", "text", "evidence", "confirmed")
    related = (Related(_("Rectification items"), "supervision:rectification_list", "finding"),)
    export_columns = (Column(_("inspection"), "inspection__target__name", 28), Column(_("area"), "get_area_display", 14),
                      Column(_("finding"), "text", 60), Column(_("evidence"), "evidence", 40))


class NoteViews(ModelViews):
    model = WorkingNote
    name = "note"
    namespace = "supervision"
    queryset = WorkingNote.objects.select_related("inspection", "inspection__target", "inspection__round",
                                                  "written_by")
    actions = ("list", "detail", "add", "edit", "export")  # the record of an inspection is kept
    table = tables.NoteTable
    form = forms.NoteForm
    detail_fields = ("inspection", "text", "written_by")
    export_columns = (Column(_("inspection"), "inspection__target__name", 28), Column(_("note"), "text", 60))


class ClueViews(ModelViews):
    """Clues: every list and every detail read is audited (who read which clue)."""

    model = Clue
    name = "clue"
    namespace = "supervision"
    queryset = Clue.objects.select_related("inspection", "inspection__target", "inspection__round", "department")
    table = tables.ClueTable
    form = forms.ClueForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_fields = ("inspection", "finding", "department", "summary", "transferred_on", "outcome")
    export_columns = (Column(_("inspection"), "inspection__target__name", 28),
                      Column(_("receiving department"), "department__name", 20), Column(_("clue"), "summary", 60),
                      Column(_("transferred on"), "transferred_on", 12))

    @classmethod
    def filtered(cls, request: HttpRequest, action: str, *, listing: bool = False) -> tuple[Any, Any]:
        qs, fs = super().filtered(request, action, listing=listing)
        if listing:
            from django.db import transaction

            with transaction.atomic():
                audit.record("clue_read", object_type="supervision.clue", object_repr=str(Clue._meta.verbose_name_plural),
                             changes={"listing": True, "ids": list(qs.values_list("pk", flat=True)[:200])})
        return qs, fs

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from django.db import transaction

        from dangjian.supervision.services.inspection import read_clue

        with transaction.atomic():
            read_clue(actor=request.user, clue=obj)
        return {}


class RectificationViews(ModelViews):
    """The rectification ledger (整改台账): its export is the ledger as Excel."""

    model = InspectionRectification
    name = "rectification"
    namespace = "supervision"
    queryset = InspectionRectification.objects.select_related("org", "owner", "finding", "finding__inspection",
                                                              "signed_off_by")
    table = tables.RectificationTable
    filterset = RectificationFilterSet
    form = forms.RectificationForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "supervision/rectification_detail.html"
    detail_fields = ("org", "finding", "content", "owner", "deadline", "status", "is_overdue", "evidence",
                     "signed_off_by", "signed_off_on", "closed_on", "reopened")
    export_columns = (
        Column(_("organization"), "org__name", 28), Column(_("finding"), "finding__text", 40),
        Column(_("problem and measure"), "content", 60), Column(_("responsible"), "owner__name", 10),
        Column(_("deadline"), "deadline", 12), Column(_("status"), "get_status_display", 12),
        Column(_("overdue"), "is_overdue", 6), Column(_("evidence"), "evidence", 40),
        Column(_("signed off by"), "signed_off_by__username", 12), Column(_("closed on"), "closed_on", 12),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from dangjian.supervision.views.work import rectification_context

        return rectification_context(request, obj)

    @classmethod
    def after_save(cls, request: HttpRequest, obj: Any, created: bool) -> None:
        if getattr(obj, "_just_closed", False):
            signals.rectification_closed.send(actor=request.user, evidence=obj, late=obj.closed_late)


class AccountabilityViews(ModelViews):
    model = Accountability
    name = "accountability"
    namespace = "supervision"
    queryset = Accountability.objects.select_related("finding")
    table = tables.AccountabilityTable
    form = forms.AccountabilityForm
    detail_fields = ("finding", "kind", "person", "decision", "decided_on")
    export_columns = (Column(_("finding"), "finding__text", 40), Column(_("responsibility"), "get_kind_display", 14),
                      Column(_("person held accountable"), "person", 14), Column(_("decision"), "decision", 40))
