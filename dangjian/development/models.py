"""Member development (发展党员, SPEC F2, DOMAIN.md 3): the rule versions, the working-day
calendar, a development case per person and the dated steps that take them to membership."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.attachments import AttachmentBase
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import ScopedModel
from dangjian.core.rules import RulesTable
from dangjian.development.choices import DayKind, Outcome, Stage, StepKind
from dangjian.members.choices import Education, Gender, PersonnelType
from dangjian.orgs.models import Organization


class DevelopmentRules(RulesTable):
    """A version of the development rules (发展党员工作细则): its intervals and requirements.

    Seeded from DOMAIN.md 3 with the 2014 rules (FZ14) and the reported 2026 revision (FZ26,
    unconfirmed). The national default is the latest *confirmed* row effective on the day; a
    committee may adopt another version from a date (:class:`RuleAdoption`). Every step keeps
    the row it was checked against.
    """

    effective_field = "effective_from"
    first_row_applies_before = True

    code = models.CharField(_("version code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=300)
    confirmed = models.BooleanField(_("text confirmed by a party-affairs officer"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age at application"), default=18)
    talk_within_months = models.PositiveSmallIntegerField(_("talk within (months of the application)"), default=1)
    assessment_every_months = models.PositiveSmallIntegerField(_("assessment every (months)"), default=6)
    activist_min_months = models.PositiveSmallIntegerField(_("months as activist before candidate"), default=12)
    introducers = models.PositiveSmallIntegerField(_("introducers required"), default=2)
    max_contacts = models.PositiveSmallIntegerField(_("contacts at most"), default=2)
    training_min_days = models.DecimalField(_("training at least (days)"), max_digits=4, decimal_places=1,
                                            default=Decimal("3"))
    training_min_hours = models.DecimalField(_("or at least (class hours)"), max_digits=5, decimal_places=1,
                                             default=Decimal("24"))
    approval_warn_months = models.PositiveSmallIntegerField(_("approval normally within (months)"), default=3)
    approval_max_months = models.PositiveSmallIntegerField(_("approval never beyond (months)"), default=6)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=12)
    conversion_approval_months = models.PositiveSmallIntegerField(_("full-membership approval within (months)"),
                                                                  default=3)
    extension_min_months = models.PositiveSmallIntegerField(_("extension at least (months)"), default=6)
    extension_max_months = models.PositiveSmallIntegerField(_("extension at most (months)"), default=12)
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=1)
    written_opinions_count = models.BooleanField(_("written opinions of absent voters count"), default=True)
    candidate_needs_consent = models.BooleanField(
        _("the higher committee must consent to a candidate (otherwise it is filed)"), default=False)
    publicity_working_days = models.PositiveSmallIntegerField(_("public notice (working days, 0 = none)"), default=0)
    publicity_before = models.CharField(
        _("the public notice precedes"), max_length=24, choices=StepKind.choices, blank=True,
        help_text=_("The step that may not be recorded before the notice has run its working days."))
    meeting_within_months_of_pre_review = models.PositiveSmallIntegerField(
        _("branch meeting within (months of the pre-review, 0 = no limit)"), default=0)
    secret_ballot = models.BooleanField(_("secret ballot required"), default=False)
    oath_within_months = models.PositiveSmallIntegerField(_("oath within (months of approval, 0 = no limit)"),
                                                          default=0)

    class Meta:
        ordering = ("effective_from",)
        verbose_name = _("development rules")
        verbose_name_plural = _("development rules")

    def __str__(self) -> str:
        return self.name


class RuleAdoption(ScopedModel):
    """A committee applies a rule version to its subtree from a date (a recorded decision)."""

    scope_area = "development"
    scope_path = "org"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("committee"))
    rules = models.ForeignKey(DevelopmentRules, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("rule version"))
    adopted_from = models.DateField(_("applies from"))
    basis = models.CharField(_("basis (document number)"), max_length=200, blank=True)

    class Meta:
        ordering = ("org", "-adopted_from")
        verbose_name = _("rule adoption")
        verbose_name_plural = _("rule adoptions")

    def __str__(self) -> str:
        return f"{self.org} {self.rules} {self.adopted_from}"


class CalendarDay(ScopedModel):
    """A day that is not what its weekday says: a public holiday on a weekday, or a weekend day
    worked in exchange (调休). Staff maintain one year at a time; working days are counted over it."""

    scope_area = "config"
    scope_path = None

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ("day",)
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name}"


class Case(ScopedModel):
    """One person's development, from the application to full membership (or its end).

    The stage changes only through recorded steps (services.record_step); the member is created
    by the approved admission and converted only by the approved full-membership step.
    """

    scope_area = "development"
    scope_path = "org"
    #: the person's own file once they are a member (probationary), in the member portal
    owner_path = "member"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="development_cases",
                            verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"), context="development.id_number")
    personnel_type = models.CharField(_("personnel type"), max_length=12, choices=PersonnelType.choices)
    police_number = models.CharField(_("police number"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    applied_on = models.DateField(_("application date"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT)
    stage_since = models.DateField(_("stage since"))
    member = models.OneToOneField("members.Member", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="development", verbose_name=_("member"))
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions of probation"), default=0)

    class Meta:
        ordering = ("org__path", "applied_on", "id")
        verbose_name = _("development case")
        verbose_name_plural = _("development cases")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["org", "stage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        from dangjian.core import idcard

        return idcard.mask(self.id_number)

    def age_on(self, day: dt.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class Step(ScopedModel):
    """A dated step of a case: who decided, when, in which meeting, with what figures."""

    scope_area = "development"
    scope_path = "case__org"
    owner_path = "case__member"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
    kind = models.CharField(_("step"), max_length=24, choices=StepKind.choices)
    on = models.DateField(_("date"))
    decided_by = models.CharField(_("decided or done by"), max_length=100,
                                  help_text=_("The body or person who decided (e.g. the branch committee)."))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("meeting record"))
    rules = models.ForeignKey(DevelopmentRules, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("rule version"))
    note = models.TextField(_("note"), blank=True)
    members = models.ManyToManyField("members.Member", blank=True, related_name="+",
                                     verbose_name=_("introducers or contacts"))
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    training_days = models.DecimalField(_("training days"), max_digits=4, decimal_places=1, null=True, blank=True)
    training_hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    should_attend = models.PositiveSmallIntegerField(_("voting members who should attend"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("voting members present"), null=True, blank=True)
    yes_votes = models.PositiveSmallIntegerField(_("yes votes"), null=True, blank=True)
    written_yes = models.PositiveSmallIntegerField(_("written yes opinions of absent voters"), null=True, blank=True)
    secret_ballot = models.BooleanField(_("secret ballot"), default=False)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("extension (months)"), null=True, blank=True)
    ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ("case", "on", "id")
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.on}"


class StepAttachment(AttachmentBase):
    """A document of a step: the application letter, a thought report, the 政审 material, the
    meeting's minutes, the approval (scanned or as a file)."""

    scope_area = "development"
    scope_path = "step__case__org"
    owner_path = "step__case__member"
    upload_prefix = "development"

    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("development step"))

    class Meta:
        ordering = ("id",)
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")
