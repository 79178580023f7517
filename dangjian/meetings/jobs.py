"""Meetings work run as a job (dangjian.core.jobs): the full rebuild of the stored obligations."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.meetings import stored


@jobs.job(title=_("Rebuild the stored compliance obligations"))
def rebuild_obligations(ctx: jobs.JobContext, *, years: list[int] | None = None) -> jobs.Outcome:
    """Every stored year (or ``years``) recomputed from the requirements, organizations and
    meetings, in one transaction: what the incremental upkeep keeps, from scratch."""
    chosen = sorted(set(years or stored.stored_years() or stored.default_years()))
    total = 0
    for done, year in enumerate(chosen, start=1):
        ctx.stage(gettext("Year %(year)s") % {"year": year})
        total += stored.rebuild([year])
        ctx.progress(done, len(chosen))
    return jobs.Outcome(message=gettext("Stored obligations rebuilt."),
                        figures=[(gettext("Years"), len(chosen)), (gettext("Obligations"), total)])
