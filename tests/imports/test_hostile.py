"""Hostile files (SECURITY.md IO-04, DP-04): each is refused with a clear Chinese message, and
nothing is persisted — no ImportBatch, no member, no file left behind; the refusal is audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from dangjian.core.models import AuditEntry, ImportBatch
from dangjian.core.testing import imports as corpus
from dangjian.core.testing.personas import Personas
from dangjian.members.models import Member
from tests.imports.conftest import api_client, leftover_files, member_cells, member_file, post_import

CJK = re.compile(r"[\u4e00-\u9fff]")

#: case -> (file content, file name, refusal code, words of the Chinese message)
CORPUS: dict[str, tuple[Callable[[], bytes], str, str, str]] = {
    "zip bomb": (corpus.zip_bomb, "名单.xlsx", "zip_bomb", "压缩炸弹"),
    "compression ratio bomb": (corpus.ratio_bomb, "名单.xlsx", "zip_bomb", "压缩比异常"),
    "billion laughs": (corpus.billion_laughs, "名单.xlsx", "xml_dtd", "DTD"),
    "renamed exe": (corpus.renamed_exe, "名单.xlsx", "not_xlsx", "不是有效的 .xlsx"),
    "xlsm with vbaProject.bin": (corpus.macro_workbook, "名单.xlsm", "macro", "含宏"),
    "macro workbook renamed .xlsx": (corpus.macro_workbook, "名单.xlsx", "macro", "含宏"),
    "oversize": (corpus.oversize, "名单.xlsx", "too_large", "超过 10 MB"),
    "legacy .xls": (corpus.minimal, "名单.xls", "not_xlsx", ".xlsx"),
}


def nothing_persisted(media: Path, members_before: int) -> None:
    assert not ImportBatch.objects.exists()
    assert Member.objects.count() == members_before
    assert leftover_files(media) == []


@pytest.mark.parametrize("case", list(CORPUS))
def test_the_api_refuses_each_hostile_file(personas: Personas, media: Path, case: str) -> None:
    make, name, code, words = CORPUS[case]
    client = api_client("officer_b1")
    before = Member.objects.count()
    response = post_import(client, make(), name=name)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code
    assert words in body["detail"] and CJK.search(body["detail"])
    nothing_persisted(media, before)
    refusal = AuditEntry.objects.filter(event="import", success=False).get()
    assert refusal.changes == {"refused": code} and refusal.actor_id == personas.user("officer_b1").pk


@pytest.mark.parametrize("case", ["zip bomb", "billion laughs", "renamed exe", "xlsm with vbaProject.bin", "oversize"])
def test_the_upload_screen_refuses_each_hostile_file(personas: Personas, media: Path, case: str,
                                                      client_for: Any) -> None:
    make, name, code, words = CORPUS[case]
    before = Member.objects.count()
    response = client_for("officer_b1").post("/members/import/", {"file": corpus.upload(make(), name)})
    assert response.status_code == 400
    assert words in response.content.decode()
    nothing_persisted(media, before)


def test_an_upload_beyond_the_cap_is_cut_off_while_streaming(personas: Personas, media: Path) -> None:
    """A body within the declared slack but over the cap is stopped by the upload handler."""
    limits = {**settings.DANGJIAN, "IMPORT_LIMITS": {"max_bytes": 100 * 1024}}
    content = corpus.oversize(megabytes=0) + b"\x01" * 130 * 1024  # 130 KB: over the cap, within the slack
    client = api_client("officer_b1")
    with override_settings(DANGJIAN=limits):
        response = post_import(client, content)
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert "MB" in response.json()["detail"]
    nothing_persisted(media, Member.objects.count())


def test_too_many_rows_are_refused(personas: Personas, media: Path) -> None:
    limits = {**settings.DANGJIAN, "IMPORT_LIMITS": {"max_rows": 3}}
    before = Member.objects.count()
    with override_settings(DANGJIAN=limits):
        response = post_import(api_client("officer_b1"), member_file([member_cells() for _ in range(4)]))
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_rows" and "超过 3 行" in response.json()["detail"]
    nothing_persisted(media, before)


def test_a_path_in_the_file_name_is_never_used(personas: Personas, media: Path, client_for: Any) -> None:
    response = client_for("officer_b1").post("/members/import/", {
        "file": corpus.upload(member_file([member_cells()]), "../../../etc/cron.d/名单.xlsx")})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.file_name == "名单.xlsx"
    assert re.fullmatch(r"[0-9a-f]{32}\.xlsx", batch.stored_name)
    assert [p.name for p in leftover_files(media)] == [batch.stored_name]
    assert (media / "imports" / batch.stored_name).is_file()
    assert not list(media.parent.rglob("cron.d"))


def test_a_workbook_without_the_required_columns_is_reported_not_imported(personas: Personas, media: Path) -> None:
    content = corpus.workbook(["姓名", "备注"], [["张三", "x"]])
    response = post_import(api_client("officer_b1"), content, valid_only=True)
    assert response.status_code == 422
    body = response.json()
    missing = [p["column"] for p in body["problems"]]
    assert missing == ["身份证号", "人员类别", "入党日期", "党员状态", "所在支部"]
    assert all(p["row"] == 1 and p["message"] == "表头（第 1 行）缺少这一必填列。" for p in body["problems"])
    assert not ImportBatch.objects.exists()
