"""Materializing the declared reminder sources into the one inbox (a scheduled job).

``materialize(actor=..., day=...)`` asks every source (``dangjian.core.modules.reminder_sources``)
what belongs in an inbox on ``day`` and brings the table to that state in a few statements per
source, whatever the number of items:

- an item not stored yet is inserted (unique by source, object, recipient and due date: a
  second run, or two runs at once, insert nothing twice);
- a stored item the source no longer yields is *fulfilled* (``cleared_on``), and comes back
  only if the source yields it again — while a user's *done* mark (``ReminderMark``) is
  never touched here, so a done item never returns to that user;
- new items for a member are queued in the outbox for the member's outside channels.

One audit entry per run records the counts (the rows are written in bulk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import get_resolver
from django.utils import translation

from dangjian.core import audit
from dangjian.core.modules import reminder_sources
from dangjian.core.reminders import Due, ReminderSource
from dangjian.notices.models import Reminder

BATCH = 2000
GENERATION_KEY = "notices:generation"


@dataclass
class SourceResult:
    source: str
    yielded: int = 0
    created: int = 0
    reopened: int = 0
    cleared: int = 0
    new_member_items: list[Due] = field(default_factory=list)


def _chunks(values: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _org_ids(paths: set[str]) -> dict[str, int]:
    from dangjian.orgs.models import Organization

    found: dict[str, int] = {}
    ordered = sorted(paths)
    for chunk in _chunks(ordered, 500):
        found.update(Organization.objects.filter(path__in=chunk).values_list("path", "pk"))  # scope-ok: a job over every row
    return found


def _collect(source: ReminderSource, day: dt.date) -> dict[tuple[str, str, dt.date], Due]:
    items: dict[tuple[str, str, dt.date], Due] = {}
    for due in source.collect(day):
        items.setdefault((due.object_key[:80], due.recipient, due.due_on), due)
    return items


def materialize_source(source: ReminderSource, day: dt.date) -> SourceResult:
    """Bring one source's items to what it yields on ``day`` (inside the caller's transaction)."""
    result = SourceResult(source.key)
    items = _collect(source, day)
    result.yielded = len(items)
    stored = {(key, recipient, due_on): (pk, cleared_on) for pk, key, recipient, due_on, cleared_on in
              Reminder.objects.filter(source=source.key).values_list("pk", "object_key", "recipient", "due_on",
                                                                     "cleared_on").iterator(chunk_size=BATCH)}
    missing = [key for key in items if key not in stored]
    paths = {items[key].org_path for key in missing if items[key].org_id is None and items[key].org_path}
    org_ids = _org_ids(paths) if paths else {}
    rows = []
    for key in missing:
        due = items[key]
        rows.append(Reminder(source=source.key, object_key=key[0], recipient=key[1], due_on=due.due_on,
                             title=due.title[:200], url=due.url[:200], org_path=due.org_path,
                             org_id=due.org_id or org_ids.get(due.org_path), area="" if due.member_id else due.area,
                             action="" if due.member_id else due.action, member_id=due.member_id, first_on=day))
        if due.member_id:
            result.new_member_items.append(due)
    for chunk in _chunks(rows):
        Reminder.objects.bulk_create(chunk, ignore_conflicts=True)
    result.created = len(rows)
    reopen = [pk for key, (pk, cleared_on) in stored.items() if cleared_on is not None and key in items]
    for ids in _chunks(reopen):
        Reminder.objects.filter(pk__in=ids).update(cleared_on=None)
    result.reopened = len(reopen)
    clear = [pk for key, (pk, cleared_on) in stored.items() if cleared_on is None and key not in items]
    for ids in _chunks(clear):
        Reminder.objects.filter(pk__in=ids).update(cleared_on=day)
    result.cleared = len(clear)
    return result


def materialize(*, actor: Any, day: dt.date, only: Sequence[str] = ()) -> list[SourceResult]:
    """Every declared source (or the keys in ``only``) on ``day``, each in its own transaction;
    one audit entry per run. Titles are written in the installation's language."""
    from django.conf import settings

    from dangjian.notices import outbox

    get_resolver().url_patterns  # noqa: B018  (builds every module's screens: detail URLs of the items)
    results = []
    with translation.override(settings.LANGUAGE_CODE):
        for source in reminder_sources():
            if only and source.key not in only:
                continue
            with transaction.atomic():
                result = materialize_source(source, day)
                if result.new_member_items:
                    outbox.queue_reminders(source=source.key, dues=result.new_member_items)
            results.append(result)
        with transaction.atomic():
            audit.record("reminders_materialized", object_type="notices.reminders", object_repr=day.isoformat(),
                         actor=actor, org_path="", changes={r.source: [r.yielded, r.created, r.cleared]
                                                            for r in results})
    from dangjian.notices.inbox import new_generation

    new_generation()
    return results
