"""The compliance matrix's figures as SQL aggregates over the stored obligations (issue 20 item 1).

The matrix of a subtree reads ``meetings.Obligation`` rows (kept by :mod:`dangjian.meetings.stored`)
without building an obligation object per row:

- the tallies (whole subtree, per meeting kind) and, at committee level, every unit's line
  (per column) are ``GROUP BY`` queries: unit = the organization path's prefix one level below
  the matrix's root, kind, period end (always a month end: its month or quarter is the column);
- the status is not stored but judged on the day asked (``today``, the API's ``as_of``): done;
  overdue when ``due_on < today``; due otherwise, 即将到期 when also ``remind_on <= today``;
- the flat view counts the organizations with obligations and fetches only the page's rows.

A constant number of queries whatever the number of organizations and rows. Years that are not
stored (:class:`~dangjian.meetings.models.ObligationYear`) are not answered here: the callers
derive them with the engine as before (:func:`is_stored`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from dangjian.core.periods import Period
from dangjian.meetings import rules
from dangjian.meetings.choices import ComplianceStatus
from dangjian.meetings.models import MeetingKind, MeetingRequirement, Obligation, ObligationYear


def is_stored(year: int) -> bool:
    """Whether ``year``'s obligations are stored (else the engine derives them)."""
    return ObligationYear.objects.filter(year=year).exists()


def year_rows(paths: Sequence[str] | None, year: int) -> QuerySet[Obligation]:
    """The stored obligations of the subtrees ``paths`` (``None``: every organization) whose
    period ends in ``year``, of the active meeting kinds (what ``stored.obligations`` reads).

    ``paths`` are the scope-checked prefixes of ``core.scoping.chosen_subtree``."""
    return (Obligation.objects.filter(rules._subtree_q(paths, "org__path"), year=year,  # scope-ok: prefixes checked by the caller
                                      period_end__gte=dt.date(year, 1, 1), period_end__lte=dt.date(year, 12, 31),
                                      requirement__in=MeetingRequirement.objects.filter(kind__is_active=True)
                                      .values("pk"))
            .order_by())


def _counts(today: dt.date) -> dict[str, Count]:
    """done / overdue / due / due soon as judged on ``today`` (``rules.obligations``' rule)."""
    open_ = Q(done=False)
    return {
        "n_done": Count("id", filter=Q(done=True)),
        "n_overdue": Count("id", filter=open_ & Q(due_on__lt=today)),
        "n_due": Count("id", filter=open_ & Q(due_on__gte=today)),
        "n_soon": Count("id", filter=open_ & Q(due_on__gte=today, remind_on__lte=today)),
    }


def _add(tally: rules.Tally, row: dict[str, Any]) -> None:
    tally.done += row["n_done"]
    tally.overdue += row["n_overdue"]
    tally.due += row["n_due"]
    tally.due_soon += row["n_soon"]


def _column(cols: Sequence[Period], day: dt.date) -> int | None:
    for i, col in enumerate(cols):
        if col.start <= day <= col.end:
            return i
    return None


@dataclass
class Summary:
    """What the matrix shows of a whole subtree: the tallies, the kinds met, the unit lines."""

    total: rules.Tally
    by_kind: dict[str, rules.Tally]
    kinds: list[MeetingKind]
    rolled: list[rules.RollupRow]


def summary(paths: Sequence[str] | None, year: int, today: dt.date, cols: Sequence[Period],
            units: Sequence[tuple[int, str, str, str]] = ()) -> Summary:
    """Tallies of the subtree and, with ``units`` (``(id, name, path, kind)`` of the children of
    the matrix's root, all of one depth), one roll-up line per unit with obligations: its cells
    per column, its tally and how many of its organizations owe something.

    Two queries, three with units: per (unit, kind, period end) counts; the kinds; distinct
    organizations per unit."""
    rows = year_rows(paths, year)
    group: list[str] = ["requirement__kind_id"]
    prefix_len = len(units[0][2]) if units else 0
    if units:
        rows = rows.annotate(unit=Substr("org__path", 1, prefix_len))
        group = ["unit", "requirement__kind_id", "period_end"]
    counted = list(rows.values(*group).annotate(**_counts(today)).order_by())
    kind_ids = {r["requirement__kind_id"] for r in counted}
    kinds = sorted(MeetingKind.objects.filter(pk__in=kind_ids), key=lambda k: (k.sort_order, k.pk))
    names = {k.pk: k.name for k in kinds}
    by_kind = {k.name: rules.Tally() for k in kinds}
    total = rules.Tally()
    unit_lines = {path: rules.RollupRow(uid, name, path, kind, [rules.Tally() for _ in cols], rules.Tally())
                  for uid, name, path, kind in units}
    for row in counted:
        _add(by_kind[names[row["requirement__kind_id"]]], row)
        _add(total, row)
        line = unit_lines.get(row["unit"]) if units else None
        if line is None:
            continue  # the root's own obligations (or under an inactive child): in no unit
        _add(line.tally, row)
        index = _column(cols, row["period_end"])
        if index is not None:
            _add(line.cells[index], row)
    rolled = [line for line in unit_lines.values() if line.tally.total]
    if rolled:
        owing = (year_rows(paths, year).annotate(unit=Substr("org__path", 1, prefix_len)).values("unit")
                 .annotate(n=Count("org_id", distinct=True)).order_by())
        for row in owing:
            if row["unit"] in unit_lines:
                unit_lines[row["unit"]].branches = row["n"]
    return Summary(total, by_kind, kinds, rolled)


def owing_page(paths: Sequence[str] | None, year: int, page: int, per_page: int) -> tuple[int, int, list[int]]:
    """The flat matrix's paging: the number of pages of organizations that owe something in
    ``year`` (at least 1), ``page`` kept within them (1-based), and the ids of that page's
    organizations in tree order. Two queries."""
    owing = year_rows(paths, year)
    count = owing.values("org_id").distinct().count()
    pages = max((count + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    ids = [pk for pk, _path in owing.values_list("org_id", "org__path").distinct()
           .order_by("org__path")[start:start + per_page]]
    return pages, page, ids


# --- Every row, lean (the export, the API) ------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One stored obligation as the export and the API list it (no meeting objects built)."""

    org_id: int
    org_name: str
    org_path: str
    kind: MeetingKind
    needed: int
    period: Period
    window_start: dt.date
    due_on: dt.date
    remind_on: dt.date
    status: str
    due_soon: bool
    meetings: list[int]
    without_quorum: list[int]

    @property
    def status_label(self) -> str:
        if self.due_soon:
            return str(rules.DUE_SOON_LABEL)
        return str(ComplianceStatus(self.status).label)


def lines(paths: Sequence[str] | None, year: int, today: dt.date) -> Iterator[Line]:
    """Every stored obligation of the subtree in ``year``, in the engine's order (organization
    path, requirement order, period), judged on ``today``. Two queries (the requirements with
    their kinds, the rows), streamed."""
    requirements = {r.pk: r for r in MeetingRequirement.objects.select_related("kind").filter(kind__is_active=True)}
    periods: dict[tuple[dt.date, dt.date, str], Period] = {}
    rows = (year_rows(paths, year)
            .order_by("org__path", "requirement__kind__sort_order", "requirement_id", "period_start")
            .values_list("org_id", "org__name", "org__path", "requirement_id", "period_start", "period_end",
                         "window_start", "due_on", "remind_on", "done", "meetings", "without_quorum"))
    for (org_id, name, path, req_id, start, end, window, due_on, reminded, done, met,
         without) in rows.iterator(chunk_size=5000):
        req = requirements[req_id]
        period = periods.get((start, end, req.frequency))
        if period is None:
            period = periods[(start, end, req.frequency)] = Period(start, end, req.frequency)
        status = rules.judged(done, due_on, today)
        yield Line(org_id, name, path, req.kind, req.times, period, window, due_on, reminded, str(status),
                   status == ComplianceStatus.DUE and reminded <= today, [m[0] for m in met], [m[0] for m in without])
