"""Query counts of the member screens do not grow with the number of members (ARCHITECTURE.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.members.models import Member, id_number_index, pinyin_initials
from dangjian.orgs.models import Organization

ClientFor = Callable[[str], Client]

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def bulk_members(org: Organization, count: int, start: int) -> None:
    """``count`` valid members in ``org``, written in one bulk insert (no per-row audit)."""
    rows = []
    for i in range(start, start + count):
        birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        gender = "M" if i % 2 else "F"
        number = valid_id_number(birth, gender, seq=i)
        name = SURNAMES[i % len(SURNAMES)] + SURNAMES[(i // len(SURNAMES)) % len(SURNAMES)] + str(i)
        rows.append(Member(
            name=name, name_initials=pinyin_initials(name), gender=gender, birth_date=birth,
            id_number=number, id_number_index=id_number_index(number), police_number=f"Q{i:06d}",
            personnel_type="police", joined_party_on=dt.date(2005, 7, 1), full_member_on=dt.date(2006, 7, 1),
            status="full", org=org,
        ))
    Member.objects.bulk_create(rows, batch_size=500)


def count_queries(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # warm per-process caches (menus, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx), "\n".join(q["sql"] for q in ctx.captured_queries)


URLS = ["/members/", "/members/?q=zs", "/members/?status=full&page=2", "/members/transfers/", "/members/posts/"]


@pytest.mark.parametrize("username", ["officer_b1", "c1_staff"])
def test_member_screens_cost_the_same_queries_for_20_and_2000_members(
    personas: Personas, client_for: ClientFor, username: str,
) -> None:
    client = client_for(username)
    bulk_members(personas.b1, 18, start=100_000)  # with the personas' 2: 20 members in B1
    assert Member.objects.filter(org=personas.b1).count() == 20
    few = {url: count_queries(client, url) for url in URLS}
    bulk_members(personas.b1, 1980, start=200_000)
    assert Member.objects.filter(org=personas.b1).count() == 2000
    for url in URLS:
        many, sql = count_queries(client, url)
        assert many == few[url][0], f"{url}: {few[url][0]} queries with 20 members, {many} with 2000:\n{sql}"
