"""Points work run by the scheduler (dangjian.core.jobs): the daily close of the 公示 whose
objection window has ended (seeded as the schedule line ``points_close_publications``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.points import services
from dangjian.points.models import Publication


@jobs.job(title=_("Close the points publications whose objection window has ended"))
def close_publications(ctx: jobs.JobContext, *, today: str = "") -> jobs.Outcome:
    """Every open publication whose window ended before ``today``: its published entries without
    an open objection become final (entries under objection wait for the branch's answer).
    Running it twice closes nothing more."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    due = Publication.objects.filter(closed_at__isnull=True, window_ends_on__lt=day).count()
    ctx.stage(gettext("Closing the publications"))
    finalized = services.close_due(today=day)
    return jobs.Outcome(
        message=gettext("Points publications closed as of %(day)s.") % {"day": day.isoformat()},
        figures=[(gettext("Publications closed"), due), (gettext("Entries made final"), finalized)])
