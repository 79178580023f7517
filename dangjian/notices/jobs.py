"""Notices work run by the scheduler: the nightly materialization of every reminder source
(schedule line ``notices_materialize``) and the outbox delivery (``notices_deliver``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.notices import outbox, reminders


@jobs.job(title=_("Bring the inbox up to date"), atomic=False)
def materialize(ctx: jobs.JobContext, *, today: str = "") -> jobs.Outcome:
    """Every declared reminder source on ``today``: new items in, fulfilled items out (each source
    in its own transaction)."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    ctx.stage(gettext("Collecting what falls due"))
    results = reminders.materialize(actor=ctx.user, day=day)
    return jobs.Outcome(
        message=gettext("Inbox brought up to date as of %(day)s.") % {"day": day.isoformat()},
        figures=[(gettext("Items due"), sum(r.yielded for r in results)),
                 (gettext("New items"), sum(r.created for r in results)),
                 (gettext("Fulfilled items"), sum(r.cleared for r in results))])


@jobs.job(title=_("Send the waiting messages"), atomic=False)
def deliver(ctx: jobs.JobContext) -> jobs.Outcome:
    """The outbox's due messages on every enabled outside channel."""
    result = outbox.deliver_due()
    return jobs.Outcome(message=gettext("Messages sent."), figures=[
        (gettext("Sent"), result.sent), (gettext("To retry"), result.failed), (gettext("Given up"), result.gave_up),
        (gettext("Waiting for the end of quiet hours"), result.quiet), (gettext("Held by the rate limit"), result.limited)])
