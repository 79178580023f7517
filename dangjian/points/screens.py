"""Declarations of the generic screens (list, detail, add, edit, export) of the points models."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.excel import Column
from dangjian.core.scoping import covers
from dangjian.core.views import ModelViews, Related
from dangjian.points import forms
from dangjian.points.choices import EntryStatus, ObjectionOutcome, ProposalStatus, ViolationStatus
from dangjian.points.filtersets import (
    EntryFilterSet,
    ObjectionFilterSet,
    ProposalFilterSet,
    RuleFilterSet,
    ViolationFilterSet,
)
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
from dangjian.points.tables import (
    CategoryTable,
    EntryTable,
    ObjectionTable,
    OrgSettingsTable,
    ProposalTable,
    PublicationTable,
    RuleTable,
    SchemeTable,
    ViolationKindTable,
    ViolationTable,
)

CONFIG_ACTIONS = ("list", "detail", "add", "edit")
READ_ACTIONS = ("list", "detail", "export")


class PointsViews(ModelViews):
    namespace = "points"


class SchemeViews(PointsViews):
    model = PointScheme
    name = "scheme"
    table = SchemeTable
    form = forms.SchemeForm
    actions = CONFIG_ACTIONS
    detail_fields = ("year", "base", "floor", "star_thresholds", "objection_working_days", "violation_cycle",
                     "violation_thresholds", "appeal_days", "source")


class CategoryViews(PointsViews):
    model = PointCategory
    name = "category"
    table = CategoryTable
    form = forms.CategoryForm
    actions = CONFIG_ACTIONS
    detail_fields = ("year", "code", "name", "cap", "sort_order")
    related = (Related(_("Points rules"), "points:rule_list", "category"),)


class RuleViews(PointsViews):
    model = PointRule
    name = "rule"
    queryset = PointRule.objects.select_related("category")
    table = RuleTable
    filterset = RuleFilterSet
    form = forms.RuleForm
    actions = CONFIG_ACTIONS
    detail_fields = ("year", "code", "category", "description", "points", "trigger", "meeting_kinds",
                     "needs_approval", "source", "is_active")


class ViolationKindViews(PointsViews):
    model = ViolationKind
    name = "kind"
    table = ViolationKindTable
    form = forms.ViolationKindForm
    actions = CONFIG_ACTIONS
    detail_fields = ("year", "code", "name", "points", "clause", "is_active")


class OrgSettingsViews(PointsViews):
    model = OrgPointSettings
    name = "settings"
    queryset = OrgPointSettings.objects.select_related("org")
    table = OrgSettingsTable
    form = forms.OrgSettingsForm
    actions = CONFIG_ACTIONS
    detail_fields = ("org", "rankings_public", "daily_quota")


class EntryViews(PointsViews):
    model = PointEntry
    name = "entry"
    queryset = PointEntry.objects.select_related("member", "org", "rule__category")
    table = EntryTable
    filterset = EntryFilterSet
    actions = READ_ACTIONS
    detail_template = "points/entry_detail.html"
    detail_fields = ("member", "org", "rule", "year", "month", "kind", "rule_points", "points", "capped_reason",
                     "evidence_label", "note", "status", "reverses", "recorded_by", "confirmed_at", "approved_by",
                     "approved_at", "publication", "final_at")
    export_columns = (
        Column(_("month"), "month", 10), Column(_("member"), "member__name", 14), Column(_("branch"), "org__name", 28),
        Column(_("rule"), "rule__description", 30), Column(_("points counted"), "points", 10),
        Column(_("status"), "status", 12), Column(_("cap applied"), "capped_reason", 40),
    )
    related = (Related(_("Objections"), "points:objection_list", "entry"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        own = getattr(user, "member_id", None) == obj.member_id
        officer = covers(user, "points", "change", obj.org)
        publication = obj.publication
        window = publication is not None and timezone.localdate() <= publication.window_ends_on
        return {
            "entry": obj, "attachments": list(obj.attachments.all()),
            "reversed_by": PointEntry.objects.filter(reverses=obj).first(),
            "may_confirm": own and obj.status == EntryStatus.RECORDED,
            "may_approve": officer and not own and obj.status == EntryStatus.CONFIRMED,
            "may_reverse": officer and obj.status == EntryStatus.FINAL and obj.live and obj.kind != "reversal",
            "may_object": own and publication is not None and obj.live and obj.status != EntryStatus.REJECTED
                          and not obj.objections.filter(outcome=ObjectionOutcome.OPEN).exists(),
            "window_open": window,
            "may_attach": (own or officer) and obj.status in EntryStatus.pending(),
        }


class PublicationViews(PointsViews):
    model = Publication
    name = "publication"
    queryset = Publication.objects.select_related("org", "published_by")
    table = PublicationTable
    actions = ("list", "detail")
    detail_template = "points/publication_detail.html"
    detail_fields = ("org", "month", "published_on", "window_ends_on", "published_by", "closed_at")
    related = (Related(_("Points entries"), "points:entry_list", "publication"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"may_close": covers(request.user, "points", "change", obj.org) and obj.closed_at is None
                and timezone.localdate() > obj.window_ends_on}


class ObjectionViews(PointsViews):
    model = Objection
    name = "objection"
    queryset = Objection.objects.select_related("entry__rule", "entry__member", "member")
    table = ObjectionTable
    filterset = ObjectionFilterSet
    actions = ("list", "detail")
    detail_template = "points/objection_detail.html"
    detail_fields = ("entry", "member", "reason", "outcome", "answer", "answered_by", "answered_at")

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"may_answer": obj.outcome == ObjectionOutcome.OPEN
                and covers(request.user, "points", "change", obj.entry.org)}


class ViolationViews(PointsViews):
    model = ViolationRecord
    name = "violation"
    queryset = ViolationRecord.objects.select_related("member", "org", "kind")
    table = ViolationTable
    filterset = ViolationFilterSet
    actions = READ_ACTIONS
    detail_template = "points/violation_detail.html"
    detail_fields = ("member", "org", "kind", "points", "occurred_on", "description", "evidence", "status",
                     "recorded_by", "confirmed_by", "confirmed_on", "appeal_reason", "appealed_at",
                     "appeal_decision", "appeal_decided_by")
    export_columns = (
        Column(_("occurred on"), "occurred_on", 12), Column(_("officer"), "member__name", 14),
        Column(_("branch"), "org__name", 28), Column(_("violation kind"), "kind__name", 30),
        Column(_("violation points"), "points", 10), Column(_("status"), "status", 14),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from dangjian.points.violations import appeal_deadline

        user = request.user
        officer = covers(user, "discipline", "change", obj.org)
        own = getattr(user, "member_id", None) == obj.member_id
        deadline = appeal_deadline(obj)
        return {
            "may_confirm": officer and not own and obj.status == ViolationStatus.RECORDED
                           and obj.recorded_by_id != user.pk,
            "may_appeal": own and obj.status == ViolationStatus.CONFIRMED
                          and (deadline is None or timezone.localdate() <= deadline),
            "may_decide": officer and not own and obj.status == ViolationStatus.APPEALED,
            "appeal_deadline": deadline,
        }


class ProposalViews(PointsViews):
    model = ViolationProposal
    name = "proposal"
    queryset = ViolationProposal.objects.select_related("member", "org", "decision_maker")
    table = ProposalTable
    filterset = ProposalFilterSet
    actions = ("list", "detail")
    detail_template = "points/proposal_detail.html"
    detail_fields = ("member", "org", "cycle", "threshold", "total", "measure", "decision_maker", "status",
                     "decision", "decided_at")

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user = request.user
        return {"may_decide": obj.status == ProposalStatus.OPEN and obj.decision_maker_id in (None, user.pk)
                and covers(user, "discipline", "change", obj.org)}
