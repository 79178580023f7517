"""Restore a backup archive into an empty database (docs/backup.md).

Stop the web and worker processes first. The whole archive is authenticated and checked
against its manifest before the database is touched; a damaged, truncated or foreign archive is
refused with the reason. ``--check`` only checks the archive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.backup import BackupError, describe, restore_backup
from dangjian.core.context import acting_as
from dangjian.core.logs import job_log


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and file storage."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="The .djbak file.")
        parser.add_argument("--check", action="store_true", help="Check the archive only; restore nothing.")

    def handle(self, *args: Any, archive: str, check: bool, **options: Any) -> None:
        try:
            if check:
                manifest = describe(Path(archive))
                self.stdout.write(
                    f"OK: {archive}\n  made {manifest['created_at']} by release {manifest['app_version']} "
                    f"({manifest['engine']}), {len(manifest['tables'])} tables, "
                    f"{sum(manifest['tables'].values())} rows, {len(manifest['files']) - 1} files"
                )
                return
            with acting_as(None, reason="manage.py restore"), job_log("restore"):
                result = restore_backup(Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"OK: restored {archive} (made {result.manifest['created_at']}, release "
            f"{result.manifest['app_version']})\n  {result.tables} tables, {result.rows} rows, "
            f"{result.files} files, audit chain of {result.audit_entries} entries verified, {result.seconds:.1f} s"
        )
        if result.pending_migrations:
            self.stdout.write(f"  the backup predates {len(result.pending_migrations)} migrations: run manage.py migrate")
