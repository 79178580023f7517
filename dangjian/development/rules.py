"""The rules of member development (DOMAIN.md 3.3): which rule version applies, the hard checks
of a step and the clocks of a case. Pure functions over rows already loaded, so the service,
the screens, the API and the inbox judge a case the same way.

Every refusal is a :class:`RuleError` naming the field, the rule version and its source, and
what would make the step pass. Nothing here decides for a person: an organizational decision
(activist, candidate, pre-review, approval) exists only when someone records it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from dangjian.core.documents import cn_date
from dangjian.core.errors import RuleError
from dangjian.core.periods import add_months
from dangjian.development import calendar
from dangjian.development.choices import Outcome, Stage, StepKind
from dangjian.development.models import Case, DevelopmentRules, RuleAdoption, Step

#: Steps decided by the committee above the branch (recorded by its staff, "approve").
HIGHER_STEPS = frozenset({StepKind.ACTIVIST_FILING, StepKind.CANDIDATE_CONSENT, StepKind.PRE_REVIEW,
                          StepKind.HIGHER_TALK, StepKind.APPROVAL, StepKind.CONVERSION_APPROVAL})

#: The stages in which a step may be recorded.
STEP_STAGES: dict[str, frozenset[str]] = {
    StepKind.TALK: frozenset({Stage.APPLICANT, Stage.ACTIVIST}),
    StepKind.ACTIVIST: frozenset({Stage.APPLICANT}),
    StepKind.ACTIVIST_FILING: frozenset({Stage.ACTIVIST, Stage.CANDIDATE}),
    StepKind.CONTACTS: frozenset({Stage.ACTIVIST, Stage.CANDIDATE}),
    StepKind.ASSESSMENT: frozenset({Stage.ACTIVIST, Stage.CANDIDATE}),
    StepKind.REPORT: frozenset({Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY}),
    StepKind.PUBLICITY: frozenset({Stage.ACTIVIST, Stage.CANDIDATE}),
    StepKind.CANDIDATE: frozenset({Stage.ACTIVIST}),
    StepKind.CANDIDATE_CONSENT: frozenset({Stage.CANDIDATE}),
    StepKind.INTRODUCERS: frozenset({Stage.CANDIDATE}),
    StepKind.POLITICAL_REVIEW: frozenset({Stage.CANDIDATE}),
    StepKind.TRAINING: frozenset({Stage.ACTIVIST, Stage.CANDIDATE}),
    StepKind.COMMITTEE_REVIEW: frozenset({Stage.CANDIDATE}),
    StepKind.PRE_REVIEW: frozenset({Stage.CANDIDATE}),
    StepKind.ADMISSION_MEETING: frozenset({Stage.CANDIDATE}),
    StepKind.HIGHER_TALK: frozenset({Stage.CANDIDATE}),
    StepKind.APPROVAL: frozenset({Stage.CANDIDATE}),
    StepKind.OATH: frozenset({Stage.PROBATIONARY}),
    StepKind.CONVERSION_APPLICATION: frozenset({Stage.PROBATIONARY}),
    StepKind.CONVERSION_MEETING: frozenset({Stage.PROBATIONARY}),
    StepKind.CONVERSION_APPROVAL: frozenset({Stage.PROBATIONARY}),
    StepKind.CLOSE: frozenset({Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE}),
}

#: Steps that must already be recorded (on or before the new step's date).
REQUIRES: dict[str, tuple[str, ...]] = {
    StepKind.ACTIVIST_FILING: (StepKind.ACTIVIST,),
    StepKind.CONTACTS: (StepKind.ACTIVIST,),
    StepKind.ASSESSMENT: (StepKind.ACTIVIST,),
    StepKind.PUBLICITY: (StepKind.ACTIVIST,),
    StepKind.CANDIDATE: (StepKind.ACTIVIST, StepKind.ACTIVIST_FILING),
    StepKind.COMMITTEE_REVIEW: (StepKind.CANDIDATE_CONSENT, StepKind.INTRODUCERS, StepKind.POLITICAL_REVIEW,
                                StepKind.TRAINING),
    StepKind.PRE_REVIEW: (StepKind.COMMITTEE_REVIEW,),
    StepKind.ADMISSION_MEETING: (StepKind.PRE_REVIEW,),
    StepKind.HIGHER_TALK: (StepKind.ADMISSION_MEETING,),
    StepKind.APPROVAL: (StepKind.ADMISSION_MEETING, StepKind.HIGHER_TALK),
    StepKind.OATH: (StepKind.APPROVAL,),
    StepKind.CONVERSION_MEETING: (StepKind.CONVERSION_APPLICATION,),
    StepKind.CONVERSION_APPROVAL: (StepKind.CONVERSION_MEETING,),
}

VOTE_STEPS = frozenset({StepKind.ADMISSION_MEETING, StepKind.CONVERSION_MEETING})


def rules_for(org: Any, day: dt.date) -> DevelopmentRules:
    """The rule version that governs a step of ``org`` on ``day``: the latest version a committee
    above (or the branch) adopted from that day or earlier, else the latest confirmed national
    version in force (the first confirmed one before it)."""
    ancestors = _prefixes(org.path)
    adoption = (RuleAdoption.objects.filter(org__path__in=ancestors, adopted_from__lte=day)
                .select_related("rules").order_by("-adopted_from", "-org__depth").first())
    if adoption is not None:
        return adoption.rules
    confirmed = DevelopmentRules.objects.filter(confirmed=True)
    row = confirmed.filter(effective_from__lte=day).order_by("-effective_from").first()
    row = row or confirmed.order_by("effective_from").first() or DevelopmentRules.in_force(day)
    if row is None:
        raise RuleError(gettext("No development rules are configured. Ask the bureau's staff to load them."))
    return row


def _prefixes(path: str, steplen: int = 4) -> list[str]:
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def cite(rules: DevelopmentRules) -> str:
    return gettext("%(rules)s; %(source)s") % {"rules": rules.name, "source": rules.source}


def refuse(message: str, rules: DevelopmentRules, field: str | None = None) -> RuleError:
    return RuleError(gettext("%(reason)s (Rule: %(cite)s)") % {"reason": message, "cite": cite(rules)}, field=field)


def last(steps: Sequence[Step], kind: str) -> Step | None:
    found = [s for s in steps if s.kind == kind]
    return max(found, key=lambda s: (s.on, s.pk or 0)) if found else None


@dataclass
class StepInput:
    """What a person entered for a step (screens and API build the same one)."""

    kind: str
    on: dt.date
    decided_by: str = ""
    note: str = ""
    members: Sequence[Any] = ()
    passed: bool | None = None
    training_days: Decimal | None = None
    training_hours: Decimal | None = None
    should_attend: int | None = None
    present: int | None = None
    yes_votes: int | None = None
    written_yes: int | None = None
    secret_ballot: bool = False
    outcome: str = ""
    extension_months: int | None = None
    meeting: Any = None


def check_application(*, rules: DevelopmentRules, birth_date: dt.date, applied_on: dt.date, today: dt.date) -> None:
    if applied_on > today:
        raise RuleError(gettext("The application date cannot be in the future."), field="applied_on")
    age = applied_on.year - birth_date.year - ((applied_on.month, applied_on.day) < (birth_date.month, birth_date.day))
    if age < rules.min_age:
        earliest = birth_date.replace(year=birth_date.year + rules.min_age) if not (
            birth_date.month == 2 and birth_date.day == 29) else dt.date(birth_date.year + rules.min_age, 3, 1)
        raise refuse(gettext("An applicant must be at least %(age)d years old on the application date; this "
                             "applicant may apply from %(day)s.") % {"age": rules.min_age, "day": cn_date(earliest)},
                     rules, "applied_on")


def voting_members(case: Case) -> int:
    """Full members on the branch's roll: the most who can have a vote (probationary members never do)."""
    from dangjian.members.choices import MemberStatus
    from dangjian.members.models import Member

    return Member.objects.filter(org_id=case.org_id, is_active=True, status=MemberStatus.FULL).count()


def check_vote(data: StepInput, rules: DevelopmentRules, *, voters: int) -> None:
    """Quorum and majority of a 支部大会 (ZBTL art. 11; FZ14): voting members present more than
    half of those who should attend, and yes votes (with the written opinions of absent voters
    where the rules count them) more than half of those who should attend — 应到会, not 实到会."""
    need = {"should_attend": data.should_attend, "present": data.present, "yes_votes": data.yes_votes}
    for field, value in need.items():
        if value is None:
            raise RuleError(gettext("Enter the vote figures of the meeting."), field=field)
    should, present, yes = int(data.should_attend or 0), int(data.present or 0), int(data.yes_votes or 0)
    written = int(data.written_yes or 0)
    if should <= 0:
        raise RuleError(gettext("Enter how many voting members should attend."), field="should_attend")
    if should > voters:
        raise refuse(gettext("The branch has %(n)d full members with a vote; probationary members do not vote, so "
                             "no more than %(n)d can be expected to attend.") % {"n": voters}, rules, "should_attend")
    if present > should:
        raise RuleError(gettext("More voting members present than should attend."), field="present")
    if yes > present:
        raise RuleError(gettext("More yes votes than voting members present."), field="yes_votes")
    if written > should - present:
        raise RuleError(gettext("Written opinions come only from voting members who were absent."),
                        field="written_yes")
    if present * 2 <= should:
        raise refuse(gettext("No quorum: %(present)d of %(should)d voting members were present; more than half "
                             "(at least %(need)d) must be.") % {"present": present, "should": should,
                                                               "need": should // 2 + 1}, rules, "present")
    counted = yes + (written if rules.written_opinions_count else 0)
    if counted * 2 <= should:
        raise refuse(gettext("Not carried: %(yes)d yes of %(should)d voting members who should attend; it needs more "
                             "than half of those who should attend (at least %(need)d), not of those present.")
                     % {"yes": counted, "should": should, "need": should // 2 + 1}, rules, "yes_votes")
    if rules.secret_ballot and not data.secret_ballot:
        raise refuse(gettext("These rules require a secret ballot; record the vote as a secret ballot."), rules,
                     "secret_ballot")


def check_step(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, *, today: dt.date,
               special_days: Mapping[dt.date, str] | None = None, voters: int | None = None) -> None:
    """Refuse a step that is out of order, early or late beyond a hard limit, or short of what
    DOMAIN.md 3.3 requires."""
    kind = data.kind
    if data.on > today:
        raise RuleError(gettext("A step cannot be dated in the future."), field="on")
    if data.on < case.applied_on:
        raise RuleError(gettext("A step cannot be earlier than the application (%(day)s).")
                        % {"day": cn_date(case.applied_on)}, field="on")
    if case.stage not in STEP_STAGES.get(kind, frozenset()):
        raise RuleError(gettext("This step cannot be recorded at the stage \"%(stage)s\".")
                        % {"stage": case.get_stage_display()}, field="kind")
    if not data.decided_by.strip():
        raise RuleError(gettext("Enter who decided or did this step."), field="decided_by")
    for required in REQUIRES.get(kind, ()):
        required_row = last(steps, required)
        if required_row is None:
            raise RuleError(gettext("Record \"%(step)s\" first.") % {"step": StepKind(required).label}, field="kind")
        if required_row.on > data.on:
            raise RuleError(gettext("This step cannot be earlier than \"%(step)s\" (%(day)s).")
                            % {"step": StepKind(required).label, "day": cn_date(required_row.on)}, field="on")
    checker = _CHECKS.get(kind)
    if checker is not None:
        checker(case, steps, data, rules, special_days)
    if kind in VOTE_STEPS:
        check_vote(data, rules, voters=voting_members(case) if voters is None else voters)
    _check_publicity(steps, data, rules, special_days)


def _check_publicity(steps: Sequence[Step], data: StepInput, rules: DevelopmentRules,
                     special_days: Mapping[dt.date, str] | None) -> None:
    if not rules.publicity_working_days or rules.publicity_before != data.kind:
        return
    notice = last(steps, StepKind.PUBLICITY)
    if notice is None:
        raise refuse(gettext("A public notice of at least %(n)d working days must run before this step; record the "
                             "notice first.") % {"n": rules.publicity_working_days}, rules, "kind")
    ends = calendar.add_working_days(notice.on, rules.publicity_working_days, special_days)
    if data.on <= ends:
        raise refuse(gettext("The public notice of %(start)s runs %(n)d working days, until %(end)s; this step can be "
                             "recorded from the next day.") % {"start": cn_date(notice.on), "n": rules.publicity_working_days,
                                                               "end": cn_date(ends)}, rules, "on")


def _contacts(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, special: Any) -> None:
    if not 1 <= len(data.members) <= rules.max_contacts:
        raise refuse(gettext("Assign one or %(n)d full members as contacts.") % {"n": rules.max_contacts}, rules,
                     "members")
    _full_members(data, rules, gettext("A contact"))


def _full_members(data: StepInput, rules: DevelopmentRules, who: str) -> None:
    from dangjian.members.choices import MemberStatus

    for member in data.members:
        if member.status != MemberStatus.FULL or not member.is_active:
            raise refuse(gettext("%(who)s must be a full member on the roll; %(name)s is not.")
                         % {"who": who, "name": member.name}, rules, "members")


def _candidate(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, special: Any) -> None:
    activist = last(steps, StepKind.ACTIVIST)
    assert activist is not None
    earliest = add_months(activist.on, rules.activist_min_months)
    if data.on < earliest:
        raise refuse(gettext("A development candidate must have been an activist for at least %(n)d months (activist "
                             "since %(since)s); the earliest date is %(day)s.")
                     % {"n": rules.activist_min_months, "since": cn_date(activist.on), "day": cn_date(earliest)},
                     rules, "on")


def _introducers(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, special: Any) -> None:
    if len(data.members) < rules.introducers:
        raise refuse(gettext("An applicant needs %(n)d introducers who are full members; %(have)d chosen.")
                     % {"n": rules.introducers, "have": len(data.members)}, rules, "members")
    _full_members(data, rules, gettext("An introducer"))


def _political_review(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules,
                      special: Any) -> None:
    if data.passed is None:
        raise RuleError(gettext("Record whether the political review was passed."), field="passed")


def _training(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, special: Any) -> None:
    days, hours = data.training_days or Decimal(0), data.training_hours or Decimal(0)
    if days < rules.training_min_days and hours < rules.training_min_hours:
        raise refuse(gettext("The intensive training must last at least %(days)s days or %(hours)s class hours; "
                             "%(have_days)s days and %(have_hours)s hours were entered.")
                     % {"days": _num(rules.training_min_days), "hours": _num(rules.training_min_hours),
                        "have_days": _num(days), "have_hours": _num(hours)}, rules, "training_days")


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _committee_review(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules,
                      special: Any) -> None:
    review = last(steps, StepKind.POLITICAL_REVIEW)
    if review is None or not review.passed:
        raise refuse(gettext("Without a passed political review nobody can be admitted."), rules, "kind")
    training = last(steps, StepKind.TRAINING)
    if training is None:
        raise refuse(gettext("Without the intensive training nobody can be admitted."), rules, "kind")
    consent = last(steps, StepKind.CANDIDATE_CONSENT)
    if rules.candidate_needs_consent and (consent is None or consent.passed is False):
        raise refuse(gettext("These rules need the higher committee's consent to the candidate."), rules, "kind")


def _decision(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, special: Any) -> None:
    if data.passed is None:
        raise RuleError(gettext("Record the decision: agreed or not."), field="passed")


def _approval(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules, special: Any) -> None:
    _decision(case, steps, data, rules, special)
    meeting = last(steps, StepKind.ADMISSION_MEETING)
    assert meeting is not None
    limit = add_months(meeting.on, rules.approval_max_months)
    if data.on > limit:
        raise refuse(gettext("The higher committee must decide within %(n)d months of the branch meeting of "
                             "%(day)s, by %(limit)s at the latest; after that the branch must discuss the admission "
                             "again.") % {"n": rules.approval_max_months, "day": cn_date(meeting.on),
                                          "limit": cn_date(limit)}, rules, "on")


def _conversion_meeting(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules,
                        special: Any) -> None:
    if data.outcome not in Outcome.values:
        raise RuleError(gettext("Choose the outcome: full membership, extension or cancellation."), field="outcome")
    application = last(steps, StepKind.CONVERSION_APPLICATION)
    previous = last(steps, StepKind.CONVERSION_APPROVAL)
    if application is None or (previous is not None and application.on < previous.on):
        raise RuleError(gettext("Record the member's application for full membership first."), field="kind")
    pending = last(steps, StepKind.CONVERSION_MEETING)
    if pending is not None and (previous is None or pending.on > previous.on or
                                (pending.on == previous.on and (pending.pk or 0) > (previous.pk or 0))):
        raise RuleError(gettext("The previous branch decision still awaits the higher committee."), field="kind")
    ends = case.probation_ends_on
    assert ends is not None
    if data.outcome != Outcome.CANCEL and data.on < ends:
        raise refuse(gettext("The probation ends on %(day)s; full membership or an extension can be discussed from "
                             "that day on.") % {"day": cn_date(ends)}, rules, "on")
    if data.outcome == Outcome.EXTEND:
        months = data.extension_months
        if case.extensions >= rules.max_extensions:
            raise refuse(gettext("The probation may be extended only once; it was already extended. Decide on full "
                                 "membership or cancel the probation."), rules, "outcome")
        if months is None or not rules.extension_min_months <= months <= rules.extension_max_months:
            raise refuse(gettext("An extension lasts at least %(min)d and at most %(max)d months.")
                         % {"min": rules.extension_min_months, "max": rules.extension_max_months}, rules,
                         "extension_months")
    elif data.extension_months:
        raise RuleError(gettext("Only an extension has a length in months."), field="extension_months")


def _conversion_approval(case: Case, steps: Sequence[Step], data: StepInput, rules: DevelopmentRules,
                         special: Any) -> None:
    _decision(case, steps, data, rules, special)
    meeting = last(steps, StepKind.CONVERSION_MEETING)
    previous = last(steps, StepKind.CONVERSION_APPROVAL)
    if meeting is None or (previous is not None and (previous.on, previous.pk or 0) > (meeting.on, meeting.pk or 0)):
        raise RuleError(gettext("No branch decision on full membership awaits approval."), field="kind")


_CHECKS: dict[str, Any] = {
    StepKind.CONTACTS: _contacts,
    StepKind.CANDIDATE: _candidate,
    StepKind.INTRODUCERS: _introducers,
    StepKind.POLITICAL_REVIEW: _political_review,
    StepKind.TRAINING: _training,
    StepKind.COMMITTEE_REVIEW: _committee_review,
    StepKind.PRE_REVIEW: _decision,
    StepKind.CANDIDATE_CONSENT: _decision,
    StepKind.APPROVAL: _approval,
    StepKind.CONVERSION_MEETING: _conversion_meeting,
    StepKind.CONVERSION_APPROVAL: _conversion_approval,
}


# -- clocks --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    """Something a case waits for: what, by when (and the hard limit, if any)."""

    case: Case
    what: str
    due_on: dt.date
    hard_on: dt.date | None = None

    def late(self, today: dt.date) -> bool:
        return today > self.due_on

    def blocked(self, today: dt.date) -> bool:
        return self.hard_on is not None and today > self.hard_on


def clocks(case: Case, steps: Sequence[Step], rules: DevelopmentRules,
           special_days: Mapping[dt.date, str] | None = None) -> list[Due]:
    """What falls due next in a case (DOMAIN.md 3.3 deadlines with alerts)."""
    due: list[Due] = []
    stage = case.stage
    if stage in {Stage.FULL, Stage.CANCELLED, Stage.CLOSED}:
        return due
    if last(steps, StepKind.TALK) is None and stage in {Stage.APPLICANT, Stage.ACTIVIST}:
        due.append(Due(case, gettext("Talk with the applicant"), add_months(case.applied_on, rules.talk_within_months)))
    activist = last(steps, StepKind.ACTIVIST)
    if stage in {Stage.ACTIVIST, Stage.CANDIDATE} and activist is not None:
        assessed = last(steps, StepKind.ASSESSMENT)
        base = max(activist.on, assessed.on) if assessed else activist.on
        due.append(Due(case, gettext("Half-yearly assessment"), add_months(base, rules.assessment_every_months)))
    notice = last(steps, StepKind.PUBLICITY)
    if rules.publicity_working_days and notice is not None and stage in {Stage.ACTIVIST, Stage.CANDIDATE}:
        after = last(steps, rules.publicity_before) if rules.publicity_before else None
        if after is None or after.on < notice.on:
            due.append(Due(case, gettext("Public notice ends"),
                           calendar.add_working_days(notice.on, rules.publicity_working_days, special_days)))
    pre = last(steps, StepKind.PRE_REVIEW)
    meeting = last(steps, StepKind.ADMISSION_MEETING)
    if rules.meeting_within_months_of_pre_review and pre is not None and meeting is None:
        due.append(Due(case, gettext("Branch general meeting after the pre-review"),
                       add_months(pre.on, rules.meeting_within_months_of_pre_review)))
    if stage == Stage.CANDIDATE and meeting is not None and last(steps, StepKind.APPROVAL) is None:
        due.append(Due(case, gettext("Approval by the higher committee"), add_months(meeting.on, rules.approval_warn_months),
                       add_months(meeting.on, rules.approval_max_months)))
    if stage == Stage.PROBATIONARY:
        approval = last(steps, StepKind.APPROVAL)
        if rules.oath_within_months and approval is not None and last(steps, StepKind.OATH) is None:
            due.append(Due(case, gettext("Admission oath"), add_months(approval.on, rules.oath_within_months)))
        conv_meeting = last(steps, StepKind.CONVERSION_MEETING)
        conv_approval = last(steps, StepKind.CONVERSION_APPROVAL)
        waiting = conv_meeting is not None and (conv_approval is None or conv_meeting.on >= conv_approval.on)
        if waiting and conv_meeting is not None:
            due.append(Due(case, gettext("Approval of full membership"),
                           add_months(conv_meeting.on, rules.conversion_approval_months)))
        elif case.probation_ends_on:
            due.append(Due(case, gettext("Probation ends: discuss full membership"), case.probation_ends_on))
    return sorted(due, key=lambda d: d.due_on)
