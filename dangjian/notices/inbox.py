"""Reading the one inbox: which materialized reminders a user sees, their open count for the
navigation bar, and the read and done marks.

A user sees an item addressed to their member record, or an item addressed to a scope
(area, action) whose organization path lies in the user's scope for that area and action —
the one scoping rule of ``dangjian.core.scoping``, asked once per (area, action) present.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dangjian.core.modules import reminder_sources
from dangjian.core.scoping import scope_for
from dangjian.notices.models import Reminder, ReminderMark
from dangjian.notices.reminders import GENERATION_KEY

COUNT_SECONDS = 60


def _count_key(user: Any) -> str:
    """Per user and per generation of the items: a change of the items (a run of the job, a
    row saved) starts a new generation, so no count outlives the items it counted."""
    return f"notices:open:{cache.get(GENERATION_KEY, 0)}:{user.pk}"


def new_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


@functools.cache
def scope_pairs() -> tuple[tuple[str, str], ...]:
    """The (area, action) pairs the declared sources' scope items use (no query)."""
    return tuple(sorted({pair for source in reminder_sources() for pair in source.scope_pairs()}))


def visible_q(user: Any) -> Q:
    """The filter of the reminders ``user`` may see (deny by default)."""
    q = Q(pk__in=[])
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return q
    if getattr(user, "member_id", None):
        q |= Q(member_id=user.member_id)
    for area, action in scope_pairs():
        scope = scope_for(user, area, action)
        if scope.is_empty:
            continue
        if scope.everything:
            q |= Q(area=area, action=action)
        elif scope.org_paths:
            paths = Q(pk__in=[])
            for prefix in scope.org_paths:
                paths |= Q(org_path__startswith=prefix)
            q |= Q(area=area, action=action) & paths
    return q


def for_user(user: Any) -> QuerySet[Reminder]:
    """The user's reminders, each annotated with ``is_read`` and ``is_done`` (their own marks)."""
    marks = ReminderMark.objects.filter(reminder=OuterRef("pk"), user_id=getattr(user, "pk", None) or 0)
    return (Reminder.objects.filter(visible_q(user))
            .annotate(is_read=Exists(marks.filter(read_at__isnull=False)),
                      is_done=Exists(marks.filter(done_at__isnull=False))))


def open_for(user: Any) -> QuerySet[Reminder]:
    """Items not fulfilled and not marked done by the user, soonest first."""
    return for_user(user).filter(cleared_on__isnull=True, is_done=False).order_by("due_on", "id")  # type: ignore[misc]


def open_count(user: Any) -> int:
    """The navigation bar's count: one query, kept per user for a minute (a mark clears it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    key = _count_key(user)
    count = cache.get(key)
    if count is None:
        count = open_for(user).count()
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def get_visible_or_404(user: Any, pk: int) -> Reminder:
    from django.http import Http404

    try:
        return Reminder.objects.filter(visible_q(user)).get(pk=pk)
    except (Reminder.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def mark(*, actor: Any, reminder: Reminder, done: bool) -> ReminderMark:
    """Mark an item read, or done (done implies read; done is never undone by the job)."""
    with transaction.atomic():
        row, _created = ReminderMark.objects.select_for_update().get_or_create(reminder=reminder, user=actor)
        now = timezone.now()
        row.read_at = row.read_at or now
        if done:
            row.done_at = row.done_at or now
        row.save()
    cache.delete(_count_key(actor))
    return row


def undo_done(*, actor: Any, reminder: Reminder) -> None:
    """The user takes an item back (a click by mistake): only the user's own mark changes."""
    ReminderMark.objects.filter(reminder=reminder, user=actor).update(done_at=None)
    cache.delete(_count_key(actor))
