"""The disclosure list (收支公示) as an Excel workbook and as a printable Word document.

The Word document is rendered with docxtpl from an editable template: the newest active
:class:`~dangjian.dues.models.DisclosureTemplate` uploaded by committee staff, else the one
shipped in ``templates/dues/disclosure.docx`` (which they can download, edit in Word and upload).
"""

from __future__ import annotations

import io
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.excel import write_cell
from dangjian.dues.rules import Disclosure

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "dues" / "disclosure.docx"


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def context(d: Disclosure) -> dict[str, Any]:
    """The template variables (documented on the template upload screen)."""
    inc = d.income
    return {
        "org_name": d.org.name,
        "period": d.period_label,
        "generated_on": f"{timezone.localdate():%Y年%m月%d日}",
        "collected": yuan(inc.collected.amount),
        "received": yuan(inc.received.amount),
        "income_total": yuan(inc.total),
        "remit_percent": f"{inc.remit_percent}",
        "to_remit": yuan(inc.to_remit),
        "remitted": yuan(d.sent.amount),
        "retained": yuan(inc.retained),
        "care_fund_percent": f"{inc.care_fund_percent}",
        "care_fund": yuan(inc.care_fund),
        "due_total": yuan(d.due.amount),
        "within_total": yuan(d.within.amount),
        "within": [{"name": o.name, "amount": yuan(a)} for o, a in d.within_children],
        "members": [{"name": m.member.name, "months": m.months, "due": yuan(m.due), "paid": yuan(m.paid),
                     "balance": yuan(m.balance)} for m in d.members],
        "monthly": [{"month": f"{m.year}年{m.month}月", "amount": yuan(a)} for m, a in d.monthly],
        "children": [{"name": o.name, "amount": yuan(a)} for o, a in d.children],
        "spending": [{"name": c.name, "amount": yuan(a)} for c, a in d.spending],
        "spending_total": yuan(d.spending_total),
        "balance": yuan(d.balance),
    }


def summary_rows(d: Disclosure) -> list[tuple[str, Decimal | str]]:
    inc = d.income
    return [
        ("党组织", d.org.name), ("公示期间", d.period_label),
        ("所属党员交纳党费合计（含下级组织）", d.within.amount),
        ("应缴党费", d.due.amount), ("党员交纳党费", inc.collected.amount), ("下级上缴党费", inc.received.amount),
        ("党费收入合计", inc.total), (f"应向上级上缴（{inc.remit_percent}%）", inc.to_remit),
        ("已向上级上缴", d.sent.amount), ("留存党费", inc.retained),
        (f"其中暖心工程基金（{inc.care_fund_percent}%）", inc.care_fund),
        ("党费支出合计", d.spending_total), ("留存结余", d.balance),
    ]


def write_xlsx(d: Disclosure, path: str) -> None:
    """Summary, per-member, per-month and spending sheets; every list ends with its total."""
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#F2DEDE", "border": 1})
    money = wb.add_format({"num_format": "#,##0.00"})
    money_bold = wb.add_format({"num_format": "#,##0.00", "bold": True})

    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    heading = gettext("%(org)s dues income and spending disclosure (%(period)s)") % {
        "org": d.org.name, "period": d.period_label}

    def sheet(name: str, headers: list[str], rows: list[list[Any]], total: list[Any] | None) -> None:
        """Title row, header row with an autofilter, the rows, the 合计 row; numbers stay numbers."""
        ws = wb.add_worksheet(name)
        ws.set_column(0, 0, 26)
        ws.set_column(1, len(headers), 14)
        ws.set_row(0, 24)
        ws.merge_range(0, 0, 0, max(len(headers) - 1, 1), f"{heading} {name}", title_fmt)
        for c, h in enumerate(headers):
            ws.write_string(1, c, h, head)
        r = 1
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row):
                write_cell(ws, r, c, value if isinstance(value, Decimal | int) else str(value), money=money)
        ws.autofilter(1, 0, max(r, 2), len(headers) - 1)
        if total is not None:
            for c, value in enumerate(total):
                write_cell(ws, r + 1, c, value if isinstance(value, Decimal | int) else str(value),
                           money=money_bold, text=bold)
        ws.freeze_panes(2, 0)

    sheet("收支汇总", ["项目", "金额（元）"], [[k, v] for k, v in summary_rows(d)], None)
    zero = Decimal("0.00")
    sheet("党员交纳明细", ["姓名", "应缴月数", "应缴（元）", "实缴（元）", "差额（元）"],
          [[m.member.name, m.months, m.due, m.paid, m.balance] for m in d.members],
          ["合计", sum(m.months for m in d.members), sum((m.due for m in d.members), zero),
           sum((m.paid for m in d.members), zero), sum((m.balance for m in d.members), zero)])
    sheet("按月收缴", ["月份", "收缴（元）"], [[f"{m.year}年{m.month}月", a] for m, a in d.monthly],
          ["合计", sum((a for _m, a in d.monthly), zero)])
    if d.within_children:
        sheet("下级组织收缴", ["组织", "党员交纳（元）"], [[o.name, a] for o, a in d.within_children],
              ["合计", sum((a for _o, a in d.within_children), zero)])
    if d.children:
        sheet("下级上缴", ["组织", "上缴（元）"], [[o.name, a] for o, a in d.children],
              ["合计", sum((a for _o, a in d.children), zero)])
    sheet("支出明细", ["类别", "金额（元）"], [[c.name, a] for c, a in d.spending], ["合计", d.spending_total])
    wb.close()


def xlsx_bytes(d: Disclosure) -> bytes:
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="disclosure-")
    os.close(fd)
    try:
        write_xlsx(d, path)
        return Path(path).read_bytes()
    finally:
        os.unlink(path)


def template_source() -> Any:
    """The active uploaded template (a file object) or the built-in template path."""
    from dangjian.dues.models import DisclosureTemplate

    row = DisclosureTemplate.objects.filter(is_active=True).order_by("-id").first()
    if row is not None and row.file and row.file.storage.exists(row.file.name):
        return io.BytesIO(row.file.read())
    return str(DEFAULT_TEMPLATE)


def sandbox() -> Any:
    """Templates are uploaded by users: render them in Jinja's sandbox, never a plain environment
    (a plain one would let a template reach Python internals: server-side template injection)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True)


def render_docx(d: Disclosure, source: Any = None) -> bytes:
    from docxtpl import DocxTemplate

    doc = DocxTemplate(source or template_source())
    doc.render(context(d), jinja_env=sandbox(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


SAMPLE_CONTEXT = {
    "org_name": "示例党支部", "period": "2026年1月至2026年12月", "generated_on": "2026年12月31日",
    "collected": "0.00", "received": "0.00", "income_total": "0.00", "remit_percent": "100.00", "to_remit": "0.00",
    "remitted": "0.00", "retained": "0.00", "care_fund_percent": "60.00", "care_fund": "0.00", "due_total": "0.00",
    "within_total": "0.00", "within": [],
    "members": [{"name": "张三", "months": 12, "due": "0.00", "paid": "0.00", "balance": "0.00"}],
    "monthly": [{"month": "2026年1月", "amount": "0.00"}], "children": [], "spending": [],
    "spending_total": "0.00", "balance": "0.00",
}


def check_template(upload: Any) -> None:
    """Render an uploaded template with sample figures; ``ValueError`` with a Chinese reason if it fails."""
    from docxtpl import DocxTemplate

    from dangjian.core.imports import WORD_PARTS, ImportRefused, inspect_workbook

    try:  # the zip container is inspected before python-docx inflates any part (IO-04)
        inspect_workbook(upload, required_parts=WORD_PARTS)
    except ImportRefused as exc:
        raise ValueError(gettext("The template is not a valid Word document (.docx), or its content is abnormal; it was refused.")) from exc
    try:
        upload.seek(0)
        doc = DocxTemplate(io.BytesIO(upload.read()))
        doc.render(SAMPLE_CONTEXT, jinja_env=sandbox(), autoescape=True)
    except Exception as exc:  # noqa: BLE001  (any template error becomes a form error)
        raise ValueError(f"模板无法生成公示文档：{exc}") from exc


def build_default_template(path: Path = DEFAULT_TEMPLATE) -> None:
    """Write the built-in Word template (run once; the file is committed, users edit copies)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ org_name }}党费收支情况公示")
    run.bold = True
    run.font.size = Pt(18)
    doc.add_paragraph("公示期间：{{ period }}")
    doc.add_paragraph("所属党员交纳党费合计（含下级组织）：{{ within_total }} 元")
    doc.add_paragraph("一、党费收入")
    summary = doc.add_table(rows=1, cols=2)
    summary.style = "Table Grid"
    summary.rows[0].cells[0].text = "项目"
    summary.rows[0].cells[1].text = "金额（元）"
    for label, var in (("应缴党费", "due_total"), ("党员交纳党费", "collected"), ("下级上缴党费", "received"),
                       ("党费收入合计", "income_total"), ("应向上级上缴（{{ remit_percent }}%）", "to_remit"),
                       ("已向上级上缴", "remitted"), ("留存党费", "retained"),
                       ("其中暖心工程基金（{{ care_fund_percent }}%）", "care_fund")):
        cells = summary.add_row().cells
        cells[0].text = label
        cells[1].text = "{{ " + var + " }}"
    doc.add_paragraph("二、党费支出")
    spend = doc.add_table(rows=3, cols=2)
    spend.style = "Table Grid"
    spend.rows[0].cells[0].text = "类别"
    spend.rows[0].cells[1].text = "金额（元）"
    spend.rows[1].cells[0].text = "{%tr for s in spending %}"
    spend.rows[2].cells[0].text = "{{ s.name }}"
    spend.rows[2].cells[1].text = "{{ s.amount }}"
    spend.add_row().cells[0].text = "{%tr endfor %}"
    total = spend.add_row().cells
    total[0].text = "支出合计"
    total[1].text = "{{ spending_total }}"
    doc.add_paragraph("留存结余：{{ balance }} 元")
    doc.add_paragraph("三、党员交纳明细")
    members = doc.add_table(rows=3, cols=5)
    members.style = "Table Grid"
    for c, h in enumerate(("姓名", "应缴月数", "应缴（元）", "实缴（元）", "差额（元）")):
        members.rows[0].cells[c].text = h
    members.rows[1].cells[0].text = "{%tr for m in members %}"
    for c, var in enumerate(("name", "months", "due", "paid", "balance")):
        members.rows[2].cells[c].text = "{{ m." + var + " }}"
    members.add_row().cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("")
    sign = doc.add_paragraph("{{ org_name }}\n{{ generated_on }}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
