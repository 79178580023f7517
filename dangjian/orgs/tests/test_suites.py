"""Generated screen suites of the organization models (see dangjian.core.testing.suites)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from dangjian.core.testing.personas import Personas, make_member
from dangjian.core.testing.suites import ModelSuite
from dangjian.orgs.models import Organization, OrganizationTerm
from dangjian.orgs.views import OrganizationViews, TermViews

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "orgs.policeunit": "Lookup table without screens yet (no ModelViews); edited by the system admin in a later module.",
    "orgs.orgrules": "Yearly rule table without screens yet (no ModelViews); its effect is tested in test_rules.py.",
}


class TestOrganizationSuite(ModelSuite):
    views = OrganizationViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"name": "改名后的党支部"}
    marker = "name"

    @classmethod
    def make_row(cls, p: Personas) -> Organization:
        n = next(_n)
        parent = Organization.objects.get(pk=p.c1.pk)  # fresh: treebeard reads numchild
        return Organization.objects.add_child(parent, {"name": f"测试党支部{n}", "code": f"TS{n}", "kind": "branch"})

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[Organization, str]:
        branch = cls.make_row(p)
        make_member(branch)
        return branch, "1 条党员"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"name": f"新建党支部{n}", "code": f"NEW{n}", "kind": "branch", "parent": p.c1.pk, "is_active": "on"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "parent": p.c2.pk}


class TestTermSuite(ModelSuite):
    views = TermViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"extended_to": "2027-06-30", "extension_reason": "上级党委批复延期"}

    @classmethod
    def make_row(cls, p: Personas) -> OrganizationTerm:
        term = OrganizationTerm(org=p.b1, number=next(_n), started_on=dt.date(2024, 1, 1), ends_on=dt.date(2027, 1, 1))
        term.save()
        return term

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "number": "3", "started_on": "2024-03-01", "ends_on": "2027-03-01"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}
