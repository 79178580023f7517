"""Party dues (党费, F8): standards as data, yearly assessments, monthly bills and payments,
arrears cases, statements, remittances, budgets, spending and the care fund.

Money is ``Decimal`` in ``DecimalField(max_digits=12, decimal_places=2)`` everywhere. Every
computed figure keeps the standard (rule version) it was computed with, so editing a standard
never changes what was assessed under an earlier one. The computations live in
:mod:`dangjian.dues.rules`, the writes in :mod:`dangjian.dues.services`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import ApprovalBase
from dangjian.core.errors import RuleError
from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.dues.choices import (
    Arrangement,
    AuxiliaryMethod,
    BandKind,
    CaseDecision,
    CaseStatus,
    DuesKind,
    PaymentMethod,
    ReliefKind,
    Rounding,
    Treatment,
)

ZERO = Decimal("0.00")


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    """A money column: Decimal, 12 digits, 2 decimals (never float)."""
    kwargs.setdefault("max_digits", 12)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


def percent(verbose_name: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    """A percentage 0-100 with two decimals (e.g. 0.50 for 0.5 %)."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))], **kwargs,
    )


def month_label(month: dt.date | None) -> str:
    return f"{month.year}年{month.month}月" if month else ""


# --- Standards (rule data, global) --------------------------------------------------------------


class DuesStandard(RulesTable):
    """A version of the dues standard (党费收缴标准) in force from a date: the bands, the fixed
    amounts, the cap, the rounding, and the collection, arrears and remittance defaults.

    Seeded from DOMAIN.md section 1 (DUES08 / DUES17); a bureau's own rules are a new row with a
    later ``effective_from``. Assessments point to the row they were computed with. Nothing is
    in force before the first row's date.
    """

    effective_field = "effective_from"
    first_row_applies_before = False

    code = models.CharField(_("version code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"), unique=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    monthly_cap = money(_("monthly cap of ordinary dues"), default=Decimal("1000.00"))
    rounding = models.CharField(_("rounding"), max_length=4, choices=Rounding.choices, default=Rounding.CENT)
    assessment_month = models.PositiveSmallIntegerField(
        _("month of the yearly assessment"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    due_day = models.PositiveSmallIntegerField(
        _("day of the month dues fall due (0 = last day)"), default=0, validators=[MaxValueValidator(28)],
    )
    back_payment_window_months = models.PositiveSmallIntegerField(
        _("back payment without reason (months)"), default=6,
    )
    reminder_months = models.PositiveSmallIntegerField(_("arrears reminder after (months)"), default=3)
    decision_months = models.PositiveSmallIntegerField(
        _("consecutive unpaid months that go to the branch"), default=6,
    )
    branch_remit_percent = percent(_("share a branch remits upwards (%)"), default=Decimal("100.00"))
    committee_remit_percent = percent(_("share a committee remits upwards (%)"), default=Decimal("20.00"))
    top_remit_percent = percent(_("share the top committee remits outside (%)"), default=Decimal("5.00"))
    care_fund_percent = percent(_("share of retained dues for the care fund (%)"), default=Decimal("60.00"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("-effective_from",)
        verbose_name = _("dues standard")
        verbose_name_plural = _("dues standards")

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"


class DuesBand(ScopedModel):
    """One band of a standard: the rate applied to the WHOLE base when the base is at most
    ``upper_bound`` (inclusive, "含"); the band without an upper bound takes everything above."""

    scope_area = "config"
    scope_path = None

    standard = models.ForeignKey(DuesStandard, on_delete=models.CASCADE, related_name="bands",
                                 verbose_name=_("dues standard"))
    kind = models.CharField(_("member kind"), max_length=12, choices=BandKind.choices)
    upper_bound = money(_("upper bound of the base (inclusive)"), null=True, blank=True,
                        help_text=_("Empty for the top band."))
    rate_percent = percent(_("rate (%)"))

    class Meta:
        ordering = ("standard", "kind", models.F("upper_bound").asc(nulls_last=True))
        verbose_name = _("dues band")
        verbose_name_plural = _("dues bands")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["standard", "kind", "upper_bound"], name="dues_band_unique_bound",
                violation_error_message=_("This standard already has a band with this upper bound.")),
        ]

    def __str__(self) -> str:
        bound = f"≤{self.upper_bound:.2f}" if self.upper_bound is not None else "以上"
        return f"{self.get_kind_display()} {bound} {self.rate_percent:.2f}%"


class FixedDuesAmount(ScopedModel):
    """A fixed monthly amount for members without salary income (DUES08 art. 6): students,
    the unemployed, members living on relief or subsistence allowance, farmers (a range)."""

    scope_area = "config"
    scope_path = None

    standard = models.ForeignKey(DuesStandard, on_delete=models.CASCADE, related_name="fixed_amounts",
                                 verbose_name=_("dues standard"))
    category = models.CharField(_("category"), max_length=60)
    amount = money(_("default monthly amount"))
    min_amount = money(_("lowest allowed amount"))
    max_amount = money(_("highest allowed amount"))

    class Meta:
        ordering = ("standard", "category")
        verbose_name = _("fixed dues amount")
        verbose_name_plural = _("fixed dues amounts")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["standard", "category"], name="dues_fixed_unique_category",
                violation_error_message=_("This standard already has an amount for this category.")),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.amount:.2f}元/月"


class AuxiliaryPoliceStandard(ScopedModel):
    """The auxiliary-police (辅警) dues standard, its own table (seed 001: 《辅警党员党费缴纳标准》).

    No national rule exists (DOMAIN 1.8); the seeded default treats 辅警 like enterprise staff
    and applies the employed bands to their base. A bureau loads its own standard as a new row,
    optionally only for one organization's subtree (``org``).
    """

    scope_area = "config"
    scope_path = None

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("applies within organization"),
                            help_text=_("Empty: applies everywhere."))
    method = models.CharField(_("method"), max_length=16, choices=AuxiliaryMethod.choices,
                              default=AuxiliaryMethod.GENERAL_BANDS)
    fixed_amount = money(_("fixed monthly amount"), null=True, blank=True)
    base_rule = models.CharField(_("what the base is"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ("-effective_from", "name")
        verbose_name = _("auxiliary police dues standard")
        verbose_name_plural = _("auxiliary police dues standards")

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"


class AuxiliaryPoliceBand(ScopedModel):
    """A band of an auxiliary-police standard with its own bands: a rate or a fixed amount."""

    scope_area = "config"
    scope_path = None

    standard = models.ForeignKey(AuxiliaryPoliceStandard, on_delete=models.CASCADE, related_name="bands",
                                 verbose_name=_("auxiliary police dues standard"))
    upper_bound = money(_("upper bound of the base (inclusive)"), null=True, blank=True)
    rate_percent = percent(_("rate (%)"), null=True, blank=True)
    amount = money(_("fixed monthly amount"), null=True, blank=True)

    class Meta:
        ordering = ("standard", models.F("upper_bound").asc(nulls_last=True))
        verbose_name = _("auxiliary police dues band")
        verbose_name_plural = _("auxiliary police dues bands")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(rate_percent__isnull=False, amount__isnull=True)
                | models.Q(rate_percent__isnull=True, amount__isnull=False),
                name="dues_aux_band_rate_or_amount",
                violation_error_message=_("Enter either a rate or a fixed amount, not both."),
            ),
        ]

    def __str__(self) -> str:
        bound = f"≤{self.upper_bound:.2f}" if self.upper_bound is not None else "以上"
        value = f"{self.rate_percent:.2f}%" if self.rate_percent is not None else f"{self.amount:.2f}元"
        return f"{bound} {value}"


class PayItem(ScopedModel):
    """A pay item and whether it counts towards the dues base (DOMAIN 1.2), with the reason,
    so the officer sees why an allowance does not count."""

    scope_area = "config"
    scope_path = None

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    treatment = models.CharField(_("treatment"), max_length=8, choices=Treatment.choices)
    reason = models.CharField(_("reason and source"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("pay item")
        verbose_name_plural = _("pay items")

    def __str__(self) -> str:
        return self.name


class SpendingCategory(ScopedModel):
    """A use of dues (DUES08 art. 17-21 plus local additions): a configurable list."""

    scope_area = "config"
    scope_path = None

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_care_fund = models.BooleanField(_("paid from the care fund"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("spending category")
        verbose_name_plural = _("spending categories")

    def __str__(self) -> str:
        return self.name


class DisclosureTemplate(ScopedModel):
    """An editable Word template (docxtpl) for the printed disclosure list (收支公示).

    The newest active one is used; without any, the built-in template shipped with the module.
    """

    scope_area = "config"
    scope_path = None

    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("Word template (.docx)"), upload_to="dues/templates/")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("disclosure template")
        verbose_name_plural = _("disclosure templates")

    def __str__(self) -> str:
        return self.name


class DuesOrgSettings(ScopedModel):
    """An organization's own dues settings, overriding the standard's defaults: its share
    remitted upwards, the care-fund share of what it retains, and its rounding."""

    scope_area = "dues"
    scope_path = "org"

    org = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="dues_settings",
                               verbose_name=_("organization"))
    remit_percent = percent(_("share remitted upwards (%)"), null=True, blank=True,
                            help_text=_("Empty: the standard's default for this level."))
    care_fund_percent = percent(_("share of retained dues for the care fund (%)"), null=True, blank=True)
    rounding = models.CharField(_("rounding"), max_length=4, choices=Rounding.choices, blank=True,
                                help_text=_("Empty: the standard's rounding."))
    remit_to_name = models.CharField(_("recipient outside the system"), max_length=100, blank=True,
                                     help_text=_("For the top organization: who receives its remittance."))

    class Meta:
        ordering = ("org__path",)
        verbose_name = _("organization dues settings")
        verbose_name_plural = _("organization dues settings")

    def __str__(self) -> str:
        return str(self.org)


# --- Assessment (核定) -----------------------------------------------------------------------


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


# --- Collection ----------------------------------------------------------------------------


class DuesBill(ScopedModel):
    """What a member owes for one month (应缴), at the branch holding their relationship then."""

    scope_area = "dues"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_bills",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_bills",
                            verbose_name=_("branch"))
    month = models.DateField(_("month"))
    assessment = models.ForeignKey(DuesAssessment, on_delete=models.PROTECT, related_name="bills",
                                   verbose_name=_("dues assessment"))
    relief = models.ForeignKey(HardshipRelief, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="bills", verbose_name=_("hardship relief"))
    amount_due = money(_("amount due"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ("-month", "org__path", "member__name")
        verbose_name = _("dues bill")
        verbose_name_plural = _("dues bills")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_bill_one_per_member_month",
                violation_error_message=_("This member already has a bill for this month.")),
            models.CheckConstraint(condition=models.Q(amount_due__gte=0), name="dues_bill_amount_not_negative",
                violation_error_message=_("The amount due cannot be negative.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "month"])]

    def __str__(self) -> str:
        return f"{self.member} {month_label(self.month)}"

    def _month_label(self) -> str:
        return month_label(self.month)

    _month_label.short_description = _("month")  # type: ignore[attr-defined]
    month_label = property(_month_label)


class DuesPayment(ScopedModel):
    """Money received from (or on behalf of) a member: one receipt. Allocated to the month
    bills it pays; whatever is not allocated is an over-payment, shown as such.

    ``idempotency_key`` is the one-time token of the form that recorded it: submitting the
    same form twice, or two requests racing, records it once (unique constraint).
    """

    scope_area = "dues"
    scope_path = "org"
    owner_path = "member"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_payments",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_payments",
                            verbose_name=_("collecting branch"))
    amount = money(_("amount"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("payment method"), max_length=8, choices=PaymentMethod.choices)
    arrangement = models.CharField(_("arrangement"), max_length=10, choices=Arrangement.choices,
                                   default=Arrangement.MONTHLY)
    collector = models.ForeignKey("members.Member", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("collector"))
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    proxy_payer = models.CharField(_("paid on the member's behalf by"), max_length=50, blank=True)
    proxy_relation = models.CharField(_("relation of the proxy payer"), max_length=30, blank=True)
    back_payment_reason = models.CharField(_("reason for the late back payment"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-paid_on", "-id")
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_payment_amount_positive",
                violation_error_message=_("The amount paid must be greater than 0.")),
            models.UniqueConstraint(fields=["receipt_number"], condition=~models.Q(receipt_number=""),
                                    name="dues_payment_unique_receipt",
                violation_error_message=_("This receipt number is already used.")),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.member} {self.paid_on:%Y-%m-%d} {self.amount:.2f}元"

    @property
    def is_proxy(self) -> bool:
        return bool(self.proxy_payer)


class DuesAllocation(ScopedModel):
    """The part of a payment that pays one month's bill."""

    scope_area = "dues"
    scope_path = "payment__org"
    owner_path = "payment__member"

    payment = models.ForeignKey(DuesPayment, on_delete=models.CASCADE, related_name="allocations",
                                verbose_name=_("dues payment"))
    bill = models.ForeignKey(DuesBill, on_delete=models.PROTECT, related_name="allocations",
                             verbose_name=_("dues bill"))
    amount = money(_("amount"))

    class Meta:
        ordering = ("bill__month", "id")
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["payment", "bill"], name="dues_allocation_unique",
                violation_error_message=_("This payment is already allocated to this bill.")),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_allocation_amount_positive",
                violation_error_message=_("An allocated amount must be greater than 0.")),
        ]

    def __str__(self) -> str:
        return f"{self.bill} {self.amount:.2f}元"


class ArrearsCase(ScopedModel):
    """Six consecutive unpaid months put before the branch as a decision item (党章 art. 9),
    with the talk record. Never changes the member's status: the branch decides."""

    scope_area = "dues"
    scope_path = "org"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_arrears_cases",
                               verbose_name=_("member"))
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("branch"))
    opened_on = models.DateField(_("opened on"))
    first_unpaid_month = models.DateField(_("first unpaid month"))
    months_unpaid = models.PositiveSmallIntegerField(_("consecutive unpaid months"))
    amount_outstanding = money(_("amount outstanding"))
    status = models.CharField(_("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    talk_on = models.DateField(_("talk date"), null=True, blank=True)
    talk_by = models.CharField(_("talk held by"), max_length=50, blank=True)
    talk_record = models.TextField(_("talk record"), blank=True)
    decision = models.CharField(_("branch decision"), max_length=16, choices=CaseDecision.choices, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_ref = models.CharField(_("decision (meeting, minutes)"), max_length=200, blank=True)
    cleared_on = models.DateField(_("arrears paid on"), null=True, blank=True)

    class Meta:
        ordering = ("status", "-opened_on")
        verbose_name = _("arrears case")
        verbose_name_plural = _("arrears cases")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["member"], condition=models.Q(status="open"),
                                    name="dues_one_open_case_per_member",
                violation_error_message=_("This member already has an open arrears case.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} 连续{self.months_unpaid}个月未缴"


# --- Statements, remittances ------------------------------------------------------------------


class DuesStatement(ScopedModel):
    """A branch's monthly collection statement (党费收缴月报), closed by an officer: the totals
    as they stood then. Payments recorded after closing show up as reconciliation differences."""

    scope_area = "dues"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_statements",
                            verbose_name=_("branch"))
    month = models.DateField(_("month"))
    members_billed = models.PositiveIntegerField(_("members billed"), default=0)
    amount_due = money(_("amount due"), default=ZERO)
    members_paid = models.PositiveIntegerField(_("members who paid"), default=0)
    amount_collected = money(_("amount collected"), default=ZERO)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    closed_on = models.DateField(_("closed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-month", "org__path")
        verbose_name = _("dues statement")
        verbose_name_plural = _("dues statements")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "month"], name="dues_statement_one_per_month",
                violation_error_message=_("This month's statement of the branch is already closed.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {month_label(self.month)}"


class DuesRemittance(ScopedModel):
    """Dues an organization passed up the tree (上缴) for a period, with what was expected."""

    scope_area = "dues"
    scope_path = "from_org"

    from_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_remitted",
                                 verbose_name=_("remitting organization"))
    to_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="dues_received", verbose_name=_("receiving organization"))
    recipient_name = models.CharField(_("recipient outside the system"), max_length=100, blank=True)
    period_start = models.DateField(_("period from month"))
    period_end = models.DateField(_("period to month"))
    income = money(_("dues income of the period"))
    remit_percent = percent(_("share remitted (%)"))
    expected_amount = money(_("amount to remit"))
    amount = money(_("amount remitted"))
    remitted_on = models.DateField(_("remitted on"))
    reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("-period_end", "from_org__path")
        verbose_name = _("dues remittance")
        verbose_name_plural = _("dues remittances")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["from_org", "period_start"], name="dues_remittance_one_per_period",
                violation_error_message=_("A remittance is already recorded for this period; do not record it twice.")),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="dues_remittance_period_order",
                violation_error_message=_("The remittance period cannot end before it starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.from_org} {month_label(self.period_start)}—{month_label(self.period_end)} {self.amount:.2f}元"


# --- Budget and spending ----------------------------------------------------------------------


class DuesBudget(ApprovalBase):
    """An organization's annual dues budget plan (年度党费预算计划), by category; approved by
    the level above (the core approvals facility)."""

    scope_area = "dues"
    scope_path = "org"
    approval_reference_message = _("Give the meeting or document that approved the budget.")

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_budgets",
                            verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("approved by"))
    decided_on = models.DateField(_("approval date"), null=True, blank=True)
    decision_ref = models.CharField(_("approval (meeting, document)"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ("-year", "org__path")
        verbose_name = _("dues budget")
        verbose_name_plural = _("dues budgets")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["org", "year"], name="dues_budget_one_per_year",
                violation_error_message=_("This organization already has a budget for this year.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年党费预算"


class DuesBudgetLine(ScopedModel):
    """The planned amount of one category in a budget."""

    scope_area = "dues"
    scope_path = "budget__org"

    budget = models.ForeignKey(DuesBudget, on_delete=models.CASCADE, related_name="lines",
                               verbose_name=_("dues budget"))
    category = models.ForeignKey(SpendingCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("spending category"))
    amount = money(_("planned amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("budget", "category__order")
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["budget", "category"], name="dues_budget_line_unique",
                violation_error_message=_("This budget already has a line for this category.")),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="dues_budget_line_not_negative",
                violation_error_message=_("A budget amount cannot be negative.")),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.amount:.2f}元"


class DuesSpending(ApprovalBase):
    """Spending of dues (党费支出): requested, then approved by a collective decision of the
    level above (DUES08 art. 19, the core approvals facility), not by the requester; only
    approved spending counts in the budget comparison and the disclosure."""

    scope_area = "dues"
    scope_path = "org"
    approval_self_message = _("Spending cannot be approved by the person who requested it.")
    approval_decided_message = _("This spending has already been decided.")
    approval_reference_message = _("Give the meeting (minutes) where the collective decision was taken.")

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_spending",
                            verbose_name=_("organization"))
    category = models.ForeignKey(SpendingCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("spending category"))
    spent_on = models.DateField(_("date"))
    amount = money(_("amount"))
    payee = models.CharField(_("payee"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=300)
    voucher_number = models.CharField(_("voucher number"), max_length=40, blank=True)
    from_care_fund = models.BooleanField(_("paid from the care fund"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("approved by"))
    decided_on = models.DateField(_("approval date"), null=True, blank=True)
    decision_ref = models.CharField(_("collective decision (meeting, minutes)"), max_length=200, blank=True)

    class Meta:
        ordering = ("-spent_on", "-id")
        verbose_name = _("dues spending")
        verbose_name_plural = _("dues spending")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_spending_amount_positive",
                violation_error_message=_("A spending amount must be greater than 0.")),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.spent_on:%Y-%m-%d} {self.category} {self.amount:.2f}元"

    def check_decision(self, *, approve: bool) -> None:
        """Spending from the care fund may not overdraw it."""
        if approve and self.from_care_fund:
            from dangjian.dues import rules

            fund = rules.care_fund(self.org, self.spent_on.year)
            if fund.closing < self.amount:
                raise RuleError(gettext("The care fund holds %(balance)s yuan, not enough to pay %(amount)s yuan.")
                                % {"balance": fund.closing, "amount": self.amount})
