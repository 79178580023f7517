"""Choices of the assessment module (the five responsibility lists, DOMAIN.md 4 and 8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ListKind(models.TextChoices):
    BASIC = "basic", _("Basic list (post duties)")
    PROJECT = "project", _("Chosen list (project)")
    MANDATED = "mandated", _("Mandated list")
    ROUTINE = "routine", _("Mandated routine work (automatic deductions)")
    REVIEW = "review", _("Secretary's report and review")
    BONUS = "bonus", _("Encouragement list")


class PostDuty(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization member")
    PROPAGANDA = "propaganda", _("Propaganda member")
    DISCIPLINE = "discipline", _("Discipline member")


class BonusLevel(models.TextChoices):
    NATIONAL = "national", _("National or ministry")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City working committee")
    COMMITTEE = "committee", _("Unit committee")


class DeductionSource(models.TextChoices):
    MEETINGS_MISSED = "meetings_missed", _("Missed regular meeting obligation")
    FILING_RETURNED = "filing_returned", _("Filing returned for correction")
    FILING_LATE = "filing_late", _("Filing submitted late")
    RECTIFICATION_LATE = "rectification_late", _("Rectification item closed late")
    DUES_REMITTANCE_LATE = "dues_late", _("Dues remitted late")
    VIOLATIONS_OVER = "violations_over", _("Violation points above the threshold")


class VetoSource(models.TextChoices):
    REVIEW_RATING = "review_rating", _("Secretary's review rated at or below the threshold")
    VIOLATIONS = "violations", _("A single violation of at least the threshold points")
    DECISION = "decision", _("Recorded decision of the committee")


class ResultState(models.TextChoices):
    LIVE = "live", _("Live preview")
    PUBLISHED = "published", pgettext_lazy("grade", "Published")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("round", "Open")
    CLOSED = "closed", pgettext_lazy("round", "Closed")


class MemberGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class DisposalStep(models.TextChoices):
    CORRECT = "correct", _("Correction within a time limit")
    PERSUADE = "persuade", _("Persuasion to withdraw")
    REMOVE = "remove", _("Removal from the Party")
