"""Rectification items (整改): a problem found by a meeting, an inspection, a filing review or
a grading, with its measure, a responsible person and a deadline, tracked to closure.

The facility every such module shares: the statuses, the abstract model with its rules (an
item closes only with its evidence; an item is overdue while open past its deadline) and the
overdue filter. A module subclasses :class:`RectificationBase` with the foreign keys to its
organization, its source record and the responsible member, and declares its screens with the
core ``ModelViews``; the generated ``dangjian.core.testing.facilities.RectificationSuite``
tests the rules through those screens.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting verification")
    CLOSED = "closed", _("Verified and closed")


class RectificationBase(ScopedModel):
    """A rectification item. Subclasses add ``org``, their source record and ``owner`` (the
    responsible member), ``scope_area`` and ``scope_path``."""

    content = models.TextField(_("problem and measure"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def is_overdue(self) -> bool:
        return self.status != RectificationStatus.CLOSED and self.deadline < timezone.localdate()

    is_overdue.fget.short_description = _("overdue")  # type: ignore[attr-defined]

    def clean(self) -> None:
        if self.status == RectificationStatus.CLOSED and not self.evidence:
            raise ValidationError({"evidence": gettext("An item is closed only with its evidence.")})


def open_late(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The items of ``qs`` still open after their deadline."""
    return qs.exclude(status=RectificationStatus.CLOSED).filter(deadline__lt=timezone.localdate())


class OverdueFilter(django_filters.BooleanFilter):
    """"Overdue: yes / no" on a list of rectification items."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext("overdue"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        late = open_late(qs)
        return late if value else qs.exclude(pk__in=late.values("pk"))
