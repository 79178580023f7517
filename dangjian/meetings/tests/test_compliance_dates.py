"""Compliance dates exactly as DOMAIN.md 2.1 gives them: founding mid-month (a per-year
setting), the reminder window of the 组织生活会 (due by 12-31, warned from 10-01) at every
boundary, the visible 即将到期 state, and the API's ``as_of``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas
from dangjian.meetings import rules
from dangjian.meetings.models import MeetingRequirement, MeetingRules
from dangjian.meetings.tests.test_rules import add_branch

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def owed(org: object, code: str, today: dt.date = dt.date(2026, 12, 1)) -> dict[str, rules.Obligation]:
    return {o.period.key: o for o in rules.obligations(org, *YEAR, today=today) if o.kind.code == code}  # type: ignore[arg-type]


@pytest.mark.parametrize(("founded", "first_month"), [
    (dt.date(2026, 5, 1), "2026-05"),   # founded on the 1st: May is a full month
    (dt.date(2026, 5, 2), "2026-06"),   # any later day: from June
    (dt.date(2026, 5, 31), "2026-06"),
    (dt.date(2026, 12, 15), None),      # nothing owed in 2026
])
def test_founding_mid_month_owes_from_the_first_full_month(personas: Personas, founded: dt.date,
                                                           first_month: str | None) -> None:
    branch = add_branch(personas, f"F{founded:%m%d}", founded)
    months = sorted(owed(branch, "themed_party_day"))
    assert (months[0] if months else None) == first_month


def test_the_founding_rule_is_a_setting_per_year(personas: Personas) -> None:
    branch = add_branch(personas, "FSET", dt.date(2026, 5, 12))
    MeetingRules.objects.update_or_create(year=2026, defaults={"owe_from_first_full_month": False})
    assert "2026-05" in owed(branch, "themed_party_day")  # the year's rule says: the founding month too
    MeetingRules.objects.filter(year=2026).update(owe_from_first_full_month=True)
    assert "2026-05" not in owed(branch, "themed_party_day")


@pytest.mark.parametrize(("today", "reminded", "state"), [
    (dt.date(2026, 9, 30), False, "due"),        # the day before the window: no reminder
    (dt.date(2026, 10, 1), True, "due_soon"),    # DOMAIN.md 2.1: warned from 10-01
    (dt.date(2026, 12, 31), True, "due_soon"),   # the deadline itself: still due
    (dt.date(2027, 1, 1), True, "overdue"),      # the day after: overdue
])
def test_the_org_life_meeting_is_reminded_from_1_october(personas: Personas, today: dt.date, reminded: bool,
                                                         state: str) -> None:
    items = rules.obligations(personas.b1, *YEAR, today=today)
    ob = next(o for o in items if o.kind.code == "org_life_meeting")
    assert ob.remind_on == dt.date(2026, 10, 1) and ob.due_on == dt.date(2026, 12, 31)
    assert ob.state == state
    assert (ob in rules.reminders(items, today)) is reminded


def test_a_reminder_date_is_a_real_date_of_a_yearly_rule() -> None:
    rule = MeetingRequirement.objects.filter(kind__code="org_life_meeting").first()
    assert rule is not None and (rule.remind_from_month, rule.remind_from_day, rule.remind_days) == (10, 1, None)
    rule.remind_from_day = 31
    rule.remind_from_month = 9
    with pytest.raises(ValidationError) as bad:
        rule.clean()
    assert "不是" in " ".join(bad.value.messages)
    monthly = MeetingRequirement.objects.filter(kind__code="themed_party_day").first()
    assert monthly is not None
    monthly.remind_from_month, monthly.remind_from_day = 10, 1
    with pytest.raises(ValidationError):
        monthly.clean()


def test_the_compliance_api_takes_as_of(personas: Personas) -> None:
    client = SchemaValidatingClient()
    token = client.post("/api/v1/auth/token/", {"username": "officer_b1", "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    def org_life(as_of: str) -> dict[str, object]:
        body = client.get("/api/v1/compliance/", {"as_of": as_of}).json()
        assert body["as_of"] == as_of and body["year"] == int(as_of[:4])
        return next(o for o in body["obligations"] if o["kind_code"] == "org_life_meeting")

    assert (org_life("2026-09-30")["status"], org_life("2026-09-30")["due_soon"]) == ("due", False)
    assert (org_life("2026-10-01")["status"], org_life("2026-10-01")["due_soon"]) == ("due", True)
    assert org_life("2026-10-01")["remind_on"] == "2026-10-01"
    bad = client.get("/api/v1/compliance/", {"as_of": "2026-13-01"})
    assert bad.status_code == 400


def test_the_committee_level_matrix_rolls_up_per_unit_and_exports(personas: Personas) -> None:
    import io
    import re

    from django.test import Client
    from openpyxl import load_workbook

    from dangjian.meetings.tests.factories import at, make_meeting

    make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    client = Client()
    client.post("/accounts/login/", {"username": "root_staff", "password": PASSWORD})
    top = client.get("/meetings/compliance/?year=2026").content.decode()
    rows = re.findall(r'<tr class="rollup-row">.*?</tr>', top, re.S)
    assert len(rows) == 2 and "刑侦支队党委" in rows[0] and "交警支队党委" in rows[1]  # one line per unit committee
    assert "刑侦一大队党支部" not in top  # not 100 flat rows
    assert f'href="?org={personas.c1.pk}&amp;year=2026&amp;by=month"' in rows[0]  # the line opens its matrix
    assert 'class="ob ob-done" title="已完成">1<' in rows[0] or ">1</span>" in rows[0]
    legend = re.search(r'<dl class="kind-legend.*?</dl>', top, re.S)
    assert legend and "<dt>大会</dt><dd>支部党员大会</dd>" in legend.group(0)  # the legend names each kind in full
    unit = client.get(f"/meetings/compliance/?year=2026&org={personas.b1.pk}").content.decode()
    crumbs = re.search(r'id="compliance-breadcrumb">(.*?)</ol>', unit, re.S)
    assert crumbs and all(n in crumbs.group(1) for n in ("测试市公安局党委", "刑侦支队党委", "刑侦一大队党支部"))
    assert ">大会<" in unit and ">支委<" not in unit  # distinct cell labels (b1 has no committee: no 支委会)

    export = client.get(f"/meetings/compliance/?year=2026&org={personas.c1.pk}&format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active  # type: ignore[attr-defined]
    values = list(sheet.iter_rows(values_only=True))
    body = [r for r in values if r and "刑侦一大队党支部" in r]
    lecture_q1 = next(r for r in body if "党课" in r and "2026年第1季度" in [str(c) for c in r])
    assert 1 in lecture_q1  # numbers as numbers
    assert client.get(f"/meetings/compliance/?org={personas.b3.pk}&format=xlsx").status_code == 200
    officer = Client()
    officer.post("/accounts/login/", {"username": "officer_b2", "password": PASSWORD})
    assert officer.get(f"/meetings/compliance/?org={personas.b1.pk}&format=xlsx").status_code == 404
