"""The record-quality checks of a period as a background job (dangjian.core.jobs)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.core.scoping import scope_paths, within_scope
from dangjian.library import services
from dangjian.orgs.models import Organization


@jobs.job(title=_("Check the quality of meeting records"))
def check_records(ctx: jobs.JobContext, *, start: str = "", end: str = "", org: int | None = None) -> jobs.Outcome:
    """Every meeting record held between ``start`` and ``end`` (default: this year so far) in the
    user's quality scope (or the subtree of ``org`` within it)."""
    from dangjian.meetings.choices import MeetingStatus
    from dangjian.meetings.models import Meeting

    today = timezone.localdate()
    first = dt.date.fromisoformat(start) if start else dt.date(today.year, 1, 1)
    last = dt.date.fromisoformat(end) if end else today
    if last < first:
        raise jobs.JobError(gettext("The period ends before it starts."))
    if scope_paths(ctx.user, "quality", "change") == []:
        raise jobs.JobError(gettext("This account reviews no records."))
    meetings = within_scope(Meeting.objects.all(), ctx.user, "quality", "change")  # scope-ok: within_scope
    if org:
        chosen = Organization.objects.filter(pk=org).values_list("path", flat=True).first() or "-"
        meetings = meetings.filter(org__path__startswith=chosen)
    meetings = meetings.filter(starts_at__date__gte=first, starts_at__date__lte=last)\
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])
    ctx.stage(gettext("Checking the records"))
    result = services.check_records(actor=ctx.user, meetings=meetings, progress=ctx.progress)
    return jobs.Outcome(
        message=gettext("%(n)d records checked from %(start)s to %(end)s.") % {
            "n": result.records, "start": first.isoformat(), "end": last.isoformat()},
        figures=[(gettext("Records checked"), result.records), (gettext("Flags raised"), result.flags)])
