"""The job facility in process (the test profile's immediate backend runs a job inside the
request that starts it): result page, file, scope, audit, failure rolls back, stale jobs, the
scheduler's claim."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from typing import Any

import pytest
from django.utils import timezone

from dangjian.core import jobs
from dangjian.core.jobs import progress, schedule
from dangjian.core.models import AuditEntry, Job, ScheduledTask
from dangjian.orgs.models import Organization
from tests.jobs import handlers

pytestmark = pytest.mark.django_db


def start(user: Any, handler: Any, **params: Any) -> Job:
    return jobs.start(handler, actor=user, params=params)


def test_a_finished_job_shows_its_result_and_file_to_its_owner_only(personas: Any, client_for: Any) -> None:
    user = personas.user("c1_staff")
    job = start(user, handlers.rename, org=personas.b1.pk, name="刑侦一大队第一党支部")
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert Organization.objects.get(pk=personas.b1.pk).name == "刑侦一大队第一党支部"
    client = client_for("c1_staff")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-percent="100"' in page and "renamed to 刑侦一大队第一党支部" in page and 'id="job-file-link"' in page
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == "刑侦一大队第一党支部".encode()
    assert job.title in client.get("/jobs/").content.decode()
    other = client_for("officer_b1")
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/file/"):
        assert other.get(url).status_code == 404
    assert job.title not in other.get("/jobs/").content.decode()


def test_start_and_end_are_audited_and_the_work_runs_as_the_user(personas: Any) -> None:
    user = personas.user("c1_staff")
    job = start(user, handlers.rename, org=personas.b2.pk, name="改名后")
    events = {(e.event, e.actor_id, e.source) for e in AuditEntry.objects.filter(object_type="core.job",
                                                                               object_id=str(job.pk))}
    assert ("job_start", user.pk, "system") in events and ("job_done", user.pk, "job") in events
    change = AuditEntry.objects.filter(object_type="orgs.organization", object_id=str(personas.b2.pk),
                                       event="update").latest("id")
    assert change.actor_id == user.pk and change.source == "job" and change.reason == job.title


def test_a_refused_job_shows_its_chinese_error_and_changes_nothing(personas: Any, client_for: Any) -> None:
    user = personas.user("c1_staff")
    entries = AuditEntry.objects.count()
    job = start(user, handlers.rename_then_refuse, org=personas.b1.pk, name="不该留下")
    assert job.status == Job.Status.FAILED and job.error == "该组织本月已生成账单，不能重复执行。"
    assert Organization.objects.get(pk=personas.b1.pk).name == personas.b1.name
    assert AuditEntry.objects.count() == entries + 2  # only the job's own start and end
    page = client_for("c1_staff").get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-error"' in page and "该组织本月已生成账单" in page


def test_an_unexpected_error_fails_the_job_with_a_generic_message(personas: Any, caplog: Any) -> None:
    job = start(personas.user("c1_staff"), handlers.crash, org=personas.b1.pk)
    assert job.status == Job.Status.FAILED and "disk on fire" not in job.error and "内部错误" in job.error
    assert Organization.objects.get(pk=personas.b1.pk).name == personas.b1.name
    assert "disk on fire" in caplog.text  # the traceback went to the log


def test_a_row_naming_a_function_that_is_not_a_job_is_not_run(personas: Any) -> None:
    row = Job.objects.create(handler="tests.jobs.handlers.not_a_job", title="x", user=personas.user("c1_staff"))
    jobs.execute(row.pk)
    row.refresh_from_db()
    assert row.status == Job.Status.FAILED


def test_the_progress_fragment_reads_the_live_progress(personas: Any, client_for: Any) -> None:
    user = personas.user("c1_staff")
    row = Job.objects.create(handler="tests.jobs.handlers.rename", title="running", user=user,
                             status=Job.Status.RUNNING, started_at=timezone.now())
    progress.write(row.pk, done=37, total=100, stage="正在检查")
    fragment = client_for("c1_staff").get(f"/jobs/{row.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-percent="37"' in fragment and "正在检查" in fragment and "hx-get" in fragment


def test_a_running_job_of_a_dead_worker_is_marked_failed(personas: Any) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    user = personas.user("c1_staff")
    mine = Job.objects.create(handler="tests.jobs.handlers.rename", title="killed", user=user,
                              status=Job.Status.RUNNING, started_at=timezone.now(),
                              worker=f"{socket.gethostname()}:{dead.pid}")
    alive = Job.objects.create(handler="tests.jobs.handlers.rename", title="alive", user=user,
                               status=Job.Status.RUNNING, started_at=timezone.now(),
                               worker=f"{socket.gethostname()}:{os.getpid()}")
    elsewhere = Job.objects.create(handler="tests.jobs.handlers.rename", title="other node", user=user,
                                   status=Job.Status.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1),
                                   worker="another-node:1")
    assert jobs.recover_stale(this_host_only=True) == 1
    assert Job.objects.get(pk=mine.pk).status == Job.Status.FAILED
    assert "中断" in Job.objects.get(pk=mine.pk).error
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert Job.objects.get(pk=elsewhere.pk).status == Job.Status.RUNNING
    assert jobs.recover_stale() == 1  # no heartbeat from the other node for an hour
    assert Job.objects.get(pk=elsewhere.pk).status == Job.Status.FAILED


def test_the_scheduler_claims_a_due_line_once_and_moves_it_on(personas: Any) -> None:
    ScheduledTask.objects.update(enabled=False)
    now = timezone.now()
    line = ScheduledTask.objects.create(name="t_clear", title="清理会话", every_minutes=60, next_run_at=now,
                                        handler="dangjian.core.jobs.maintenance.clear_sessions")
    stale_copy = ScheduledTask.objects.get(pk=line.pk)
    started = schedule.tick(now)
    assert [j.scheduled_id for j in started] == [line.pk] and started[0].status == Job.Status.SUCCEEDED
    assert schedule.tick(now) == []  # not due any more
    assert not schedule.claim(stale_copy, now)  # a second process that read the line before the claim
    line.refresh_from_db()
    assert line.run_count == 1 and line.next_run_at == now + dt.timedelta(minutes=60)


def test_a_scheduled_line_naming_no_job_handler_is_skipped(personas: Any) -> None:
    ScheduledTask.objects.update(enabled=False)
    ScheduledTask.objects.create(name="t_bad", title="坏的", every_minutes=5, next_run_at=timezone.now(),
                                 handler="os.system")
    assert schedule.tick() == []
    assert not Job.objects.exists()


def test_the_seeded_schedule_runs_the_housekeeping(personas: Any) -> None:
    from dangjian.core.models import IdempotencyRecord

    old = IdempotencyRecord.objects.create(user_id=1, key="k", method="POST", path="/x", request_hash="h")
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    fresh = IdempotencyRecord.objects.create(user_id=1, key="k2", method="POST", path="/x", request_hash="h")
    started = schedule.tick(timezone.now() + dt.timedelta(minutes=1))
    names = {j.scheduled.name for j in started if j.scheduled}
    assert {"clear_sessions", "prune_idempotency", "purge_stale_imports", "recover_stale_jobs", "prune_jobs",
            "prune_job_files"} <= names
    assert all(j.status == Job.Status.SUCCEEDED for j in started), [(j.title, j.error) for j in started]
    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert "dues_arrears_scan" not in names  # off until an account is set to run it as


def test_polling_the_progress_does_not_extend_the_session(personas: Any, client_for: Any) -> None:
    from django.conf import settings
    from django.contrib.sessions.models import Session

    client = client_for("c1_staff")
    row = Job.objects.create(handler="tests.jobs.handlers.rename", title="running", user=personas.user("c1_staff"),
                             status=Job.Status.RUNNING, started_at=timezone.now())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    before = Session.objects.get(session_key=key).expire_date
    assert client.get(f"/jobs/{row.pk}/progress/", HTTP_HX_REQUEST="true").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == before  # a poll is not activity
    client.get(f"/jobs/{row.pk}/")
    assert Session.objects.get(session_key=key).expire_date > before  # opening the page is


def test_an_upload_being_checked_leads_to_its_job(personas: Any, client_for: Any) -> None:
    from dangjian.core.models import ImportBatch

    user = personas.user("officer_b1")
    batch = ImportBatch.objects.create(kind="members", uploaded_by=user, file_name="名单.xlsx", sha256="0" * 64,
                                       status=ImportBatch.Status.CHECKING)
    row = Job.objects.create(handler="dangjian.core.imports.jobs.check_file", title="检查", user=user,
                             params={"importer": "dangjian.members.imports.MemberImporter", "batch": batch.pk})
    response = client_for("officer_b1").get(f"/members/import/{batch.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{row.pk}/"
