"""Helpers of the import suites: member rows in template order, API clients, a private MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.imports import upload, workbook
from dangjian.core.testing.personas import PASSWORD, one_time_code, valid_id_number
from dangjian.members.imports import MemberImporter

HEADERS = [f.header for f in MemberImporter.fields]
_police = itertools.count(1)


def member_cells(**values: Any) -> list[Any]:
    """One member row in template column order; every column may be overridden by its header."""
    birth = values.pop("birth", dt.date(1988, 5, 4))
    gender = values.pop("sex", "M")
    cells: dict[str, Any] = {
        "姓名": "测试导入", "性别": "男" if gender == "M" else "女", "出生日期": birth,
        "身份证号": valid_id_number(birth, gender), "警号": f"IMP{next(_police):05d}", "人员类别": "民警",
        "入党日期": "2010-07-01", "转正日期": "2011-07-01", "党员状态": "正式党员", "所在支部": "B1",
    }
    cells.update(values)
    return [cells.get(h) for h in HEADERS]


def member_file(rows: list[list[Any]], **kwargs: Any) -> bytes:
    return workbook(HEADERS, rows, **kwargs)


def api_client(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def post_import(client: SchemaValidatingClient, content: bytes, kind: str = "members", name: str = "党员名单.xlsx",
                **flags: Any) -> Any:
    data: dict[str, Any] = {"file": upload(content, name)}
    data.update({k: "true" if v else "false" for k, v in flags.items()})
    return client.post(f"/api/v1/imports/{kind}/", data, format="multipart")


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    """A private MEDIA_ROOT and upload temp dir, so tests can assert they are left empty (DP-04)."""
    media_root = tmp_path / "media"
    upload_tmp = tmp_path / "upload-tmp"
    upload_tmp.mkdir()
    with override_settings(MEDIA_ROOT=media_root, FILE_UPLOAD_TEMP_DIR=str(upload_tmp)):
        yield media_root


def leftover_files(media_root: Path) -> list[Path]:
    """Files left under MEDIA_ROOT/imports and the upload temp dir."""
    found = [p for p in (media_root / "imports").rglob("*") if p.is_file()] if (media_root / "imports").exists() else []
    found += [p for p in (media_root.parent / "upload-tmp").rglob("*") if p.is_file()]
    return found
