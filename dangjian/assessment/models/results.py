"""Grade results: one live preview and, after the committee publishes, one frozen result per
organization and year. Each keeps the scheme row it was computed with and the lines it sums
(``ResultLine``): the total shown is the sum of the lines stored, each line naming its list,
its evidence key and the page of that evidence.

A published result is never recomputed (``rules.recompute`` touches live rows only), so later
rule or evidence changes leave it as it was published.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.assessment.choices import ListKind, ResultState
from dangjian.assessment.models.rules import GradeLevel, GradeScheme, pts
from dangjian.core.models import ScopedModel


class GradeResult(ScopedModel):
    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(pgettext_lazy("assessment", "state"), max_length=10, choices=ResultState.choices, default=ResultState.LIVE)
    scheme = models.ForeignKey(GradeScheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme"))
    total = pts(pgettext_lazy("assessment", "total"), default=0)
    level_by_total = models.ForeignKey(GradeLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("grade by total"))
    level = models.ForeignKey(GradeLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=pgettext_lazy("assessment", "grade"))
    why = models.CharField(_("why the grade differs"), max_length=300, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    decision_ref = models.CharField(_("decision (meeting, document)"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("grade result")
        verbose_name_plural = _("grade results")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year", "state"], name="assessment_one_result_per_state",
                                    violation_error_message=_("This organization already has this result for the year.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["year", "state"], name="assessment_result_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class ResultLine(models.Model):
    """One line of a result (infrastructure of ``GradeResult``, scoped and audited through it)."""

    result = models.ForeignKey(GradeResult, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices)
    label = models.CharField(_("item"), max_length=300)
    points = pts(_("points"))
    evidence = models.CharField(_("evidence"), max_length=120, blank=True)
    url = models.CharField(_("evidence page"), max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("result", "order")
        verbose_name = _("result line")
        verbose_name_plural = _("result lines")

    def __str__(self) -> str:
        return self.label
