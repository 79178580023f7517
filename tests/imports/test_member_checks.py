"""The checks a clerk expects of a member record (issue 11, item 3), each with its Chinese
message and nothing saved: on the screen, in the API and in the Excel import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.members.models import Member
from tests.imports.conftest import api_client, member_cells, member_file, post_import

pytestmark = pytest.mark.django_db
BIRTH = dt.date(1990, 3, 7)
NEXT_YEAR = str(timezone.localdate().year + 1)

#: (case, field overrides, field, Chinese text the message must contain)
CASES = [
    ("phone is not a number", {"phone": "abc"}, "phone", "手机号"),
    ("joined in the future", {"joined_party_on": f"{NEXT_YEAR}-01-05", "full_member_on": "", "status": "probationary"},
     "joined_party_on", "晚于今天"),
    ("full before joining", {"full_member_on": "2014-07-01"}, "full_member_on", "入党日期"),
    ("joined as a child", {"joined_party_on": "2000-07-01", "full_member_on": "2001-07-01"}, "joined_party_on", "18"),
    ("police officer without police number", {"police_number": ""}, "police_number", "警号"),
    ("the committee as the branch", {"org": "committee"}, "org", "支部"),
]


def _data(p: Personas, overrides: dict[str, Any]) -> dict[str, Any]:
    data = {
        "name": "孙七", "gender": "M", "ethnicity": "汉族", "birth_date": BIRTH.isoformat(),
        "id_number": valid_id_number(BIRTH, "M"), "police_number": "P990001", "personnel_type": "police",
        "joined_party_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "org": p.b1.pk,
        "phone": "13812345678",
    }
    data.update({k: (p.c1.pk if v == "committee" else v) for k, v in overrides.items()})
    return data


@pytest.mark.parametrize(("case", "overrides", "field", "chinese"), CASES, ids=[c[0] for c in CASES])
def test_screen_refuses_with_the_field_message(personas: Personas, client_for: Callable[[str], Client], case: str,
                                               overrides: dict[str, Any], field: str, chinese: str) -> None:
    count = Member.objects.count()
    response = client_for("c1_staff").post("/members/add/", _data(personas, overrides))
    assert response.status_code == 400, case
    assert Member.objects.count() == count
    errors = response.context["form"].errors
    assert field in errors, errors.as_data()
    assert any(chinese in m for m in errors[field]), errors[field]


@pytest.mark.parametrize(("case", "overrides", "field", "chinese"), CASES, ids=[c[0] for c in CASES])
def test_api_refuses_with_the_field_message(personas: Personas, case: str, overrides: dict[str, Any], field: str,
                                            chinese: str) -> None:
    count = Member.objects.count()
    payload = _data(personas, overrides)
    payload.pop("ethnicity")
    payload = {k: (v or None) if k in ("full_member_on", "police_number") else v for k, v in payload.items()}
    response = api_client("c1_staff").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400, (case, response.content)
    assert Member.objects.count() == count
    text = str(response.json())
    assert chinese in text, text


def test_a_valid_record_with_a_landline_is_saved(personas: Personas, client_for: Callable[[str], Client]) -> None:
    response = client_for("officer_b1").post("/members/add/", _data(personas, {"phone": "0710-3456789"}))
    assert response.status_code == 302
    assert Member.objects.filter(police_number="P990001").exists()


def test_import_reports_the_same_checks(personas: Personas, media: Any) -> None:
    rows = [member_cells(警号=None), member_cells(入党日期="2000-07-01", 转正日期="2001-07-01")]
    response = post_import(api_client("officer_b1"), member_file(rows), dry_run=True)
    assert response.status_code == 200, response.content
    found = {(p["row"], p["message"]) for p in response.json()["problems"]}
    with translation.override("zh-hans"):
        police = gettext("A police officer's record needs the police number.")
    assert (2, police) in found, found
    assert any(row == 3 and "18" in message for row, message in found), found
    assert not Member.objects.filter(name="测试导入").exists()


def test_import_cells_read_like_the_forms_and_the_api(personas: Personas, media: Any) -> None:
    rows = [member_cells(姓名="张" * 51), member_cells(姓名=None), member_cells(人员类别="巫师"),
            member_cells(入党日期="2015-13-01")]
    response = post_import(api_client("officer_b1"), member_file(rows), dry_run=True)
    assert response.status_code == 200, response.content
    found = {(p["row"], p["column"], p["message"]) for p in response.json()["problems"]}
    assert (2, "姓名", "“姓名”最多 50 个字，现有 51 个。") in found, found
    assert (3, "姓名", "请填写“姓名”。") in found, found
    assert (4, "人员类别", "所选“人员类别”不在可选范围内，请重新选择。可选：民警、辅警。") in found, found
    assert (5, "入党日期", "“入党日期”不是有效的日期，请按 2026-12-01 的格式填写。") in found, found
    assert not Member.objects.filter(name="测试导入").exists()
