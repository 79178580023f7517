"""Workbooks for import tests: well-formed ones built from rows, and a hostile corpus
(SECURITY.md IO-04: zip bomb, billion laughs, renamed executable, macro workbook, oversize)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "党员",
             text_columns: Sequence[int] = ()) -> bytes:
    """An .xlsx with ``headers`` in row 1 and ``rows`` below (cells typed as given)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    for col in text_columns:
        for cells in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            for cell in cells:
                cell.number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "导入.xlsx", content_type: str = XLSX) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _rezip(base: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of the workbook ``base`` with parts replaced or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def minimal() -> bytes:
    return workbook(["姓名"], [["张三"]])


def zip_bomb(expanded_mb: int = 120) -> bytes:
    """A real workbook plus one part of zeros that inflates ~1000x (small on the wire)."""
    return _rezip(minimal(), add={"xl/media/padding.bin": b"\0" * (expanded_mb * 1024 * 1024)})


def ratio_bomb() -> bytes:
    """Under the total size limit, but compressed ~1000:1 (the ratio check catches it)."""
    return _rezip(minimal(), add={"xl/media/padding.bin": b"\0" * (20 * 1024 * 1024)})


def billion_laughs() -> bytes:
    """A workbook whose sheet declares nested entities (entity expansion attack)."""
    lol = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return _rezip(minimal(), replace={"xl/worksheets/sheet1.xml": lol.encode()})


def renamed_exe() -> bytes:
    """A Windows executable's first bytes, to be uploaded as "名单.xlsx"."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 4096


def macro_workbook() -> bytes:
    """An .xlsm: a workbook carrying xl/vbaProject.bin and the macro-enabled content type."""
    base = minimal()
    with zipfile.ZipFile(io.BytesIO(base)) as src:
        types = src.read("[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return _rezip(base, replace={"[Content_Types].xml": types.encode()},
                  add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512})


def oversize(megabytes: int = 11) -> bytes:
    """Bigger than the 10 MB cap (stored, not compressed: the size on the wire is what counts)."""
    return _rezip(minimal(), add={"xl/media/photo.bin": b"\x01" * (megabytes * 1024 * 1024)},
                  compression=zipfile.ZIP_STORED)
