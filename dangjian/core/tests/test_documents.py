"""The shared official-document layout: A4 and its margins, the red header, 序号 and 合计, Chinese dates."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from dangjian.core.documents import OfficialDocument, cn_date


def test_an_official_document_on_a4_with_header_numbered_table_and_total() -> None:
    doc = OfficialDocument("党费收缴情况", issuer="中共某市公安局委员会", number="公党〔2026〕12号")
    rows = doc.table(["支部", "金额（元）"], [("一支部", "120.00"), ("二支部", "80.50")], total=["200.50"])
    doc.signature("中共某市公安局委员会", dt.date(2026, 12, 1))
    assert rows == 2
    read = Document(io.BytesIO(doc.to_bytes()))
    section = read.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin]
    assert [round(m.mm) if m is not None else None for m in sizes] == [210, 297, 37, 35, 28, 26]
    texts = [p.text for p in read.paragraphs]
    assert texts[:2] == ["中共某市公安局委员会", "公党〔2026〕12号"] and "党费收缴情况" in texts
    assert texts[-1] == "2026年12月1日"
    grid = [[c.text for c in row.cells] for row in read.tables[0].rows]
    assert grid == [["序号", "支部", "金额（元）"], ["1", "一支部", "120.00"], ["2", "二支部", "80.50"],
                    ["合计", "", "200.50"]]


def test_dates_read_the_chinese_way() -> None:
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert cn_date(None) == "—" and cn_date(None, empty="") == ""
