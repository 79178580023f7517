"""The official reports: Word and PDF open, carry the Chinese text, and their numbers equal the
dashboard's; Excel too."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from dangjian.core.jobs.models import Job
from dangjian.dashboard import compose
from dangjian.dashboard.reports import build, pdf, statistics

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    from docx import Document

    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    return text, tables


def test_statistics_tables_count_every_member_once_per_table(city: Any) -> None:
    from dangjian.members.models import Member

    subtree = compose.subtree_for(city.user("root_staff"), None)
    on_roll = Member.objects.filter(org__path__startswith=city.root.path, is_active=True).count()
    for table in statistics.tables(subtree):
        if table.title != "年龄":  # members older than the last band's bound are outside the bands
            assert table.total == on_roll, table.title


def test_word_statistics_report_opens_and_matches_the_dashboard(city: Any, client_for: Any) -> None:
    client = client_for("root_staff")
    response = client.get(reverse("dashboard:report_file", args=["statistics", "docx"]))
    assert response.status_code == 200
    text, rows = _docx_text(b"".join(response.streaming_content))
    assert "党内统计表" in text and "年" in text and "月" in text  # title, 文号 and the Chinese date
    shown = {s.figure.key: s for s in compose.dashboard(city.user("root_staff"),
                                                        compose.subtree_for(city.user("root_staff"), None))}
    composition = shown["members_composition"].data
    by_label = {r[1]: r[2] for r in rows if len(r) >= 3}
    for item in composition.items:
        assert by_label[item.label] == str(item.value), item.label


def test_word_quarterly_report_carries_every_figure(city: Any, client_for: Any) -> None:
    response = client_for("root_staff").get(reverse("dashboard:report_file", args=["quarterly", "docx"]))
    text, rows = _docx_text(b"".join(response.streaming_content))
    user = city.user("root_staff")
    shown = compose.dashboard(user, compose.subtree_for(user, None))
    for s in shown:
        assert str(s.figure.title) in text
    pipeline = next(s for s in shown if s.figure.key == "development_pipeline")
    cells = {(r[1], r[2]) for r in rows if len(r) >= 3}
    for item in pipeline.data.items:
        assert (item.label, str(item.value)) in cells


def test_excel_bulletin_opens(city: Any, client_for: Any) -> None:
    from openpyxl import load_workbook

    response = client_for("root_staff").get(reverse("dashboard:report_file", args=["bulletin", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "通报" in str(sheet.cell(1, 1).value)


def test_reports_need_the_export_right(city: Any, client_for: Any) -> None:
    assert client_for("inspector_c1").get(reverse("dashboard:reports")).status_code == 404
    assert client_for("officer_b1").get(reverse("dashboard:reports")).status_code == 200


@pytest.mark.skipif(pdf.renderer() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (libreoffice-writer-nogui) or pdftotext (poppler-utils) not installed; "
                           ".ci/run installs them")
def test_pdf_report_is_rendered_by_a_job_and_matches_the_dashboard(city: Any, client_for: Any) -> None:
    client = client_for("root_staff")
    response = client.post(reverse("dashboard:report_pdf", args=["statistics"]))
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.SUCCEEDED, job.error
    with default_storage.open(job.result_file) as fh:
        content = fh.read()
    assert content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,  # noqa: S607
                          check=True).stdout.decode()
    assert "党内统计表" in text
    user = city.user("root_staff")
    report = build.build("statistics", user, compose.subtree_for(user, None))
    status = next(s for s in report.sections if s.heading == "党员状态")
    for label, _n in status.rows:
        assert label in text
    assert str(status.total[0]) in text  # type: ignore[index]
