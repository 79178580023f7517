"""The supervision module's reminder source: quarterly filings (报备) — due within
``HORIZON_DAYS`` or returned, for the organization's filers; submitted, for the level above
that reviews them. (Rectification deadlines are the core's source over every module.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext

from dangjian.core.reminders import Due
from dangjian.supervision.models import Filing, FilingStatus

HORIZON_DAYS = 14


def filings(day: dt.date) -> Iterator[Due]:
    soon = day + dt.timedelta(days=HORIZON_DAYS)
    rows = (Filing.objects.filter(status__in=(FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.SUBMITTED))  # scope-ok: a job over every row
            .select_related("org").order_by("pk"))
    for row in rows.iterator(chunk_size=2000):
        text = {"org": row.org, "year": row.year, "quarter": row.quarter}
        if row.status == FilingStatus.SUBMITTED:
            parent = row.org.path[:-row.org.steplen]
            if parent:
                yield Due(object_key=f"supervision.filing:{row.pk}:review:{row.round}", due_on=row.due_on,
                          title=gettext("To review: filing of %(org)s, %(year)s Q%(quarter)s") % text,
                          url=row.get_absolute_url(), org_path=parent, area="filings", action="change")
        elif row.status == FilingStatus.RETURNED or row.due_on <= soon:
            what = (gettext("Filing returned: %(org)s, %(year)s Q%(quarter)s") if row.status == FilingStatus.RETURNED
                    else gettext("Filing due: %(org)s, %(year)s Q%(quarter)s")) % text
            yield Due(object_key=f"supervision.filing:{row.pk}:{row.status}:{row.round}", due_on=row.due_on,
                      title=what, url=row.get_absolute_url(), org_path=row.org.path, org_id=row.org_id, area="filings",
                      action="change")
