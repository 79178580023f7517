"""Every hard check of DOMAIN.md 3.3 at its boundary (the day before, the day, the day after, or
one short / exactly / one over), under both rule versions, through the service and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.errors import RuleError
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.api_suites import api_token, new_key
from dangjian.core.testing.personas import make_member, valid_id_number
from dangjian.development.choices import Stage
from dangjian.development.choices import StepKind as K
from dangjian.development.tests.conftest import D, adopt_2026, open_case, record, walk
from dangjian.members.models import Member

pytestmark = pytest.mark.django_db

VERSIONS = ("2014", "2026.05")


@pytest.fixture(params=VERSIONS)
def version(request: Any, p: Any) -> str:
    if request.param == "2026.05":
        adopt_2026(p)
    return str(request.param)


def refused(fn: Any, *args: Any, **kwargs: Any) -> RuleError:
    with pytest.raises(RuleError) as exc:
        fn(*args, **kwargs)
    return exc.value


def cites(error: RuleError, version: str) -> bool:
    text = " ".join(error.messages)
    return ("2014" in text) if version == "2014" else ("2026" in text)


# -- age at application ------------------------------------------------------------------------

@pytest.mark.parametrize(("applied", "ok"), [(D(2024, 5, 31), False), (D(2024, 6, 1), True), (D(2024, 6, 2), True)])
def test_age_18_on_the_application_date(p: Any, version: str, applied: dt.date, ok: bool) -> None:
    birth = D(2006, 6, 1)
    if ok:
        assert open_case(p, applied_on=applied, birth=birth).stage == Stage.APPLICANT
    else:
        error = refused(open_case, p, applied_on=applied, birth=birth)
        assert error.field == "applied_on" and "年满18岁" in error.messages[0] and "2024年6月1日" in error.messages[0]


# -- one year as activist ----------------------------------------------------------------------

@pytest.mark.parametrize(("day", "ok"), [(D(2025, 2, 28), False), (D(2025, 3, 1), True), (D(2025, 3, 2), True)])
def test_candidate_a_year_after_becoming_activist(p: Any, version: str, day: dt.date, ok: bool) -> None:
    case = walk(p, open_case(p), until=K.CANDIDATE)
    if ok:
        record(p, case, K.CANDIDATE, day)
        case.refresh_from_db()
        assert case.stage == Stage.CANDIDATE
    else:
        error = refused(record, p, case, K.CANDIDATE, day)
        assert error.field == "on" and "最早可于2025年3月1日" in error.messages[0] and cites(error, version)


# -- introducers ---------------------------------------------------------------------------------

def test_two_introducers_who_are_full_members(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.INTRODUCERS)
    one = refused(record, p, case, K.INTRODUCERS, D(2025, 3, 13), members=[p.members["m_b1"]])
    assert one.field == "members" and "2名正式党员" in one.messages[0] and cites(one, version)
    probationary = make_member(p.b1, status="probationary", full_member_on=None, name="预备甲")
    error = refused(record, p, case, K.INTRODUCERS, D(2025, 3, 13), members=[p.members["m_b1"], probationary])
    assert "预备甲" in error.messages[0]
    record(p, case, K.INTRODUCERS, D(2025, 3, 13), members=[p.members["m_b1"], p.members["m_b1_2"]])


# -- political review and training ----------------------------------------------------------------

def test_no_admission_without_a_passed_political_review(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.COMMITTEE_REVIEW, skip=(K.POLITICAL_REVIEW,))
    assert "请先记录“政治审查”" in refused(record, p, case, K.COMMITTEE_REVIEW, D(2025, 4, 10)).messages[0]
    record(p, case, K.POLITICAL_REVIEW, D(2025, 3, 20), passed=False)
    error = refused(record, p, case, K.COMMITTEE_REVIEW, D(2025, 4, 10))
    assert "政治审查" in error.messages[0] and cites(error, version)


@pytest.mark.parametrize(("days", "hours", "ok"), [
    ("2.9", "23.9", False), ("3", None, True), (None, "24", True), ("3.5", "0", True), ("1", "23", False),
])
def test_training_three_days_or_24_hours(p: Any, version: str, days: str | None, hours: str | None, ok: bool) -> None:
    case = walk(p, open_case(p), until=K.TRAINING)
    values = {"training_days": Decimal(days) if days else None, "training_hours": Decimal(hours) if hours else None}
    if ok:
        record(p, case, K.TRAINING, D(2025, 4, 1), **values)
    else:
        error = refused(record, p, case, K.TRAINING, D(2025, 4, 1), **values)
        assert error.field == "training_days" and "3天或24个学时" in error.messages[0] and cites(error, version)


# -- the branch general meeting: quorum and majority of 应到会 ---------------------------------------

@pytest.fixture
def five_voters(p: Any) -> None:
    for n in range(3):
        make_member(p.b1, name=f"表决党员{n}")
    make_member(p.b1, status="probationary", full_member_on=None, name="预备不表决")


@pytest.mark.parametrize(("present", "yes", "written", "field"), [
    (2, 2, 0, "present"),      # 2 of 5 present: no quorum
    (3, 2, 0, "yes_votes"),    # quorum, but 2 yes are not more than half of 5 who should attend
    (3, 3, 0, None),           # 3 of 5: carried
    (4, 2, 1, None),           # 2 yes present + 1 written opinion of an absent voter = 3 of 5
    (5, 3, 0, None),
])
def test_vote_quorum_and_majority_of_those_who_should_attend(
        p: Any, version: str, five_voters: None, present: int, yes: int, written: int, field: str | None) -> None:
    case = walk(p, open_case(p), until=K.ADMISSION_MEETING)
    votes = {"should_attend": 5, "present": present, "yes_votes": yes, "written_yes": written, "secret_ballot": True}
    if field is None:
        record(p, case, K.ADMISSION_MEETING, D(2025, 5, 10), **votes)
    else:
        error = refused(record, p, case, K.ADMISSION_MEETING, D(2025, 5, 10), **votes)
        assert error.field == field and cites(error, version)


def test_probationary_members_do_not_vote(p: Any, version: str, five_voters: None) -> None:
    case = walk(p, open_case(p), until=K.ADMISSION_MEETING)
    error = refused(record, p, case, K.ADMISSION_MEETING, D(2025, 5, 10), should_attend=6, present=6, yes_votes=6,
                    secret_ballot=True)
    assert error.field == "should_attend" and "预备党员没有表决权" in error.messages[0]


def test_secret_ballot_only_under_2026(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.ADMISSION_MEETING)
    votes = {"should_attend": 2, "present": 2, "yes_votes": 2, "secret_ballot": False}
    if version == "2014":
        record(p, case, K.ADMISSION_MEETING, D(2025, 5, 10), **votes)
    else:
        assert refused(record, p, case, K.ADMISSION_MEETING, D(2025, 5, 10), **votes).field == "secret_ballot"


# -- approval within 6 months (hard stop) -----------------------------------------------------------

@pytest.mark.parametrize(("day", "ok"), [(D(2025, 11, 9), True), (D(2025, 11, 10), True), (D(2025, 11, 11), False)])
def test_approval_never_beyond_six_months(p: Any, version: str, day: dt.date, ok: bool) -> None:
    case = walk(p, open_case(p), until=K.APPROVAL)
    if ok:
        record(p, case, K.APPROVAL, day, passed=True)
        case.refresh_from_db()
        assert case.stage == Stage.PROBATIONARY and case.member is not None
    else:
        error = refused(record, p, case, K.APPROVAL, day, passed=True)
        assert error.field == "on" and "最迟2025年11月10日" in error.messages[0] and cites(error, version)
        assert not Member.objects.filter(name=case.name).exists()


# -- 转正 not before the probation ends ------------------------------------------------------------

CONVERT: dict[str, Any] = {"should_attend": 2, "present": 2, "yes_votes": 2, "secret_ballot": True, "outcome": "convert"}


@pytest.mark.parametrize(("day", "ok"), [(D(2026, 5, 9), False), (D(2026, 5, 10), True), (D(2026, 5, 11), True)])
def test_full_membership_not_before_the_probation_ends(p: Any, version: str, day: dt.date, ok: bool) -> None:
    case = walk(p, open_case(p), until=K.CONVERSION_MEETING)
    if ok:
        record(p, case, K.CONVERSION_MEETING, day, **CONVERT)
    else:
        error = refused(record, p, case, K.CONVERSION_MEETING, day, **CONVERT)
        assert error.field == "on" and "2026年5月10日期满" in error.messages[0] and cites(error, version)


# -- extension: once, 6 to 12 months ------------------------------------------------------------------

@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_six_to_twelve_months(p: Any, version: str, months: int, ok: bool) -> None:
    case = walk(p, open_case(p), until=K.CONVERSION_MEETING)
    extend = {**CONVERT, "outcome": "extend", "extension_months": months}
    if ok:
        record(p, case, K.CONVERSION_MEETING, D(2026, 5, 10), **extend)
    else:
        error = refused(record, p, case, K.CONVERSION_MEETING, D(2026, 5, 10), **extend)
        assert error.field == "extension_months" and cites(error, version)


def test_extension_once_then_a_second_is_refused(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.CONVERSION_MEETING)
    record(p, case, K.CONVERSION_MEETING, D(2026, 5, 10), **{**CONVERT, "outcome": "extend", "extension_months": 6})
    record(p, case, K.CONVERSION_APPROVAL, D(2026, 6, 1), passed=True)
    case.refresh_from_db()
    assert case.extensions == 1 and case.probation_ends_on == D(2026, 11, 10) and case.stage == Stage.PROBATIONARY
    assert case.member is not None and case.member.status == "probationary"
    record(p, case, K.CONVERSION_APPLICATION, D(2026, 11, 1))
    # the extended probation has not ended the day before
    assert refused(record, p, case, K.CONVERSION_MEETING, D(2026, 11, 9), **CONVERT).field == "on"
    second = refused(record, p, case, K.CONVERSION_MEETING, D(2026, 11, 10),
                     **{**CONVERT, "outcome": "extend", "extension_months": 6})
    assert second.field == "outcome" and "只能延长一次" in second.messages[0]
    record(p, case, K.CONVERSION_MEETING, D(2026, 11, 10), **CONVERT)
    record(p, case, K.CONVERSION_APPROVAL, D(2026, 11, 20), passed=True)
    member = Member.objects.get(pk=case.member.pk)
    assert member.status == "full" and member.full_member_on == D(2026, 11, 10)


def test_cancellation_takes_the_member_off_the_roll(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.CONVERSION_MEETING)
    record(p, case, K.CONVERSION_MEETING, D(2026, 5, 10), **{**CONVERT, "outcome": "cancel"})
    record(p, case, K.CONVERSION_APPROVAL, D(2026, 6, 1), passed=True)
    case.refresh_from_db()
    member = Member.objects.get(pk=case.member_id or 0)
    assert case.stage == Stage.CANCELLED and not member.is_active and member.status == "probationary"


# -- 2026: the 5-working-day public notice before the higher committee's consent --------------------

def test_publicity_under_2026_only(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.PUBLICITY)
    record(p, case, K.PUBLICITY, D(2025, 3, 3))  # Monday: Mon..Fri are the 5 working days, to 2025-03-07
    if version == "2014":
        record(p, case, K.CANDIDATE_CONSENT, D(2025, 3, 4), passed=True)
        return
    error = refused(record, p, case, K.CANDIDATE_CONSENT, D(2025, 3, 7), passed=True)
    assert error.field == "on" and "至2025年3月7日止" in error.messages[0]
    record(p, case, K.CANDIDATE_CONSENT, D(2025, 3, 8), passed=True)


# -- the same checks through the API ------------------------------------------------------------------

def _api(username: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(username)}")
    return client


def _post_step(p: Any, case: Any, kind: str, on: dt.date, username: str = "officer_b1", **extra: Any) -> Any:
    body = {"case": case.pk, "kind": kind, "on": on.isoformat(), "decided_by": "党支部委员会", **extra}
    return _api(username).post("/api/v1/development/steps/", body, format="json", HTTP_IDEMPOTENCY_KEY=new_key())


@pytest.mark.parametrize(("applied", "status"), [("2024-05-31", 400), ("2024-06-01", 201)])
def test_api_age(p: Any, version: str, applied: str, status: int) -> None:
    birth = D(2006, 6, 1)
    body = {"org": p.b1.pk, "name": "接口申请人", "gender": "M", "ethnicity": "汉族", "birth_date": birth.isoformat(),
            "id_number": valid_id_number(birth, "M"), "personnel_type": "auxiliary", "applied_on": applied}
    response = _api("officer_b1").post("/api/v1/development/cases/", body, format="json",
                                       HTTP_IDEMPOTENCY_KEY=new_key())
    assert response.status_code == status
    if status == 400:
        assert "年满18岁" in response.content.decode()


@pytest.mark.parametrize(("day", "status"), [(D(2025, 2, 28), 400), (D(2025, 3, 1), 201)])
def test_api_candidate_after_a_year(p: Any, version: str, day: dt.date, status: int) -> None:
    case = walk(p, open_case(p), until=K.CANDIDATE)
    response = _post_step(p, case, K.CANDIDATE, day)
    assert response.status_code == status
    if status == 400:
        assert "最早可于2025年3月1日" in response.content.decode()


@pytest.mark.parametrize(("day", "status"), [(D(2025, 11, 10), 201), (D(2025, 11, 11), 400)])
def test_api_approval_by_the_committee_above(p: Any, version: str, day: dt.date, status: int) -> None:
    case = walk(p, open_case(p), until=K.APPROVAL)
    assert _post_step(p, case, K.APPROVAL, day, passed=True).status_code == 400  # the branch may not approve
    assert _post_step(p, case, K.APPROVAL, day, username="c1_staff", passed=True).status_code == status


def test_api_vote_and_training_and_introducers(p: Any, version: str) -> None:
    case = walk(p, open_case(p), until=K.INTRODUCERS)
    assert _post_step(p, case, K.INTRODUCERS, D(2025, 3, 13), members=[p.members["m_b1"].pk]).status_code == 400
    assert _post_step(p, case, K.INTRODUCERS, D(2025, 3, 13),
                      members=[p.members["m_b1"].pk, p.members["m_b1_2"].pk]).status_code == 201
    record(p, case, K.POLITICAL_REVIEW, D(2025, 3, 20), passed=True)
    assert _post_step(p, case, K.TRAINING, D(2025, 4, 1), training_days="2.5").status_code == 400
    assert _post_step(p, case, K.TRAINING, D(2025, 4, 1), training_hours="24").status_code == 201
    walk(p, case, since=K.COMMITTEE_REVIEW, until=K.ADMISSION_MEETING)
    no_quorum = _post_step(p, case, K.ADMISSION_MEETING, D(2025, 5, 10), should_attend=2, present=1, yes_votes=1,
                           secret_ballot=True)
    assert no_quorum.status_code == 400 and "不足法定人数" in no_quorum.content.decode()


@pytest.mark.parametrize(("months", "status"), [(5, 400), (6, 201), (12, 201), (13, 400)])
def test_api_extension(p: Any, version: str, months: int, status: int) -> None:
    case = walk(p, open_case(p), until=K.CONVERSION_MEETING)
    response = _post_step(p, case, K.CONVERSION_MEETING, D(2026, 5, 10),
                          **{**CONVERT, "outcome": "extend", "extension_months": months})
    assert response.status_code == status


@pytest.mark.parametrize(("day", "status"), [(D(2026, 5, 9), 400), (D(2026, 5, 10), 201)])
def test_api_full_membership_not_before_probation_ends(p: Any, version: str, day: dt.date, status: int) -> None:
    case = walk(p, open_case(p), until=K.CONVERSION_MEETING)
    assert _post_step(p, case, K.CONVERSION_MEETING, day, **CONVERT).status_code == status
