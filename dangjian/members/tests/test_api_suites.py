"""Generated API suites of the member viewsets (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.personas import Personas, make_member, valid_id_number
from dangjian.members import services
from dangjian.members.api.views import MemberViewSet, PostViewSet, TransferViewSet
from dangjian.members.models import CommitteePost, Member, Transfer
from dangjian.members.tests import test_suites as screens

_n = itertools.count(1)


class TestMemberAPISuite(ViewSetSuite):
    viewset = MemberViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"
    change = {"phone": "13900000000"}

    @classmethod
    def make_row(cls, p: Personas) -> Member:
        return make_member(p.b1)

    make_referenced_row = screens.TestMemberSuite.make_referenced_row  # one builder for both suites

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        n, birth = next(_n), dt.date(1990, 3, 7)
        return {"name": f"接口党员{n}", "gender": "M", "birth_date": birth.isoformat(),
                "id_number": valid_id_number(birth, "M"), "police_number": f"API{n:05d}", "personnel_type": "police",
                "joined_party_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "org": p.b1.pk}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "org": p.b3.pk}


class TestTransferAPISuite(ViewSetSuite):
    """Transfers are recorded (through the members service), never edited or deleted."""

    viewset = TransferViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_row(cls, p: Personas) -> Transfer:
        return services.record_transfer(actor=p.users["officer_b1"], member=make_member(p.b1), direction="in",
                                        to_org=None, external_org="外省公安厅党委", transferred_on=dt.date(2026, 3, 1))

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"member": make_member(p.b1).pk, "direction": "out", "external_org": "外省公安厅党委",
                "transferred_on": "2026-05-01", "letter_number": f"ZJ{next(_n):04d}"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "member": make_member(p.b3).pk}


class TestPostAPISuite(ViewSetSuite):
    viewset = PostViewSet
    extra_users = {"officer_b3": ("branch_officer", "b3")}
    allowed = "c1_staff"
    outsider = "officer_b3"
    change = {"ended_on": "2026-12-31"}

    @classmethod
    def make_row(cls, p: Personas) -> CommitteePost:
        row = CommitteePost(org=p.b1, member=make_member(p.b1), post="propaganda", started_on=dt.date(2024, 1, 1))
        row.save()
        return row

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "member": make_member(p.b1).pk, "post": "discipline", "started_on": "2025-01-01"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "org": p.b3.pk, "member": make_member(p.b3).pk}

    @classmethod
    def foreign_change(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b3.pk}
