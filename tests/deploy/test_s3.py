"""Several app nodes keep their files in an S3-compatible store (docs/deploy.md): with the
``S3_*`` variables ``STORAGES["default"]`` is django-storages' S3 backend. Tested for real against
a local fake S3 server (moto's, started as a subprocess) over HTTP: files are stored, read back
and removed, and a member import (upload staged in the store, checked, imported) and a large
export (job file in the store, downloaded) go through it end to end."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangjian.core.models import ImportBatch, Job
from dangjian.core.storage import S3_BACKEND, s3_storage
from dangjian.core.testing.imports import upload as as_file
from dangjian.core.testing.suites import export_rows
from dangjian.members.models import Member
from tests.imports.conftest import member_file
from tests.imports.test_speed import rows as member_rows

BUCKET = "dangjian-files"


def free_port() -> int:
    """A free port of this helper's range (8300-8399), else any free one."""
    for port in range(8340, 8400):
        with contextlib.closing(socket.socket()) as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.closing(socket.socket()) as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None and time.monotonic() < deadline, "the fake S3 server did not start"
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


ENV = {"S3_ACCESS_KEY_ID": "dangjian", "S3_SECRET_ACCESS_KEY": "fake-secret-for-tests", "S3_REGION": "us-east-1",
       "S3_PREFIX": "node-files"}


@pytest.fixture
def bucket(s3_server: str, settings: Any) -> Any:
    """A fresh bucket; STORAGES["default"] built from the S3_* variables as settings.py does."""
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id=ENV["S3_ACCESS_KEY_ID"],
                          aws_secret_access_key=ENV["S3_SECRET_ACCESS_KEY"], region_name="us-east-1")
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    config = s3_storage({**ENV, "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_server})
    assert config is not None and config["BACKEND"] == S3_BACKEND
    settings.STORAGES = {**settings.STORAGES, "default": config}
    settings.MEDIA_ROOT = "/nonexistent-media-root"  # nothing may fall back to the local disk
    return client


def keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_no_bucket_keeps_the_local_disk() -> None:
    assert s3_storage({}) is None and s3_storage({"S3_BUCKET": " "}) is None


def test_files_are_stored_read_back_and_removed_through_the_store(bucket: Any) -> None:
    name = default_storage.save("attachments/会议纪要.txt", ContentFile("三会一课 记录".encode()))
    assert keys(bucket) == [f"node-files/{name}"]  # really in the bucket, under the node prefix
    stored = bucket.get_object(Bucket=BUCKET, Key=f"node-files/{name}")
    assert stored["Body"].read() == "三会一课 记录".encode()
    assert "ACL" not in stored and stored.get("ServerSideEncryption") is None
    with default_storage.open(name, "rb") as handle:
        assert handle.read().decode() == "三会一课 记录"
    assert default_storage.exists(name) and default_storage.size(name) == len("三会一课 记录".encode())
    again = default_storage.save("attachments/会议纪要.txt", ContentFile(b"second"))
    assert again != name  # never overwrites another file of the same name
    default_storage.delete(name)
    default_storage.delete(again)
    assert not default_storage.exists(name) and keys(bucket) == []


def test_a_member_import_and_a_large_export_go_through_the_store(bucket: Any, client_for: Any, settings: Any) -> None:
    client = client_for("officer_b1")
    before = Member.objects.count()
    response = client.post("/members/import/", {"file": as_file(member_file(member_rows(30)), "名单.xlsx")})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "staged" and batch.valid_rows == 30
    staged = [k for k in keys(bucket) if k.startswith("node-files/imports/")]
    assert len(staged) == 1 and staged[0].endswith(".xlsx")  # the upload waits in the store, not on a disk
    response = client.post(f"/members/import/{batch.pk}/", {"action": "all"})
    assert response.status_code == 302
    assert Member.objects.count() == before + 30

    settings.DANGJIAN = {**settings.DANGJIAN, "EXPORT_JOB_ROWS": 10}
    response = client.post("/members/export.xlsx")
    job = Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    assert job.status == "succeeded"
    assert f"node-files/{job.result_file}" in keys(bucket) and job.result_file.startswith(f"jobs/{job.pk}/")
    rows = export_rows(client.get(f"/jobs/{job.pk}/file/"))
    assert len(rows) == 2 + 30 and {r[0] for r in rows} >= {"速度0", "速度29", "张三"}  # B1: two + the 30
