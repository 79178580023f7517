"""Member import (SPEC F2; SECURITY.md IO-01, REL-06, DP-04): the row-by-row report, the
all-or-nothing write, valid-rows-only, the same file twice, scoping, audit, temp files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangjian.core import imports
from dangjian.core.models import AuditEntry, ImportBatch
from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.members.imports import MemberImporter
from dangjian.members.models import Member, id_number_index
from tests.imports.conftest import api_client, leftover_files, member_cells, member_file, post_import

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def zh(msgid: str) -> str:
    """A message of another module (model rules, ID checks), as the Chinese user reads it."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def problems(body: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    return [(p["sheet"], p["row"], p["column"], p["message"]) for p in body["problems"]]


def test_every_kind_of_bad_row_is_reported_exactly(personas: Personas, media: Path) -> None:
    born = dt.date(1988, 5, 4)
    good_id = valid_id_number(born, "M", seq=401)
    wrong_check = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    existing = personas.members["m_b1"]
    rows = [
        # 2: valid — traditional characters, full-width digits and stray spaces, three date spellings
        member_cells(姓名=" 陳 國強 ", 身份证号=" " + good_id.translate(FULL_WIDTH) + " ", 警号="Ｘ００１",
                     入党日期="2010/7/1", 转正日期="2011年7月1日", 党员状态=" 正式党员", 所在支部=" B1", 党小组="第一党小组"),
        member_cells(身份证号=wrong_check),  # 3: check digit
        member_cells(出生日期=dt.date(1988, 5, 5), 身份证号=valid_id_number(born, "M", seq=402)),  # 4: birth date
        member_cells(性别="女", 身份证号=valid_id_number(born, "M", seq=403)),  # 5: gender digit
        member_cells(入党日期="2010-13-01"),  # 6: not a date
        member_cells(所在支部="不存在的支部"),  # 7: unknown organization
        member_cells(所在支部="刑侦二大队党支部"),  # 8: the sibling branch, by name
        member_cells(身份证号=good_id),  # 9: same ID number as row 2
        member_cells(警号="X001"),  # 10: same police number as row 2
        member_cells(身份证号=existing.id_number, 出生日期=existing.birth_date),  # 11: ID already on the roll
        member_cells(警号=existing.police_number),  # 12: police number taken
        member_cells(转正日期=None),  # 13: full member without the date
        member_cells(身份证号=float(good_id[:-1] + "0")),  # 14: Excel turned the ID into a number
        member_cells(人员类别="协警"),  # 15: not a choice
        member_cells(姓名="  "),  # 16: required
        member_cells(入党日期="2099-01-01", 转正日期=None, 党员状态="预备党员"),  # 17: in the future
        member_cells(党小组="不存在的小组"),  # 18: group not in that branch
        [None] * 16,  # 19: empty rows are skipped
        member_cells(姓名="李　小四", 出生日期=None, 性别=None, 身份证号=valid_id_number(born, "F", seq=404),
                     入党日期=40360, 转正日期="20110701"),  # 20: valid — serial date, birth and gender from the ID
    ]
    response = post_import(api_client("officer_b1"), member_file(rows), dry_run=True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert problems(body) == [
        ("党员", 3, "身份证号", zh("The ID number's check digit is wrong; please check the number.")),
        ("党员", 4, "身份证号", zh("The birth date inside the ID number does not match the birth date entered.")),
        ("党员", 5, "身份证号", zh("The gender digit of the ID number does not match the gender entered.")),
        ("党员", 6, "入党日期", "“入党日期”不是有效的日期，请按 2026-12-01 的格式填写。"),
        ("党员", 7, "所在支部", "组织“不存在的支部”不存在或不在您的管理范围内。"),
        ("党员", 8, "所在支部", "组织“刑侦二大队党支部”不存在或不在您的管理范围内。"),
        ("党员", 9, "身份证号", "与本文件第 2 行的身份证号重复。"),
        ("党员", 10, "警号", "与本文件第 2 行的警号重复。"),
        ("党员", 11, "身份证号", zh("A member with this ID number already exists.")),
        ("党员", 12, "警号", "已有党员使用该警号。"),
        ("党员", 13, "转正日期", zh("A full member needs the date they became full.")),
        ("党员", 14, "身份证号", "Excel 把身份证号存成了数字，末几位可能已被改变；请把该列设为文本格式后重新填写。"),
        ("党员", 15, "人员类别", "所选“人员类别”不在可选范围内，请重新选择。可选：民警、辅警。"),
        ("党员", 16, "姓名", "请填写“姓名”。"),
        ("党员", 17, "入党日期", zh("This date is in the future (today is %(today)s).") % {"today": timezone.localdate().isoformat()}),
        ("党员", 18, "党小组", "在“刑侦一大队党支部”下找不到党小组“不存在的小组”。"),
    ]
    assert (body["total_rows"], body["valid_rows"], body["error_rows"], body["imported_rows"]) == (18, 2, 16, 0)
    assert body["code"] == "validated" and body["batch"] is None
    assert not ImportBatch.objects.exists() and not Member.objects.filter(name__in=["陳國強", "李小四"]).exists()
    assert leftover_files(media) == []


def test_an_all_valid_file_imports_every_row_audited(personas: Personas, media: Path) -> None:
    before = Member.objects.count()
    born = dt.date(1990, 2, 3)
    numbers = [valid_id_number(born, "F", seq=500 + i) for i in range(5)]
    rows = [member_cells(姓名=f"導入{i}", sex="F", birth=born, 身份证号=n) for i, n in enumerate(numbers)]
    rows[0][MemberImporter.fields.index(next(f for f in MemberImporter.fields if f.key == "group"))] = "B1G1"
    response = post_import(api_client("officer_b1"), member_file(rows))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["total_rows"], body["valid_rows"], body["imported_rows"]) == ("imported", 5, 5, 5)
    assert Member.objects.count() == before + 5
    created = list(Member.objects.filter(name__startswith="導入").order_by("name"))
    assert [m.name for m in created] == [f"導入{i}" for i in range(5)]  # traditional characters kept
    assert created[0].group == personas.g1 and all(m.org == personas.b1 for m in created)
    assert created[0].id_number_index == id_number_index(numbers[0])
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.status, batch.uploaded_by, batch.total_rows, batch.imported_rows) == (
        "members", "imported", personas.user("officer_b1"), 5, 5)
    assert batch.pk == body["batch"] and batch.sha256 == body["sha256"] and batch.stored_name == ""
    user = personas.user("officer_b1")
    entries = AuditEntry.objects.filter(object_type="members.member", event="create",
                                        object_id__in=[str(m.pk) for m in created])
    assert entries.count() == 5 and {e.actor_id for e in entries} == {user.pk}
    assert all(numbers[0] not in str(e.changes) for e in entries)  # ciphertext never copied, plaintext never logged
    summary = AuditEntry.objects.get(event="import", success=True)
    assert summary.actor_id == user.pk and summary.changes["imported"] == 5 and summary.changes["rows"] == 5
    from dangjian.core.audit import verify_chain

    assert verify_chain() is None
    assert leftover_files(media) == []


def test_rows_with_problems_write_nothing(personas: Personas, media: Path) -> None:
    client = api_client("officer_b1")
    before = (Member.objects.count(), AuditEntry.objects.count())
    rows = [member_cells(), member_cells(所在支部="B2"), member_cells()]
    response = post_import(client, member_file(rows))
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["valid_rows"], body["error_rows"], body["imported_rows"]) == ("invalid_rows", 2, 1, 0)
    assert (Member.objects.count(), AuditEntry.objects.count()) == before
    assert not ImportBatch.objects.exists()
    assert leftover_files(media) == []


def test_valid_only_imports_exactly_the_valid_rows(personas: Personas, media: Path) -> None:
    before = Member.objects.count()
    rows = [member_cells(姓名="有效甲"), member_cells(姓名="无效乙", 所在支部="B2"), member_cells(姓名="有效丙"),
            member_cells(姓名="无效丁", 人员类别="协警")]
    response = post_import(api_client("officer_b1"), member_file(rows), valid_only=True)
    assert response.status_code == 201
    assert response.json()["imported_rows"] == 2 and response.json()["error_rows"] == 2
    assert Member.objects.count() == before + 2
    assert set(Member.objects.filter(name__in=["有效甲", "无效乙", "有效丙", "无效丁"]).values_list("name", flat=True)) == {
        "有效甲", "有效丙"}
    batch = ImportBatch.objects.get()
    assert batch.valid_only and (batch.valid_rows, batch.error_rows, batch.imported_rows) == (2, 2, 2)


def test_the_same_file_twice_is_refused(personas: Personas, media: Path) -> None:
    client = api_client("c1_staff")
    content = member_file([member_cells(), member_cells()])
    assert post_import(client, content).status_code == 201
    count = Member.objects.count()
    again = post_import(client, content, name="改了名字.xlsx")
    assert again.status_code == 409
    assert again.json()["code"] == "already_imported" and "不能重复导入" in again.json()["detail"]
    dry = post_import(client, content, dry_run=True)
    assert dry.status_code == 409
    assert Member.objects.count() == count and ImportBatch.objects.count() == 1
    assert leftover_files(media) == []


def test_branch_officer_cannot_import_into_a_sibling_branch(personas: Personas, media: Path) -> None:
    before = Member.objects.count()
    response = post_import(api_client("officer_b1"), member_file([member_cells(所在支部="B2")]), valid_only=True)
    assert response.status_code == 422
    assert problems(response.json()) == [("党员", 2, "所在支部", "组织“B2”不存在或不在您的管理范围内。")]
    assert response.json()["code"] == "no_valid_rows"
    assert Member.objects.count() == before
    # the committee above both branches may
    assert post_import(api_client("c1_staff"), member_file([member_cells(所在支部="B2")])).status_code == 201


@pytest.mark.parametrize("persona", ["member_b1", "inspector_c1", "auditadmin"])
def test_users_who_may_not_add_members_get_404(personas: Personas, media: Path, persona: str, client_for: Any) -> None:
    response = post_import(api_client(persona), member_file([member_cells()]))
    assert response.status_code == 404
    web = client_for(persona)
    assert web.get("/members/import/").status_code == 404
    assert web.get("/members/import/template.xlsx").status_code == 404
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("fail_at", ["first", "middle", "last"])
def test_a_failure_at_any_row_leaves_nothing(personas: Personas, media: Path, fail_at: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """REL-06 in process: the write of row k raises; the rows before it (already flushed in
    batches of 3) are rolled back with it."""
    from dangjian.members import imports as member_imports

    monkeypatch.setattr(member_imports, "WRITE_BATCH", 3)
    rows = [member_cells() for _ in range(8)]
    k = {"first": 1, "middle": 5, "last": 8}[fail_at]
    real = imports.run.write_row
    calls = {"n": 0}

    def failing(importer: Any, row: Any) -> None:
        calls["n"] += 1
        if calls["n"] == k:
            raise RuntimeError("disk full")
        real(importer, row)

    monkeypatch.setattr(imports.run, "write_row", failing)
    before = (Member.objects.count(), AuditEntry.objects.count())
    stored = imports.store_upload(imports_upload(member_file(rows)))
    with pytest.raises(RuntimeError):
        imports.import_file(MemberImporter(personas.user("officer_b1")), stored)
    stored.remove()
    assert (Member.objects.count(), AuditEntry.objects.count()) == before
    assert not ImportBatch.objects.exists()


def imports_upload(content: bytes) -> Any:
    from dangjian.core.testing.imports import upload

    return upload(content)


def test_upload_temp_files_are_removed_after_success_and_failure(personas: Personas, media: Path,
                                                                 client_for: Any) -> None:
    """DP-04: with every upload spooled to disk, nothing is left after an import, a refused
    file, a report with problems, or a discarded staged upload."""
    from django.test import override_settings

    from dangjian.core.testing import imports as corpus

    client = api_client("officer_b1")
    web = client_for("officer_b1")
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0):
        assert post_import(client, member_file([member_cells()])).status_code == 201
        assert leftover_files(media) == []
        assert post_import(client, member_file([member_cells(所在支部="B2")])).status_code == 422
        assert leftover_files(media) == []
        assert post_import(client, corpus.billion_laughs()).status_code == 400
        assert leftover_files(media) == []
        staged = web.post("/members/import/", {"file": corpus.upload(member_file([member_cells()]))})
        assert len(leftover_files(media)) == 1  # the staged upload, until confirmed or discarded
        web.post(staged["Location"], {"action": "discard"})
        assert leftover_files(media) == []
        staged = web.post("/members/import/", {"file": corpus.upload(member_file([member_cells()]))})
        web.post(staged["Location"], {"action": "all"})
        assert leftover_files(media) == []
