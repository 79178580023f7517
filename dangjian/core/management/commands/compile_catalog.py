"""Compile the translation catalogs (``locale/*/LC_MESSAGES/*.po``) to ``.mo`` in pure Python.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh server or CI image
often lacks; this command needs only ``polib``. The ``.mo`` files are build products and are
git-ignored: run this command after every checkout (deployment, CI, the test session does it
itself in ``conftest.py``).

Workflow for translators (on a machine with gettext installed)::

    DEBUG=1 python manage.py makemessages -l zh_Hans -i node_modules -i tests -i bench \\
        -i scripts -i var -i docs --no-obsolete
    # translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po, then
    DEBUG=1 python manage.py compile_catalog

Fuzzy and untranslated entries are left out of the ``.mo`` (the English msgid shows), exactly
like ``msgfmt`` does; ``--check`` fails when any exist.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.core.management.base import BaseCommand, CommandError


@dataclass(frozen=True)
class CatalogResult:
    po: Path
    mo: Path
    translated: int
    untranslated: int
    fuzzy: int
    written: bool


def catalog_files(locale_dirs: Iterable[Path]) -> list[Path]:
    """Every ``<dir>/<language>/LC_MESSAGES/*.po`` under the given locale directories."""
    found: list[Path] = []
    for base in locale_dirs:
        found.extend(sorted(Path(base).glob("*/LC_MESSAGES/*.po")))
    return found


def compile_po(po_path: Path) -> CatalogResult:
    """Compile one ``.po`` next to itself; the ``.mo`` is replaced atomically and only when
    its bytes change (parallel test workers and a running dev server may read it)."""
    catalog = polib.pofile(str(po_path))
    data = catalog.to_binary()
    mo_path = po_path.with_suffix(".mo")
    written = False
    if not mo_path.exists() or mo_path.read_bytes() != data:
        fd, tmp = tempfile.mkstemp(dir=str(po_path.parent), prefix=".compile-", suffix=".mo")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, mo_path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        written = True
    elif mo_path.stat().st_mtime < po_path.stat().st_mtime:
        os.utime(mo_path)  # same bytes, but current: the stale-catalog check (E021) compares times
    return CatalogResult(
        po=po_path, mo=mo_path, translated=len(catalog.translated_entries()),
        untranslated=len(catalog.untranslated_entries()), fuzzy=len(catalog.fuzzy_entries()), written=written,
    )


def compile_catalogs(locale_dirs: Iterable[Path]) -> list[CatalogResult]:
    return [compile_po(po) for po in catalog_files(locale_dirs)]


def default_locale_dirs() -> list[Path]:
    from django.conf import settings

    return [Path(p) for p in getattr(settings, "LOCALE_PATHS", [])]


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo without GNU gettext (pure Python, polib)."
    requires_system_checks: list[str] = []  # it repairs what check E021 reports

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--locale-dir", action="append", default=[],
                            help="A locale directory (default: settings.LOCALE_PATHS). May repeat.")
        parser.add_argument("--check", action="store_true",
                            help="Fail when a catalog has untranslated or fuzzy entries.")

    def handle(self, *args: Any, **options: Any) -> None:
        dirs = [Path(d) for d in options["locale_dir"]] or default_locale_dirs()
        results = compile_catalogs(dirs)
        if not results:
            raise CommandError(f"No .po files under {', '.join(str(d) for d in dirs)}.")
        incomplete = []
        for r in results:
            state = "written" if r.written else "unchanged"
            self.stdout.write(f"{r.mo}: {r.translated} translated, {r.untranslated} untranslated, "
                              f"{r.fuzzy} fuzzy ({state})")
            if r.untranslated or r.fuzzy:
                incomplete.append(r)
        if options["check"] and incomplete:
            raise CommandError("Incomplete catalogs: " + ", ".join(str(r.po) for r in incomplete))
