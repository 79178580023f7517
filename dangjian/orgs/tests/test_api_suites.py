"""Generated API suites of the organization viewsets (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.personas import Personas
from dangjian.orgs.api.views import OrganizationViewSet, TermViewSet
from dangjian.orgs.models import Organization, OrganizationTerm

_n = itertools.count(1)


class TestOrganizationAPISuite(ViewSetSuite):
    viewset = OrganizationViewSet
    allowed = "c1_staff"
    outsider = "officer_b2"
    change = {"name": "接口改名的党支部"}

    @classmethod
    def make_row(cls, p: Personas) -> Organization:
        n = next(_n)
        parent = Organization.objects.get(pk=p.c1.pk)  # fresh: treebeard reads numchild
        return Organization.objects.add_child(parent, {"name": f"接口党支部{n}", "code": f"API{n}", "kind": "branch"})

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"name": f"接口新建党支部{n}", "code": f"APINEW{n}", "kind": "branch", "parent": p.c1.pk}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "parent": p.c2.pk}


class TestTermAPISuite(ViewSetSuite):
    viewset = TermViewSet
    allowed = "c1_staff"
    outsider = "officer_b2"
    change = {"extended_to": "2027-06-30", "extension_reason": "上级党委批复延期"}

    @classmethod
    def make_row(cls, p: Personas) -> OrganizationTerm:
        term = OrganizationTerm(org=p.b1, number=next(_n), started_on=dt.date(2024, 1, 1), ends_on=dt.date(2027, 1, 1))
        term.save()
        return term

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "number": 100 + next(_n), "started_on": "2024-03-01", "ends_on": "2027-03-01"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "org": p.b3.pk}

    @classmethod
    def foreign_change(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b3.pk}
