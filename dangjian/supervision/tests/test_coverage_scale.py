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


def test_a_rule_for_a_police_unit_kind_wins_over_the_rule_for_every_unit(personas: Personas) -> None:
    """十四五: county bureaus twice in five years while every other committee once in the term."""
    from dangjian.orgs.models import PoliceUnit
    from dangjian.supervision.models import CoverageRule

    p = personas
    CoverageRule.objects.filter(year__gte=2026).delete()
    CoverageRule(year=2026, target_kind="committee", times=1, basis="全覆盖").save()
    CoverageRule(year=2026, target_kind="committee", unit_kind="county", times=2, basis="五年两轮").save()
    county = PoliceUnit(name="测试分县局", kind="county")
    county.save()
    organ = PoliceUnit(name="测试机关部门", kind="organ")
    organ.save()
    bureau = p.root.add_child(name="某分局党委", code="X001", kind="committee", unit=county)
    office = p.root.add_child(name="某部门党委", code="X002", kind="committee", unit=organ)
    plan = fx.plan(p.root)
    required = {t.pk: t.required for t in coverage.targets_of(plan, list(CoverageRule.rows_in_force(2026)))}
    assert required[bureau.pk] == 2 and required[office.pk] == 1 and required[p.c1.pk] == 1
    page_rows = {r.target.pk: r for r in coverage.coverage_for_plan(plan, dt.date(2026, 12, 1)).rows}
    assert page_rows[bureau.pk].missing == 2 and page_rows[office.pk].missing == 1
