"""Screens of the assessment module: the generic declarations of its records (the pages of
grades, ballots and decisions are in ``pages.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.assessment import filtersets as fs
from dangjian.assessment import forms, services
from dangjian.assessment import tables as tb
from dangjian.assessment.models import (
    BonusEntry,
    DeductionRule,
    GradeScheme,
    ItemEvaluation,
    ListItem,
    MemberReview,
    MemberReviewRound,
    Project,
    ProjectReport,
    ReviewAttendee,
    ReviewReport,
    ReviewRound,
    VetoCase,
)
from dangjian.core.excel import Column
from dangjian.core.scoping import covers
from dangjian.core.views import ModelViews, Related

RULE_ACTIONS = ("list", "detail", "add", "edit")  # rules tables: no export or delete right in "config"


class SchemeViews(ModelViews):
    model = GradeScheme
    name = "scheme"
    namespace = "assessment"
    table = tb.SchemeTable
    filterset = fs.SchemeFilterSet
    form = forms.SchemeForm
    actions = RULE_ACTIONS
    detail_template = "assessment/scheme_detail.html"
    detail_fields = ("year", "name", "weight_basic", "weight_project", "weight_mandated", "weight_review",
                     "weight_bonus", "routine_base", "bonus_cap", "basis")

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"levels": obj.levels.order_by("-rank"), "vetoes": obj.vetoes.select_related("cap_level")}


class ItemViews(ModelViews):
    model = ListItem
    name = "item"
    namespace = "assessment"
    table = tb.ItemTable
    filterset = fs.ItemFilterSet
    form = forms.ItemForm
    actions = RULE_ACTIONS
    detail_fields = ("year", "kind", "code", "name", "post", "level", "score", "cap", "deadline",
                     "commendation_kinds", "basis", "order")


class DeductionViews(ModelViews):
    model = DeductionRule
    name = "deduction"
    namespace = "assessment"
    table = tb.DeductionTable
    filterset = fs.DeductionFilterSet
    form = forms.DeductionForm
    actions = RULE_ACTIONS
    detail_fields = ("year", "code", "source", "name", "points", "cap", "threshold", "basis")


class EvaluationViews(ModelViews):
    model = ItemEvaluation
    name = "evaluation"
    namespace = "assessment"
    queryset = ItemEvaluation.objects.select_related("org", "item", "holder")
    table = tb.EvaluationTable
    filterset = fs.EvaluationFilterSet
    form = forms.EvaluationForm
    detail_fields = ("org", "item", "holder", "self_score", "self_note", "evidence", "done_on", "score", "comment")
    export_columns = (Column(_("organization"), "org__name", 26), Column(_("item"), "item__name", 40),
                      Column(_("self-assessment"), "self_score", 10),
                      Column(_("score of the committee above"), "score", 10), Column(_("evidence"), "evidence", 30))


class ProjectViews(ModelViews):
    model = Project
    name = "project"
    namespace = "assessment"
    queryset = Project.objects.select_related("org")
    table = tb.ProjectTable
    filterset = fs.ProjectFilterSet
    form = forms.ProjectForm
    detail_fields = ("org", "year", "theme", "carrier", "goals", "measures", "standard", "milestones", "mid_check",
                     "score", "evaluation")
    export_columns = (Column(_("organization"), "org__name", 26), Column(_("year"), "year", 6),
                      Column(_("theme"), "theme", 30), Column(_("carrier"), "carrier", 20),
                      Column(_("goals"), "goals", 40), Column(_("year-end evaluation"), "score", 10))
    related = (Related(_("Progress reports"), "assessment:progress_list", "project"),)


class ProgressViews(ModelViews):
    model = ProjectReport
    name = "progress"
    namespace = "assessment"
    queryset = ProjectReport.objects.select_related("project", "project__org")
    table = tb.ProgressTable
    filterset = fs.ProgressFilterSet
    form = forms.ProgressForm
    detail_fields = ("project", "reported_on", "progress", "evidence")
    export_columns = (Column(_("project"), "project__theme", 30), Column(_("date"), "reported_on", 12),
                      Column(_("progress"), "progress", 50))


class BonusViews(ModelViews):
    model = BonusEntry
    name = "bonus"
    namespace = "assessment"
    queryset = BonusEntry.objects.select_related("org", "item")
    table = tb.BonusTable
    filterset = fs.BonusFilterSet
    form = forms.BonusForm
    detail_fields = ("org", "item", "year", "label", "evidence", "on")
    export_columns = (Column(_("organization"), "org__name", 26), Column(_("bonus item"), "item__name", 30),
                      Column(_("what"), "label", 40), Column(_("date"), "on", 12))


class VetoViews(ModelViews):
    model = VetoCase
    name = "veto"
    namespace = "assessment"
    queryset = VetoCase.objects.select_related("org", "rule")
    table = tb.VetoTable
    filterset = fs.VetoFilterSet
    form = forms.VetoForm
    detail_fields = ("org", "year", "rule", "reason", "decision_ref")
    export_columns = (Column(_("organization"), "org__name", 26), Column(_("year"), "year", 6),
                      Column(_("veto rule"), "rule__name", 30), Column(_("decision (meeting, document)"),
                                                                    "decision_ref", 30))


class RoundViews(ModelViews):
    model = ReviewRound
    name = "round"
    namespace = "assessment"
    queryset = ReviewRound.objects.select_related("org")
    table = tb.RoundTable
    filterset = fs.RoundFilterSet
    form = forms.RoundForm
    detail_template = "assessment/round_detail.html"
    detail_fields = ("org", "year", "title", "opens_on", "closes_on", "session_on", "status")
    export_columns = (Column(_("organizing committee"), "org__name", 26), Column(_("year"), "year", 6),
                      Column(_("title"), "title", 30), Column(_("status"), "get_status_display", 10))
    related = (Related(_("Secretaries' reports"), "assessment:report_list", "round"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        attendee = ReviewAttendee.objects.filter(round=obj, user_id=request.user.pk or 0).first()  # scope-ok: the organization or round was checked in scope above; pending marks carry no data
        voted, entitled = services.turnout(obj)
        return {"attendee": attendee, "voted": voted, "entitled": entitled, "tally": services.tally(obj),
                "can_close": not obj.is_closed and covers(request.user, "assessment", "change", obj.org)}


class ReportViews(ModelViews):
    model = ReviewReport
    name = "report"
    namespace = "assessment"
    queryset = ReviewReport.objects.select_related("round", "org", "secretary", "rating")
    table = tb.ReportTable
    filterset = fs.ReportFilterSet
    form = forms.ReportForm
    detail_template = "assessment/report_detail.html"
    detail_fields = ("round", "org", "secretary", "summary", "remarks", "average", "rating", "rectification")
    export_columns = (Column(_("round"), "round__title", 30), Column(_("organization reviewed"), "org__name", 26),
                      Column(_("secretary"), "secretary__name", 12), Column(_("rating"), "rating__name", 8))

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"files": obj.files.all(), "may_upload": covers(request.user, "assessment", "change", obj.org)}


class MemberRoundViews(ModelViews):
    model = MemberReviewRound
    name = "memberround"
    namespace = "assessment"
    queryset = MemberReviewRound.objects.select_related("org")
    table = tb.MemberRoundTable
    filterset = fs.MemberRoundFilterSet
    form = forms.MemberRoundForm
    detail_fields = ("org", "year", "excellent_max_share", "held_on", "status")
    export_columns = (Column(_("branch"), "org__name", 26), Column(_("year"), "year", 6),
                      Column(_("held on"), "held_on", 12))
    related = (Related(_("Member evaluations"), "assessment:memberreview_list", "round"),)


class MemberReviewViews(ModelViews):
    model = MemberReview
    name = "memberreview"
    namespace = "assessment"
    queryset = MemberReview.objects.select_related("round", "round__org", "member")
    table = tb.MemberReviewTable
    filterset = fs.MemberReviewFilterSet
    form = forms.MemberReviewForm
    detail_template = "assessment/memberreview_detail.html"
    detail_fields = ("round", "member", "self_assessment", "peer_review", "votes_excellent", "votes_qualified",
                     "votes_basic", "votes_unqualified", "proposal", "grade", "decision_ref")
    export_columns = (Column(_("member"), "member__name", 12), Column(_("proposal of the branch committee"),
                                                                     "get_proposal_display", 12),
                      Column(pgettext_lazy("assessment", "grade"), "get_grade_display", 12))

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        may = covers(request.user, "assessment", "change", obj.round.org)
        return {"may_decide": may, "grade_form": forms.GradeForm(), "disposal_form": forms.DisposalForm(),
                "disposals": obj.disposals.all()}
