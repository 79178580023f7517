"""Django's stock validation messages become sentences naming the field, on every kind of form."""

from __future__ import annotations

import html as htmllib
from typing import Any

import pytest
from django import forms
from django.utils import translation

from dangjian.core.forms import FieldMessagesMixin
from dangjian.core.testing.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_model_form_names_the_field_in_each_message(personas: Personas, client_for: Any) -> None:
    from dangjian.members.models import Member

    before = Member.objects.count()
    response = client_for("officer_b1").post("/members/add/", {
        "name": "张" * 51, "gender": "X", "birth_date": "1985-13-40", "org": "999999",
    })
    page = htmllib.unescape(response.content.decode())
    assert response.status_code == 400 and Member.objects.count() == before
    assert "“姓名”最多 50 个字，现有 51 个。" in page
    assert "所选“性别”不在可选范围内，请重新选择。" in page
    assert "“出生日期”不是有效的日期，请按 2026-12-01 的格式填写。" in page
    assert "所选“所在支部”不在可选范围内，请重新选择。" in page
    for stock in ("确保该变量", "选择一个有效的选项", "这个字段是必填项", "输入一个有效的日期"):
        assert stock not in page


class _Plain(FieldMessagesMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000)
    amount = forms.DecimalField(label="金额", max_digits=6, decimal_places=2)
    note = forms.CharField(label="说明", error_messages={"required": "说明必填（表单自己的话）"})


def test_a_plain_form_names_its_fields_and_keeps_its_own_messages() -> None:
    with translation.override("zh-hans"):
        form = _Plain({"year": "1999", "amount": "1.234", "note": ""})
        assert not form.is_valid()
        assert form.errors == {"year": ["“年度”不能小于 2000。"], "amount": ["“金额”最多保留 2 位小数。"],
                               "note": ["说明必填（表单自己的话）"]}
        form = _Plain({"year": "abc", "amount": "x"})
        form.is_valid()
        assert form.errors["year"] == ["“年度”须填写整数。"] and form.errors["amount"] == ["“金额”须填写数字。"]
