"""Dashboard figures of the points module: the distribution of the year's balances and the
violation totals of a subtree (数据看板)."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill
from dangjian.points.choices import ViolationStatus
from dangjian.points.models import PointBalance, ViolationRecord

#: balance bands (lower bound inclusive, upper exclusive; None open)
BANDS = ((None, 60), (60, 80), (80, 90), (90, 100), (100, 110), (110, None))


def _band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return gettext("below %(n)d") % {"n": high}
    if high is None:
        return gettext("%(n)d and above") % {"n": low}
    return f"{low}–{high - 1}"


def distribution(subtree: Subtree) -> FigureData:
    """The year's balances by band, and their average (one aggregate query)."""
    aggregates = {"total": Count("id"), "average": Avg("score")}
    for i, (low, high) in enumerate(BANDS):
        q = Q()
        if low is not None:
            q &= Q(score__gte=low)
        if high is not None:
            q &= Q(score__lt=high)
        aggregates[f"b{i}"] = Count("id", filter=q)
    row = (PointBalance.objects  # scope-ok: the dashboard checked the subtree
           .filter(org_path__startswith=subtree.path, year=subtree.year).aggregate(**aggregates))
    ranking = drill("points:ranking", subtree, org_param="org", year=subtree.year)
    items = [FigureItem(_band_label(low, high), row[f"b{i}"], ranking) for i, (low, high) in enumerate(BANDS)]
    average = round(float(row["average"] or 0), 1)
    headline = [FigureItem(gettext("Balances"), row["total"], ranking), FigureItem(gettext("Average balance"), average)]
    return FigureData(items=items, headline=headline, unit=gettext("people"))


def violations(subtree: Subtree) -> FigureData:
    """Violation records by status, all years (one grouped query; the violation list has no year
    filter, so the numbers are those of the list they open)."""
    counts = dict(ViolationRecord.objects  # scope-ok: the dashboard checked the subtree
                  .filter(org__path__startswith=subtree.path)
                  .values_list("status").annotate(n=Count("id")).order_by())
    items = [FigureItem(str(label), counts.get(value, 0),
                        drill("points:violation_list", subtree, status=value))
             for value, label in ViolationStatus.choices]
    headline = [FigureItem(gettext("Violations recorded"), sum(counts.values()),
                           drill("points:violation_list", subtree))]
    return FigureData(items=items, headline=headline, unit=gettext("records"))
