"""What organizations do on the lists during the year.

- ``ItemEvaluation`` — one organization's evaluation of one basic or mandated item: the post
  holder's self-assessment, then the committee above's score, with the evidence.
- ``Project`` — the chosen list (项目化管理): one project per organization per year with its
  theme, carrier, goals, measures, standard, milestones, the committee's mid-year check and
  year-end evaluation; ``ProjectReport`` its progress reports with evidence.
- ``BonusEntry`` — one bonus of the encouragement list: from a confirmed commendation
  (``evidence`` = its key, written by the receiver) or entered with its evidence (a
  publication in the provincial press).
- ``VetoCase`` — a recorded decision that a veto condition holds for an organization.
- ``PendingGrade`` — organizations whose evidence changed since their live grade was computed
  (the recompute job works through them only).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.assessment.models.rules import ListItem, VetoRule, pts
from dangjian.core.models import ScopedModel


class ItemEvaluation(ScopedModel):
    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    item = models.ForeignKey(ListItem, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("item"))
    holder = models.ForeignKey("members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("post holder"))
    self_score = pts(_("self-assessment"), null=True, blank=True)
    self_note = models.TextField(_("self-assessment notes"), blank=True)
    score = pts(_("score of the committee above"), null=True, blank=True)
    comment = models.TextField(_("comment of the committee above"), blank=True)
    evidence = models.CharField(_("evidence (record, document)"), max_length=300, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ("org__path", "item__order")
        verbose_name = _("item evaluation")
        verbose_name_plural = _("item evaluations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "item"], name="assessment_one_evaluation_per_item",
                                    violation_error_message=_("This organization already has an evaluation of this item.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} · {self.item}"


class Project(ScopedModel):
    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    theme = models.CharField(_("theme"), max_length=200)
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    goals = models.TextField(_("goals"))
    measures = models.TextField(_("measures"), blank=True)
    standard = models.TextField(_("standard"), blank=True)
    milestones = models.TextField(_("milestones"), blank=True)
    mid_check = models.TextField(_("mid-year check"), blank=True)
    score = pts(_("year-end evaluation"), null=True, blank=True)
    evaluation = models.TextField(_("year-end evaluation notes"), blank=True)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="assessment_one_project_per_year",
                                    violation_error_message=_("This organization already has a project this year.")),
        ]

    def __str__(self) -> str:
        return self.theme


class ProjectReport(ScopedModel):
    scope_area = "assessment"
    scope_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project"))
    reported_on = models.DateField(_("date"))
    progress = models.TextField(_("progress"))
    evidence = models.CharField(_("evidence (record, document)"), max_length=300, blank=True)

    class Meta:
        ordering = ("-reported_on", "-id")
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.project} {self.reported_on:%Y-%m-%d}"


class BonusEntry(ScopedModel):
    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    item = models.ForeignKey(ListItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("bonus item"))
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.CharField(_("what"), max_length=200)
    evidence = models.CharField(_("evidence"), max_length=120, blank=True)
    on = models.DateField(_("date"))

    class Meta:
        ordering = ("-on", "-id")
        verbose_name = _("bonus entry")
        verbose_name_plural = _("bonus entries")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["item", "evidence", "org"], condition=~models.Q(evidence=""),
                                    name="assessment_one_bonus_per_evidence",
                                    violation_error_message=_("This evidence already earned this bonus.")),
        ]

    def __str__(self) -> str:
        return self.label


class VetoCase(ScopedModel):
    scope_area = "assessment"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    rule = models.ForeignKey(VetoRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("veto rule"))
    reason = models.TextField(_("reason"))
    decision_ref = models.CharField(_("decision (meeting, document)"), max_length=200)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("veto decision")
        verbose_name_plural = _("veto decisions")

    def __str__(self) -> str:
        return f"{self.org} {self.rule}"


class PendingGrade(models.Model):
    """An organization and year to recompute (infrastructure: no business data)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="assessment_pending_once",
                                    violation_error_message=_("Already pending.")),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}"
