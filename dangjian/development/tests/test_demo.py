"""The module's demo step on the test tree: a year of cases through the services."""

from __future__ import annotations

import random
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.core.testing.personas import make_member
from dangjian.development import demo
from dangjian.development.models import Case, RuleAdoption, Step
from dangjian.development.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_year_of_development(p: Any) -> None:
    for n in range(3):
        make_member(p.b1, name=f"演示党员{n}")
    ctx = DemoContext(seed=1, rng=random.Random(1), today=TODAY, root=p.root,
                      users={"zhibu": p.user("officer_b1"), "danwei": p.user("c1_staff"),
                             "shi": p.user("root_staff")})
    with acting_as(None, reason="demo test"):
        demo.build(ctx)
    cases = Case.objects.filter(org=p.b1)
    assert cases.count() == len(demo.AGES_IN_MONTHS)
    stages = set(cases.values_list("stage", flat=True))
    assert {"applicant", "activist", "probationary", "full"} <= stages
    assert Step.objects.filter(on__year=2026, case__org=p.b1).count() > 10
    converted = cases.filter(stage="full").select_related("member")
    assert converted and all(c.member is not None and c.member.status == "full" for c in converted)
    assert cases.filter(extensions=1).count() == 1
    assert RuleAdoption.objects.get(org=p.c1).rules.code == "2026.05"
