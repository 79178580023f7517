"""Stored obligations (issue 20 item 1): what :func:`dangjian.meetings.rules.obligations`
derives, kept as rows per (organization, requirement, period) and maintained in the writing
transaction by :mod:`dangjian.meetings.stored`. Imported by ``models.py``."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel


class ObligationYear(ScopedModel):
    """A year whose obligations are stored (the others are derived when asked)."""

    scope_area = "config"
    scope_path = None

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    built_at = models.DateTimeField(_("built at"), auto_now=True)

    class Meta:
        verbose_name = _("stored obligation year")
        verbose_name_plural = _("stored obligation years")

    def __str__(self) -> str:
        return str(self.year)


class Obligation(ScopedModel):
    """One organization's obligation for one requirement in one period. Its status is not stored:
    ``done`` is, and due / overdue / due soon follow from ``due_on`` and ``remind_on`` on the day
    asked. ``year`` is the year the period starts in (the slice a change recomputes)."""

    scope_area = "meetings"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey("meetings.MeetingRequirement", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    window_start = models.DateField()
    due_on = models.DateField()
    remind_on = models.DateField()
    done = models.BooleanField(default=False)
    #: The meetings that satisfy it and those held without quorum: [[id, day, topic, expected, present, needed], ...]
    meetings = models.JSONField(default=list)
    without_quorum = models.JSONField(default=list)

    class Meta:
        verbose_name = _("stored obligation")
        verbose_name_plural = _("stored obligations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "requirement", "period_start"], name="one_obligation_per_period",
                                    violation_error_message=_("This obligation is already stored.")),
        ]
        # (year, organization) first: a slice's refresh; the rest makes it covering for the
        # matrix's aggregates (no table row read per obligation).
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["year", "org", "requirement", "period_end", "done", "due_on", "remind_on"],
                         name="obligation_year_org_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.requirement_id} {self.period_start}"
