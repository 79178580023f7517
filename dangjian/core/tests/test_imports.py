"""The import framework's own parts: cells, dates, names, and the hostile-file inspection that
runs before openpyxl (SECURITY.md IO-04). Whole imports are tested in tests/imports/."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from dangjian.core import checks
from dangjian.core.imports import (
    ImportField,
    ImportRefused,
    check_name_and_type,
    display_name,
    inspect_workbook,
    normalize_code,
    normalize_name,
    parse_date,
)
from dangjian.core.testing import imports as corpus

SUITE_EXEMPTIONS = {
    "core.importbatch": "reached only by its uploader through the import screens and the import API, whose "
                        "scoping, refusals and all-or-nothing writes are tested in tests/imports/",
}

JAN5 = dt.date(2020, 1, 5)


@pytest.mark.parametrize("value", [
    dt.datetime(2020, 1, 5),  # noqa: DTZ001  (Excel cells are naive)
    JAN5, 43835, 43835.0, "43835", "2020-01-05", "2020-1-5", "2020/1/5", "2020.1.5",
    "2020年1月5日", "2020年01月05日", "20200105", 20200105, "２０２０／１／５", " 2020-01-05 ", "2020-01-05 00:00:00",
])
def test_a_date_is_read_in_every_form_people_use(value: object) -> None:
    assert parse_date(value) == JAN5


@pytest.mark.parametrize("value", ["2020-13-01", "2020-02-30", "去年", "1/5/2020", "0", -3, 99999999999, "1850-01-01"])
def test_what_is_not_a_date_is_refused(value: object) -> None:
    with pytest.raises((ValueError, OverflowError)):
        parse_date(value)


def test_a_bad_date_gets_a_chinese_sentence() -> None:
    field = ImportField("born", "出生日期", kind="date")
    with pytest.raises(ValidationError) as exc:
        field.parse("去年")
    assert exc.value.messages == ["“出生日期”不是有效的日期，请按 2026-12-01 的格式填写。"]  # the forms' sentence


def test_numbers_are_made_half_width_and_names_keep_their_characters() -> None:
    assert normalize_code(" １１０１０１ １９８５０６１５００１Ｘ ") == "11010119850615001X"
    assert normalize_code(12345.0) == "12345"
    assert normalize_name(" 陳　國強 ") == "陳國強"  # full-width space between characters dropped, traditional kept
    assert normalize_name("买买提 ·艾力") == "买买提 ·艾力"
    assert normalize_name("Li  Lei") == "Li Lei"


def test_choices_accept_the_label_or_the_value() -> None:
    field = ImportField("gender", "性别", kind="choice", choices=(("M", "男"), ("F", "女")))
    assert field.parse(" 男 ") == "M" and field.parse("f") == "F" and field.parse(None) is None
    with pytest.raises(Exception) as exc:
        field.parse("男性")
    assert "男、女" in str(exc.value)


def test_display_name_is_never_a_path() -> None:
    assert display_name("../../etc/passwd.xlsx") == "passwd.xlsx"
    assert display_name("C:\\Users\\a\\名单.xlsx") == "名单.xlsx"
    assert display_name("a\x00b\x1f.xlsx") == "ab.xlsx"
    assert display_name("") == "upload.xlsx"


@pytest.mark.parametrize(("name", "content_type", "code"), [
    ("名单.xlsm", corpus.XLSX, "macro"),
    ("名单.xlsx", "application/vnd.ms-excel.sheet.macroEnabled.12", "macro"),
    ("名单.xls", "application/vnd.ms-excel", "not_xlsx"),
    ("名单.csv", "text/csv", "not_xlsx"),
    ("名单.exe", "application/octet-stream", "not_xlsx"),
])
def test_names_and_types_other_than_xlsx_are_refused(name: str, content_type: str, code: str) -> None:
    with pytest.raises(ImportRefused) as exc:
        check_name_and_type(name, content_type)
    assert exc.value.code == code


def test_a_plain_xlsx_name_passes() -> None:
    check_name_and_type("名单.XLSX", "application/octet-stream")


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "zip_bomb": (corpus.zip_bomb, "zip_bomb"),
    "ratio_bomb": (corpus.ratio_bomb, "zip_bomb"),
    "billion_laughs": (corpus.billion_laughs, "xml_dtd"),
    "renamed_exe": (corpus.renamed_exe, "not_xlsx"),
    "macro_workbook": (corpus.macro_workbook, "macro"),
    "truncated": (lambda: corpus.minimal()[:300], "not_xlsx"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_inspection_refuses_the_hostile_corpus_before_openpyxl(case: str, tmp_path: Path) -> None:
    make, code = HOSTILE[case]
    target = tmp_path / "upload.xlsx"
    target.write_bytes(make())
    with pytest.raises(ImportRefused) as exc:
        inspect_workbook(target)
    assert exc.value.code == code
    assert exc.value.message


def test_a_plain_workbook_passes_inspection(tmp_path: Path) -> None:
    target = tmp_path / "ok.xlsx"
    target.write_bytes(corpus.workbook(["姓名", "身份证号"], [["张三", "110101198506150011"]]))
    inspect_workbook(target)


def test_openpyxl_parses_through_defusedxml() -> None:
    """Behind the inspection, the parser itself refuses entity declarations (defense in depth)."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    assert checks.defusedxml_in_use()
    assert checks.spreadsheet_parser_is_defused() == []
    with pytest.raises(Exception) as exc:  # noqa: B017,PT011  (openpyxl wraps the parser's error)
        workbook = load_workbook(io.BytesIO(corpus.billion_laughs()), read_only=True)
        list(workbook.worksheets[0].iter_rows(values_only=True))
    chain: list[BaseException] = []
    error: BaseException | None = exc.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, DefusedXmlException) for e in chain), chain
