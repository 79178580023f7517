"""Dashboard figure of the study module: test participation and pass rates of a subtree."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext

from dangjian.core.figures import FigureData, FigureItem, Subtree, drill, rate
from dangjian.study.models import Attempt, AttemptStatus


def tests(subtree: Subtree) -> FigureData:
    """Attempts under the subtree by status, members who took a test, and the pass rate of the
    submitted attempts (one aggregate query)."""
    submitted = Q(status__in=(AttemptStatus.SUBMITTED, AttemptStatus.AUTO))
    aggregates = {f"s_{v}": Count("id", filter=Q(status=v)) for v in AttemptStatus.values}
    row = (Attempt.objects.filter(org__path__startswith=subtree.path)  # scope-ok: the dashboard checked the subtree
           .aggregate(members=Count("member_id", distinct=True), passed=Count("id", filter=submitted & Q(passed=True)),
                      done=Count("id", filter=submitted), **aggregates))
    items = [FigureItem(str(label), row[f"s_{value}"], drill("study:attempt_list", subtree, status=value))
             for value, label in AttemptStatus.choices]
    headline = [FigureItem(gettext("Members who took a test"), row["members"]),
                FigureItem(gettext("Pass rate of submitted attempts"), rate(row["passed"], row["done"]),
                           note=f"{row['passed']}/{row['done']}")]
    return FigureData(items=items, headline=headline, unit=gettext("attempts"))
