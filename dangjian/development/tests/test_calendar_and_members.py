"""Working days over a holiday and a 调休 Saturday; the member status changes only by 转正."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.api_suites import api_token
from dangjian.core.testing.personas import make_member
from dangjian.development.calendar import add_working_days
from dangjian.development.choices import StepKind as K
from dangjian.development.models import CalendarDay
from dangjian.development.tests.conftest import D, adopt_2026, open_case, record, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day(p: Any) -> None:
    """2026: 10-01..10-07 off (Thu..Wed), Sunday 09-27 and Saturday 10-10 worked (as staff enter it)."""
    with acting_as(p.user("c1_staff")):
        for n in range(1, 8):
            CalendarDay(day=D(2026, 10, n), kind="holiday", name="国庆节").save()
        CalendarDay(day=D(2026, 9, 27), kind="workday", name="国庆节调休").save()
        CalendarDay(day=D(2026, 10, 10), kind="workday", name="国庆节调休").save()


def test_working_days_skip_the_holiday_and_count_the_adjusted_saturday(national_day: None) -> None:
    assert add_working_days(D(2026, 9, 28), 1) == D(2026, 9, 28)        # Monday
    assert add_working_days(D(2026, 9, 28), 3) == D(2026, 9, 30)        # Mon, Tue, Wed
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 10)       # Tue, Wed, then the holiday, Thu 8, Fri 9, Sat 10
    assert add_working_days(D(2026, 9, 26), 1) == D(2026, 9, 27)        # Saturday off, the 调休 Sunday counts
    assert add_working_days(D(2026, 10, 1), 1) == D(2026, 10, 8)        # the first working day after the holiday


def test_without_the_calendar_only_weekends_are_off() -> None:
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 5)


def test_a_notice_over_national_day_ends_on_the_adjusted_saturday(p: Any, national_day: None) -> None:
    adopt_2026(p)
    case = walk(p, open_case(p, applied_on=D(2025, 5, 1)), until=K.ACTIVIST,
                change={K.TALK: {"on": D(2025, 5, 20)}})
    record(p, case, K.ACTIVIST, D(2025, 6, 1))
    record(p, case, K.ACTIVIST_FILING, D(2025, 6, 5))
    record(p, case, K.CANDIDATE, D(2026, 6, 1))
    notice = record(p, case, K.PUBLICITY, D(2026, 9, 29))
    assert notice.ends_on == D(2026, 10, 10)
    with pytest.raises(Exception, match="至2026年10月10日止"):
        record(p, case, K.CANDIDATE_CONSENT, D(2026, 10, 10), passed=True)
    record(p, case, K.CANDIDATE_CONSENT, D(2026, 10, 11), passed=True)


# -- the member's status: only the approved 转正 step ---------------------------------------------

def _api(username: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(username)}")
    return client


def test_the_api_refuses_a_status_change_instead_of_ignoring_it(p: Any) -> None:
    member = make_member(p.b1, status="probationary", full_member_on=None, joined_party_on=D(2025, 5, 10))
    response = _api("officer_b1").patch(f"/api/v1/members/{member.pk}/", {"status": "full"}, format="json",
                                        HTTP_IF_MATCH=f'"{member.version}"')
    assert response.status_code == 400 and "只能经发展党员流程" in response.content.decode()
    response = _api("officer_b1").patch(f"/api/v1/members/{member.pk}/", {"full_member_on": "2026-05-10"},
                                        format="json", HTTP_IF_MATCH=f'"{member.version}"')
    assert response.status_code == 400 and "转正日期" in response.content.decode()
    member.refresh_from_db()
    assert member.status == "probationary" and member.full_member_on is None


def test_the_profile_form_refuses_a_full_membership_date_for_a_probationary_member(p: Any, client_for: Any) -> None:
    member = make_member(p.b1, status="probationary", full_member_on=None, joined_party_on=D(2025, 5, 10),
                         birth_date=D(1990, 1, 1))
    client = client_for("officer_b1")
    page = client.get(f"/members/{member.pk}/edit/")
    form = page.context["form"]
    data = {name: (form.initial.get(name) if form.initial.get(name) is not None else "") for name in form.fields}
    data.update({"full_member_on": "2026-05-10", "id_number": "", "group": "", "version": member.version})
    response = client.post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 400 and "转正日期由发展党员流程" in response.content.decode()
    member.refresh_from_db()
    assert member.status == "probationary" and member.full_member_on is None


def test_the_member_file_shows_how_they_came_to_join(p: Any, client_for: Any) -> None:
    case = walk(p, open_case(p, name="历程甲"), until=K.OATH)
    assert case.member is not None
    page = client_for("officer_b1").get(f"/development/steps/?member={case.member.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and "上级党委审批" in text and "支部大会讨论接收预备党员" in text
    assert "入党经过" in client_for("officer_b1").get(f"/members/{case.member.pk}/").content.decode()
