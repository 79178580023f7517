"""The outbox: messages to users on their outside channels, delivered by a job with retries.

In the platform (the in-app channel) every reminder and announcement is always there: it *is*
the inbox and the announcement list, so nothing is queued for it. For the outside channels
(SMS, 企业微信, 钉钉) a message is queued once per (channel, user, subject) for each user who
chose the channel (``ChannelPreference``), and ``deliver_due`` sends what is due:

- not in the channel's quiet hours (the messages wait, untouched, until they end);
- at most ``per_minute`` per channel in any minute (the rest wait for the next run);
- a failed try is retried after ``retry_minutes``, doubling each time, and given up after
  ``max_attempts`` tries (status 已放弃, the last error kept);
- a row is claimed with one conditional UPDATE before it is sent, so two deliverers running
  at once never send it twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from dangjian.notices.adapters import ADAPTERS, DeliveryError
from dangjian.notices.models import Channel, ChannelConfig, ChannelPreference, DeliveryStatus, OutboxMessage

LEASE = dt.timedelta(minutes=10)
OUTSIDE = (Channel.SMS, Channel.WECOM, Channel.DINGTALK)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    quiet: int = 0
    limited: int = 0


def queue(*, user_ids: Iterable[int], key: str, text: str, url: str = "", now: dt.datetime | None = None) -> int:
    """Queue one message per outside channel each user chose; returns the rows added."""
    now = now or timezone.now()
    prefs = (ChannelPreference.objects.filter(user_id__in=list(user_ids), enabled=True, channel__in=OUTSIDE,
                                              user__is_active=True).values_list("user_id", "channel"))
    rows = [OutboxMessage(user_id=user_id, channel=channel, key=key[:120], text=text[:500], url=url[:200],
                          next_try_at=now) for user_id, channel in prefs]
    OutboxMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def queue_reminders(*, source: str, dues: list[Any], now: dt.datetime | None = None) -> int:
    """New member items of a reminder source, for the members' accounts that chose a channel."""
    from dangjian.accounts.models import User

    by_member: dict[int, list[Any]] = {}
    for due in dues:
        by_member.setdefault(due.member_id, []).append(due)
    users = dict(User.objects.filter(member_id__in=list(by_member), is_active=True)  # scope-ok: the members' own accounts
                 .filter(pk__in=ChannelPreference.objects.filter(enabled=True, channel__in=OUTSIDE).values("user_id"))
                 .values_list("member_id", "pk"))
    now = now or timezone.now()
    rows = []
    prefs: dict[int, list[str]] = {}
    for user_id, channel in ChannelPreference.objects.filter(user_id__in=list(users.values()), enabled=True,
                                                             channel__in=OUTSIDE).values_list("user_id", "channel"):
        prefs.setdefault(user_id, []).append(channel)
    for member_id, user_id in users.items():
        for due in by_member[member_id]:
            for channel in prefs.get(user_id, ()):
                rows.append(OutboxMessage(user_id=user_id, channel=channel, next_try_at=now, text=due.title[:500],
                                          key=f"reminder:{source}:{due.object_key}:{due.due_on}"[:120], url=due.url[:200]))
    OutboxMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _address(user_id: int, channel: str) -> str:
    pref = ChannelPreference.objects.filter(user_id=user_id, channel=channel).first()
    return str(pref.address or "") if pref else ""


def _claim(message: OutboxMessage, now: dt.datetime) -> bool:
    return bool(OutboxMessage.objects.filter(pk=message.pk, status=DeliveryStatus.PENDING,
                                             next_try_at=message.next_try_at).update(next_try_at=now + LEASE))


def deliver_due(*, now: dt.datetime | None = None, limit: int = 500) -> DeliveryResult:
    """Send the pending messages that are due on every enabled channel (see the module text)."""
    now = now or timezone.now()
    result = DeliveryResult()
    local = timezone.localtime(now).time()
    for config in ChannelConfig.objects.filter(enabled=True, channel__in=OUTSIDE):
        due = OutboxMessage.objects.filter(channel=config.channel, status=DeliveryStatus.PENDING, next_try_at__lte=now)
        if config.in_quiet_hours(local):
            result.quiet += due.count()
            continue
        sent_recently = OutboxMessage.objects.filter(channel=config.channel, status=DeliveryStatus.SENT,
                                                     sent_at__gt=now - dt.timedelta(minutes=1)).count()
        budget = max(0, min(limit, int(config.per_minute) - sent_recently))
        batch = list(due.order_by("next_try_at", "id")[:budget + 1])
        if len(batch) > budget:
            result.limited += due.count() - budget
            batch = batch[:budget]
        adapter = ADAPTERS[config.channel](config)
        for message in batch:
            if not _claim(message, now):
                continue
            attempts = message.attempts + 1
            try:
                address = _address(message.user_id, message.channel)
                if not address:
                    raise DeliveryError("no address")
                adapter.send(address=address, text=message.text)
            except DeliveryError as exc:
                gave_up = attempts >= config.max_attempts
                delay = dt.timedelta(minutes=int(config.retry_minutes) * 2 ** (attempts - 1))
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:300],
                    status=DeliveryStatus.GAVE_UP if gave_up else DeliveryStatus.PENDING,
                    next_try_at=now if gave_up else now + delay)
                result.gave_up += gave_up
                result.failed += not gave_up
            else:
                OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1, status=DeliveryStatus.SENT,
                                                                   sent_at=now, last_error="")
                result.sent += 1
    return result
