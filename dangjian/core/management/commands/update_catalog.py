"""Bring ``locale/<lang>/LC_MESSAGES/django.po`` up to date with the code, in pure Python.

New msgids are added with an empty translation, translations of unchanged msgids are kept,
msgids no longer in the code are dropped, references are refreshed. Unlike makemessages it
needs no GNU gettext and sees every alias of the translation functions (see
:mod:`dangjian.core.i18n_extract`). Then translate the empty entries and run
``manage.py compile_catalog``; ``--check`` lists what is still untranslated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dangjian.core.i18n_extract import extract

PYTHON_FORMAT = ("%(", "%s", "%d")
HEADER = ("Translations of 智慧党建 (dangjian).\n"
          "Kept in step with the code by `manage.py update_catalog`; compiled by `manage.py compile_catalog`.\n"
          "Interface terms follow the usage of party-building work in public-security organs.")


def is_python_format(msgid: str) -> bool:
    return any(marker in msgid for marker in PYTHON_FORMAT)


def update_po(po_path: Path, root: Path, language: str) -> tuple[int, int, int, int]:
    """Merge the extracted messages into ``po_path``; returns (total, added, dropped, untranslated)."""
    catalog = extract(root)
    if po_path.exists():
        po = polib.pofile(str(po_path), wrapwidth=0)
    else:
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po = polib.POFile(wrapwidth=0)
    old: dict[tuple[str | None, str], polib.POEntry] = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    po.header = HEADER
    po.metadata = {
        "Project-Id-Version": "dangjian",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": po.metadata.get("POT-Creation-Date")
        or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000"),
        "PO-Revision-Date": po.metadata.get("PO-Revision-Date", "").replace("YEAR-MO-DA HO:MI+ZONE", ""),
        "Last-Translator": po.metadata.get("Last-Translator", "dangjian team"),
        "Language-Team": po.metadata.get("Language-Team", language),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": po.metadata.get("Plural-Forms", "nplurals=1; plural=0;"),
    }
    entries = []
    added = 0
    for message in catalog:
        entry = old.pop(message.key, None)
        if entry is None:
            added += 1
            entry = polib.POEntry(msgid=message.msgid, msgctxt=message.msgctxt, msgstr="")
            if message.plural:
                entry.msgid_plural = message.plural
                entry.msgstr_plural = {0: ""}
        entry.occurrences = [(path, str(line)) for path, line in message.occurrences]
        flags = [f for f in entry.flags if f != "python-format"]
        if is_python_format(message.msgid):
            flags.append("python-format")
        entry.flags = flags
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        entries.append(entry)
    dropped = len(old)
    del po[:]
    po.extend(entries)
    po.save(str(po_path))
    untranslated = sum(1 for e in po if not (e.msgstr or any(e.msgstr_plural.values())) or e.fuzzy)
    return len(entries), added, dropped, untranslated


class Command(BaseCommand):
    help = "Update locale/<language>/LC_MESSAGES/django.po from the code (pure Python, no gettext)."
    requires_system_checks: list[str] = []  # editing the .po makes the .mo stale (check E021)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-l", "--locale", default="zh_Hans", help="Locale directory name (default zh_Hans).")
        parser.add_argument("--check", action="store_true", help="Fail when entries are left untranslated.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        locale_dir = Path(settings.LOCALE_PATHS[0]) if settings.LOCALE_PATHS else root / "locale"
        po_path = locale_dir / options["locale"] / "LC_MESSAGES" / "django.po"
        total, added, dropped, untranslated = update_po(po_path, root, options["locale"])
        self.stdout.write(f"{po_path}: {total} messages, {added} new, {dropped} dropped, {untranslated} untranslated")
        if options["check"] and untranslated:
            raise CommandError(f"{untranslated} messages need a translation in {po_path}.")
