"""The job system with a real worker process (``manage.py worker``) and real scheduler
processes, over the test database (SQLite file or PostgreSQL) shared with the subprocesses.

- a 10,000-row member import started from the screen runs as a job: the upload returns at once,
  the progress rises to 100 %, the result pages show the report; the import itself too;
- a worker killed (SIGKILL) in the middle of an import leaves the database as it was, and the
  job is marked failed when a worker starts again;
- two scheduler processes started together start a due scheduled job once.
"""

from __future__ import annotations

import os
import re
import signal
import time
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone

from dangjian.core.models import AuditEntry, ImportBatch, Job, ScheduledTask
from dangjian.core.testing.imports import upload as as_file
from dangjian.core.testing.personas import PASSWORD, build_personas
from dangjian.members.models import Member
from tests.imports.conftest import member_file
from tests.imports.test_speed import rows as member_rows
from tests.jobs.conftest import manage


def login(name: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": name, "password": PASSWORD}).status_code == 302
    return client


def job_of(location: str) -> int:
    match = re.fullmatch(r"/jobs/(\d+)/", location)
    assert match, location
    return int(match.group(1))


def follow(client: Client, job_id: int, timeout: float = 300) -> list[int]:
    """Poll the progress fragment like the page does, until the job ends; the percentages seen."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fragment = client.get(f"/jobs/{job_id}/progress/?running=1", HTTP_HX_REQUEST="true").content.decode()
        status = re.search(r'data-status="(\w+)"', fragment).group(1)  # type: ignore[union-attr]
        seen.append(int(re.search(r'data-percent="(\d+)"', fragment).group(1)))  # type: ignore[union-attr]
        if status in ("succeeded", "failed"):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end: {seen[-5:]}")


def test_a_ten_thousand_row_import_from_the_screen_runs_as_a_job(shared: dict[str, str], worker: Any) -> None:
    build_personas()
    client = login("officer_b1")
    content = member_file(member_rows(10_000))
    before = Member.objects.count()
    started = time.monotonic()
    response = client.post("/members/import/", {"file": as_file(content, "万人名单.xlsx")})
    returned_in = time.monotonic() - started
    assert response.status_code == 302 and returned_in < 5, returned_in  # stored and inspected, not checked
    check = job_of(response["Location"])
    assert Job.objects.get(pk=check).status in ("queued", "running")
    seen = follow(client, check)
    assert seen[-1] == 100 and any(0 < p < 100 for p in seen), seen
    assert seen == sorted(seen)  # the bar only moves forward
    page = client.get(f"/jobs/{check}/").content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "staged" and (batch.total_rows, batch.valid_rows) == (10_000, 10_000)
    assert f'href="/members/import/{batch.pk}/"' in page
    preview = client.get(f"/members/import/{batch.pk}/").content.decode()
    assert 'id="count-valid">10000<' in preview and 'id="import-all"' in preview
    assert Member.objects.count() == before  # nothing written before the confirmation

    response = client.post(f"/members/import/{batch.pk}/", {"action": "all"})
    imported = job_of(response["Location"])
    seen = follow(client, imported)
    assert seen[-1] == 100 and any(0 < p < 100 for p in seen), seen
    done = client.get(f"/jobs/{imported}/").content.decode()
    assert "导入 10000 行" in done and 'id="job-result"' in done
    assert Member.objects.count() == before + 10_000
    assert ImportBatch.objects.get().status == "imported"
    assert "我的后台任务" in client.get("/jobs/").content.decode()
    for job in Job.objects.order_by("pk"):
        assert job.started_at and job.finished_at
        print(f"{job.title}: {(job.finished_at - job.started_at).total_seconds():.1f} s ({connection.vendor})")


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_failed(shared: dict[str, str], worker: Any) -> None:
    build_personas()
    client = login("officer_b1")
    # enough rows that writing them outlasts a few progress polls on an idle machine too
    # (2,000 rows were written between two polls: the test saw 100 % and killed nothing)
    response = client.post("/members/import/", {"file": as_file(member_file(member_rows(6_000)), "名单.xlsx")})
    assert follow(client, job_of(response["Location"]))[-1] == 100
    batch = ImportBatch.objects.get()
    members, entries = Member.objects.count(), AuditEntry.objects.exclude(object_type="core.job").count()
    response = client.post(f"/members/import/{batch.pk}/", {"action": "all"})
    job_id = job_of(response["Location"])
    deadline = time.monotonic() + 120
    percent = 0
    while percent < 70 and time.monotonic() < deadline:  # past 50 %: the rows are being written
        fragment = client.get(f"/jobs/{job_id}/progress/").content.decode()
        percent = int(re.search(r'data-percent="(\d+)"', fragment).group(1))  # type: ignore[union-attr]
        time.sleep(0.05)
    assert 50 < percent < 100, percent
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert Job.objects.get(pk=job_id).status == "running"  # nobody knows yet
    assert Member.objects.count() == members  # the open transaction died with the process
    assert AuditEntry.objects.exclude(object_type="core.job").count() == entries
    assert ImportBatch.objects.get().status == "staged"

    restarted = manage(shared, "worker", "--batch", "--no-startup-delay", "--no-reload")
    out, _ = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, out
    job = Job.objects.get(pk=job_id)
    assert job.status == "failed" and "中断" in job.error
    page = client.get(f"/jobs/{job_id}/").content.decode()
    assert 'id="job-error"' in page and "未作任何更改" in page
    assert Member.objects.count() == members


def test_two_schedulers_started_together_start_a_due_job_once(shared: dict[str, str]) -> None:
    ScheduledTask.objects.update(enabled=False)
    due = timezone.now() + timezone.timedelta(seconds=4)  # both processes are polling by then
    line = ScheduledTask.objects.create(name="race", title="清理会话", every_minutes=60, next_run_at=due,
                                        handler="dangjian.core.jobs.maintenance.clear_sessions")
    procs = [manage(shared, "scheduler", "--seconds", "9", "--interval", "0.05") for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert sum(out.count("started 清理会话") for out in outputs) == 1, outputs
    line.refresh_from_db()
    assert line.run_count == 1
    assert Job.objects.filter(scheduled=line).count() == 1
    run = manage(shared, "worker", "--batch", "--no-startup-delay", "--no-reload")
    out, _ = run.communicate(timeout=120)
    assert run.returncode == 0, out
    assert Job.objects.get(scheduled=line).status == "succeeded"
