"""Generated API suites of the points viewsets (see dangjian.core.testing.api_suites): the ledger,
balances, publications, violation records and proposals; ``officer_b1`` reaches B1's rows,
``officer_b2`` not."""

from __future__ import annotations

import itertools
from typing import Any

from dangjian.core.context import acting_as
from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.personas import Personas, make_member
from dangjian.points import services
from dangjian.points.api.views import (
    PointBalanceViewSet,
    PointEntryViewSet,
    PublicationViewSet,
    ViolationProposalViewSet,
    ViolationRecordViewSet,
)
from dangjian.points.models import PointBalance
from dangjian.points.tests.test_suites import (
    TestProposalSuite,
    TestPublicationSuite,
    TestViolationSuite,
    _entry,
    _rule,
)

_n = itertools.count(1)


class BranchAPISuite(ViewSetSuite):
    allowed = "officer_b1"
    outsider = "officer_b2"


class TestPointEntryAPISuite(BranchAPISuite):
    """Entries are derived or recorded through the points service, never edited."""

    viewset = PointEntryViewSet

    @classmethod
    def make_row(cls, p: Personas) -> Any:
        return _entry(p)

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"member": make_member(p.b1).pk, "rule": _rule("invited_lecture").pk, "day": "2026-03-02",
                "note": f"受邀授课{next(_n)}"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "member": make_member(p.b3).pk}


class TestPointBalanceAPISuite(BranchAPISuite):
    viewset = PointBalanceViewSet

    @classmethod
    def make_row(cls, p: Personas) -> PointBalance:
        entry = _entry(p)
        return PointBalance.objects.get(member_id=entry.member_id, year=2026)


class TestPublicationAPISuite(BranchAPISuite):
    viewset = PublicationViewSet
    make_row = TestPublicationSuite.make_row


class TestViolationRecordAPISuite(BranchAPISuite):
    viewset = ViolationRecordViewSet
    make_row = TestViolationSuite.make_row


class TestViolationProposalAPISuite(BranchAPISuite):
    viewset = ViolationProposalViewSet
    make_row = TestProposalSuite.make_row


__all__ = ["acting_as", "services"]
