"""The organization tree's reminder source: terms of office expiring (换届提醒, DOMAIN.md 2.4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext

from dangjian.core.reminders import Due
from dangjian.orgs.models import Organization
from dangjian.orgs.rules import expiring_terms


def terms_expiring(day: dt.date) -> Iterator[Due]:
    """Open terms within the warning window of the year's rules (or past their end), for those
    who change the organization."""
    for term in expiring_terms(Organization.objects.all(), day).order_by("pk").iterator(chunk_size=2000):  # scope-ok: a job over every row
        yield Due(object_key=f"orgs.term:{term.pk}", due_on=term.effective_end,
                  title=gettext("Term of office ends: %(term)s") % {"term": term}, url=term.get_absolute_url(),
                  org_path=term.org.path, org_id=term.org_id, area="orgs", action="change")
