"""Write a backup archive of the database and the uploaded files (docs/backup.md).

Safe while the site runs: the database copy is one consistent state. Prints the archive's path,
size, SHA-256 and duration; ``--keep-daily``/``--keep-monthly`` then apply the retention.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.backup import BackupError, create_backup, prune
from dangjian.core.backup.service import default_backup_dir
from dangjian.core.context import acting_as
from dangjian.core.logs import job_log


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one encrypted, checksummed archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", "-o", help="Archive path (default: BACKUP_DIR/dangjian-<time>.djbak).")
        parser.add_argument("--keep-daily", type=int, default=0,
                            help="After the backup, keep only this many newest archives of the folder ...")
        parser.add_argument("--keep-monthly", type=int, default=0,
                            help="... plus the newest archive of each of this many months.")

    def handle(self, *args: Any, output: str | None, keep_daily: int, keep_monthly: int, **options: Any) -> None:
        with acting_as(None, reason="manage.py backup"), job_log("backup") as info:
            try:
                result = create_backup(Path(output) if output else None)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            info.update(size=result.size, seconds=round(result.seconds, 2))
        self.stdout.write(
            f"{result.path}\n  size {result.size} bytes, sha256 {result.sha256}\n"
            f"  {len(result.manifest['tables'])} tables, {sum(result.manifest['tables'].values())} rows, "
            f"{len(result.manifest['files']) - 1} files, {result.seconds:.1f} s"
        )
        if keep_daily or keep_monthly:
            folder = result.path.parent if output else default_backup_dir()
            for path in prune(folder, keep_daily=max(keep_daily, 1), keep_monthly=keep_monthly):
                self.stdout.write(f"  removed {path.name}")
