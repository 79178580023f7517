"""Documents of an inspection through the real client: the notice and the feedback letter (Word),
the rectification ledger and the 销号 list (Word and Excel), on A4 with Chinese dates; the target
sees only what it may (confirmed findings after feedback; never clues or working notes); another
branch gets 404."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from dangjian.core.testing.personas import Personas
from dangjian.supervision.models import WorkingNote
from dangjian.supervision.tests import fixtures as fx

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _setup(p: Personas) -> Any:
    insp = fx.team_inspection(p, feedback=True, team=(p.user("inspector_c1"),))
    shown = fx.finding(insp, text="支部委员会会议记录缺少决定事项")
    fx.finding(insp, confirmed=False, text="尚未核实的问题")
    fx.clue(insp, p.b2, summary="某民警违规收受礼金线索")
    WorkingNote(inspection=insp, text="谈话底稿：某某反映").save()
    open_item = fx.item(shown, p.members["m_b1"], content="补齐会议记录的决定事项", deadline=dt.date(2026, 7, 10))
    closed = fx.item(shown, p.members["m_b1"], content="建立会议记录审核制度", status="closed",
                     evidence="制度文件", signed_off_on=dt.date(2026, 6, 20), closed_on=dt.date(2026, 6, 20))
    return insp, open_item, closed


def test_the_four_documents_of_an_inspection(personas: Personas, client_for: Any) -> None:
    insp, open_item, closed = _setup(personas)
    team = client_for("inspector_c1")
    base = f"/supervision/inspections/{insp.pk}"
    notice = team.get(f"{base}/notice.docx")
    assert notice.status_code == 200 and notice["Content-Type"].endswith("wordprocessingml.document")
    body = b"".join(notice.streaming_content)
    section = Document(io.BytesIO(body)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    text = _text(body)
    assert personas.b1.name in text and "2026年3月10日" in text and "反腐倡廉" in text
    feedback = _text(b"".join(team.get(f"{base}/feedback.docx").streaming_content))
    assert "支部委员会会议记录缺少决定事项" in feedback and "尚未核实的问题" not in feedback
    assert "2026年6月10日" in feedback and "2026年7月10日" in feedback  # plan in 1 month, report in 2
    assert "礼金" not in feedback and "谈话底稿" not in feedback
    ledger = _text(b"".join(team.get(f"{base}/ledger.docx").streaming_content))
    assert open_item.content in ledger and closed.content in ledger and "逾期" in ledger  # past 2026-07-10
    closed_list = _text(b"".join(team.get(f"{base}/closed.docx").streaming_content))
    assert closed.content in closed_list and open_item.content not in closed_list and "2026年6月20日" in closed_list
    sheet = load_workbook(io.BytesIO(b"".join(team.get(f"{base}/ledger.xlsx").streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert list(values[2][:3]) == ["序号", "党组织", "问题及整改措施"]
    assert {r[2] for r in values[3:]} == {open_item.content, closed.content}
    assert int(sheet.page_setup.paperSize) == 9  # A4
    closed_sheet = load_workbook(io.BytesIO(b"".join(team.get(f"{base}/closed.xlsx").streaming_content))).active
    assert [r[2] for r in closed_sheet.iter_rows(min_row=4, values_only=True)] == [closed.content]
    assert team.get(f"{base}/other.docx").status_code == 404


def test_the_target_gets_what_it_may_see_and_another_branch_nothing(personas: Personas, client_for: Any) -> None:
    insp, open_item, _closed = _setup(personas)
    base = f"/supervision/inspections/{insp.pk}"
    target = client_for("officer_b1")
    feedback = _text(b"".join(target.get(f"{base}/feedback.docx").streaming_content))
    assert "支部委员会会议记录缺少决定事项" in feedback and "尚未核实的问题" not in feedback and "礼金" not in feedback
    assert open_item.content in _text(b"".join(target.get(f"{base}/ledger.docx").streaming_content))
    other = client_for("officer_b2")
    for path in ("notice.docx", "feedback.docx", "ledger.xlsx", "closed.docx"):
        assert other.get(f"{base}/{path}").status_code == 404
