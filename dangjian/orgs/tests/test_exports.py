"""换届提醒 and 组织设置预警 export to Excel like every list: title row, 序号, the rows the page shows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.periods import add_months
from dangjian.core.testing.personas import Personas
from dangjian.orgs.models import OrganizationTerm

pytestmark = pytest.mark.django_db


def sheet_rows(response: Any) -> list[list[Any]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response.content[:200]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.fixture
def terms(personas: Personas) -> dict[str, OrganizationTerm]:
    p, today = personas, timezone.localdate()
    with acting_as(None, reason="test"):
        return {
            "soon": OrganizationTerm.objects.create(org=p.b1, number=2, started_on=add_months(today, -34),
                                                    ends_on=add_months(today, 2)),
            "over": OrganizationTerm.objects.create(org=p.b2, number=1, started_on=dt.date(2020, 1, 10),
                                                    ends_on=dt.date(2023, 1, 9)),
            "later": OrganizationTerm.objects.create(org=p.b3, number=1, started_on=today, ends_on=add_months(today, 36)),
        }


def test_the_term_expiry_list_exports_its_own_rows(terms: Any, client_for: Any) -> None:
    client = client_for("root_staff")
    page = client.get("/orgs/terms/expiring/").content.decode()
    assert 'href="/orgs/terms/export.xlsx?expiring=true"' in page
    assert "2023年1月9日" in page  # dates as read on the page
    rows = sheet_rows(client.get("/orgs/terms/export.xlsx?expiring=true"))
    assert rows[0][0].startswith("任期")  # the title row
    assert rows[1][:3] == ["序号", "组织", "届次"] and rows[1][-1] == "状态"
    data = rows[2:]
    assert [(r[0], r[1], r[2], r[-1]) for r in data] == [(1, "刑侦二大队党支部", 1, "已逾期"),
                                                         (2, "刑侦一大队党支部", 2, "即将届满")]
    assert isinstance(data[0][4], dt.datetime) and data[0][4].date() == dt.date(2023, 1, 9)  # a date cell
    assert AuditEntry.objects.filter(event="export", changes__rows=2).exists()


def test_a_large_term_export_asks_first(terms: Any, client_for: Any) -> None:
    with override_settings(DANGJIAN={**settings.DANGJIAN, "EXPORT_JOB_ROWS": 1}):
        response = client_for("root_staff").get("/orgs/terms/export.xlsx?expiring=true")
    assert response.status_code == 200 and "导出" in response.content.decode()
    assert 'id="export-confirm"' in response.content.decode()


def test_structure_warnings_export_with_the_organizations_path(personas: Personas, client_for: Any) -> None:
    client = client_for("c1_staff")
    page = client.get("/orgs/warnings/").content.decode()
    assert 'href="/orgs/warnings/?format=xlsx"' in page
    rows = sheet_rows(client.get("/orgs/warnings/?format=xlsx"))
    assert rows[0][0].startswith("组织设置预警")
    assert rows[1][:2] == ["序号", "党组织"] and rows[1][3] == "预警内容"
    names = [r[1] for r in rows[2:]]
    assert names == ["刑侦一大队党支部", "刑侦二大队党支部"]  # c1's branches; 交警 is not theirs
    assert all(isinstance(r[2], int) for r in rows[2:]) and "正式党员不足 3 人" in rows[2][3]
    assert AuditEntry.objects.filter(event="export", object_type="orgs.structure_warnings").exists()


def test_a_member_gets_no_warnings_file(personas: Personas, client_for: Any) -> None:
    client = client_for("member_b1")
    assert client.get("/orgs/warnings/?format=xlsx").status_code in (403, 404)


def test_list_tables_show_dates_as_read_and_export_them_as_dates(terms: Any, client_for: Any) -> None:
    client = client_for("root_staff")
    page = client.get("/orgs/terms/").content.decode()
    assert "2023年1月9日" in page and "2020年1月10日" in page
    assert "2023-01-09" not in page  # ISO only in inputs and files
    rows = sheet_rows(client.get("/orgs/terms/export.xlsx"))
    assert dt.date(2023, 1, 9) in [r[4].date() for r in rows[2:] if isinstance(r[4], dt.datetime)]
