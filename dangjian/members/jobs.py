"""The province-scale demo build (10,000 organizations, 100,000 members) as a background job:
``manage.py demo --scale province --enqueue`` hands it to the worker instead of building it in
the command's own process."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.orgs.models import Organization


@jobs.job(title=_("Build the province-scale demo data"), atomic=False)  # build_province: one transaction
def build_demo(ctx: jobs.JobContext, *, seed: int = 2026) -> jobs.Outcome:
    from dangjian.members.province import build_province

    if Organization.objects.exists():
        raise jobs.JobError(gettext("The database is not empty: demo data can only be loaded into an empty database."))
    ctx.stage(gettext("Building the organizations and members"))
    built = build_province(seed, log=ctx.stage)
    return jobs.Outcome(message=gettext("Province-scale data loaded in %(s)d seconds.") % {"s": built.seconds},
                        figures=[(gettext("Organizations"), built.orgs), (gettext("Members"), built.members)])
