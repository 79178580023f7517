"""Member development writes (keyword-only, actor first, lock, re-check, audit).

The branch records its steps; the committee one level up records its decisions (filing or
consent, pre-review, talk, approval, approval of full membership). A stage changes only with
the step that decided it; the member is created by the approved admission and becomes a full
member only by the approved full-membership step, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import idcard
from dangjian.core.attachments import store
from dangjian.core.errors import RuleError
from dangjian.core.periods import add_months
from dangjian.core.scoping import covers, ensure_in_scope
from dangjian.development import rules, signals
from dangjian.development.choices import Outcome, Stage, StepKind
from dangjian.development.models import Case, Step, StepAttachment
from dangjian.members import services as member_services
from dangjian.members.choices import MemberStatus, PersonnelType
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

AREA = "development"

#: The stage each deciding step moves a case to.
STAGE_OF_STEP: dict[str, str] = {StepKind.ACTIVIST: Stage.ACTIVIST, StepKind.CANDIDATE: Stage.CANDIDATE, StepKind.CLOSE: Stage.CLOSED}


def _today() -> dt.date:
    return timezone.localdate()


def open_case(*, actor: Any, org: Organization, name: str, gender: str, ethnicity: str, birth_date: dt.date,
              id_number: str, personnel_type: str, applied_on: dt.date, police_number: str = "",
              education: str = "", phone: str = "", today: dt.date | None = None) -> Case:
    """Record an application for membership (入党申请): the case, dated by the application."""
    today = today or _today()
    if org.kind != OrgKind.BRANCH:
        raise RuleError(gettext("An application is made to a branch: choose a branch."), field="org")
    if not covers(actor, AREA, "add", org):
        raise RuleError(gettext("You may not record applications for this branch."), field="org")
    try:
        id_number = idcard.validate(id_number)
    except ValidationError as exc:
        raise RuleError(exc.messages[0], field="id_number") from exc
    if idcard.birth_date(id_number) != birth_date:
        raise RuleError(gettext("The birth date inside the ID number does not match the birth date entered."),
                        field="id_number")
    if idcard.gender(id_number) != gender:
        raise RuleError(gettext("The gender digit of the ID number does not match the gender entered."),
                        field="id_number")
    if personnel_type == PersonnelType.POLICE and not police_number.strip():
        raise RuleError(gettext("A police officer's record needs the police number."), field="police_number")
    row = rules.rules_for(org, applied_on)
    rules.check_application(rules=row, birth_date=birth_date, applied_on=applied_on, today=today)
    with transaction.atomic():
        case = Case(org=org, name=name.strip(), gender=gender, ethnicity=ethnicity, birth_date=birth_date,
                    id_number=id_number, personnel_type=personnel_type, police_number=police_number,
                    education=education, phone=phone, applied_on=applied_on, stage=Stage.APPLICANT,
                    stage_since=applied_on)
        case.save()
        ensure_in_scope(actor, case, "add")
        signals.stage_reached.send(actor=actor, evidence=case, stage=Stage.APPLICANT, step=StepKind.APPLICATION)
    return case


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def may_record(actor: Any, case: Case, kind: str) -> bool:
    """Whether ``actor`` records this kind of step: the branch (``change`` on it) or, for the
    decisions of the committee above, that committee (``change`` on the branch's parent)."""
    if kind in rules.HIGHER_STEPS:
        parent = Organization.objects.get_parent(case.org)
        return parent is not None and covers(actor, AREA, "change", parent)
    return covers(actor, AREA, "change", case.org)


#: The files a step may carry (scans, Word and PDF documents) and their size limit.
DOCUMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "doc", "xlsx")
DOCUMENT_MAX_MB = 20


@transaction.atomic
def add_step_document(*, actor: Any, step: Step, upload: Any) -> StepAttachment:
    """Attach a document to a recorded step: whoever may record that kind of step on the case."""
    if not may_record(actor, step.case, step.kind):
        raise RuleError(gettext("You may not add documents to this step."))
    attachment = StepAttachment(step=step)
    store(attachment, upload, actor=actor, allowed=DOCUMENT_TYPES, max_mb=DOCUMENT_MAX_MB)
    return attachment


def record_step(*, actor: Any, case: Case, data: rules.StepInput, today: dt.date | None = None) -> Step:
    """Check a step against the rule version in force on its date and record it with its effects."""
    today = today or _today()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("org", "member").get(pk=case.pk)
        ensure_in_scope(actor, case, "view")
        if not may_record(actor, case, data.kind):
            if data.kind in rules.HIGHER_STEPS:
                raise RuleError(gettext("This decision belongs to the party committee one level above the branch."),
                                field="kind")
            raise RuleError(gettext("You may not record steps for this branch."), field="kind")
        steps = list(case.steps.all())
        row = rules.rules_for(case.org, data.on)
        rules.check_step(case, steps, data, row, today=today)
        step = Step(case=case, kind=data.kind, on=data.on, decided_by=data.decided_by.strip(), note=data.note,
                    meeting=data.meeting, rules=row, passed=data.passed, training_days=data.training_days,
                    training_hours=data.training_hours, should_attend=data.should_attend, present=data.present,
                    yes_votes=data.yes_votes, written_yes=data.written_yes, secret_ballot=data.secret_ballot,
                    outcome=data.outcome, extension_months=data.extension_months, recorded_by=_user(actor))
        if data.kind == StepKind.PUBLICITY and row.publicity_working_days:
            from dangjian.development.calendar import add_working_days

            step.ends_on = add_working_days(data.on, row.publicity_working_days)
        step.save()
        if data.members:
            step.members.set(data.members)
        _apply(actor, case, step, steps, row)
        ensure_in_scope(actor, case, "view")
    return step


def _move(actor: Any, case: Case, stage: str, step: Step) -> None:
    case.stage = stage
    case.stage_since = step.on
    case.save()
    signals.stage_reached.send(actor=actor, evidence=case, stage=stage, step=step.kind)


def _apply(actor: Any, case: Case, step: Step, steps: list[Step], row: Any) -> None:
    kind = step.kind
    if kind in STAGE_OF_STEP:
        _move(actor, case, STAGE_OF_STEP[kind], step)
    elif kind == StepKind.APPROVAL:
        if not step.passed:
            _move(actor, case, Stage.CLOSED, step)
            return
        meeting = rules.last(steps, StepKind.ADMISSION_MEETING)
        assert meeting is not None
        member = Member(name=case.name, gender=case.gender, ethnicity=case.ethnicity, birth_date=case.birth_date,
                        id_number=case.id_number, police_number=case.police_number or None,
                        personnel_type=case.personnel_type, education=case.education, phone=case.phone,
                        joined_party_on=meeting.on, status=MemberStatus.PROBATIONARY, org=case.org)
        try:
            member_services.admit_probationary(actor=actor, member=member)
        except ValidationError as exc:
            raise RuleError(" ".join(exc.messages)) from exc
        case.member = member
        case.probation_ends_on = add_months(meeting.on, row.probation_months)
        _move(actor, case, Stage.PROBATIONARY, step)
    elif kind == StepKind.CONVERSION_APPROVAL:
        decision = rules.last(steps, StepKind.CONVERSION_MEETING)
        assert decision is not None and case.member is not None
        if not step.passed:
            return  # the higher committee did not agree: the branch discusses again
        if decision.outcome == Outcome.CONVERT:
            assert case.probation_ends_on is not None
            member = member_services.convert_to_full(actor=actor, member=case.member,
                                                     full_member_on=case.probation_ends_on)
            _move(actor, case, Stage.FULL, step)
            signals.member_converted.send(actor=actor, evidence=member, case=case,
                                          full_member_on=case.probation_ends_on)
        elif decision.outcome == Outcome.EXTEND:
            assert case.probation_ends_on is not None and decision.extension_months
            case.probation_ends_on = add_months(case.probation_ends_on, decision.extension_months)
            case.extensions += 1
            case.save()
        elif decision.outcome == Outcome.CANCEL:
            member_services.leave_probation(actor=actor, member=case.member, on=step.on)
            _move(actor, case, Stage.CANCELLED, step)


def next_due(case: Case) -> list[rules.Due]:
    steps = list(case.steps.all())
    return rules.clocks(case, steps, rules.rules_for(case.org, _today()))
