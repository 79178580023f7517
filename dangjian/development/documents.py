"""The member file's documents of a development case, on the core's official layout
(dangjian.core.documents): the 入党志愿书 data sheet, the 政审 record, the 公示 notice and the
转正 approval form. Each is built from the case and the steps already recorded: a document
never states a decision that no step records; a missing step reads as not yet recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext, pgettext

from dangjian.core.documents import OfficialDocument, cn_date
from dangjian.development.choices import Outcome, StepKind
from dangjian.development.models import Case, Step
from dangjian.development.rules import last

#: The documents a case offers, in the order of the path: code -> the steps it needs.
DOCUMENTS: dict[str, tuple[str, ...]] = {
    "application": (StepKind.APPLICATION,),
    "political_review": (StepKind.POLITICAL_REVIEW,),
    "publicity": (StepKind.PUBLICITY,),
    "conversion": (StepKind.CONVERSION_MEETING,),
}


def titles() -> dict[str, str]:
    return {
        "application": gettext("Membership application data sheet"),
        "political_review": gettext("Political review record"),
        "publicity": gettext("Public notice of development"),
        "conversion": gettext("Approval form for full membership"),
    }


def available(steps: Sequence[Step]) -> list[tuple[str, str]]:
    """(code, title) of the documents this case's recorded steps allow."""
    kinds = {s.kind for s in steps}
    names = titles()
    return [(code, names[code]) for code, needs in DOCUMENTS.items()
            if all(k == StepKind.APPLICATION or k in kinds for k in needs)]


def _not_recorded() -> str:
    return gettext("not recorded yet")


def _day(steps: Sequence[Step], kind: str) -> str:
    step = last(steps, kind)
    return cn_date(step.on) if step else _not_recorded()


def _names(step: Step | None) -> str:
    if step is None:
        return _not_recorded()
    return pgettext("list separator", ", ").join(m.name for m in step.members.all()) or _not_recorded()


def _committee(case: Case) -> str:
    from dangjian.orgs.models import Organization

    parent = Organization.objects.get_parent(case.org)
    return parent.name if parent is not None else case.org.name


def application_sheet(case: Case, steps: Sequence[Step]) -> bytes:
    """入党志愿书 data sheet: the applicant and the dates of the path so far."""
    doc = OfficialDocument(gettext("Membership application data sheet"))
    doc.fields([
        (gettext("name"), case.name), (gettext("gender"), case.get_gender_display()),
        (gettext("ethnicity"), case.ethnicity), (gettext("birth date"), cn_date(case.birth_date)),
        (gettext("ID number"), case.id_number_masked), (gettext("education"), case.get_education_display() or "—"),
        (gettext("personnel type"), case.get_personnel_type_display()),
        (gettext("police number"), case.police_number or "—"), (gettext("branch"), case.org.name),
        (gettext("application date"), cn_date(case.applied_on)),
        (StepKind.ACTIVIST.label, _day(steps, StepKind.ACTIVIST)),
        (StepKind.CANDIDATE.label, _day(steps, StepKind.CANDIDATE)),
        (StepKind.INTRODUCERS.label, _names(last(steps, StepKind.INTRODUCERS))),
        (StepKind.ADMISSION_MEETING.label, _day(steps, StepKind.ADMISSION_MEETING)),
        (StepKind.APPROVAL.label, _day(steps, StepKind.APPROVAL)),
        (StepKind.OATH.label, _day(steps, StepKind.OATH)),
    ])
    doc.signature(case.org.name, None if not steps else max(s.on for s in steps))
    return doc.to_bytes()


def political_review_record(case: Case, steps: Sequence[Step]) -> bytes:
    """政审 record: who reviewed, when, the conclusion and its basis."""
    review = last(steps, StepKind.POLITICAL_REVIEW)
    doc = OfficialDocument(gettext("Political review record"))
    conclusion = _not_recorded() if review is None or review.passed is None else (
        gettext("Passed") if review.passed else gettext("Not passed"))
    doc.fields([
        (gettext("name"), case.name), (gettext("branch"), case.org.name),
        (gettext("birth date"), cn_date(case.birth_date)), (gettext("ID number"), case.id_number_masked),
        (gettext("review date"), cn_date(review.on if review else None)),
        (gettext("reviewed by"), review.decided_by if review else _not_recorded()),
        (gettext("conclusion"), conclusion),
        (gettext("content and basis"), (review.note if review else "") or "—"),
    ])
    doc.signature(_committee(case), review.on if review else None)
    return doc.to_bytes()


def publicity_notice(case: Case, steps: Sequence[Step]) -> bytes:
    """公示 notice: the person, the stage proposed, the window and where to object."""
    notice = last(steps, StepKind.PUBLICITY)
    doc = OfficialDocument(gettext("Public notice of development"), issuer=case.org.name)
    start, end = (notice.on, notice.ends_on) if notice else (None, None)
    doc.paragraph(gettext(
        "Under the rules on developing party members, %(branch)s proposes %(name)s (%(gender)s, born %(birth)s, "
        "applied on %(applied)s) as %(stage)s and makes this public.") % {
        "branch": case.org.name, "name": case.name, "gender": case.get_gender_display(),
        "birth": cn_date(case.birth_date), "applied": cn_date(case.applied_on), "stage": case.get_stage_display()})
    doc.paragraph(gettext(
        "The notice runs from %(start)s to %(end)s. Anyone with an opinion may report it to the branch or to "
        "%(committee)s during that time, in person, by telephone or in writing, with the facts.") % {
        "start": cn_date(start, empty=_not_recorded()), "end": cn_date(end, empty=_not_recorded()),
        "committee": _committee(case)})
    doc.signature(case.org.name, start)
    return doc.to_bytes()


def conversion_approval(case: Case, steps: Sequence[Step]) -> bytes:
    """转正 approval form: probation, the branch meeting's vote and the committee's approval."""
    meeting = last(steps, StepKind.CONVERSION_MEETING)
    approval = last(steps, StepKind.CONVERSION_APPROVAL)
    admission = last(steps, StepKind.ADMISSION_MEETING)
    doc = OfficialDocument(gettext("Approval form for full membership"))
    votes = _not_recorded()
    if meeting is not None and meeting.should_attend is not None:
        votes = gettext("%(should)s should attend, %(present)s present, %(yes)s in favour, "
                        "%(written)s written opinions in favour") % {
            "should": meeting.should_attend, "present": meeting.present, "yes": meeting.yes_votes,
            "written": meeting.written_yes or 0}
    outcome = Outcome(meeting.outcome).label if meeting is not None and meeting.outcome else _not_recorded()
    decision = _not_recorded() if approval is None or approval.passed is None else (
        gettext("Approved") if approval.passed else gettext("Not approved"))
    doc.fields([
        (gettext("name"), case.name), (gettext("branch"), case.org.name),
        (gettext("admitted as probationary member on"), cn_date(admission.on if admission else None)),
        (gettext("probation ends on"), cn_date(case.probation_ends_on)),
        (StepKind.CONVERSION_APPLICATION.label, _day(steps, StepKind.CONVERSION_APPLICATION)),
        (StepKind.CONVERSION_MEETING.label, _day(steps, StepKind.CONVERSION_MEETING)),
        (gettext("vote"), votes), (gettext("resolution of the branch meeting"), outcome),
        (gettext("approval of the higher committee"), decision),
        (gettext("approved on"), cn_date(approval.on if approval else None)),
        (gettext("full member since"), cn_date(case.member.full_member_on if case.member else None)),
    ])
    doc.signature(_committee(case), approval.on if approval else None)
    return doc.to_bytes()


BUILDERS: dict[str, Any] = {
    "application": application_sheet,
    "political_review": political_review_record,
    "publicity": publicity_notice,
    "conversion": conversion_approval,
}
