"""Backup and restore of a whole installation: database and uploaded files (REL-08).

An archive (see :mod:`.archive` for the container) holds a tar of::

    database/db.sqlite3 | database/db.pgdump     the consistent copy (see :mod:`.engines`)
    media/<name>                                 every file of the default storage
    manifest.json                                written last: time, version, engine,
                                                 migrations, row counts, audit chain head,
                                                 size and SHA-256 of every file above

``restore`` authenticates and unpacks the whole archive into a scratch directory and checks
every file against the manifest *before* it touches the database; it then restores into an
empty database only, brings the files back, compares every table's row count with the
manifest, checks the audit triggers and verifies the audit chain. Both are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.backup import engines
from dangjian.core.backup.archive import (
    CHUNK,
    FORMAT,
    ArchiveWriter,
    BackupError,
    ChunkReader,
    file_sha256,
    read_chunks,
)

DB_NAMES = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def app_version() -> str:
    """The release's version (pyproject.toml), as the manifest records it."""
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- files of the default storage -------------------------------------------------------


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(dirs):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


class _HashingReader:
    """Reads ``size`` bytes from a file and hashes exactly what was read (the bytes archived)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# --- backup ------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    manifest: dict[str, Any]
    seconds: float


def default_backup_dir() -> Path:
    """``BACKUP_DIR`` (setting or environment variable), else ``<VAR_DIR>/backups``."""
    configured = getattr(settings, "BACKUP_DIR", "") or os.environ.get("BACKUP_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "backups"


def create_backup(target: Path | None = None) -> BackupResult:
    """Write an archive of the database and the uploaded files; audited as ``backup``."""
    started = time.monotonic()
    vendor = engines.vendor()
    if vendor not in DB_NAMES:
        raise BackupError(gettext("Backups support SQLite and PostgreSQL only."))
    created = timezone.now()
    if target is None:
        folder = default_backup_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = folder / f"dangjian-{timezone.localtime(created):%Y%m%d-%H%M%S}.djbak"
    target = Path(target)
    if target.exists():
        raise BackupError(gettext("%(path)s exists already; a backup never overwrites a file.") % {"path": target})
    storage = storages["default"]
    with tempfile.TemporaryDirectory(prefix="dangjian-backup-", dir=target.parent) as scratch:
        copy = Path(scratch) / "db"
        state = engines.dump(copy)
        files: list[dict[str, Any]] = []
        writer = ArchiveWriter(target, info={"created_at": created.isoformat(), "engine": vendor})
        try:
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                name = DB_NAMES[vendor]
                tar.add(copy, arcname=name, recursive=False)
                files.append({"path": name, "size": copy.stat().st_size, "sha256": file_sha256(copy)})
                for media_name in _walk(storage):
                    with storage.open(media_name, "rb") as handle:
                        size = storage.size(media_name)
                        info = tarfile.TarInfo(f"media/{media_name}")
                        info.size = size
                        info.mode = 0o600
                        info.mtime = int(time.time())
                        reader = _HashingReader(handle)
                        tar.addfile(info, reader)  # type: ignore[arg-type]
                    files.append({"path": info.name, "size": size, "sha256": reader.digest.hexdigest()})
                manifest = {
                    "format": FORMAT,
                    "created_at": created.isoformat(),
                    "app_version": app_version(),
                    "engine": vendor,
                    "migrations": state.migrations,
                    "tables": state.tables,
                    "audit": {"entries": state.audit_entries, "last_hash": state.audit_last_hash},
                    "files": files,
                }
                _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            digest = writer.finish()
        except BaseException:
            writer.abort()
            raise
    target.chmod(0o600)
    size = target.stat().st_size
    with transaction.atomic():
        audit.record(
            "backup", object_type="system.backup", object_id=target.name, object_repr=str(target),
            changes={"sha256": digest, "size": size, "tables": len(state.tables), "files": len(files) - 1,
                     "audit_entries": state.audit_entries},
        )
    return BackupResult(target, digest, size, manifest, time.monotonic() - started)


# --- restore -----------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and (
        name == "manifest.json" or name in DB_NAMES.values() or path.parts[0] == "media"
    )


def unpack(archive: Path, scratch: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Authenticate and unpack ``archive`` into ``scratch``; returns (header, manifest) after
    every file matched the manifest. Nothing outside ``scratch`` is touched."""
    if not archive.is_file():
        raise BackupError(gettext("%(path)s is not a file.") % {"path": archive})
    header, chunks = read_chunks(archive)
    seen: dict[str, tuple[int, str]] = {}
    try:
        with tarfile.open(fileobj=ChunkReader(chunks), mode="r|") as tar:  # type: ignore[call-overload]
            for member in tar:
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupError(gettext("The backup file contains an unexpected entry: %(name)s")
                                      % {"name": member.name})
                source = tar.extractfile(member)
                assert source is not None
                destination = scratch / member.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with open(destination, "wb") as out:
                    for block in iter(lambda: source.read(CHUNK), b""):  # noqa: B023  (consumed here)
                        digest.update(block)
                        out.write(block)
                seen[member.name] = (member.size, digest.hexdigest())
    except tarfile.TarError as exc:
        raise BackupError(gettext("The backup file is damaged: its content cannot be unpacked.")) from exc
    if "manifest.json" not in seen:
        raise BackupError(gettext("The backup file has no manifest: it is incomplete."))
    manifest = json.loads((scratch / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest.get("files", [])}
    seen.pop("manifest.json")
    if set(listed) != set(seen):
        raise BackupError(gettext("The backup's files do not match its manifest."))
    for name, expected in listed.items():
        if seen[name] != tuple(expected):
            raise BackupError(gettext("The checksum of %(name)s does not match the manifest.") % {"name": name})
    if manifest.get("engine") != header.get("engine"):
        raise BackupError(gettext("The backup's manifest does not match its header."))
    return header, manifest


def _check_compatible(manifest: dict[str, Any]) -> None:
    vendor = engines.vendor()
    if manifest["engine"] != vendor:
        raise BackupError(
            gettext("This backup is of a %(archive)s database; the configured database is %(current)s.")
            % {"archive": ENGINE_NAMES.get(manifest["engine"], manifest["engine"]),
               "current": ENGINE_NAMES.get(vendor, vendor)}
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{app}.{name}" for app, names in manifest["migrations"].items()
                     for name in names if (app, name) not in known)
    if unknown:
        raise BackupError(
            gettext("The backup was made by a newer release (%(version)s): this release does not have "
                    "the migrations %(names)s. Install that release first.")
            % {"version": manifest.get("app_version"), "names": ", ".join(unknown[:5])}
        )


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: int
    rows: int
    files: int
    audit_entries: int
    seconds: float
    pending_migrations: list[str]


def restore_backup(archive: Path) -> RestoreResult:
    """Restore ``archive`` into this installation's empty database and storage."""
    started = time.monotonic()
    archive = Path(archive)
    scratch_parent = Path(settings.VAR_DIR)
    scratch_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dangjian-restore-", dir=scratch_parent) as scratch_name:
        scratch = Path(scratch_name)
        _header, manifest = unpack(archive, scratch)
        _check_compatible(manifest)
        if not engines.is_empty():
            raise BackupError(
                gettext("The database is not empty: a backup is restored into an empty database only "
                        "(create a new database, do not run migrate, then restore).")
            )
        storage = storages["default"]
        media = [entry["path"] for entry in manifest["files"] if entry["path"].startswith("media/")]
        clashes = [name for name in media if storage.exists(name.removeprefix("media/"))]
        if clashes:
            raise BackupError(gettext("The file storage is not empty: %(name)s exists already.") % {"name": clashes[0]})
        engines.restore(scratch / DB_NAMES[manifest["engine"]])
        for name in media:
            stored_name = name.removeprefix("media/")
            with open(scratch / name, "rb") as handle:
                saved = storage.save(stored_name, File(handle, name=stored_name))
            if saved != stored_name:
                raise BackupError(gettext("The file %(name)s could not be restored under its name.") % {"name": name})
        shutil.rmtree(scratch, ignore_errors=True)
    state = engines.current_state()
    different = sorted(t for t in set(manifest["tables"]) | set(state.tables)
                       if manifest["tables"].get(t) != state.tables.get(t))
    if different:
        raise BackupError(gettext("After the restore the row counts of %(tables)s differ from the manifest.")
                          % {"tables": ", ".join(different[:5])})
    if not engines.audit_triggers_present():
        raise BackupError(gettext("After the restore the audit log's append-only triggers are missing."))
    if state.audit_last_hash != manifest["audit"]["last_hash"] or audit.verify_chain() is not None:
        raise BackupError(gettext("After the restore the audit chain does not verify."))
    with transaction.atomic():
        audit.record(
            "restore", object_type="system.backup", object_id=archive.name, object_repr=str(archive),
            changes={"sha256": file_sha256(archive), "backup_created_at": manifest["created_at"],
                     "app_version": manifest["app_version"], "tables": len(state.tables)},
        )
    connection.close()
    pending = _pending_migrations()
    return RestoreResult(
        manifest=manifest, tables=len(state.tables), rows=sum(state.tables.values()),
        files=len(media), audit_entries=state.audit_entries + 1, seconds=time.monotonic() - started,
        pending_migrations=pending,
    )


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def describe(archive: Path) -> dict[str, Any]:
    """The manifest of ``archive`` after a full check (``restore --check``): nothing restored."""
    with tempfile.TemporaryDirectory(prefix="dangjian-check-", dir=Path(archive).parent) as scratch:
        return unpack(Path(archive), Path(scratch))[1]


def prune(folder: Path, *, keep_daily: int, keep_monthly: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete old archives of ``folder``: keep the newest ``keep_daily`` and the newest of each
    of the last ``keep_monthly`` months; returns what was deleted (retention, docs/backup.md)."""
    archives = sorted(folder.glob("dangjian-*.djbak"), reverse=True)
    keep = set(archives[:keep_daily])
    months: dict[str, Path] = {}
    for path in archives:
        month = path.name[len("dangjian-"):len("dangjian-") + 6]
        months.setdefault(month, path)
    keep.update(sorted(months.values(), reverse=True)[:keep_monthly])
    removed = []
    for path in archives:
        if path not in keep:
            path.unlink()
            path.with_name(path.name + ".sha256").unlink(missing_ok=True)
            removed.append(path)
    return removed
