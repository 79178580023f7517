"""Generated screen and facility suites of the assessment models (dangjian.core.testing)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.urls import reverse

from dangjian.assessment import views
from dangjian.assessment.models import (
    BonusEntry,
    DeductionRule,
    Disposal,
    GradeScheme,
    ItemEvaluation,
    ListItem,
    MemberReview,
    MemberReviewRound,
    Project,
    ProjectReport,
    ReviewReport,
    ReviewReportFile,
    ReviewRound,
    VetoCase,
    VetoRule,
)
from dangjian.core.context import acting_as
from dangjian.core.testing.facilities import AttachmentSuite
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "assessment.gradelevel": "Seeded with its scheme and shown on the scheme's page; read by the grading tests "
                             "(test_grading.py thresholds and caps).",
    "assessment.vetorule": "Seeded with its scheme and shown on the scheme's page; tested by the veto tests.",
    "assessment.reviewoption": "The review scale, seeded per year; tested through the ballots (test_reviews.py).",
    "assessment.graderesult": "Written only by services.recompute and publish; its pages (grade, table) are "
                              "tested in test_grading.py and test_pages.py.",
    "assessment.resultline": "Lines of a grade result, written with it; explained and summed in test_grading.py.",
    "assessment.pendinggrade": "The recompute job's work list (organization id and year), no screen.",
    "assessment.ballotcount": "Anonymous counters written only by services.vote; tested in test_reviews.py.",
    "assessment.reviewattendee": "Added on the round's page and flagged by services.vote; tested in test_reviews.py.",
    "assessment.disposal": "Recorded on the member evaluation's page through services.record_disposal; tested in "
                           "test_reviews.py.",
}


def _n_year() -> int:
    return 2100 + next(_n)


class TestSchemeSuite(ModelSuite):
    views = views.SchemeViews
    allowed = "c1_staff"
    outsider = "inspector_c1"
    edit = {"name": "改名的方案"}

    @classmethod
    def make_row(cls, p: Personas) -> GradeScheme:
        row = GradeScheme(year=_n_year(), name=f"测试方案{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": str(_n_year()), "name": "新方案", "weight_basic": "1", "weight_project": "1",
                "weight_mandated": "1", "weight_review": "1", "weight_bonus": "1", "routine_base": "20",
                "bonus_cap": "10"}


class TestItemSuite(ModelSuite):
    views = views.ItemViews
    allowed = "c1_staff"
    outsider = "inspector_c1"
    edit = {"name": "改名的事项"}

    @classmethod
    def make_row(cls, p: Personas) -> ListItem:
        row = ListItem(year=2030, kind="basic", code=f"t{next(_n)}", name="测试事项", post="secretary", score=2)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": "2031", "kind": "mandated", "code": f"new{next(_n)}", "name": "新规定任务", "score": "5",
                "deadline": "2031-06-30", "order": "1"}


class TestDeductionSuite(ModelSuite):
    views = views.DeductionViews
    allowed = "c1_staff"
    outsider = "inspector_c1"
    edit = {"name": "改名的扣分"}

    @classmethod
    def make_row(cls, p: Personas) -> DeductionRule:
        row = DeductionRule(year=2030, code=f"t{next(_n)}", source="filing_late", name="测试扣分", points=1, cap=3)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": "2031", "code": f"new{next(_n)}", "source": "dues_late", "name": "新扣分", "points": "1",
                "cap": "2", "threshold": "30"}


def _item() -> ListItem:
    row = ListItem(year=2026, kind="basic", code=f"s{next(_n)}", name="测试职责", post="secretary", score=3)
    with acting_as(None, reason="test fixture"):
        row.save()
    return row


class TestEvaluationSuite(ModelSuite):
    views = views.EvaluationViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"self_note": "修改后的自评"}
    marker = "evidence"

    @classmethod
    def make_row(cls, p: Personas) -> ItemEvaluation:
        row = ItemEvaluation(org=p.b1, item=_item(), self_score=Decimal("2"), evidence=f"记录{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "item": _item().pk, "self_score": "2", "score": "3", "evidence": "支委会记录"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestProjectSuite(ModelSuite):
    views = views.ProjectViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"theme": "修改后的主题"}

    @classmethod
    def make_row(cls, p: Personas) -> Project:
        row = Project(org=p.b1, year=_n_year(), theme=f"党建品牌{next(_n)}", goals="目标")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "year": str(_n_year()), "theme": "红色警营", "goals": "打造品牌", "score": "12"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


def _project(org: Any) -> Project:
    row = Project(org=org, year=_n_year(), theme=f"项目{next(_n)}", goals="目标")
    with acting_as(None, reason="test fixture"):
        row.save()
    return row


class TestProgressSuite(ModelSuite):
    views = views.ProgressViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"progress": "修改后的进展"}

    @classmethod
    def make_row(cls, p: Personas) -> ProjectReport:
        row = ProjectReport(project=_project(p.b1), reported_on=dt.date(2026, 6, 30), progress=f"进展{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"project": _project(p.b1).pk, "reported_on": "2026-07-01", "progress": "完成阶段目标"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "project": _project(p.b3).pk}


class TestBonusSuite(ModelSuite):
    views = views.BonusViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"label": "修改后的说明"}

    @classmethod
    def make_row(cls, p: Personas) -> BonusEntry:
        row = BonusEntry(org=p.b1, item=ListItem.objects.get(year=2026, code="b_press"), year=2026,
                         label=f"刊发经验{next(_n)}", on=dt.date(2026, 5, 1))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "item": ListItem.objects.get(year=2026, code="b_press").pk, "year": "2026",
                "label": "人民公安报刊发", "on": "2026-05-02"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestVetoSuite(ModelSuite):
    views = views.VetoViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"reason": "修改后的理由"}

    @classmethod
    def make_row(cls, p: Personas) -> VetoCase:
        row = VetoCase(org=p.b1, year=2026, rule=VetoRule.objects.get(code="v_decision"), reason=f"事故{next(_n)}",
                       decision_ref="党委会议纪要")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "year": "2026", "rule": VetoRule.objects.get(code="v_decision").pk,
                "reason": "重大安全责任事故", "decision_ref": "党委会议纪要第2号"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestRoundSuite(ModelSuite):
    views = views.RoundViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"title": "修改后的述职评议"}

    @classmethod
    def make_row(cls, p: Personas) -> ReviewRound:
        row = ReviewRound(org=p.c1, year=2026, title=f"述职评议{next(_n)}", opens_on=dt.date(2026, 11, 1),
                          closes_on=dt.date(2026, 12, 31))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.c1.pk, "year": "2026", "title": "年度述职评议", "opens_on": "2026-11-01",
                "closes_on": "2026-12-31"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.c2.pk}


def _review_round(p: Personas) -> ReviewRound:
    row = ReviewRound(org=p.c1, year=2026, title=f"评议{next(_n)}", opens_on=dt.date(2026, 11, 1),
                      closes_on=dt.date(2026, 12, 31))
    with acting_as(None, reason="test fixture"):
        row.save()
    return row


class TestReportSuite(ModelSuite):
    views = views.ReportViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"summary": "修改后的述职报告"}

    @classmethod
    def make_row(cls, p: Personas) -> ReviewReport:
        row = ReviewReport(round=_review_round(p), org=p.b1, secretary=p.members["m_b1"], summary=f"报告{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"round": _review_round(p).pk, "org": p.b1.pk, "secretary": p.members["m_b1"].pk, "summary": "述职"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "secretary": p.members["m_b3"].pk}


class TestMemberRoundSuite(ModelSuite):
    views = views.MemberRoundViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"held_on": "2026-11-20"}

    @classmethod
    def make_row(cls, p: Personas) -> MemberReviewRound:
        row = MemberReviewRound(org=p.b1, year=_n_year())
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "year": str(_n_year()), "excellent_max_share": "33.33"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


def _member_round(org: Any) -> MemberReviewRound:
    row = MemberReviewRound(org=org, year=_n_year())
    with acting_as(None, reason="test fixture"):
        row.save()
    return row


class TestMemberReviewSuite(ModelSuite):
    views = views.MemberReviewViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"self_assessment": "修改后的自评"}

    @classmethod
    def make_row(cls, p: Personas) -> MemberReview:
        row = MemberReview(round=_member_round(p.b1), member=p.members["m_b1"], self_assessment=f"自评{next(_n)}")
        row.save()
        return row

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[MemberReview, str]:
        review = cls.make_row(p)
        Disposal(review=review, step="correct", decided_on=dt.date(2026, 12, 1), decision_ref="支委会决定").save()
        return review, "1 条处置决定"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"round": _member_round(p.b1).pk, "member": p.members["m_b1"].pk, "self_assessment": "对照标准",
                "votes_excellent": "3", "votes_qualified": "5", "votes_basic": "0", "votes_unqualified": "0",
                "proposal": "qualified"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "round": _member_round(p.b3).pk, "member": p.members["m_b3"].pk}


class TestReportFileSuite(AttachmentSuite):
    model = ReviewReportFile
    record_field = "report"
    allowed = "c1_staff"
    outsider = "officer_b2"
    max_mb = 20

    @classmethod
    def make_record(cls, p: Personas) -> ReviewReport:
        row = ReviewReport(round=_review_round(p), org=p.b1, secretary=p.members["m_b1"], summary="报告")
        row.save()
        return row

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("assessment:report_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("assessment:report_download", args=[attachment.pk])
