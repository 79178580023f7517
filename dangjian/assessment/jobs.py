"""Grading work run in the background (dangjian.core.jobs): the recompute of the organizations
whose evidence changed (schedule line ``assessment_recompute``, every 10 minutes) and the
nightly recompute of a whole year (``assessment_recompute_year``: deadlines pass without any
record changing — a 党课 quarter ends unheld — so once a day every live result is redone)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.assessment import services
from dangjian.assessment.models import PendingGrade
from dangjian.core import jobs


@jobs.job(title=_("Recompute the grades of the organizations whose evidence changed"))
def recompute_pending(ctx: jobs.JobContext, *, year: int = 0) -> jobs.Outcome:
    years = [year] if year else sorted(set(PendingGrade.objects.values_list("year", flat=True)))
    done = 0
    for y in years:
        ctx.stage(gettext("Year %(year)s") % {"year": y})
        done += services.recompute(actor=ctx.user, year=y)
    return jobs.Outcome(message=gettext("Grades recomputed."), figures=[(gettext("Organizations"), done)])


@jobs.job(title=_("Recompute every live grade of the year"))
def recompute_year(ctx: jobs.JobContext, *, year: int = 0, org: int = 0) -> jobs.Outcome:
    from dangjian.orgs.models import Organization

    year = year or timezone.localdate().year
    qs = services.graded()
    if org:
        root = Organization.objects.get(pk=org)
        qs = qs.filter(path__startswith=root.path)
    ids = list(qs.values_list("id", flat=True))
    ctx.progress(0, len(ids))
    done = services.recompute(actor=ctx.user, year=year, org_ids=ids)
    ctx.progress(len(ids), len(ids))
    return jobs.Outcome(message=gettext("Grades recomputed."), figures=[(gettext("Organizations"), done)])
