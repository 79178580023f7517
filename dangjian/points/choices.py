"""Choices of the points ledger and of violation scoring."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Trigger(models.TextChoices):
    """What writes entries of a rule: a person (manual) or another module's event (automatic)."""

    MANUAL = "manual", _("Recorded by a scorer")
    CLAIM = "claim", _("Claimed by the member")
    ATTENDANCE_PRESENT = "attendance_present", _("Attendance: present")
    ATTENDANCE_ABSENT = "attendance_absent", _("Attendance: absent without leave")
    DUES_ON_TIME = "dues_on_time", _("Dues paid on time")
    DUES_LATE = "dues_late", _("Dues paid late")
    VIOLATION = "violation", _("Confirmed violation (per violation point)")
    EXAM_PASSED = "exam_passed", _("Study: test passed")
    COURSE_COMPLETED = "course_completed", _("Study: course completed")
    COMMENDATION = "commendation", _("Commendation confirmed by the level above")

    @classmethod
    def automatic(cls) -> frozenset[str]:
        return frozenset({cls.ATTENDANCE_PRESENT, cls.ATTENDANCE_ABSENT, cls.DUES_ON_TIME, cls.DUES_LATE,
                          cls.VIOLATION, cls.EXAM_PASSED, cls.COURSE_COMPLETED,
                          cls.COMMENDATION})


class EntryKind(models.TextChoices):
    AUTOMATIC = "auto", _("Automatic")
    MANUAL = "manual", _("Manual award")
    CLAIM = "claim", _("Self-claimed item")
    REVERSAL = "reversal", _("Reversal")


class EntryStatus(models.TextChoices):
    RECORDED = "recorded", _("Awaiting the member's confirmation")
    CONFIRMED = "confirmed", _("Awaiting branch approval")
    APPROVED = "approved", _("Approved, awaiting publication")
    PUBLISHED = "published", _("In publication")
    FINAL = "final", pgettext_lazy("points entry", "Final")
    REJECTED = "rejected", pgettext_lazy("points entry", "Rejected")

    @classmethod
    def pending(cls) -> tuple[str, ...]:
        return (cls.RECORDED, cls.CONFIRMED, cls.APPROVED, cls.PUBLISHED)


class ObjectionOutcome(models.TextChoices):
    OPEN = "", _("Awaiting the branch's answer")
    UPHELD = "upheld", _("Upheld: the entry does not count")
    DISMISSED = "dismissed", _("Dismissed: the entry stands")


class ViolationCycle(models.TextChoices):
    CALENDAR_YEAR = "year", _("Calendar year")
    ROLLING_24 = "rolling24", _("Rolling 24 months")


class ViolationStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("violation", "Confirmed")
    APPEALED = "appealed", _("Appeal pending")
    APPEAL_UPHELD = "upheld", _("Appeal upheld: withdrawn")
    APPEAL_DISMISSED = "dismissed", _("Appeal dismissed")
    REJECTED = "rejected", _("Not confirmed")

    @classmethod
    def counting(cls) -> tuple[str, ...]:
        return (cls.CONFIRMED, cls.APPEALED, cls.APPEAL_DISMISSED)


class Measure(models.TextChoices):
    REMINDER_TALK = "reminder_talk", _("Reminder talk")
    ADMONITION_TALK = "admonition_talk", _("Admonition talk")
    SUSPENSION_TRAINING = "suspension_training", _("Suspension and training proposal")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Awaiting decision")
    DECIDED = "decided", pgettext_lazy("proposal", "Decided")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal", "Withdrawn")
