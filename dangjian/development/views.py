"""Development screens: cases, steps, the rule versions, the holiday calendar, the board."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import attachments, audit
from dangjian.core.attachments import AttachmentForm
from dangjian.core.documents import docx_response
from dangjian.core.errors import as_message
from dangjian.core.excel import Column
from dangjian.core.scoping import get_scoped_or_404
from dangjian.core.views import ModelViews, Related
from dangjian.development import board, documents, rules, services
from dangjian.development.filtersets import CaseFilterSet, StepFilterSet
from dangjian.development.forms import (
    AdoptionForm,
    CalendarDayForm,
    CaseCreateForm,
    CaseForm,
    RulesForm,
    StepForm,
)
from dangjian.development.models import (
    CalendarDay,
    Case,
    DevelopmentRules,
    RuleAdoption,
    Step,
    StepAttachment,
)
from dangjian.development.tables import AdoptionTable, CalendarDayTable, CaseTable, RulesTableView, StepTable


class CaseViews(ModelViews):
    model = Case
    name = "case"
    namespace = "development"
    queryset = Case.objects.select_related("org", "member")
    list_defer = ("id_number",)
    table = CaseTable
    filterset = CaseFilterSet
    form = CaseForm
    add_form = CaseCreateForm
    actions = ("list", "detail", "add", "edit", "export")  # a file is closed by a step, never deleted
    detail_template = "development/case_detail.html"
    detail_fields = ("name", "gender", "ethnicity", "birth_date", "personnel_type", "police_number", "education",
                     "phone", "org", "applied_on", "stage", "stage_since", "member", "probation_ends_on",
                     "extensions")
    # the pipeline roster (发展党员花名册)
    export_columns = (
        Column(_("name"), "name", 10), Column(_("gender"), "get_gender_display", 6),
        Column(_("birth date"), "birth_date", 12), Column(_("branch"), "org__name", 28),
        Column(_("application date"), "applied_on", 12), Column(_("stage"), "get_stage_display", 12),
        Column(_("stage since"), "stage_since", 12), Column(_("probation ends on"), "probation_ends_on", 12),
    )
    related = (Related(_("Development steps"), "development:step_list", "case"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        steps = list(obj.steps.select_related("rules", "meeting").prefetch_related("members"))
        row = rules.rules_for(obj.org, board.today())
        return {
            "due": rules.clocks(obj, steps, row), "today": board.today(), "rules_now": row,
            "can_record": services.may_record(request.user, obj, "talk")
            or any(services.may_record(request.user, obj, k) for k in rules.HIGHER_STEPS),
            "step_add_url": reverse("development:step_add") + f"?case={obj.pk}",
            "documents": documents.available(steps) if CaseViews.permissions(request.user).get("export") else [],
        }


class StepViews(ModelViews):
    model = Step
    name = "step"
    namespace = "development"
    queryset = Step.objects.select_related("case", "case__org", "rules")
    table = StepTable
    filterset = StepFilterSet
    form = StepForm
    actions = ("list", "detail", "add", "export")
    detail_fields = ("case", "kind", "on", "decided_by", "meeting", "passed", "training_days", "training_hours",
                     "should_attend", "present", "yes_votes", "written_yes", "secret_ballot", "outcome",
                     "extension_months", "ends_on", "rules", "recorded_by", "note")
    export_columns = (
        Column(_("name"), "case__name", 10), Column(_("branch"), "case__org__name", 28),
        Column(_("step"), "get_kind_display", 20), Column(_("date"), "on", 12),
        Column(_("decided or done by"), "decided_by", 20), Column(_("rule version"), "rules__name", 24),
    )
    detail_template = "development/step_detail.html"

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "attachments": list(StepAttachment.objects.visible_to(request.user, "view").filter(step=obj)),
            "attachment_form": AttachmentForm() if services.may_record(request.user, obj.case, obj.kind) else None,
        }


class RulesViews(ModelViews):
    model = DevelopmentRules
    name = "rules"
    namespace = "development"
    table = RulesTableView
    form = RulesForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = tuple(RulesForm.Meta.fields)


class CalendarDayViews(ModelViews):
    model = CalendarDay
    name = "calendarday"
    namespace = "development"
    table = CalendarDayTable
    form = CalendarDayForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("day", "kind", "name")


class AdoptionViews(ModelViews):
    model = RuleAdoption
    name = "adoption"
    namespace = "development"
    queryset = RuleAdoption.objects.select_related("org", "rules")
    table = AdoptionTable
    form = AdoptionForm
    actions = ("list", "detail", "add", "edit", "delete")
    detail_fields = ("org", "rules", "adopted_from", "basis")


def board_view(request: HttpRequest) -> HttpResponse:
    """The pipeline board: per branch, who is at which stage, what falls due and what is late."""
    return render(request, "development/board.html", board.board(request.user, request.GET.get("org")))


@require_GET
def case_document(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """One of the member file's Word documents of a case (an export: audited, masked ID number)."""
    case = get_scoped_or_404(request.user, Case.objects.select_related("org", "member"), "export", pk=pk)  # scope-ok: get_scoped_or_404
    steps = list(case.steps.select_related("rules").prefetch_related("members"))
    if kind not in dict(documents.available(steps)):
        raise Http404
    title = documents.titles()[kind]
    content = documents.BUILDERS[kind](case, steps)
    with transaction.atomic():
        audit.record("export", obj=case, changes={"document": kind}, reason=title)
    return docx_response(f"{title}-{case.name}.docx", content)


@require_POST
def step_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_scoped_or_404(request.user, Step.objects.select_related("case__org"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with as_message(request) as failed:
            services.add_step_document(actor=request.user, step=step, upload=form.cleaned_data["file"])
        if not failed:
            messages.success(request, gettext("Attachment uploaded."))
    else:
        messages.error(request, gettext("Choose a file."))
    return redirect(reverse("development:step_detail", args=[step.pk]))


@require_GET
def step_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    return attachments.serve(request, StepAttachment, pk)
