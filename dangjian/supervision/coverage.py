"""Full-coverage planning of political inspection (一届任期内全覆盖; 十四五 "五年两轮").

Pure functions over plain data, so the report and the schedule are tested against a brute
force count without a database; :func:`coverage_for_plan` loads them for one plan.

- :func:`report` — per target: the inspections done in the term, the number required by the
  coverage rule in force for its kind, and what is missing;
- :func:`propose` — a schedule for the remaining rounds that meets every target's rule within
  the capacity (targets per round), spacing a target's inspections into different years when
  it needs more than one; targets that cannot be covered in the term are named, with why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    pk: int
    name: str
    kind: str
    path: str
    required: int
    rule_id: int | None = None


@dataclass
class Row:
    target: Target
    done: list[tuple[int, dt.date | None, int]] = field(default_factory=list)  # (inspection id, date, year)

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def missing(self) -> int:
        return max(self.target.required - self.done_count, 0)

    def in_year(self, year: int) -> list[int]:
        return [pk for pk, _d, y in self.done if y == year]


@dataclass(frozen=True)
class Slot:
    year: int
    number: int


@dataclass
class Proposal:
    schedule: dict[Slot, list[Target]]
    uncovered: list[tuple[Target, int]]  # (target, inspections that find no room)
    capacity: int

    @property
    def meets_rule(self) -> bool:
        return not self.uncovered


def report(targets: list[Target], inspections: list[tuple[int, int, dt.date | None, int]]) -> list[Row]:
    """``inspections``: (inspection id, target id, date stationed or None, round year) in the term."""
    rows = {t.pk: Row(t) for t in targets}
    for pk, target_id, day, year in inspections:
        if target_id in rows:
            rows[target_id].done.append((pk, day, year))
    return [rows[t.pk] for t in targets]


def propose(rows: list[Row], slots: list[Slot], capacity: int, taken: dict[Slot, int] | None = None) -> Proposal:
    """Place every missing inspection into ``slots`` (the remaining rounds, in order), at most
    ``capacity`` targets per round counting the ``taken`` places already planned.

    Targets with most missing go first (they are the hardest to place); a target's second
    inspection goes in a later year than its first when the term allows (a round is spread over
    the term), else into any later round. What does not fit is reported as uncovered.
    """
    taken = dict(taken or {})
    schedule: dict[Slot, list[Target]] = {s: [] for s in slots}
    uncovered: list[tuple[Target, int]] = []
    years = sorted({s.year for s in slots})
    order = sorted(rows, key=lambda r: (-r.missing, r.target.path))
    for row in order:
        need = row.missing
        if not need:
            continue
        used_years = {y for _pk, _d, y in row.done}
        placed: list[Slot] = []
        # spread: ideally one inspection per distinct year, evenly over the remaining years
        wanted_years = _spread(years, need, avoid=used_years)
        for year in wanted_years:
            slot = _free_slot(slots, schedule, taken, capacity, year=year, exclude=placed)
            if slot is not None:
                placed.append(slot)
        # what the spread could not place: any free slot after the last placed one, else any
        while len(placed) < need:
            slot = _free_slot(slots, schedule, taken, capacity, year=None, exclude=placed)
            if slot is None:
                break
            placed.append(slot)
        for slot in placed:
            schedule[slot].append(row.target)
        if len(placed) < need:
            uncovered.append((row.target, need - len(placed)))
    return Proposal(schedule, uncovered, capacity)


def _spread(years: list[int], need: int, *, avoid: set[int]) -> list[int]:
    candidates = [y for y in years if y not in avoid] or years
    if need >= len(candidates):
        return candidates
    step = len(candidates) / need
    return [candidates[int(i * step)] for i in range(need)]


def _free_slot(slots: list[Slot], schedule: dict[Slot, list[Target]], taken: dict[Slot, int], capacity: int, *,
               year: int | None, exclude: list[Slot]) -> Slot | None:
    """A free round of ``year`` (any year when None) not already used by this target: a year the
    target has no inspection in first, then the emptiest round, then the earliest."""
    used_years = {s.year for s in exclude}
    best: tuple[int, int, int] | None = None
    chosen: Slot | None = None
    for index, slot in enumerate(slots):
        if slot in exclude or (year is not None and slot.year != year):
            continue
        load = len(schedule[slot]) + taken.get(slot, 0)
        if load >= capacity:
            continue
        key = (1 if slot.year in used_years else 0, load, index)
        if best is None or key < best:
            best, chosen = key, slot
    return chosen


def remaining_slots(plan: Any, today: dt.date) -> list[Slot]:
    """The rounds of ``plan`` not yet started: the planned rounds starting after today, plus the
    rounds per year of the years after today's that have none planned yet."""
    planned = {(year, number): starts for year, number, starts in
               plan.rounds.values_list("year", "number", "starts_on")}  # plain values: no model rows
    slots: list[Slot] = []
    for year in range(plan.term_start, plan.term_end + 1):
        for number in range(1, plan.rounds_per_year + 1):
            existing = planned.get((year, number))
            if existing is not None:
                if existing > today:
                    slots.append(Slot(year, number))
            elif year > today.year or (year == today.year and _round_start(year, number, plan.rounds_per_year) > today):
                slots.append(Slot(year, number))
    return slots


def _round_start(year: int, number: int, per_year: int) -> dt.date:
    month = 1 + (number - 1) * (12 // max(per_year, 1))
    return dt.date(year, min(month, 12), 1)


@dataclass
class PlanCoverage:
    plan: Any
    rows: list[Row]
    proposal: Proposal
    years: list[int]
    rules: list[Any]

    @property
    def gaps(self) -> int:
        return sum(1 for r in self.rows if r.missing)


def targets_of(plan: Any, rules: list[Any]) -> list[Target]:
    """The organizations under the plan's committee that a coverage rule names: by kind and depth,
    the row for the organization's police unit kind before the row for every unit."""
    from dangjian.orgs.models import Organization

    committee = plan.committee
    by_key = {(r.target_kind, r.unit_kind): r for r in rules}
    depth = max((r.max_depth for r in rules), default=0)
    found = []
    orgs = Organization.objects.filter(path__startswith=committee.path, depth__gt=committee.depth,  # scope-ok: the plan's committee was read in scope
                                       depth__lte=committee.depth + depth, is_active=True).order_by("path")
    for pk, name, kind, path, org_depth, unit_kind in orgs.values_list("pk", "name", "kind", "path", "depth",
                                                                      "unit__kind"):
        rule = by_key.get((kind, unit_kind or "")) or by_key.get((kind, ""))
        if rule is None or org_depth - committee.depth > rule.max_depth:
            continue
        found.append(Target(pk, name, kind, path, rule.times, rule.pk))
    return found


def coverage_for_plan(plan: Any, today: dt.date) -> PlanCoverage:
    from dangjian.supervision.models import CoverageRule, Inspection

    rules = list(CoverageRule.rows_in_force(plan.term_start))
    targets = targets_of(plan, rules)
    done = list(Inspection.objects.filter(round__plan=plan).exclude(stage="preparation", stationed_on__isnull=True)  # scope-ok: the plan was read in scope
                .values_list("pk", "target_id", "stationed_on", "round__year"))
    rows = report(targets, done)
    slots = remaining_slots(plan, today)
    taken: dict[Slot, int] = defaultdict(int)
    planned = Inspection.objects.filter(round__plan=plan, stage="preparation", stationed_on__isnull=True)  # scope-ok: as above
    planned_by_target: dict[int, list[int]] = defaultdict(list)
    for target_id, year, number in planned.values_list("target_id", "round__year", "round__number"):
        taken[Slot(year, number)] += 1
        planned_by_target[target_id].append(year)
    for row in rows:  # planned but not yet started inspections count towards the proposal
        for year in planned_by_target.get(row.target.pk, []):
            row.done.append((0, None, year))
    proposal = propose(rows, slots, plan.capacity, taken)
    for row in rows:
        row.done = [d for d in row.done if d[0]]
    return PlanCoverage(plan, rows, proposal, list(range(plan.term_start, plan.term_end + 1)), rules)
