"""Standards and settings (rule data, global or per organization) and the money column helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.dues.choices import (
    AuxiliaryMethod,
    BandKind,
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
