"""Tables of the assessment lists."""

from __future__ import annotations

import django_tables2 as tables

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
    ReviewReport,
    ReviewRound,
    VetoCase,
)
from dangjian.core.tables import BaseTable


def _table(model_: type, cols: tuple[str, ...], link: str) -> type[BaseTable]:
    meta = type("Meta", (BaseTable.Meta,), {"model": model_, "fields": cols})
    return type(f"{model_.__name__}Table", (BaseTable,), {link: tables.Column(linkify=True), "Meta": meta})


SchemeTable = _table(GradeScheme, ("year", "name", "routine_base", "bonus_cap"), "name")
ItemTable = _table(ListItem, ("year", "kind", "order", "code", "name", "post", "level", "score", "cap", "deadline"),
                   "name")
DeductionTable = _table(DeductionRule, ("year", "code", "source", "name", "points", "cap", "threshold"), "name")
EvaluationTable = _table(ItemEvaluation, ("org", "item", "holder", "self_score", "score", "done_on"), "item")
ProjectTable = _table(Project, ("org", "year", "theme", "carrier", "score"), "theme")
ProgressTable = _table(ProjectReport, ("project", "reported_on", "progress"), "reported_on")
BonusTable = _table(BonusEntry, ("org", "year", "item", "label", "on"), "label")
VetoTable = _table(VetoCase, ("org", "year", "rule", "decision_ref"), "rule")
RoundTable = _table(ReviewRound, ("org", "year", "title", "opens_on", "closes_on", "status"), "title")
ReportTable = _table(ReviewReport, ("round", "org", "secretary", "rating"), "org")
MemberRoundTable = _table(MemberReviewRound, ("org", "year", "excellent_max_share", "held_on", "status"), "org")
MemberReviewTable = _table(MemberReview, ("round", "member", "proposal", "grade"), "member")
