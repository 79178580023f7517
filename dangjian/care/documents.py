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
from dangjian.core.documents import OfficialDocument


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


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def statement_document(statement: FundStatement, today: dt.date | None = None) -> bytes:
    """The printable notice (core ``OfficialDocument``: A4, 公文 margins and fonts): the fund's
    lines, the year's visits by reason with a 合计 row, the organization and the date in Chinese."""
    doc = OfficialDocument(title(statement))
    labels = line_labels()
    doc.fields([(labels[key], yuan(amount)) for key, amount in statement.lines()])
    doc.paragraph(gettext("Visits and condolences by reason"), bold=True, indent=False)
    totals = reason_totals(statement)
    doc.table([gettext("reason"), gettext("visits"), gettext("amount")],
              [[reason.name, n, yuan(amount)] for reason, n, amount in totals],
              total=[sum(n for _r, n, _a in totals), yuan(statement.visits.amount)])
    doc.signature(statement.org.name, today or timezone.localdate())
    return doc.to_bytes()
