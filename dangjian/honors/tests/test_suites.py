"""Generated screen and approval suites of the honors models (dangjian.core.testing)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse

from dangjian.core.testing.facilities import ApprovalSuite
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite
from dangjian.honors.models import Commendation, CommendationKind, HonorCeremony, Pennant
from dangjian.honors.views import CeremonyViews, CommendationKindViews, CommendationViews, PennantViews

_n = itertools.count(1)


def _kind() -> CommendationKind:
    return CommendationKind.objects.get(year=2026, code="excellent_member")


def _nomination(p: Personas, requested_by: Any = None) -> Commendation:
    row = Commendation(org=p.b1, kind=_kind(), member=p.members["m_b1"], merits=f"事迹{next(_n)}",
                       review_from=dt.date(2026, 6, 1), review_until=dt.date(2026, 6, 7), requested_by=requested_by)
    row.save()
    return row


class TestCommendationSuite(ModelSuite):
    views = CommendationViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"merits": "修改后的事迹"}
    marker = "review_from"

    @classmethod
    def make_row(cls, p: Personas) -> Commendation:
        return _nomination(p)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "kind": _kind().pk, "member": p.members["m_b1"].pk, "merits": "事迹突出",
                "review_from": "2026-06-01", "review_until": "2026-06-07"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "member": p.members["m_b3"].pk}


class TestCeremonySuite(ModelSuite):
    views = CeremonyViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"title": "修改后的仪式"}

    @classmethod
    def make_row(cls, p: Personas) -> HonorCeremony:
        row = HonorCeremony(org=p.b1, kind="induction", held_on=dt.date(2026, 3, 1), title=f"入警仪式{next(_n)}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "kind": "retirement", "held_on": "2026-09-20", "title": f"退休仪式{next(_n)}",
                "people": [p.members["m_b1"].pk]}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "people": [p.members["m_b3"].pk]}


class TestPennantSuite(ModelSuite):
    views = PennantViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"story": "修改后的故事"}
    marker = "from_whom"

    @classmethod
    def make_row(cls, p: Personas) -> Pennant:
        row = Pennant(org=p.b1, received_on=dt.date(2026, 4, 1), from_whom=f"群众{next(_n)}", case="寻回走失老人")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "received_on": "2026-05-01", "from_whom": f"王女士{next(_n)}", "case": "追回被骗资金",
                "officers": [p.members["m_b1"].pk], "story": "连夜研判"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk, "officers": [p.members["m_b3"].pk]}


class TestCommendationKindSuite(ModelSuite):
    views = CommendationKindViews
    allowed = "c1_staff"
    outsider = "inspector_c1"
    edit = {"name": "改名的表彰"}

    @classmethod
    def make_row(cls, p: Personas) -> CommendationKind:
        n = next(_n)
        row = CommendationKind(year=2030, code=f"t{n}", name=f"测试表彰{n}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"year": "2031", "code": f"new{n}", "name": f"新表彰{n}", "nominee": "member", "order": "1",
                "is_active": "on"}


class TestCommendationApprovalSuite(ApprovalSuite):
    model = Commendation
    allowed = "c1_staff"
    peer = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> Commendation:
        return _nomination(p, requested_by)

    @classmethod
    def decide_url(cls, row: Any) -> str:
        return reverse("honors:commendation_decide", args=[row.pk])

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        return reverse("honors:commendation_withdraw", args=[row.pk])
