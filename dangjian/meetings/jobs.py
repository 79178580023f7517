"""Meetings work run as a job (dangjian.core.jobs): the full rebuild of the stored obligations,
and the scheduled storing of the coming year."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
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


@jobs.job(title=_("Store the coming year's compliance obligations"))
def store_next_year(ctx: jobs.JobContext, *, today: str = "") -> jobs.Outcome:
    """Scheduled daily (``meetings_store_next_year``): in December the next year's obligations
    are stored (its requirements are usually set by then, and the upkeep keeps them from the
    first day), and this year's whenever it is missing (a December without a run). A year
    already stored is left alone."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    wanted = [day.year, day.year + 1] if day.month == 12 else [day.year]
    have = set(stored.stored_years())
    missing = [year for year in wanted if year not in have]
    total = stored.rebuild(missing) if missing else 0
    return jobs.Outcome(message=gettext("Stored obligations are up to date."),
                        figures=[(gettext("Years"), len(missing)), (gettext("Obligations"), total)])
