"""Generated screen suites of the points models (see dangjian.core.testing.suites).

Rule tables are global (``scope_path = None``): committee staff edit them; the outsider has no
config rights. Ledger rows belong to a branch: ``officer_b1`` reaches B1's, ``officer_b2`` not.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse

from dangjian.core.context import acting_as
from dangjian.core.testing.facilities import AttachmentSuite
from dangjian.core.testing.personas import Personas, make_member
from dangjian.core.testing.suites import ModelSuite
from dangjian.orgs.models import Organization
from dangjian.points import screens, services, violations
from dangjian.points.models import (
    EntryAttachment,
    Objection,
    OrgPointSettings,
    PointCategory,
    PointEntry,
    PointRule,
    PointScheme,
    ViolationKind,
    ViolationProposal,
    ViolationRecord,
)

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "points.pointbalance": "The maintained balance table has no screens of its own: it is read by the ranking and "
                           "the explanation pages (test_ledger.py, test_views.py) and the balances API.",
}


def _rule(code: str) -> PointRule:
    return PointRule.objects.select_related("category").get(code=code, year=2026)


def _entry(p: Personas, member: Any = None) -> PointEntry:
    member = member or make_member(p.b1)
    with acting_as(None, reason="test"):
        return services.derive(actor=None, rule=_rule("attend_meeting"), member=member,
                               evidence=f"test.evidence:{next(_n)}", evidence_label="测试会议", day=dt.date(2026, 3, 2))


class ConfigSuite(ModelSuite):
    allowed = "c1_staff"
    outsider = "inspector_c1"


class BranchSuite(ModelSuite):
    allowed = "officer_b1"
    outsider = "officer_b2"


class TestSchemeSuite(ConfigSuite):
    views = screens.SchemeViews
    edit = {"base": "70"}

    @classmethod
    def make_row(cls, p: Personas) -> PointScheme:
        row = PointScheme(year=2100 + next(_n))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": str(2300 + next(_n)), "base": "60", "floor": "0", "star_thresholds": "70,80,90",
                "objection_working_days": "3", "violation_cycle": "year", "violation_thresholds": "4,8,12",
                "appeal_days": "5"}


class TestCategorySuite(ConfigSuite):
    views = screens.CategoryViews
    edit = {"name": "改名类别"}

    @classmethod
    def make_row(cls, p: Personas) -> PointCategory:
        row = PointCategory(year=2026, code=f"t{next(_n)}", name=f"测试类别{next(_n)}", cap=10)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": "2026", "code": f"new{next(_n)}", "name": "新类别", "cap": "5", "sort_order": "100"}


class TestRuleSuite(ConfigSuite):
    views = screens.RuleViews
    edit = {"description": "改名规则"}

    @classmethod
    def make_row(cls, p: Personas) -> PointRule:
        row = PointRule(year=2026, code=f"t{next(_n)}", category=PointCategory.objects.get(year=2026, code="study"),
                        description=f"测试规则{next(_n)}", points=2, trigger="manual")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        cat = PointCategory.objects.get(year=2026, code="study")
        return {"year": "2026", "code": f"new{next(_n)}", "category": cat.pk, "description": "新规则", "points": "2",
                "trigger": "manual", "needs_approval": "on", "is_active": "on"}


class TestViolationKindSuite(ConfigSuite):
    views = screens.ViolationKindViews
    edit = {"name": "改名违规行为"}

    @classmethod
    def make_row(cls, p: Personas) -> ViolationKind:
        row = ViolationKind(year=2026, code=f"t{next(_n)}", name=f"测试违规{next(_n)}", points=1)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": "2026", "code": f"new{next(_n)}", "name": "新违规行为", "points": "2", "is_active": "on"}


def _new_group(p: Personas) -> Organization:
    parent = Organization.objects.get(pk=p.b1.pk)
    return Organization.objects.add_child(parent, {"name": f"测试党小组{next(_n)}", "code": f"PG{next(_n)}",
                                                   "kind": "group"})


class TestOrgSettingsSuite(BranchSuite):
    views = screens.OrgSettingsViews
    edit = {"daily_quota": "5"}

    @classmethod
    def make_row(cls, p: Personas) -> OrgPointSettings:
        row = OrgPointSettings(org=_new_group(p))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        with acting_as(None):
            group = _new_group(p)
        return {"org": group.pk, "rankings_public": "on"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b3.pk, "rankings_public": "on"}


class TestEntrySuite(BranchSuite):
    views = screens.EntryViews
    marker = "member__name"

    @classmethod
    def make_row(cls, p: Personas) -> PointEntry:
        return _entry(p)


class TestPublicationSuite(BranchSuite):
    views = screens.PublicationViews

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        n = next(_n) % 180  # months of 2010-2024 (the counter is shared by every suite of the run)
        officer = p.user("officer_b1")
        with acting_as(officer, reason="test"):
            return services.publish(actor=officer, org=p.b1, month=dt.date(2010 + n // 12, n % 12 + 1, 1),
                                    today=dt.date(2026, 3, 2))


class TestObjectionSuite(BranchSuite):
    views = screens.ObjectionViews

    @classmethod
    def make_row(cls, p: Personas) -> Objection:
        entry = _entry(p)
        row = Objection(entry=entry, member_id=entry.member_id, reason="测试异议")
        row.save()
        return row


class TestViolationSuite(BranchSuite):
    views = screens.ViolationViews
    marker = "member__name"

    @classmethod
    def make_row(cls, p: Personas) -> ViolationRecord:
        officer = p.user("officer_b1")
        with acting_as(officer, reason="test"):
            return violations.record(actor=officer, member=make_member(p.b1),
                                     kind=ViolationKind.objects.get(year=2026, code="uniform"),
                                     occurred_on=dt.date(2026, 3, 2), description="着装不规范")


class TestProposalSuite(BranchSuite):
    views = screens.ProposalViews

    @classmethod
    def make_row(cls, p: Personas) -> ViolationProposal:
        member = make_member(p.b1)
        row = ViolationProposal(member=member, org=p.b1, cycle="2026", threshold=4, total=4, measure="reminder_talk",
                                scheme=PointScheme.objects.get(year=2026))
        row.save()
        return row


class TestEntryAttachmentSuite(AttachmentSuite):
    """Evidence files of a pending manual award, through the entry page."""

    model = EntryAttachment
    record_field = "entry"
    allowed = "officer_b1"
    outsider = "officer_b2"
    max_mb = services.EVIDENCE_MAX_MB

    @classmethod
    def make_record(cls, p: Personas) -> PointEntry:
        officer = p.user("officer_b1")
        with acting_as(officer, reason="test"):
            return services.record(actor=officer, member=make_member(p.b1), rule=_rule("invited_lecture"),
                                   day=dt.date(2026, 3, 2), note="受邀授课")

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("points:attachment_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("points:attachment_download", args=[attachment.pk])
