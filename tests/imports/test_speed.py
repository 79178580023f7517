"""How long 10,000 members take to import on SQLite (SPEC F2; target < 30 s): parse, validate
every row (ID check digit, model rules, duplicates, scope), encrypt, write, audit each row.

Slow: runs only with RUN_SLOW=1 (``RUN_SLOW=1 scripts/test tests/imports/test_speed.py -s``)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest

from dangjian.core.audit import verify_chain
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.members.models import Member
from tests.imports.conftest import HEADERS, api_client, member_file, post_import

ROWS = 10_000
LIMIT_SECONDS = 30

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("RUN_SLOW"), reason="slow benchmark: set RUN_SLOW=1"),
]


def rows(count: int) -> list[list[Any]]:
    start = dt.date(1965, 1, 1)
    out = []
    for i in range(count):
        born = start + dt.timedelta(days=i % 9000)
        gender = "M" if i % 3 else "F"
        cells = {"姓名": f"速度{i}", "性别": "男" if gender == "M" else "女", "出生日期": born,
                 "身份证号": valid_id_number(born, gender, seq=i // 9000 + 1), "警号": f"S{i:06d}",
                 "人员类别": "民警" if i % 4 else "辅警", "学历": "大学本科", "手机号码": f"138{i:08d}",
                 "入党日期": "2010-07-01", "转正日期": "2011/7/1", "党员状态": "正式党员", "所在支部": "B1"}
        out.append([cells.get(h) for h in HEADERS])
    return out


def test_ten_thousand_members_import_within_the_target(personas: Personas, media: Path) -> None:
    content = member_file(rows(ROWS))
    client = api_client("c1_staff")
    before = Member.objects.count()
    started = time.perf_counter()
    response = post_import(client, content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.content[:500]
    assert response.json()["imported_rows"] == ROWS
    print(f"\n{ROWS} members imported in {elapsed:.1f} s ({elapsed / ROWS * 1000:.2f} ms per row, "
          f"file {len(content) / 1024:.0f} KB)")
    assert Member.objects.count() == before + ROWS
    assert AuditEntry.objects.filter(event="create", object_type="members.member").count() >= ROWS
    assert verify_chain() is None
    assert elapsed < LIMIT_SECONDS
