"""Backup and restore (issue 9 item 5, SECURITY.md REL-08), on the configured engine.

The backup is taken from the test database while another thread keeps writing members (each
with its audit entry, in one transaction); the archive is restored by ``manage.py restore`` in
a separate process into a new, empty database and file storage. Every table's row count must
equal the copy's, the audit chain must verify and stay append-only. Damaged, truncated and
foreign archives are refused with a Chinese message and nothing restored.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from dangjian.core.backup import create_backup, prune
from dangjian.core.backup.archive import CHUNK, ArchiveWriter
from dangjian.core.context import acting_as
from dangjian.core.crypto import get_provider
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import build_personas, make_member, valid_id_number
from dangjian.members.models import Member

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("flushable_audit_log")


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Iterator[Path]:
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    storages._storages.pop("default", None)  # the storage reads MEDIA_ROOT when it is built
    yield folder
    storages._storages.pop("default", None)


class Writer(threading.Thread):
    """Writes members (each audited in its own transaction) until stopped: the site at work."""

    def __init__(self, org: Any) -> None:
        super().__init__(daemon=True)
        self.org = org
        self.written = 0
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            with acting_as(None, reason="concurrent writer"):
                while not self.stop.is_set():
                    # one birth date per row: a unique ID number however many rows get written
                    birth = dt.date(1960, 1, 1) + dt.timedelta(days=self.written)
                    with transaction.atomic():
                        make_member(self.org, name=f"并发{self.written}", birth_date=birth,
                                    id_number=valid_id_number(birth, "M", seq=1))
                    self.written += 1
                    time.sleep(0.005)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()


def restore_env(tmp_path: Path) -> tuple[dict[str, str], Any]:
    """Environment of a process whose database and storage are new and empty; and a cleanup."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dangjian.settings_test", "DANGJIAN_VAR_DIR": str(tmp_path / "restored")}
    env.pop("DEBUG", None)
    if connection.vendor != "postgresql":
        env.pop("DATABASE_URL", None)
        return env, lambda: None
    import psycopg

    params = connection.settings_dict
    name = f"ops_restore_{uuid.uuid4().hex[:8]}"
    admin = {"host": params["HOST"], "port": params["PORT"] or 5432, "user": params["USER"],
             "password": params["PASSWORD"], "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:{params['PORT'] or 5432}/{name}"

    def drop() -> None:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, drop


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def restored_counts(env: dict[str, str], tmp_path: Path) -> dict[str, int]:
    if "DATABASE_URL" not in env:
        db = sqlite3.connect(tmp_path / "restored" / "dangjian.sqlite3")
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts = {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
        db.close()
        return counts
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # type: ignore[index]  # noqa: S608


def test_backup_during_concurrent_writes_restores_every_row_and_a_valid_audit_chain(tmp_path, media) -> None:
    personas = build_personas()
    storages["default"].save("imports/roster.xlsx", ContentFile(b"uploaded workbook \x00\x01"))
    storages["default"].save("attachments/minutes.docx", ContentFile(os.urandom(3 * CHUNK)))  # several chunks
    writer = Writer(personas.b1)
    writer.start()
    while writer.written < 5 and writer.is_alive():
        time.sleep(0.05)
    try:
        result = create_backup(tmp_path / "site.djbak")
        time.sleep(0.3)
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None
    copied = result.manifest["tables"]
    members_now = Member.objects.count()
    # the copy was taken while the writer was at work: some of its rows are in, later ones not
    assert 5 <= copied["members_member"] - 4 < members_now - 4
    # one consistent state: every copied member has its audit entry
    assert result.manifest["audit"]["entries"] >= copied["members_member"]
    assert (tmp_path / "site.djbak.sha256").read_text().split()[0] == result.sha256

    env, drop = restore_env(tmp_path)
    try:
        done = manage(env, "restore", str(result.path))
        assert done.returncode == 0, done.stderr
        assert "OK" in done.stdout
        counts = restored_counts(env, tmp_path)
        assert set(counts) == set(copied)
        # the restore itself is audited in the restored log
        assert counts.pop("core_auditentry") == copied.pop("core_auditentry") + 1
        assert counts == copied
        chain = manage(env, "verify_audit_chain")
        assert chain.returncode == 0 and chain.stdout.startswith("OK"), chain.stdout + chain.stderr
        # the audit log is append-only again after the restore
        if "DATABASE_URL" not in env:
            db = sqlite3.connect(tmp_path / "restored" / "dangjian.sqlite3")
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute("UPDATE core_auditentry SET reason = 'x'")
            db.close()
        else:
            import psycopg

            with psycopg.connect(env["DATABASE_URL"]) as conn, pytest.raises(psycopg.Error, match="append-only"):
                conn.execute("DELETE FROM core_auditentry")
    finally:
        drop()
    restored_media = tmp_path / "restored" / "media"
    assert (restored_media / "imports" / "roster.xlsx").read_bytes() == b"uploaded workbook \x00\x01"
    assert (restored_media / "attachments" / "minutes.docx").read_bytes() == (media / "attachments" / "minutes.docx").read_bytes()
    # both operations are in the audit logs
    assert AuditEntry.objects.filter(event="backup", object_id="site.djbak").count() == 1


@pytest.fixture
def archive(tmp_path: Path, media: Path) -> Path:
    build_personas()
    return create_backup(tmp_path / "site.djbak").path


def refused(path: Path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(path))
    return str(caught.value)


def test_a_truncated_archive_is_refused_and_nothing_restored(archive, tmp_path) -> None:
    data = archive.read_bytes()
    before = AuditEntry.objects.count()
    for cut in (len(data) // 2, len(data) - 1, 40):
        cut_file = tmp_path / f"cut-{cut}.djbak"
        cut_file.write_bytes(data[:cut])
        assert "备份文件不完整" in refused(cut_file)
    assert AuditEntry.objects.count() == before


def test_an_archive_cut_at_a_block_boundary_is_refused(tmp_path, media) -> None:
    build_personas()
    storages["default"].save("big.bin", ContentFile(os.urandom(2 * CHUNK)))  # incompressible: 3 blocks
    data = create_backup(tmp_path / "site.djbak").path.read_bytes()
    header_end = 12 + int.from_bytes(data[8:12], "big")
    first_len = int.from_bytes(data[header_end:header_end + 4], "big")
    cut_file = tmp_path / "boundary.djbak"
    cut_file.write_bytes(data[: header_end + 4 + first_len])
    assert "备份文件不完整" in refused(cut_file)


def test_a_damaged_archive_is_refused(archive, tmp_path) -> None:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged = tmp_path / "damaged.djbak"
    damaged.write_bytes(bytes(data))
    assert "已损坏或被篡改" in refused(damaged)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path) -> None:
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        payload = json.dumps({"format": "dangjian-backup"}).encode()
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    assert "不是本平台的备份文件" in refused(other)


def _archive_with_key(path: Path, keys: str) -> None:
    get_provider.cache_clear()
    try:
        with override_settings(FIELD_ENCRYPTION_KEYS=keys):
            writer = ArchiveWriter(path, info={"created_at": "2026-01-01T00:00:00+08:00", "engine": connection.vendor})
            with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
                info = tarfile.TarInfo("manifest.json")
                info.size = 2
                tar.addfile(info, io.BytesIO(b"{}"))
            writer.finish()
    finally:
        get_provider.cache_clear()


def test_an_archive_of_another_installation_is_refused(db, tmp_path) -> None:
    other_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    foreign = tmp_path / "foreign.djbak"
    _archive_with_key(foreign, f"elsewhere:{other_key}")
    message = refused(foreign)
    assert "另一套系统" in message and "elsewhere" in message
    # the same key name with another key does not authenticate either
    kid = get_provider().current_kid
    same_name = tmp_path / "same-name.djbak"
    _archive_with_key(same_name, f"{kid}:{other_key}")
    assert "已损坏或被篡改" in refused(same_name)


def test_restore_refuses_a_database_that_is_not_empty(archive) -> None:
    before = Member.objects.count()
    assert "数据库不是空的" in refused(archive)
    assert Member.objects.count() == before


def test_check_reports_a_good_archive_without_restoring(archive) -> None:
    out = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert out.getvalue().startswith("OK")


def test_retention_keeps_the_newest_days_and_one_archive_per_month(tmp_path) -> None:
    names = ["20260105-0200", "20260131-0200", "20260201-0200", "20260228-0200",
             "20260301-0200", "20260302-0200", "20260303-0200", "20260304-0200"]
    for name in names:
        (tmp_path / f"dangjian-{name}.djbak").write_bytes(b"x")
        (tmp_path / f"dangjian-{name}.djbak.sha256").write_text("x")
    removed = prune(tmp_path, keep_daily=3, keep_monthly=3)
    kept = sorted(p.name.removeprefix("dangjian-").removesuffix(".djbak") for p in tmp_path.glob("*.djbak"))
    assert kept == ["20260131-0200", "20260228-0200", "20260302-0200", "20260303-0200", "20260304-0200"]
    assert len(removed) == 3 and not (tmp_path / "dangjian-20260105-0200.djbak.sha256").exists()


def test_backup_settings_default_folder_is_in_the_data_directory() -> None:
    from dangjian.core.backup.service import default_backup_dir

    assert default_backup_dir() == Path(settings.VAR_DIR) / "backups"
