"""Organizational life (F3) and the democratic life meeting workflow (F4).

Rules are data: meeting kinds, the per-year requirements that say which organizations owe
which meetings how often (DOMAIN.md 2.1), and per-year settings (check-in window, reminder
horizon, attachment limits). A meeting is planned, then recorded, then confirmed; a confirmed
meeting is locked and changes only by an audited amendment with a reason.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.attachments import AttachmentBase, extensions
from dangjian.core.attachments import attachment_path as attachment_path  # migration 0001 names it here
from dangjian.core.models import ScopedModel
from dangjian.core.rectification import RectificationBase
from dangjian.core.rules import RulesTable
from dangjian.meetings.choices import (
    AttendanceStatus,
    AttendeeSource,
    CheckinMethod,
    Frequency,
    LeaveStatus,
    MeetingStatus,
    OpinionSource,
    OpinionTopic,
    Quorum,
)
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


def new_token() -> str:
    """An unguessable URL token (128 bits of randomness)."""
    return secrets.token_urlsafe(16)


def random_id() -> int:
    """A random positive 62-bit primary key: rows carry no insertion order."""
    return secrets.randbits(62) or 1


# --- Rules as data ---------------------------------------------------------------------------


class MeetingKind(ScopedModel):
    """A kind of meeting (支部党员大会, 支部委员会, 党小组会 ...): an editable lookup table.

    The kind says who is expected (computed from the organization) and what attendance
    makes the meeting valid (DOMAIN.md 2.2).
    """

    scope_area = "config"
    scope_path = None

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    short_name = models.CharField(
        _("short name"), max_length=4, blank=True,
        help_text=_("Two or three characters for the compliance matrix cells, different from every other kind's."),
    )
    attendee_source = models.CharField(
        _("expected attendees"), max_length=12, choices=AttendeeSource.choices, default=AttendeeSource.MEMBERS
    )
    quorum = models.CharField(_("quorum"), max_length=16, choices=Quorum.choices, default=Quorum.NONE)
    quorum_voting_only = models.BooleanField(
        _("quorum counts full members only"), default=False,
        help_text=_("Probationary members have no vote (DOMAIN.md 2.2)."),
    )
    is_democratic_life = models.BooleanField(
        _("democratic life meeting"), default=False,
        help_text=_("Meetings of this kind run the opinion-solicitation workflow."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("sort_order", "id")
        verbose_name = _("meeting kind")
        verbose_name_plural = _("meeting kinds")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The short label of a matrix cell (the legend gives the full name)."""
        return self.short_name or self.name[:2]


class MeetingRequirement(RulesTable):
    """One obligation rule for one year: which organizations owe a kind of meeting, how
    often and by when (DOMAIN.md 2.1). Editing next year's rows never changes how earlier
    years are judged; obligations name the requirement row they were derived from. A year's
    rows form one set: the set in force is that of the latest year with rows (``RuleBook``)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="requirements",
                             verbose_name=_("meeting kind"))
    org_kinds = models.CharField(
        _("organizations that owe it"), max_length=100,
        help_text=_("Organization kinds, comma separated: committee, general_branch, branch, group."),
    )
    needs_committee = models.BooleanField(
        _("only organizations with a committee"), default=False,
        help_text=_("For example branch committee meetings: owed only where the branch elected a committee."),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    times = models.PositiveSmallIntegerField(_("meetings per period"), default=1)
    due_days_before_end = models.PositiveSmallIntegerField(
        _("due days before the period ends"), default=0,
        help_text=_("0: due by the last day of the period."),
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind days ahead"), null=True, blank=True,
        help_text=_("Empty: the year's default reminder horizon."),
    )
    remind_from_month = models.PositiveSmallIntegerField(
        _("remind from (month)"), null=True, blank=True,
        help_text=_("For a yearly requirement whose reminder starts on a calendar date (e.g. 10-01): its month."),
    )
    remind_from_day = models.PositiveSmallIntegerField(_("remind from (day)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ("-year", "kind__sort_order", "id")
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["year", "kind", "org_kinds"], name="one_requirement_per_kind_and_orgs",
                violation_error_message=_("A requirement for this year, meeting kind and organization kinds already exists.")),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.get_frequency_display()}"

    @property
    def org_kind_list(self) -> list[str]:
        return [k.strip() for k in self.org_kinds.split(",") if k.strip()]

    def org_kinds_display(self) -> str:
        labels = dict(OrgKind.choices)
        return "、".join(str(labels.get(k, k)) for k in self.org_kind_list)

    org_kinds_display.short_description = _("organizations that owe it")  # type: ignore[attr-defined]

    def clean(self) -> None:
        unknown = [k for k in self.org_kind_list if k not in OrgKind.values]
        if unknown or not self.org_kind_list:
            raise ValidationError({"org_kinds": gettext("Choose at least one organization kind.")})
        self.org_kinds = ",".join(self.org_kind_list)
        month, day = self.remind_from_month, self.remind_from_day
        if month is None and day is None:
            return
        if month is None or day is None:
            raise ValidationError({"remind_from_day": gettext("Give both the month and the day the reminder starts on.")})
        try:
            dt.date(2001, month, day)  # a date of every year (no 29 February)
        except ValueError:
            raise ValidationError({"remind_from_day": gettext("This is not a date of every year.")}) from None
        if self.frequency != Frequency.YEAR:
            raise ValidationError({"remind_from_month": gettext(
                "A reminder date applies to yearly requirements; give the others a number of days.")})

    @property
    def remind_from_display(self) -> str:
        if self.remind_from_month is None or self.remind_from_day is None:
            return ""
        return gettext("%(m)d-%(d)02d each year") % {"m": self.remind_from_month, "d": self.remind_from_day}

    remind_from_display.fget.short_description = _("remind from")  # type: ignore[attr-defined]

    def remind_from(self, year: int) -> dt.date | None:
        """The calendar date of ``year`` the reminder starts on, when the rule gives one."""
        if self.remind_from_month is None or self.remind_from_day is None:
            return None
        return dt.date(year, self.remind_from_month, self.remind_from_day)


class MeetingRules(RulesTable):
    """Per-year settings of organizational life: data, not constants."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    checkin_minutes_before = models.PositiveSmallIntegerField(_("check-in opens minutes before the start"), default=30)
    checkin_minutes_after_end = models.PositiveSmallIntegerField(_("check-in stays open minutes after the end"),
                                                                 default=0)
    reminder_days = models.PositiveSmallIntegerField(_("remind obligations due within days"), default=7)
    owe_from_first_full_month = models.BooleanField(
        _("organizations founded mid-month owe from their first full month"), default=True,
        help_text=_("Off: an organization owes the meetings of the month it was founded in."),
    )
    committee_min_members = models.PositiveSmallIntegerField(
        _("posts that make a branch committee"), default=3,
        help_text=_("A branch whose current committee posts reach this number has a committee (DOMAIN.md 2.3)."),
    )
    attachment_max_mb = models.PositiveSmallIntegerField(_("largest attachment (MB)"), default=10)
    attachment_types = models.CharField(
        _("allowed attachment types"), max_length=200, default="pdf,doc,docx,xls,xlsx,ppt,pptx,jpg,jpeg,png,txt",
    )

    class Meta:
        ordering = ("-year",)
        verbose_name = _("organizational life settings")
        verbose_name_plural = _("organizational life settings")

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def for_year(cls, year: int) -> MeetingRules:
        """The settings in force for ``year`` (:meth:`RulesTable.in_force`), else the defaults."""
        return cls.in_force(year) or cls(year=year)

    @property
    def allowed_extensions(self) -> set[str]:
        return extensions(self.attachment_types)


# --- Meetings ----------------------------------------------------------------------------------


class Meeting(ScopedModel):
    """A meeting of an organization: planned, recorded, confirmed (then locked)."""

    scope_area = "meetings"
    scope_path = "org"
    audit_exclude = ("checkin_token",)

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="meetings",
                            verbose_name=_("organization"))
    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=_("meeting kind"))
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("host"))
    recorder = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("recorder"))
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    checkin_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))

    class Meta:
        ordering = ("-starts_at", "-id")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["org", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name}：{self.topic}" if self.kind_id else self.topic

    @property
    def is_locked(self) -> bool:
        """Confirmed or cancelled: the record changes only by amendment."""
        return self.status in (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext("The end must be after the start.")})

    def checkin_window(self, rules: MeetingRules | None = None) -> tuple[dt.datetime, dt.datetime]:
        rules = rules or MeetingRules.for_year(timezone.localtime(self.starts_at).year)
        return (self.starts_at - dt.timedelta(minutes=rules.checkin_minutes_before),
                self.ends_at + dt.timedelta(minutes=rules.checkin_minutes_after_end))


class Attendance(ScopedModel):
    """One expected (or added) attendee of a meeting and what happened: present, excused, absent.

    Scoped in its own permission area so a member sees only their own rows (owner_path) while
    officers see their organizations' rows.
    """

    scope_area = "attendance"
    scope_path = "meeting__org"
    owner_path = "member"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("meeting"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("member"))
    expected = models.BooleanField(_("counted as expected"), default=True)
    change_reason = models.CharField(
        _("reason for changing the expected list"), max_length=200, blank=True,
        help_text=_("Required when a member is added to or excluded from the computed list."),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PENDING)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checkin_method = models.CharField(_("check-in method"), max_length=8, choices=CheckinMethod.choices, blank=True)
    leave_reason = models.CharField(_("leave reason"), max_length=200, blank=True)
    leave_requested_at = models.DateTimeField(_("leave requested at"), null=True, blank=True)
    leave_status = models.CharField(_("leave"), max_length=10, choices=LeaveStatus.choices, blank=True, default="")
    leave_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("leave decided by"))
    leave_decided_at = models.DateTimeField(_("leave decided at"), null=True, blank=True)

    class Meta:
        ordering = ("meeting", "member__name", "id")
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member",
                violation_error_message=_("This member is already on the meeting's attendance list.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class MeetingAmendment(ScopedModel):
    """A correction to a confirmed meeting, with its reason and the field changes it made."""

    scope_area = "meetings"
    scope_path = "meeting__org"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments",
                                verbose_name=_("meeting"))
    reason = models.CharField(_("reason"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("amended by"))

    class Meta:
        ordering = ("-id",)
        verbose_name = _("meeting amendment")
        verbose_name_plural = _("meeting amendments")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.reason}"


class MeetingAttachment(AttachmentBase):
    """A file attached to a meeting, stored outside the web root and served only to users
    who may see the meeting (dangjian.core.attachments)."""

    scope_area = "meetings"
    scope_path = "meeting__org"
    upload_prefix = "meetings"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("meeting"))

    class Meta:
        ordering = ("meeting", "id")
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")


# --- Democratic life meeting workflow (F4, seed 004) ---------------------------------------------


class Solicitation(ScopedModel):
    """An opinion solicitation before a democratic life meeting (征求意见): open to the unit's
    members and non-member police by its link, between two dates, optionally anonymous."""

    scope_area = "meetings"
    scope_path = "org"
    audit_exclude = ("token",)

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="solicitations",
                            verbose_name=_("organization"))
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="solicitations", verbose_name=_("democratic life meeting"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    allow_anonymous = models.BooleanField(_("anonymous opinions allowed"), default=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    agenda_published_on = models.DateField(_("agenda published on"), null=True, blank=True)

    class Meta:
        ordering = ("-opens_on", "-id")
        verbose_name = _("opinion solicitation")
        verbose_name_plural = _("opinion solicitations")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": gettext("The closing date cannot be before the opening date.")})

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class AgendaItem(ScopedModel):
    """An agenda item of the democratic life meeting, collated from the opinions."""

    scope_area = "dlm"
    scope_path = "solicitation__org"

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="agenda_items",
                                     verbose_name=_("opinion solicitation"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("agenda item"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("solicitation", "order", "id")
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Opinion(ScopedModel):
    """One opinion sent to a solicitation.

    An anonymous opinion carries nothing that leads back to its sender: no user, no name, a
    random integer primary key (no insertion order), no creation or update timestamps (the
    inherited ones are removed), only the date; its audit entry is written without actor, IP or request
    id and with the day instead of the time (see ``services.submit_opinion``).
    """

    scope_area = "dlm"
    scope_path = "solicitation__org"

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]
    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="opinions",
                                     verbose_name=_("opinion solicitation"))
    submitted_on = models.DateField(_("submitted on"))
    topic = models.CharField(_("about"), max_length=10, choices=OpinionTopic.choices, default=OpinionTopic.BRANCH)
    about_member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("committee member concerned"))
    content = models.TextField(_("opinion"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("sent by"))
    author_name = models.CharField(_("name"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=OpinionSource.choices, default=OpinionSource.ONLINE)
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="opinions", verbose_name=_("agenda item"))

    class Meta:
        ordering = ("solicitation", "-submitted_on", "topic")
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False) | models.Q(author__isnull=True, author_name=""),
                name="anonymous_opinion_has_no_author",
                violation_error_message=_("An anonymous opinion carries no author."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.submitted_on:%Y-%m-%d}"


class Talk(ScopedModel):
    """A one-to-one talk (个别谈话 / 谈心谈话) held to hear opinions before the meeting."""

    scope_area = "dlm"
    scope_path = "org"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="talks",
                            verbose_name=_("organization"))
    solicitation = models.ForeignKey(Solicitation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="talks", verbose_name=_("opinion solicitation"))
    held_on = models.DateField(_("held on"))
    talker = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("talk held by"))
    interviewee = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("talked with (member)"))
    interviewee_name = models.CharField(_("talked with (non-member police)"), max_length=50, blank=True)
    summary = models.TextField(_("opinions heard"))

    class Meta:
        ordering = ("-held_on", "-id")
        verbose_name = _("one-to-one talk")
        verbose_name_plural = _("one-to-one talks")

    def __str__(self) -> str:
        who = self.interviewee.name if self.interviewee_id and self.interviewee else self.interviewee_name
        return f"{self.held_on:%Y-%m-%d} {who}"

    def clean(self) -> None:
        if not self.interviewee_id and not self.interviewee_name:
            raise ValidationError({"interviewee_name": gettext("Name the person talked with.")})


class CriticismRecord(ScopedModel):
    """Criticism and self-criticism of one committee member at a democratic life meeting."""

    scope_area = "dlm"
    scope_path = "meeting__org"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="criticisms",
                                verbose_name=_("meeting"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("committee member"))
    self_criticism = models.TextField(_("self-criticism"))
    criticism_received = models.TextField(_("criticism received"), blank=True)
    commitments = models.TextField(_("commitments"), blank=True)

    class Meta:
        ordering = ("meeting", "id")
        verbose_name = _("criticism and self-criticism")
        verbose_name_plural = _("criticism and self-criticism")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_criticism_record_per_member",
                violation_error_message=_("This member already has a criticism and self-criticism record for this meeting.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class RectificationItem(RectificationBase):
    """A rectification item from a democratic life meeting, tracked to closure (整改;
    dangjian.core.rectification)."""

    scope_area = "dlm"
    scope_path = "org"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="meeting_rectifications",
                            verbose_name=_("organization"))
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="rectifications", verbose_name=_("meeting"))
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible"))

    class Meta:
        ordering = ("deadline", "id")
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")


from dangjian.meetings.obligation_models import Obligation as Obligation  # noqa: E402  (stored obligations)
from dangjian.meetings.obligation_models import ObligationYear as ObligationYear  # noqa: E402
