"""The grade of an organization's year: lists → lines → total → grade (issue 17 item 5).

``compute(orgs, year)`` reads every rule and every piece of evidence of the organizations in a
fixed number of queries (one per source, whatever their number) and returns, per organization,
its lines and total: each line is one item, one deduction or one bonus with its points after
the list's weight, the evidence key of the record behind it and that record's page. The total
is the sum of the lines (``Decimal`` to the cent), so the page's sum is the stored sum.

Then the grade:

1. **by total** — the best level whose ``min_total`` the total reaches (and, for a level that
   needs a project, with the project evaluated at ``project_min`` or more);
2. **vetoes** — each veto rule whose condition holds caps the grade at its level, whatever the
   total (a recorded committee decision, the secretary's review rated at or below a scale
   option, a single violation of at least the threshold points);
3. **percentage caps** — :func:`apply_caps` over the organizations graded together (a
   committee's subtree at publication, the rows of the grade table): from the top level down,
   at most ``floor(N × max_share / 100)`` organizations keep a capped level; the others are
   demoted one level, the lowest-ranked first. Ranking: total descending, then the mandated
   and routine lists' points descending, then the organization's path ascending — so equal
   totals are split by the mandated work, and a remaining tie by the place in the tree (the
   later one is demoted): deterministic, and documented on the grade table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from dangjian.assessment import facts
from dangjian.assessment.choices import ListKind, RoundStatus, VetoSource
from dangjian.assessment.models import (
    BonusEntry,
    DeductionRule,
    GradeLevel,
    GradeScheme,
    ItemEvaluation,
    ListItem,
    Project,
    ReviewOption,
    ReviewReport,
    VetoCase,
    VetoRule,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

#: organizations graded (a 党小组 is part of its branch)
GRADED_KINDS = ("committee", "general_branch", "branch")


def q(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


@dataclass
class Line:
    kind: str
    label: str
    points: Decimal
    evidence: str = ""
    url: str = ""


@dataclass
class Computed:
    org_id: int
    path: str
    lines: list[Line] = field(default_factory=list)
    level_by_total: GradeLevel | None = None
    level: GradeLevel | None = None
    why: str = ""
    project_points: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum((line.points for line in self.lines), ZERO)

    def list_total(self, *kinds: str) -> Decimal:
        return sum((line.points for line in self.lines if line.kind in kinds), ZERO)


@dataclass
class RuleSet:
    """Everything in force for a year, loaded once."""

    year: int
    scheme: GradeScheme
    levels: list[GradeLevel]
    vetoes: list[VetoRule]
    items: list[ListItem]
    deductions: list[DeductionRule]
    options: list[ReviewOption]

    @classmethod
    def load(cls, year: int) -> RuleSet | None:
        scheme = GradeScheme.in_force(year)
        if scheme is None:
            return None
        return cls(year, scheme, list(GradeLevel.objects.filter(scheme=scheme).order_by("-rank")),
                   list(VetoRule.objects.filter(scheme=scheme).select_related("cap_level")),
                   list(ListItem.rows_in_force(year).order_by("kind", "order", "code")),
                   list(DeductionRule.rows_in_force(year).order_by("code")),
                   list(ReviewOption.rows_in_force(year).order_by("order")))

    def weight(self, kind: str) -> Decimal:
        return Decimal(self.scheme.weight(kind))  # type: ignore[arg-type]

    def items_of(self, kind: str) -> list[ListItem]:
        return [i for i in self.items if i.kind == kind]


def _weighted(rules: RuleSet, kind: str, raw: Any) -> Decimal:
    return q(Decimal(raw) * rules.weight(kind))


def compute(orgs: dict[int, str], year: int, *, today: dt.date | None = None,
            rules: RuleSet | None = None) -> dict[int, Computed]:
    """Lines, total and grade (before percentage caps) of each organization (id → path)."""
    today = today or timezone.localdate()
    rules = rules or RuleSet.load(year)
    out = {org_id: Computed(org_id, path) for org_id, path in orgs.items()}
    if rules is None or not orgs:
        return out
    ids = list(orgs)
    evaluations = {(e.org_id, e.item_id): e for e in ItemEvaluation.objects.filter(
        org_id__in=ids, item__in=[i.pk for i in rules.items]).only("id", "org_id", "item_id", "score", "self_score")}
    projects = {p.org_id: p for p in Project.objects.filter(org_id__in=ids, year=year).only(
        "id", "org_id", "theme", "score")}
    bonuses: dict[int, list[BonusEntry]] = defaultdict(list)
    for entry in BonusEntry.objects.filter(org_id__in=ids, year=year).order_by("on", "id"):
        bonuses[entry.org_id].append(entry)
    reports = {r.org_id: r for r in ReviewReport.objects.filter(
        org_id__in=ids, round__year=year, round__status=RoundStatus.CLOSED, rating__isnull=False)
        .select_related("rating").order_by("round__closes_on", "id")}
    vetoed: dict[int, list[VetoCase]] = defaultdict(list)
    for case in VetoCase.objects.filter(org_id__in=ids, year=year).select_related("rule"):
        vetoed[case.org_id].append(case)
    deducted = {rule.pk: facts.PROVIDERS[rule.source](orgs, year, today, rule.threshold) for rule in rules.deductions}
    serious = {v.pk: facts.serious_violations(orgs, year, int(v.threshold or 0))
               for v in rules.vetoes if v.source == VetoSource.VIOLATIONS}
    eval_url = facts._detail_prefix("assessment:evaluation_detail")
    item_rows = rules.items_of(ListKind.BASIC) + rules.items_of(ListKind.MANDATED)
    project_item = next(iter(rules.items_of(ListKind.PROJECT)), None)
    bonus_items = {i.pk: i for i in rules.items_of(ListKind.BONUS)}

    for org_id in ids:
        c = out[org_id]
        for row in item_rows:
            ev = evaluations.get((org_id, row.pk))
            if ev is None:
                continue
            if ev.score is not None:
                raw, how = min(ev.score, row.score), gettext("committee above")
            elif ev.self_score is not None:
                raw, how = min(ev.self_score, row.score), gettext("self-assessment")
            else:
                continue
            c.lines.append(Line(row.kind, f"{row.name}（{how}）",  # zh-ok: full-width brackets
                                _weighted(rules, row.kind, raw), f"assessment.itemevaluation:{ev.pk}",
                                eval_url.format(ev.pk)))
        project = projects.get(org_id)
        if project is not None and project.score is not None and project_item is not None:
            c.project_points = min(project.score, project_item.score)
            c.lines.append(Line(ListKind.PROJECT, project.theme, _weighted(rules, ListKind.PROJECT, c.project_points),
                                f"assessment.project:{project.pk}",
                                facts.detail_url("assessment:project_detail", project.pk)))
        # routine base and the automatic deductions, each capped by its rule, the list not below zero
        base = _weighted(rules, ListKind.ROUTINE, rules.scheme.routine_base)
        c.lines.append(Line(ListKind.ROUTINE, gettext("Base of the routine mandated work"), base,
                            f"assessment.gradescheme:{rules.scheme.pk}", ""))
        left = base
        for rule in rules.deductions:
            taken = ZERO
            for fact in deducted[rule.pk].get(org_id, ()):
                want = min(Decimal(rule.points), Decimal(rule.cap) - taken)
                pts = min(_weighted(rules, ListKind.ROUTINE, max(want, ZERO)), left)
                note = "" if pts == _weighted(rules, ListKind.ROUTINE, rule.points) else gettext(" (cap reached)")
                c.lines.append(Line(ListKind.ROUTINE, f"{rule.name}：{fact.label}{note}",  # zh-ok: full-width colon
                                    -pts, fact.evidence, fact.url))
                taken += max(want, ZERO)
                left -= pts
        report = reports.get(org_id)
        if report is not None and report.rating is not None:
            c.lines.append(Line(ListKind.REVIEW, gettext("Secretary's review rated %(rating)s (average %(avg)s)")
                                % {"rating": report.rating.name, "avg": report.average},
                                _weighted(rules, ListKind.REVIEW, report.rating.grade_points),
                                f"assessment.reviewreport:{report.pk}",
                                facts.detail_url("assessment:report_detail", report.pk)))
        year_left = Decimal(rules.scheme.bonus_cap)
        per_item: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for entry in bonuses.get(org_id, ()):
            bonus = bonus_items.get(entry.item_id)
            if bonus is None:
                continue
            item = bonus
            room = min(year_left, (Decimal(item.cap) - per_item[item.pk]) if item.cap is not None else year_left)
            raw = max(min(Decimal(item.score), room), ZERO)
            note = "" if raw == item.score else gettext(" (cap reached)")
            c.lines.append(Line(ListKind.BONUS, f"{item.name}：{entry.label}{note}",  # zh-ok: full-width colon
                                _weighted(rules, ListKind.BONUS, raw), f"assessment.bonusentry:{entry.pk}",
                                facts.detail_url("assessment:bonus_detail", entry.pk)))
            per_item[item.pk] += raw
            year_left -= raw
        _grade(c, rules, report, vetoed.get(org_id, []), serious)
    return out


def _grade(c: Computed, rules: RuleSet, report: ReviewReport | None, cases: list[VetoCase],
           serious: dict[int, dict[int, list[facts.Fact]]]) -> None:
    total = c.total
    c.level_by_total = next((lv for lv in rules.levels if total >= lv.min_total
                             and (not lv.needs_project or c.project_points >= lv.project_min)), None)
    if c.level_by_total is None and rules.levels:
        c.level_by_total = rules.levels[-1]
    c.level = c.level_by_total
    reasons = []
    for veto in rules.vetoes:
        holds = False
        if veto.source == VetoSource.DECISION:
            holds = any(case.rule_id == veto.pk for case in cases)
        elif veto.source == VetoSource.REVIEW_RATING:
            limit = next((o for o in rules.options if o.code == veto.threshold), None)
            holds = bool(report and report.rating and limit is not None and report.rating.score <= limit.score)
        elif veto.source == VetoSource.VIOLATIONS:
            holds = bool(serious.get(veto.pk, {}).get(c.org_id))
        if holds and c.level is not None and veto.cap_level.rank < c.level.rank:
            c.level = veto.cap_level
            reasons.append(veto.name)
    if reasons:
        c.why = gettext("Veto: %(rules)s") % {"rules": "、".join(reasons)}  # zh-ok: the Chinese list separator


def rank_key(total: Decimal, mandated: Decimal, path: str) -> tuple[Decimal, Decimal, str]:
    return (-total, -mandated, path)


@dataclass
class Ranked:
    key: Any
    total: Decimal
    mandated: Decimal
    path: str
    level: GradeLevel | None
    why: str = ""
    rank: int = 0


def apply_caps(rows: Sequence[Ranked], levels: Iterable[GradeLevel]) -> None:
    """Demote, from the top level down, the lowest-ranked organizations above each level's cap
    (in place: ``level`` and ``why`` of the rows demoted)."""
    ordered = sorted(levels, key=lambda lv: -lv.rank)
    n = len(rows)
    for index, level in enumerate(ordered):
        if level.max_share is None or index + 1 >= len(ordered):
            continue
        below = ordered[index + 1]
        allowed = math.floor(n * Decimal(level.max_share) / 100)
        at_level = sorted((r for r in rows if r.level is not None and r.level.pk == level.pk),
                          key=lambda r: rank_key(r.total, r.mandated, r.path))
        for row in at_level[allowed:]:
            row.level = below
            note = gettext("%(level)s at most %(share)s%%: demoted") % {"level": level.name,
                                                                         "share": f"{level.max_share:g}"}
            row.why = f"{row.why}；{note}" if row.why else note  # zh-ok: full-width semicolon


def rank(rows: Sequence[Ranked]) -> dict[Any, int]:
    return {r.key: n for n, r in enumerate(sorted(rows, key=lambda r: rank_key(r.total, r.mandated, r.path)), 1)}
