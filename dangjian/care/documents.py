"""The yearly fund statement for 公示: an Excel workbook (core's typed cells) and an A4 Word
document (python-docx) with the Chinese date and a 合计 (total) row.

Both are made from the same ``rules.FundStatement`` lines, so the numbers on the notice board
are the numbers on the screen. Beneficiaries appear by name, reason and amount only; their
circumstances never leave the application.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from dangjian.care.rules import FundStatement, reason_totals
from dangjian.core.documents import cn_date


def line_labels() -> dict[str, str]:
    return {
        "opening": gettext("Opening balance"),
        "dues_share": gettext("Share of retained dues (from the dues ledger)"),
        "donations": gettext("Donations"),
        "dues_spending": gettext("Care spending approved in the dues ledger"),
        "visits": gettext("Visits and condolences"),
        "closing": gettext("Closing balance"),
    }


def title(statement: FundStatement) -> str:
    return gettext("%(org)s care fund statement %(year)s") % {"org": statement.org.name, "year": statement.year}


def visit_rows(statement: FundStatement) -> list[list[Any]]:
    return [[v.visited_on, v.beneficiary.name, v.reason.name, v.amount, v.items, v.visitor]
            for v in statement.visits.entries.order_by("visited_on", "id")]


def visit_headers() -> list[str]:
    return [gettext("visit date"), gettext("beneficiary"), gettext("reason"), gettext("amount"),
            gettext("items given"), gettext("visited by")]


def statement_workbook(statement: FundStatement) -> bytes:
    import xlsxwriter

    from dangjian.core.excel import write_cell

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": "#,##0.00"})
    bold_money = wb.add_format({"num_format": "#,##0.00", "bold": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(gettext("Fund statement")[:31])
    ws.set_column(0, 0, 40)
    ws.set_column(1, 5, 16)
    ws.write_string(0, 0, title(statement), bold)
    labels = line_labels()
    r = 2
    for key, amount in statement.lines():
        write_cell(ws, r, 0, labels[key], text=bold if key == "closing" else None)
        write_cell(ws, r, 1, amount, money=bold_money if key == "closing" else money)
        r += 1
    r += 1
    for c, header in enumerate(visit_headers()):
        ws.write_string(r, c, header, bold)
    for row in visit_rows(statement):
        r += 1
        for c, value in enumerate(row):
            write_cell(ws, r, c, value, money=money, date=date)
    r += 1
    write_cell(ws, r, 0, gettext("Total"), text=bold)
    write_cell(ws, r, 3, statement.visits.amount, money=bold_money)
    wb.close()
    return buffer.getvalue()


def _cell(cell: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def statement_document(statement: FundStatement, today: dt.date | None = None) -> bytes:
    """The printable notice: A4, the fund's lines, the year's visits by reason with a 合计 row,
    the date in Chinese."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    style: Any = doc.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "SimSun"  # creates the run properties; East Asian text needs its own font slot
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title(statement))
    run.bold = True
    run.font.size = Pt(16)

    labels = line_labels()
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, amount in statement.lines():
        cells = table.add_row().cells
        _cell(cells[0], labels[key], bold=key == "closing")
        _cell(cells[1], yuan(amount), bold=key == "closing", right=True)

    doc.add_paragraph()
    doc.add_paragraph(gettext("Visits and condolences by reason"))
    by_reason = doc.add_table(rows=1, cols=3)
    by_reason.style = "Table Grid"
    for cell, header in zip(by_reason.rows[0].cells, (gettext("reason"), gettext("visits"), gettext("amount")),
                            strict=True):
        _cell(cell, header, bold=True)
    count = 0
    for reason, n, amount in reason_totals(statement):
        cells = by_reason.add_row().cells
        _cell(cells[0], reason.name)
        _cell(cells[1], str(n), right=True)
        _cell(cells[2], yuan(amount), right=True)
        count += n
    cells = by_reason.add_row().cells
    _cell(cells[0], gettext("Total"), bold=True)
    _cell(cells[1], str(count), bold=True, right=True)
    _cell(cells[2], yuan(statement.visits.amount), bold=True, right=True)

    doc.add_paragraph()
    footer = doc.add_paragraph(statement.org.name)
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = doc.add_paragraph(cn_date(today or timezone.localdate()))
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
