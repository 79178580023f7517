"""Writes of organizational life, with their business rules. Keyword-only, actor first.

Every function runs in one transaction; audited models are saved one by one (their audit
entries are written by the core), bulk writes record their own entry. A confirmed meeting is
locked: the only way to change it is :func:`amend_meeting`, which keeps the reason and the
field changes and audits them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import attachments, audit, context
from dangjian.core.bulk import insert
from dangjian.core.errors import RuleError
from dangjian.meetings import signals
from dangjian.meetings.choices import (
    AttendanceStatus,
    AttendeeSource,
    CheckinMethod,
    LeaveStatus,
    MeetingStatus,
    OpinionSource,
)
from dangjian.meetings.models import (
    Attendance,
    Meeting,
    MeetingAmendment,
    MeetingAttachment,
    MeetingRules,
    Opinion,
    Solicitation,
)
from dangjian.members.choices import Post
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.choices import OrgKind

#: Fields an amendment may change on a confirmed meeting.
AMENDABLE_FIELDS = ("topic", "starts_at", "ends_at", "place", "host", "recorder", "minutes", "status")


@contextmanager
def with_reason(reason: str) -> Iterator[None]:
    """Audit the writes inside with ``reason`` (the request's actor, IP and id are kept)."""
    token = context.set_context(replace(context.current(), reason=reason))
    try:
        yield
    finally:
        context.reset_context(token)


def _locked_error() -> RuleError:
    return RuleError(gettext("This meeting is confirmed or cancelled; correct it by an amendment with a reason."))


# --- Expected attendees ----------------------------------------------------------------------------


def expected_members(meeting: Meeting) -> QuerySet[Member]:
    """Who is expected, from the organization: its members (a group's members for a party
    group), its committee (current post holders) for committee meetings, nobody for kinds
    whose participants are chosen per meeting."""
    source = meeting.kind.attendee_source
    if source == AttendeeSource.NONE:
        return Member.objects.none()
    if source == AttendeeSource.COMMITTEE:
        today = timezone.localdate(meeting.starts_at)
        holders = (
            CommitteePost.objects.filter(org=meeting.org, started_on__lte=today)
            .exclude(post=Post.GROUP_LEADER)
            .exclude(ended_on__lt=today)
            .values("member_id")
        )
        return Member.objects.filter(pk__in=holders, is_active=True)
    if meeting.org.kind == OrgKind.GROUP:
        return Member.objects.filter(group=meeting.org, is_active=True)
    return Member.objects.filter(org=meeting.org, is_active=True)


def sync_expected(*, actor: Any, meeting: Meeting) -> None:
    """Bring the attendance rows of an unlocked meeting in line with the computed list.

    Adds the computed members who have no row; removes rows that are no longer computed,
    were never changed by hand (no reason) and have nothing recorded yet. Rows added or
    excluded by hand (with a reason) are kept.
    """
    if meeting.is_locked:
        return
    computed = set(expected_members(meeting).values_list("pk", flat=True))
    rows = {a.member_id: a for a in meeting.attendances.all()}
    stale = [a for m, a in rows.items() if m not in computed and a.expected and not a.change_reason
             and a.status == AttendanceStatus.PENDING and not a.leave_status]
    for attendance in stale:
        attendance.delete()
    missing = sorted(computed - set(rows))
    if missing:
        Attendance.objects.bulk_create([Attendance(meeting=meeting, member_id=m) for m in missing])
        audit.record("create", object_type="meetings.attendance", object_repr=str(meeting),
                     object_id=meeting.pk, org_path=meeting.org.path,
                     changes={"meeting": meeting.pk, "expected_members": missing}, actor=actor)


def add_attendee(*, actor: Any, meeting: Meeting, member: Member, reason: str) -> Attendance:
    """Add a member to the expected list (reason required), or re-include an excluded one."""
    if meeting.is_locked:
        raise _locked_error()
    if not reason.strip():
        raise RuleError(gettext("Give the reason for changing the expected attendees."), field="reason")
    with transaction.atomic():
        attendance = Attendance.objects.filter(meeting=meeting, member=member).first()
        if attendance is None:
            attendance = Attendance(meeting=meeting, member=member)
        attendance.expected = True
        attendance.change_reason = reason.strip()
        attendance.save()
    return attendance


def exclude_attendee(*, actor: Any, attendance: Attendance, reason: str) -> Attendance:
    """Exclude a member from those who should attend (应到会), as a recorded decision (DOMAIN.md 2.2)."""
    if attendance.meeting.is_locked:
        raise _locked_error()
    if not reason.strip():
        raise RuleError(gettext("Give the reason for changing the expected attendees."), field="reason")
    attendance.expected = False
    attendance.change_reason = reason.strip()
    attendance.save()
    return attendance


# --- Check-in and attendance -------------------------------------------------------------------------


class CheckinResult(Enum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NOT_EXPECTED = "not_expected"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"


#: What the member is told for each check-in result (level, message): the page and the API.
CHECKIN_MESSAGES = {
    CheckinResult.CHECKED_IN: ("success", _("Checked in.")),
    CheckinResult.ALREADY: ("info", _("You have already checked in to this meeting.")),
    CheckinResult.NOT_EXPECTED: ("danger", _("You are not on the attendee list of this meeting, so you "
                                              "cannot check in. Please contact the meeting organizer.")),
    CheckinResult.NOT_OPEN_YET: ("warning", _("Check-in has not opened yet.")),
    CheckinResult.CLOSED: ("warning", _("Check-in for this meeting has closed.")),
}


def checkin_rules(meeting: Meeting) -> MeetingRules:
    return MeetingRules.for_year(timezone.localtime(meeting.starts_at).year)


def check_in(*, user: Any, meeting: Meeting, now: dt.datetime | None = None) -> tuple[CheckinResult, Attendance | None]:
    """Check the user's member in by QR code. Idempotent: a second scan changes nothing."""
    now = now or timezone.now()
    member_id = getattr(user, "member_id", None)
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update().filter(meeting=meeting, member_id=member_id, expected=True).first()
            if member_id else None
        )
        if attendance is None:
            return CheckinResult.NOT_EXPECTED, None
        if attendance.status == AttendanceStatus.PRESENT:
            return CheckinResult.ALREADY, attendance
        opens, closes = meeting.checkin_window(checkin_rules(meeting))
        if meeting.is_locked or now > closes:
            return CheckinResult.CLOSED, attendance
        if now < opens:
            return CheckinResult.NOT_OPEN_YET, attendance
        attendance.status = AttendanceStatus.PRESENT
        attendance.checked_in_at = now
        attendance.checkin_method = CheckinMethod.QR
        attendance.save()
        signals.attendance_recorded.send(actor=user, evidence=attendance)
    return CheckinResult.CHECKED_IN, attendance


def attendance_row_key(pk: int) -> str:
    """The error key of one attendance row (the grid shows the error on that row)."""
    return f"attendance-{pk}"


def record_attendance(*, actor: Any, meeting: Meeting, statuses: dict[int, str],
                      leave_reasons: dict[int, str] | None = None, now: dt.datetime | None = None) -> list[Attendance]:
    """The organizer's attendance grid: set present / excused / absent per attendance row.

    Excused needs a leave: one requested before the start and approved, or one the organizer
    records now, after the fact, with its reason (``leave_reasons``; recorded as approved by the
    actor). The host and the recorder were at the meeting: they cannot be absent or excused.
    Returns the rows that changed; raises RuleError keyed by :func:`attendance_row_key` (nothing
    written) when any row is refused, naming every refused row at once.
    """
    if meeting.is_locked:
        raise _locked_error()
    now = now or timezone.now()
    reasons = {pk: text.strip() for pk, text in (leave_reasons or {}).items() if text and text.strip()}
    officials = {meeting.host_id: gettext("the host"), meeting.recorder_id: gettext("the recorder")}
    changed: list[Attendance] = []
    with transaction.atomic():
        rows = {a.pk: a for a in meeting.attendances.select_related("member").select_for_update()}
        errors: dict[str, list[str]] = {}
        for pk, status in statuses.items():
            attendance = rows.get(pk)
            if attendance is None or status not in AttendanceStatus.values:
                continue
            reason = reasons.get(pk, "")
            if status == attendance.status and not (status == AttendanceStatus.EXCUSED and reason
                                                    and reason != attendance.leave_reason):
                continue
            name = attendance.member.name
            if status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED) and attendance.member_id in officials:
                errors[attendance_row_key(pk)] = [
                    gettext("%(name)s is %(role)s of this meeting and was there: mark them present.")
                    % {"name": name, "role": officials[attendance.member_id]}]
                continue
            if status == AttendanceStatus.EXCUSED and reason:  # leave recorded after the fact
                attendance.leave_reason = reason
                attendance.leave_status = LeaveStatus.APPROVED
                attendance.leave_decided_by = actor if getattr(actor, "pk", None) else None
                attendance.leave_decided_at = now
            elif status == AttendanceStatus.EXCUSED and attendance.leave_status != LeaveStatus.APPROVED:
                errors[attendance_row_key(pk)] = [
                    gettext("%(name)s: give the reason for the leave (or approve the leave they requested).")
                    % {"name": name}]
                continue
            attendance.status = status
            if status == AttendanceStatus.PRESENT and not attendance.checkin_method:
                attendance.checkin_method = CheckinMethod.MANUAL
            changed.append(attendance)
        if errors:
            raise RuleError(errors)
        for attendance in changed:
            attendance.save()
            signals.attendance_recorded.send(actor=actor, evidence=attendance)
    return changed


def request_leave(*, actor: Any, attendance: Attendance, reason: str, now: dt.datetime | None = None) -> Attendance:
    """Ask for leave from a meeting: only before it starts, with a reason."""
    now = now or timezone.now()
    meeting = attendance.meeting
    if meeting.is_locked:
        raise _locked_error()
    if now >= meeting.starts_at:
        raise RuleError(gettext("Leave must be requested before the meeting starts."))
    if not reason.strip():
        raise RuleError(gettext("Give the reason for the leave."), field="reason")
    attendance.leave_reason = reason.strip()
    attendance.leave_requested_at = now
    attendance.leave_status = LeaveStatus.REQUESTED
    attendance.leave_decided_by = None
    attendance.leave_decided_at = None
    attendance.save()
    return attendance


def decide_leave(*, actor: Any, attendance: Attendance, approve: bool, now: dt.datetime | None = None) -> Attendance:
    """The organizer approves (the member is excused) or rejects a leave request."""
    now = now or timezone.now()
    if attendance.meeting.is_locked:
        raise _locked_error()
    if attendance.leave_status != LeaveStatus.REQUESTED:
        raise RuleError(gettext("There is no pending leave request."))
    with transaction.atomic():
        attendance.leave_status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
        attendance.leave_decided_by = actor
        attendance.leave_decided_at = now
        if approve and attendance.status == AttendanceStatus.PENDING:
            attendance.status = AttendanceStatus.EXCUSED
        attendance.save()
        if approve:
            signals.attendance_recorded.send(actor=actor, evidence=attendance)
    return attendance


# --- Recording, confirming, amending -----------------------------------------------------------------


def mark_recorded(*, actor: Any, meeting: Meeting) -> None:
    """A planned meeting whose minutes were entered becomes recorded (awaiting confirmation)."""
    if meeting.status == MeetingStatus.PLANNED and meeting.minutes.strip():
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])


def confirm_meeting(*, actor: Any, meeting: Meeting, now: dt.datetime | None = None) -> Meeting:
    """Confirm a recorded meeting: its record is locked from now on and it counts for compliance."""
    now = now or timezone.now()
    if meeting.is_locked:
        raise _locked_error()
    problems = []
    if meeting.starts_at > now:
        problems.append(gettext("The meeting has not started yet."))
    if not meeting.minutes.strip():
        problems.append(gettext("Enter the minutes before confirming."))
    pending = meeting.attendances.filter(expected=True, status=AttendanceStatus.PENDING).count()
    if pending:
        problems.append(gettext("Record the attendance of everyone expected first (%(n)d not recorded).") % {"n": pending})
    if problems:
        raise RuleError(problems)
    with transaction.atomic():
        meeting.status = MeetingStatus.CONFIRMED
        meeting.confirmed_at = now
        meeting.confirmed_by = actor
        meeting.save()
        attendances = list(meeting.attendances.select_related("member"))
        signals.meeting_confirmed.send(actor=actor, evidence=meeting, attendances=attendances)
    return meeting


def cancel_meeting(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting that was not confirmed (a confirmed one is cancelled by amendment)."""
    if meeting.status == MeetingStatus.CONFIRMED:
        return amend_meeting(actor=actor, meeting=meeting, reason=reason, changes={"status": MeetingStatus.CANCELLED})
    if meeting.status == MeetingStatus.CANCELLED:
        raise _locked_error()
    if not reason.strip():
        raise RuleError(gettext("Give the reason."), field="reason")
    with transaction.atomic(), with_reason(reason):
        before = meeting.status
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
        MeetingAmendment.objects.create(meeting=meeting, reason=reason.strip(), amended_by=actor,
                                        changes={"status": [before, MeetingStatus.CANCELLED]})
    return meeting


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, Member):
        return value.pk
    return value


def amend_meeting(*, actor: Any, meeting: Meeting, reason: str, changes: dict[str, Any],
                  attendance: dict[int, str] | None = None) -> Meeting:
    """Correct a confirmed meeting. The reason is required; the amendment row keeps the
    before/after of every field and attendance status it changed, and the audit entries of
    the changed rows carry the reason. Cancelling (``status``) reopens its obligation."""
    if meeting.status != MeetingStatus.CONFIRMED:
        raise RuleError(gettext("Only a confirmed meeting is amended; edit the others directly."))
    if not reason.strip():
        raise RuleError(gettext("Give the reason."), field="reason")
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise RuleError(gettext("These fields cannot be amended: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "status" in changes and changes["status"] not in (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED):
        raise RuleError(gettext("An amendment may only cancel a meeting."), field="status")
    diff: dict[str, Any] = {}
    with transaction.atomic(), with_reason(reason.strip()):
        for name, value in changes.items():
            before = getattr(meeting, name)
            if before != value:
                diff[name] = [_value(before), _value(value)]
                setattr(meeting, name, value)
        if meeting.ends_at <= meeting.starts_at:
            raise RuleError(gettext("The end must be after the start."), field="ends_at")
        changed_rows = []
        for pk, status in (attendance or {}).items():
            row = meeting.attendances.select_related("member").filter(pk=pk).first()
            if row is None or status not in AttendanceStatus.values or row.status == status:
                continue
            if status == AttendanceStatus.EXCUSED and row.leave_status != LeaveStatus.APPROVED:
                raise RuleError(gettext("%(name)s: excused only with a leave requested before the start and approved.")
                                      % {"name": row.member.name})
            diff[f"attendance:{row.member.name}"] = [row.status, status]
            row.status = status
            changed_rows.append(row)
        if not diff:
            raise RuleError(gettext("The amendment changes nothing."))
        meeting.save()
        for row in changed_rows:
            row.save()
            signals.attendance_recorded.send(actor=actor, evidence=row)
        MeetingAmendment.objects.create(meeting=meeting, reason=reason.strip(), changes=diff, amended_by=actor)
    return meeting


# --- Attachments ------------------------------------------------------------------------------------

def add_attachment(*, actor: Any, meeting: Meeting, upload: UploadedFile) -> MeetingAttachment:
    """Attach a file to a meeting that is not locked, within that year's type and size rules."""
    if meeting.is_locked:
        raise _locked_error()
    rules = checkin_rules(meeting)
    stored = attachments.store(MeetingAttachment(meeting=meeting), upload, actor=actor,
                               allowed=rules.allowed_extensions, max_mb=rules.attachment_max_mb)
    assert isinstance(stored, MeetingAttachment)
    return stored


# --- Democratic life meeting -------------------------------------------------------------------------


def submit_opinion(*, user: Any, solicitation: Solicitation, content: str, topic: str,
                   about_member: Member | None = None, anonymous: bool = False,
                   today: dt.date | None = None) -> Opinion:
    """Store one opinion. An anonymous one is written as nobody (``context.anonymous_write``):
    no author, the date only, and an audit entry without actor, IP, request id or time of day."""
    today = today or timezone.localdate()
    if not solicitation.is_open(today):
        raise RuleError(gettext("This solicitation is not open."))
    if anonymous and not solicitation.allow_anonymous:
        raise RuleError(gettext("This solicitation does not accept anonymous opinions."))
    if not content.strip():
        raise RuleError(gettext("Write your opinion."), field="content")
    opinion = Opinion(solicitation=solicitation, submitted_on=today, topic=topic, about_member=about_member,
                      content=content.strip(), is_anonymous=anonymous, source=OpinionSource.ONLINE)
    if anonymous:
        with context.anonymous_write(), transaction.atomic():
            opinion.save(force_insert=True)
    else:
        opinion.author = user
        opinion.author_name = str(user)[:50]
        opinion.save(force_insert=True)
    return opinion


def publish_agenda(*, actor: Any, solicitation: Solicitation, today: dt.date | None = None) -> Solicitation:
    if not solicitation.agenda_items.exists():
        raise RuleError(gettext("Collate the opinions into at least one agenda item first."))
    solicitation.agenda_published_on = today or timezone.localdate()
    solicitation.save()
    return solicitation


# --- Entering past records ------------------------------------------------------------------------


@dataclass(frozen=True)
class PastMeeting:
    """A meeting already held, entered from its paper record (补录): the meeting, its minutes
    and each expected member's attendance (``excused`` with the leave reason on the record)."""

    org: Any
    kind: Any
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    minutes: str
    place: str = ""
    host: Member | None = None
    recorder: Member | None = None
    #: member id -> (status, leave reason); expected members not named were present
    exceptions: dict[int, tuple[str, str]] = field(default_factory=dict)


def enter_past_meetings(*, actor: Any, meetings: Sequence[PastMeeting], now: dt.datetime | None = None) -> list[Meeting]:
    """Enter held meetings from their paper records in one go, confirmed (a unit taking up the
    platform mid-year enters the year's minutes book). The same rules as one by one: held
    before now, ends after it starts, minutes present, the host and recorder present, an
    excused member has the leave reason on record. Rows are bulk-written: each meeting gets its
    own audit entry (``audit.record_created``), the attendance rows one entry per call listing
    every meeting's excused and absent members (as ``sync_expected`` records the rows it adds);
    the events of a confirmation are sent for each meeting."""
    now = now or timezone.now()
    problems = []
    for past in meetings:
        if past.starts_at > now:
            problems.append(gettext("%(topic)s: the meeting has not started yet.") % {"topic": past.topic})
        if past.ends_at <= past.starts_at:
            problems.append(gettext("%(topic)s: the end must be after the start.") % {"topic": past.topic})
        if not past.minutes.strip():
            problems.append(gettext("%(topic)s: enter the minutes.") % {"topic": past.topic})
        for member_id, (status, reason) in past.exceptions.items():
            if member_id in (getattr(past.host, "pk", None), getattr(past.recorder, "pk", None)) \
                    and status != AttendanceStatus.PRESENT:
                problems.append(gettext("%(topic)s: the host and the recorder cannot be recorded absent or on leave.")
                                % {"topic": past.topic})
            if status == AttendanceStatus.EXCUSED and not reason.strip():
                problems.append(gettext("%(topic)s: give the reason for each leave.") % {"topic": past.topic})
    if problems:
        raise RuleError(problems)
    with transaction.atomic():
        rows = [Meeting(org=p.org, kind=p.kind, topic=p.topic, starts_at=p.starts_at, ends_at=p.ends_at, place=p.place,
                        host=p.host, recorder=p.recorder, minutes=p.minutes.strip(), status=MeetingStatus.CONFIRMED,
                        confirmed_at=now, confirmed_by=actor if getattr(actor, "pk", None) else None)
                for p in meetings]
        insert(rows)
        audit.record_created(rows)
        attendances: list[Attendance] = []
        per_meeting: list[list[Attendance]] = []
        for meeting, past in zip(rows, meetings, strict=True):
            expected = list(expected_members(meeting))
            mine = []
            for member in expected:
                status, reason = past.exceptions.get(member.pk, (AttendanceStatus.PRESENT, ""))
                row = Attendance(meeting=meeting, member=member, status=status,
                                 checkin_method=CheckinMethod.MANUAL if status == AttendanceStatus.PRESENT else "")
                if status == AttendanceStatus.EXCUSED:
                    row.leave_reason, row.leave_status = reason.strip(), LeaveStatus.APPROVED
                    row.leave_decided_by = actor if getattr(actor, "pk", None) else None
                    row.leave_requested_at = row.leave_decided_at = past.starts_at - dt.timedelta(days=1)
                mine.append(row)
            attendances.extend(mine)
            per_meeting.append(mine)
        insert(attendances)
        audit.record("create", object_type="meetings.attendance", object_repr=gettext("Attendance entered from the records"),
                     org_path=rows[0].org.path if rows else "", actor=actor, changes={
                         "rows": len(attendances),
                         "meetings": {str(m.pk): {s: [r.member_id for r in mine if r.status == s]
                                                  for s in (AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT)}
                                      for m, mine in zip(rows, per_meeting, strict=True)},
                     })
        signals.attendance_recorded.send_batch(actor=actor, evidences=attendances)
        for meeting, mine in zip(rows, per_meeting, strict=True):
            signals.meeting_confirmed.send(actor=actor, evidence=meeting, attendances=mine)
    return rows
