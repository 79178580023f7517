"""Generated API suites of the organization viewsets (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

import itertools
from typing import Any

from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.personas import Personas
from dangjian.orgs.api.views import OrganizationViewSet, TermViewSet
from dangjian.orgs.tests import test_suites as screens

_n = itertools.count(1)


class TestOrganizationAPISuite(ViewSetSuite):
    viewset = OrganizationViewSet
    allowed = "c1_staff"
    outsider = "officer_b2"
    change = {"name": "接口改名的党支部"}

    make_row = screens.TestOrganizationSuite.make_row  # one row builder for both suites
    make_referenced_row = screens.TestOrganizationSuite.make_referenced_row

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

    make_row = screens.TestTermSuite.make_row

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "number": 100 + next(_n), "started_on": "2024-03-01", "ends_on": "2027-03-01"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "org": p.b3.pk}

    @classmethod
    def foreign_change(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b3.pk}
