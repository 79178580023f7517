"""Reports rendered in the background: the PDF (LibreOffice takes seconds) of any report."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.core.figures import Subtree


@jobs.job(title=_("Render a report as PDF"))
def render_pdf(ctx: jobs.JobContext, *, kind: str, org: int) -> jobs.Outcome:
    from dangjian.dashboard import compose
    from dangjian.dashboard.reports import build

    user: Any = ctx.user
    subtree: Subtree = compose.subtree_for(user, org)
    ctx.stage(gettext("Computing the figures"))
    report = build.build(kind, user, subtree)
    ctx.stage(gettext("Rendering the PDF"))
    content = build.to_pdf(report)
    ctx.progress(1, 1)
    return jobs.Outcome(message=gettext("%(title)s is ready.") % {"title": report.title},
                        file=(build.file_name(report, "pdf"), content), keep_hours=24,
                        figures=[(gettext("Date"), timezone.localdate().isoformat())])
