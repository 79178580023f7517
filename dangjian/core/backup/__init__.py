"""Backup and restore of an installation (SECURITY.md REL-08, docs/backup.md).

``manage.py backup`` and ``manage.py restore`` call :func:`create_backup` and
:func:`restore_backup`; :mod:`.archive` is the encrypted container, :mod:`.engines` the
consistent copy per database engine.
"""

from dangjian.core.backup.archive import BackupError
from dangjian.core.backup.service import create_backup, describe, prune, restore_backup

__all__ = ["BackupError", "create_backup", "describe", "prune", "restore_backup"]
