"""Word documents in the layout of official papers (公文): the shared document facility.

A module builds its printable documents (notices, approval forms, ledgers, 公示 lists) with
``OfficialDocument`` instead of setting up python-docx itself: A4 with the margins of GB/T 9704
(top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), 仿宋-style body at 三号 (16 pt) with the
title at 二号 (22 pt), an optional red header line with the issuing body and the document
number (文号), tables with a 序号 column and a 合计 row, and the issuing body and the date
written the Chinese way (2026年12月1日) at the foot.

Every string handed in is already translated by the caller; dates go through ``cn_date``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext, pgettext

#: Fonts of official documents; Word substitutes where they are missing (Noto CJK on Debian).
BODY_FONT = "FangSong"
TITLE_FONT = "SimHei"
RED = (0xC0, 0x00, 0x00)


def cn_date(day: dt.date | None, *, empty: str = "—") -> str:
    """2026年12月1日 (the way a date is read in Chinese), ``empty`` for no date."""
    if day is None:
        return empty
    return gettext("%(y)d-%(m)d-%(d)d") % {"y": day.year, "m": day.month, "d": day.day}


def _font(run: Any, name: str, size: float, *, bold: bool = False, color: tuple[int, int, int] | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)  # East Asian text takes this font, not the Latin one


class OfficialDocument:
    """One Word document on A4. Build it top to bottom, then ``to_bytes()``."""

    def __init__(self, title: str, *, issuer: str = "", number: str = "", landscape: bool = False) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        width, height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = BODY_FONT, Pt(16)
        if issuer:
            self._red_header(issuer, number)
        self.heading(title, size=22)

    # blocks ------------------------------------------------------------------------------------

    def _red_header(self, issuer: str, number: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        head = self.doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(head.add_run(issuer), TITLE_FONT, 26, bold=True, color=RED)
        if number:
            line = self.doc.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(line.add_run(number), BODY_FONT, 16)
        rule = self.doc.add_paragraph()  # the red line under the header (a bottom border)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "C00000")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        rule._p.get_or_add_pPr().append(borders)

    def heading(self, text: str, *, size: float = 16) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), TITLE_FONT, size, bold=True)

    def paragraph(self, text: str, *, bold: bool = False, indent: bool = True) -> None:
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)  # two characters
        _font(p.add_run(text), BODY_FONT, 16, bold=bold)

    def fields(self, rows: Sequence[tuple[Any, Any]]) -> None:
        """A two-column form (label, value), as on a 登记表 or an approval form."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            self._cell(cells[0], str(label), bold=True)
            self._cell(cells[1], "" if value is None else str(value))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, total: Sequence[Any] | None = None,
              numbered: bool = True) -> int:
        """A ruled table with a 序号 column (``numbered``) and an optional 合计 row (``total``:
        the cells after the label, aligned with ``headers[1:]``). Returns the number of rows."""
        heads = [pgettext("table", "No."), *headers] if numbered else list(headers)
        table = self.doc.add_table(rows=1, cols=len(heads))
        table.style = "Table Grid"
        for cell, head in zip(table.rows[0].cells, heads, strict=True):
            self._cell(cell, head, bold=True)
        count = 0
        for count, row in enumerate(rows, start=1):
            values = [count, *row] if numbered else list(row)
            for cell, value in zip(table.add_row().cells, values, strict=True):
                self._cell(cell, "" if value is None else str(value))
        if total is not None:
            values = [pgettext("table", "Total"), *([""] if numbered else []), *total][: len(heads)]
            values += [""] * (len(heads) - len(values))
            for cell, value in zip(table.add_row().cells, values, strict=True):
                self._cell(cell, "" if value is None else str(value), bold=True)
        return count

    def signature(self, issuer: str, day: dt.date | None) -> None:
        """The issuing body and the date, right-aligned at the foot."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.doc.add_paragraph()
        for text in (issuer, cn_date(day)):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(p.add_run(text), BODY_FONT, 16)

    @staticmethod
    def _cell(cell: Any, text: str, *, bold: bool = False) -> None:
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12, bold=bold)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(filename: str, content: bytes) -> Any:
    """A download of a built document (the file name may be Chinese)."""
    from django.http import FileResponse

    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=DOCX)
