"""Downloads: the ranking and the publication list as Excel, the 公示 list as a printable Word file."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext


def _workbook(title: str, headers: list[str], rows: Iterable[list[Any]], widths: list[int]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                      "constant_memory": True})
    sheet = wb.add_worksheet(title[:31])
    bold = wb.add_format({"bold": True})
    for col, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write(0, col, header, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    wb.close()
    return buffer.getvalue()


def ranking_workbook(year: int, org: Any, rows: Iterable[Any]) -> bytes:
    headers = [gettext("rank"), gettext("member"), gettext("branch"), gettext("balance"), gettext("base points"),
               gettext("sum of final entries"), gettext("pending points")]
    data = ([r.rank, r.member.name, r.org.name, r.score, r.base, r.ledger, r.pending] for r in rows)
    return _workbook(gettext("Points ranking %(year)s") % {"year": year}, headers, data, [8, 14, 30, 10, 10, 12, 12])


def _entry_row(e: Any) -> list[Any]:
    return [e.member.name, f"{e.month:%Y-%m}", e.rule.description, e.points, e.get_status_display(),
            e.evidence_label or e.note, e.capped_reason]


def publication_workbook(publication: Any, rows: list[Any]) -> bytes:
    headers = [gettext("member"), gettext("month"), gettext("rule"), gettext("points counted"), gettext("status"),
               gettext("evidence"), gettext("cap applied")]
    return _workbook(gettext("Points publication"), headers, (_entry_row(e) for e in rows),
                     [14, 10, 36, 10, 16, 36, 30])


def publication_document(publication: Any, rows: list[Any]) -> bytes:
    """The 公示 list to print and post: the branch, the month, every entry, the objection window."""
    from docx import Document

    doc = Document()
    doc.add_heading(str(publication), level=1)
    doc.add_paragraph(gettext("Published on %(published)s. Objections to the branch until %(until)s.")
                      % {"published": f"{publication.published_on:%Y-%m-%d}",
                         "until": f"{publication.window_ends_on:%Y-%m-%d}"})
    headers = [gettext("member"), gettext("month"), gettext("rule"), gettext("points counted"), gettext("status"),
               gettext("evidence"), gettext("cap applied")]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for entry in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, _entry_row(entry), strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
