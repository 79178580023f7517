"""Consistent copies of the database and their restore, per engine.

- SQLite: the online backup API copies the whole database in one step from a read
  transaction, so the copy is one consistent state while the site keeps writing (WAL lets
  writers go on); the statistics of the manifest are read from the copy itself.
- PostgreSQL: ``pg_dump -Fc`` runs on a snapshot exported by a repeatable-read transaction that
  also counts the rows, so dump and manifest describe the same state. ``pg_restore`` runs as
  one transaction into an empty database (all or nothing).

Both copies carry the schema with its triggers, so the audit log's append-only triggers
(migration core 0002) come back with a restore; :func:`audit_triggers_present` checks it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext

from dangjian.core.backup.archive import BackupError

AUDIT_TABLE = "core_auditentry"
SQLITE_TRIGGERS = {"core_auditentry_no_update", "core_auditentry_no_delete"}
POSTGRES_TRIGGERS = {"core_auditentry_no_change", "core_auditentry_no_truncate"}


@dataclass
class DatabaseState:
    """What the manifest says about the copied database."""

    tables: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, list[str]] = field(default_factory=dict)
    audit_entries: int = 0
    audit_last_hash: str = ""


def _read_state(cursor: Any, tables: list[str], quote: Any) -> DatabaseState:
    state = DatabaseState()
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608  (introspected names)
        state.tables[table] = int(cursor.fetchone()[0])
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            state.migrations.setdefault(app, []).append(name)
    if AUDIT_TABLE in tables:
        cursor.execute(f"SELECT hash FROM {AUDIT_TABLE} ORDER BY id DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
        state.audit_entries = state.tables[AUDIT_TABLE]
        state.audit_last_hash = row[0] if row else ""
    return state


def vendor() -> str:
    return str(connection.vendor)


def _tables() -> list[str]:
    """The database's own tables (SQLite's internal ``sqlite_*`` tables are not data)."""
    return [name for name in connection.introspection.table_names() if not name.startswith("sqlite_")]


def current_state() -> DatabaseState:
    """The statistics of the live database (after a restore: to compare with the manifest)."""
    tables = _tables()
    with connection.cursor() as cursor:
        return _read_state(cursor, tables, connection.ops.quote_name)


def is_empty() -> bool:
    """True when the database has no tables at all (a new database, before ``migrate``)."""
    return not _tables()


def audit_triggers_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [AUDIT_TABLE])
            return SQLITE_TRIGGERS <= {row[0] for row in cursor.fetchall()}
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [AUDIT_TABLE]
            )
            return POSTGRES_TRIGGERS <= {row[0] for row in cursor.fetchall()}
    return True


# --- SQLite ------------------------------------------------------------------------------


def sqlite_dump(target: Path) -> DatabaseState:
    """Copy the live database into ``target`` with the online backup API."""
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, from one read transaction (a stepwise copy
        # restarts whenever another connection writes).
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        tables = [
            row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        return _read_state(copy.cursor(), tables, lambda name: '"' + name.replace('"', '""') + '"')
    finally:
        copy.close()


def sqlite_restore(source: Path) -> None:
    """Replace the (empty) live database by the copy, page by page through the backup API."""
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection, pages=-1)
    finally:
        copy.close()
    connection.close()  # reconnect: the connection's schema cache predates the restore
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")  # the profile of settings.SQLITE_PRAGMAS


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            gettext("%(tool)s is not installed: install the PostgreSQL client (apt-get install postgresql-client).")
            % {"tool": name}
        )
    return path


def postgres_dump(target: Path) -> DatabaseState:
    """``pg_dump -Fc`` of the snapshot on which the rows are counted."""
    import psycopg

    pg_dump = _pg_tool("pg_dump")
    env = _pg_env()
    # A connection of its own: the snapshot must stay open while pg_dump reads it.
    with psycopg.connect(
        dbname=env["PGDATABASE"], host=env.get("PGHOST"), port=env.get("PGPORT"),
        user=env.get("PGUSER"), password=env.get("PGPASSWORD"), autocommit=False,
    ) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        cursor = conn.cursor()
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        state = _read_state(cursor, tables, lambda name: '"' + name.replace('"', '""') + '"')
        result = subprocess.run(  # noqa: S603  (fixed arguments)
            [pg_dump, "--format=custom", "--compress=6", f"--snapshot={snapshot}", f"--file={target}"],
            env=env, capture_output=True, text=True, check=False,
        )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(gettext("pg_dump failed: %(error)s") % {"error": result.stderr.strip()[-2000:]})
    return state


def postgres_restore(source: Path) -> None:
    """``pg_restore`` into the (empty) live database, in one transaction."""
    pg_restore = _pg_tool("pg_restore")
    connection.close()
    result = subprocess.run(  # noqa: S603  (fixed arguments)
        [pg_restore, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
         f"--dbname={_pg_env()['PGDATABASE']}", str(source)],
        env=_pg_env(), capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BackupError(gettext("pg_restore failed, nothing was restored: %(error)s")
                          % {"error": result.stderr.strip()[-2000:]})


def dump(target: Path) -> DatabaseState:
    if connection.vendor == "sqlite":
        return sqlite_dump(target)
    if connection.vendor == "postgresql":
        return postgres_dump(target)
    raise BackupError(gettext("Backups support SQLite and PostgreSQL only."))


def restore(source: Path) -> None:
    if connection.vendor == "sqlite":
        sqlite_restore(source)
    elif connection.vendor == "postgresql":
        postgres_restore(source)
    else:
        raise BackupError(gettext("Backups support SQLite and PostgreSQL only."))
