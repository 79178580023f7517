"""The grade page, the table and the documents through the screens: scoped like every list."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.assessment.tests.conftest import YEAR, evaluate, live

pytestmark = pytest.mark.django_db


def test_a_branch_officer_sees_their_grade_and_not_another_branchs(p: Any, client_for: Any) -> None:
    evaluate(p.b1, "sec_lead", score=3)
    evaluate(p.b2, "sec_lead", score=2)
    live(p.b1)
    live(p.b2)
    own = client_for("officer_b1")
    page = own.get(f"/assessment/grades/org/{p.b1.pk}/?year={YEAR}")
    assert page.status_code == 200 and "line-points" in page.content.decode()
    assert own.get(f"/assessment/grades/org/{p.b2.pk}/?year={YEAR}").status_code == 404
    table = own.get(f"/assessment/grades/table/?year={YEAR}").content.decode()
    assert p.b1.name in table and p.b2.name not in table
    # nor the documents of the other branch, nor publishing for it
    assert own.get(f"/assessment/documents/result/{p.b2.pk}.docx?year={YEAR}").status_code == 404
    own.post("/assessment/grades/publish/", {"org": p.b1.pk, "year": YEAR, "decision_ref": "x"})
    from dangjian.assessment.models import GradeResult

    assert not GradeResult.objects.filter(state="published").exists()


def test_the_documents_download_as_word_and_excel(p: Any, client_for: Any) -> None:
    evaluate(p.b1, "sec_lead", score=3)
    live(p.b1)
    staff = client_for("c1_staff")
    for kind, pk in (("result", p.b1.pk), ("publicity", p.c1.pk)):
        for fmt in ("docx", "xlsx"):
            response = staff.get(f"/assessment/documents/{kind}/{pk}.{fmt}?year={YEAR}")
            assert response.status_code == 200, (kind, fmt)
            assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_org_page_section_shows_the_years(p: Any, client_for: Any) -> None:
    evaluate(p.b1, "sec_lead", score=3)
    live(p.b1)
    html = client_for("officer_b1").get(f"/assessment/grades/section/?org={p.b1.pk}").content.decode()
    assert str(YEAR) in html and "org-grades" in html
