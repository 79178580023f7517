"""Helpers of the assessment tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from dangjian.assessment import services
from dangjian.assessment.choices import ResultState
from dangjian.assessment.models import GradeResult, ItemEvaluation, ListItem, Project
from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas

TODAY = dt.date(2026, 12, 1)
YEAR = 2026
_n = itertools.count(1)


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas


def item(code: str) -> ListItem:
    return ListItem.objects.get(year=YEAR, code=code)


def evaluate(org: Any, code: str, score: Any = None, self_score: Any = None) -> ItemEvaluation:
    with acting_as(None, reason="test"):
        row, _ = ItemEvaluation.objects.get_or_create(org=org, item=item(code))
        row.score = None if score is None else Decimal(score)
        row.self_score = None if self_score is None else Decimal(self_score)
        row.evidence = "支委会记录"
        row.save()
    return row


def project(org: Any, score: Any) -> Project:
    with acting_as(None, reason="test"):
        row = Project(org=org, year=YEAR, theme=f"项目{next(_n)}", goals="目标", score=Decimal(score))
        row.save()
    return row


def full_marks(org: Any) -> None:
    """Every basic and mandated item at its full score and a project of 15: 70 + routine 20."""
    for row in ListItem.objects.filter(year=YEAR, kind__in=("basic", "mandated")):
        evaluate(org, row.code, score=row.score)
    project(org, 15)


def live(org: Any, today: dt.date = TODAY) -> GradeResult:
    services.recompute(actor=None, year=YEAR, org_ids=[org.pk], today=today)
    return GradeResult.objects.get(org=org, year=YEAR, state=ResultState.LIVE)


def lines(result: GradeResult, kind: str | None = None) -> list[Any]:
    qs = result.lines.all()
    return list(qs.filter(kind=kind) if kind else qs)
