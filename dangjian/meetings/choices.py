"""Enumerations of organizational life (F3) and the democratic life meeting workflow (F4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Frequency(models.TextChoices):
    """How often a requirement falls due: the length of one obligation period."""

    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class AttendeeSource(models.TextChoices):
    """Who is expected at a meeting of a kind, computed from the organization."""

    MEMBERS = "members", _("All members of the organization")  # branch members; group members for a group
    COMMITTEE = "committee", _("The organization's committee")  # holders of current committee posts
    NONE = "none", _("Chosen per meeting")                      # e.g. one-to-one talks


class Quorum(models.TextChoices):
    """The attendance a meeting of a kind needs to be valid (DOMAIN.md 2.2)."""

    NONE = "none", pgettext_lazy("quorum rule", "No quorum required")
    AT_LEAST_HALF = "at_least_half", _("At least half present")
    MORE_THAN_HALF = "more_than_half", _("More than half present")
    TWO_THIRDS = "two_thirds", _("At least two thirds present")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")        # 计划
    HELD = "held", _("Recorded")             # 已记录，待确认
    CONFIRMED = "confirmed", _("Confirmed")  # 已确认（记录锁定）
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", _("Not recorded")  # 未登记
    PRESENT = "present", _("Present")       # 出席
    EXCUSED = "excused", _("Excused")       # 请假
    ABSENT = "absent", _("Absent")          # 缺席


class LeaveStatus(models.TextChoices):
    NONE = "", _("No leave request")
    REQUESTED = "requested", _("Leave requested")
    APPROVED = "approved", _("Leave approved")
    REJECTED = "rejected", _("Leave rejected")


class CheckinMethod(models.TextChoices):
    QR = "qr", _("QR code")
    MANUAL = "manual", _("Recorded by the organizer")


class ComplianceStatus(models.TextChoices):
    DONE = "done", _("Done")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")


class OpinionTopic(models.TextChoices):
    """What an opinion is about (seed 004: team building, police work, branch work, a committee member)."""

    TEAM = "team", _("Team building")
    WORK = "work", _("Police work")
    BRANCH = "branch", _("Branch work")
    PERSON = "person", _("A committee member")
    OTHER = "other", _("Other")


class OpinionSource(models.TextChoices):
    ONLINE = "online", _("Online form")
    PAPER = "paper", _("Paper form")
    MEETING = "meeting", _("Members' meeting")
    TALK = "talk", _("One-to-one talk")


# Rectification statuses are the core's: dangjian.core.rectification.RectificationStatus.
