"""Quarterly filing review (季度备案审查, SPEC F10): what each level files, the filings, their
items and review rounds, and the catalog of common mistakes (常见问题纠错)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.attachments import AttachmentBase
from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


class FilingSource(models.TextChoices):
    """Where the platform's own records of a filing item come from (attached automatically)."""

    NONE = "", _("Filed by hand")
    MEETINGS = "meetings", _("Meeting records")
    DUES = "dues", _("Dues statements")
    STUDY = "study", _("Study records")
    DEVELOPMENT = "development", _("Member development files")


class FilingRequirement(RulesTable):
    """One key work item a level files each quarter (a row per year, kind and item)."""

    effective_field = "year"

    year = models.PositiveSmallIntegerField(_("year"))
    org_kind = models.CharField(_("organization kind"), max_length=20, choices=OrgKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("item"), max_length=100)
    source = models.CharField(_("platform records"), max_length=20, choices=FilingSource.choices, blank=True)
    due_days = models.PositiveSmallIntegerField(_("days after quarter end"), default=15)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    basis = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "org_kind", "order", "code")
        constraints = [models.UniqueConstraint(fields=("year", "org_kind", "code"), name="uniq_filing_requirement",
                                               violation_error_message=_("This year already has that filing item for that kind."))]
        verbose_name = _("filing requirement")
        verbose_name_plural = _("filing requirements")

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Mistake(ScopedModel):
    """An entry of the catalog of common mistakes (常见问题纠错): readable by every member."""

    scope_area = "mistakes"
    scope_path = None

    title = models.CharField(_("mistake"), max_length=200)
    rule = models.TextField(_("rule it breaks"))
    fix = models.TextField(_("how to fix it"))
    examples = models.TextField(_("examples"), blank=True)
    topic = models.CharField(_("topic"), max_length=40, blank=True)

    class Meta:
        ordering = ("topic", "id")
        verbose_name = _("common mistake")
        verbose_name_plural = _("common mistakes")

    def __str__(self) -> str:
        return self.title


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")


class Filing(ScopedModel):
    """One organization's filing for one quarter, reviewed by the level above."""

    scope_area = "filings"
    scope_path = "org"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="filings",
                            verbose_name=_("organization"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(_("status"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("-year", "-quarter", "org__path")
        constraints = [models.UniqueConstraint(fields=("org", "year", "quarter"), name="uniq_filing_quarter",
                                               violation_error_message=_("This organization already has a filing for that quarter."))]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    def __str__(self) -> str:
        return f"{self.org} {self.year}Q{self.quarter}"

    @property
    def period_label(self) -> str:
        return gettext("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}


class FilingItem(ScopedModel):
    """What the organization filed for one required item, and the reviewer's word on it."""

    scope_area = "filings"
    scope_path = "filing__org"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="items", verbose_name=_("filing"))
    requirement = models.ForeignKey(FilingRequirement, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("item"))
    text = models.TextField(_("what was done"), blank=True)
    records = models.JSONField(_("platform records"), default=list, blank=True)
    returned = models.BooleanField(_("returned"), default=False)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    mistake = models.ForeignKey(Mistake, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("common mistake"))

    class Meta:
        ordering = ("filing", "requirement__order", "id")
        constraints = [models.UniqueConstraint(fields=("filing", "requirement"), name="uniq_filing_item",
                                               violation_error_message=_("This item is already part of the filing."))]
        verbose_name = _("filing item")
        verbose_name_plural = _("filing items")

    def __str__(self) -> str:
        return self.requirement.name


class FilingRound(ScopedModel):
    """One submission and its review decision: the history of a filing (never edited)."""

    scope_area = "filings"
    scope_path = "filing__org"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("filing"))
    number = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("submitted by"))
    decision = models.CharField(_("decision"), max_length=12, choices=FilingStatus.choices, blank=True)
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("reviewed by"))
    items = models.JSONField(_("items"), default=list)

    class Meta:
        ordering = ("filing", "number")
        constraints = [models.UniqueConstraint(fields=("filing", "number"), name="uniq_filing_round",
                                               violation_error_message=_("This round is already recorded."))]
        verbose_name = _("filing round")
        verbose_name_plural = _("filing rounds")

    def __str__(self) -> str:
        return f"{self.filing} #{self.number}"


class FilingAttachment(AttachmentBase):
    scope_area = "filings"
    scope_path = "filing__org"
    upload_prefix = "filings"

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("filing"))

    class Meta:
        ordering = ("id",)
        verbose_name = _("filing attachment")
        verbose_name_plural = _("filing attachments")
