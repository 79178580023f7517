"""The points downloads: the ranking and the 公示 list in Excel (title row, 序号, numbers as
numbers) and the 公示 list as an A4 Word notice with a 合计 of the points, for the branch only."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import export_rows
from dangjian.points.models import Publication
from dangjian.points.tests.conftest import award, to_final

pytestmark = pytest.mark.django_db


def test_publication_and_ranking_downloads_carry_the_ledger_numbers(personas: Personas, client_for: Any) -> None:
    from docx import Document

    p, officer, member = personas, personas.user("officer_b1"), personas.user("member_b1")
    zhang = p.members["m_b1"]
    to_final(p, award(officer, zhang, "commitment_unkept", day=dt.date(2026, 3, 5)), member)  # -3
    publication = Publication.objects.get(org=p.b1, month=dt.date(2026, 3, 1))
    client = client_for("officer_b1")
    rows = export_rows(client.get(f"/points/publications/{publication.pk}/list.xlsx"))
    assert [(r[0], r[1], r[3]) for r in rows] == [("张三", "2026-03", -3)]
    doc = Document(io.BytesIO(b"".join(client.get(f"/points/publications/{publication.pk}/list.docx").streaming_content)))
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0][0] == "序号" and cells[1][1] == "张三" and cells[-1][0] == "合计" and cells[-1][4] == "-3"
    assert getattr(doc.sections[0].page_width, "mm", 0) == pytest.approx(210, abs=0.1)
    assert any("2026年4月1日" in para.text for para in doc.paragraphs)  # published on, in Chinese
    ranked = export_rows(client.get("/points/ranking.xlsx?year=2026"))
    assert ("张三" in [r[1] for r in ranked]) and all(isinstance(r[3], int | float) for r in ranked)
    assert client_for("officer_b2").get(f"/points/publications/{publication.pk}/list.docx").status_code == 404
