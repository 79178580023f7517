"""The import screens: the button on the list pages, the template, upload -> preview -> confirm
or discard, the downloadable report; the staged file lives only until the import ends."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from dangjian.core.models import ImportBatch
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import export_rows
from dangjian.members.imports import MemberImporter
from dangjian.members.models import Member
from tests.imports.conftest import HEADERS, leftover_files, member_cells, member_file


def upload(client: Any, content: bytes, url: str = "/members/import/", name: str = "党员名单.xlsx") -> Any:
    from dangjian.core.testing.imports import upload as as_file

    return client.post(url, {"file": as_file(content, name)})


def test_the_import_button_shows_only_to_users_who_may_add(personas: Personas, client_for: Any) -> None:
    officer = client_for("officer_b1").get("/members/").content.decode()
    assert 'id="import-link" href="/members/import/"' in officer and "导入" in officer
    assert 'id="import-link"' not in client_for("inspector_c1").get("/members/").content.decode()
    # organizations: committee staff may add, a branch officer may not
    assert 'href="/orgs/import/"' in client_for("c1_staff").get("/orgs/").content.decode()
    assert 'id="import-link"' not in client_for("officer_b1").get("/orgs/").content.decode()
    assert 'href="/accounts/grants/import/"' in client_for("secadmin").get("/accounts/grants/").content.decode()


def test_the_template_has_chinese_headers_drop_downs_and_instructions(personas: Personas, client_for: Any) -> None:
    response = client_for("officer_b1").get("/members/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["党员", "说明", "选项"]
    data, guide, options = workbook["党员"], workbook["说明"], workbook["选项"]
    assert [c.value for c in data[1]] == HEADERS
    assert options.sheet_state == "hidden"
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in data.data_validations.dataValidation}
    columns = {f.header: chr(ord("A") + i) for i, f in enumerate(MemberImporter.fields)}
    for header in ("性别", "人员类别", "学历", "党员状态"):
        assert validations[f"{columns[header]}2"].startswith("'选项'!$" + columns[header])
    assert [c.value for c in options[columns["性别"]]][1:3] == ["男", "女"]
    assert data.column_dimensions[columns["身份证号"]].number_format == "@"  # the ID column is text
    texts = [c.value for row in guide.iter_rows() for c in row if c.value]
    assert any("党员导入文件填写说明" in str(t) for t in texts)
    assert any("2020年1月5日" in str(t) for t in texts)
    example = next(i for i, row in enumerate(guide.iter_rows(values_only=True), start=1) if row[0] and "示例行" in row[0])
    assert [c.value for c in guide[example + 1]][:len(HEADERS)] == HEADERS
    sample = [c.value for c in guide[example + 2]][:len(HEADERS)]
    assert sample[0] == "张三" and len(sample[4]) == 18


def test_upload_preview_fix_and_confirm(personas: Personas, media: Path, client_for: Any) -> None:
    client = client_for("officer_b1")
    assert client.get("/members/import/").status_code == 200
    first = member_cells(姓名="预览甲")
    bad = member_file([first, member_cells(姓名="预览乙", 所在支部="B2")])
    response = upload(client, bad)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "staged" and (batch.total_rows, batch.valid_rows, batch.error_rows) == (2, 1, 1)
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "组织“B2”不存在或不在您的管理范围内。" in page and "预览甲" in page
    assert 'id="import-all"' not in page and 'id="import-valid"' in page
    id_number = first[HEADERS.index("身份证号")]
    assert id_number not in page and id_number[:4] + "*" * 10 + id_number[-4:] in page  # masked (DP-02)
    assert id_number not in str(ImportBatch.objects.get().preview)  # not stored in clear on the batch either
    report = client.get(f"/members/import/{batch.pk}/report.xlsx")
    assert export_rows(report) == [("党员", 3, "所在支部", "组织“B2”不存在或不在您的管理范围内。")]
    # confirming "all" while rows have problems is refused; nothing is written
    assert client.post(response["Location"], {"action": "all"}).status_code == 400
    assert not Member.objects.filter(name__startswith="预览").exists()
    # discard, fix the file, upload again, confirm
    assert client.post(response["Location"], {"action": "discard"}).status_code == 302
    assert ImportBatch.objects.get().status == "discarded" and leftover_files(media) == []
    fixed = member_file([member_cells(姓名="预览甲"), member_cells(姓名="预览乙")])
    response = upload(client, fixed)
    second = ImportBatch.objects.get(status="staged")
    assert 'id="import-all"' in client.get(response["Location"]).content.decode()
    done = client.post(response["Location"], {"action": "all"})
    assert done.status_code == 302 and done["Location"] == "/members/"
    assert set(Member.objects.filter(name__startswith="预览").values_list("name", flat=True)) == {"预览甲", "预览乙"}
    second.refresh_from_db()
    assert second.status == "imported" and second.imported_rows == 2 and second.stored_name == ""
    assert leftover_files(media) == []
    listed = client.get("/members/?q=预览").content.decode()
    assert "预览甲" in listed and "预览乙" in listed
    # the batch page now says so; confirming again does nothing
    assert client.post(response["Location"], {"action": "all"}).status_code == 302
    assert Member.objects.filter(name__startswith="预览").count() == 2


def test_valid_rows_only_from_the_screen(personas: Personas, media: Path, client_for: Any) -> None:
    client = client_for("officer_b1")
    response = upload(client, member_file([member_cells(姓名="部分甲"), member_cells(姓名="部分乙", 人员类别="协警")]))
    done = client.post(response["Location"], {"action": "valid"})
    assert done.status_code == 302
    assert list(Member.objects.filter(name__startswith="部分").values_list("name", flat=True)) == ["部分甲"]
    assert ImportBatch.objects.get().valid_only


def test_a_batch_is_reachable_only_by_its_uploader(personas: Personas, media: Path, client_for: Any) -> None:
    response = upload(client_for("officer_b1"), member_file([member_cells()]))
    url = response["Location"]
    other = client_for("c1_staff")
    assert other.get(url).status_code == 404
    assert other.post(url, {"action": "all"}).status_code == 404
    assert other.get(url + "report.xlsx").status_code == 404
    assert client_for("officer_b1").get(url.replace("/members/", "/orgs/")).status_code == 404  # officer: no org add
    assert ImportBatch.objects.get().status == "staged"


def test_the_same_file_is_refused_at_upload_once_imported(personas: Personas, media: Path, client_for: Any) -> None:
    client = client_for("officer_b1")
    content = member_file([member_cells()])
    client.post(upload(client, content)["Location"], {"action": "all"})
    again = upload(client, content)
    assert again.status_code == 400 and "不能重复导入" in again.content.decode()
    assert ImportBatch.objects.count() == 1 and leftover_files(media) == []


def test_a_staged_file_whose_rows_changed_meanwhile_is_not_imported(personas: Personas, media: Path,
                                                                   client_for: Any) -> None:
    client = client_for("officer_b1")
    cells = member_cells(姓名="竞争者")
    url = upload(client, member_file([cells]))["Location"]
    from dangjian.core.testing.personas import make_member

    make_member(personas.b1, police_number=cells[HEADERS.index("警号")])  # someone takes the police number
    response = client.post(url, {"action": "all"})
    assert response.status_code == 409
    assert "已有党员使用该警号。" in response.content.decode()
    assert not Member.objects.filter(name="竞争者").exists()
    assert ImportBatch.objects.get().status == "staged"


def test_member_export_masks_ids_and_keeps_formulas_as_text(personas: Personas, client_for: Any) -> None:
    """IO-04 / DP-02 on the export side: no full ID number, and =HYPERLINK(...) stays text."""
    member = personas.members["m_b1"]
    Member.objects.filter(pk=member.pk).update(name='=HYPERLINK("http://x","y")', job_title="+cmd|' /C calc'!A0")
    response = client_for("c1_staff").get("/members/export.xlsx")
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[2]]  # row 1 is the title, row 2 the header (序号 first)
    rows = [list(row) for row in sheet.iter_rows(min_row=3)]
    ids = [row[header.index("身份证号")].value for row in rows]
    assert all("*" in i for i in ids) and member.id_number not in str(ids)
    assert member.id_number_masked in ids
    name = header.index("姓名")
    hostile = next(row for row in rows if "HYPERLINK" in str(row[name].value))
    assert hostile[name].data_type == "s" and hostile[name].value == "'=HYPERLINK(\"http://x\",\"y\")"
    job = hostile[header.index("职务")]
    assert job.data_type == "s" and str(job.value).startswith("'+")
    assert not any(str(c.value).startswith("=") for row in rows for c in row if c.value is not None)


def test_staged_uploads_left_alone_are_discarded_after_a_day(personas: Personas, media: Path,
                                                             client_for: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    client = client_for("officer_b1")
    upload(client, member_file([member_cells()]))
    old = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    upload(client, member_file([member_cells()]))  # any upload sweeps stale ones
    old.refresh_from_db()
    assert old.status == "discarded" and old.stored_name == ""
    assert len(leftover_files(media)) == 1
    assert client.post(f"/members/import/{old.pk}/", {"action": "all"}).status_code == 302
    assert not Member.objects.filter(name="测试导入").exists()


def test_every_kind_has_a_template_with_its_drop_downs(personas: Personas, client_for: Any) -> None:
    cases = {
        ("c1_staff", "/orgs/import/template.xlsx"): ("党组织", "组织类别", ["党委", "党总支", "党支部", "党小组"]),
        ("secadmin", "/accounts/grants/import/template.xlsx"): ("角色授权", "角色", None),
        ("officer_b1", "/members/import/template.xlsx"): ("党员", "党员状态", ["预备党员", "正式党员"]),
    }
    for (persona, url), (sheet, header, labels) in cases.items():
        response = client_for(persona).get(url)
        assert response.status_code == 200, url
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == [sheet, "说明", "选项"]
        headers = [c.value for c in workbook[sheet][1]]
        column = chr(ord("A") + headers.index(header))
        offered = [c.value for c in workbook["选项"][column]][1:]
        offered = [v for v in offered if v]
        assert workbook[sheet].data_validations.dataValidation, url
        if labels:
            assert offered == labels
        else:
            assert "支部党务人员" in offered and "系统管理员" not in offered
