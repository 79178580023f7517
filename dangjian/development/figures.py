"""Dashboard figure of member development: the pipeline of a subtree by stage (数据看板)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill
from dangjian.development.choices import Stage
from dangjian.development.models import Case

#: the stages of the pipeline proper (the ended cases are counted in the headline only)
PIPELINE = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


def pipeline(subtree: Subtree) -> FigureData:
    """Cases by stage under the subtree (one grouped query)."""
    counts = dict(Case.objects.filter(org__path__startswith=subtree.path)  # scope-ok: the dashboard checked the subtree
                  .values_list("stage").annotate(n=Count("id")).order_by())
    items = [FigureItem(str(Stage(stage).label), counts.get(stage, 0),
                        drill("development:case_list", subtree, stage=stage)) for stage in PIPELINE]
    in_pipeline = sum(item.value for item in items)  # type: ignore[misc]
    headline = [FigureItem(gettext("In the pipeline"), in_pipeline),
                FigureItem(str(Stage.FULL.label), counts.get(Stage.FULL, 0),
                           drill("development:case_list", subtree, stage=Stage.FULL))]
    return FigureData(items=items, headline=headline, unit=gettext("people"))
