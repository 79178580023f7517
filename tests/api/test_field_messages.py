"""The API's validation messages name their field, with the screens' sentences (issue 11 item 2):
a too-long name, a missing required field, a bad choice and a bad date each answer 400 with the
field-specific Chinese sentence under the field's key, and nothing is saved — for members, dues
payments and meetings. The import reports its cells with the same sentences
(tests/imports/test_member_checks.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.dues.models import DuesPayment
from dangjian.dues.tests.test_suites import _assessed
from dangjian.meetings.models import Meeting, MeetingKind
from dangjian.members.models import Member
from tests.imports.conftest import api_client

pytestmark = pytest.mark.django_db
BIRTH = dt.date(1990, 3, 7)


def _member(p: Personas) -> dict[str, Any]:
    return {"name": "孙七", "gender": "M", "birth_date": BIRTH.isoformat(), "id_number": valid_id_number(BIRTH, "M"),
            "police_number": "P990001", "personnel_type": "police", "joined_party_on": "2015-07-01",
            "full_member_on": "2016-07-01", "status": "full", "org": p.b1.pk, "phone": "13812345678"}


MEMBER_CASES = [
    ("name too long", {"name": "张" * 51}, "name", "“姓名”最多 50 个字，现有 51 个。"),
    ("name missing", {"name": None}, "name", "请填写“姓名”。"),
    ("bad personnel type", {"personnel_type": "wizard"}, "personnel_type", "所选“人员类别”不在可选范围内，请重新选择。"),
    ("bad date", {"joined_party_on": "2015-13-01"}, "joined_party_on", "“入党日期”不是有效的日期，请按 2026-12-01 的格式填写。"),
    ("bad organization", {"org": 999999}, "org", "所选“所在支部”不在可选范围内，请重新选择。"),
]


def _send(payload: dict[str, Any], drop: str | None) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if not (v is None and k == drop)}


@pytest.mark.parametrize(("case", "overrides", "field", "sentence"), MEMBER_CASES, ids=[c[0] for c in MEMBER_CASES])
def test_member_api_names_the_field(personas: Personas, case: str, overrides: dict[str, Any], field: str,
                                    sentence: str) -> None:
    count = Member.objects.count()
    payload = _send({**_member(personas), **overrides}, field)
    response = api_client("c1_staff").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400, (case, response.content)
    assert response.json()["errors"][field] == [sentence], response.json()
    assert Member.objects.count() == count


def _payment(p: Personas) -> dict[str, Any]:
    return {"member": _assessed(p).pk, "amount": "40.00", "paid_on": "2026-02-10", "method": "bank",
            "months": ["2026-02-01"], "receipt_number": "R0001"}


PAYMENT_CASES = [
    ("receipt number too long", {"receipt_number": "R" * 41}, "receipt_number", "“收据编号”最多 40 个字，现有 41 个。"),
    ("date missing", {"paid_on": None}, "paid_on", "请填写“交纳日期”。"),
    ("bad method", {"method": "gold"}, "method", "所选“交纳方式”不在可选范围内，请重新选择。"),
    ("bad date", {"paid_on": "2026-02-30"}, "paid_on", "“交纳日期”不是有效的日期，请按 2026-12-01 的格式填写。"),
    ("too many decimals", {"amount": "40.001"}, "amount", "“金额”最多保留 2 位小数。"),
    ("amount below a cent", {"amount": "0.00"}, "amount", "“金额”不能小于 0.01。"),
]


@pytest.mark.parametrize(("case", "overrides", "field", "sentence"), PAYMENT_CASES, ids=[c[0] for c in PAYMENT_CASES])
def test_payment_api_names_the_field(personas: Personas, case: str, overrides: dict[str, Any], field: str,
                                     sentence: str) -> None:
    payload = _send({**_payment(personas), **overrides}, field)
    response = api_client("officer_b1").post("/api/v1/dues/payments/", payload, format="json",
                                             HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert response.status_code == 400, (case, response.content)
    assert response.json()["errors"][field] == [sentence], response.json()
    assert not DuesPayment.objects.exists()


def _meeting(p: Personas) -> dict[str, Any]:
    return {"org": p.b1.pk, "kind": MeetingKind.objects.get(code="party_lecture").pk, "topic": "接口党课",
            "starts_at": "2026-04-02T09:00:00+08:00", "ends_at": "2026-04-02T10:30:00+08:00", "place": "党员活动室"}


MEETING_CASES = [
    ("topic too long", {"topic": "课" * 201}, "topic", "“主题”最多 200 个字，现有 201 个。"),
    ("topic missing", {"topic": None}, "topic", "请填写“主题”。"),
    ("bad kind", {"kind": 999999}, "kind", "所选“会议类型”不在可选范围内，请重新选择。"),
    ("bad start", {"starts_at": "2026-04-31T09:00"}, "starts_at",
     "“开始时间”不是有效的日期时间，请按 2026-12-01 09:30 的格式填写。"),
]


@pytest.mark.parametrize(("case", "overrides", "field", "sentence"), MEETING_CASES, ids=[c[0] for c in MEETING_CASES])
def test_meeting_api_names_the_field(personas: Personas, case: str, overrides: dict[str, Any], field: str,
                                     sentence: str) -> None:
    count = Meeting.objects.count()
    payload = _send({**_meeting(personas), **overrides}, field)
    response = api_client("officer_b1").post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 400, (case, response.content)
    assert response.json()["errors"][field] == [sentence], response.json()
    assert Meeting.objects.count() == count

