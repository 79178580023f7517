"""Documents of an inspection, on A4 with dates written the Chinese way: the inspection notice
(督察通知), the feedback letter (反馈意见), the rectification ledger (整改台账) and the 销号 list of
closed items, as Word documents; the ledger and the 销号 list also as Excel workbooks.

Each builder takes rows the caller has already read in its scope (the feedback letter lists only
the confirmed findings the reader may see; clues and working notes are never part of a document).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext

from dangjian.core.documents import OfficialDocument, cn_date
from dangjian.supervision.models import Area7, Finding, Inspection, InspectionRectification


def _committee(inspection: Inspection) -> str:
    return inspection.round.plan.committee.name


def notice_document(inspection: Inspection, team: Sequence[str]) -> bytes:
    """督察通知: who is inspected, by whom, from when, and what the inspection looks at."""
    doc = OfficialDocument(gettext("Notice of political inspection of %(target)s") % {"target": inspection.target.name},
                           issuer=_committee(inspection))
    doc.paragraph(gettext("To the party committee of %(target)s:") % {"target": inspection.target.name}, indent=False)
    doc.paragraph(gettext(
        "Under the inspection plan %(plan)s, round %(round)s, an inspection team of %(committee)s will carry out a "
        "political inspection of your organization from %(day)s. The team is led by %(leader)s.") % {
        "plan": inspection.round.plan.title, "round": str(inspection.round), "committee": _committee(inspection),
        "day": cn_date(inspection.stationed_on or inspection.round.starts_on),
        "leader": inspection.leader.get_full_name() or inspection.leader.get_username()})
    if team:
        doc.paragraph(gettext("Team members: %(names)s.") % {"names": pgettext("list separator", ", ").join(team)})
    doc.paragraph(gettext(
        "The inspection looks at how the main responsibility for party building is carried out in seven areas: "
        "%(areas)s. It collects views through individual talks, document review, questionnaires and a democratic "
        "evaluation; please provide the documents the team asks for and arrange the talks.")
        % {"areas": pgettext("list separator", ", ").join(str(label) for _code, label in Area7.choices)})
    doc.signature(_committee(inspection), inspection.round.starts_on)
    return doc.to_bytes()


def feedback_document(inspection: Inspection, findings: Sequence[Finding], *, plan_due: dt.date,
                      report_due: dt.date) -> bytes:
    """反馈意见: the confirmed findings by area and the rectification deadlines."""
    doc = OfficialDocument(gettext("Feedback of the political inspection of %(target)s")
                           % {"target": inspection.target.name}, issuer=_committee(inspection))
    doc.paragraph(gettext("To the party committee of %(target)s:") % {"target": inspection.target.name}, indent=False)
    doc.paragraph(gettext("The inspection team of %(committee)s gives the following feedback on %(day)s.")
                  % {"committee": _committee(inspection), "day": cn_date(inspection.feedback_on)})
    by_area: dict[str, list[Finding]] = {}
    for finding in findings:
        by_area.setdefault(finding.area, []).append(finding)
    number = 0
    for code, label in Area7.choices:
        rows = by_area.get(code)
        if not rows:
            continue
        doc.paragraph(str(label), bold=True, indent=False)
        for finding in rows:
            number += 1
            doc.paragraph(f"{number}. {finding.text}")
    if not number:
        doc.paragraph(gettext("No findings were confirmed."))
    doc.paragraph(gettext(
        "Submit the rectification plan by %(plan)s and the rectification report by %(report)s; every item is "
        "closed only with its evidence and the inspector's sign-off.")
        % {"plan": cn_date(plan_due), "report": cn_date(report_due)})
    doc.signature(_committee(inspection), inspection.feedback_on or timezone.localdate())
    return doc.to_bytes()


LEDGER_WIDTHS = (6, 24, 50, 12, 12, 16, 30, 12, 12)


def _ledger_headers() -> list[str]:
    return [pgettext("row number", "No."), gettext("organization"), gettext("problem and measure"), gettext("responsible"),
            gettext("deadline"), gettext("status"), gettext("evidence"), gettext("signed off on"),
            gettext("times reopened")]


def _ledger_row(n: int, item: InspectionRectification) -> list[Any]:
    status = item.get_status_display()
    if item.is_overdue:
        status = gettext("%(status)s (overdue)") % {"status": status}
    return [n, item.org.name, item.content, item.owner.name, cn_date(item.deadline), status, item.evidence,
            cn_date(item.signed_off_on), item.reopened]


def _titles(inspection: Inspection, closed: bool) -> str:
    if closed:
        return gettext("Closed rectification items of %(target)s") % {"target": inspection.target.name}
    return gettext("Rectification ledger of %(target)s") % {"target": inspection.target.name}


def ledger_document(inspection: Inspection, items: Sequence[InspectionRectification], *, closed: bool) -> bytes:
    """整改台账 (every item) or the 销号 list (closed items), landscape A4."""
    doc = OfficialDocument(_titles(inspection, closed), landscape=True)
    doc.paragraph(gettext("Inspection: %(inspection)s. As of %(day)s: %(n)s items.")
                  % {"inspection": str(inspection), "day": cn_date(timezone.localdate()), "n": len(items)}, indent=False)
    doc.table(_ledger_headers()[1:], (_ledger_row(n, item)[1:] for n, item in enumerate(items, start=1)))
    return doc.to_bytes()


def ledger_workbook(inspection: Inspection, items: Sequence[InspectionRectification], *, closed: bool) -> bytes:
    import xlsxwriter

    from dangjian.core.excel import write_cell

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = wb.add_worksheet(gettext("Rectification")[:31])
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, _titles(inspection, closed), wb.add_format({"bold": True, "font_size": 14}))
    for col, (header, width) in enumerate(zip(_ledger_headers(), LEDGER_WIDTHS, strict=True)):
        sheet.set_column(col, col, width, wrap)
        sheet.write(2, col, header, bold)
    for r, item in enumerate(items, start=3):
        for col, value in enumerate(_ledger_row(r - 2, item)):
            write_cell(sheet, r, col, value)
    sheet.repeat_rows(2)
    wb.close()
    return buffer.getvalue()
