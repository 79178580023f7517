"""Dues work as background jobs: the month's bills for every branch of a committee in one job,
and the arrears scan over the user's whole dues scope; both audited as the user, refused in
Chinese without scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.core import jobs
from dangjian.core.models import AuditEntry, Job
from dangjian.core.testing.personas import Personas
from dangjian.dues import jobs as dues_jobs
from dangjian.dues.models import DuesBill
from dangjian.dues.tests.conftest import assess

pytestmark = pytest.mark.django_db


def test_bills_for_every_branch_of_a_committee_in_one_job(personas: Personas) -> None:
    officer_b1, officer_b2 = personas.user("officer_b1"), personas.user("officer_b2")
    assess(officer_b1, personas.members["m_b1"], 2026, "4000.00")
    assess(officer_b1, personas.members["m_b1_2"], 2026, "3000.01")
    assess(officer_b2, personas.members["m_b2"], 2026, "5000.00")
    staff = personas.user("c1_staff")
    job = jobs.start(dues_jobs.generate_bills, actor=staff, params={"org": personas.c1.pk, "month": "2026-03-01"})
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert dict(job.result["figures"])["新建账单"] == 3
    assert set(DuesBill.objects.filter(month=dt.date(2026, 3, 1)).values_list("org__code", flat=True)) == {"B1", "B2"}
    entry = AuditEntry.objects.filter(event="generate_bills").latest("id")
    assert entry.actor_id == staff.pk and entry.source == "job"
    again = jobs.start(dues_jobs.generate_bills, actor=staff, params={"org": personas.c1.pk, "month": "2026-03-01"})
    assert dict(again.result["figures"])["新建账单"] == 0  # idempotent: existing bills are only brought up to date


def test_bills_refused_outside_the_scope(personas: Personas) -> None:
    job = jobs.start(dues_jobs.generate_bills, actor=personas.user("officer_b1"),
                     params={"org": personas.c2.pk, "month": "2026-03-01"})
    assert job.status == Job.Status.FAILED and "没有生成党费账单的权限" in job.error
    assert not DuesBill.objects.exists()


def test_the_arrears_scan_covers_the_scope_and_needs_one(personas: Personas, client_for: Any) -> None:
    job = jobs.start(dues_jobs.scan_arrears, actor=personas.user("c1_staff"), params={"as_of": "2026-09-30"})
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert "需提醒的党员" in client_for("c1_staff").get(f"/jobs/{job.pk}/").content.decode()
    refused = jobs.start(dues_jobs.scan_arrears, actor=personas.user("member_b1"), params={})
    assert refused.status == Job.Status.FAILED and "没有可扫描的党费管理范围" in refused.error


def test_the_dues_import_template_has_the_pay_items_as_columns(personas: Personas, client_for: Any) -> None:
    import io

    from openpyxl import load_workbook

    from dangjian.dues.models import PayItem

    response = client_for("officer_b1").get("/dues/import/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["党费基数"]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert headers[:3] == ["警号", "姓名", "党费类别"] and headers[-3:] == ["定额类别", "定额金额", "备注"]
    assert set(headers[3:-3]) == set(PayItem.objects.filter(is_active=True).values_list("name", flat=True))
