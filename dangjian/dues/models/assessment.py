"""Assessments (核定), their base components and hardship relief."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import ApprovalBase
from dangjian.core.models import ScopedModel
from dangjian.dues.choices import (
    DuesKind,
    ReliefKind,
    Rounding,
    Treatment,
)
from dangjian.dues.models.standards import (
    ZERO,
    AuxiliaryPoliceBand,
    AuxiliaryPoliceStandard,
    DuesBand,
    DuesStandard,
    FixedDuesAmount,
    PayItem,
    money,
    month_label,
    percent,
)


class DuesAssessment(ScopedModel):
    """A member's yearly dues assessment (党费核定): the base with its components, the band and
    the monthly amount, computed with the standard it names and frozen for the year (DUES17).

    A later row of the same member and year with a later ``effective_month`` is a recorded
    mid-year re-assessment (with its reason); bills from that month use it.
    """

    scope_area = "dues"
    scope_path = "member__org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_assessments",
                               verbose_name=_("member"))
    year = models.PositiveSmallIntegerField(_("year"))
    effective_month = models.DateField(_("applies from month"))
    kind = models.CharField(_("dues kind"), max_length=12, choices=DuesKind.choices)
    standard = models.ForeignKey(DuesStandard, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("dues standard"))
    band = models.ForeignKey(DuesBand, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("band"))
    auxiliary_standard = models.ForeignKey(AuxiliaryPoliceStandard, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+",
                                           verbose_name=_("auxiliary police dues standard"))
    auxiliary_band = models.ForeignKey(AuxiliaryPoliceBand, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("auxiliary police dues band"))
    fixed_amount = models.ForeignKey(FixedDuesAmount, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("fixed dues amount"))
    base = money(_("dues base (after tax)"), default=ZERO)
    rate_percent = percent(_("rate (%)"), null=True, blank=True)
    unrounded_amount = models.DecimalField(_("unrounded amount"), max_digits=16, decimal_places=6, default=ZERO)
    rounding = models.CharField(_("rounding"), max_length=4, choices=Rounding.choices, default=Rounding.CENT)
    capped = models.BooleanField(_("capped at the monthly cap"), default=False)
    monthly_amount = money(_("monthly dues"))
    is_reassessment = models.BooleanField(_("mid-year re-assessment"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assessed by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "member__org__path", "member__name", "effective_month")
        verbose_name = _("dues assessment")
        verbose_name_plural = _("dues assessments")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member", "effective_month"], name="dues_assessment_one_per_month",
                violation_error_message=_("This member already has an assessment taking effect in this month.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}年 {self.monthly_amount:.2f}元/月"


class DuesBaseComponent(ScopedModel):
    """One pay item of an assessed base, with how it was treated when assessed (a snapshot)."""

    scope_area = "dues"
    scope_path = "assessment__member__org"
    owner_path = "assessment__member"

    assessment = models.ForeignKey(DuesAssessment, on_delete=models.CASCADE, related_name="components",
                                   verbose_name=_("dues assessment"))
    item = models.ForeignKey(PayItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("pay item"))
    amount = money(_("monthly amount"))
    treatment = models.CharField(_("treatment"), max_length=8, choices=Treatment.choices)

    class Meta:
        ordering = ("assessment", "item__order", "id")
        verbose_name = _("base component")
        verbose_name_plural = _("base components")

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


class HardshipRelief(ApprovalBase):
    """A reduction or waiver of a member's dues for hardship (DUES08 art. 7): decided by the
    branch, approved by the next-higher committee (the core approvals facility); takes effect
    only once approved, and approving it re-bills the months it covers."""

    approval_moves_money = True  # the decider re-authenticates first (SESS-02)

    scope_area = "dues"
    scope_path = "member__org"
    owner_path = "member"
    approval_level_message = _("A dues relief must be approved by the party committee one level up.")
    approval_decided_message = _("This relief request has already been decided.")

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_reliefs",
                               verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=8, choices=ReliefKind.choices)
    from_month = models.DateField(_("from month"))
    to_month = models.DateField(_("to month"), null=True, blank=True, help_text=_("Empty: until further notice."))
    reduced_amount = money(_("reduced monthly amount"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    branch_decided_on = models.DateField(_("branch decision date"))
    branch_decision_ref = models.CharField(_("branch decision (meeting, minutes)"), max_length=200)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("approved by"))
    decided_on = models.DateField(_("approval date"), null=True, blank=True)
    decision_ref = models.CharField(_("approval (document number)"), max_length=200, blank=True)

    class Meta:
        ordering = ("-from_month", "member__name")
        verbose_name = _("hardship relief")
        verbose_name_plural = _("hardship reliefs")

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {month_label(self.from_month)}起"

    def covers(self, month: dt.date) -> bool:
        return self.from_month <= month and (self.to_month is None or month <= self.to_month)

    def after_decision(self, *, actor: Any, approve: bool) -> None:
        if approve:
            from dangjian.dues.services import rebill

            rebill(self.member, self.from_month, self.to_month or dt.date(self.from_month.year + 1, 12, 1))
