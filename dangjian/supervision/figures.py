"""Dashboard figures of supervision: the year's filings and the progress of rectification
after inspections, for a subtree (数据看板)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill, rate
from dangjian.core.rectification import RectificationStatus
from dangjian.supervision.models import InspectionRectification


def rectification(subtree: Subtree) -> FigureData:
    """Rectification items of inspections under the subtree by status, and the share closed."""
    counts = dict(InspectionRectification.objects  # scope-ok: the dashboard checked the subtree
                  .filter(org__path__startswith=subtree.path).values_list("status").annotate(n=Count("id")).order_by())
    items = [FigureItem(str(label), counts.get(value, 0), drill("supervision:rectification_list", subtree, status=value))
             for value, label in RectificationStatus.choices]
    total = sum(counts.values())
    headline = [FigureItem(gettext("Rectification items"), total, drill("supervision:rectification_list", subtree)),
                FigureItem(gettext("Closed"), rate(counts.get(RectificationStatus.CLOSED, 0), total),
                           note=f"{counts.get(RectificationStatus.CLOSED, 0)}/{total}")]
    return FigureData(items=items, headline=headline, unit=gettext("items"))


def inspections(subtree: Subtree) -> FigureData:
    """Inspections of the year's rounds whose target lies under the subtree, by stage, and the
    share of the subtree's committees and general branches they cover."""
    from dangjian.orgs.models import Organization
    from dangjian.supervision.models import Inspection
    from dangjian.supervision.models.inspection import Stage

    rows = (Inspection.objects  # scope-ok: the dashboard checked the subtree
            .filter(target__path__startswith=subtree.path, round__year=subtree.year)
            .values_list("stage").annotate(n=Count("id"), targets=Count("target_id", distinct=True)).order_by())
    counts = {stage: n for stage, n, _t in rows}
    targets = (Inspection.objects.filter(target__path__startswith=subtree.path, round__year=subtree.year)
               .values("target_id").distinct().count())
    units = Organization.objects.filter(  # scope-ok: counted for the subtree the dashboard checked
        path__startswith=subtree.path, kind__in=("committee", "general_branch", "branch"), is_active=True).count()
    items = [FigureItem(str(label), counts.get(value, 0),
                        drill("supervision:inspection_list", subtree, stage=value, year=subtree.year))
             for value, label in Stage.choices]
    headline = [FigureItem(gettext("Inspected this year"), targets, note=f"{rate(targets, units)}%"),
                FigureItem(gettext("Organizations"), units)]
    return FigureData(items=items, headline=headline, unit=gettext("inspections"))


def filings(subtree: Subtree) -> FigureData:
    """The year's filings under the subtree by status (one grouped query)."""
    from dangjian.supervision.models import Filing, FilingStatus

    counts = dict(Filing.objects  # scope-ok: the dashboard checked the subtree
                  .filter(org__path__startswith=subtree.path, year=subtree.year)
                  .values_list("status").annotate(n=Count("id")).order_by())
    items = [FigureItem(str(label), counts.get(value, 0),
                        drill("supervision:filing_list", subtree, year=subtree.year, status=value))
             for value, label in FilingStatus.choices]
    total = sum(counts.values())
    headline = [FigureItem(gettext("Filings this year"), total, drill("supervision:filing_list", subtree, year=subtree.year)),
                FigureItem(str(FilingStatus.ACCEPTED.label), rate(counts.get(FilingStatus.ACCEPTED, 0), total),
                           note=f"{counts.get(FilingStatus.ACCEPTED, 0)}/{total}")]
    return FigureData(items=items, headline=headline, unit=gettext("filings"))
