"""Generated API suites of the supervision viewsets (see dangjian.core.testing.api_suites), with the
same personas as the screen suites: a filing is B1's; inspection rows are reached by the team
(``inspector_c1``) or the leadership (``c1_staff``); a clue is not reached by the unit committee's
staff outside the plan's leadership; every clue read through the API is audited."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.models import AuditEntry
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.api_suites import ViewSetSuite, api_token
from dangjian.core.testing.personas import Personas
from dangjian.supervision.api.views import (
    ClueViewSet,
    FilingViewSet,
    FindingViewSet,
    InspectionViewSet,
    RectificationViewSet,
)
from dangjian.supervision.tests import fixtures as fx
from dangjian.supervision.tests.test_suites import (
    TestClueSuite,
    TestFilingSuite,
    TestFindingSuite,
    TestInspectionSuite,
    TestRectificationSuite,
)


class TestFilingAPISuite(ViewSetSuite):
    viewset = FilingViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"
    make_row = TestFilingSuite.make_row


class TestInspectionAPISuite(ViewSetSuite):
    viewset = InspectionViewSet
    allowed = "c1_staff"
    outsider = "officer_b2"
    make_row = TestInspectionSuite.make_row


class TestFindingAPISuite(ViewSetSuite):
    viewset = FindingViewSet
    allowed = "inspector_c1"
    outsider = "officer_b2"
    make_row = TestFindingSuite.make_row


class TestClueAPISuite(ViewSetSuite):
    viewset = ClueViewSet
    allowed = "inspector_c1"
    outsider = "c1_staff"
    make_row = TestClueSuite.make_row


class TestRectificationAPISuite(ViewSetSuite):
    viewset = RectificationViewSet
    allowed = "inspector_c1"
    outsider = "officer_b2"
    make_row = TestRectificationSuite.make_row


@pytest.mark.django_db
def test_clue_reads_through_the_api_are_audited_and_the_target_cannot_list_or_open_one(personas: Personas) -> None:
    p = personas
    clue = fx.clue(fx.team_inspection(p, feedback=True), p.b2)
    team = SchemaValidatingClient()
    team.credentials(HTTP_AUTHORIZATION=f"Token {api_token('inspector_c1')}")
    before = AuditEntry.objects.filter(event="clue_read").count()
    listed = team.get("/api/v1/supervision/clues/")
    assert [row["id"] for row in listed.json()["results"]] == [clue.pk]
    assert team.get(f"/api/v1/supervision/clues/{clue.pk}/").json()["summary"] == clue.summary
    reads = list(AuditEntry.objects.filter(event="clue_read").order_by("id")[before:])
    assert len(reads) == 2 and all(r.actor_id == p.user("inspector_c1").pk for r in reads)
    for outsider in ("officer_b1", "c1_staff", "member_b1"):  # the target, the unit's staff, a member
        client: Any = SchemaValidatingClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(outsider)}")
        assert client.get("/api/v1/supervision/clues/").json()["results"] == [], outsider
        assert client.get(f"/api/v1/supervision/clues/{clue.pk}/").status_code == 404, outsider
