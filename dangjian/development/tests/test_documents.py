"""The member file's Word documents: what each says, A4, masked ID number, scoped and audited."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from dangjian.core.models import AuditEntry
from dangjian.development.choices import StepKind as K
from dangjian.development.tests.conftest import open_case, walk

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def download(client: Any, case: Any, kind: str) -> str:
    response = client.get(f"/development/{case.pk}/documents/{kind}.docx")
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    return text_of(b"".join(response.streaming_content))


def test_the_documents_follow_the_recorded_steps(p: Any, client_for: Any) -> None:
    case = walk(p, open_case(p), until=K.POLITICAL_REVIEW)
    client = client_for("officer_b1")
    page = client.get(f"/development/{case.pk}/").content.decode()
    assert "入党志愿书基本信息表" in page and "发展党员公示" in page and "预备党员转正审批表" not in page
    assert client.get(f"/development/{case.pk}/documents/conversion.docx").status_code == 404  # no vote yet

    sheet = download(client, case, "application")
    assert "申请人" in sheet and "2024年1月10日" in sheet and "2024年3月1日" in sheet  # applied, activist
    assert case.id_number not in sheet and case.id_number_masked in sheet
    notice = download(client, case, "publicity")
    assert "2025年3月2日" in notice and "现予公示" in notice and p.b1.name in notice

    walk(p, case, since=K.POLITICAL_REVIEW)
    case.refresh_from_db()
    review = download(client, case, "political_review")
    assert "2025年3月20日" in review and "合格" in review
    form = download(client, case, "conversion")
    assert "应到会有表决权的党员 2 名，实到 2 名，赞成 2 票" in form
    assert "2026年5月10日" in form and "2026年6月1日" in form and "按期转正" in form
    assert AuditEntry.objects.filter(event="export", object_id=str(case.pk)).count() == 4


def test_documents_of_another_branch_and_for_read_only_roles_are_not_found(p: Any, client_for: Any) -> None:
    case = walk(p, open_case(p), until=K.CANDIDATE)
    assert client_for("officer_b2").get(f"/development/{case.pk}/documents/application.docx").status_code == 404
    assert client_for("inspector_c1").get(f"/development/{case.pk}/documents/application.docx").status_code == 404
    assert client_for("officer_b1").get(f"/development/{case.pk}/documents/unknown.docx").status_code == 404
    assert not AuditEntry.objects.filter(event="export", object_id=str(case.pk)).exists()
