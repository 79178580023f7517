"""Dues work too long for a request, as background jobs (dangjian.core.jobs): the month's bills
for every branch under an organization (a whole bureau), and the arrears scan of every
organization in the user's dues scope (scheduled nightly as ``dues_arrears_scan``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.core.scoping import covers, scope_paths
from dangjian.dues import services
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


def _roots(user: object, action: str) -> list[Organization]:
    """The tops of the user's dues scope for ``action`` (every root when it is everything)."""
    paths = scope_paths(user, "dues", action)
    if paths is None:
        return list(Organization.objects.filter(depth=1))
    return list(Organization.objects.filter(path__in=paths))


@jobs.job(title=_("Generate the month's dues bills for every branch"))
def generate_bills(ctx: jobs.JobContext, *, org: int | None = None, month: str = "") -> jobs.Outcome:
    """Every organization with active members under ``org`` (default: all the user may bill),
    in one transaction: a failure at any branch bills nobody."""
    day = dt.date.fromisoformat(month) if month else timezone.localdate()
    roots = [o for o in Organization.objects.filter(pk=org) if covers(ctx.user, "dues", "add", o)] if org else \
        _roots(ctx.user, "add")
    if not roots:
        raise jobs.JobError(gettext("You may not generate dues bills anywhere."))
    with_members = set(Member.objects.filter(is_active=True).values_list("org_id", flat=True).distinct())
    targets = [o for root in roots for o in Organization.objects.filter(path__startswith=root.path).order_by("path")
               if o.pk in with_members and covers(ctx.user, "dues", "add", o)]
    total = created = updated = missing = 0
    ctx.stage(gettext("Generating the bills"))
    for done, target in enumerate(targets, start=1):
        result = services.generate_bills(actor=ctx.user, org=target, month=day)
        created, updated, missing = created + result.created, updated + result.updated, missing + len(result.missing)
        total = done
        ctx.progress(done, len(targets))
    return jobs.Outcome(
        message=gettext("Bills for %(month)s generated in %(n)d organizations.") % {"month": f"{day:%Y-%m}", "n": total},
        figures=[(gettext("Organizations"), total), (gettext("Bills created"), created), (gettext("Bills updated"), updated),
                 (gettext("Members not assessed yet"), missing)])


@jobs.job(title=_("Scan dues arrears"))
def scan_arrears(ctx: jobs.JobContext, *, as_of: str = "") -> jobs.Outcome:
    """Reminders from 3 unpaid months and decision items at 6, in every organization of the
    user's dues scope (the scheduled nightly scan runs as the account set on its line)."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    roots = _roots(ctx.user, "change")
    if not roots:
        raise jobs.JobError(gettext("This account has no dues scope to scan."))
    warned = opened = cleared = 0
    ctx.stage(gettext("Scanning"))
    for done, root in enumerate(roots, start=1):
        result = services.scan_arrears(actor=ctx.user, org=root, as_of=day)
        warned, opened, cleared = warned + len(result.warnings), opened + len(result.opened), cleared + len(result.cleared)
        ctx.progress(done, len(roots))
    return jobs.Outcome(message=gettext("Arrears scanned as of %(day)s.") % {"day": day.isoformat()},
                        figures=[(gettext("Members to remind"), warned), (gettext("New decision items"), opened),
                                 (gettext("Cleared items"), cleared)])
