"""Reminder sources: what each module says falls due, for the one inbox (通知与待办).

A module declares its sources in ``declarations.py`` (``reminders=(ReminderSource(...), ...)``).
A source's ``collect(day)`` yields a :class:`Due` for every item that belongs in someone's
inbox on ``day`` (its window has opened, it is not fulfilled yet); an item that stops being
yielded is fulfilled. The notices module materializes them (a scheduled job), deduplicates
them by (source, object, recipient, due date) and keeps each user's read and done marks:
no page computes reminders when it is read.

A recipient is either **a member** (``member_id``: that member's account only) or **a scope**
(``area`` and ``action``: every user whose scope for that action in that area reaches
``org_path`` — the one scoping rule, ``dangjian.core.scoping.covers``). The core declares two
sources itself, over its own facilities: approvals waiting for the level above and open
rectification items near their deadline (every subclass, whichever module it belongs to).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext

#: Days before its deadline an open rectification item enters the inbox.
RECTIFICATION_HORIZON_DAYS = 14


@dataclass(frozen=True)
class Due:
    """One item of a reminder source on one day.

    ``object_key`` names what is due (``"dues.arrears:42:2026-01"``) and, with the recipient
    and ``due_on``, makes the item unique; ``url`` is the page where the action is taken.
    """

    object_key: str
    due_on: dt.date
    title: str
    url: str
    org_path: str
    area: str = ""
    action: str = "view"
    member_id: int | None = None
    org_id: int | None = None

    @property
    def recipient(self) -> str:
        return f"m:{self.member_id}" if self.member_id else f"s:{self.area}:{self.action}"


@dataclass(frozen=True)
class ReminderSource:
    """A kind of reminder a module declares: ``collect(day)`` yields its :class:`Due` items."""

    key: str
    label: Any
    collect: Callable[[dt.date], Iterable[Due]]
    #: the (area, action) pairs its scope items name (a tuple, or a function returning them):
    #: a reader's inbox asks the user's scope for exactly these
    scopes: tuple[tuple[str, str], ...] | Callable[[], Iterable[tuple[str, str]]] = ()
    order: int = 100

    def scope_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.scopes() if callable(self.scopes) else self.scopes)


def lazy(dotted: str) -> Callable[[dt.date], Iterable[Due]]:
    """A source function named by its dotted path, imported on first use (declarations stay light)."""
    from dangjian.core.modules import lazy_callable

    return lazy_callable(dotted)


def _models_of(base: type) -> list[Any]:
    return [m for m in apps.get_models() if issubclass(m, base) and m.__module__.startswith("dangjian.")]


def _org_select(model: Any, path: str | None) -> list[str]:
    return [path] if path else []


def approval_scopes() -> list[tuple[str, str]]:
    from dangjian.core.approvals import ApprovalBase

    return [(str(m.scope_area), m.approval_action) for m in _models_of(ApprovalBase)]


def rectification_scopes() -> list[tuple[str, str]]:
    from dangjian.core.rectification import RectificationBase

    return [(str(m.scope_area), "change") for m in _models_of(RectificationBase)]


def approvals_waiting(day: dt.date) -> Iterator[Due]:
    """Every pending request of every approval model, for the users who decide it: a grant of
    the model's ``approval_action`` on the organization one level above (``deciding_path``)."""
    from dangjian.core.approvals import ApprovalBase, ApprovalStatus, deciding_path

    for model in _models_of(ApprovalBase):
        org_path = model.approval_org_path if model.approval_org_path is not None else model.scope_path
        rows = model._default_manager.filter(status=ApprovalStatus.PENDING, created_at__date__lte=day)  # scope-ok: a job over every row
        for row in rows.select_related(*_org_select(model, org_path)).iterator(chunk_size=2000):
            yield Due(object_key=f"{model._meta.label_lower}:{row.pk}", due_on=row.created_at.date(),
                      title=gettext("To decide: %(what)s %(row)s") % {"what": model._meta.verbose_name, "row": row},
                      url=row.get_absolute_url(), org_path=deciding_path(row), area=str(model.scope_area),
                      action=model.approval_action)


def rectification_deadlines(day: dt.date) -> Iterator[Due]:
    """Open rectification items of every module from ``RECTIFICATION_HORIZON_DAYS`` before their
    deadline: for the users who change them in the item's area, and for the responsible member."""
    from dangjian.core.rectification import RectificationBase, RectificationStatus
    from dangjian.core.scoping import org_path_of

    horizon = day + dt.timedelta(days=RECTIFICATION_HORIZON_DAYS)
    for model in _models_of(RectificationBase):
        rows = (model._default_manager  # scope-ok: a job over every row
                .filter(status__in=(RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS), deadline__lte=horizon)
                .select_related(*_org_select(model, model.scope_path)))
        for row in rows.iterator(chunk_size=2000):
            title = gettext("Rectification due: %(item)s") % {"item": row}
            url = row.get_absolute_url()
            path = org_path_of(row)
            key = f"{model._meta.label_lower}:{row.pk}"
            yield Due(object_key=key, due_on=row.deadline, title=title, url=url, org_path=path,
                      area=str(model.scope_area), action="change")
            owner_id = getattr(row, "owner_id", None)
            if owner_id:
                yield Due(object_key=key, due_on=row.deadline, title=title, url=url, org_path=path, member_id=owner_id)
