"""Names read the way a clerk reads them: surnames by their surname reading, lists and pickers
in pinyin order, initials search that finds 曾小明 by ``zxm`` (issue 11 item 6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from dangjian.core.testing.personas import Personas, make_member
from dangjian.members import names

ClientFor = Callable[[str], Client]


@pytest.mark.parametrize(("name", "initials", "key"), [
    ("曾小明", "zxm", "zeng xiao ming"),   # céng elsewhere
    ("单雄", "sx", "shan xiong"),           # dān elsewhere
    ("解放", "xf", "xie fang"),
    ("仇建国", "qjg", "qiu jian guo"),
    ("查文", "zw", "zha wen"),
    ("区伟", "ow", "ou wei"),
    ("覃海", "qh", "qin hai"),
    ("欧阳修远", "oyxy", "ou yang xiu yuan"),  # a compound surname read as a whole
    ("尉迟敬", "ycj", "yu chi jing"),
    ("万俟明", "mqm", "mo qi ming"),
    ("张三", "zs", "zhang san"),           # ordinary names keep the ordinary reading
    ("阿依古丽·买买提", "aygl·mmt", "a yi gu li · mai mai ti"),
])
def test_surnames_are_read_by_their_surname_reading(name: str, initials: str, key: str) -> None:
    assert names.initials(name) == initials
    assert names.sort_key(name) == key


def test_a_two_character_name_is_not_taken_for_a_compound_surname() -> None:
    assert names.sort_key("单于") == "shan yu"  # 单 + given name 于, not 单于 chányú


def _branch_with(personas: Personas, *people: str) -> None:
    for person in people:
        make_member(personas.b1, name=person)


def test_the_member_list_and_a_member_picker_are_in_pinyin_order(personas: Personas, client_for: ClientFor) -> None:
    people = ("张伟光", "曾宪梓", "陈思远", "单田芳", "詹天佑")
    _branch_with(personas, *people)
    expected = ["陈思远", "单田芳", "曾宪梓", "詹天佑", "张伟光"]  # chen, shan, zeng, zhan, zhang
    client = client_for("officer_b1")
    table = client.get("/members/").context["table"]
    assert [row.record.name for row in table.rows if row.record.name in people] == expected
    form = client.get("/meetings/add/").context["form"]
    picked = [str(m) for m in form.fields["host"].queryset if str(m) in people]
    assert picked == expected


def test_initials_search_finds_a_polyphonic_surname(personas: Personas, client_for: ClientFor) -> None:
    _branch_with(personas, "曾宪梓")
    page = client_for("officer_b1").get("/members/?q=zxz").content.decode()
    assert "曾宪梓" in page
    assert "曾宪梓" not in client_for("officer_b1").get("/members/?q=cxz").content.decode()
