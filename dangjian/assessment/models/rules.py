"""The year's rules of the five responsibility lists and the grading, as data (RulesTable).

- ``GradeScheme`` — a year's scheme: the weight of each list, the routine base from which the
  automatic deductions subtract, the yearly cap of the encouragement list. Its levels
  (``GradeLevel``: threshold, optional percentage cap, whether a project is needed) and vetoes
  (``VetoRule``: source, threshold, the level they cap at) hang from it. A result keeps the
  scheme row it was computed with.
- ``ListItem`` — an item of the basic list (a post duty with its weight), the mandated list
  (a task with its score and deadline) or the encouragement list (a bonus by level with its
  points, its cap per year and the commendation kinds that earn it).
- ``DeductionRule`` — an automatic deduction: source, points per occurrence, cap, threshold.
- ``ReviewOption`` — the scale of the secretaries' review (好/较好/一般/差) with its score,
  the average from which it is the rating, and the points it brings to the grade.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.assessment.choices import BonusLevel, DeductionSource, ListKind, PostDuty, VetoSource
from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable


def pts(verbose: Any, **kwargs: Any) -> Any:
    return models.DecimalField(verbose, max_digits=7, decimal_places=2, **kwargs)


class GradeScheme(RulesTable):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    weight_basic = pts(_("weight of the basic list"), default=1)
    weight_project = pts(_("weight of the chosen list"), default=1)
    weight_mandated = pts(_("weight of the mandated list"), default=1)
    weight_review = pts(_("weight of the secretary's review"), default=1)
    weight_bonus = pts(_("weight of the encouragement list"), default=1)
    routine_base = pts(_("routine base (automatic deductions subtract from it)"), default=20)
    bonus_cap = pts(_("yearly cap of the encouragement list"), default=10)
    basis = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("grading scheme")
        verbose_name_plural = _("grading schemes")

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def weight(self, kind: str) -> Any:
        weights: dict[str, Any] = {ListKind.BASIC: self.weight_basic, ListKind.PROJECT: self.weight_project,
                ListKind.MANDATED: self.weight_mandated, ListKind.ROUTINE: self.weight_mandated,
                ListKind.REVIEW: self.weight_review, ListKind.BONUS: self.weight_bonus}
        return weights[kind]


class GradeLevel(ScopedModel):
    """A grade of a scheme: reached from ``min_total``; at most ``max_share`` percent of the
    organizations graded together (empty: no cap); ``needs_project``: only with an evaluated
    project of at least ``project_min`` points."""

    scheme = models.ForeignKey(GradeScheme, on_delete=models.CASCADE, related_name="levels", verbose_name=_("scheme"))
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=30)
    rank = models.PositiveSmallIntegerField(_("rank (higher is better)"))
    min_total = pts(_("from total"))
    max_share = models.DecimalField(_("at most (% of organizations)"), max_digits=5, decimal_places=2, null=True,
                                    blank=True)
    needs_project = models.BooleanField(_("needs an evaluated project"), default=False)
    project_min = pts(_("project at least"), default=0)

    scope_area = "config"
    scope_path = None

    class Meta:
        ordering = ("scheme", "-rank")
        verbose_name = _("grade level")
        verbose_name_plural = _("grade levels")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_level_code",
                                    violation_error_message=_("This scheme already has a grade with this code.")),
            models.UniqueConstraint(fields=["scheme", "rank"], name="assessment_level_rank",
                                    violation_error_message=_("This scheme already has a grade of this rank.")),
        ]

    def __str__(self) -> str:
        return self.name


class VetoRule(ScopedModel):
    """一票否决: when its condition holds, the grade is at most ``cap_level`` whatever the total."""

    scheme = models.ForeignKey(GradeScheme, on_delete=models.CASCADE, related_name="vetoes", verbose_name=_("scheme"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("condition"), max_length=20, choices=VetoSource.choices)
    threshold = models.CharField(_("threshold"), max_length=20, blank=True)
    cap_level = models.ForeignKey(GradeLevel, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("grade at most"))

    scope_area = "config"
    scope_path = None

    class Meta:
        ordering = ("scheme", "code")
        verbose_name = _("veto rule")
        verbose_name_plural = _("veto rules")

    def __str__(self) -> str:
        return self.name


class ListItem(RulesTable):
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("item"), max_length=200)
    post = models.CharField(_("post"), max_length=15, choices=PostDuty.choices, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=BonusLevel.choices, blank=True)
    score = pts(_("points"))
    cap = pts(_("cap per year"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    commendation_kinds = models.CharField(_("commendation kinds earning it (codes)"), max_length=200, blank=True)
    basis = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("-year", "kind", "order", "code")
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="assessment_item_code_per_year",
                                    violation_error_message=_("This year already has an item with this code.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_codes(self) -> list[str]:
        return [c.strip() for c in self.commendation_kinds.split(",") if c.strip()]


class DeductionRule(RulesTable):
    """An automatic deduction from the platform's facts: ``points`` per occurrence, at most
    ``cap`` in the year; ``threshold``: the days of grace (dues) or the violation points an
    organization may reach before the deduction (violations)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.SlugField(_("code"), max_length=40)
    source = models.CharField(_("source"), max_length=20, choices=DeductionSource.choices)
    name = models.CharField(_("name"), max_length=100)
    points = pts(_("points per occurrence"))
    cap = pts(_("cap per year"))
    threshold = models.PositiveIntegerField(_("threshold"), default=0)
    basis = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "code")
        verbose_name = _("deduction rule")
        verbose_name_plural = _("deduction rules")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="assessment_deduction_code_per_year",
                                    violation_error_message=_("This year already has a deduction rule with this code.")),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewOption(RulesTable):
    """One step of the review scale: a ballot for it counts ``score``; the rating is the best
    option whose ``min_average`` the average reaches; the rating brings ``grade_points``."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=20)
    score = pts(_("score of a ballot"))
    min_average = pts(_("rating from average"))
    grade_points = pts(_("points in the grade"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("-year", "order")
        verbose_name = _("review scale option")
        verbose_name_plural = _("review scale options")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "code"], name="assessment_review_option_per_year",
                                    violation_error_message=_("This year's scale already has an option with this code.")),
        ]

    def __str__(self) -> str:
        return self.name
