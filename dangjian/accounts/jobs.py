"""Account housekeeping as a scheduled job (the line is seeded by migration accounts 0006)."""

from __future__ import annotations

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.jobs import runner


@runner.job(title=_("Disable dormant accounts"))
def disable_dormant(ctx: runner.JobContext) -> runner.Outcome:
    from dangjian.accounts.services import disable_dormant as run

    result = run(actor=None)
    message = gettext("%(n)d dormant accounts disabled.") % {"n": len(result.disabled)}
    if result.admins_dormant:
        message += " " + gettext("Administrator accounts unused for too long (not disabled): %(names)s.") % {
            "names": ", ".join(result.admins_dormant)}
    return runner.Outcome(message=message, figures=[(pgettext("job figure", "accounts disabled"), len(result.disabled)),
                                                    (pgettext("job figure", "administrators to review"), len(result.admins_dormant))])
