"""The coverage planner of a term over many targets: constant queries whatever the number of
targets, and the report matches its hand SQL. ``COVERAGE_TARGETS=400`` prints its time beside the
hand SQL of the report (a local profile; the bench figure is bench/measure.py coverage)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.testing.personas import Personas
from dangjian.orgs.models import Organization
from dangjian.supervision import coverage
from dangjian.supervision.models import Inspection
from dangjian.supervision.tests import fixtures as fx

pytestmark = pytest.mark.django_db


def _targets(p: Personas, n: int, start: int) -> list[Organization]:
    return [p.c1.add_child(name=f"督察对象支部{i:04d}", code=f"T{i:05d}", kind="branch")
            for i in range(start, start + n)]


def _inspect(plan: Any, orgs: list[Organization], leader: Any) -> None:
    for i, org in enumerate(orgs):
        if i % 3 == 0:
            continue  # a third never inspected
        rnd = fx.round_of(plan, year=2026)
        Inspection(round=rnd, target=org, leader=leader, stage="stationed", stationed_on=dt.date(2026, 3, 10)).save()


def hand_report(plan: Any) -> dict[int, int]:
    """The report's counts by hand: inspections of the plan per target (started ones only)."""
    sql = ("SELECT i.target_id, COUNT(*) FROM supervision_inspection i JOIN supervision_inspectionround r "
           "ON r.id = i.round_id WHERE r.plan_id = %s AND NOT (i.stage = 'preparation' AND i.stationed_on IS NULL) "
           "GROUP BY i.target_id")
    with connection.cursor() as cur:
        cur.execute(sql, [plan.pk])
        return dict(cur.fetchall())


def test_the_planner_costs_the_same_queries_for_10_and_60_targets_and_matches_its_sql(personas: Personas) -> None:
    p = personas
    plan = fx.plan(p.c1, capacity=40)
    leader = p.user("inspector_c1")
    _inspect(plan, _targets(p, 10, 1), leader)
    today = dt.date(2026, 12, 1)
    with CaptureQueriesContext(connection) as few:
        coverage.coverage_for_plan(plan, today)
    _inspect(plan, _targets(p, 50, 100), leader)
    with CaptureQueriesContext(connection) as more:
        result = coverage.coverage_for_plan(plan, today)
    assert len(more) == len(few), f"{len(few)} queries with 10 targets, {len(more)} with 60"
    counts = hand_report(plan)
    for row in result.rows:
        assert row.done_count == counts.get(row.target.pk, 0), row.target.name
    assert result.gaps == sum(1 for r in result.rows if counts.get(r.target.pk, 0) < r.target.required)


@pytest.mark.skipif(not os.environ.get("COVERAGE_TARGETS"), reason="a local profile: COVERAGE_TARGETS=400")
def test_profile_the_planner(personas: Personas) -> None:  # pragma: no cover
    p = personas
    plan = fx.plan(p.c1, capacity=60)
    _inspect(plan, _targets(p, int(os.environ["COVERAGE_TARGETS"]), 1), p.user("inspector_c1"))
    today = dt.date(2026, 12, 1)

    def median(fn: Any) -> float:
        fn()
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(samples), 2)

    if os.environ.get("COVERAGE_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: coverage.coverage_for_plan(plan, today))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"\ncoverage of {os.environ['COVERAGE_TARGETS']} targets: planner "
          f"{median(lambda: coverage.coverage_for_plan(plan, today))} ms, hand SQL of the report "
          f"{median(lambda: hand_report(plan))} ms")
