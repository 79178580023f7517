"""Generated screen, facility and inbox suites of supervision (see dangjian.core.testing)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse
from django.utils import timezone

from dangjian.core.testing.facilities import AttachmentSuite, InboxSuite, RectificationSuite
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite
from dangjian.supervision import views
from dangjian.supervision.models import (
    Accountability,
    CoverageRule,
    Filing,
    FilingAttachment,
    FilingRequirement,
    Finding,
    Inspection,
    InspectionRectification,
    InspectionRound,
    Mistake,
    RectificationEvidence,
    WorkingNote,
)
from dangjian.supervision.tests import fixtures as fx

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "supervision.filingitem": "No screens of its own: filled on the filing page (submit and review); tested in "
                              "test_filings.py.",
    "supervision.filinground": "The filing's history, written only by services.filings; shown on the filing page "
                               "and tested in test_filings.py.",
    "supervision.inspectiondeadlines": "One row per year of defaults read by services.inspection; seeded by "
                                       "migration, tested in test_rectification.py.",
}


class ConfigSuite(ModelSuite):
    allowed = "c1_staff"
    outsider = "inspector_c1"  # no role in the configuration area


class TestRequirementSuite(ConfigSuite):
    views = views.RequirementViews
    edit = {"name": "改后的备案事项"}
    marker = "name"

    @classmethod
    def make_row(cls, p: Personas) -> FilingRequirement:
        row = FilingRequirement(year=2030 + next(_n), org_kind="branch", code=f"item{next(_n)}", name="测试事项")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": 2040 + next(_n), "org_kind": "branch", "code": f"x{next(_n)}", "name": "新备案事项",
                "source": "", "due_days": 15, "order": 1, "basis": ""}


class TestCoverageRuleSuite(ConfigSuite):
    views = views.CoverageRuleViews
    edit = {"times": 3}
    marker = "basis"

    @classmethod
    def make_row(cls, p: Personas) -> CoverageRule:
        row = CoverageRule(year=2030 + next(_n), target_kind="committee", times=1, basis=f"依据{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": 2060 + next(_n), "target_kind": "branch", "max_depth": 1, "times": 1, "term_years": 5,
                "basis": "测试"}


class TestMistakeSuite(ModelSuite):
    views = views.MistakeViews
    allowed = "c1_staff"
    outsider = "sysadmin"  # no role in the catalog
    edit = {"title": "改后的常见问题"}
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Mistake:
        row = Mistake(topic="测试", title=f"常见问题{next(_n)}", rule="规定", fix="纠正")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"topic": "党费", "title": f"新问题{next(_n)}", "rule": "规定", "fix": "纠正", "examples": ""}


class TestFilingSuite(ModelSuite):
    views = views.FilingViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    marker = "year"

    @classmethod
    def make_row(cls, p: Personas) -> Filing:
        return fx.filing(p.b1, year=2000 + next(_n))


class TestPlanSuite(ModelSuite):
    views = views.PlanViews
    allowed = "c1_staff"
    outsider = "officer_b1"  # no role in the plans area
    edit = {"title": "改后的督察规划"}
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        return fx.plan(p.c1)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"committee": p.c1.pk, "title": f"新规划{next(_n)}", "term_start": 2026, "term_years": 5,
                "rounds_per_year": 2, "capacity": 3}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "committee": p.c2.pk}


class TestRoundSuite(ModelSuite):
    views = views.RoundViews
    allowed = "c1_staff"
    outsider = "officer_b1"
    edit = {"number": 9}
    marker = "number"

    @classmethod
    def make_row(cls, p: Personas) -> InspectionRound:
        return fx.round_of(fx.plan(p.c1), number=100 + next(_n))

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[InspectionRound, str]:
        inspection = fx.team_inspection(p)
        return inspection.round, "1 条督察"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"plan": fx.plan(p.c1).pk, "year": 2027, "number": 1, "starts_on": "2027-03-01"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "plan": fx.plan(p.c2).pk}


class TestInspectionSuite(ModelSuite):
    """The committee's leadership works on its inspections; the other branch sees nothing."""

    views = views.InspectionViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"methods": "个别谈话20人次"}
    marker = "target"

    @classmethod
    def make_row(cls, p: Personas) -> Inspection:
        return fx.team_inspection(p)

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[Inspection, str]:
        inspection = fx.team_inspection(p)
        fx.clue(inspection, p.b2)
        return inspection, "1 条问题线索"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"round": fx.round_of(fx.plan(p.c1)).pk, "target": p.b2.pk, "leader": p.user("inspector_c1").pk,
                "team": [], "views_collected": "", "methods": "", "feedback_leadership": "", "feedback_head": ""}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "target": p.b3.pk}


class TeamSuite(ModelSuite):
    """Rows of an inspection whose team ``inspector_c1`` is on."""

    allowed = "inspector_c1"
    outsider = "officer_b2"


class TestFindingSuite(TeamSuite):
    views = views.FindingViews
    edit = {"text": "改后的问题描述"}
    marker = "text"

    @classmethod
    def make_row(cls, p: Personas) -> Finding:
        return fx.finding(fx.team_inspection(p, team=(p.user("inspector_c1"),)), confirmed=False)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"inspection": fx.team_inspection(p).pk, "area": "political", "text": f"新问题{next(_n)}",
                "evidence": "谈话记录"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        other = fx.inspection(p.b3, p.user("root_staff"), committee=p.c2)
        return {**cls.add_data(p), "inspection": other.pk}


class TestNoteSuite(TeamSuite):
    """Working notes: the team's; the target branch's officer is the outsider."""

    views = views.NoteViews
    outsider = "officer_b1"
    edit = {"text": "改后的工作底稿"}
    marker = "text"

    @classmethod
    def make_row(cls, p: Personas) -> WorkingNote:
        row = WorkingNote(inspection=fx.team_inspection(p, feedback=True), text=f"谈话记录{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"inspection": fx.team_inspection(p).pk, "text": f"底稿{next(_n)}"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "inspection": fx.inspection(p.b3, p.user("root_staff"), committee=p.c2).pk}


class TestClueSuite(TeamSuite):
    """Clues: the team's; the unit committee's staff (not in the plan's leadership) is the outsider."""

    views = views.ClueViews
    outsider = "c1_staff"
    edit = {"outcome": "已立案核查"}
    marker = "summary"

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        return fx.clue(fx.team_inspection(p), p.b2)  # B2 stands in for the receiving department

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"inspection": fx.team_inspection(p).pk, "finding": "", "department": p.b2.pk,
                "summary": f"新线索{next(_n)}", "transferred_on": "2026-05-20", "outcome": ""}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "inspection": fx.inspection(p.b3, p.user("root_staff"), committee=p.c2).pk}


class TestRectificationSuite(RectificationSuite, TeamSuite):
    """The inspector on the team signs off (closes) items; the other branch sees none."""

    views = views.RectificationViews
    edit = {"status": "in_progress"}
    marker = "content"

    @classmethod
    def make_row(cls, p: Personas) -> InspectionRectification:
        return fx.item(fx.finding(fx.team_inspection(p, feedback=True)), p.members["m_b1"])

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        f = fx.finding(fx.team_inspection(p, feedback=True))
        return {"org": p.b1.pk, "finding": f.pk, "content": f"新整改事项{next(_n)}", "owner": p.members["m_b1"].pk,
                "deadline": "2026-10-31", "status": "open", "evidence": "", "closed_on": ""}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        f = fx.finding(fx.inspection(p.b3, p.user("root_staff"), committee=p.c2, feedback=True))
        return {**cls.add_data(p), "org": p.b3.pk, "finding": f.pk, "owner": p.members["m_b3"].pk}


class TestAccountabilitySuite(ModelSuite):
    """一案双查 records: the leadership's; the target branch never sees them."""

    views = views.AccountabilityViews
    allowed = "c1_staff"
    outsider = "officer_b1"
    edit = {"person": "改后的责任人"}
    marker = "person"

    @classmethod
    def make_row(cls, p: Personas) -> Accountability:
        row = Accountability(finding=fx.finding(fx.team_inspection(p)), kind="principal", person=f"某书记{next(_n)}",
                             decision="诫勉谈话", decided_on=dt.date(2026, 6, 1))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"finding": fx.finding(fx.team_inspection(p)).pk, "kind": "supervisory", "person": f"纪检委员{next(_n)}",
                "decision": "批评教育", "decided_on": "2026-06-02"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        other = fx.finding(fx.inspection(p.b3, p.user("root_staff"), committee=p.c2))
        return {**cls.add_data(p), "finding": other.pk}


class TestFilingAttachmentSuite(AttachmentSuite):
    model = FilingAttachment
    record_field = "filing"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_record(cls, p: Personas) -> Filing:
        return fx.filing(p.b1, year=2100 + next(_n))

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("supervision:filing_attachment_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("supervision:filing_attachment_download", args=[attachment.pk])


class TestEvidenceSuite(AttachmentSuite):
    """Evidence of a rectification item, uploaded by the target branch."""

    model = RectificationEvidence
    record_field = "item"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_record(cls, p: Personas) -> InspectionRectification:
        return fx.item(fx.finding(fx.team_inspection(p, feedback=True)), p.members["m_b1"])

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("supervision:evidence_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("supervision:evidence_download", args=[attachment.pk])


class TestFilingInbox(InboxSuite):
    """A branch officer is reminded of a returned filing; the other branch is not."""

    section = "supervision_filings"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        note = f"退回备案{next(_n)}"
        fx.filing(p.b1, year=2200 + next(_n), status="returned", round=1, note=note)
        return note


class TestRectificationInbox(InboxSuite):
    """The target branch is reminded of a rectification item due soon; the other branch is not."""

    section = "supervision_rectification"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        content = f"近期到期整改{next(_n)}"
        fx.item(fx.finding(fx.team_inspection(p, feedback=True)), p.members["m_b1"], content=content,
                deadline=timezone.localdate() + dt.timedelta(days=3))
        return content
