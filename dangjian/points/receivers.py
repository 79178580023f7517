"""The ledger's subscriptions: entries derived inside the writing transaction (``derive``).

Each receiver finds the rules in force for the evidence's year with the matching trigger and
writes (or, when the evidence changed, reverses) the automatic entry keyed by (rule, evidence,
member). A later module plugs in the same way: declare an event in its ``signals.py``, add a
``Trigger`` and a rule row, and subscribe here (docs/points.md).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.events import Occurrence
from dangjian.dues.signals import bill_paid, bill_unpaid
from dangjian.honors.signals import commendation_confirmed, commendation_revoked
from dangjian.meetings.choices import AttendanceStatus
from dangjian.meetings.signals import attendance_recorded
from dangjian.members.signals import member_moved
from dangjian.points import services
from dangjian.points.choices import Trigger
from dangjian.points.signals import violation_confirmed, violation_withdrawn
from dangjian.study.signals import course_completed, exam_passed


@attendance_recorded.derive
def points_for_attendance(occurrence: Occurrence) -> None:
    attendance = occurrence.evidence
    day, target = _attendance_rule(attendance, {})
    services.withdraw(actor=occurrence.actor, member=attendance.member, evidence=occurrence.evidence_key,
                      year=day.year, keep=[target.pk] if target else [],
                      reason=gettext("Attendance changed to: %(status)s") % {"status": attendance.get_status_display()})
    if target is not None:
        services.derive(actor=occurrence.actor, rule=target, member=attendance.member,
                        evidence=occurrence.evidence_key, day=day,
                        evidence_label=str(attendance.meeting)[:200])


@attendance_recorded.batch_for(points_for_attendance)
def points_for_attendances(occurrences: list[Occurrence]) -> None:
    """A batch of attendances (a minutes book entered at once): rows that already have live
    automatic entries (an amendment) go first, one by one, through the single form; the new
    rows' entries are derived together (``services.derive_many``)."""
    earlier = services.with_live_entries({o.evidence_key for o in occurrences})
    for occurrence in occurrences:
        if occurrence.evidence_key in earlier:
            points_for_attendance(occurrence)
    rules: dict[int, list[Any]] = {}
    wanted = []
    for occurrence in occurrences:
        if occurrence.evidence_key in earlier:
            continue
        attendance = occurrence.evidence
        day, target = _attendance_rule(attendance, rules)
        if target is not None:
            wanted.append(services.Derivation(rule=target, member_id=attendance.member_id,
                                              evidence=occurrence.evidence_key, day=day,
                                              evidence_label=str(attendance.meeting)[:200]))
    services.derive_many(actor=occurrences[0].actor, wanted=wanted)


def _attendance_rule(attendance: Any, rules: dict[int, list[Any]]) -> tuple[Any, Any]:
    """The meeting's day and the rule the attendance's status earns, if any (``rules`` caches
    the year's attendance rules across a batch)."""
    meeting = attendance.meeting
    day = timezone.localtime(meeting.starts_at).date()
    if day.year not in rules:
        rules[day.year] = services.rules_for(day.year, Trigger.ATTENDANCE_PRESENT, Trigger.ATTENDANCE_ABSENT)
    wanted = {AttendanceStatus.PRESENT: Trigger.ATTENDANCE_PRESENT,
              AttendanceStatus.ABSENT: Trigger.ATTENDANCE_ABSENT}.get(attendance.status)
    kind = meeting.kind.code
    return day, next((r for r in rules[day.year] if r.trigger == wanted and kind in r.kind_list), None)


@bill_paid.derive
def points_for_dues(occurrence: Occurrence) -> None:
    bill = occurrence.evidence
    trigger = Trigger.DUES_ON_TIME if occurrence["on_time"] else Trigger.DUES_LATE
    rule = next(iter(services.rules_for(bill.month.year, trigger)), None)
    if rule is None:
        return
    services.derive(actor=occurrence.actor, rule=rule, member=bill.member, evidence=occurrence.evidence_key,
                    day=bill.month, evidence_label=gettext("Dues of %(month)s") % {"month": f"{bill.month:%Y-%m}"})


@bill_unpaid.derive
def withdraw_dues_points(occurrence: Occurrence) -> None:
    """The payment of a bill was voided: the points derived from its ``bill_paid`` are reversed
    (a replay finds nothing live and does nothing; a new payment derives them again)."""
    bill = occurrence.evidence
    services.withdraw(actor=occurrence.actor, member=bill.member, evidence=occurrence.evidence_key,
                      year=bill.month.year,
                      reason=gettext("Dues payment voided: %(reason)s") % {"reason": occurrence["reason"]})


@member_moved.derive
def balances_follow_the_member(occurrence: Occurrence) -> None:
    """A member moved branch: their balances from the transfer's year on rank in the new branch
    (earlier years stay with the branch they were earned in, as do the entries themselves)."""
    transfer = occurrence.evidence
    services.rehome_balances(member=transfer.member, from_year=transfer.transferred_on.year)


@violation_confirmed.derive
def points_for_violation(occurrence: Occurrence) -> None:
    row = occurrence.evidence
    rule = next(iter(services.rules_for(row.occurred_on.year, Trigger.VIOLATION)), None)
    if rule is None:
        return
    services.derive(actor=occurrence.actor, rule=rule, member=row.member, evidence=occurrence.evidence_key,
                    day=row.occurred_on, multiplier=row.points, evidence_label=str(row.kind.name))


@violation_withdrawn.derive
def withdraw_violation_points(occurrence: Occurrence) -> None:
    row = occurrence.evidence
    services.withdraw(actor=occurrence.actor, member=row.member, evidence=occurrence.evidence_key,
                      year=row.occurred_on.year, reason=gettext("Appeal upheld"))


@exam_passed.derive
def points_for_exam(occurrence: Occurrence) -> None:
    attempt = occurrence.evidence
    day = timezone.localtime(attempt.submitted_at).date()
    rule = next(iter(services.rules_for(day.year, Trigger.EXAM_PASSED)), None)
    if rule is None:
        return
    services.derive(actor=occurrence.actor, rule=rule, member=attempt.member, evidence=occurrence.evidence_key,
                    day=day, evidence_label=str(attempt.exam.title)[:200])


@course_completed.derive
def points_for_course(occurrence: Occurrence) -> None:
    completion = occurrence.evidence
    rule = next(iter(services.rules_for(completion.completed_on.year, Trigger.COURSE_COMPLETED)), None)
    if rule is None:
        return
    services.derive(actor=occurrence.actor, rule=rule, member=completion.member, evidence=occurrence.evidence_key,
                    day=completion.completed_on, evidence_label=str(completion.course.title)[:200])
@commendation_confirmed.derive
def points_for_commendation(occurrence: Occurrence) -> None:
    """A member's confirmed commendation earns the year's commendation rule once (an
    organization's commendation has no member to credit)."""
    row = occurrence.evidence
    if row.member_id is None:
        return
    rule = next(iter(services.rules_for(row.kind.year, Trigger.COMMENDATION)), None)
    if rule is None:
        return
    day = min(row.decided_on or timezone.localdate(), timezone.localdate())
    services.derive(actor=occurrence.actor, rule=rule, member=row.member, evidence=occurrence.evidence_key, day=day,
                    evidence_label=str(row)[:200])


@commendation_revoked.derive
def withdraw_commendation_points(occurrence: Occurrence) -> None:
    row = occurrence.evidence
    if row.member_id is None:
        return
    services.withdraw(actor=occurrence.actor, member=row.member, evidence=occurrence.evidence_key,
                      year=(row.decided_on or timezone.localdate()).year,
                      reason=gettext("Commendation revoked: %(reason)s") % {"reason": occurrence["reason"]})
