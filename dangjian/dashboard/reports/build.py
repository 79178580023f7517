"""The three reports as data (sections of paragraphs and tables), rendered to Word, Excel and PDF.

A report is built once per request or job; Word goes through core.documents.OfficialDocument
(A4, red header, 文号, date in Chinese), Excel through core.excel.write_xlsx (one sheet, each
table's rows under its title), PDF through pdf.docx_to_pdf of the same Word file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, pgettext

from dangjian.core.documents import OfficialDocument, cn_date
from dangjian.core.figures import FigureData, Subtree
from dangjian.dashboard import compose
from dangjian.dashboard.reports import statistics

KINDS = ("statistics", "quarterly", "bulletin")


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    headers: Sequence[str] = ()
    rows: list[Sequence[Any]] = field(default_factory=list)
    total: Sequence[Any] | None = None


@dataclass
class Report:
    kind: str
    title: str
    issuer: str
    number: str
    day: dt.date
    sections: list[Section]


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _figure_section(title: str, data: FigureData) -> Section:
    section = Section(heading=str(title))
    if data.headline:
        section.paragraphs.append(gettext("; ").join(
            f"{item.label}{gettext(': ')}{item.value}"
            + (gettext(" (%(note)s)") % {"note": item.note} if item.note else "")
            for item in data.headline))
    if data.items:
        section.headers = (pgettext("dashboard", "Item"), pgettext("dashboard", "Figure"), pgettext("dashboard", "Note"))
        section.rows = [(item.label, item.value, item.note) for item in data.items]
    return section


def build(kind: str, user: Any, subtree: Subtree) -> Report:
    """The report ``kind`` of ``subtree`` as ``user`` sees it (figures the user may not see are
    left out, as on the dashboard)."""
    day = subtree.today
    issuer = subtree.name
    year, quarter = day.year, _quarter(day)
    if kind == "statistics":
        sections = []
        for table in statistics.tables(subtree):
            sections.append(Section(heading=table.title, headers=(table.title, gettext("Members")),
                                    rows=[(label, n) for label, n in table.rows], total=[table.total]))
        title = gettext("Party statistics tables of %(year)d") % {"year": year}
        number = gettext("%(org)s statistics (%(year)d) No. 1") % {"org": subtree.name[:4], "year": year}
        lead = gettext("Members on the roll at %(date)s, by the categories of the yearly party statistics.") % {
            "date": cn_date(day)}
        sections.insert(0, Section(heading=gettext("Explanation"), paragraphs=[lead]))
        return Report(kind, title, issuer, number, day, sections)
    shown = compose.dashboard(user, subtree)
    if kind == "quarterly":
        title = gettext("Party work report for quarter %(q)d of %(year)d") % {"q": quarter, "year": year}
        number = gettext("%(org)s report (%(year)d) No. %(q)d") % {"org": subtree.name[:4], "year": year, "q": quarter}
        lead = gettext("The party work of %(org)s up to %(date)s, in the figures of the dashboard.") % {
            "org": subtree.name, "date": cn_date(day)}
        sections = [Section(heading=gettext("Overview"), paragraphs=[lead])]
        sections += [_figure_section(s.figure.title, s.data) for s in shown]
        return Report(kind, title, issuer, number, day, sections)
    if kind == "bulletin":
        keys = ("meetings_compliance", "meetings_compliance_units", "supervision_inspections",
                "supervision_rectification")
        picked = [s for s in shown if s.figure.key in keys or s.figure.area in ("meetings", "inspection")]
        title = gettext("Bulletin on meeting compliance and inspection results (%(year)d)") % {"year": year}
        number = gettext("%(org)s bulletin (%(year)d) No. %(q)d") % {"org": subtree.name[:4], "year": year, "q": quarter}
        lead = gettext("The compliance of the required meetings and the results of inspections and rectification "
                       "of %(org)s up to %(date)s are circulated as follows.") % {"org": subtree.name, "date": cn_date(day)}
        sections = [Section(heading=gettext("Overview"), paragraphs=[lead])]
        sections += [_figure_section(s.figure.title, s.data) for s in picked]
        return Report(kind, title, issuer, number, day, sections)
    raise ValueError(kind)


def to_docx(report: Report) -> bytes:
    doc = OfficialDocument(report.title, issuer=report.issuer, number=report.number)
    for section in report.sections:
        doc.heading(section.heading)
        for text in section.paragraphs:
            doc.paragraph(text)
        if section.headers:
            doc.table(list(section.headers), section.rows, total=section.total)
    doc.signature(report.issuer, report.day)
    return doc.to_bytes()


class _Col:
    def __init__(self, header: str, index: int, width: int = 24) -> None:
        self.header, self.index, self.width = header, index, width

    def value(self, row: Sequence[Any]) -> Any:
        return row[self.index] if self.index < len(row) else ""


def to_xlsx(report: Report) -> bytes:
    """One sheet: each row names its table, then the item, its figure and its note."""
    from dangjian.core.excel import write_xlsx

    columns = [_Col(pgettext("dashboard", "Table"), 0), _Col(pgettext("dashboard", "Item"), 1), _Col(pgettext("dashboard", "Figure"), 2, 12),
               _Col(pgettext("dashboard", "Note"), 3, 16)]
    rows: list[Sequence[Any]] = []
    for section in report.sections:
        for row in section.rows:
            rows.append((section.heading, *row, *([""] * (3 - len(row)))))
        if section.total is not None:
            rows.append((section.heading, gettext("Total"), *section.total))
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="report-")
    os.close(fd)
    try:
        write_xlsx(path, report.title[:31], columns, rows, title=report.title)
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def to_pdf(report: Report) -> bytes:
    from dangjian.dashboard.reports.pdf import docx_to_pdf

    return docx_to_pdf(to_docx(report))


def file_name(report: Report, fmt: str) -> str:
    return f"{report.title}.{fmt}"
