"""The coverage planner against a brute-force count, on generated trees (no database)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from dangjian.supervision.coverage import Row, Slot, Target, propose, report


def generated(seed: int) -> tuple[list[Target], list[tuple[int, int, dt.date | None, int]]]:
    rng = random.Random(seed)
    targets = [Target(pk=i, name=f"t{i}", kind=rng.choice(["committee", "branch"]), path=f"0001{i:04d}",
                      required=rng.choice([1, 2])) for i in range(1, rng.randint(5, 30))]
    inspections: list[tuple[int, int, dt.date | None, int]] = []
    for n in range(rng.randint(0, 40)):
        target = rng.choice(targets)
        year = rng.randint(2026, 2030)
        inspections.append((n + 1, target.pk, dt.date(year, rng.randint(1, 12), 1), year))
    return targets, inspections


@pytest.mark.parametrize("seed", range(25))
def test_report_matches_a_brute_force_count(seed: int) -> None:
    targets, inspections = generated(seed)
    rows = report(targets, inspections)
    for row in rows:
        done = sum(1 for _pk, target_id, _d, _y in inspections if target_id == row.target.pk)
        assert row.done_count == done
        assert row.missing == max(row.target.required - done, 0)
    assert sum(1 for r in rows if r.missing) == sum(
        1 for t in targets if sum(1 for i in inspections if i[1] == t.pk) < t.required)


def slots(years: range, per_year: int) -> list[Slot]:
    return [Slot(y, n) for y in years for n in range(1, per_year + 1)]


@pytest.mark.parametrize("seed", range(25))
def test_a_proposal_meets_the_rule_within_capacity_or_names_what_cannot(seed: int) -> None:
    rng = random.Random(seed)
    targets, inspections = generated(seed)
    rows = report(targets, [i for i in inspections if i[3] <= 2027])
    remaining = slots(range(2028, 2031), rng.choice([1, 2]))
    capacity = rng.randint(1, 6)
    proposal = propose(rows, remaining, capacity)
    load = Counter(slot for slot, placed in proposal.schedule.items() for _t in placed)
    assert all(n <= capacity for n in load.values())
    placed = Counter(t.pk for placed in proposal.schedule.values() for t in placed)
    short = {t.pk: n for t, n in proposal.uncovered}
    for row in rows:
        assert placed[row.target.pk] + short.get(row.target.pk, 0) == row.missing
        # a target is never placed twice in one round
        assert all(list(p).count(row.target) <= 1 for p in proposal.schedule.values())
    total_missing = sum(r.missing for r in rows)
    free = capacity * len(remaining)
    assert proposal.meets_rule == (not short)
    if total_missing <= free and all(r.missing <= len(remaining) for r in rows):
        assert proposal.meets_rule, "enough room: every target must be placed"
    else:
        assert sum(short.values()) >= total_missing - free


def test_twice_in_five_years_spreads_over_different_years() -> None:
    targets = [Target(1, "县局党委", "committee", "00010001", 2)]
    rows = report(targets, [])
    proposal = propose(rows, slots(range(2026, 2031), 2), capacity=1)
    years = [slot.year for slot, placed in proposal.schedule.items() if placed]
    assert len(years) == 2 and years[0] != years[1]


def test_too_little_capacity_names_the_targets_left_over() -> None:
    targets = [Target(i, f"t{i}", "committee", f"0001{i:04d}", 2) for i in range(1, 5)]
    rows = report(targets, [])
    proposal = propose(rows, slots(range(2029, 2031), 1), capacity=2)  # 4 places for 8 inspections
    assert not proposal.meets_rule
    assert sum(n for _t, n in proposal.uncovered) == 4
    assert Row(targets[0]).missing == 2
