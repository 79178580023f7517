"""Generated screen suites of the library (dangjian/core/testing/suites.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite
from dangjian.library import views
from dangjian.library.models import Document, QualityFlag, QualityRule
from dangjian.meetings.models import Meeting, MeetingKind

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "library.version": "Written only by services.import_version (upload screen) and the seed; shown on the "
                       "regulation page; tested in test_library.py (upload, versions in force, old links).",
    "library.article": "Split from an uploaded file by services.import_version, never edited by hand; its "
                       "permanent page is tested in test_library.py (search, citations, versions).",
    "library.citation": "Seeded rule-to-article links read by the cite view and the citation tag; tested in "
                        "test_library.py (a rule row's citation opens the right article and version).",
    "library.posting": "The search index, written by search.index_articles; no screen; tested through search.",
    "library.recordprint": "MinHash signature of a record, written by quality.check_meeting; no screen.",
    "library.recordband": "LSH band keys of a signature, written by quality.check_meeting; no screen.",
}


def meeting(org: Any, minutes: str = "", *, code: str = "branch_committee", day: int = 1, status: str = "held") -> Meeting:
    start = timezone.make_aware(dt.datetime(2026, 3, 1, 9)) + dt.timedelta(days=day)  # noqa: DTZ001
    row = Meeting(org=org, kind=MeetingKind.objects.get(code=code), topic=f"测试会议{next(_n)}", minutes=minutes,
                  starts_at=start, ends_at=start + dt.timedelta(hours=2), status=status)
    row.save()
    return row


class TestDocumentSuite(ModelSuite):
    views = views.DocumentViews
    allowed = "c1_staff"
    outsider = "auditadmin"  # the one role without the library
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Document:
        n = next(_n)
        row = Document(code=f"doc{n}", title=f"测试法规{n}")
        row.save()
        return row


class TestQualityRuleSuite(ModelSuite):
    views = views.QualityRuleViews
    allowed = "c1_staff"
    outsider = "inspector_c1"  # no role in the configuration area
    edit = {"min_minutes_chars": "120"}
    marker = "year"

    @classmethod
    def make_row(cls, p: Personas) -> QualityRule:
        row = QualityRule(year=2100 + next(_n))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": str(2200 + next(_n)), "enabled": "on", "duplicate_threshold": "0.75",
                "min_minutes_chars": "60", "require_attendance": "on", "late_days": "30"}


class TestQualityFlagSuite(ModelSuite):
    views = views.QualityFlagViews
    allowed = "c1_staff"
    outsider = "officer_b2"  # sees the quality flags of branch 2 only

    @classmethod
    def make_row(cls, p: Personas) -> QualityFlag:
        record = meeting(p.b1, "会议记录", day=next(_n))
        row = QualityFlag(org=p.b1, meeting=record, reason="too_short", rule=QualityRule.objects.filter(year=2026).first(),
                          similarity=Decimal("0.5"), detail="4/80")
        row.save()
        return row
