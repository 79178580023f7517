"""Large exports run as background jobs (issue 9): above ``DANGJIAN["EXPORT_JOB_ROWS"]`` rows the
export link of a list starts a job and answers at once with its progress page; the file is
downloadable by the user who asked only, holds exactly the rows of the immediate export, and
expires. A job whose user lost the right meanwhile fails with its Chinese error; a scope widened
meanwhile does not widen the file (the scope at the time of asking holds)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import RoleGrant
from dangjian.core import jobs
from dangjian.core.context import acting_as
from dangjian.core.jobs import maintenance
from dangjian.core.models import AuditEntry, Job
from dangjian.core.testing.personas import build_personas, make_member
from dangjian.core.testing.suites import export_rows
from tests.jobs.conftest import manage
from tests.jobs.test_worker import follow, job_of, login


def add_members(org: Any, n: int) -> None:
    with acting_as(None, reason="test data"):
        for _ in range(n):
            make_member(org)


def file_rows(client: Client, job_id: int) -> list[tuple[Any, ...]]:
    response = client.get(f"/jobs/{job_id}/file/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    return export_rows(response)


@pytest.fixture
def threshold(settings: Any) -> Any:
    settings.DANGJIAN = {**settings.DANGJIAN, "EXPORT_JOB_ROWS": 10}
    return settings


def test_a_large_export_from_the_screen_runs_as_a_job_with_progress(
        shared: dict[str, str], worker: Any, threshold: Any) -> None:
    p = build_personas()
    add_members(p.b1, 40)  # 42 rows in B1: above the threshold of 10
    client = login("officer_b1")
    confirm = client.get("/members/export.xlsx?status=full")  # a GET starts nothing: it asks first
    assert confirm.status_code == 200 and "导出 42 行" in confirm.content.decode() and not Job.objects.exists()
    started = time.monotonic()
    response = client.post("/members/export.xlsx?status=full")
    returned_in = time.monotonic() - started
    assert response.status_code == 302 and returned_in < 3, returned_in
    job_id = job_of(response["Location"])
    assert Job.objects.get(pk=job_id).status in ("queued", "running")
    seen = follow(client, job_id, timeout=120)
    assert seen[-1] == 100 and seen == sorted(seen), seen
    page = client.get(f"/jobs/{job_id}/").content.decode()
    assert 'id="job-file-link"' in page and "导出 42 行" in page and 'id="job-file-expiry"' in page
    in_background = file_rows(client, job_id)

    threshold.DANGJIAN = {**threshold.DANGJIAN, "EXPORT_JOB_ROWS": 1000}  # the same export, immediate
    immediate = client.get("/members/export.xlsx?status=full")
    assert immediate.status_code == 200
    assert in_background == export_rows(immediate) and len(in_background) == 42
    assert {row[0] for row in in_background} >= {"张三", "李四"} and "王五" not in {row[0] for row in in_background}
    job_entry = AuditEntry.objects.filter(event="export", source="job").get()
    assert job_entry.actor_id == p.user("officer_b1").pk and job_entry.changes["rows"] == 42

    other = login("officer_b2")
    for url in (f"/jobs/{job_id}/", f"/jobs/{job_id}/file/", f"/jobs/{job_id}/progress/"):
        assert other.get(url).status_code == 404


def test_a_revoked_right_fails_the_export_and_a_widened_scope_does_not_widen_it(
        shared: dict[str, str], threshold: Any) -> None:
    """No worker runs while the grants change; then one worker pass runs both jobs."""
    p = build_personas()
    add_members(p.b1, 9)
    add_members(p.b3, 9)
    officer, staff = login("officer_b1"), login("c1_staff")
    revoked = job_of(officer.post("/members/export.xlsx")["Location"])  # 11 rows of B1
    widened = job_of(staff.post("/members/export.xlsx")["Location"])  # 12 rows of C1 (B1 + B2)
    with acting_as(None, reason="test grants"):
        RoleGrant.objects.filter(user=p.user("officer_b1")).delete()
        RoleGrant.objects.create(user=p.user("c1_staff"), role="committee_staff", org=p.root)
    run = manage(shared, "worker", "--batch", "--no-startup-delay", "--no-reload")
    out, _ = run.communicate(timeout=120)
    assert run.returncode == 0, out

    failed = Job.objects.get(pk=revoked)
    assert failed.status == "failed" and not failed.result_file
    page = officer.get(f"/jobs/{revoked}/").content.decode()
    assert 'id="job-error"' in page and "无权导出" in page and 'id="job-file-link"' not in page
    assert officer.get(f"/jobs/{revoked}/file/").status_code == 404

    assert Job.objects.get(pk=widened).status == "succeeded"
    names = {row[0] for row in file_rows(staff, widened)}
    assert len(names) == 12 and "王五" in names and "赵六" not in names  # B3 was not in C1 when asked


def test_small_exports_stay_immediate_and_job_files_expire(client_for: Any, personas: Any, threshold: Any,
                                                           tmp_path: Path) -> None:
    threshold.MEDIA_ROOT = tmp_path / "media"
    client = client_for("officer_b1")
    small = client.get("/members/export.xlsx")
    assert small.status_code == 200 and len(export_rows(small)) == 2
    add_members(personas.b1, 10)
    response = client.post("/members/export.xlsx")  # the test profile runs the job inside the request
    job = Job.objects.get(pk=job_of(response["Location"]))
    assert job.status == "succeeded" and default_storage.exists(job.result_file)
    assert len(file_rows(client, job.pk)) == 12
    stored = job.result_file
    expires = dt.datetime.fromisoformat(job.result["file_expires"])
    assert dt.timedelta(hours=23) < expires - timezone.now() <= dt.timedelta(hours=24)  # EXPORT_FILE_HOURS
    Job.objects.filter(pk=job.pk).update(result={**job.result, "file_expires": (
        timezone.now() - dt.timedelta(minutes=1)).isoformat()})  # a day later (the session would be gone)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-file-link"' not in page and "文件已过期" in page
    expired = client.get(f"/jobs/{job.pk}/file/", follow=True)
    assert "文件已过期" in expired.content.decode() and default_storage.exists(stored)
    pruned = jobs.start(maintenance.prune_job_files, actor=None)
    assert pruned.status == "succeeded" and pruned.result["message"].startswith("已清理 1 个")
    assert not default_storage.exists(stored)
    assert Job.objects.get(pk=job.pk).result_file == ""
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
