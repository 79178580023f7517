"""Generated screen suites of the member models (see dangjian.core.testing.suites)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from dangjian.core.testing.personas import Personas, make_member, valid_id_number
from dangjian.core.testing.suites import ModelSuite
from dangjian.members.models import CommitteePost, Member, Transfer
from dangjian.members.views import MemberViews, PostViews, TransferViews

_n = itertools.count(1)


class TestMemberSuite(ModelSuite):
    views = MemberViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"name": "改名党员", "phone": "13800000000"}
    marker = "name"

    @classmethod
    def make_row(cls, p: Personas) -> Member:
        return make_member(p.b1)

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[Member, str]:
        from dangjian.dues.tests.conftest import assess

        member = make_member(p.b1)
        assess(p.users["officer_b1"], member, 2026, "6000")
        return member, "1 条党费核定"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {
            "name": f"新党员{n}", "gender": "F", "ethnicity": "汉族", "birth_date": "1991-04-12",
            "id_number": valid_id_number(dt.date(1991, 4, 12), "F"), "police_number": f"NEW{n:04d}",
            "personnel_type": "police", "joined_party_on": "2015-07-01", "full_member_on": "2016-07-01",
            "status": "full", "org": p.b1.pk,
        }

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestCommitteePostSuite(ModelSuite):
    views = PostViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"ended_on": "2025-12-31"}

    @classmethod
    def make_row(cls, p: Personas) -> CommitteePost:
        post = CommitteePost(org=p.b1, member=make_member(p.b1), post="organization", started_on=dt.date(2024, 1, 1))
        post.save()
        return post

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "member": p.members["m_b1_2"].pk, "post": "secretary", "started_on": "2024-01-01"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "member": p.members["m_b3"].pk}


class TestTransferSuite(ModelSuite):
    views = TransferViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    marker = "letter_number"

    @classmethod
    def make_row(cls, p: Personas) -> Transfer:
        transfer = Transfer(member=make_member(p.b1), direction="in", external_org="外省公安厅党委",
                            transferred_on=dt.date(2024, 5, 1), letter_number=f"转字{next(_n):04d}号")
        transfer.save()
        return transfer

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"member": make_member(p.b1).pk, "direction": "out", "external_org": "某市公安局党委",
                "transferred_on": "2025-03-01", "letter_number": f"出字{next(_n):04d}号"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "member": p.members["m_b3"].pk}
