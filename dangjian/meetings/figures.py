"""Dashboard figures of the meetings module: compliance rates of a subtree by meeting kind and
by unit (三会一课 and the other required meetings, the year so far)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill, rate, shared
from dangjian.meetings import aggregates, rules, stored
from dangjian.meetings.choices import ComplianceStatus


def _year_items(subtree: Subtree) -> list[rules.Obligation]:
    """The year's obligations of the subtree, derived once for both compliance figures of one
    dashboard pass (the derivation is the expensive part: organizations x kinds x periods)."""
    year = subtree.year

    def derive() -> list[rules.Obligation]:
        return stored.obligations(None, dt.date(year, 1, 1), dt.date(year, 12, 31), today=subtree.today,
                                 paths=[subtree.path])

    return shared(("meetings.obligations", subtree.path, subtree.today), derive)  # type: ignore[no-any-return]


def _summary(subtree: Subtree, units: list[tuple[int, str, str, str]] | None = None) -> aggregates.Summary | None:
    """The year's tallies aggregated in SQL from the stored obligations (None: a year not stored)."""
    if not aggregates.is_stored(subtree.year):
        return None
    return aggregates.summary([subtree.path], subtree.year, subtree.today, [], units or ())


def compliance(subtree: Subtree) -> FigureData:
    """Done among decided obligations (done or overdue) by kind: the compliance matrix's
    ``by_kind`` tallies (SQL aggregates over the stored obligations; the engine for a year not
    stored)."""
    found = _summary(subtree)
    grid = rules.matrix(_year_items(subtree), []) if found is None else found
    url = drill("meetings:compliance", subtree, org_param="org", year=subtree.year)
    shown = [FigureItem(kind, rate(t.done, t.done + t.overdue), url, note=f"{t.done}/{t.done + t.overdue}")
             for kind, t in grid.by_kind.items()]
    total = grid.total
    headline = [
        FigureItem(gettext("Compliance rate"), rate(total.done, total.done + total.overdue), url,
                   note=f"{total.done}/{total.done + total.overdue}"),
        FigureItem(str(ComplianceStatus.OVERDUE.label), total.overdue, url),
        FigureItem(str(rules.DUE_SOON_LABEL), total.due_soon, url),
    ]
    series = (
        (str(ComplianceStatus.DONE.label), [t.done for t in grid.by_kind.values()]),
        (str(ComplianceStatus.OVERDUE.label), [t.overdue for t in grid.by_kind.values()]),
        (str(ComplianceStatus.DUE.label), [t.due for t in grid.by_kind.values()]),
    )
    return FigureData(items=shown, headline=headline, unit="%", series=series)


def compliance_by_unit(subtree: Subtree) -> FigureData:
    """The compliance rate of each direct child of the subtree (its whole subtree summed)."""
    from dangjian.orgs.models import Organization

    depth = len(subtree.path) // Organization.steplen
    children = list(Organization.objects  # scope-ok: the children of the subtree the dashboard checked
                    .filter(path__startswith=subtree.path, depth=depth + 1, is_active=True)
                    .order_by("path").values_list("id", "name", "path", "kind"))
    found = _summary(subtree, children) if children else None
    if not children:
        rolled = []
    elif found is None:
        rolled = rules.rollup(_year_items(subtree), [], children)
    else:
        rolled = found.rolled
    shown = []
    for row in rolled:
        child = Subtree(row.org_id, row.org_path, row.org_name, row.org_kind, subtree.today)
        shown.append(FigureItem(row.org_name, rate(row.tally.done, row.tally.done + row.tally.overdue),
                                drill("meetings:compliance", child, org_param="org", year=subtree.year),
                                note=f"{row.tally.done}/{row.tally.done + row.tally.overdue}"))
    return FigureData(items=shown, unit="%")
