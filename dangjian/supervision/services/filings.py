"""Filing review services: open a quarter's filing, submit (and refile), review by the level above.

Keyword-only, actor first; each locks the filing, re-checks the rule under the lock and leaves
audit entries through the scoped saves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.core.periods import periods_of_year
from dangjian.core.scoping import covers, ensure_in_scope
from dangjian.supervision import signals
from dangjian.supervision.models import (
    Filing,
    FilingItem,
    FilingRequirement,
    FilingRound,
    FilingStatus,
    Mistake,
)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    period = periods_of_year(year, "quarter")[quarter - 1]
    return period.start, period.end


def requirements_for(org: Any, year: int) -> list[FilingRequirement]:
    rows = FilingRequirement.rows_in_force(year)
    return list(rows.filter(org_kind=org.kind).order_by("order", "code"))


def platform_records(org: Any, requirement: FilingRequirement, year: int, quarter: int) -> list[dict[str, Any]]:
    """The platform's own records behind an item, attached automatically (label and link)."""
    start, end = quarter_bounds(year, quarter)
    if requirement.source == "meetings" and apps.is_installed("dangjian.meetings"):
        meeting = apps.get_model("meetings", "Meeting")
        rows = (meeting._default_manager.filter(org=org, starts_at__date__gte=start, starts_at__date__lte=end)  # scope-ok: the filing's own organization, read in scope
                .exclude(status="cancelled").select_related("kind").order_by("starts_at"))
        return [{"label": f"{m.starts_at:%Y-%m-%d} {m.kind} {m.topic}", "url": reverse("meetings:meeting_detail", args=[m.pk])}
                for m in rows[:50]]
    if requirement.source == "dues" and apps.is_installed("dangjian.dues"):
        bill = apps.get_model("dues", "DuesBill")
        count = bill._default_manager.filter(org=org, month__gte=start, month__lte=end).count()  # scope-ok: as above
        return [{"label": gettext("%(count)d dues bills in the quarter") % {"count": count}, "url": ""}] if count else []
    return []


def open_filing(*, actor: Any, org: Any, year: int, quarter: int) -> Filing:
    """The organization's filing for the quarter, with one item per requirement in force."""
    if quarter not in (1, 2, 3, 4):
        raise RuleError(gettext("A quarter is 1 to 4."), field="quarter")
    requirements = requirements_for(org, year)
    if not requirements:
        raise RuleError(gettext("Nothing is required to be filed by this kind of organization."), field="org")
    with transaction.atomic():
        existing = Filing.objects.filter(org=org, year=year, quarter=quarter).first()  # scope-ok: checked below
        if existing is not None:
            if actor is not None:
                ensure_in_scope(actor, existing, "view")
            return existing
        _start, end = quarter_bounds(year, quarter)
        filing = Filing(org=org, year=year, quarter=quarter,
                        due_on=end + dt.timedelta(days=max(r.due_days for r in requirements)))
        filing.save()
        for requirement in requirements:
            FilingItem(filing=filing, requirement=requirement,
                       records=platform_records(org, requirement, year, quarter)).save()
        if actor is not None:
            ensure_in_scope(actor, filing, "add")
    return filing


def submit(*, actor: Any, filing: Filing, texts: dict[int, str], note: str = "") -> Filing:
    """File (or refile after a return): every item needs its text or platform records; starts a round."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)  # scope-ok: re-read under lock
        if actor is not None:
            ensure_in_scope(actor, filing, "change")
        if filing.status not in (FilingStatus.DRAFT, FilingStatus.RETURNED):
            raise RuleError(gettext("Only a draft or a returned filing can be submitted."))
        items = list(filing.items.select_related("requirement"))
        for item in items:
            if item.pk in texts:
                item.text = texts[item.pk].strip()
            item.records = platform_records(filing.org, item.requirement, filing.year, filing.quarter) or item.records
            if not item.text and not item.records:
                raise RuleError(gettext("Say what was done for “%(item)s”.") % {"item": item.requirement.name},
                                field=f"item_{item.pk}")
            item.returned = False
            item.save()
        now = timezone.now()
        filing.round += 1
        filing.status = FilingStatus.SUBMITTED
        filing.submitted_at = now
        filing.note = note
        filing.save()
        FilingRound(filing=filing, number=filing.round, submitted_at=now, submitted_by=actor,
                    items=[{"item": i.requirement.name, "text": i.text, "records": len(i.records)} for i in items]).save()
    return filing


def may_review(actor: Any, filing: Filing) -> bool:
    """The level above reviews: the actor's filing scope must reach the organization's parent."""
    parent_path = filing.org.path[:-filing.org.steplen]
    return bool(parent_path) and covers(actor, "filings", "change", parent_path)


def review(*, actor: Any, filing: Filing, returns: dict[int, tuple[str, int | None]]) -> Filing:
    """Accept (no ``returns``) or return with comments item by item (item id -> comment, mistake id)."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update().select_related("org").get(pk=filing.pk)  # scope-ok: re-read under lock
        if actor is not None:
            ensure_in_scope(actor, filing, "change")
        if not may_review(actor, filing):
            raise RuleError(gettext("A filing is reviewed by the level above."))
        if filing.status != FilingStatus.SUBMITTED:
            raise RuleError(gettext("Only a submitted filing can be reviewed."))
        items = {i.pk: i for i in filing.items.select_related("requirement")}
        for pk, (comment, mistake_id) in returns.items():
            if pk not in items:
                raise RuleError(gettext("That item is not part of this filing."))
            if not comment.strip():
                raise RuleError(gettext("Say what must be corrected."), field=f"comment_{pk}")
            item = items[pk]
            item.returned, item.comment = True, comment.strip()
            item.mistake = Mistake.objects.filter(pk=mistake_id).first() if mistake_id else None  # scope-ok: a global catalog
            item.save()
        now = timezone.now()
        filing.status = FilingStatus.RETURNED if returns else FilingStatus.ACCEPTED
        filing.decided_at = now
        filing.save()
        current = filing.rounds.get(number=filing.round)
        current.decision, current.decided_at, current.decided_by = filing.status, now, actor
        current.items = [{**entry, "returned": items_by_name(items).get(entry["item"], (False, ""))[0],
                          "comment": items_by_name(items).get(entry["item"], (False, ""))[1]}
                         for entry in current.items]
        current.save()
        if returns:
            signals.filing_returned.send(actor=actor, evidence=filing, round=filing.round, items=len(returns))
        else:
            signals.filing_accepted.send(actor=actor, evidence=filing, round=filing.round)
    return filing


def items_by_name(items: dict[int, FilingItem]) -> dict[str, tuple[bool, str]]:
    return {i.requirement.name: (i.returned, i.comment) for i in items.values()}
