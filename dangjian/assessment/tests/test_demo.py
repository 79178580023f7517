"""The module's demo step on the test tree: lists, projects, grades, one publication, a closed round."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from dangjian.assessment import demo
from dangjian.assessment.choices import ResultState, RoundStatus
from dangjian.assessment.models import GradeResult, ItemEvaluation, Project, ReviewRound
from dangjian.assessment.tests.conftest import TODAY
from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.members.models import CommitteePost

pytestmark = pytest.mark.django_db


def test_demo_year_of_grading(p: Any) -> None:
    with acting_as(None, reason="test"):
        CommitteePost.objects.create(org=p.b1, member=p.members["m_b1"], post="secretary", started_on=TODAY.replace(month=1))
    ctx = DemoContext(seed=1, rng=random.Random(1), today=TODAY, root=p.root,
                      users={"zhibu": p.user("officer_b1"), "zhibu2": p.user("officer_b2"),
                             "danwei": p.user("c1_staff"), "shi": p.user("root_staff")})
    started = time.monotonic()
    with acting_as(None, reason="demo test"):
        counts = demo.build(ctx)
    assert time.monotonic() - started < 10
    assert ItemEvaluation.objects.filter(org=p.b1).exists() and Project.objects.filter(org=p.b1).exists()
    assert counts["published"] == 2                            # b1 and b2 below the unit committee c1
    assert GradeResult.objects.filter(org=p.b1, state=ResultState.PUBLISHED).exists()
    assert GradeResult.objects.filter(org=p.c1, state=ResultState.LIVE).exists()
    round_ = ReviewRound.objects.get(org=p.c1)
    assert round_.status == RoundStatus.CLOSED and counts["ballots"] == 3
    assert round_.reports.filter(rating__isnull=False).count() == round_.reports.count() > 0
